// The unfused twins of the losses, composed from primitive ops only (logSoftmax, oneHot, permute,
// mul, sum, log, …), and a high-order central difference. Not a test file itself.
import {
  type Tensor,
  add,
  clamp,
  div,
  eq,
  exp,
  gradients,
  log,
  logSoftmax,
  mul,
  neg,
  noGrad,
  oneHot,
  ones,
  permute,
  reshape,
  softplus,
  square,
  sub,
  sum,
  tensor,
  unsqueeze,
  where,
} from '@xent/core';

export type Red = 'mean' | 'sum' | 'none';
export interface CEOpts {
  weight?: number[];
  ignoreIndex?: number;
  labelSmoothing?: number;
  reduction?: Red;
}

const flatNested = (v: unknown): number[] => (Array.isArray(v) ? v.flatMap(flatNested) : [v as number]);

/** −Σ t̃ ⊙ logSoftmax(x) with t̃ built from a one-hot (class indices) or the probabilities. */
export function twinCrossEntropy(x: Tensor, target: number | unknown[] | Tensor, o: CEOpts = {}): Tensor {
  const cd = x.ndim === 1 ? 0 : 1;
  const C = x.shape[cd]!;
  const eps = o.labelSmoothing ?? 0;
  const bshape = x.shape.map((_, i) => (i === cd ? C : 1));
  const w = reshape(o.weight ? tensor(o.weight) : ones([C]), bshape);
  const logp = logSoftmax(x, cd);
  let t: Tensor, den: Tensor | number;
  if (typeof target === 'object' && !Array.isArray(target)) {
    t = mul(add(mul(target, 1 - eps), eps / C), w); // w ⊙ ((1 − ε)T + ε/C)
    den = x.size / C;
  } else {
    const { oh, keep } = classMasks(x, target, o.ignoreIndex ?? -100);
    const wy = sum(mul(oh, w), cd, true); // w_y at each position
    t = mul(add(mul(mul(oh, wy), 1 - eps), mul(w, eps / C)), keep);
    den = sum(mul(wy, keep));
  }
  const perPos = neg(sum(mul(t, logp), cd));
  return reduce(perPos, o.reduction ?? 'mean', den);
}

/**
 * Class-index targets as masks over the logits x (classes on dim 1, or 0 for 1-D): `oh` one-hot with
 * the classes on that dim, `keep` 0 at ignored positions and 1 elsewhere (1 on the class dim).
 */
function classMasks(x: Tensor, target: unknown, ignoreIndex: number): { oh: Tensor; keep: Tensor } {
  const cd = x.ndim === 1 ? 0 : 1;
  const C = x.shape[cd]!;
  const posShape = x.shape.filter((_, i) => i !== cd);
  const ys = flatNested(target);
  const keep = unsqueeze(reshape(tensor(ys.map((v) => (v === ignoreIndex ? 0 : 1))), posShape), cd);
  let oh = reshape(
    oneHot(
      ys.map((v) => (v === ignoreIndex ? 0 : v)),
      C,
    ),
    [...posShape, C],
  );
  if (x.ndim > 1) oh = permute(oh, [0, x.ndim - 1, ...Array.from({ length: x.ndim - 2 }, (_, i) => i + 1)]);
  return { oh, keep };
}

function reduce(perPos: Tensor, r: Red | 'batchmean', den: Tensor | number): Tensor {
  if (r === 'none') return perPos;
  if (r === 'sum') return sum(perPos);
  return div(sum(perPos), den);
}

/** −w_y · x_y by a one-hot mask. */
export function twinNll(
  x: Tensor,
  target: unknown[] | number,
  o: { weight?: number[]; ignoreIndex?: number; reduction?: Red } = {},
): Tensor {
  const cd = x.ndim === 1 ? 0 : 1;
  const C = x.shape[cd]!;
  const { oh, keep } = classMasks(x, target, o.ignoreIndex ?? -100);
  const w = reshape(
    o.weight ? tensor(o.weight) : ones([C]),
    x.shape.map((_, i) => (i === cd ? C : 1)),
  );
  const m = mul(mul(oh, w), keep);
  return reduce(neg(sum(mul(m, x), cd)), o.reduction ?? 'mean', sum(m));
}

