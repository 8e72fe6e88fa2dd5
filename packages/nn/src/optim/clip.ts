import { Tensor } from '@xent/core';
import { quote } from '../validate.js';

/**
 * Scales all gradients together, in place, so that their joint L2 norm is at most maxNorm
 * (PyTorch's clip_grad_norm_: coefficient maxNorm / (norm + 1e-6), clamped to 1). Returns the norm
 * before clipping. Parameters without a gradient are skipped. A NaN norm is returned and the
 * gradients are left as they are (PyTorch would scale them by NaN).
 * @example const norm = clipGradNorm(model.parameters(), 1.0);
 */
export function clipGradNorm(parameters: Iterable<Tensor>, maxNorm: number, normType = 2): number {
  if (typeof maxNorm !== 'number' || !(maxNorm >= 0))
    throw new RangeError(`clipGradNorm: maxNorm must be a non-negative number, got ${quote(maxNorm)}`);
  if (typeof normType !== 'number' || !(normType > 0))
    throw new RangeError(`clipGradNorm: normType must be positive (or Infinity), got ${quote(normType)}`);
  if (parameters === null || typeof (parameters as { [Symbol.iterator]?: unknown })?.[Symbol.iterator] !== 'function')
    throw new TypeError(`clipGradNorm: parameters must be an iterable of Tensors, got ${quote(parameters)}`);
  const grads: (Float32Array | Float64Array)[] = [],
    owners: Tensor[] = [];
  let i = 0;
  for (const p of parameters) {
    if (!(p instanceof Tensor)) throw new TypeError(`clipGradNorm: parameter ${i} is ${quote(p)}, not a Tensor`);
    if (p.grad) {
      grads.push(p.grad.data);
      owners.push(p.grad);
    }
    i++;
  }
  let total = 0;
  if (normType === Infinity) {
    for (const g of grads)
      for (let i = 0; i < g.length; i++) {
        const a = Math.abs(g[i]!);
        if (a > total || a !== a) total = a;
      }
  } else {
    for (const g of grads) for (let i = 0; i < g.length; i++) total += Math.abs(g[i]!) ** normType;
    total = total ** (1 / normType);
  }
  const coef = maxNorm / (total + 1e-6);
  if (coef < 1) {
    for (const g of grads) for (let i = 0; i < g.length; i++) g[i] = g[i]! * coef;
    for (const g of owners) g._bumpVersion();
  }
  return total;
}
