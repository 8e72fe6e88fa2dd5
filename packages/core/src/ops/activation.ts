import { alloc } from '../dtype.js';
import { type ActivationOp, kernels } from '../kernels/index.js';
import { fmt, sameShape } from '../shape.js';
import { record } from '../record.js';
import { Tensor, type TensorLike, asTensor, assertTensor } from '../tensor.js';
import { add, erf, map, mul, square, sub } from './elementwise.js';

/* The activations (tanh, sigmoid, softplus, relu, leakyRelu, gelu) and the fused backward ops of four of them,
   which run the activationGrad kernel: one pass, one fresh tensor, where the composed form ran two or three. */

/** tanh x. @example tanh(tensor([0])); // [0] */
export function tanh(x: TensorLike): Tensor {
  const t = asTensor(x, undefined, 'tanh');
  const out = map(t, 'tanh');
  return record('tanh', [t], out, (g) => [tanhBackward(g, out)], [out]); // d tanh = 1 − tanh²: g·(1 − y²), one pass
}

/** σ(x) = 1 / (1 + e⁻ˣ), computed without overflow. @example sigmoid(tensor([0])); // [0.5] */
export function sigmoid(x: TensorLike): Tensor {
  const t = asTensor(x, undefined, 'sigmoid');
  const out = map(t, 'sigmoid');
  return record('sigmoid', [t], out, (g) => [sigmoidBackward(g, out)], [out]); // d σ = σ(1 − σ): g·y(1 − y), one pass
}

/** log(1 + eˣ), stable for large |x|. @example softplus(tensor([0])); // [log 2] */
export function softplus(x: TensorLike): Tensor {
  const t = asTensor(x, undefined, 'softplus');
  return record('softplus', [t], map(t, 'softplus'), (g) => [mul(g, sigmoid(t))], [t]); // d softplus = σ
}

/** max(x, 0); derivative 0 at 0, as PyTorch. @example relu(tensor([-1, 2])); // [0, 2] */
export function relu(x: TensorLike): Tensor {
  const t = asTensor(x, undefined, 'relu');
  // max(x, 0) as clamp: NaN stays NaN and −0 stays −0, as PyTorch.
  const out = new Tensor(alloc(t.dtype, t.size), t.shape);
  kernels().unaryParam('clampMin', t.data, 0, out.data);
  return record('relu', [t], out, (g) => [reluBackward(g, out)], [out]); // d relu = [x > 0] (1 at NaN, as PyTorch)
}

/** x for x > 0, slope·x otherwise. @example leakyRelu(tensor([-1]), 0.1); // [-0.1] */
export function leakyRelu(x: TensorLike, slope = 0.01): Tensor {
  const t = asTensor(x, undefined, 'leakyRelu');
  if (typeof slope !== 'number' || Number.isNaN(slope))
    throw new TypeError(`leakyRelu: slope must be a number, got ${typeof slope === 'number' ? 'NaN' : typeof slope}`);
  const out = new Tensor(alloc(t.dtype, t.size), t.shape);
  kernels().unaryParam('leakyRelu', t.data, slope, out.data);
  return record('leakyRelu', [t], out, (g) => [leakyReluBackward(g, t, slope)], [t]); // d = 1 for x > 0, slope otherwise
}

/** g read against x in g's dtype (the activation-grad kernel takes one dtype). */
function activationGrad(op: ActivationOp, g: Tensor, x: Tensor, alpha: number): Tensor {
  let xs = x.data;
  if (x.dtype !== g.dtype) (xs = alloc(g.dtype, x.size)).set(x.data);
  const out = new Tensor(alloc(g.dtype, g.size), g.shape);
  kernels().activationGrad(op, xs, g.data, alpha, out.data);
  return out;
}

/**
 * ReLU's backward as an op (PyTorch's `threshold_backward`): g where x > 0 (and where x is NaN), 0 elsewhere,
 * in one kernel pass. Linear in g, so its own gradient is reluBackward again; x gets none (the mask is flat).
 * @example reluBackward(tensor([5, 5]), tensor([-1, 2])); // [0, 5]
 */
