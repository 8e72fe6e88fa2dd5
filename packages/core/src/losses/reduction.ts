import { div, mul } from '../ops/elementwise.js';
import { sum } from '../ops/reduce.js';
import { type Tensor, record } from '../tensor.js';

/**
 * Reduces per-element losses (a tensor outside the graph) and records one node whose backward is
 * g·(∂(reduction)/∂element)·local, `local` giving ∂element/∂input per input as differentiable
 * tensor ops (null for no gradient). 'batchmean' divides the sum by the size of dim 0; a mean over nothing is 0.
 * @example reduceLoss('mseLoss', [x], squares, 'mean', () => [mul(diff, 2)]); // mean of (x − t)², gradient 2(x − t)/n
 */
export function reduceLoss(
  op: string,
  inputs: readonly Tensor[],
  elems: Tensor,
  reduction: 'mean' | 'sum' | 'none' | 'batchmean',
  local: () => readonly (Tensor | null)[],
): Tensor {
  const n =
    reduction === 'mean' ? elems.size : reduction === 'batchmean' ? (elems.ndim === 0 ? 1 : elems.shape[0]!) : 1;
  // A mean over no elements is 0 (PyTorch: NaN, 0/0), as crossEntropy's zero denominator: no silent NaN.
  const out = reduction === 'none' ? elems : n === 0 ? mul(sum(elems), 0) : div(sum(elems), n);
  return record(op, inputs, out, (g) => {
    const scale = reduction === 'none' ? g : n === 0 ? mul(g, 0) : div(g, n); // ∂(Σ/n)/∂element = 1/n
    return local().map((d) => (d === null ? null : mul(scale, d)));
  });
}
