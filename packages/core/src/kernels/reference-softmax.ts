import type { Storage } from '../dtype.js';
import { targetMass, targetTotal } from './target.js';
import type { Kernels } from './types.js';

/* Reference softmax, log-softmax and the fused cross-entropy: per position of [outer, n, inner], the max taken
   first so that no exponent overflows; the cross-entropy keeps each position's max and Σ e^(x − max), from which
   its backward forms the softmax again. */

/**
 * The reference softmax and cross-entropy kernels, spread into referenceKernels.
 * @example referenceSoftmaxKernels.softmax(x, 1, 3, 1, false, out); // out = softmax of the 3 values of x
 */
export const referenceSoftmaxKernels: Pick<Kernels, 'softmax' | 'crossEntropy' | 'crossEntropyBackward'> = {
  softmax(x, outer, n, inner, log, out) {
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        const base = o * n * inner + i;
        let max = -Infinity;
        for (let j = 0; j < n; j++) {
          const v = x[base + j * inner]!;
          if (v > max) max = v;
        }
        if (max === -Infinity || max === Infinity) max = max === Infinity ? max : 0;
        let sum = 0;
        for (let j = 0; j < n; j++) sum += Math.exp(x[base + j * inner]! - max);
        if (log) {
          const lse = Math.log(sum);
          for (let j = 0; j < n; j++) out[base + j * inner] = x[base + j * inner]! - max - lse;
        } else {
          const inv = 1 / sum;
          for (let j = 0; j < n; j++) out[base + j * inner] = Math.exp(x[base + j * inner]! - max) * inv;
        }
      }
    }
  },

  crossEntropy(x, outer, c, inner, t, logpOut, max, sum, loss, denom) {
    // Without a logp to write, a scratch of x's type: the loss reads the same rounded values either way.
    const logp = logpOut ?? new (x.constructor as new (n: number) => Storage)(x.length);
    referenceSoftmaxKernels.softmax(x, outer, c, inner, true, logp);
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        const p = o * inner + i,
          base = o * c * inner + i,
          y = t.index ? t.index[p]! : 0;
        [max[p], sum[p]] = softmaxStats(x, base, c, inner);
        let l = 0;
        for (let k = 0; k < c; k++) {
          const tk = targetMass(t, c, inner, base, k, y);
          // Terms whose target mass is 0 are skipped: 0 · log 0 = 0, so a masked (−∞) class costs nothing.
          if (tk !== 0) l -= tk * logp[base + k * inner]!;
        }
        loss[p] = l;
        denom[p] = !t.index ? 1 : y < 0 ? 0 : t.weight ? t.weight[y]! : 1;
      }
    }
  },

  crossEntropyBackward(x, max, sum, outer, c, inner, t, scale, out) {
    const round = x instanceof Float32Array ? Math.fround : (v: number) => v;
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        const p = o * inner + i,
          base = o * c * inner + i,
          s = scale[p]!,
          y = t.index ? t.index[p]! : 0;
        if (s === 0 || y < 0) {
          for (let k = 0; k < c; k++) out[base + k * inner] = 0;
          continue;
        }
        // ∂/∂x_k of −Σ t̃ log softmax(x) = (Σ t̃)·p_k − t̃_k, p as the softmax kernel forms and stores it
        const total = targetTotal(t, c, inner, base, y),
          m = max[p]!,
          inv = 1 / sum[p]!;
        for (let k = 0; k < c; k++) {
          const q = base + k * inner;
          out[q] = s * (total * round(Math.exp(x[q]! - m) * inv) - targetMass(t, c, inner, base, k, y));
        }
      }
    }
  },
};

/** [m, Σ_k e^(x_k − m)] over the classes of one position, m its max as the softmax kernel takes it. */
function softmaxStats(x: Storage, base: number, c: number, inner: number): [number, number] {
  let m = -Infinity;
  for (let k = 0; k < c; k++) {
    const v = x[base + k * inner]!;
    if (v > m) m = v;
  }
  if (m === -Infinity) m = 0;
  let s = 0;
  for (let k = 0; k < c; k++) s += Math.exp(x[base + k * inner]! - m);
  return [m, s];
}