export function reluBackward(g: Tensor, x: Tensor): Tensor {
  assertTensor(g, 'reluBackward', 'g');
  assertTensor(x, 'reluBackward', 'x');
  if (!sameShape(g.shape, x.shape))
    throw new RangeError(`reluBackward: g of shape ${fmt(g.shape)} must have the shape of x ${fmt(x.shape)}`);
  return record('reluBackward', [g, x], activationGrad('relu', g, x, 0), (gg) => [reluBackward(gg, x), null], [x]);
}

/**
 * leakyRelu's backward as an op: g where x > 0, slope·g elsewhere (NaN included), in one kernel pass. Linear in g.
 * @example leakyReluBackward(tensor([5, 5]), tensor([-1, 2]), 0.1); // [0.5, 5]
 */
export function leakyReluBackward(g: Tensor, x: Tensor, slope: number): Tensor {
  assertTensor(g, 'leakyReluBackward', 'g');
  assertTensor(x, 'leakyReluBackward', 'x');
  if (!sameShape(g.shape, x.shape))
    throw new RangeError(`leakyReluBackward: g of shape ${fmt(g.shape)} must have the shape of x ${fmt(x.shape)}`);
  const out = activationGrad('leakyRelu', g, x, slope);
  return record('leakyReluBackward', [g, x], out, (gg) => [leakyReluBackward(gg, x, slope), null], [x]);
}

/** The checks of tanhBackward and sigmoidBackward: g and y tensors of one shape. */
function checkGradAndOutput(name: string, g: Tensor, y: Tensor): void {
  assertTensor(g, name, 'g');
  assertTensor(y, name, 'y');
  if (!sameShape(g.shape, y.shape))
    throw new RangeError(`${name}: g of shape ${fmt(g.shape)} must have the shape of y ${fmt(y.shape)}`);
}

/**
 * tanh's backward as an op (PyTorch's `tanh_backward`): g·(1 − y²) from the forward's output y = tanh x, in one
 * kernel pass, equal bit for bit to the composed mul(g, sub(1, square(y))) it replaces (which runs when g and y
 * differ in dtype). Its own gradient: g·(1 − y²) is linear in g, and ∂/∂y = −2·g·y.
 * @example tanhBackward(tensor([2]), tensor([0.5])); // [1.5]
 */
export function tanhBackward(g: Tensor, y: Tensor): Tensor {
  checkGradAndOutput('tanhBackward', g, y);
  if (g.dtype !== y.dtype) return mul(g, sub(1, square(y)));
  const out = activationGrad('tanh', g, y, 0);
  return record(
    'tanhBackward',
    [g, y],
    out,
    (gg) => [tanhBackward(gg, y), mul(mul(gg, g), mul(y, -2))], // ∂/∂g = 1 − y², ∂/∂y = −2gy
    [g, y],
  );
}

/**
 * sigmoid's backward as an op (PyTorch's `sigmoid_backward`): g·y(1 − y) from the forward's output y = σ(x), in
 * one kernel pass, equal bit for bit to the composed mul(g, mul(y, sub(1, y))) it replaces (which runs when g and
 * y differ in dtype). Its own gradient: linear in g, and ∂/∂y = g·(1 − 2y).
 * @example sigmoidBackward(tensor([2]), tensor([0.5])); // [0.5]
 */
export function sigmoidBackward(g: Tensor, y: Tensor): Tensor {
  checkGradAndOutput('sigmoidBackward', g, y);
  if (g.dtype !== y.dtype) return mul(g, mul(y, sub(1, y)));
  const out = activationGrad('sigmoid', g, y, 0);
  return record(
    'sigmoidBackward',
    [g, y],
    out,
    (gg) => [sigmoidBackward(gg, y), mul(mul(gg, g), sub(1, mul(y, 2)))], // ∂/∂g = y(1 − y), ∂/∂y = g(1 − 2y)
    [g, y],
  );
}

/**
 * GELU, exact form x·Φ(x) = x·(1 + erf(x/√2))/2: a composite (no node of its own; its graph is mul, erf, add),
 * so it differentiates to any order.
 * @example gelu(tensor([0])); // [0]
 */
export function gelu(x: TensorLike): Tensor {
  const t = asTensor(x, undefined, 'gelu');
  return mul(t, mul(add(erf(mul(t, Math.SQRT1_2)), 1), 0.5));
}
