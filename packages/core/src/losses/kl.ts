import { add, eq, exp, log, mul, ne, neg, sub, where } from '../ops/elementwise.js';
import { noGrad } from '../engine.js';
import { fmt, sameShape } from '../shape.js';
import { record } from '../record.js';
import { type Tensor, assertTensor } from '../tensor.js';
import { reduceLoss } from './reduction.js';
import { at, checkOptionKeys, checkReduction } from './targets.js';

/**
 * Kullback–Leibler divergence with the input as log-probabilities, as PyTorch's `F.kl_div`:
 *   t · (log t − input) per element (0 where t = 0), or with logTarget e^t · (t − input) (0 where t = −∞;
 *   PyTorch gives NaN there).
 * Reductions: 'mean' (over every element, PyTorch's default), 'batchmean' (sum / size of dim 0, the
 * true KL per sample), 'sum', 'none'. Gradient w.r.t. the input: −t (−e^t with logTarget); w.r.t. the
 * target, as PyTorch: log t + 1 − input (0 where t = 0; PyTorch 1.13 gives NaN there), or e^t·(t + 1 − input)
 * with logTarget. A negative or NaN probability target is an error (PyTorch gives NaN).
 * @example klDiv(tensor([Math.log(0.5), Math.log(0.5)]), tensor([1, 0]), { reduction: 'sum' }); // log 2
 */
export function klDiv(
  input: Tensor,
  target: Tensor,
  opts: { reduction?: 'mean' | 'sum' | 'none' | 'batchmean'; logTarget?: boolean } = {},
): Tensor {
  const fn = 'klDiv';
  assertTensor(input, fn, 'input');
  assertTensor(target, fn, 'target');
  checkOptionKeys(opts, fn, ['reduction', 'logTarget']);
  const { reduction = 'mean', logTarget = false } = opts;
  checkReduction(reduction, fn, ['mean', 'sum', 'none', 'batchmean']);
  if (!sameShape(input.shape, target.shape))
    throw new RangeError(`${fn}: target shape ${fmt(target.shape)} must equal input shape ${fmt(input.shape)}`);
  // A negative probability (or a NaN) would turn into a silent NaN loss (PyTorch returns NaN): refuse it.
  if (!logTarget) {
    for (let i = 0; i < target.size; i++) {
      const v = target.data[i]!;
      if (!(v >= 0))
        throw new RangeError(
          `${fn}: target must hold probabilities ≥ 0 (or pass logTarget: true for log-probabilities), found ${v} at ${at(target.shape, i)}`,
        );
    }
  }
  const values = noGrad(() =>
    logTarget
      ? where(eq(target, -Infinity), 0, mul(exp(target), sub(target, input))) // e^−∞ · (−∞ − x) → 0, not NaN
      : where(ne(target, 0), mul(target, sub(log(where(ne(target, 0), target, 1)), input)), 0),
  ); // 0 · log 0 = 0
  const elems = record(
    fn,
    [input, target],
    values,
    (g) => [
      mul(g, neg(logTarget ? exp(target) : target)), // ∂/∂input = −t
      !target.requiresGrad
        ? null
        : logTarget
          ? // ∂/∂t of e^t (t − x) = e^t (t − x + 1) (0 at t = −∞, not NaN)
            mul(g, where(eq(target, -Infinity), 0, mul(exp(target), add(sub(target, input), 1))))
          : // ∂/∂t of t (log t − x) = log t + 1 − x (0 at t = 0, as PyTorch)
            mul(g, where(eq(target, 0), 0, add(sub(log(where(eq(target, 0), 1, target)), input), 1))),
    ],
    [target, target.requiresGrad && input],
  ); // the input is read for the target's gradient only
  return reduceLoss(elems, reduction);
}
