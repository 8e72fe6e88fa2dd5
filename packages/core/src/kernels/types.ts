import type { Storage } from '../dtype.js';

export type UnaryOp =
  | 'neg'
  | 'exp'
  | 'log'
  | 'sqrt'
  | 'abs'
  | 'tanh'
  | 'sigmoid'
  | 'relu'
  | 'sign'
  | 'step'
  | 'square'
  | 'reciprocal'
  | 'sin'
  | 'cos'
  | 'log1p'
  | 'expm1'
  | 'softplus'
  | 'erf';

export type BinaryOp =
  'add' | 'sub' | 'mul' | 'div' | 'pow' | 'maximum' | 'minimum' | 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';

export type ReduceOp = 'sum' | 'max' | 'min' | 'prod';

/**
 * What a cross-entropy kernel needs to know about the target, per position of the logits viewed
 * as [outer, c, inner] (a position is one (o, i) pair; there are outer·inner of them). Exactly one
 * of `index` and `probs` is set. The smoothed, weighted target t̃ of a position is
 *   class index y:  t̃_k = (1 − ε)·w_y·[k = y] + (ε/c)·w_k      (all 0 at an ignored position)
 *   probabilities:  t̃_k = w_k·((1 − ε)·T_k + ε/c)
 * with w = `weight` (all 1 when null) and ε = `smoothing`.
 */
export interface CrossEntropyTarget {
  /**
   * Class index per position (outer·inner entries, position o·inner + i); a negative entry marks an ignored position.
   */
  index: Int32Array | null;
  /** Target probabilities laid out like the logits, [outer, c, inner]. */
  probs: Storage | null;
  /** Class weights, c entries, or null for all 1. */
  weight: Storage | null;
  /** Label smoothing ε in [0, 1]. */
  smoothing: number;
}

/** One SGD step's settings (PyTorch's SGD): rate, momentum μ, dampening, weight decay, Nesterov, first step. */
export interface SgdStep {
  lr: number;
  momentum: number;
  dampening: number;
  weightDecay: number;
  nesterov: boolean;
  /** The momentum buffer is empty: b = d instead of μ·b + (1 − dampening)·d. */
  first: boolean;
}

/** One Adam step's settings, bias corrections folded in: stepSize = lr / (1 − β₁ᵗ), bc2Sqrt = √(1 − β₂ᵗ). */
export interface AdamStep {
  stepSize: number;
  beta1: number;
  beta2: number;
  eps: number;
  bc2Sqrt: number;
  /** L2 penalty added to the gradient (Adam's weightDecay; 0 for AdamW). */
  l2: number;
  /** θ is multiplied by this first (AdamW: 1 − lr·weightDecay; 1 for Adam). */
  decay: number;
}

/**
 * The whole numeric surface the ops stand on. Everything works on flat, contiguous typed arrays;
 * shapes and strides are passed in. A faster implementation (WebAssembly, workers) replaces this
 * object with `setKernels` and no op changes.
 */
