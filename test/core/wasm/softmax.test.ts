// The wasm softmax, log-softmax and fused cross-entropy against the reference kernels: odd class counts, one
// row, one class, ignored rows, special rows (all −∞, a +∞, a NaN, masked −∞ classes, logits of ±1e4 and 1e30).
// Tolerance: |wasm − ref| ≤ tol·(1 + |ref|), tol = 4e-7 in float32 (a few ulp: exp within 2 ulp, float32 storage)
// and 2e-15 in float64; NaN and ±∞ exactly where the reference has them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Storage } from '../../../packages/core/src/dtype.js';
import { referenceKernels } from '../../../packages/core/src/kernels/reference.js';
import type { CrossEntropyTarget } from '../../../packages/core/src/kernels/types.js';
import { wasmKernels, wasmLimits } from '../../../packages/core/src/kernels/wasm/wasm-kernels.js';
import { CTORS, type Ctor, rand, ulps, wasmOnly } from './helpers.js';

const saved = { ...wasmLimits };
beforeAll(() => Object.assign(wasmLimits, { min: 0, matmul: 0 }));
afterAll(() => Object.assign(wasmLimits, saved));

function close(T: Ctor, got: ArrayLike<number>, want: ArrayLike<number>, what: string): void {
  const tol = T === Float32Array ? 4e-7 : 2e-15;
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const g = got[i]!,
      w = want[i]!;
    const ok = Number.isFinite(w)
      ? Math.abs(g - w) <= tol * (1 + Math.abs(w))
      : Object.is(g, w) || (g !== g && w !== w);
    if (!ok) expect.fail(`${what}: at ${i} got ${g}, want ${w}`);
  }
}

/** Logits of `rows` × c with special rows mixed in. */
function logits(T: Ctor, rows: number, c: number, seed: number): Storage {
  const x = rand(T, rows * c, seed).map((v) => v * 6) as Storage;
  const row = (r: number, f: (j: number) => number): void => {
    if (r < rows) for (let j = 0; j < c; j++) x[r * c + j] = f(j);
  };
  row(1, () => -Infinity); // all masked
  row(2, (j) => (j === 0 ? Infinity : 0)); // a +∞: NaN row, as the reference
  row(3, (j) => (j === c - 1 ? NaN : j)); // a NaN entry
  row(4, (j) => (j % 2 ? -Infinity : j)); // masked classes
  row(5, (j) => (j % 2 ? 1e4 : -1e4)); // large logits
  row(6, (j) => (j === 0 ? 1e30 : -1e30));
  return x;
}

const SHAPES: [number, number][] = [
  [9, 1000],
  [8, 7],
  [1, 13],
  [7, 1],
  [12, 4],
  [10, 3],
];

describe.each(CTORS)('wasm softmax and cross-entropy, %s', (_, T) => {
  it('its exponential (for x − max ≤ 0) within 2 ulp down to the subnormals, 0 below them', () => {
    // A row [x, 0] with 1 + e^x rounding to 1 has p₀ = e^x itself: the softmax exp, bare.
    const [lo, hi] = T === Float32Array ? [-104, -17.5] : [-746, -37.5];
    const n = 20001;
    const x = new T(2 * n),
      got = new T(2 * n);
    for (let i = 0; i < n; i++) x[2 * i] = lo + ((hi - lo) * i) / (n - 1);
    wasmOnly('softmax', () => wasmKernels.softmax(x, n, 2, 1, false, got));
    let worst = 0,
      subnormals = 0;
    for (let i = 0; i < n; i++) {
      const want = T === Float32Array ? Math.fround(Math.exp(x[2 * i]!)) : Math.exp(x[2 * i]!);
      worst = Math.max(worst, ulps(T, got[2 * i]!, want));
      if (want !== 0 && want < (T === Float32Array ? 2 ** -126 : 2 ** -1022)) subnormals++;
    }
    expect(subnormals).toBeGreaterThan(1000);
    expect(worst).toBeLessThanOrEqual(2);
  });
  for (const [rows, c] of SHAPES) {
    it(`softmax and log-softmax, ${rows}×${c}`, () => {
      const x = logits(T, rows, c, rows + c);
      for (const log of [false, true]) {
        const got = new T(rows * c),
          want = new T(rows * c);
        wasmOnly('softmax', () => wasmKernels.softmax(x, rows, c, 1, log, got));
        referenceKernels.softmax(x, rows, c, 1, log, want);
        close(T, got, want, `${log ? 'log-' : ''}softmax`);
      }
    });
    it(`cross-entropy forward and backward, ${rows}×${c}, one ignored row`, () => {
      const x = logits(T, rows, c, 2 * rows + c);
      const index = Int32Array.from({ length: rows }, (_, r) => (r === rows - 1 && rows > 1 ? -100 : (r * 7) % c));
      const t: CrossEntropyTarget = { index, probs: null, weight: null, smoothing: 0 };
      const run = (k: typeof wasmKernels) => {
        const logp = new T(rows * c),
          max = new Float64Array(rows),
          sum = new Float64Array(rows),
          loss = new Float64Array(rows),
          denom = new Float64Array(rows),
          scale = Float64Array.from({ length: rows }, (_, r) => (r === 0 ? 0 : 1 / rows + r)),
          grad = new T(rows * c);
        k.crossEntropy(x, rows, c, 1, t, logp, max, sum, loss, denom);
        k.crossEntropyBackward(x, max, sum, rows, c, 1, t, scale, grad);
        return { logp, max, sum, loss, denom, grad };
      };
      const got = wasmOnly('crossEntropy', () => wasmOnly('crossEntropyBackward', () => run(wasmKernels)));
      const want = run(referenceKernels);
      close(T, got.logp, want.logp, 'logp');
      expect([...got.max]).toEqual([...want.max]);
      close(T, got.sum, want.sum, 'Σ e^(x − max)');
      close(T, got.loss, want.loss, 'loss');
      expect([...got.denom]).toEqual([...want.denom]);
      close(T, got.grad, want.grad, 'gradient');
    });
  }
  it('class weights, smoothing and probability targets go to the TypeScript kernels with the same results', () => {
    const x = logits(T, 6, 5, 9),
      w = T.from([1, 2, 0.5, 1, 3]);
    const t: CrossEntropyTarget = {
      index: Int32Array.from([0, 1, 2, 3, 4, 0]),
      probs: null,
      weight: w,
      smoothing: 0.1,
    };
    const make = () => ({
      logp: new T(30),
      max: new Float64Array(6),
      sum: new Float64Array(6),
      loss: new Float64Array(6),
      denom: new Float64Array(6),
    });
    const a = make(),
      b = make();
    wasmKernels.crossEntropy(x, 6, 5, 1, t, a.logp, a.max, a.sum, a.loss, a.denom);
    referenceKernels.crossEntropy(x, 6, 5, 1, t, b.logp, b.max, b.sum, b.loss, b.denom);
    close(T, a.loss, b.loss, 'weighted, smoothed loss');
  });
});
