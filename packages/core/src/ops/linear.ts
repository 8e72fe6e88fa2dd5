import { alloc, promote } from '../dtype.js';
import { kernels } from '../kernels/index.js';
import { fmt, sizeOf } from '../shape.js';
import { freshGrad } from '../grad-delivery.js';
import { record } from '../record.js';
import { Tensor, assertTensor, describe } from '../tensor.js';
import { mm } from './matmul.js';
import { sum } from './reduce.js';
import { reshape } from './shape.js';

/*
 * A fully connected layer's map as one recorded op. matmul(x, W.t()).add(b) allocates the product
 * and then the sum; here the bias rows are added in place into the product, so a layer costs one
 * allocation. Same kernels, same order of operations: the same numbers bit for bit.
 */

/**
 * The affine map of a fully connected layer, as PyTorch's F.linear: y = x·Wᵀ + b.
 * x is [..., in], weight [out, in], bias [out] (optional); the result is [..., out].
 * @example linear(randn([8, 4]), randn([3, 4]), zeros([3])); // shape [8, 3]
 */
export function linear(x: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  assertTensor(x, 'linear', 'x');
  assertTensor(weight, 'linear', 'weight');
  if (bias != null && !(bias instanceof Tensor))
    throw new TypeError(`linear: bias must be a Tensor or null, got ${describe(bias)}`);
  if (weight.ndim !== 2)
    throw new RangeError(
      `linear: weight must be 2-D [out, in], got shape ${fmt(weight.shape)} (x has shape ${fmt(x.shape)})`,
    );
  const [n, k] = weight.shape as [number, number];
  if (x.ndim === 0 || x.shape[x.ndim - 1] !== k) {
    throw new RangeError(
      `linear: the last dim of x (shape ${fmt(x.shape)}) must equal weight's in features ${k} (weight has shape ${fmt(weight.shape)})`,
    );
  }
  if (bias && (bias.ndim !== 1 || bias.size !== n)) {
    throw new RangeError(
      `linear: bias must be 1-D with weight's ${n} out features, got shape ${fmt(bias.shape)} (weight has shape ${fmt(weight.shape)})`,
    );
  }
  const lead = x.shape.slice(0, -1);
  const m = sizeOf(lead);
  const mmType = promote(x.dtype, weight.dtype);
  const out = new Tensor(alloc(bias ? promote(mmType, bias.dtype) : mmType, m * n), [...lead, n]);
  // A wider bias (float32 x and W, float64 b) gets a product rounded to float32 first, as x·Wᵀ + b would.
  const prod = out.dtype === mmType ? out.data : alloc(mmType, m * n);
  const K = kernels();
  K.matmul(x.data, [0], false, weight.data, [0], true, m, k, n, prod); // Wᵀ read in place, never copied
  // The bias row broadcast down the m rows, added into the product (the kernels allow out = a).
  if (bias) K.binary('add', prod, [n, 1], bias.data, [0, 1], [m, n], out.data);
  const inputs = bias ? [x, weight, bias] : [x, weight];
  return record(
    'linear',
    inputs,
    out,
    (g) => {
      const g2 = reshape(g, [m, n]); // leading dims flattened: dW and db sum over every row
      return [
        !x.requiresGrad ? null : reshape(mm(g2, weight), x.shape), // ∂/∂x = G·W
        // ∂/∂W = Gᵀ·x; ∂/∂b = Σ over rows of G (both fresh, for the parameters' .grad to take without a copy)
        !weight.requiresGrad ? null : freshGrad(mm(g2, x.ndim === 2 ? x : reshape(x, [m, k]), true, false)),
        !bias?.requiresGrad ? null : freshGrad(sum(g2, 0), g),
      ];
    },
    [x.requiresGrad && weight, weight.requiresGrad && x],
  ); // W is read for dx only, x for dW only
}
