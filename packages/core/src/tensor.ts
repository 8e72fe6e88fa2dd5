import { type DType, type Storage, alloc, dtypeOf } from './dtype.js';
import { type GraphNode, type OpNode, runBackward } from './engine.js';
import { formatTensor } from './format.js';
import { isOwnedGrad, notFresh, ownGrad, tensorSpace } from './grad-delivery.js';
import * as act from './ops/activation.js';
import * as ew from './ops/elementwise.js';
import * as idx from './ops/indexing.js';
import * as mm from './ops/matmul.js';
import * as rd from './ops/reduce.js';
import * as sh from './ops/shape.js';
import * as sm from './ops/softmax.js';
import { type Shape, fmt, sameShape, sizeOf } from './shape.js';

/**
 * Anything an op accepts where a tensor is expected: a tensor or a plain number.
 * @example add(x, 1); // 1 is a TensorLike
 */
export type TensorLike = Tensor | number;
type Dim = number | readonly number[];
type Nested = number | Nested[];

/**
 * An N-d array of float32 or float64 numbers, stored contiguously (row-major), that records
 * the ops applied to it when it requires a gradient.
 * @example const x = tensor([[1, 2], [3, 4]], { requiresGrad: true }); x.mul(x).sum().backward(); x.grad; // 2x
 */
export class Tensor implements GraphNode<Tensor> {
  data: Storage;
  readonly shape: readonly number[];
  /**
   * The gradient `backward` accumulated here (leaves and `retainGrad` tensors), or null. Without
   * createGraph a later backward adds into this tensor IN PLACE (as PyTorch's `.grad`) when
   * backward allocated it and shape and dtype match: copy it (`clone()`) to keep it across
   * backward calls. With createGraph, or into a tensor you assigned yourself, it adds out of place.
   */
  grad: Tensor | null = null;
  requiresGrad: boolean;
  _node: OpNode<Tensor, Tensor> | null = null;
  _pending: Tensor | undefined = undefined;
  _mark = 0;
  /**
   * The tensor whose version counter this one shares: null for a tensor with storage of its own, the
   * base for a view of its storage (reshape, detach), so that an update of either is seen by both (as PyTorch).
   */
  _base: Tensor | null = null;
  /** In-place modifications so far (see `version`), counted on the base of a view. */
  private _v = 0;
  private _retain = false;

