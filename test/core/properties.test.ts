import {
  type Tensor,
  add,
  binaryCrossEntropy,
  binaryCrossEntropyWithLogits,
  crossEntropy,
  div,
  gradcheck,
  gt,
  klDiv,
  logSoftmax,
  maximum,
  minimum,
  mseLoss,
  mul,
  nllLoss,
  pow,
  sigmoid,
  softmax,
  sub,
  tensor,
  where,
} from '@xent/core';
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import {
  analyticGrad,
  relErr,
  twinBce,
  twinBceLogits,
  twinCrossEntropy,
  twinKlDiv,
  twinMse,
  twinNll,
} from './losses/twins.js';

/* Property-based tests (issue 11), with fixed seeds so CI is deterministic: broadcasting ops on random
   shapes against central differences, and every loss on random valid inputs (finite, ≥ 0, its
   gradient equal to the composed twin's). */

const SEED = 1104;
const runs = (numRuns: number): { seed: number; numRuns: number } => ({ seed: SEED, numRuns });

/** Seeded values as a float64 tensor of `shape`, from a list long enough for any shape here. */
const fill = (shape: number[], values: number[]): Tensor => {
  const n = shape.reduce((a, b) => a * b, 1);
  return tensor(Array.from({ length: n }, (_, i) => values[i % values.length]!)).reshape(shape);
};
const values = fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: 32, maxLength: 32 });

/** A shape (rank 0–3, dims 1–3) and a second shape that broadcasts with it (dims set to 1, leading dims dropped). */
const broadcastPair = fc
  .array(fc.integer({ min: 1, max: 3 }), { minLength: 0, maxLength: 3 })
  .chain((a) =>
    fc
      .tuple(fc.array(fc.boolean(), { minLength: a.length, maxLength: a.length }), fc.nat({ max: a.length }))
      .map(([ones, drop]) => {
        const b = a.map((d, i) => (ones[i] ? 1 : d)).slice(drop);
        return [a, b] as const;
      }),
  )
  .chain(([a, b]) => fc.boolean().map((swap) => (swap ? [b, a] : [a, b])));

describe('broadcasting ops on random shapes match central differences', () => {
  const ops: [string, (x: Tensor, y: Tensor) => Tensor, (y: Tensor) => Tensor][] = [
    ['add', add, (y) => y],
    ['sub', sub, (y) => y],
    ['mul', mul, (y) => y],
    // Kept away from the poles and kinks where a central difference is not the derivative.
    ['div', div, (y) => add(mul(sigmoid(y), 2), 0.5)],
    ['pow', (x, y) => pow(add(mul(sigmoid(x), 2), 0.5), y), (y) => y],
    ['maximum', maximum, (y) => add(y, 0.3)],
    ['minimum', minimum, (y) => add(y, 0.3)],
    ['where', (x, y) => where(gt(y, 0.1), x, mul(y, 3)), (y) => y],
  ];
  for (const [name, op, prep] of ops) {
    test.prop([broadcastPair, values, values], runs(40))(name, ([sa, sb], va, vb) => {
      const a = fill(sa, va),
        b = noKinks(prep(fill(sb, vb)), a, name);
      expect(gradcheck((x, y) => op(x, y), [a, b], { eps: 1e-6, atol: 1e-5, rtol: 1e-4 })).toBe(true);
      expect(op(a, b).shape).toEqual(broadcast(sa, sb));
    });
  }
});

/** maximum/minimum have a kink where x = y: nudge b off any tie so the difference is one-sided-free. */
function noKinks(b: Tensor, a: Tensor, name: string): Tensor {
  if (name !== 'maximum' && name !== 'minimum') return b;
  const d = b.data;
  for (let i = 0; i < d.length; i++)
    for (let j = 0; j < a.size; j++) if (Math.abs(d[i]! - a.data[j]!) < 1e-3) d[i] = d[i]! + 0.01;
  return b;
}

/** numpy's broadcast rule, written out independently of the code under test. */
function broadcast(a: readonly number[], b: readonly number[]): number[] {
  const n = Math.max(a.length, b.length);
  return Array.from({ length: n }, (_, i) => {
    const x = a[a.length - n + i] ?? 1,
      y = b[b.length - n + i] ?? 1;
    return x === 1 ? y : x;
  });
}

/** [N, C] logits with N 1–4, C 2–5, values in ±6. */
const logits = fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 2, max: 5 })).chain(([n, c]) =>
  fc.record({
    n: fc.constant(n),
    c: fc.constant(c),
    x: fc.array(fc.double({ min: -6, max: 6, noNaN: true }), { minLength: n * c, maxLength: n * c }),
    labels: fc.array(fc.nat({ max: c - 1 }), { minLength: n, maxLength: n }),
    weight: fc.option(fc.array(fc.double({ min: 0.1, max: 3, noNaN: true }), { minLength: c, maxLength: c }), {
      nil: undefined,
    }),
    smoothing: fc.constantFrom(0, 0, 0.1, 0.5),
    reduction: fc.constantFrom('mean', 'sum', 'none') as fc.Arbitrary<'mean' | 'sum' | 'none'>,
  }),
);

