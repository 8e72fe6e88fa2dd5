// The wasm GEMM against the reference kernel: every shape class, transpose and batch; specials; memory.grow.
// Tolerance: |wasm − ref| ≤ tol·Σ_p |A(i,p)·B(p,j)| + tiny, tol = 2e-6 in float32 (the wasm kernel accumulates in
// float32, the reference in float64) and 1e-14 in float64; NaN and ±∞ exactly where the reference has them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Storage } from '../../../packages/core/src/dtype.js';
import { referenceKernels } from '../../../packages/core/src/kernels/reference.js';
import { arena, wasm } from '../../../packages/core/src/kernels/wasm/instance.js';
import { wasmKernels, wasmLimits } from '../../../packages/core/src/kernels/wasm/wasm-kernels.js';
import { CTORS, type Ctor, rand, specials, wasmOnly, withValues } from './helpers.js';

const saved = { ...wasmLimits };
beforeAll(() => Object.assign(wasmLimits, { min: 0, matmul: 0 }));
afterAll(() => Object.assign(wasmLimits, saved));

function check(T: Ctor, a: Storage, ao: number[], ta: boolean, b: Storage, bo: number[], tb: boolean, dims: number[]) {
  const [m, k, n] = dims as [number, number, number];
  const got = new T(ao.length * m * n).fill(NaN), // NaN: a position the kernel forgets to write shows
    want = new T(ao.length * m * n);
  wasmOnly('matmul', () => wasmKernels.matmul(a, ao, ta, b, bo, tb, m, k, n, got));
  referenceKernels.matmul(a, ao, ta, b, bo, tb, m, k, n, want);
  const absA = a.map(Math.abs) as Storage,
    absB = b.map(Math.abs) as Storage,
    bound = new T(want.length);
  referenceKernels.matmul(absA, ao, ta, absB, bo, tb, m, k, n, bound);
  const tol = T === Float32Array ? 2e-6 : 1e-14;
  for (let i = 0; i < want.length; i++) {
    const g = got[i]!,
      w = want[i]!;
    if (Number.isNaN(w) || !Number.isFinite(w)) {
      if (!Object.is(g, w) && !(Number.isNaN(g) && Number.isNaN(w)))
        expect.fail(`${T.name} ${dims} ${ta}/${tb} at ${i}: got ${g}, want ${w}`);
    } else if (!(Math.abs(g - w) <= tol * bound[i]! + 1e-300))
      expect.fail(`${T.name} ${dims} ${ta}/${tb} at ${i}: got ${g}, want ${w} (bound ${bound[i]})`);
  }
}

const SHAPES: [string, number, number, number][] = [
  ['1×1·1×1', 1, 1, 1],
  ['odd sizes', 7, 5, 3],
  ['one row', 1, 37, 29],
  ['one column', 29, 37, 1],
  ['k = 1 (outer product)', 13, 1, 11],
  ['whole tiles', 8, 16, 16],
  ['rows past one packed block (MC = 128)', 131, 9, 6],
  ['depth past one k slice (KC = 256)', 5, 300, 7],
  ['columns past one packed panel (NC = 1024)', 6, 3, 1030],
  ['everything past its block', 133, 260, 35],
];

describe.each(CTORS)('wasm matmul, %s', (_, T) => {
  for (const [name, m, k, n] of SHAPES) {
    it(`${name} (${m}×${k}·${k}×${n}), all four transpose flags`, () => {
      for (const ta of [false, true])
        for (const tb of [false, true]) check(T, rand(T, m * k, m + k), [0], ta, rand(T, k * n, n), [0], tb, [m, k, n]);
    });
  }
  it('batched, with a broadcast operand (offsets repeating) and offsets into a larger array', () => {
    const [m, k, n] = [9, 11, 10];
    const a = rand(T, 3 * m * k + 5, 4),
      b = rand(T, 2 * k * n, 5);
    check(T, a, [5, 5 + m * k, 5 + 2 * m * k], false, b, [0, 0, k * n], true, [m, k, n]);
    check(T, a, [5, 5, 5], true, b, [k * n, 0, k * n], false, [m, k, n]);
  });
  // A product narrower than a tile runs as Cᵀ = op(B)ᵀ·op(A)ᵀ: each sum has the same products in the same order
  // as in the direct call, so it equals, bit for bit, those columns of the product with B padded by zero columns.
  it('a narrow product (run transposed) is bit-identical to the same columns of a wide one', () => {
    const [m, k] = [37, 300],
      wide = T === Float32Array ? 8 : 4;
    for (let n = 1; n < wide; n++)
      for (const ta of [false, true]) {
        const a = rand(T, m * k, n),
          b = rand(T, k * n, n + 1);
        const padded = new T(k * wide); // B with zero columns up to a whole tile, row-major
        for (let p = 0; p < k; p++) for (let j = 0; j < n; j++) padded[p * wide + j] = b[p * n + j]!;
        const narrow = new T(m * n),
          full = new T(m * wide);
        wasmOnly('matmul', () => wasmKernels.matmul(a, [0], ta, b, [0], false, m, k, n, narrow));
        wasmOnly('matmul', () => wasmKernels.matmul(a, [0], ta, padded, [0], false, m, k, wide, full));
        for (let i = 0; i < m; i++)
          for (let j = 0; j < n; j++)
            if (!Object.is(narrow[i * n + j], full[i * wide + j]))
              expect.fail(`n = ${n}, transA ${ta}: (${i}, ${j}) ${narrow[i * n + j]} ≠ ${full[i * wide + j]}`);
      }
  });
  it('empty: m = 0 and n = 0 write nothing, k = 0 writes zeros', () => {
    const out = new T(4).fill(7);
    wasmKernels.matmul(new T(0), [0], false, new T(0), [0], false, 0, 3, 4, out);
    wasmKernels.matmul(new T(0), [0], false, new T(0), [0], false, 4, 3, 0, out);
    expect([...out]).toEqual([7, 7, 7, 7]);
    const z = new T(6).fill(NaN);
    wasmKernels.matmul(new T(0), [0], false, new T(0), [0], false, 2, 0, 3, z);
    expect([...z]).toEqual([0, 0, 0, 0, 0, 0]);
  });
  it('NaN, ±0, ±∞ and subnormals propagate as in the reference', () => {
    const [m, k, n] = [6, 10, 9];
    for (const ta of [false, true])
      for (const tb of [false, true])
        check(T, withValues(T, m * k, specials(T), 1), [0], ta, withValues(T, k * n, specials(T), 2), [0], tb, [
          m,
          k,
          n,
        ]);
  });
});

describe('wasm memory', () => {
  it('grows for a large product and stays right afterwards (views re-created)', () => {
    const small = (): void =>
      check(Float32Array, rand(Float32Array, 48, 1), [0], false, rand(Float32Array, 48, 2), [0], false, [6, 8, 6]);
    small();
    const before = arena.size();
    const n = 700; // 3 × 700² float64 ≈ 11.8 MB plus scratch: more than the module had
    check(Float64Array, rand(Float64Array, n * n, 3), [0], false, rand(Float64Array, n * 4, 4), [0], false, [n, n, 4]);
    expect(arena.size()).toBeGreaterThan(before);
    small();
    check(Float64Array, rand(Float64Array, 64, 5), [0], true, rand(Float64Array, 64, 6), [0], false, [8, 8, 8]);
    expect(wasm()).not.toBeNull();
  });
});
