// Choosing the backend, and the wasm module's memory over a long training run.
import { afterEach, describe, expect, it } from 'vitest';
import {
  type Tensor,
  crossEntropy,
  getBackend,
  linear,
  mm,
  randn,
  relu,
  setBackend,
  tensor,
  wasmBuild,
} from '@xent/core';
import { fastKernels, kernels, wasmKernels, wasmLimits } from '@xent/core/extend';
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

describe('wasm memory.grow between small ops', () => {
  const saved = { ...wasmLimits };
  afterEach(() => void Object.assign(wasmLimits, saved));
  it('a large tensor forces a grow; the small ops before and after agree with the TypeScript kernels', () => {
    Object.assign(wasmLimits, { min: 0, matmul: 0 }); // the small ops in wasm too, whatever XENT_WASM_LIMITS says
    setBackend('wasm');
    const gen = (n: number, s: number): Tensor =>
      tensor(
        Array.from({ length: n }, (_, i) => Math.sin(i * s)),
        { dtype: 'float32' },
      );
    const small = (): number[] => {
      const a = gen(8 * 9, 0.3).reshape([8, 9]),
        b = gen(9 * 7, 0.7).reshape([9, 7]);
      const z = mm(a, b);
      z.requiresGrad = true;
      crossEntropy(z, tensor([0, 1, 2, 3, 4, 5, 6, 0])).backward();
      return [...Array.from(z.data), ...Array.from(z.grad!.data)];
    };
    setBackend('ts');
    const want = small();
    setBackend('wasm');
    const before = small(),
      had = arena.size();
    // Operands bigger than all the module's memory: the arena must grow (detaching the old buffer).
    const n = Math.ceil(Math.sqrt(had / 4)) + 64;
    const big = gen(n * n, 0.001).reshape([n, n]),
      v = gen(n * 3, 0.01).reshape([n, 3]);
    const got = mm(big, v).data;
    expect(arena.size()).toBeGreaterThan(had);
    setBackend('ts');
    const ref = mm(big, v).data;
    setBackend('wasm');
    for (let i = 0; i < ref.length; i++) expect(Math.abs(got[i]! - ref[i]!)).toBeLessThan(1e-5 * n);
    const after = small(); // the views re-created: the same answers as before the grow
    expect(after).toEqual(before);
    before.forEach((g, i) => expect(Math.abs(g - want[i]!)).toBeLessThan(1e-5));
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
    const bufs = params.map((p) => new Float32Array(p.data.length));
    let size = 0,
      first = 0,
      last = 0;
    for (let step = 0; step < 10_000; step++) {
      const loss = crossEntropy(linear(relu(linear(x, params[0]!, params[1]!)), params[2]!, params[3]!), y);
      loss.backward();
      if (step === 0) first = loss.item();
      last = loss.item();
      // SGD with momentum through the optimizer kernel (the wasm sgdUpdate), as @xent/nn's SGD does.
      const o = { lr: 0.05, momentum: 0.9, dampening: 0, weightDecay: 0, nesterov: false, first: step === 0 };
      params.forEach((p, i) => {
        kernels().sgdUpdate(p.data, p.grad!.data, bufs[i]!, o);
        p.grad = null;
      });
      if (step === 100) size = arena.size();
    }
    expect(size).toBeGreaterThan(0);
    expect(arena.size()).toBe(size); // no growth after warm-up
    expect(last).toBeLessThan(first / 2); // and it trained
  });
});
