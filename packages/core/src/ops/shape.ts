import { alloc, promote } from '../dtype.js';
import { kernels } from '../kernels/index.js';
import { type Shape, broadcastStrides, fmt, normDim, normDims, sizeOf, stridesOf } from '../shape.js';
import { record } from '../record.js';
import { Tensor, assertTensor, describe, viewOf } from '../tensor.js';
import { cast } from './elementwise.js';

/* Shape ops. Storage is always contiguous: reshape shares it, the others copy through the
   strided-copy kernel (a strided read) or its counterpart scatterStrided (a strided write). */

/** A copy of a shape argument after checking it is an array of numbers (the values are checked by the op). */
function shapeArg(shape: unknown, op: string): number[] {
  if (!Array.isArray(shape) || shape.length > 64 || !shape.every((d) => typeof d === 'number'))
    throw new TypeError(
      `${op}: shape must be an array of at most 64 numbers, got ${Array.isArray(shape) ? `an array of ${shape.length} items` : describe(shape)}`,
    );
  return shape.slice();
}

/** The same data in a new shape; one dim may be −1. @example reshape(arange(6), [2, -1]); // shape [2, 3] */
export function reshape(x: Tensor, shape: Shape): Tensor {
  assertTensor(x, 'reshape');
  const dims = shapeArg(shape, 'reshape');
  const free = dims.indexOf(-1);
  if (free !== dims.lastIndexOf(-1)) throw new RangeError(`reshape: only one dim may be -1, got ${fmt(shape)}`);
  if (dims.some((d, i) => i !== free && (!Number.isInteger(d) || d < 0)))
    throw new RangeError(`reshape: dims must be non-negative integers or -1, got ${fmt(shape)}`);
  if (free >= 0) {
    const known = dims.reduce((p, d, i) => (i === free ? p : p * d), 1);
    if (known === 0 || x.size % known !== 0)
      throw new RangeError(
        `reshape: cannot reshape a tensor of shape ${fmt(x.shape)} (${x.size} elements) to ${fmt(shape)}`,
      );
    dims[free] = x.size / known;
  }
  if (sizeOf(dims) !== x.size)
    throw new RangeError(
      `reshape: cannot reshape a tensor of shape ${fmt(x.shape)} (${x.size} elements) to ${fmt(shape)} (${sizeOf(dims)} elements)`,
    );
  // the same numbers, so the same gradient
  return record('reshape', [x], viewOf(x, dims), (g) => [reshape(g, x.shape)], []);
}

/** Merges dims startDim..endDim into one. @example flatten(zeros([2, 3, 4]), 1); // shape [2, 12] */
export function flatten(x: Tensor, startDim = 0, endDim = -1): Tensor {
  assertTensor(x, 'flatten');
  if (x.ndim === 0) return reshape(x, [1]);
  const s = normDim(startDim, x.ndim, 'flatten'),
    e = normDim(endDim, x.ndim, 'flatten');
  if (s > e) throw new RangeError(`flatten: startDim ${startDim} comes after endDim ${endDim}`);
  const mid = x.shape.slice(s, e + 1).reduce((p, d) => p * d, 1);
  return reshape(x, [...x.shape.slice(0, s), mid, ...x.shape.slice(e + 1)]);
}

/** Reorders dims. @example permute(zeros([2, 3, 4]), [2, 0, 1]); // shape [4, 2, 3] */
export function permute(x: Tensor, dims: readonly number[]): Tensor {
  assertTensor(x, 'permute');
  if (dims.length !== x.ndim)
    throw new RangeError(
      `permute: expected ${x.ndim} dims for a tensor of rank ${x.ndim}, got ${JSON.stringify(dims)}`,
    );
  const p = dims.map((d) => normDim(d, x.ndim, 'permute'));
  if (new Set(p).size !== p.length) throw new RangeError(`permute: dims ${JSON.stringify(dims)} repeat a dim`);
  const src = stridesOf(x.shape);
  const shape = p.map((d) => x.shape[d]!);
  const out = new Tensor(alloc(x.dtype, x.size), shape);
  kernels().copyStrided(
    x.data,
    0,
    p.map((d) => src[d]!),
    shape,
    out.data,
  );
  const inverse = new Array<number>(p.length);
  p.forEach((d, i) => (inverse[d] = i));
  return record('permute', [x], out, (g) => [permute(g, inverse)], []); // permute back
}