const finiteNonNegative = (t: Tensor): void => {
  for (const v of t.data) {
    expect(Number.isFinite(v)).toBe(true);
    expect(v).toBeGreaterThanOrEqual(-1e-12);
  }
};
const sameGrad = (f: (x: Tensor) => Tensor, twin: (x: Tensor) => Tensor, x: Tensor, tol = 1e-9): void => {
  expect(relErr(analyticGrad(f, x), analyticGrad(twin, x))).toBeLessThan(tol);
};

describe('every loss on random valid inputs: finite, ≥ 0, gradient equal to the composed twin', () => {
  test.prop([logits], runs(60))('crossEntropy (class indices, weights, label smoothing)', (s) => {
    const x = tensor(s.x).reshape([s.n, s.c]);
    const o = { weight: s.weight, labelSmoothing: s.smoothing, reduction: s.reduction };
    const f = (z: Tensor): Tensor => crossEntropy(z, s.labels, { ...o, weight: o.weight && tensor(o.weight) });
    finiteNonNegative(f(x));
    sameGrad(f, (z) => twinCrossEntropy(z, s.labels, o), x);
  });

  test.prop([logits, values], runs(40))('crossEntropy (probability targets)', (s, v) => {
    const x = tensor(s.x).reshape([s.n, s.c]);
    const p = softmax(fill([s.n, s.c], v).mul(2), 1);
    const f = (z: Tensor): Tensor => crossEntropy(z, p, { labelSmoothing: s.smoothing, reduction: s.reduction });
    finiteNonNegative(f(x));
    sameGrad(f, (z) => twinCrossEntropy(z, p, { labelSmoothing: s.smoothing, reduction: s.reduction }), x);
  });

  test.prop([logits], runs(40))('nllLoss on log-probabilities', (s) => {
    const x = logSoftmax(tensor(s.x).reshape([s.n, s.c]), 1);
    const f = (z: Tensor): Tensor =>
      nllLoss(z, s.labels, { weight: s.weight && tensor(s.weight), reduction: s.reduction });
    finiteNonNegative(f(x));
    sameGrad(f, (z) => twinNll(z, s.labels, { weight: s.weight, reduction: s.reduction }), x);
  });

  const binary = fc
    .integer({ min: 1, max: 8 })
    .chain((n) =>
      fc.tuple(
        fc.array(fc.double({ min: -8, max: 8, noNaN: true }), { minLength: n, maxLength: n }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: n, maxLength: n }),
        fc.constantFrom('mean', 'sum', 'none') as fc.Arbitrary<'mean' | 'sum' | 'none'>,
      ),
    );

  test.prop([binary], runs(40))('binaryCrossEntropy on probabilities', ([z, t, reduction]) => {
    // Probabilities kept inside (0.001, 0.999): at 0 or 1 the log clamp makes the gradient one-sided.
    const x = tensor(z.map((v) => 0.001 + 0.998 / (1 + Math.exp(-v))));
    const tt = tensor(t);
    const f = (p: Tensor): Tensor => binaryCrossEntropy(p, tt, { reduction });
    finiteNonNegative(f(x));
    sameGrad(f, (p) => twinBce(p, tt, { reduction }), x, 1e-8);
  });

  test.prop([binary], runs(40))('binaryCrossEntropyWithLogits', ([z, t, reduction]) => {
    const x = tensor(z),
      tt = tensor(t);
    const f = (p: Tensor): Tensor => binaryCrossEntropyWithLogits(p, tt, { reduction });
    finiteNonNegative(f(x));
    sameGrad(f, (p) => twinBceLogits(p, tt, { reduction }), x);
  });

  test.prop([logits, values], runs(40))('klDiv of log-probabilities against a distribution', (s, v) => {
    const x = logSoftmax(tensor(s.x).reshape([s.n, s.c]), 1);
    const t = softmax(fill([s.n, s.c], v).mul(2), 1);
    const reduction = s.reduction === 'none' ? 'batchmean' : s.reduction;
    const f = (z: Tensor): Tensor => klDiv(z, t, { reduction });
    // KL itself is ≥ 0 only summed over a row, so check the per-row sums with reduction 'sum'.
    for (let i = 0; i < s.n; i++) {
      const row = klDiv(x.slice(0, i, i + 1), t.slice(0, i, i + 1), { reduction: 'sum' });
      finiteNonNegative(row);
    }
    sameGrad(f, (z) => twinKlDiv(z, t, { reduction }), x);
  });

  test.prop([logits, values], runs(40))('mseLoss', (s, v) => {
    const x = tensor(s.x).reshape([s.n, s.c]),
      t = fill([s.n, s.c], v);
    const f = (z: Tensor): Tensor => mseLoss(z, t, { reduction: s.reduction });
    finiteNonNegative(f(x));
    sameGrad(f, (z) => twinMse(z, t, { reduction: s.reduction }), x);
  });
});