/** −w(t log x + (1 − t) log(1 − x)) with the logs clamped at −100. */
export function twinBce(x: Tensor, t: Tensor, o: { weight?: Tensor; reduction?: Red } = {}): Tensor {
  let l = neg(add(mul(t, clamp(log(x), -100)), mul(sub(1, t), clamp(log(sub(1, x)), -100))));
  if (o.weight) l = mul(l, o.weight);
  return reduce(l, o.reduction ?? 'mean', l.size);
}

/** w(−t log σ(x) − (1 − t) log(1 − σ(x)) · …) written with softplus: log σ(x) = −softplus(−x). */
export function twinBceLogits(
  x: Tensor,
  t: Tensor,
  o: { weight?: Tensor; posWeight?: Tensor; reduction?: Red } = {},
): Tensor {
  const logSig = neg(softplus(neg(x))),
    logOneMinus = neg(softplus(x));
  const pos = o.posWeight ? mul(t, o.posWeight) : t;
  let l = neg(add(mul(pos, logSig), mul(sub(1, t), logOneMinus)));
  if (o.weight) l = mul(l, o.weight);
  return reduce(l, o.reduction ?? 'mean', l.size);
}

export function twinKlDiv(
  x: Tensor,
  t: Tensor,
  o: { reduction?: Red | 'batchmean'; logTarget?: boolean } = {},
): Tensor {
  const l = o.logTarget
    ? mul(exp(t), sub(t, x))
    : sub(where(eq(t, 0), 0, mul(t, log(where(eq(t, 0), 1, t)))), mul(t, x));
  const r = o.reduction ?? 'mean';
  return reduce(l, r, r === 'batchmean' ? x.shape[0]! : l.size);
}

export function twinMse(x: Tensor, t: Tensor, o: { reduction?: Red } = {}): Tensor {
  const l = square(sub(x, t));
  return reduce(l, o.reduction ?? 'mean', l.size);
}

/**
 * ∂(Σ v ⊙ f(x))/∂x by the five-point central difference (error O(h⁴)), v a fixed upstream weight.
 * Every entry of x is moved by h = step·max(1, |x|).
 */
export function numericGrad(f: (x: Tensor) => Tensor, x: Tensor, v?: Tensor, step = 1e-3): Float64Array {
  return noGrad(() => {
    const z = tensor(Array.from(x.data)).reshape(x.shape);
    const val = (): number => {
      const y = f(z);
      let s = 0;
      for (let i = 0; i < y.size; i++) s += y.data[i]! * (v ? v.data[i]! : 1);
      return s;
    };
    const out = new Float64Array(x.size);
    for (let i = 0; i < x.size; i++) {
      const keep = z.data[i]!,
        h = step * Math.max(1, Math.abs(keep));
      const at = (d: number): number => {
        z.data[i] = keep + d;
        const r = val();
        z.data[i] = keep;
        return r;
      };
      out[i] = (at(-2 * h) - 8 * at(-h) + 8 * at(h) - at(2 * h)) / (12 * h);
    }
    return out;
  });
}

/** The analytic gradient of Σ v ⊙ f(x), by backward (createGraph chooses the fused kernel or the op path). */
export function analyticGrad(f: (x: Tensor) => Tensor, x: Tensor, v?: Tensor, createGraph = false): Float64Array {
  const z = tensor(Array.from(x.data)).reshape(x.shape).requiresGrad_();
  const y = f(z);
  const [g] = gradients(y, [z], { gradOutput: v ?? ones(y.shape), createGraph });
  return Float64Array.from(g!.data);
}

/** Largest |a − b| relative to the largest |b| (at least 1e-3, so that all-zero gradients still compare). */
export function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0,
    s = 1e-3;
  for (let i = 0; i < b.length; i++) s = Math.max(s, Math.abs(b[i]!));
  for (let i = 0; i < b.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m / s;
}