export interface Kernels {
  /** out[i] = f(x[i]). `out` may be `x`. */
  unary(op: UnaryOp, x: Storage, out: Storage): void;
  /** out[i] = f(x[i], alpha) for the parametrised maps: leakyRelu (alpha = slope), powScalar (alpha = exponent). */
  unaryParam(
    op: 'leakyRelu' | 'leakyReluGrad' | 'powScalar' | 'clampMin' | 'clampMax',
    x: Storage,
    alpha: number,
    out: Storage,
  ): void;
  /**
   * Fused activation backward in one pass (g, x and out contiguous, of one size; `out` may be `g`):
   *   relu:      out[i] = x[i] ≤ 0 ? 0 : g[i]          (g passes where x is NaN, as PyTorch)
   *   leakyRelu: out[i] = x[i] > 0 ? g[i] : alpha·g[i]  (alpha·g where x is NaN)
   * For relu, x may be the input or the output (they agree on the sign test).
   */
  activationGrad(op: 'relu' | 'leakyRelu', x: Storage, g: Storage, alpha: number, out: Storage): void;
  /**
   * Broadcast binary op: a and b are read with strides over `shape` (0 for a broadcast dim),
   * out is contiguous of `shape`.
   */
  binary(
    op: BinaryOp,
    a: Storage,
    aStrides: readonly number[],
    b: Storage,
    bStrides: readonly number[],
    shape: readonly number[],
    out: Storage,
  ): void;
  /** where(cond, a, b) with the same broadcast reading as `binary`. */
  where(
    c: Storage,
    cStrides: readonly number[],
    a: Storage,
    aStrides: readonly number[],
    b: Storage,
    bStrides: readonly number[],
    shape: readonly number[],
    out: Storage,
  ): void;
  /** Reduces x of `shape` over the dims flagged in `reduced`; out is contiguous of the kept dims. */
  reduce(op: ReduceOp, x: Storage, shape: readonly number[], reduced: readonly boolean[], out: Storage): void;
  /** Index of the max (or min) along one dim, first on ties (as PyTorch), written as numbers. */
  argReduce(op: 'argmax' | 'argmin', x: Storage, shape: readonly number[], dim: number, out: Storage): void;
  /**
   * Batched matrix product C[b] = op(A[b]) · op(B[b]), op = transpose when the flag is set.
   * A[b] starts at aOffsets[b]; op(A) is m×k, op(B) is k×n; C is contiguous [batch, m, n].
   */
  matmul(
    a: Storage,
    aOffsets: readonly number[],
    transA: boolean,
    b: Storage,
    bOffsets: readonly number[],
    transB: boolean,
    m: number,
    k: number,
    n: number,
    out: Storage,
  ): void;
  /** Copies x (read with `strides` over `shape`) into contiguous out: permute, expand, slice. */
  copyStrided(x: Storage, offset: number, strides: readonly number[], shape: readonly number[], out: Storage): void;
  /**
   * Strided write, the counterpart of copyStrided: out[offset + Σ_k c_k·strides[k]] = src[c] for every
   * coordinate c of `shape`, src contiguous of `shape` (unslice, cat, padding).
   */
  scatterStrided(
    src: Storage,
    shape: readonly number[],
    out: Storage,
    offset: number,
    strides: readonly number[],
  ): void;
  /**
   * out[p] = x[p with its coordinate on `dim` replaced by index[p]] for every position p of `indexShape`
   * (x contiguous of xShape, same rank; out contiguous of indexShape; every index already in range).
   */
  gather(
    x: Storage,
    xShape: readonly number[],
    dim: number,
    index: Int32Array,
    indexShape: readonly number[],
    out: Storage,
  ): void;
  /**
   * out[p with its coordinate on `dim` replaced by index[p]] += src[p] for every position p of `indexShape`
   * (src of srcShape read at p's coordinates; out of outShape holds what is added to): gather's adjoint.
   */
  scatterAdd(
    src: Storage,
    srcShape: readonly number[],
    dim: number,
    index: Int32Array,
    indexShape: readonly number[],
    out: Storage,
    outShape: readonly number[],
  ): void;
  /** out[o, j, i] = x[o, index[j], i], x viewed as [outer, n, inner] and out as [outer, index.length, inner]. */
  indexSelect(x: Storage, outer: number, n: number, inner: number, index: Int32Array, out: Storage): void;
  /**
   * out[o, index[j], i] += src[o, j, i], out viewed as [outer, n, inner] and src as [outer, index.length, inner]:
   * indexSelect's adjoint.
   */
  indexAdd(src: Storage, outer: number, n: number, inner: number, index: Int32Array, out: Storage): void;
  /** out[i·c + index[i]] = 1 for every i (out is [index.length, c], zeroed by the caller; indices in [0, c)). */
  oneHot(index: Int32Array, c: number, out: Storage): void;
  /**
   * Softmax (or log-softmax) of x viewed as [outer, n, inner] along the middle axis, computed
   * stably as (x − max) − log Σ e^(x − max).
   */
  softmax(x: Storage, outer: number, n: number, inner: number, log: boolean, out: Storage): void;
  /**
   * Cross-entropy forward over logits x viewed as [outer, c, inner] (classes on the middle axis).
   * Writes the log-softmax of x into `logp` (same layout) and, per position p = o·inner + i,
   *   loss[p] = −Σ_k t̃_k · logp_k   (a term with t̃_k = 0 counts 0, so a −∞ logit without target mass is harmless)
   *   denom[p] = the position's share of a 'mean': w_y for a class index (0 when ignored), 1 for probabilities.
   */
  crossEntropy(
    x: Storage,
    outer: number,
    c: number,
    inner: number,
    target: CrossEntropyTarget,
    logp: Storage,
    loss: Storage,
    denom: Storage,
  ): void;
  /**
   * Fused cross-entropy backward, one pass: out = scale[p] · ((Σ_k t̃_k)·softmax − t̃) at every
   * position p, from the `logp` the forward wrote. Never the softmax Jacobian, never a division by p.
   */
  crossEntropyBackward(
    logp: Storage,
    outer: number,
    c: number,
    inner: number,
    target: CrossEntropyTarget,
    scale: Storage,
    out: Storage,
  ): void;
  /**
   * One SGD step in place over a parameter p, its gradient g and (momentum > 0) its momentum buffer:
   *   d = g + wd·p;  b = first ? d : μ·b + (1 − dampening)·d;  p −= lr·(nesterov ? d + μ·b : b)
   * (p −= lr·d when μ = 0)
   * computed in float64 and rounded once per stored value, whatever the storage.
   */
  sgdUpdate(p: Storage, g: Storage, buf: Storage | null, o: SgdStep): void;
  /**
   * One Adam/AdamW/AMSGrad step in place: d = g + l2·p; p ·= decay; m = β₁m + (1 − β₁)d; v = β₂v + (1 − β₂)d²;
   * v̂ = max(vmax, v) when vmax is given (stored back); p −= stepSize·(m / (√v̂ / bc2Sqrt + eps)); in float64 as
   * sgdUpdate.
   */
  adamUpdate(p: Storage, g: Storage, m: Storage, v: Storage, vmax: Storage | null, o: AdamStep): void;
}
