import type { CrossEntropyTarget } from './types.js';

/* The one definition of the smoothed, weighted cross-entropy target t̃, used by the reference
   kernels (forward and backward) and by the crossEntropy op (its differentiable form). */

/**
 * t̃_k at one position (see CrossEntropyTarget): for a class index y (negative: ignored, all 0)
 *   t̃_k = (1 − ε)·w_y·[k = y] + (ε/c)·w_k,   for probabilities T (at `base + k·inner`) t̃_k = w_k·((1 − ε)·T_k + ε/c).
 * @example targetMass({ index, probs: null, weight: null, smoothing: 0.1 }, 3, 1, 0, 0, 2); // 0.1/3 for k ≠ y
 */
export function targetMass(
  t: CrossEntropyTarget,
  c: number,
  inner: number,
  base: number,
  k: number,
  y: number,
): number {
  const wk = t.weight ? t.weight[k]! : 1,
    u = t.smoothing / c;
  if (t.index) return y < 0 ? 0 : u * wk + (k === y ? (1 - t.smoothing) * wk : 0);
  return wk * ((1 - t.smoothing) * t.probs![base + k * inner]! + u);
}

/**
 * Σ_k t̃_k at one position (the factor of the softmax in the gradient (Σ t̃)·p − t̃).
 * @example targetTotal(t, 3, 1, 0, 2); // 1 with no weights and a class index
 */
export function targetTotal(t: CrossEntropyTarget, c: number, inner: number, base: number, y: number): number {
  let s = 0;
  for (let k = 0; k < c; k++) s += targetMass(t, c, inner, base, k, y);
  return s;
}
