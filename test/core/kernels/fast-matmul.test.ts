import { describe, expect, it } from 'vitest';
import { Generator, getBackend, mm, tensor } from '@xent/core';
import { fastKernels, kernels, referenceKernels, wasmKernels } from '@xent/core/extend';
import type { Storage } from '../../../packages/core/src/dtype.js';
import { fastMatmul } from '../../../packages/core/src/kernels/fast-matmul.js';

const gen = new Generator(5);
const fill = (T: Float32ArrayConstructor | Float64ArrayConstructor, n: number): Storage => {
  const x = new T(n);
  for (let i = 0; i < n; i++) x[i] = gen.normal();
  return x;
};

/** Runs both kernels on the same random operands and compares within float rounding. */
function agree(
  T: Float32ArrayConstructor | Float64ArrayConstructor,
  m: number,
  k: number,
  n: number,
  transA: boolean,
  transB: boolean,
  aBatch: number[],
  bBatch: number[],
): void {
  const aMats = Math.max(...aBatch) + 1,
    bMats = Math.max(...bBatch) + 1;
  const a = fill(T, aMats * m * k),
    b = fill(T, bMats * k * n);
  const aOff = aBatch.map((i) => i * m * k),
    bOff = bBatch.map((i) => i * k * n);
  const fast = new T(aBatch.length * m * n).fill(NaN); // NaN: every output cell must be written
  const ref = new T(aBatch.length * m * n);
  fastMatmul(a, aOff, transA, b, bOff, transB, m, k, n, fast);
  referenceKernels.matmul(a, aOff, transA, b, bOff, transB, m, k, n, ref);
  const tol = T === Float32Array ? 2e-5 : 1e-12;
  for (let i = 0; i < ref.length; i++) {
    const scale = Math.max(1, Math.sqrt(k));
    if (!(Math.abs(fast[i]! - ref[i]!) <= tol * scale)) {
      throw new Error(`m=${m} k=${k} n=${n} tA=${transA} tB=${transB} at ${i}: fast ${fast[i]} ≠ reference ${ref[i]}`);
    }
  }
}

// Sizes straddle the register tile (4), the packed row block (96) and the k slice (256).
const shapes: [string, number, number, number][] = [
  ['1×1·1×1', 1, 1, 1],
  ['odd sizes', 7, 5, 3],
  ['1-row', 1, 37, 29],
  ['1-column', 29, 37, 1],
  ['inner dim 1 (outer product)', 13, 1, 11],
  ['exact tiles', 8, 16, 12],
  ['rows past one packed block', 101, 9, 6],
  ['depth past one k slice', 5, 300, 7],
  ['everything past its block', 99, 260, 33],
  ['empty inner dim', 3, 0, 4],
];

describe('fastMatmul agrees with the reference kernel', () => {
  for (const T of [Float64Array, Float32Array]) {
    for (const [name, m, k, n] of shapes) {
      it(`${T.name} ${name} (${m}×${k}·${k}×${n}), all four transpose flags`, () => {
        for (const tA of [false, true]) for (const tB of [false, true]) agree(T, m, k, n, tA, tB, [0], [0]);
      });
    }
    it(`${T.name} batched: three distinct matrices on each side`, () => {
      agree(T, 6, 10, 5, false, false, [0, 1, 2], [0, 1, 2]);
      agree(T, 6, 10, 5, true, true, [0, 1, 2], [0, 1, 2]);
    });
    it(`${T.name} broadcast batch: one B reused by every A, and one A by every B`, () => {
      agree(T, 9, 4, 7, false, true, [0, 1, 2, 3], [0, 0, 0, 0]);
      agree(T, 9, 4, 7, true, false, [0, 0, 0], [0, 1, 2]);
    });
  }

  it('writes zeros when the inner dim is empty, and nothing when the output is empty', () => {
    const out = new Float64Array(6).fill(7);
    fastMatmul(new Float64Array(0), [0], false, new Float64Array(0), [0], false, 2, 0, 3, out);
    expect(Array.from(out)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(() =>
      fastMatmul(new Float64Array(0), [0], false, new Float64Array(6), [0], false, 0, 2, 3, new Float64Array(0)),
    ).not.toThrow();
  });

  it('propagates NaN and infinity as IEEE arithmetic does (0·∞ = NaN, as PyTorch)', () => {
    const out = new Float64Array(1);
    fastMatmul(new Float64Array([0, 1]), [0], false, new Float64Array([Infinity, 2]), [0], false, 1, 2, 1, out);
    expect(out[0]).toBeNaN();
    fastMatmul(new Float64Array([NaN, 1]), [0], false, new Float64Array([1, 2]), [0], false, 1, 2, 1, out);
    expect(out[0]).toBeNaN();
  });

  it('is the default kernel, and mm gives the worked-out product through it', () => {
    // The 'ts' backend's matmul; the default is the wasm set's where WebAssembly SIMD validates.
    expect(kernels().matmul).toBe(getBackend() === 'wasm' ? wasmKernels.matmul : fastKernels.matmul);
    // [[1,2,3],[4,5,6]]·[[7,8],[9,10],[11,12]] = [[58,64],[139,154]]
    const a = tensor([
        [1, 2, 3],
        [4, 5, 6],
      ]),
      b = tensor([
        [7, 8],
        [9, 10],
        [11, 12],
      ]);
    expect(mm(a, b).toArray()).toEqual([
      [58, 64],
      [139, 154],
    ]);
    expect(mm(b, a, true, true).toArray()).toEqual([
      [58, 139],
      [64, 154],
    ]); // (AB)ᵀ = BᵀAᵀ
  });
});
