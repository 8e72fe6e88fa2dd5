import { alloc } from '../dtype.js';
import { isGradEnabled } from '../engine.js';
import { kernels } from '../kernels/index.js';
import type { CrossEntropyTarget } from '../kernels/types.js';
import { add, div, eq, mul, sub, where } from '../ops/elementwise.js';
import { sum } from '../ops/reduce.js';
import { reshape } from '../ops/shape.js';
import { logSoftmax, softmax } from '../ops/softmax.js';
import { sameShape } from '../shape.js';
import { Tensor, record } from '../tensor.js';
import {
  type ClassLayout,
  type ClassTarget,
  type Reduction,
  checkProbTarget,
  checkOptionKeys,
  checkReduction,
  classLayout,
  filled,
  keepShape,
  parseClassIndex,
  parseWeight,
} from './targets.js';

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
 * Fused: log-softmax is computed once; the gradient w.r.t. the logits is (Σ t̃)·p − t̃ times the
 * reduction's scale, in one kernel pass (with createGraph, the same formula from differentiable ops,
 * so the Hessian of one sample is diag(p) − ppᵀ). Probability targets get their gradient too, as in
 * PyTorch: −(1 − ε)·w_c·log p_c times the scale; class indices and the weights get none.
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
  const probs = target instanceof Tensor && sameShape(target.shape, input.shape);
  if (probs && ignoreIndex >= 0)
    throw new TypeError(
      `${fn}: ignoreIndex (${ignoreIndex}) is not supported with probability targets (as in PyTorch)`,
    );
  const spec: CrossEntropyTarget = {
    index: probs ? null : parseClassIndex(target, L, ignoreIndex, fn, input.shape, true),
    probs: probs ? checkProbTarget(target as Tensor, fn) : null,
    weight: parseWeight(opts.weight, L.c, fn),
    smoothing: labelSmoothing,
  };
  const npos = L.outer * L.inner;
  const logp = alloc(input.dtype, input.size);
  const lossPos = new Float64Array(npos),
    denomPos = new Float64Array(npos);
  kernels().crossEntropy(input.data, L.outer, L.c, L.inner, spec, logp, lossPos, denomPos);
  let total = 0,
    den = 0;
  for (let p = 0; p < npos; p++) {
    total += lossPos[p]!;
    den += denomPos[p]!;
  }
  const out =
    reduction === 'none'
      ? filled(lossPos, L.posShape, input.dtype)
      : filled([reduction === 'sum' ? total : den === 0 ? 0 : total / den], [], input.dtype);

  // Probability targets are differentiable too, as in PyTorch: ∂loss/∂T_c = −(1 − ε)·w_c·log p_c (times the scale).
  const T = probs ? (target as Tensor) : null;
  return record('crossEntropy', T ? [input, T] : [input], out, (g) => {
    if (!isGradEnabled()) {
      // One fused pass: scale · ((Σ t̃)·p − t̃), the scale being ∂(reduction)/∂(position loss) · g.
      const scale = new Float64Array(npos);
      if (reduction === 'none') scale.set(g.data);
      else scale.fill(reduction === 'sum' ? g.data[0]! : den === 0 ? 0 : g.data[0]! / den);
      let gx: Tensor | null = null;
      if (input.requiresGrad) {
        gx = new Tensor(alloc(input.dtype, input.size), input.shape);
        kernels().crossEntropyBackward(logp, L.outer, L.c, L.inner, spec, scale, gx.data);
      }
      return T ? [gx, T.requiresGrad ? targetGrad(logp, spec, L, scale, T) : null] : [gx];
    }
    // createGraph: the same formulas from differentiable ops, so that they can be differentiated again
    // (through the target too when it requires a gradient).
    const t = T && T.requiresGrad ? smoothedProbs(T, spec, L) : smoothedTarget(spec, L, input);
    const local = sub(mul(softmax(input, L.classDim), sum(t, L.classDim, true)), t); // (Σ t̃)·p − t̃
    const scale =
      reduction === 'none'
        ? reshape(g, keepShape(input.shape, L.classDim))
        : reduction === 'sum'
          ? g
          : den === 0
            ? mul(g, 0)
            : div(g, den);
    const gx = mul(local, scale);
    if (!T) return [gx];
    if (!T.requiresGrad) return [gx, null];
    // a class with coefficient 0 gets 0, even at a −∞ logit
    const cw = classWeights(spec, L, -(1 - spec.smoothing), input);
    return [gx, mul(where(eq(cw, 0), 0, mul(logSoftmax(input, L.classDim), cw)), scale)]; // ∂/∂T = −(1 − ε)·w·log p
  });
}

/**
 * ∂loss/∂T = −(1 − ε)·w_c·log p_c·scale at every entry (0 where the scale or the coefficient is 0, even at a −∞ logit).
 */
function targetGrad(
  logp: ArrayLike<number>,
  t: CrossEntropyTarget,
  L: ClassLayout,
  scale: Float64Array,
  T: Tensor,
): Tensor {
  const out = new Tensor(alloc(T.dtype, T.size), T.shape);
  for (let a = 0; a < L.outer; a++) {
    for (let i = 0; i < L.inner; i++) {
      const s = scale[a * L.inner + i]!;
      if (s === 0) continue;
      for (let k = 0; k < L.c; k++) {
        const q = (a * L.c + k) * L.inner + i,
          c = (1 - t.smoothing) * (t.weight ? t.weight[k]! : 1);
        out.data[q] = c === 0 ? 0 : -s * c * logp[q]!; // 0, not 0·∞, for a class of weight 0 at a −∞ logit
      }
    }
  }
  return out;
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

/** t̃ = w ⊙ ((1 − ε)·T + ε/C) from differentiable ops (createGraph with a target that requires a gradient). */
function smoothedProbs(T: Tensor, t: CrossEntropyTarget, L: ClassLayout): Tensor {
  return mul(add(mul(T, 1 - t.smoothing), t.smoothing / L.c), classWeights(t, L, 1, T));
}

/** t̃ as a constant tensor of the input's shape (see CrossEntropyTarget), for the createGraph path. */
function smoothedTarget(t: CrossEntropyTarget, L: ClassLayout, input: Tensor): Tensor {
  const out = new Tensor(alloc(input.dtype, input.size), input.shape);
  const u = t.smoothing / L.c,
    o = out.data;
  for (let a = 0; a < L.outer; a++) {
    for (let i = 0; i < L.inner; i++) {
      const base = a * L.c * L.inner + i,
        y = t.index ? t.index[a * L.inner + i]! : 0;
      if (y < 0) continue; // ignored: no target mass
      for (let k = 0; k < L.c; k++) {
        const wk = t.weight ? t.weight[k]! : 1,
          q = base + k * L.inner;
        o[q] = t.index ? u * wk + (k === y ? (1 - t.smoothing) * wk : 0) : wk * ((1 - t.smoothing) * t.probs![q]! + u);
      }
    }
  }
  return out;
}
