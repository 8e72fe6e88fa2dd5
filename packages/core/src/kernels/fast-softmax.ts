import type { Storage } from '../dtype.js';
import { referenceKernels } from './reference.js';
import type { CrossEntropyTarget, Kernels } from './types.js';

/*
 * Softmax and cross-entropy over rows (classes on the last axis, the common case: inner = 1).
 * Other layouts, class weights and label smoothing go to the reference kernels.
 *
 * The cost here is Math.exp, so each kernel calls it once per element:
 *   softmax:        eᵢ = exp(xᵢ − m) written out while summing, then one scaling pass;
 *   cross-entropy:  exp once in the forward, where the probabilities pᵢ = eᵢ/Σe are kept (weakly,
 *                   keyed by the log-probability array they belong to) so that the backward,
 *                   s·(p − onehot(y)), needs no exp at all. Without them (another kernel wrote
 *                   logp) the backward recomputes p = exp(logp).
 */

/** Probabilities from the forward, for the backward of the same call; freed with the logp array. */
const kept = new WeakMap<Storage, Storage>();

/** Largest entry of x[o..o+n); 0 when the row is all −∞ (or holds +∞), as the reference. */
function rowMax(x: Storage, o: number, n: number): number {
  let m = -Infinity;
  for (let j = 0; j < n; j++) { const v = x[o + j]!; if (v > m) m = v; }
  return m === -Infinity ? 0 : m;
}

export const fastSoftmax: Kernels['softmax'] = (x, outer, n, inner, log, out) => {
  if (inner !== 1) { referenceKernels.softmax(x, outer, n, inner, log, out); return; }
  for (let r = 0, o = 0; r < outer; r++, o += n) {
    const m = rowMax(x, o, n);
    let s = 0;
    if (log) {
      for (let j = 0; j < n; j++) s += Math.exp(x[o + j]! - m);
      const lse = Math.log(s); // log softmax = (x − m) − log Σ e^(x−m), in that order: exact for huge x
      for (let j = 0; j < n; j++) out[o + j] = x[o + j]! - m - lse;
    } else {
      for (let j = 0; j < n; j++) { const e = Math.exp(x[o + j]! - m); out[o + j] = e; s += e; }
      const inv = 1 / s;
      for (let j = 0; j < n; j++) out[o + j] = out[o + j]! * inv;
    }
  }
};

/** The fast path: rows of logits, one class index each, no weights, no smoothing. */
const plain = (t: CrossEntropyTarget, inner: number): boolean => inner === 1 && t.index !== null && t.weight === null && t.smoothing === 0;

export const fastCrossEntropy: Kernels['crossEntropy'] = (x, outer, c, inner, t, logp, loss, denom) => {
  if (!plain(t, inner)) { referenceKernels.crossEntropy(x, outer, c, inner, t, logp, loss, denom); return; }
  const index = t.index!;
  const probs = x instanceof Float32Array ? new Float32Array(x.length) : new Float64Array(x.length);
  for (let r = 0, o = 0; r < outer; r++, o += c) {
    const m = rowMax(x, o, c);
    let s = 0;
    for (let j = 0; j < c; j++) { const e = Math.exp(x[o + j]! - m); probs[o + j] = e; s += e; }
    const lse = Math.log(s), inv = 1 / s;
    for (let j = 0; j < c; j++) { logp[o + j] = x[o + j]! - m - lse; probs[o + j] = probs[o + j]! * inv; }
    const y = index[r]!;
    // −log p_y; an ignored row (negative index) has no loss and no share of the mean.
    loss[r] = y >= 0 ? -logp[o + y]! : 0;
    denom[r] = y >= 0 ? 1 : 0;
  }
  kept.set(logp, probs);
};

export const fastCrossEntropyBackward: Kernels['crossEntropyBackward'] = (logp, outer, c, inner, t, scale, out) => {
  if (!plain(t, inner)) { referenceKernels.crossEntropyBackward(logp, outer, c, inner, t, scale, out); return; }
  const index = t.index!, probs = kept.get(logp);
  for (let r = 0, o = 0; r < outer; r++, o += c) {
    const s = scale[r]!, y = index[r]!;
    if (s === 0 || y < 0) { out.fill(0, o, o + c); continue; }
    // ∂/∂x_k of −log softmax(x)_y = p_k − [k = y]
    if (probs) for (let j = 0; j < c; j++) out[o + j] = s * probs[o + j]!;
    else for (let j = 0; j < c; j++) out[o + j] = s * Math.exp(logp[o + j]!);
    out[o + y] = out[o + y]! - s;
  }
};
