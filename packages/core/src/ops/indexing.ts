import { alloc, checkDType, promote } from '../dtype.js';
import { kernels } from '../kernels/index.js';
import { type Shape, checkShape, fmt, normDim, sizeOf, stridesOf } from '../shape.js';
import { record } from '../record.js';
import { Tensor, assertTensor } from '../tensor.js';
import { slice } from './shape.js';

/** Integer indices: a tensor holding integers, a (nested) number array, or an Int32Array. */
export type IndexLike = Tensor | Int32Array | readonly unknown[] | number;

interface Index {
  data: ArrayLike<number>;
  shape: number[];
}

/** The most dims a nested array may have (PyTorch's limit too). */
const MAX_DIMS = 64;

/**
 * Flattens nested number arrays into data and shape, checking that they are rectangular and hold
 * numbers only: a hole (`[1, , 3]`) is a TypeError, as `undefined` is. Walks with an explicit stack,
 * so no depth of nesting can overflow the call stack (more than 64 dims is an error).
 * @example nestedToFlat([[1, 2], [3, 4]], 'tensor', 'data'); // { data: [1, 2, 3, 4], shape: [2, 2] }
 */
export function nestedToFlat(value: unknown, op: string, arg: string): { data: number[]; shape: number[] } {
  const shape: number[] = [];
  let probe: unknown = value;
  while (Array.isArray(probe)) {
    if (shape.length === MAX_DIMS) throw new RangeError(`${op}: ${arg} is nested more than ${MAX_DIMS} deep`);
    shape.push(probe.length);
    probe = probe[0];
  }
  const data: number[] = [];
  const leaf = (v: unknown, where: () => string): void => {
    if (typeof v !== 'number')
      throw new TypeError(`${op}: ${arg} must hold numbers, found ${v === null ? 'null' : typeof v} at [${where()}]`);
    data.push(v);
  };
  if (shape.length === 0) {
    leaf(value, () => '');
    return { data, shape };
  }
  // arrays[d] is the array being read at depth d and next[d] the position after the one being read.
  const arrays: unknown[][] = [value as unknown[]];
  const next: number[] = [0];
  while (arrays.length > 0) {
    const d = arrays.length - 1;
    const arr = arrays[d]!,
      i = next[d]!;
    if (i === arr.length) {
      arrays.pop();
      next.pop();
      continue;
    }
    next[d] = i + 1;
    const where = (): string => [...next.slice(0, d).map((n) => n - 1), i].join(', ');
    if (!(i in arr))
      throw new TypeError(
        `${op}: ${arg} has a hole (an empty array slot) at [${where()}]; every position needs a number`,
      );
    const v = arr[i];
    if (d + 1 === shape.length) leaf(v, where);
    else if (!Array.isArray(v) || v.length !== shape[d + 1])
      throw new RangeError(
        `${op}: ${arg} is not rectangular: expected ${Array.isArray(v) ? `length ${shape[d + 1]} but found length ${v.length}` : `an array of length ${shape[d + 1]}`} at [${where()}]`,
      );
    else {
      arrays.push(v);
      next.push(0);
    }
  }
  return { data, shape };
}

/**
 * Reads indices and checks that they are integers; the error names the op and the argument.
 * @example toIndex([[0], [2]], 'gather'); // { data: [0, 2], shape: [2, 1] }
 */
function toIndex(index: IndexLike, op: string, arg = 'index'): Index {
  let out: Index;
  if (index instanceof Tensor) out = { data: index.data, shape: index.shape.slice() };
  else if (index instanceof Int32Array) out = { data: index, shape: [index.length] };
  else if (typeof index === 'number') out = { data: [index], shape: [] };
  else out = nestedToFlat(index, op, arg);
  for (let i = 0; i < out.data.length; i++) {
    if (!Number.isInteger(out.data[i]))
      throw new TypeError(`${op}: ${arg} must hold integers, found ${out.data[i]} at flat position ${i}`);
  }
  return out;
}

/**
 * An index must lie in [0, n): negative indices are errors, as in PyTorch's gather/scatter/index_select (no silent
 * wrap-around).
 */
function checkRange(v: number, n: number, op: string, pos: number): number {
  if (v < 0 || v >= n)
    throw new RangeError(
      `${op}: index ${v} at flat position ${pos} is out of range for a dim of size ${n} (expected 0 ≤ index < ${n})`,
    );
  return v;
}

