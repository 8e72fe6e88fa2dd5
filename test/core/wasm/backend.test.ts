// Choosing the backend, and the wasm module's memory over a long training run.
import { afterEach, describe, expect, it } from 'vitest';
import {
  type Tensor,
  crossEntropy,
  getBackend,
  linear,
  noGrad,
  randn,
  relu,
  setBackend,
  tensor,
  wasmBuild,
} from '@xent/core';
import { fastKernels, kernels, wasmKernels } from '@xent/core/extend';
import { arena } from '../../../packages/core/src/kernels/wasm/instance.js';

const initial = getBackend();
afterEach(() => setBackend(initial));

describe('setBackend / getBackend', () => {
  it("default: 'wasm' in Node 20 (SIMD validates), unless XENT_BACKEND=ts", () => {
    expect(initial).toBe(process.env.XENT_BACKEND === 'ts' ? 'ts' : 'wasm');
    expect(wasmBuild()).toMatch(/^(simd|relaxed)$/);
  });
  it("switches between the sets: 'ts' is the fast TypeScript set, 'wasm' the wasm set", () => {
    setBackend('ts');
    expect(getBackend()).toBe('ts');
    expect(kernels().matmul).toBe(fastKernels.matmul);
    setBackend('wasm');
    expect(getBackend()).toBe('wasm');
    expect(kernels().matmul).toBe(wasmKernels.matmul);
  });
  it('names the function and the choices for an unknown backend', () => {
    expect(() => setBackend('gpu' as 'ts')).toThrow(/setBackend: unknown backend "gpu"; expected 'wasm' or 'ts'/);
  });
  it('gives the same training step on both backends (float64 to rounding)', () => {
    const x = randn([64, 8]);
    const w = randn([16, 8]),
      y = tensor(Array.from({ length: 64 }, (_, i) => i % 16));
    const step = (): number[] => {
      const p = w.detach();
      p.requiresGrad = true;
      crossEntropy(relu(linear(x, p)), y).backward();
      return Array.from(p.grad!.data);
    };
    setBackend('ts');
    const a = step();
    setBackend('wasm');
    const b = step();
    for (let i = 0; i < a.length; i++) expect(Math.abs(a[i]! - b[i]!)).toBeLessThan(1e-14);
  });
});

describe('wasm memory over a long run', () => {
  it('does not grow over 10,000 training steps (the arena is reset by every call)', () => {
    setBackend('wasm');
    const x = randn([64, 2], { dtype: 'float32' }),
      y = tensor(Array.from({ length: 64 }, (_, i) => i % 3));
    const params: Tensor[] = [randn([32, 2], { dtype: 'float32' }), randn([32], { dtype: 'float32' })];
    params.push(randn([3, 32], { dtype: 'float32' }), randn([3], { dtype: 'float32' }));
    for (const p of params) p.requiresGrad = true;
    let size = 0;
    for (let step = 0; step < 10_000; step++) {
      const loss = crossEntropy(linear(relu(linear(x, params[0]!, params[1]!)), params[2]!, params[3]!), y);
      loss.backward();
      noGrad(() => {
        for (const p of params) {
          const d = p.data,
            g = p.grad!.data;
          for (let i = 0; i < d.length; i++) d[i] = d[i]! - 0.05 * g[i]!;
          p.grad = null;
        }
      });
      if (step === 100) size = arena.size();
    }
    expect(size).toBeGreaterThan(0);
    expect(arena.size()).toBe(size);
  });
});