/** Swaps two dims. @example transpose(zeros([2, 3]), 0, 1); // shape [3, 2] */
export function transpose(x: Tensor, dim0 = 0, dim1 = 1): Tensor {
  assertTensor(x, 'transpose');
  const a = normDim(dim0, x.ndim, 'transpose'),
    b = normDim(dim1, x.ndim, 'transpose');
  if (x.ndim < 2 || a === b) return x;
  const p = x.shape.map((_, i) => i);
  [p[a], p[b]] = [p[b]!, p[a]!];
  return permute(x, p);
}

/** Drops dims of size 1 (all of them, or those named). @example squeeze(zeros([1, 3, 1])); // shape [3] */
export function squeeze(x: Tensor, dim?: number | readonly number[]): Tensor {
  assertTensor(x, 'squeeze');
  const dims = dim === undefined ? x.shape.map((_, i) => i) : normDims(dim, x.ndim, 'squeeze');
  return reshape(
    x,
    x.shape.filter((d, i) => !(d === 1 && dims.includes(i))),
  );
}

/**
 * Inserts a dim of size 1 at `dim` (negative counts from the end of the result).
 * @example unsqueeze(zeros([3]), 0); // shape [1, 3]
 */
export function unsqueeze(x: Tensor, dim: number): Tensor {
  assertTensor(x, 'unsqueeze');
  // The new dim may also go after the last one: dims range over the result's rank.
  if (!Number.isInteger(dim) || dim < -(x.ndim + 1) || dim > x.ndim) {
    throw new RangeError(
      `unsqueeze: dim ${dim} is out of range for a tensor of rank ${x.ndim} (expected an integer in [${-(x.ndim + 1)}, ${x.ndim}])`,
    );
  }
  const d = dim < 0 ? dim + x.ndim + 1 : dim;
  const shape = x.shape.slice();
  shape.splice(d, 0, 1);
  return reshape(x, shape);
}

/**
 * Broadcasts to `shape` (−1 keeps a dim), copying; the engine sums the gradient back.
 * @example expand(tensor([1, 2]), [3, 2]);
 */
export function expand(x: Tensor, shape: Shape): Tensor {
  assertTensor(x, 'expand');
  shape = shapeArg(shape, 'expand');
  if (shape.length < x.ndim)
    throw new RangeError(`expand: cannot expand shape ${fmt(x.shape)} to fewer dims ${fmt(shape)}`);
  const lead = shape.length - x.ndim;
  const target = shape.map((d, i) => (d === -1 && i >= lead ? x.shape[i - lead]! : d));
  target.forEach((d, i) => {
    const s = i < lead ? 1 : x.shape[i - lead]!;
    if (!Number.isInteger(d) || d < 0 || (s !== 1 && s !== d))
      throw new RangeError(
        `expand: shape ${fmt(x.shape)} cannot be expanded to ${fmt(shape)} (dim ${i}: ${s} vs ${d})`,
      );
  });
  if (target.length === x.ndim && target.every((d, i) => d === x.shape[i])) return x;
  const out = new Tensor(alloc(x.dtype, sizeOf(target)), target);
  kernels().copyStrided(x.data, 0, broadcastStrides(x.shape, target), target, out.data);
  return record('expand', [x], out, (g) => [g], []); // the engine sums g back to x's shape
}

/**
 * Python-style slice along one dim: start, end (exclusive, negatives count from the end) and step > 0.
 * @example slice(arange(10), 0, 2, 8, 3); // [2, 5]
 */
export function slice(x: Tensor, dim: number, start?: number | null, end?: number | null, step = 1): Tensor {
  assertTensor(x, 'slice');
  if (x.ndim === 0) throw new RangeError('slice: a 0-d tensor has no dim to slice');
  const d = normDim(dim, x.ndim, 'slice');
  if (!Number.isInteger(step) || step <= 0) throw new RangeError(`slice: step must be a positive integer, got ${step}`);
  const n = x.shape[d]!;
  const clampIdx = (v: number | null | undefined, dflt: number): number => {
    if (v === undefined || v === null) return dflt;
    if (!Number.isInteger(v)) throw new RangeError(`slice: start and end must be integers, got ${v}`);
    const r = v < 0 ? v + n : v;
    return Math.min(Math.max(r, 0), n);
  };
  const s = clampIdx(start, 0),
    e = Math.max(clampIdx(end, n), s);
  const len = Math.ceil((e - s) / step);
  const strides = stridesOf(x.shape);
  const shape = x.shape.slice();
  shape[d] = len;
  const readStrides = strides.slice();
  readStrides[d] = strides[d]! * step;
  const out = new Tensor(alloc(x.dtype, sizeOf(shape)), shape);
  kernels().copyStrided(x.data, s * strides[d]!, readStrides, shape, out.data);
  return record('slice', [x], out, (g) => [unslice(g, x.shape, d, s, step)], []); // scatter back into zeros
}

