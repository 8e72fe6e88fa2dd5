import type { Storage } from '../dtype.js';
import { referenceKernels } from './reference.js';
import type { CrossEntropyTarget, Kernels } from './types.js';

/*
 * Softmax and cross-entropy over rows (classes on the last axis, the common case: inner = 1).
 * Other layouts, class weights and label smoothing go to the reference kernels.
 *
 * The cost here is the exponential, so each kernel takes one per element, and a cheaper one:
 *   softmax:        eᵢ = exp(xᵢ − m) written out while summing, then one scaling pass;
 *   cross-entropy:  exp once in the forward, for Σe and log p = (x − m) − log Σe; the forward keeps only
 *                   m and Σe per row, and the backward, s·(p − onehot(y)), forms p = e/Σe again. A second
 *                   exp costs less than writing p out and reading it back: a [4096, 1000] p is 16 MB of
 *                   fresh memory per step.
 */

// exp(v) for v ≤ 0 (every argument here is x − max): v = −(64q + j)·ln2/64 + r with |r| ≤ ln2/128,
// so eᵛ = 2^(−q) · 2^(−j/64) · eʳ, two table entries and a degree-5 Taylor polynomial for eʳ
// (its remainder r⁶/720 < 4e-17). Within 2 ulp of Math.exp, about twice as fast: Math.exp is a
// call out of the compiled loop, this is inlined arithmetic.
const POW2 = Float64Array.from({ length: 1076 }, (_, q) => 2 ** -q); // 2^(−q), down to the last subnormal
const FRAC = Float64Array.from({ length: 64 }, (_, j) => 2 ** (-j / 64)); // 2^(−j/64)
const INV = 64 / Math.LN2;
// ln2/64, split so k·LN2_HI is exact
const LN2_HI = 6.9314718036912381649e-1 / 64,
  LN2_LO = 1.90821492927058770002e-10 / 64;

/**
 * eᵛ for v ≤ 0 (NaN gives NaN, below −745.2 gives 0, as Math.exp).
 * @example expNonPositive(-1); // 0.36787944117144233
 */
export function expNonPositive(v: number): number {
  if (v < -745.2) return 0; // e^v underflows (also v = −∞)
  const k = (-v * INV + 0.5) | 0; // round(−v·64/ln2); NaN gives 0 and stays NaN through r
  const r = v + k * LN2_HI + k * LN2_LO;
  return POW2[k >> 6]! * FRAC[k & 63]! * (1 + r * (1 + r * (0.5 + r * (1 / 6 + r * (1 / 24 + r * (1 / 120))))));
}

/**
 * Largest entry of x[o..o+n), or 0 when the row is all −∞ (so that x − m is −∞, not NaN), as the reference; a +∞ stays
 * (its row is NaN, as the reference's).
 */
function rowMax(x: Storage, o: number, n: number): number {
  let m = -Infinity;
  for (let j = 0; j < n; j++) {
    const v = x[o + j]!;
    if (v > m) m = v;
  }
  return m === -Infinity ? 0 : m;
}

export const fastSoftmax: Kernels['softmax'] = (x, outer, n, inner, log, out) => {
  if (inner !== 1) {
    referenceKernels.softmax(x, outer, n, inner, log, out);
    return;
  }
  for (let r = 0, o = 0; r < outer; r++, o += n) {
    const m = rowMax(x, o, n);
    let s = 0;
    if (log) {
      for (let j = 0; j < n; j++) s += expNonPositive(x[o + j]! - m);
      const lse = Math.log(s); // log softmax = (x − m) − log Σ e^(x−m), in that order: exact for huge x
      for (let j = 0; j < n; j++) out[o + j] = x[o + j]! - m - lse;
    } else {
      for (let j = 0; j < n; j++) {
        const e = expNonPositive(x[o + j]! - m);
        out[o + j] = e;
        s += e;
      }
      const inv = 1 / s;
      for (let j = 0; j < n; j++) out[o + j] = out[o + j]! * inv;
    }
  }
};

/** The fast path: rows of logits, one class index each, no weights, no smoothing. */
const plain = (t: CrossEntropyTarget, inner: number): boolean =>
  inner === 1 && t.index !== null && t.weight === null && t.smoothing === 0;

export const fastCrossEntropy: Kernels['crossEntropy'] = (x, outer, c, inner, t, logp, max, sum, loss, denom) => {
  if (!plain(t, inner)) {
    referenceKernels.crossEntropy(x, outer, c, inner, t, logp, max, sum, loss, denom);
    return;
  }
  const index = t.index!,
    single = x instanceof Float32Array;
  for (let r = 0, o = 0; r < outer; r++, o += c) {
    const m = rowMax(x, o, c);
    let s = 0;
    for (let j = 0; j < c; j++) s += expNonPositive(x[o + j]! - m);
    const lse = Math.log(s);
    if (logp) for (let j = 0; j < c; j++) logp[o + j] = x[o + j]! - m - lse;
    max[r] = m;
    sum[r] = s;
    const y = index[r]!;
    // −log p_y, as stored in x's type; an ignored row (negative index) has no loss and no share of the mean.
    if (y < 0) loss[r] = 0;
    else loss[r] = -(logp ? logp[o + y]! : single ? Math.fround(x[o + y]! - m - lse) : x[o + y]! - m - lse);
    denom[r] = y >= 0 ? 1 : 0;
  }
};

export const fastCrossEntropyBackward: Kernels['crossEntropyBackward'] = (
  x,
  max,
  sum,
  outer,
  c,
  inner,
  t,
  scale,
  out,
) => {
  if (!plain(t, inner)) {
    referenceKernels.crossEntropyBackward(x, max, sum, outer, c, inner, t, scale, out);
    return;
  }
  const index = t.index!,
    round = x instanceof Float32Array ? Math.fround : (v: number) => v;
  for (let r = 0, o = 0; r < outer; r++, o += c) {
    const s = scale[r]!,
      y = index[r]!;
    if (s === 0 || y < 0) {
      out.fill(0, o, o + c);
      continue;
    }
    const m = max[r]!,
      inv = 1 / sum[r]!;
    // ∂/∂x_k of −log softmax(x)_y = p_k − [k = y], p as the softmax kernel stores it
    for (let j = 0; j < c; j++) out[o + j] = s * round(expNonPositive(x[o + j]! - m) * inv);
    out[o + y] = out[o + y]! - s;
  }
};
