import { alloc } from '../dtype.js';
import { mul } from '../ops/elementwise.js';
import { reshape } from '../ops/shape.js';
import { record } from '../record.js';
import { Tensor } from '../tensor.js';
import { reduceLoss } from './reduction.js';
import {
  type ClassTarget,
  type Reduction,
  checkOptionKeys,
  checkReduction,
  classLayout,
  filled,
  keepShape,
  parseClassIndex,
  parseWeight,
} from './targets.js';

/** Options of `nllLoss`, as PyTorch's `F.nll_loss`. */
export interface NllLossOptions {
  /** A weight per class (C entries). */
  weight?: Tensor | readonly number[] | null;
  /** Positions whose class index equals this contribute nothing. Default −100. */
  ignoreIndex?: number;
  /** 'mean' (default: divided by Σ w_y over kept positions), 'sum' or 'none'. */
  reduction?: Reduction;
}

/**
 * Negative log-likelihood of log-probabilities, as PyTorch's `F.nll_loss`: −w_y · input_y per
 * position, classes on dim 1 (dim 0 for a [C] input). 'mean' divides by Σ w_y over the kept
 * positions; when every target is ignored it gives 0 (PyTorch: NaN). Pair it with logSoftmax.
 * Gradient: −w_y·scale at the target class, 0 elsewhere.
 * @example nllLoss(logSoftmax(tensor([[2, 0, -1]])), [0]); // 0.1698
 */
export function nllLoss(input: Tensor, target: ClassTarget, opts: NllLossOptions = {}): Tensor {
  const fn = 'nllLoss';
  checkOptionKeys(opts, fn, ['weight', 'ignoreIndex', 'reduction']);
  const { ignoreIndex = -100, reduction = 'mean' } = opts;
  const L = classLayout(input, fn);
  checkReduction(reduction, fn);
  if (!Number.isInteger(ignoreIndex)) throw new TypeError(`${fn}: ignoreIndex must be an integer, got ${ignoreIndex}`);
  const index = parseClassIndex(target, L, ignoreIndex, fn, input.shape, false);
  const weight = parseWeight(opts.weight, L.c, fn);
  // pick[q] = −w_y at the target entry of each kept position: loss = Σ_c pick ⊙ input along the classes.
  const pick = new Tensor(alloc(input.dtype, input.size), input.shape);
  const lossPos = new Float64Array(index.length);
  let den = 0;
  for (let o = 0; o < L.outer; o++) {
    for (let i = 0; i < L.inner; i++) {
      const p = o * L.inner + i,
        y = index[p]!;
      if (y < 0) continue;
      const w = weight ? weight[y]! : 1,
        q = (o * L.c + y) * L.inner + i;
      pick.data[q] = -w;
      lossPos[p] = w === 0 ? 0 : -w * input.data[q]!;
      den += w;
    }
  }
  const elems = record(
    fn,
    [input],
    filled(lossPos, L.posShape, input.dtype),
    (g) => [
      mul(pick, reshape(g, keepShape(input.shape, L.classDim))), // ∂(−w_y x_y)/∂x_c = −w_y [c = y]
    ],
    [],
  ); // the input's values are not read (PyTorch saves it all the same)
  return reduceLoss(elems, reduction, reduction === 'mean' ? den : undefined);
}
