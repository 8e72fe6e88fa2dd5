import { alloc } from '../dtype.js';
import { type ReduceOp, kernels } from '../kernels/index.js';
import { type Shape, fmt, normDim, normDims, reducedShape, sizeOf } from '../shape.js';
import { noGrad } from '../engine.js';
import { record } from '../record.js';
import { Tensor, assertTensor, describe } from '../tensor.js';
import { add, div, eq, exp, log, mul, sqrt, square, sub } from './elementwise.js';
import { expand, reshape } from './shape.js';

type Dim = number | readonly number[] | undefined;

function reduceRaw(x: Tensor, op: ReduceOp, dims: readonly number[], keepdim: boolean): Tensor {
  const flags = x.shape.map((_, i) => dims.includes(i));
  const out = new Tensor(
    alloc(x.dtype, sizeOf(reducedShape(x.shape, dims, false))),
    reducedShape(x.shape, dims, keepdim),
  );
  kernels().reduce(op, x.data, x.shape, flags, out.data);
  return out;
}

/** Brings a reduced gradient back to the input's shape: reinsert the reduced dims, then broadcast. */
function unreduce(g: Tensor, shape: Shape, dims: readonly number[]): Tensor {
  return expand(reshape(g, reducedShape(shape, dims, true)), shape);
}

/** Σ over `dim` (all dims when omitted). @example sum(tensor([[1, 2], [3, 4]]), 1); // [3, 7] */
export function sum(x: Tensor, dim?: Dim, keepdim = false): Tensor {
  assertTensor(x, 'sum');
  const dims = normDims(dim, x.ndim, 'sum');
  return record('sum', [x], reduceRaw(x, 'sum', dims, keepdim), (g) => [unreduce(g, x.shape, dims)], []); // ∂Σx/∂xᵢ = 1
}

/** Arithmetic mean over `dim`. @example mean(tensor([1, 2, 3])); // 2 */
export function mean(x: Tensor, dim?: Dim, keepdim = false): Tensor {
  assertTensor(x, 'mean');
  const dims = normDims(dim, x.ndim, 'mean');
  let n = 1;
  for (const d of dims) n *= x.shape[d]!;
  // 0/0 would be a silent NaN (PyTorch's result); an empty result (another dim of size 0) is fine.
  if (n === 0 && x.size === 0 && sizeOf(reducedShape(x.shape, dims, false)) > 0)
    throw new RangeError(
      `mean: cannot average over 0 elements (shape ${fmt(x.shape)}, dim ${dim === undefined ? 'all' : JSON.stringify(dim)})`,
    );
  return div(sum(x, dims, keepdim), n);
}

function extreme(x: Tensor, dim: Dim, keepdim: boolean, op: 'max' | 'min'): Tensor {
  assertTensor(x, op);
  const dims = normDims(dim, x.ndim, op);
  // Reducing over a dim of size 0 has no extreme; other dims may be empty (the result is then empty too, as PyTorch).
  if (dim === undefined && x.size === 0) throw new RangeError(`${op}: cannot reduce an empty tensor`);
  for (const d of dims) if (x.shape[d] === 0) throw new RangeError(`${op}: cannot reduce dim ${d} of size 0`);
  const out = reduceRaw(x, op, dims, keepdim);
  return record(
    op,
    [x],
    out,
    (g) => {
      // The gradient is shared equally among the elements equal to the extreme (PyTorch's amax/amin).
      const hit = eq(x, unreduce(out, x.shape, dims));
      return [mul(hit, unreduce(div(g, reduceRaw(hit, 'sum', dims, keepdim)), x.shape, dims))];
    },
    [x, out],
  );
}

/** Largest value over `dim` (values only; see `argmax` for positions). @example max(tensor([1, 3, 2])); // 3 */
export function max(x: Tensor, dim?: Dim, keepdim = false): Tensor {
  return extreme(x, dim, keepdim, 'max');
}

/** Smallest value over `dim`. @example min(tensor([1, 3, 2])); // 1 */
export function min(x: Tensor, dim?: Dim, keepdim = false): Tensor {
  return extreme(x, dim, keepdim, 'min');
}

function argExtreme(x: Tensor, dim: number | undefined, keepdim: boolean, op: 'argmax' | 'argmin'): Tensor {
  assertTensor(x, op);
  if (dim === undefined) {
    if (x.size === 0) throw new RangeError(`${op}: cannot reduce an empty tensor`);
    const flat = new Tensor(x.data, [x.size]);
    const r = argExtreme(flat, 0, false, op);
    return keepdim
      ? reshape(
          r,
          x.shape.map(() => 1),
        )
      : r;
  }
  const d = normDim(dim, x.ndim, op);
  if (x.ndim > 0 && x.shape[d] === 0) throw new RangeError(`${op}: cannot reduce dim ${d} of size 0`);
  const out = new Tensor(
    alloc('float64', sizeOf(reducedShape(x.shape, [d], false))),
    reducedShape(x.shape, [d], keepdim),
  );
  kernels().argReduce(op, x.data, x.shape, d, out.data);
  return out;
}

