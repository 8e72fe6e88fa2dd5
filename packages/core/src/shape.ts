/** Shape arithmetic shared by the ops and the kernels: sizes, strides, broadcasting, dims. */

/** The size of each dim, outermost first ([] for a 0-d tensor). */
export type Shape = readonly number[];

/** Number of elements of a shape: the product of its dims (1 for a scalar). @example sizeOf([2, 3]); // 6 */
export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/**
 * Row-major (C-order) strides of a contiguous tensor: stride_i = Π_{j>i} shape_j.
 * @example stridesOf([2, 3]); // [3, 1]
 */
export function stridesOf(shape: Shape): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i]!;
  }
  return s;
}

/** True when both shapes have the same dims. @example sameShape([2, 3], [2, 3]); // true */
export function sameShape(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The one shape formatter of every error message (and of positions in a shape): '[2, 3]'. Exported as
 * `formatShape` from `@xent/core/extend` for @xent/nn.
 * @example fmt([2, 3]); // '[2, 3]'
 */
export function fmt(shape: Shape): string {
  return `[${shape.join(', ')}]`;
}

/**
 * numpy broadcasting of two shapes: align on the right, each dim equal or 1; the error names the op and both shapes.
 * @example broadcastShapes([2, 1], [3], 'add'); // [2, 3]
 */
export function broadcastShapes(a: Shape, b: Shape, op = 'broadcastShapes'): number[] {
  if (typeof op !== 'string') op = 'broadcastShapes';
  for (const [name, s] of [
    ['a', a],
    ['b', b],
  ] as const)
    if (!Array.isArray(s) || !s.every((d) => Number.isInteger(d) && d >= 0))
      throw new TypeError(
        `${op}: shape ${name} must be an array of non-negative integers, got ${Array.isArray(s) ? `an array of ${s.length} items` : s === null ? 'null' : typeof s}`,
      );
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new RangeError(
        `${op}: shapes ${fmt(a)} and ${fmt(b)} cannot be broadcast together (dim ${i}: ${da} vs ${db})`,
      );
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/**
 * Strides for reading a tensor of shape `from` as if it had the broadcast shape `to`:
 * a broadcast dim gets stride 0, so the same element is read again.
 * @example broadcastStrides([3], [2, 3]); // [0, 1]
 */
export function broadcastStrides(from: Shape, to: Shape): number[] {
  const src = stridesOf(from);
  const off = to.length - from.length;
  const s = new Array<number>(to.length).fill(0);
  for (let i = 0; i < from.length; i++) s[i + off] = from[i] === 1 ? 0 : src[i]!;
  return s;
}

/**
 * Resolves a possibly negative dim against a rank (d < 0 → d + rank); the error names the op, the dim and the rank.
 * @example normDim(-1, 3, 'sum'); // 2
 */
export function normDim(dim: number, ndim: number, op: string): number {
  const r = Math.max(ndim, 1);
  // A string '1' would read as out of range (or, worse, concatenate); name what it is.
  if (typeof dim !== 'number')
    throw new TypeError(
      `${op}: dim must be an integer, got ${typeof dim === 'string' ? JSON.stringify((dim as string).slice(0, 40)) : dim === null ? 'null' : typeof dim}`,
    );
  if (!Number.isInteger(dim) || dim < -r || dim >= r) {
    throw new RangeError(
      `${op}: dim ${dim} is out of range for a tensor of rank ${ndim} (expected an integer in [${-r}, ${r - 1}])`,
    );
  }
  return dim < 0 ? dim + r : dim;
}

/**
 * Resolves `dim` (a number, a list, or undefined for all dims) to a sorted list of distinct dims.
 * @example normDims([-1, 0], 3, 'sum'); // [0, 2]
 */
export function normDims(dim: number | readonly number[] | undefined, ndim: number, op: string): number[] {
  if (dim === undefined) return Array.from({ length: ndim }, (_, i) => i);
  if (typeof dim !== 'number' && !Array.isArray(dim))
    throw new TypeError(`${op}: dim must be a number or a list of numbers, got ${JSON.stringify(dim)}`);
  const list = typeof dim === 'number' ? [dim] : dim;
  const out = list.map((d) => normDim(d, ndim, op));
  const set = new Set(out);
  if (set.size !== out.length) throw new RangeError(`${op}: dim ${JSON.stringify(dim)} repeats a dim`);
  return out.sort((x, y) => x - y);
}

/**
 * Shape after reducing `dims`, keeping them as 1 when `keepdim`.
 * @example reducedShape([2, 3], [1], true); // [2, 1]
 */
export function reducedShape(shape: Shape, dims: readonly number[], keepdim: boolean): number[] {
  const out: number[] = [];
  for (let i = 0; i < shape.length; i++) {
    if (dims.includes(i)) {
      if (keepdim) out.push(1);
    } else out.push(shape[i]!);
  }
  return out;
}

/** A copy of `shape` after checking it is a list of non-negative integers. @example checkShape([2, 3], 'zeros'); */
export function checkShape(shape: unknown, op: string): number[] {
  if (!Array.isArray(shape) || shape.length > 64 || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
    const shown = Array.isArray(shape)
      ? shape.length > 8 || shape.some((d) => typeof d === 'object' && d !== null)
        ? `an array of ${shape.length} items` // never stringify what may be nested 100,000 deep
        : JSON.stringify(shape)
      : shape === null
        ? 'null'
        : typeof shape;
    throw new TypeError(
      `${op}: shape must be a list of non-negative integers${Array.isArray(shape) && shape.length > 64 ? ' (at most 64 dims)' : ''}, got ${shown}`,
    );
  }
  const size = shape.reduce((a: number, b: number) => a * b, 1);
  // Past 2³² − 1 elements no typed array can hold it: say so instead of "Invalid typed array length".
  if (size > MAX_ELEMENTS)
    throw new RangeError(
      `${op}: shape ${fmt(shape)} has ${size} elements, more than a typed array can hold (${MAX_ELEMENTS})`,
    );
  return shape.slice();
}

/** The most elements one tensor may hold: V8's typed-array limit on 64-bit. */
const MAX_ELEMENTS = 2 ** 32 - 1;
