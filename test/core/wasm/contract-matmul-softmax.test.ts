// Every method of the kernel contract the wasm set overrides, against the reference
// kernels: at the shipped size limits with operands above them (what users run), and at limits 0 on the edge shape
// classes (odd sizes, one row, one column, k = 1, empty, every transpose, batched and broadcast-batched matmul, same
// shape / scalar / row / column broadcasts), float32 and float64, with NaN, ±0, ±∞ and subnormals in the data,
// outputs pre-filled with NaN so a missed or stray write shows. Where the call is one the wasm path covers, the
// TypeScript fallback is replaced by a throw (wasmOnly): the wasm kernel must have run. Tolerances (docs/backends.md):
//   bit for bit: add, sub, mul, div, neg, abs, sqrt, square, clamp, activation backward, bias gradient,
//     cross-entropy backward, the loss's denominators, SGD, Adam (correctly rounded, or float64 lanes rounded once)
//   exp: 2 ulp. softmax: 4 + |x − max| ulp in float32 (x − max formed in float32), 8 ulp in float64
//   log-softmax, loss: |Δ| ≤ tol·(1 + |ref|), tol 4e-7 (float32) / 2e-15 (float64), zeros of the same sign
//   matmul: |Δ| ≤ tol·Σ|a·b|, tol 2e-6 (float32: the wasm kernel accumulates in float32) / 1e-14 (float64)
// (Here: matmul, softmax, cross-entropy, the optimizer updates; contract-elementwise.test.ts has the rest.)
import { afterAll, describe, expect, it } from 'vitest';
import type { Storage } from '../../../packages/core/src/dtype.js';
import { referenceKernels } from '../../../packages/core/src/kernels/reference.js';
import type { AdamStep, CrossEntropyTarget, Kernels, SgdStep } from '../../../packages/core/src/kernels/types.js';
import { wasmKernels, wasmLimits } from '../../../packages/core/src/kernels/wasm/wasm-kernels.js';
import { CTORS, type Ctor, expectSame, rand, specials, wasmOnly, withValues } from './helpers.js';
import { MODES, type Mode, big, expectClose, expectUlps, nan, run, setLimits } from './contract-helpers.js';

const saved = { ...wasmLimits };
afterAll(() => Object.assign(wasmLimits, saved));

