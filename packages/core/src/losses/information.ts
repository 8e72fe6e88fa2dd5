import { add, div, eq, log, mul, neg, sub, where } from '../ops/elementwise.js';
import { sum } from '../ops/reduce.js';
import { unsqueeze } from '../ops/shape.js';
import { noGrad } from '../engine.js';
import { fmt, normDim, sameShape, sizeOf } from '../shape.js';
import { record } from '../record.js';
import { type Tensor, assertTensor } from '../tensor.js';
import { at, checkOptionKeys } from './targets.js';

/** Options of the information measures: the dim holding the distributions and the log base. */
export interface InformationOptions {
  /** The dim along which each distribution sums to 1 (default −1). */
  dim?: number;
  /** Base of the logarithm: e (nats, the default) or 2 (bits); any positive number ≠ 1 works. */
  base?: number;
}

/**
 * Checks that `p` holds distributions along dim d: entries ≥ 0 summing to 1 (within 1e-4, plus rounding for long
 * float32 rows).
 */
function checkDistribution(p: Tensor, d: number, fn: string, arg: string): void {
  assertTensor(p, fn, arg);
  const n = p.ndim === 0 ? 1 : p.shape[d]!,
    inner = sizeOf(p.shape.slice(d + 1)),
    outer = p.size / Math.max(n * inner, 1);
  for (let i = 0; i < p.size; i++) {
    if (!(p.data[i]! >= 0))
      throw new RangeError(
        `${fn}: ${arg} is not a distribution along dim ${d}: found ${p.data[i]} at ${at(p.shape, i)} (entries must be ≥ 0)`,
      );
  }
  const tol = 1e-4 + n * (p.dtype === 'float32' ? 1.2e-7 : 2.3e-16);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += p.data[(o * n + k) * inner + i]!;
      if (Math.abs(s - 1) > tol)
        throw new RangeError(
          `${fn}: ${arg} is not a distribution along dim ${d}: entries at ${at(p.shape, o * n * inner + i)} along dim ${d} sum to ${s}, not 1`,
        );
    }
  }
}

function setup(fn: string, p: Tensor, q: Tensor | null, opts: InformationOptions): { d: number; lnb: number } {
  checkOptionKeys(opts, fn, ['dim', 'base']);
  assertTensor(p, fn, 'p');
  const d = normDim(opts.dim ?? -1, p.ndim, fn);
  const base = opts.base ?? Math.E;
  if (typeof base !== 'number' || !(base > 0) || base === 1 || !Number.isFinite(base))
    throw new RangeError(
      `${fn}: base must be a positive number other than 1 (Math.E for nats, 2 for bits), got ${base}`,
    );
  checkDistribution(p, d, fn, 'p');
  if (q !== null) {
    assertTensor(q, fn, 'q');
    if (!sameShape(p.shape, q.shape))
      throw new RangeError(`${fn}: q of shape ${fmt(q.shape)} must have the shape of p ${fmt(p.shape)}`);
    checkDistribution(q, d, fn, 'q');
  }
  return { d, lnb: Math.log(base) };
}

/** p · log q with 0 · log q = 0 (even for q = 0), computed outside the graph. */
function plogq(p: Tensor, q: Tensor): Tensor {
  const zero = eq(p, 0);
  return where(zero, 0, mul(p, log(where(zero, 1, q))));
}

/**
 * Shannon entropy along `dim`: H(p) = −Σ p log p, with 0 · log 0 = 0, in nats (base e) or bits (base 2).
 * Gradient: ∂H/∂p = −(log p + 1) / log base (+∞ at p = 0, as the mathematics says).
 * @example entropy(tensor([0.5, 0.5]), { base: 2 }); // 1
 */
export function entropy(p: Tensor, opts: InformationOptions = {}): Tensor {
  const { d, lnb } = setup('entropy', p, null, opts);
  const out = noGrad(() => div(neg(sum(plogq(p, p), d)), lnb));
  // ∂(−p log p) = −(log p + 1)
  return record('entropy', [p], out, (g) => [mul(unsqueeze(g, d), div(neg(add(log(p), 1)), lnb))], [p]);
}

/**
 * Cross-entropy between distributions along `dim`: H(p, q) = −Σ p log q (terms with p = 0 count 0;
 * +∞ where q = 0 < p). Gradients: ∂/∂p = −log q, ∂/∂q = −p/q (0 where p = 0), over log base.
 * @example crossEntropyBetween(tensor([1, 0]), tensor([0.5, 0.5])); // log 2
 */
export function crossEntropyBetween(p: Tensor, q: Tensor, opts: InformationOptions = {}): Tensor {
  const { d, lnb } = setup('crossEntropyBetween', p, q, opts);
  const out = noGrad(() => div(neg(sum(plogq(p, q), d)), lnb));
  return record(
    'crossEntropyBetween',
    [p, q],
    out,
    (g) => {
      const s = div(unsqueeze(g, d), lnb);
      return [mul(s, neg(log(q))), mul(s, neg(qRatio(p, q)))]; // ∂(−p log q) = −log q, −p/q
    },
    [q, q.requiresGrad && p],
  ); // p is read for q's gradient only
}

/**
 * Kullback–Leibler divergence along `dim`: KL(p ‖ q) = Σ p (log p − log q), terms with p = 0 count 0.
 * Gradients: ∂/∂p = log p − log q + 1, ∂/∂q = −p/q (0 where p = 0), over log base.
 * @example klDivergence(tensor([1, 0]), tensor([0.5, 0.5]), { base: 2 }); // 1
 */
export function klDivergence(p: Tensor, q: Tensor, opts: InformationOptions = {}): Tensor {
  const { d, lnb } = setup('klDivergence', p, q, opts);
  const out = noGrad(() => div(sum(sub(plogq(p, p), plogq(p, q)), d), lnb));
  return record(
    'klDivergence',
    [p, q],
    out,
    (g) => {
      const s = div(unsqueeze(g, d), lnb);
      return [mul(s, add(sub(log(p), log(q)), 1)), mul(s, neg(qRatio(p, q)))]; // ∂ p log(p/q) = log(p/q) + 1, −p/q
    },
    [p, q],
  );
}

/** p / q, 0 where p = 0 (the term is identically 0 there). */
function qRatio(p: Tensor, q: Tensor): Tensor {
  const zero = noGrad(() => eq(p, 0));
  return where(zero, 0, div(p, where(zero, 1, q)));
}