  /** Wraps contiguous storage; prefer `tensor()` and the creation functions. */
  constructor(data: Storage, shape: Shape, requiresGrad = false) {
    if (!(data instanceof Float64Array || data instanceof Float32Array))
      throw new TypeError(`Tensor: data must be a Float64Array or a Float32Array, got ${describe(data)}`);
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0))
      throw new TypeError(`Tensor: shape must be an array of non-negative integers, got ${describe(shape)}`);
    if (data.length !== sizeOf(shape)) {
      throw new RangeError(`Tensor: data has ${data.length} elements but shape ${fmt(shape)} needs ${sizeOf(shape)}`);
    }
    this.data = data;
    this.shape = Object.freeze(shape.slice());
    this.requiresGrad = requiresGrad;
  }

  get dtype(): DType {
    return dtypeOf(this.data);
  }
  get size(): number {
    return this.data.length;
  }
  get ndim(): number {
    return this.shape.length;
  }
  /** The name of the op that made this tensor ('leaf' for an input). */
  get op(): string {
    return this._node?.op ?? 'leaf';
  }
  get isLeaf(): boolean {
    return this._node === null;
  }

  /**
   * How many times xent modified this tensor in place (PyTorch's `_version`): optimizer steps,
   * `zeroGrad({ setToNone: false })`, gradient accumulation, `loadStateDict`, the initialisers. A view
   * (reshape, detach) shares the counter of its base. An op records the versions of the tensors its
   * backward reads (what it saves); `backward` refuses to use one that changed since.
   * Writing to `.data` directly is not counted: it is the untracked escape hatch, as PyTorch's `.data`.
   * @example const w = zeros([2]); w.version; // 0
   */
  get version(): number {
    return this._version;
  }
  get _version(): number {
    return (this._base ?? this)._v;
  }
  set _version(v: number) {
    (this._base ?? this)._v = v;
  }

  /** Counts an in-place modification (for code outside the core that updates `.data` in place: optimizers, loaders). */
  _bumpVersion(): void {
    this._version++;
  }

  /** The single number in a one-element tensor. @example tensor([3]).item(); // 3 */
  item(): number {
    if (this.size !== 1)
      throw new RangeError(`item: only a one-element tensor converts to a number, got shape ${fmt(this.shape)}`);
    return this.data[0]!;
  }

  /** Nested arrays of numbers (a number for a 0-d tensor). @example tensor([[1, 2]]).toArray(); // [[1, 2]] */
  toArray(): Nested {
    const build = (d: number, off: number): Nested => {
      if (d === this.ndim) return this.data[off]!;
      let step = 1;
      for (let i = d + 1; i < this.ndim; i++) step *= this.shape[i]!;
      const out: Nested[] = [];
      for (let i = 0; i < this.shape[d]!; i++) out.push(build(d + 1, off + i * step));
      return out;
    };
    return build(0, 0);
  }

  /** PyTorch-like printout. @example String(tensor([1, 2.5])); // 'tensor([1.0000, 2.5000])' */
  toString(): string {
    return formatTensor(this);
  }

  /**
   * Back-propagates from this tensor. Without `grad` the tensor must hold one element (seed 1).
   * With `createGraph` the gradients are themselves differentiable.
   */
  backward(grad?: TensorLike, opts: { createGraph?: boolean } = {}): void {
    if (!this.requiresGrad)
      throw new Error(
        'backward: this tensor does not require a gradient (no input had requiresGrad: true, or it was made under noGrad)',
      );
    let seed: Tensor;
    if (grad === undefined) {
      if (this.size !== 1)
        throw new Error(
          `backward: the gradient can only be implied for a one-element output, got shape ${fmt(this.shape)}; pass a gradient of that shape`,
        );
      seed = new Tensor(alloc(this.dtype, 1).fill(1), this.shape);
    } else {
      if (!(grad instanceof Tensor) && typeof grad !== 'number')
        throw new TypeError(`backward: the gradient must be a Tensor or a number, got ${describe(grad)}`);
      seed = grad instanceof Tensor ? grad : new Tensor(alloc(this.dtype, this.size).fill(grad), this.shape);
      if (!sameShape(seed.shape, this.shape))
        throw new RangeError(
          `backward: gradient shape ${fmt(seed.shape)} does not match output shape ${fmt(this.shape)}`,
        );
    }
    if (seed === grad) notFresh(seed); // the caller's tensor (maybe a gradient grad() returned): never taken
    runBackward<Tensor, Tensor>(this, seed, tensorSpace, opts.createGraph ?? false);
  }

  /** Keeps `.grad` on this non-leaf tensor after `backward`, as PyTorch's `retain_grad()`. */
  retainGrad(): this {
    this._retain = true;
    return this;
  }
  get retainsGrad(): boolean {
    return this._retain;
  }

  /**
   * Sets `.grad` to null (`setToNone`, the default, as PyTorch 2), or with `{ setToNone: false }`
   * fills it with zeros, in place when backward allocated it, so the next backward adds into the
   * same buffer with no allocation. A null `.grad` stays null either way.
   * @example p.zeroGrad({ setToNone: false }); // p.grad is the same tensor, all 0
   */
  zeroGrad(options: { setToNone?: boolean } = {}): void {
    const g = this.grad;
    if ((options.setToNone ?? true) || !g) {
      this.grad = null;
      return;
    }
    if (isOwnedGrad(g)) {
      g.data.fill(0);
      g._version++;
      return;
    }
    // never zero a tensor we did not allocate (a graph node, a shared seed)
    this.grad = ownGrad(new Tensor(alloc(g.dtype, g.size), g.shape));
  }

  /** Sets `requiresGrad` on a leaf (in place, as PyTorch's `requires_grad_`). */
  requiresGrad_(flag = true): this {
    if (!this.isLeaf && !flag) throw new Error('requiresGrad_: only a leaf tensor can be switched off; use detach()');
    this.requiresGrad = flag;
    return this;
  }

  /** The same data, cut from the graph. */
  detach(): Tensor {
    return viewOf(this, this.shape);
  }

  /** A copy with its own storage (differentiable). */
  clone(): Tensor {
    return ew.clone(this);
  }

  /** The same values in another dtype (differentiable). */
  to(dtype: DType): Tensor {
    return ew.cast(this, dtype);
  }

  // Sugar: every op as a method; the free function is the source of truth.
  add(o: TensorLike): Tensor {
    return ew.add(this, o);
  }
  sub(o: TensorLike): Tensor {
    return ew.sub(this, o);
  }
  mul(o: TensorLike): Tensor {
    return ew.mul(this, o);
  }
  div(o: TensorLike): Tensor {
    return ew.div(this, o);
  }
  pow(o: TensorLike): Tensor {
    return ew.pow(this, o);
  }
  neg(): Tensor {
    return ew.neg(this);
  }
  exp(): Tensor {
    return ew.exp(this);
  }
  log(): Tensor {
    return ew.log(this);
  }
  sqrt(): Tensor {
    return ew.sqrt(this);
  }
  abs(): Tensor {
    return ew.abs(this);
  }
  tanh(): Tensor {
    return act.tanh(this);
  }
  sigmoid(): Tensor {
    return act.sigmoid(this);
  }
  relu(): Tensor {
    return act.relu(this);
  }
  leakyRelu(slope = 0.01): Tensor {
    return act.leakyRelu(this, slope);
  }
  gelu(): Tensor {
    return act.gelu(this);
  }
  softplus(): Tensor {
    return act.softplus(this);
  }
  square(): Tensor {
    return ew.square(this);
  }
  sign(): Tensor {
    return ew.sign(this);
  }
  sin(): Tensor {
    return ew.sin(this);
  }
  cos(): Tensor {
    return ew.cos(this);
  }
  erf(): Tensor {
    return ew.erf(this);
  }
  clamp(min?: number | null, max?: number | null): Tensor {
    return ew.clamp(this, min, max);
  }
  maximum(o: TensorLike): Tensor {
    return ew.maximum(this, o);
  }
  minimum(o: TensorLike): Tensor {
    return ew.minimum(this, o);
  }
  where(cond: TensorLike, other: TensorLike): Tensor {
    return ew.where(cond, this, other);
  }
  eq(o: TensorLike): Tensor {
    return ew.eq(this, o);
  }
  ne(o: TensorLike): Tensor {
    return ew.ne(this, o);
  }
  gt(o: TensorLike): Tensor {
    return ew.gt(this, o);
  }
  ge(o: TensorLike): Tensor {
    return ew.ge(this, o);
  }
  lt(o: TensorLike): Tensor {
    return ew.lt(this, o);
  }
  le(o: TensorLike): Tensor {
    return ew.le(this, o);
  }

  sum(dim?: Dim, keepdim = false): Tensor {
    return rd.sum(this, dim, keepdim);
  }
  mean(dim?: Dim, keepdim = false): Tensor {
    return rd.mean(this, dim, keepdim);
  }
  max(dim?: Dim, keepdim = false): Tensor {
    return rd.max(this, dim, keepdim);
  }
  min(dim?: Dim, keepdim = false): Tensor {
    return rd.min(this, dim, keepdim);
  }
  argmax(dim?: number, keepdim = false): Tensor {
    return rd.argmax(this, dim, keepdim);
  }
  argmin(dim?: number, keepdim = false): Tensor {
    return rd.argmin(this, dim, keepdim);
  }
  logsumexp(dim?: Dim, keepdim = false): Tensor {
    return rd.logsumexp(this, dim, keepdim);
  }
  var(dim?: Dim, opts: { keepdim?: boolean; correction?: number } = {}): Tensor {
    return rd.variance(this, dim, opts);
  }
  std(dim?: Dim, opts: { keepdim?: boolean; correction?: number } = {}): Tensor {
    return rd.std(this, dim, opts);
  }

  matmul(o: Tensor): Tensor {
    return mm.matmul(this, o);
  }
  mm(o: Tensor, transA = false, transB = false): Tensor {
    return mm.mm(this, o, transA, transB);
  }
  dot(o: Tensor): Tensor {
    return mm.dot(this, o);
  }
  outer(o: Tensor): Tensor {
    return mm.outer(this, o);
  }

  reshape(...shape: (number | readonly number[])[]): Tensor {
    return sh.reshape(this, shape.flat());
  }
  view(...shape: (number | readonly number[])[]): Tensor {
    return sh.reshape(this, shape.flat());
  }
  flatten(startDim = 0, endDim = -1): Tensor {
    return sh.flatten(this, startDim, endDim);
  }
  transpose(dim0 = 0, dim1 = 1): Tensor {
    return sh.transpose(this, dim0, dim1);
  }
  /** Transpose of a matrix (≤ 2-D), as PyTorch's `.t()`. */
  t(): Tensor {
    return this.ndim < 2 ? this : sh.transpose(this, 0, 1);
  }
  permute(...dims: (number | readonly number[])[]): Tensor {
    return sh.permute(this, dims.flat());
  }
  squeeze(dim?: Dim): Tensor {
    return sh.squeeze(this, dim);
  }
  unsqueeze(dim: number): Tensor {
    return sh.unsqueeze(this, dim);
  }
  expand(...shape: (number | readonly number[])[]): Tensor {
    return sh.expand(this, shape.flat());
  }
  slice(dim: number, start?: number | null, end?: number | null, step = 1): Tensor {
    return sh.slice(this, dim, start, end, step);
  }

  indexSelect(dim: number, index: idx.IndexLike): Tensor {
    return idx.indexSelect(this, dim, index);
  }
  gather(dim: number, index: idx.IndexLike): Tensor {
    return idx.gather(this, dim, index);
  }
  scatterAdd(dim: number, index: idx.IndexLike, src: Tensor): Tensor {
    return idx.scatterAdd(this, dim, index, src);
  }
  /** One-hot rows of this tensor's integer labels: `oneHot(this, numClasses)`. */
  oneHot(numClasses = -1, opts: { dtype?: DType } = {}): Tensor {
    return idx.oneHot(this, numClasses, opts);
  }
  /** `cat([this, ...others], dim)`. */
  cat(others: readonly Tensor[], dim = 0): Tensor {
    if (!Array.isArray(others)) throw new TypeError(`cat: others must be an array of tensors, got ${describe(others)}`);
    return sh.cat([this, ...others], dim);
  }
  /** `stack([this, ...others], dim)`. */
  stack(others: readonly Tensor[], dim = 0): Tensor {
    if (!Array.isArray(others))
      throw new TypeError(`stack: others must be an array of tensors, got ${describe(others)}`);
    return sh.stack([this, ...others], dim);
  }

  softmax(dim = -1): Tensor {
    return sm.softmax(this, dim);
  }
  logSoftmax(dim = -1): Tensor {
    return sm.logSoftmax(this, dim);
  }
}

