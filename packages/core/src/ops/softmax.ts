import { alloc } from '../dtype.js';
import { kernels } from '../kernels/index.js';
import { normDim, sizeOf } from '../shape.js';
import { record } from '../record.js';
import { Tensor, assertTensor } from '../tensor.js';
import { exp, mul, sub } from './elementwise.js';
import { sum } from './reduce.js';

function softmaxRaw(x: Tensor, d: number, log: boolean): Tensor {
  const out = new Tensor(alloc(x.dtype, x.size), x.shape);
  const n = x.ndim === 0 ? 1 : x.shape[d]!;
  kernels().softmax(x.data, sizeOf(x.shape.slice(0, d)), n, sizeOf(x.shape.slice(d + 1)), log, out.data);
  return out;
}

/**
 * Softmax along `dim`: yᵢ = e^(xᵢ − m) / Σₖ e^(xₖ − m), m the max, so no exponent overflows.
 * Fused backward: dx = y ⊙ (dy − Σ dy ⊙ y), never the Jacobian diag(y) − yyᵀ.
 * A −∞ entry (a masked class) gets probability exactly 0 and gradient 0; a row of nothing but −∞
 * has no distribution and gives NaN, as in PyTorch.
 * @example softmax(tensor([0, 0])); // [0.5, 0.5]
 */
export function softmax(x: Tensor, dim = -1): Tensor {
  assertTensor(x, 'softmax');
  const d = normDim(dim, x.ndim, 'softmax');
  return softmaxNode(x, d, softmaxRaw(x, d, false));
}

/**
 * Records y, the softmax of x along dim d computed by a kernel (here or saved by a fused op), as the op softmax(x).
 * @example softmaxNode(x, 1, savedProbs); // differentiable in x, to any order
 */
export function softmaxNode(x: Tensor, d: number, y: Tensor): Tensor {
  return record('softmax', [x], y, (g) => [mul(y, sub(g, sum(mul(g, y), d, true)))], [y]); // J g = y ⊙ (g − ⟨g, y⟩)
}

/**
 * Log-softmax along `dim`, computed as (x − m) − log Σ e^(x − m).
 * Fused backward: dx = dy − softmax(x) ⊙ Σ dy (through e^y, so a −∞ entry has p = 0 and no NaN
 * appears, to any order).
 * @example logSoftmax(tensor([0, 0])); // [-0.6931, -0.6931]
 */
export function logSoftmax(x: Tensor, dim = -1): Tensor {
  assertTensor(x, 'logSoftmax');
  const d = normDim(dim, x.ndim, 'logSoftmax');
  return logSoftmaxNode(x, d, softmaxRaw(x, d, true));
}

/**
 * Records y, the log-softmax of x along dim d computed by a kernel, as the op logSoftmax(x).
 * @example logSoftmaxNode(x, 1, savedLogp);
 */
export function logSoftmaxNode(x: Tensor, d: number, y: Tensor): Tensor {
  return record('logSoftmax', [x], y, (g) => [sub(g, mul(exp(y), sum(g, d, true)))], [y]); // J g = g − p Σ g, p = e^y
}