describe.each(MODES)('matmul, %s', (...mode) => {
  const shapes: [string, number, number, number][] = big(mode)
    ? [
        ['odd sizes', 37, 41, 29],
        ['one row', 1, 301, 53],
        ['one column', 53, 301, 1],
        ['k = 1', 83, 1, 71],
        ['tiles and blocks passed', 133, 260, 35],
      ]
    : [
        ['1×1·1×1', 1, 1, 1],
        ['odd sizes', 7, 5, 3],
        ['one row', 1, 9, 5],
        ['one column', 5, 9, 1],
        ['k = 1', 6, 1, 7],
      ];
  describe.each(CTORS)('%s', (_, T) => {
    function check(a: Storage, ao: number[], ta: boolean, b: Storage, bo: number[], tb: boolean, d: number[]): void {
      const [m, k, n] = d as [number, number, number];
      const got = nan(T, ao.length * m * n),
        want = new T(ao.length * m * n);
      run(m * k * n >= wasmLimits.matmul && m > 0 && n > 0, 'matmul', () =>
        wasmKernels.matmul(a, ao, ta, b, bo, tb, m, k, n, got),
      );
      referenceKernels.matmul(a, ao, ta, b, bo, tb, m, k, n, want);
      const bound = new T(want.length);
      referenceKernels.matmul(a.map(Math.abs) as Storage, ao, ta, b.map(Math.abs) as Storage, bo, tb, m, k, n, bound);
      const tol = T === Float32Array ? 2e-6 : 1e-14;
      for (let i = 0; i < want.length; i++) {
        const g = got[i]!,
          w = want[i]!;
        const ok = Number.isFinite(w)
          ? Math.abs(g - w) <= tol * bound[i]! + 1e-300
          : Object.is(g, w) || (g !== g && w !== w);
        if (!ok) expect.fail(`${d} ${ta}/${tb} [${ao}] [${bo}] at ${i}: got ${g}, want ${w}`);
      }
    }
    it.each(shapes)('%s, every transpose combination, plain and with specials', (_, m, k, n) => {
      setLimits(mode);
      for (const ta of [false, true])
        for (const tb of [false, true]) {
          check(rand(T, m * k, m + k), [0], ta, rand(T, k * n, n), [0], tb, [m, k, n]);
          check(withValues(T, m * k, specials(T), 1), [0], ta, withValues(T, k * n, specials(T), 2), [0], tb, [
            m,
            k,
            n,
          ]);
        }
    });
    // The second shape is narrower than a tile (n < 4): the product runs transposed, Cᵀ = op(B)ᵀ·op(A)ᵀ.
    it.each(
      big(mode)
        ? [
            [17, 23, 19],
            [17, 23, 3],
          ]
        : [[3, 2, 5]],
    )(
      'batched, broadcast-batched (offsets repeating on either side), offsets into a larger array, %i×%i×%i',
      (m, k, n) => {
        setLimits(mode);
        const a = rand(T, 3 * m * k + 5, 4),
          b = rand(T, 3 * k * n + 2, 5);
        for (const ta of [false, true])
          for (const tb of [false, true]) {
            check(a, [5, 5 + m * k, 5 + 2 * m * k], ta, b, [2, 2 + k * n, 2 + 2 * k * n], tb, [m, k, n]);
            check(a, [5, 5, 5], ta, b, [0, k * n, 2 * k * n], tb, [m, k, n]);
            check(a, [0, m * k, 2 * m * k], ta, b, [7, 7, 7], tb, [m, k, n]);
            check(a, [0, 0, m * k, m * k], ta, b, [0, k * n, 0, k * n], tb, [m, k, n]);
          }
      },
    );
    it('empty: m = 0, n = 0 and an empty batch write nothing; k = 0 writes zeros over everything', () => {
      setLimits(mode);
      const out = new T(6).fill(7);
      wasmKernels.matmul(new T(0), [0], false, new T(0), [0], false, 0, 3, 4, out);
      wasmKernels.matmul(new T(0), [0], false, new T(0), [0], false, 4, 3, 0, out);
      wasmKernels.matmul(new T(0), [], false, new T(0), [], false, 2, 3, 3, out);
      expect([...out]).toEqual([7, 7, 7, 7, 7, 7]);
      const [m, n] = big(mode) ? [70, 80] : [2, 3];
      check(new T(0), [0, 0], false, new T(0), [0, 0], true, [m, 0, n]);
    });
    it('mixed float32/float64 operands (the TypeScript kernel) give the reference result', () => {
      setLimits(mode);
      const U = T === Float32Array ? Float64Array : Float32Array;
      const [m, k, n] = big(mode) ? [20, 30, 10] : [2, 3, 2];
      const a = rand(T, m * k, 1),
        b = rand(U, k * n, 2);
      const got = nan(T, m * n),
        want = new T(m * n);
      wasmKernels.matmul(a, [0], false, b, [0], false, m, k, n, got);
      referenceKernels.matmul(a, [0], false, b, [0], false, m, k, n, want);
      expectClose(T, got, want, 'mixed');
    });
  });
});

/** Logits `rows` × c with special rows: all −∞, a +∞, a NaN, masked classes, ±1e4, ±1e30, subnormals and ±0. */
function logits(T: Ctor, rows: number, c: number, seed: number): Storage {
  const x = rand(T, rows * c, seed).map((v) => v * 6) as Storage;
  const row = (r: number, f: (j: number) => number): void => {
    if (r < rows) for (let j = 0; j < c; j++) x[r * c + j] = f(j);
  };
  row(1, () => -Infinity);
  row(2, (j) => (j === 0 ? Infinity : 0));
  row(3, (j) => (j === c - 1 ? NaN : j));
  row(4, (j) => (j % 2 ? -Infinity : j));
  row(5, (j) => (j % 2 ? 1e4 : -1e4));
  row(6, (j) => (j === 0 ? 1e30 : -1e30));
  row(7, (j) => (j % 2 ? (T === Float32Array ? 1e-40 : 5e-310) : -0));
  row(8, (j) => (j === 1 ? 40 : -40)); // one class certain: p_y = 1 to rounding, the gradient's p_y − 1 tiny
  return x;
}
/**
 * The softmax's ulp bound per element: float32 forms x − max in float32 (as PyTorch's float32 softmax), an error of
 * up to |x − max|/2 ulp in the exponent's argument, so 4 + |x − max| ulp; float64 forms it exactly, 8 ulp.
 */