/**
 * Index of the largest value (first on ties), as a float64 tensor of integers; not differentiable.
 * @example argmax(tensor([1, 3, 2])); // 1
 */
export function argmax(x: Tensor, dim?: number, keepdim = false): Tensor {
  return argExtreme(x, dim, keepdim, 'argmax');
}

/** Index of the smallest value (first on ties). @example argmin(tensor([1, 3, 0])); // 2 */
export function argmin(x: Tensor, dim?: number, keepdim = false): Tensor {
  return argExtreme(x, dim, keepdim, 'argmin');
}

/**
 * log Σ eˣ over `dim`, computed as m + log Σ e^(x − m) with m the (detached) max: a composite of exp, sum, log
 * (no node of its own).
 * @example logsumexp(tensor([0, 0])); // log 2
 */
export function logsumexp(x: Tensor, dim?: Dim, keepdim = false): Tensor {
  assertTensor(x, 'logsumexp');
  const dims = normDims(dim, x.ndim, 'logsumexp');
  const m = reduceRaw(x, 'max', dims, true);
  for (let i = 0; i < m.size; i++) if (!Number.isFinite(m.data[i])) m.data[i] = 0; // all −∞ (or +∞): shift by 0
  const out = add(log(sum(exp(sub(x, m)), dims, true)), m);
  return keepdim ? out : reshape(out, reducedShape(x.shape, dims, false));
}

/**
 * Variance over `dim` with Bessel's correction by default (correction = 1), as PyTorch.
 * @example variance(tensor([1, 2, 3, 4])); // 1.6667
 */
export function variance(x: Tensor, dim?: Dim, opts: { keepdim?: boolean; correction?: number } = {}): Tensor {
  assertTensor(x, 'var');
  const dims = normDims(dim, x.ndim, 'var');
  // PyTorch's positional var(dim, keepdim) would silently drop keepdim here: ask for the options object.
  if (opts === null || typeof opts !== 'object')
    throw new TypeError(`var: the options must be an object { keepdim?, correction? }, got ${describe(opts)}`);
  const keepdim = opts.keepdim ?? false;
  let n = 1;
  for (const d of dims) n *= x.shape[d]!;
  const correction = opts.correction ?? 1;
  if (typeof correction !== 'number' || !Number.isFinite(correction))
    throw new TypeError(`var: correction must be a finite number, got ${String(correction)}`);
  // n − correction ≤ 0 has no variance (PyTorch returns NaN or ∞ with a warning): a clear error instead.
  if (n - correction <= 0)
    throw new RangeError(
      `var: ${n} element${n === 1 ? '' : 's'} with correction ${correction} leave${n === 1 ? 's' : ''} no degrees of freedom (n − correction must be > 0; use correction: 0 for the population variance)`,
    );
  const dof = n - correction;
  const out = noGrad(() => div(sum(square(sub(x, mean(x, dims, true))), dims, keepdim), dof));
  // Fused backward, as PyTorch: Σ(x − x̄) = 0 removes the path through the mean, so ±∞ inputs
  // give ±∞ (not NaN) gradients where x − x̄ is defined. x̄ is recomputed here so that the
  // gradient is itself differentiable.
  // ∂var/∂xᵢ = 2(xᵢ − x̄)/(n − c)
  return record('var', [x], out, (g) => [mul(unreduce(g, x.shape, dims), mul(sub(x, mean(x, dims, true)), 2 / dof))], [
    x,
  ]);
}

/** Standard deviation: √var, a composite (sqrt of the var node). @example std(tensor([1, 2, 3, 4])); // 1.2910 */
export function std(x: Tensor, dim?: Dim, opts: { keepdim?: boolean; correction?: number } = {}): Tensor {
  return sqrt(variance(x, dim, opts));
}

/**
 * Sums a broadcast result back to `shape` (the reverse of broadcasting): leading dims, and dims
 * where `shape` has 1. The engine calls it once per gradient that arrives bigger than its input.
 * @example sumTo(ones([2, 3]), [3]); // [2, 2, 2]
 */
export function sumTo(x: Tensor, shape: Shape, op = 'sumTo'): Tensor {
  const lead = x.ndim - shape.length;
  const dims: number[] = [];
  for (let i = 0; i < x.ndim; i++) {
    const target = i < lead ? 1 : shape[i - lead]!;
    if (i < lead || (target === 1 && x.shape[i] !== 1)) dims.push(i);
    else if (target !== x.shape[i])
      throw new RangeError(`${op}: gradient of shape ${fmt(x.shape)} does not reduce to the input shape ${fmt(shape)}`);
  }
  if (lead < 0)
    throw new RangeError(`${op}: gradient of shape ${fmt(x.shape)} does not reduce to the input shape ${fmt(shape)}`);
  const summed = sum(x, dims, true);
  return reshape(summed, shape);
}
