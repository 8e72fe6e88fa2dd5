import type { Storage } from '../dtype.js';

/*
 * The kernel contract: the whole numeric surface the ops stand on, and nothing else (every method
 * here is called by an op). A kernel set (the readable reference, the default fast set, a
 * WebAssembly set) implements all of it; `setKernels` swaps some or all of it and no op changes.
 *
 * Rules that hold for every method unless its comment says otherwise:
 * - Arrays are flat typed arrays (`Storage`: Float32Array or Float64Array), row-major. Shapes and
 *   strides are counted in elements, not bytes; a stride of 0 repeats an element (broadcasting).
 * - `out` is written, never read first (the kernel overwrites every element it owns), except
 *   where the method says it accumulates (`scatterAdd`, `indexAdd`, `oneHot`, `scatterStrided`).
 * - Inputs are not modified. `out` may alias an input only where the method says so.
 * - Numbers are read as JavaScript numbers and stored rounded to `out`'s type: inputs of one call
 *   may differ in dtype (float32 + float64 gives a float64 `out`); a kernel set that computes in
 *   a fixed precision must convert such inputs itself.
 * - Index arrays (Int32Array) are already checked by the op: every index is in range.
 * - NaN and ±∞ follow IEEE arithmetic as the reference kernels do; the fast sets are tested
 *   against the reference on −0, ±∞ and NaN.
 */

/** Elementwise maps f(x) of `Kernels.unary`. */
export type UnaryOp =
  | 'neg'
  | 'exp'
  | 'log'
  | 'sqrt'
  | 'abs'
  | 'tanh'
  | 'sigmoid'
  | 'square'
  | 'reciprocal'
  | 'sin'
  | 'cos'
  | 'softplus'
  | 'erf';

/** Elementwise maps f(x, alpha) of `Kernels.unaryParam`. */
export type ParamOp = 'leakyRelu' | 'powScalar' | 'clampMin' | 'clampMax';

/** Activations whose backward `Kernels.activationGrad` fuses into one pass. */
export type ActivationOp = 'relu' | 'leakyRelu' | 'tanh' | 'sigmoid';

/** Binary maps of `Kernels.binary`; the comparisons write 1 or 0. */
export type BinaryOp =
  'add' | 'sub' | 'mul' | 'div' | 'pow' | 'maximum' | 'minimum' | 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';

/** Reductions of `Kernels.reduce`. */
export type ReduceOp = 'sum' | 'max' | 'min';

/**
 * What a cross-entropy kernel needs to know about the target, per position of the logits viewed
 * as [outer, c, inner] (a position is one (o, i) pair; there are outer·inner of them, position
 * p = o·inner + i). Exactly one of `index` and `probs` is set. The smoothed, weighted target t̃ of a
 * position (computed in one place, `targetMass` in kernels/target.ts) is
 *   class index y:  t̃_k = (1 − ε)·w_y·[k = y] + (ε/c)·w_k      (all 0 at an ignored position)
 *   probabilities:  t̃_k = w_k·((1 − ε)·T_k + ε/c)
 * with w = `weight` (all 1 when null) and ε = `smoothing`.
 */