function softmaxUlps(T: Ctor, x: Storage, rows: number, c: number): (i: number) => number {
  if (T === Float64Array) return () => 8;
  const max = Array.from({ length: rows }, (_, r) =>
    Math.max(...x.subarray(r * c, (r + 1) * c).filter((v) => v === v)),
  );
  return (i) => 4 + Math.abs(x[i]! - max[Math.floor(i / c)]!);
}

/** The cross-entropy backward's scale per row: 0, −0 (an all-zero row) and ordinary values. */
const scales = (rows: number): number[] =>
  Array.from({ length: rows }, (_, r) => (r === 0 ? 0 : r === 3 ? -0 : 1 / (rows + r)));

/** Rows × classes: above the limits, or the edge classes (one row, one class, odd, empty). */
const softShapes = (big: boolean): [number, number][] =>
  big
    ? [
        [9, 1000],
        [1, 203],
        [203, 1],
        [13, 17],
        [70, 2],
        [23, 3],
      ]
    : [
        [1, 1],
        [1, 7],
        [7, 1],
        [9, 5],
        [0, 5],
        [3, 0],
      ];

describe.each(MODES)('softmax and the fused cross-entropy, %s', (...mode) => {
  describe.each(CTORS)('%s', (_, T) => {
    it.each(softShapes(big(mode)))('softmax and log-softmax, %i × %i, special rows', (rows, c) => {
      setLimits(mode);
      const x = logits(T, rows, c, rows + c);
      for (const log of [false, true]) {
        const got = nan(T, rows * c),
          want = new T(rows * c);
        run(rows * c > 0, 'softmax', () => wasmKernels.softmax(x, rows, c, 1, log, got));
        referenceKernels.softmax(x, rows, c, 1, log, want);
        if (log) expectClose(T, got, want, 'log-softmax');
        else expectUlps(T, got, want, softmaxUlps(T, x, rows, c), 'softmax');
      }
      // Classes off the last axis: the TypeScript kernel, the reference's result.
      const got = nan(T, rows * c),
        want = new T(rows * c);
      wasmKernels.softmax(x, 1, rows, c, false, got);
      referenceKernels.softmax(x, 1, rows, c, false, want);
      expectUlps(T, got, want, 8, 'softmax, inner > 1');
    });
    it.each(softShapes(big(mode)))('cross-entropy forward and backward, %i × %i, ignored rows, scales', (rows, c) => {
      setLimits(mode);
      const x = logits(T, rows, c, 2 * rows + c);
      const index = Int32Array.from({ length: rows }, (_, r) =>
        r % 5 === 4 || c === 0 ? -100 : r === 8 ? 1 % c : (r * 7) % c,
      );
      const t: CrossEntropyTarget = { index, probs: null, weight: null, smoothing: 0 };
      const pass = (k: Kernels, S: Ctor) => {
        const logp = nan(T, rows * c),
          max = new Float64Array(rows).fill(NaN),
          sum = new Float64Array(rows).fill(NaN),
          loss = new Float64Array(rows).fill(NaN),
          denom = new Float64Array(rows).fill(NaN),
          scale = S.from(scales(rows)),
          grad = nan(T, rows * c);
        k.crossEntropy(x, rows, c, 1, t, logp, max, sum, loss, denom);
        k.crossEntropyBackward(x, max, sum, rows, c, 1, t, scale, grad);
        // Without logp (the caller keeps none): the same statistics and losses, bit for bit.
        const max2 = new Float64Array(rows).fill(NaN),
          sum2 = new Float64Array(rows).fill(NaN),
          loss2 = new Float64Array(rows).fill(NaN),
          denom2 = new Float64Array(rows).fill(NaN);
        k.crossEntropy(x, rows, c, 1, t, null, max2, sum2, loss2, denom2);
        expectSame(max2, max, 'max without logp');
        expectSame(sum2, sum, 'sum without logp');
        expectSame(loss2, loss, 'loss without logp');
        expectSame(denom2, denom, 'denom without logp');
        return { logp, max, sum, loss, denom, grad };
      };
      // The softmax the backward forms, as the wasm softmax kernel stores it.
      const p = nan(T, rows * c);
      run(rows * c > 0, 'softmax', () => wasmKernels.softmax(x, rows, c, 1, false, p));
      for (const S of [Float64Array, Float32Array] as Ctor[]) {
        const got = run(rows * c > 0, 'crossEntropy', () =>
          run(rows * c > 0, 'crossEntropyBackward', () => pass(wasmKernels, S)),
        );
        const want = pass(referenceKernels, S);
        expectClose(T, got.logp, want.logp, 'logp');
        expectSame(got.max, want.max, 'max');
        expectClose(T, got.sum, want.sum, 'Σ e^(x − max)');
        expectClose(T, got.loss, want.loss, 'loss');
        expectSame(got.denom, want.denom, 'denom');
        // The backward: s·(p − onehot) from that softmax, bit for bit (float64 products rounded once).
        const sc = S.from(scales(rows)),
          ref = new T(rows * c);
        for (let r = 0; r < rows; r++) {
          const y = index[r]!,
            s = sc[r]!;
          for (let k = 0; k < c; k++) ref[r * c + k] = s === 0 || y < 0 ? 0 : s * (p[r * c + k]! - +(k === y));
        }
        expectSame(got.grad, ref, `gradient, ${S.name} scale`);
        // And the reference's gradient, within the softmax's ulp bound on p (absolute, times |s|: p ≤ 1, and
        // s·(p_y − 1) has no relative bound near p_y = 1), plus the product's rounding.
        const ulp = softmaxUlps(T, x, rows, c),
          eps = T === Float32Array ? 2 ** -23 : 2 ** -52;
        for (let i = 0; i < ref.length; i++) {
          const g = got.grad[i]!,
            w = want.grad[i]!,
            tol = (ulp(i) + 2) * eps * Math.abs(sc[Math.floor(i / c)]!);
          if (!(Math.abs(g - w) <= tol) && !Object.is(g, w) && !(g !== g && w !== w))
            expect.fail(`gradient vs the reference at ${i}: got ${g}, want ${w}`);
        }
      }
    });
    it('class weights, smoothing, probability targets and classes off the last axis: the reference result', () => {
      setLimits(mode);
      const [rows, c] = big(mode) ? [30, 5] : [3, 2];
      const x = logits(T, rows, c, 9);
      const targets: CrossEntropyTarget[] = [
        {
          index: Int32Array.from({ length: rows }, (_, r) => r % c),
          probs: null,
          weight: T.from(Array.from({ length: c }, (_, k) => k + 0.5)),
          smoothing: 0,
        },
        { index: Int32Array.from({ length: rows }, (_, r) => r % c), probs: null, weight: null, smoothing: 0.1 },
        { index: null, probs: rand(T, rows * c, 4).map(Math.abs) as Storage, weight: null, smoothing: 0 },
      ];
      for (const t of targets) {
        const stats = () => ({ max: new Float64Array(rows), sum: new Float64Array(rows) });
        const a = { logp: nan(T, rows * c), ...stats(), loss: new Float64Array(rows), denom: new Float64Array(rows) };
        const b = { logp: new T(rows * c), ...stats(), loss: new Float64Array(rows), denom: new Float64Array(rows) };
        wasmKernels.crossEntropy(x, rows, c, 1, t, a.logp, a.max, a.sum, a.loss, a.denom);
        referenceKernels.crossEntropy(x, rows, c, 1, t, b.logp, b.max, b.sum, b.loss, b.denom);
        expectClose(T, a.loss, b.loss, 'loss');
        const noLogp = new Float64Array(rows),
          st = stats();
        wasmKernels.crossEntropy(x, rows, c, 1, t, null, st.max, st.sum, noLogp, new Float64Array(rows));
        expectSame(noLogp, a.loss, 'loss without logp');
        const s = Float64Array.from({ length: rows }, () => 0.5),
          g1 = nan(T, rows * c),
          g2 = new T(rows * c);
        wasmKernels.crossEntropyBackward(x, b.max, b.sum, rows, c, 1, t, s, g1);
        referenceKernels.crossEntropyBackward(x, b.max, b.sum, rows, c, 1, t, s, g2);
        expectClose(T, g1, g2, 'gradient');
      }
    });
  });
});

