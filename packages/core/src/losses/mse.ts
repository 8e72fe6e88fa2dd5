import { mul, neg, square, sub } from '../ops/elementwise.js';
import { noGrad } from '../engine.js';
import { fmt, sameShape } from '../shape.js';
import { record } from '../record.js';
import { type Tensor, assertTensor } from '../tensor.js';
import { reduceLoss } from './reduction.js';
import { type Reduction, checkOptionKeys, checkReduction } from './targets.js';

/**
 * Mean squared error, as PyTorch's `F.mse_loss`: (input − target)² per element, then the reduction.
 * Both arguments are differentiated: ∂/∂input = 2(input − target), ∂/∂target = −2(input − target).
 * @example mseLoss(tensor([1, 2]), tensor([0, 0])); // 2.5
 */
export function mseLoss(input: Tensor, target: Tensor, opts: { reduction?: Reduction } = {}): Tensor {
  const fn = 'mseLoss';
  checkOptionKeys(opts, fn, ['reduction']);
  assertTensor(input, fn, 'input');
  assertTensor(target, fn, 'target');
  const { reduction = 'mean' } = opts;
  checkReduction(reduction, fn);
  if (!sameShape(input.shape, target.shape))
    throw new RangeError(`${fn}: target shape ${fmt(target.shape)} must equal input shape ${fmt(input.shape)}`);
  const elems = record(
    fn,
    [input, target],
    noGrad(() => square(sub(input, target))),
    (g) => {
      const d = mul(g, mul(sub(input, target), 2)); // d(x − t)²/dx = 2(x − t), d/dt = −2(x − t)
      return [d, neg(d)];
    },
    [input, target],
  );
  return reduceLoss(elems, reduction);
}