export interface CrossEntropyTarget {
  /** Class index per position (outer·inner entries); a negative entry marks an ignored position. */
  index: Int32Array | null;
  /** Target probabilities T laid out like the logits, [outer, c, inner]. */
  probs: Storage | null;
  /** Class weights w, c entries, or null for all 1. */
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

/** The kernel contract (see the rules at the top of this file). */
export interface Kernels {
  /** out[i] = f(x[i]) for i < out.length (x and out of one length). `out` may be `x` (in place). */
  unary(op: UnaryOp, x: Storage, out: Storage): void;
  /**
   * out[i] = f(x[i], alpha) (x and out of one length; `out` may be `x`):
   *   leakyRelu: x > 0 ? x : alpha·x          powScalar: x ** alpha (JavaScript's **)
   *   clampMin:  x < alpha ? alpha : x         clampMax:  x > alpha ? alpha : x   (NaN stays NaN, −0 stays −0)
   */
  unaryParam(op: ParamOp, x: Storage, alpha: number, out: Storage): void;
  /**
   * Fused activation backward (the forward of the ops reluBackward, leakyReluBackward, tanhBackward and
   * sigmoidBackward), one pass; x, g and out of one length and one dtype; `out` may be `g`:
   *   relu:      out[i] = x[i] ≤ 0 ? 0 : g[i]          (g passes where x is NaN, as PyTorch)
   *   leakyRelu: out[i] = x[i] > 0 ? g[i] : alpha·g[i]  (alpha·g where x is NaN; alpha rounded to out's type first)
   *   tanh:      out[i] = g[i]·(1 − x[i]²)              (x is the forward's output y = tanh)
   *   sigmoid:   out[i] = g[i]·(x[i]·(1 − x[i]))        (x is the forward's output y = σ)
   * tanh and sigmoid round every step to out's type, so they equal the composed ops they replace
   * (mul(g, sub(1, square(y))) and mul(g, mul(y, sub(1, y)))) bit for bit. For relu, x may be the forward's
   * input or its output (they agree on the test).
   */
  activationGrad(op: ActivationOp, x: Storage, g: Storage, alpha: number, out: Storage): void;
  /**
   * Broadcast binary op: out[c] = a[Σ c_d·aStrides[d]] ∘ b[Σ c_d·bStrides[d]] for every coordinate c of
   * `shape` (strides 0 on broadcast dims), out contiguous of `shape`. `out` may be `a` or `b` when that
   * operand is contiguous of `shape` (the engine accumulates gradients this way).
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
  /** out[c] = cond[c] ≠ 0 ? a[c] : b[c] (NaN counts as true), each read with its strides as `binary`; no aliasing. */
  where(
    cond: Storage,
    cStrides: readonly number[],
    a: Storage,
    aStrides: readonly number[],
    b: Storage,
    bStrides: readonly number[],
    shape: readonly number[],
    out: Storage,
  ): void;
  /**
   * Reduces x (contiguous of `shape`) over the dims flagged in `reduced` (one flag per dim); out is
   * contiguous of the kept dims (one element for a full reduction). Empty reductions give 0 (sum),
   * −∞ (max) or +∞ (min); max and min propagate NaN. No aliasing.
   */
  reduce(op: ReduceOp, x: Storage, shape: readonly number[], reduced: readonly boolean[], out: Storage): void;
  /**
   * Index of the max (or min) of x (contiguous of `shape`) along `dim`, first on ties and at the first NaN
   * (as PyTorch), written as numbers into out, contiguous of `shape` without `dim`. No aliasing.
   */
  argReduce(op: 'argmax' | 'argmin', x: Storage, shape: readonly number[], dim: number, out: Storage): void;
  /**
   * Batched matrix product C[t] = op(A[t]) · op(B[t]) for t < aOffsets.length, op = transpose when the flag
   * is set. A[t] is a contiguous row-major block at aOffsets[t] (m×k, or k×m stored when transA), B[t] at
   * bOffsets[t] (k×n, or n×k stored when transB); C is contiguous [batch, m, n]. Offsets may repeat (a
   * broadcast operand). `out` never aliases a or b.
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
  /** Strided read into contiguous out: out[c] = x[offset + Σ c_d·strides[d]] over `shape` (permute, expand, slice). */
  copyStrided(x: Storage, offset: number, strides: readonly number[], shape: readonly number[], out: Storage): void;
  /**
   * Strided write, copyStrided's counterpart: out[offset + Σ c_d·strides[d]] = src[c] for every coordinate c
   * of `shape`, src contiguous of `shape`; the other elements of out are left as they are (unslice, cat).
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
   * (x contiguous of xShape, same rank; out contiguous of indexShape).
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
   * Accumulates: out[p with its coordinate on `dim` replaced by index[p]] += src[p] for every position p of
   * `indexShape` (src contiguous of srcShape, read at p's coordinates; out contiguous of outShape, holding what
   * is added to): gather's adjoint.
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
   * Accumulates: out[o, index[j], i] += src[o, j, i], out viewed as [outer, n, inner] and src as
   * [outer, index.length, inner]: indexSelect's adjoint.
   */
  indexAdd(src: Storage, outer: number, n: number, inner: number, index: Int32Array, out: Storage): void;
  /** out[i·c + index[i]] = 1 for every i (out is [index.length, c], zeroed by the caller). */
  oneHot(index: Int32Array, c: number, out: Storage): void;
  /**
   * Softmax (or log-softmax) of x viewed as [outer, n, inner] along the middle axis into out (same layout),
   * computed stably from m = max: e^(x − m) / Σ e^(x − m), or (x − m) − log Σ e^(x − m). A row of nothing
   * but −∞ takes m = 0 (NaN out, as PyTorch); a +∞ makes its row NaN. No aliasing.
   */
  softmax(x: Storage, outer: number, n: number, inner: number, log: boolean, out: Storage): void;
  /**
   * Cross-entropy forward over logits x viewed as [outer, c, inner] (classes on the middle axis). Writes the
   * log-softmax into `logp` (x's layout; null: the caller does not keep it, and the loss is formed from the
   * same values, rounded to x's type, without storing them) and per position p = o·inner + i (Float64Array,
   * outer·inner each):
   *   max[p]   = the largest logit (0 when all are −∞), sum[p] = Σ_k e^(x_k − max[p]): the softmax
   *              e^(x_k − max)/sum, which the backward recomputes from x rather than the forward storing it;
   *   loss[p]  = −Σ_k t̃_k · logp_k   (a term with t̃_k = 0 counts 0, so a −∞ logit without target mass is harmless)
   *   denom[p] = the position's share of a 'mean': w_y for a class index (0 when ignored), 1 for probabilities.
   * No aliasing between the six arrays.
   */
  crossEntropy(
    x: Storage,
    outer: number,
    c: number,
    inner: number,
    target: CrossEntropyTarget,
    logp: Storage | null,
    max: Float64Array,
    sum: Float64Array,
    loss: Float64Array,
    denom: Float64Array,
  ): void;
  /**
   * Fused cross-entropy backward (the forward of the op crossEntropyBackward), one pass: at every position p,
   *   out_k = scale[p] · ((Σ_j t̃_j)·p_k − t̃_k),   p_k = e^(x_k − max[p]) / sum[p]
   * the softmax recomputed from the logits x and the forward's max and sum, rounded to x's type as a
   * softmax kernel would store it; `scale` has outer·inner entries, `out` the layout of x. 0 at an ignored
   * position or where scale is 0. Never the softmax Jacobian, never a division by p. No aliasing.
   */
  crossEntropyBackward(
    x: Storage,
    max: Float64Array,
    sum: Float64Array,
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