describe.each(MODES)('optimizer updates, %s', (...mode) => {
  describe.each(CTORS)('%s', (_, T) => {
    const len = (m: Mode): number => (big(m) ? 1001 : 3);
    const sgd: SgdStep[] = [
      { lr: 0.1, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, first: true },
      { lr: 0.05, momentum: 0, dampening: 0, weightDecay: 0.01, nesterov: false, first: false },
      { lr: 0.1, momentum: 0.9, dampening: 0, weightDecay: 0, nesterov: false, first: true },
      { lr: 0.1, momentum: 0.9, dampening: 0, weightDecay: 0, nesterov: false, first: false },
      { lr: 0.1, momentum: 0.9, dampening: 0.1, weightDecay: 1e-4, nesterov: false, first: false },
      { lr: 0.01, momentum: 0.8, dampening: 0, weightDecay: 0.1, nesterov: true, first: true },
      { lr: 0.01, momentum: 0.8, dampening: 0, weightDecay: 0.1, nesterov: true, first: false },
    ];
    it.each(sgd)('sgdUpdate %j, bit for bit', (o) => {
      setLimits(mode);
      const n = len(mode);
      for (const [g, p0] of [
        [rand(T, n, 2), rand(T, n, 1)],
        [withValues(T, n, specials(T), 5), withValues(T, n, specials(T).reverse(), 8)],
      ] as const) {
        const b0 = rand(T, n, 3);
        const [p1, b1, p2, b2] = [p0.slice(), b0.slice(), p0.slice(), b0.slice()];
        wasmOnly('sgdUpdate', () => wasmKernels.sgdUpdate(p1, g, o.momentum ? b1 : null, o));
        referenceKernels.sgdUpdate(p2, g, o.momentum ? b2 : null, o);
        expectSame(p1, p2, 'parameter');
        expectSame(b1, b2, 'momentum buffer');
      }
    });
    const adam: [string, AdamStep, boolean][] = [
      [
        'Adam',
        { stepSize: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, bc2Sqrt: Math.sqrt(0.001), l2: 0, decay: 1 },
        false,
      ],
      [
        'Adam, weight decay (L2)',
        { stepSize: 0.01, beta1: 0.8, beta2: 0.99, eps: 1e-6, bc2Sqrt: 0.5, l2: 0.01, decay: 1 },
        false,
      ],
      ['AdamW', { stepSize: 0.002, beta1: 0.9, beta2: 0.999, eps: 1e-8, bc2Sqrt: 0.3, l2: 0, decay: 1 - 1e-5 }, false],
      ['AMSGrad', { stepSize: 0.001, beta1: 0.9, beta2: 0.999, eps: 1e-8, bc2Sqrt: 0.9, l2: 0, decay: 1 }, true],
      [
        'AdamW, AMSGrad',
        { stepSize: 0.001, beta1: 0.5, beta2: 0.9, eps: 1e-3, bc2Sqrt: 0.9, l2: 0, decay: 0.99 },
        true,
      ],
    ];
    it.each(adam)('adamUpdate, %s, bit for bit', (_, o, ams) => {
      setLimits(mode);
      const n = len(mode);
      for (const g of [rand(T, n, 2), withValues(T, n, specials(T), 6)]) {
        const p = withValues(T, n, specials(T).reverse(), 1),
          m = rand(T, n, 3),
          v = rand(T, n, 4).map(Math.abs) as Storage,
          vm = rand(T, n, 7).map(Math.abs) as Storage;
        const a = [p.slice(), m.slice(), v.slice(), vm.slice()] as const,
          r = [p.slice(), m.slice(), v.slice(), vm.slice()] as const;
        wasmOnly('adamUpdate', () => wasmKernels.adamUpdate(a[0], g, a[1], a[2], ams ? a[3] : null, o));
        referenceKernels.adamUpdate(r[0], g, r[1], r[2], ams ? r[3] : null, o);
        ['parameter', 'first moment', 'second moment', 'max second moment'].forEach((what, i) =>
          expectSame(a[i]!, r[i]!, what),
        );
      }
    });
  });
});
