import { alloc } from '../dtype.js';
import { div } from '../ops/elementwise.js';
import { expand } from '../ops/shape.js';
import { record } from '../record.js';
import { Tensor } from '../tensor.js';
import { checkReduction } from './targets.js';

/**
 * The one reduction of every loss, a recorded op: the per-element losses `elems` (a graph node of
 * their own) reduced to their 'sum', their 'mean' (Σ / `den`, `den` defaulting to the number of
 * elements; crossEntropy and nllLoss pass Σ w_y), 'batchmean' (Σ / size of dim 0) or kept ('none').
 * A mean over nothing (den = 0) is 0 with a zero gradient (PyTorch: NaN, 0/0): never a silent NaN.
 * The sum is accumulated in float64 and rounded once to the dtype of `elems`.
 * @example reduceLoss(record('mseLoss', [x, t], squares, vjp), 'mean'); // (1/n) Σ (x − t)²
 */
export function reduceLoss(elems: Tensor, reduction: 'mean' | 'sum' | 'none' | 'batchmean', den?: number): Tensor {
  checkReduction(reduction, 'reduceLoss', ['mean', 'sum', 'none', 'batchmean']);
  if (reduction === 'none') return elems;
  const n =
    reduction === 'sum'
      ? 1
      : (den ?? (reduction === 'batchmean' ? (elems.ndim === 0 ? 1 : elems.shape[0]!) : elems.size));
  let total = 0;
  for (let i = 0; i < elems.size; i++) total += elems.data[i]!;
  const out = new Tensor(alloc(elems.dtype, 1), []);
  out.data[0] = n === 0 ? 0 : total / n;
  return record(
    reduction,
    [elems],
    out,
    (g) => [
      // ∂(Σ e / n)/∂eᵢ = 1/n (0 when n = 0: the mean over nothing is the constant 0)
      n === 0 ? new Tensor(alloc(g.dtype, elems.size), elems.shape) : expand(div(g, n), elems.shape),
    ],
    [],
  );
}