/**
 * A view of x's storage with another shape, sharing x's version counter (an in-place update of one
 * is an update of the other, as PyTorch's views).
 * @example viewOf(x, [x.size]); // flat, same data
 */
export function viewOf(x: Tensor, shape: Shape, requiresGrad = false): Tensor {
  const t = new Tensor(x.data, shape, requiresGrad);
  t._base = x._base ?? x;
  return t;
}

/**
 * A tensor from a number, kept in the dtype of `like` (as PyTorch does with Python scalars).
 * @example asTensor(2, x); // 0-d, x's dtype
 */
export function asTensor(x: TensorLike, like?: Tensor, op = 'tensor'): Tensor {
  if (x instanceof Tensor) return x;
  if (typeof x !== 'number') throw new TypeError(`${op}: expected a Tensor or a number, got ${describe(x)}`);
  const t = new Tensor(alloc(like?.dtype ?? 'float64', 1), []);
  t.data[0] = x;
  return t;
}

/**
 * The one tensor-argument check: returns `x` when it is a Tensor, else throws a TypeError naming the
 * function, the argument and what it got ("sum: input must be a Tensor, got an array").
 * @example assertTensor(x, 'sum');
 */
export function assertTensor(x: unknown, op: string, arg = 'input'): Tensor {
  if (!(x instanceof Tensor)) throw new TypeError(`${op}: ${arg} must be a Tensor, got ${describe(x)}`);
  return x;
}

/** A short description of a value for error messages. @example describe([1]); // 'an array' */
export function describe(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'an array';
  if (typeof x === 'object') return (x as object).constructor?.name ?? 'an object';
  return `${typeof x} ${String(x)}`;
}