/**
 * Range-checks every index against a dim of size n (flat order, first bad one named) and hands them to the kernels as
 * Int32Array positions.
 */
function positions(data: ArrayLike<number>, n: number, op: string): Int32Array {
  const pos = new Int32Array(data.length);
  for (let i = 0; i < pos.length; i++) pos[i] = checkRange(data[i]!, n, op, i);
  return pos;
}

/** A dim's size; a 0-d tensor counts as size 1 along its one nominal dim, as in PyTorch. */
const dimSize = (shape: Shape, d: number): number => (shape.length === 0 ? 1 : shape[d]!);

/**
 * Picks entries along `dim` by a 1-D list of positions.
 * @example indexSelect(tensor([[1, 2], [3, 4]]), 0, [1]); // [[3, 4]]
 */
export function indexSelect(x: Tensor, dim: number, index: IndexLike): Tensor {
  assertTensor(x, 'indexSelect');
  const d = normDim(dim, x.ndim, 'indexSelect');
  const ix = toIndex(index, 'indexSelect');
  if (ix.shape.length > 1) throw new RangeError(`indexSelect: index must be 1-D, got shape ${fmt(ix.shape)}`);
  // A 0-d result has room for one entry (PyTorch: "Index to scalar can have only 1 value").
  if (x.ndim === 0 && ix.data.length !== 1)
    throw new RangeError(`indexSelect: a 0-d input takes exactly one index, got ${ix.data.length}`);
  const n = dimSize(x.shape, d);
  const pos = positions(ix.data, n, 'indexSelect');
  const outer = sizeOf(x.shape.slice(0, d)),
    inner = sizeOf(x.shape.slice(d + 1));
  const shape = x.shape.slice();
  if (x.ndim > 0) shape[d] = pos.length;
  const out = new Tensor(alloc(x.dtype, sizeOf(shape)), shape);
  kernels().indexSelect(x.data, outer, n, inner, pos, out.data);
  // each picked entry gets its gradient back
  return record('indexSelect', [x], out, (g) => [indexAdd(g, x.shape, d, pos)], []);
}

/** Zeros of `shape` plus g's slices added at positions `pos` along d: the adjoint of indexSelect. */
function indexAdd(g: Tensor, shape: Shape, d: number, pos: Int32Array): Tensor {
  const out = new Tensor(alloc(g.dtype, sizeOf(shape)), shape);
  const outer = sizeOf(shape.slice(0, d)),
    inner = sizeOf(shape.slice(d + 1));
  kernels().indexAdd(g.data, outer, dimSize(shape, d), inner, pos, out.data);
  return record('indexAdd', [g], out, (gg) => [indexSelect(gg, d, pos)], []);
}

function checkGatherShapes(ix: Index, xShape: Shape, d: number, op: string, other = 'input'): void {
  if (ix.shape.length !== xShape.length)
    throw new RangeError(`${op}: index has rank ${ix.shape.length} but ${other} has rank ${xShape.length}`);
  ix.shape.forEach((s, k) => {
    if (k !== d && s > xShape[k]!)
      throw new RangeError(`${op}: index shape ${fmt(ix.shape)} exceeds ${other} shape ${fmt(xShape)} at dim ${k}`);
  });
}

/**
 * out[i][j] = x[i][index[i][j]] for dim 1 (and likewise for any dim), as PyTorch's gather.
 * @example gather(tensor([[1, 2], [3, 4]]), 1, [[1], [0]]); // [[2], [3]]
 */
export function gather(x: Tensor, dim: number, index: IndexLike): Tensor {
  assertTensor(x, 'gather');
  const d = normDim(dim, x.ndim, 'gather');
  const ix = toIndex(index, 'gather');
  checkGatherShapes(ix, x.shape, d, 'gather');
  return gatherAt(x, d, positions(ix.data, dimSize(x.shape, d), 'gather'), ix.shape);
}

/** gather with range-checked positions laid out over `ixShape`. */
function gatherAt(x: Tensor, d: number, pos: Int32Array, ixShape: Shape): Tensor {
  const out = new Tensor(alloc(x.dtype, sizeOf(ixShape)), ixShape);
  kernels().gather(x.data, x.shape, d, pos, ixShape, out.data);
  return record(
    'gather',
    [x],
    out,
    (g) => [scatterAddAt(new Tensor(alloc(g.dtype, x.size), x.shape), d, pos, ixShape, g)],
    [],
  ); // sends each gradient back to where it was read
}

