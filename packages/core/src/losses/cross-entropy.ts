import { alloc } from '../dtype.js';
import { kernels } from '../kernels/index.js';
import { targetMass } from '../kernels/target.js';
import type { CrossEntropyTarget } from '../kernels/types.js';
import { eq, mul, sub, where } from '../ops/elementwise.js';
import { sum } from '../ops/reduce.js';
import { reshape } from '../ops/shape.js';
import { logSoftmaxNode, softmax } from '../ops/softmax.js';
import { sameShape } from '../shape.js';
import { freshGrad } from '../grad-delivery.js';
import { record } from '../record.js';
import { Tensor, viewOf } from '../tensor.js';
import { reduceLoss } from './reduction.js';
import {
  type ClassLayout,
  type ClassTarget,
  type Reduction,
  checkOptionKeys,
  checkProbTarget,
  checkReduction,
  classLayout,
  filled,
  keepShape,
  parseClassIndex,
  parseWeight,
} from './targets.js';

/** Per position: the max of the logits and Σ e^(x − max), from which the backward forms the softmax. */
interface SoftmaxStats {
  max: Float64Array;
  sum: Float64Array;
}

/** Options of `crossEntropy`, as PyTorch's `F.cross_entropy`. */
export interface CrossEntropyOptions {
  /** A weight per class (C entries); not differentiated. */
  weight?: Tensor | readonly number[] | null;
  /** Positions whose class index equals this contribute nothing (class-index targets only). Default −100. */
  ignoreIndex?: number;
  /** ε in [0, 1]: the target becomes (1 − ε)·onehot + ε/C. Default 0. */
  labelSmoothing?: number;
  /** 'mean' (default), 'sum' or 'none' (keeps [N, d1, …, dK]). */
  reduction?: Reduction;
}

/**
 * Cross-entropy of logits against class indices or class probabilities, as PyTorch's
 * `F.cross_entropy`: with p = softmax(input) along the class dim and t̃ the smoothed, weighted target,
 *   loss = −Σ_c t̃_c · log p_c  per position, then the reduction.
 * For a class index y: t̃_c = (1 − ε)·w_y·[c = y] + (ε/C)·w_c, and 'mean' divides by Σ w_y over the
 * kept (non-ignored) positions. For probabilities T: t̃_c = w_c·((1 − ε)·T_c + ε/C), and 'mean'
 * divides by the number of positions.
 *
 * Input: [C], [N, C] or [N, C, d1, …, dK] (classes on dim 1, dim 0 for 1-D). Target: class indices
 * of shape [N, d1, …, dK] (a number for a [C] input; numbers, nested arrays, an Int32Array or an
 * integer-valued tensor) or a float tensor of probabilities of the input's shape.
 *
 * Fused: one kernel pass computes the loss and each position's max and Σ e^(x − max); the gradient w.r.t.
 * the logits is the op `crossEntropyBackward`, (Σ t̃)·p − t̃ times the reduction's scale in one kernel pass
 * that forms p from those, itself
 * differentiable (so the Hessian of one sample is diag(p) − ppᵀ). Probability targets get their
 * gradient too, as in PyTorch: −(1 − ε)·w_c·log p_c times the scale; class indices and the weights get none.
 *
 * Difference from PyTorch: when every target is ignored (or the kept targets' weights sum to 0),
 * 'mean' gives 0 and a zero gradient (PyTorch gives NaN, 0/0).
 * @example crossEntropy(tensor([[2, 0, -1]]), [0]); // 0.1698 = −log softmax([2, 0, −1])₀
 */
export function crossEntropy(input: Tensor, target: ClassTarget, opts: CrossEntropyOptions = {}): Tensor {
  const fn = 'crossEntropy';
  checkOptionKeys(opts, fn, ['weight', 'ignoreIndex', 'labelSmoothing', 'reduction']);
  const { ignoreIndex = -100, labelSmoothing = 0, reduction = 'mean' } = opts;
  const L = classLayout(input, fn);
  checkReduction(reduction, fn);
  if (typeof labelSmoothing !== 'number' || !(labelSmoothing >= 0 && labelSmoothing <= 1)) {
    throw new RangeError(`${fn}: labelSmoothing must be a number in [0, 1], got ${labelSmoothing}`);
  }
  if (!Number.isInteger(ignoreIndex)) throw new TypeError(`${fn}: ignoreIndex must be an integer, got ${ignoreIndex}`);
  const isProbs = target instanceof Tensor && sameShape(target.shape, input.shape);
  if (isProbs && ignoreIndex >= 0)
    throw new TypeError(
      `${fn}: ignoreIndex (${ignoreIndex}) is not supported with probability targets (as in PyTorch)`,
    );
  const spec: CrossEntropyTarget = {
    index: isProbs ? null : parseClassIndex(target, L, ignoreIndex, fn, input.shape, true),
    probs: isProbs ? checkProbTarget(target as Tensor, fn) : null,
    weight: parseWeight(opts.weight, L.c, fn),
    smoothing: labelSmoothing,
  };
  const npos = L.outer * L.inner;
  const T = isProbs ? (target as Tensor) : null;
  // Saved for the backward, explicitly: the logits with each position's max and Σ e^(x − max), from which the
  // backward forms the softmax again (cheaper than keeping p, a second tensor of the input's size), and, only
  // for a probability target that needs its gradient, log p (with class indices the kernel forms just the
  // entries the loss reads).
  const keptLogp = T?.requiresGrad ? new Tensor(alloc(input.dtype, input.size), input.shape) : null;
  // The four per-position arrays in one allocation (each fresh ArrayBuffer costs about a microsecond).
  const pos = new Float64Array(4 * npos);
  const stats: SoftmaxStats = { max: pos.subarray(0, npos), sum: pos.subarray(npos, 2 * npos) };
  const lossPos = pos.subarray(2 * npos, 3 * npos),
    denomPos = pos.subarray(3 * npos);
  kernels().crossEntropy(
    input.data,
    L.outer,
    L.c,
    L.inner,
    spec,
    keptLogp?.data ?? null,
    stats.max,
    stats.sum,
    lossPos,
    denomPos,
  );
  let den = 0;
  for (let p = 0; p < npos; p++) den += denomPos[p]!;

  const elems = record(
    fn,
    T ? [input, T] : [input],
    filled(lossPos, L.posShape, input.dtype),
    (g) => {
      // g: ∂/∂(position loss), the scale of each position's gradient
      const gx = input.requiresGrad ? crossEntropyBackward(g, input, stats, spec, L, T) : null;
      if (!T) return [gx];
      if (!T.requiresGrad) return [gx, null];
      // ∂/∂T = −(1 − ε)·w·log p; a class with coefficient 0 gets 0, even at a −∞ logit
      const cw = classWeights(spec, L, -(1 - spec.smoothing), input);
      const lp = logSoftmaxNode(input, L.classDim, viewOf(keptLogp!, input.shape));
      return [gx, mul(where(eq(cw, 0), 0, mul(lp, cw)), reshape(g, keepShape(input.shape, L.classDim)))];
    },
    [
      input.requiresGrad && input, // the logits (with stats) and a probability target for the logits' gradient,
      input.requiresGrad && T,
      keptLogp, // log p for the target's
    ],
  );
  return reduceLoss(elems, reduction, reduction === 'mean' ? den : undefined);
}