/** The adjoint of `slice`: g written into zeros of `shape` at start, start + step, … along dim. */
function unslice(g: Tensor, shape: Shape, d: number, start: number, step: number): Tensor {
  const out = new Tensor(alloc(g.dtype, sizeOf(shape)), shape);
  const strides = stridesOf(shape);
  // Read g contiguously, write strided: the slice's own view of out, written through.
  const writeStrides = strides.slice();
  writeStrides[d] = strides[d]! * step;
  kernels().scatterStrided(g.data, g.shape, out.data, start * strides[d]!, writeStrides);
  return record('unslice', [g], out, (gg) => [slice(gg, d, start, start + (g.shape[d]! - 1) * step + 1, step)], []);
}

/** Throws unless `tensors` is a non-empty array of Tensors; the error names the op and the bad entry. */
function checkList(tensors: readonly Tensor[], op: string): void {
  if (!Array.isArray(tensors) || tensors.length === 0)
    throw new RangeError(`${op}: expected a non-empty list of tensors`);
  tensors.forEach((t, i) => {
    if (!(t instanceof Tensor)) assertTensor(t, op, `entry ${i} of the list`);
  });
}

/** Joins tensors along an existing dim. @example cat([ones([2]), zeros([1])]); // [1, 1, 0] */
export function cat(tensors: readonly Tensor[], dim = 0): Tensor {
  checkList(tensors, 'cat');
  const first = tensors[0]!;
  if (first.ndim === 0) throw new RangeError('cat: 0-d tensors cannot be joined along a dim; use stack');
  const d = normDim(dim, first.ndim, 'cat');
  tensors.forEach((t, i) => {
    if (t.ndim !== first.ndim || t.shape.some((s, k) => k !== d && s !== first.shape[k])) {
      throw new RangeError(
        `cat: tensor ${i} has shape ${fmt(t.shape)}, which does not match ${fmt(first.shape)} outside dim ${d}`,
      );
    }
  });
  const dtype = tensors.reduce((dt, t) => promote(dt, t.dtype), first.dtype);
  const shape = first.shape.slice();
  shape[d] = tensors.reduce((s, t) => s + t.shape[d]!, 0);
  const out = new Tensor(alloc(dtype, sizeOf(shape)), shape);
  // Each input is a strided write into its block of out: out's strides, starting `at` rows along d.
  const os = stridesOf(shape);
  let at = 0;
  for (const t of tensors) {
    kernels().scatterStrided(t.data, t.shape, out.data, at * os[d]!, os);
    at += t.shape[d]!;
  }
  return record(
    'cat',
    tensors,
    out,
    (g) => {
      let at = 0;
      return tensors.map((t) => cast(slice(g, d, at, (at += t.shape[d]!)), t.dtype)); // each input gets its own slice
    },
    [],
  );
}

/** Joins tensors along a new dim. @example stack([ones([2]), zeros([2])]); // shape [2, 2] */
export function stack(tensors: readonly Tensor[], dim = 0): Tensor {
  checkList(tensors, 'stack');
  const first = tensors[0]!;
  tensors.forEach((t, i) => {
    if (t.ndim !== first.ndim || t.shape.some((s, k) => s !== first.shape[k]))
      throw new RangeError(`stack: tensor ${i} has shape ${fmt(t.shape)} but tensor 0 has ${fmt(first.shape)}`);
  });
  const n = first.ndim;
  if (!Number.isInteger(dim) || dim < -(n + 1) || dim > n)
    throw new RangeError(
      `stack: dim ${dim} is out of range for tensors of rank ${n} (expected an integer in [${-(n + 1)}, ${n}])`,
    );
  const d = dim < 0 ? dim + n + 1 : dim;
  return cat(
    tensors.map((t) => unsqueeze(t, d)),
    d,
  );
}