/**
 * x with src added at the positions index names along dim (repeats add up).
 * @example scatterAdd(zeros([3]), 0, [0, 0], tensor([1, 2])); // [3, 0, 0]
 */
export function scatterAdd(x: Tensor, dim: number, index: IndexLike, src: Tensor): Tensor {
  assertTensor(x, 'scatterAdd');
  assertTensor(src, 'scatterAdd', 'src');
  const d = normDim(dim, x.ndim, 'scatterAdd');
  const ix = toIndex(index, 'scatterAdd');
  checkGatherShapes(ix, x.shape, d, 'scatterAdd');
  checkGatherShapes(ix, src.shape, -1, 'scatterAdd', 'src');
  return scatterAddAt(x, d, positions(ix.data, dimSize(x.shape, d), 'scatterAdd'), ix.shape, src);
}

/** scatterAdd with range-checked positions laid out over `ixShape`. */
function scatterAddAt(x: Tensor, d: number, pos: Int32Array, ixShape: Shape, src: Tensor): Tensor {
  const out = new Tensor(alloc(promote(x.dtype, src.dtype), x.size), x.shape);
  out.data.set(x.data);
  // Index position p adds src at the same coordinates (src may be larger than the index) into x.
  kernels().scatterAdd(src.data, src.shape, d, pos, ixShape, out.data, x.shape);
  // ∂/∂x = 1; ∂/∂src reads g back
  return record('scatterAdd', [x, src], out, (g) => [g, gatherInto(g, d, pos, ixShape, src.shape)], []);
}

/** gather of g by index, placed in a tensor of src's shape (index may be smaller than src). */
function gatherInto(g: Tensor, d: number, pos: Int32Array, ixShape: Shape, srcShape: Shape): Tensor {
  const picked = gatherAt(g, d, pos, ixShape);
  if (sizeOf(srcShape) === picked.size) return picked;
  return padTo(picked, srcShape);
}

/** x written into the leading corner of zeros of `shape` (x fits in every dim). */
function padTo(x: Tensor, shape: Shape): Tensor {
  const out = new Tensor(alloc(x.dtype, sizeOf(shape)), shape);
  kernels().scatterStrided(x.data, x.shape, out.data, 0, stridesOf(shape)); // x's coordinates, out's strides
  // The adjoint of padding is cropping back to x's shape, one slice per dim.
  return record('pad', [x], out, (g) => [x.shape.reduce((t, n, k) => (n === shape[k] ? t : slice(t, k, 0, n)), g)], []);
}

/**
 * One-hot rows: [..., numClasses] with a 1 at each label (numClasses −1: max label + 1).
 * @example oneHot([0, 2], 3); // [[1, 0, 0], [0, 0, 1]]
 */
export function oneHot(labels: IndexLike, numClasses = -1, opts: { dtype?: 'float32' | 'float64' } = {}): Tensor {
  const ix = toIndex(labels, 'oneHot', 'labels');
  if (!Number.isInteger(numClasses) || numClasses < -1)
    throw new RangeError(
      `oneHot: numClasses must be a non-negative integer or -1 (one more than the largest label), got ${String(numClasses)}`,
    );
  const dtype = checkDType(opts.dtype ?? 'float64', 'oneHot');
  let c = numClasses;
  if (c === -1) {
    // A loop, not Math.max(...labels): spreading a long label list overflows the call stack.
    c = 0;
    for (let i = 0; i < ix.data.length; i++) if (ix.data[i]! + 1 > c) c = ix.data[i]! + 1;
  }
  const pos = new Int32Array(ix.data.length);
  checkShape([...ix.shape, c], 'oneHot'); // a huge numClasses is named, not "Invalid typed array length"
  for (let i = 0; i < pos.length; i++) {
    const v = ix.data[i]!;
    if (v < 0 || v >= c) throw new RangeError(`oneHot: label ${v} at flat position ${i} is outside [0, ${c})`);
    pos[i] = v;
  }
  const out = new Tensor(alloc(dtype, ix.data.length * c), [...ix.shape, c]);
  kernels().oneHot(pos, c, out.data);
  return out;
}