/**
 * The fused backward of crossEntropy as an op of its own (as PyTorch's `_softmax_backward_data`):
 * out = scale · ((Σ t̃)·p − t̃), one kernel pass that forms p = e^(x − max)/Σ again from the logits and
 * the forward's per-position max and sum, with the per-position `scale` broadcast over the classes.
 * Differentiable in the scale, the logits (through p) and a probability target T (through t̃), by the
 * vjp below, composed from primitives.
 */
function crossEntropyBackward(
  scale: Tensor,
  input: Tensor,
  stats: SoftmaxStats,
  spec: CrossEntropyTarget,
  L: ClassLayout,
  T: Tensor | null,
): Tensor {
  // Fresh storage returned once, as the logits' gradient: their .grad may take it without a copy.
  const out = freshGrad(new Tensor(alloc(input.dtype, input.size), input.shape));
  kernels().crossEntropyBackward(input.data, stats.max, stats.sum, L.outer, L.c, L.inner, spec, scale.data, out.data);
  return record(
    'crossEntropyBackward',
    T ? [scale, input, T] : [scale, input],
    out,
    (gg) => {
      const d = L.classDim;
      const p = softmax(input, d); // differentiable in the logits, for the next order
      const t = smoothedTarget(spec, L, input, T);
      const tau = sum(t, d, true); // Σ t̃ per position
      const s = reshape(scale, keepShape(input.shape, d));
      const v = mul(mul(gg, s), tau);
      const dx = mul(p, sub(v, sum(mul(v, p), d, true))); // softmax's vjp of v: p ⊙ (v − ⟨v, p⟩)
      const ds = reshape(sum(mul(gg, sub(mul(p, tau), t)), d, true), scale.shape); // ⟨gg, (Σ t̃)·p − t̃⟩
      if (!T) return [ds, dx];
      // ∂out_k/∂T_j = s·(1 − ε)·w_j·(p_k − [k = j])
      const dT = T.requiresGrad
        ? mul(classWeights(spec, L, 1 - spec.smoothing, input), mul(s, sub(sum(mul(gg, p), d, true), gg)))
        : null;
      return [ds, dx, dT];
    },
    [scale, input, T],
  ); // the scale, the logits (with the forward's stats), a probability target
}

/** factor·w_c as a constant of shape [1, C, 1, …] (or [C]), broadcasting over the positions. */
function classWeights(t: CrossEntropyTarget, L: ClassLayout, factor: number, input: Tensor): Tensor {
  const w = new Tensor(
    alloc(input.dtype, L.c),
    input.shape.map((_, d) => (d === L.classDim ? L.c : 1)),
  );
  for (let k = 0; k < L.c; k++) w.data[k] = factor * (t.weight ? t.weight[k]! : 1);
  return w;
}

/**
 * t̃ of every position as a tensor of the input's shape, from `targetMass` (the one definition); with a
 * probability target T that requires a gradient, a node of T whose derivative is (1 − ε)·w.
 */
function smoothedTarget(t: CrossEntropyTarget, L: ClassLayout, input: Tensor, T: Tensor | null): Tensor {
  const out = new Tensor(alloc(input.dtype, input.size), input.shape);
  for (let a = 0; a < L.outer; a++) {
    for (let i = 0; i < L.inner; i++) {
      const base = a * L.c * L.inner + i,
        y = t.index ? t.index[a * L.inner + i]! : 0;
      for (let k = 0; k < L.c; k++) out.data[base + k * L.inner] = targetMass(t, L.c, L.inner, base, k, y);
    }
  }
  if (!T) return out;
  // t̃ = w ⊙ ((1 − ε)·T + ε/C) is linear in T: d t̃ = (1 − ε)·w dT
  return record('smoothedTarget', [T], out, (g) => [mul(g, classWeights(t, L, 1 - t.smoothing, input))], []);
}
