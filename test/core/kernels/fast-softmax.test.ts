import { describe, expect, it } from 'vitest';
import { Generator, crossEntropy, getBackend, tensor } from '@xent/core';
import { type CrossEntropyTarget, fastKernels, kernels, referenceKernels, wasmKernels } from '@xent/core/extend';
import type { Storage } from '../../../packages/core/src/dtype.js';
import {
  expNonPositive,
  fastCrossEntropy,
  fastCrossEntropyBackward,
  fastSoftmax,
} from '../../../packages/core/src/kernels/fast-softmax.js';

const gen = new Generator(9);
type Ctor = Float32ArrayConstructor | Float64ArrayConstructor;
const randomArray = (T: Ctor, n: number, scale = 3): Storage => {
  const x = new T(n);
  for (let i = 0; i < n; i++) x[i] = scale * gen.normal();
  return x;
};
const close = (a: Storage, b: Storage, tol: number, what: string): void => {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) {
    if (!(Math.abs(a[i]! - b[i]!) <= tol * Math.max(1, Math.abs(b[i]!))))
      throw new Error(`${what} at ${i}: fast ${a[i]} ≠ reference ${b[i]}`);
  }
};
const tolOf = (T: Ctor): number => (T === Float32Array ? 2e-6 : 1e-13);

// [outer, n, inner] layouts: 1-row, 1-column (a single class), odd, wide, and inner > 1 (the reference path).
const layouts: [string, number, number, number][] = [
  ['one row', 1, 7, 1],
  ['one class', 5, 1, 1],
  ['odd rows', 13, 11, 1],
  ['wide rows', 3, 1000, 1],
  ['classes in the middle (inner 4)', 3, 5, 4],
];

describe('fastSoftmax agrees with the reference kernel', () => {
  for (const T of [Float64Array, Float32Array]) {
    for (const [name, outer, n, inner] of layouts) {
      for (const log of [false, true]) {
        it(`${T.name} ${name}, ${log ? 'log-softmax' : 'softmax'}`, () => {
          const x = randomArray(T, outer * n * inner);
          const a = new T(x.length),
            b = new T(x.length);
          fastSoftmax(x, outer, n, inner, log, a);
          referenceKernels.softmax(x, outer, n, inner, log, b);
          close(a, b, tolOf(T), 'softmax');
        });
      }
    }
  }
  it('is stable for huge logits and handles −∞ like the reference', () => {
    const x = new Float64Array([1000, 1000, -Infinity, 0, -Infinity, -Infinity]);
    const a = new Float64Array(6),
      b = new Float64Array(6);
    fastSoftmax(x, 2, 3, 1, false, a);
    referenceKernels.softmax(x, 2, 3, 1, false, b);
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).toEqual([0.5, 0.5, 0, 1, 0, 0]);
  });
});

describe('fast cross-entropy kernels agree with the reference kernels', () => {
  const target = (index: Int32Array | null, over: Partial<CrossEntropyTarget> = {}): CrossEntropyTarget => ({
    index,
    probs: null,
    weight: null,
    smoothing: 0,
    ...over,
  });

  function both(T: Ctor, outer: number, c: number, inner: number, t: CrossEntropyTarget): void {
    const x = randomArray(T, outer * c * inner);
    const npos = outer * inner;
    const run = (k: Pick<typeof referenceKernels, 'crossEntropy' | 'crossEntropyBackward'>) => {
      const logp = new T(x.length),
        max = new Float64Array(npos),
        sum = new Float64Array(npos),
        loss = new Float64Array(npos),
        denom = new Float64Array(npos),
        grad = new T(x.length);
      const scale = new Float64Array(npos).map((_, i) => 0.5 + i / npos);
      k.crossEntropy(x, outer, c, inner, t, logp, max, sum, loss, denom);
      k.crossEntropyBackward(x, max, sum, outer, c, inner, t, scale, grad);
      // Without logp (the caller keeps none): the same statistics and losses, bit for bit.
      const max2 = new Float64Array(npos),
        sum2 = new Float64Array(npos),
        loss2 = new Float64Array(npos),
        denom2 = new Float64Array(npos);
      k.crossEntropy(x, outer, c, inner, t, null, max2, sum2, loss2, denom2);
      close(max2, max, 0, 'max without logp');
      close(sum2, sum, 0, 'sum without logp');
      close(loss2, loss, 0, 'loss without logp');
      close(denom2, denom, 0, 'denom without logp');
      return { logp, max, sum, loss, denom, grad };
    };
    const f = run({ crossEntropy: fastCrossEntropy, crossEntropyBackward: fastCrossEntropyBackward });
    const r = run(referenceKernels);
    const tol = tolOf(T);
    close(f.logp, r.logp, tol, 'logp');
    close(f.max, r.max, 0, 'max');
    close(f.sum, r.sum, 1e-14, 'sum of exponentials');
    close(f.loss, r.loss, tol, 'loss');
    close(f.denom, r.denom, 0, 'denom');
    close(f.grad, r.grad, tol, 'gradient');
  }

  const idx = (n: number, c: number): Int32Array => Int32Array.from({ length: n }, () => gen.int(0, c));
  for (const T of [Float64Array, Float32Array]) {
    it(`${T.name}: one row, one class, odd sizes, a batch of wide rows`, () => {
      both(T, 1, 7, 1, target(idx(1, 7)));
      both(T, 4, 1, 1, target(idx(4, 1)));
      both(T, 13, 11, 1, target(idx(13, 11)));
      both(T, 64, 1000, 1, target(idx(64, 1000)));
    });
    it(`${T.name}: ignored rows (negative index) cost nothing and get a zero gradient`, () => {
      const ix = idx(9, 5);
      ix[2] = -1;
      ix[7] = -1;
      both(T, 9, 5, 1, target(ix));
    });
    it(`${T.name}: the reference path for weights, smoothing, probabilities and inner > 1`, () => {
      both(T, 6, 4, 1, target(idx(6, 4), { weight: new T([1, 2, 0.5, 3]) }));
      both(T, 6, 4, 1, target(idx(6, 4), { smoothing: 0.1 }));
      both(T, 3, 4, 5, target(idx(15, 4)));
      const probs = new T(24).fill(0.25);
      both(T, 6, 4, 1, target(null, { probs }));
    });
  }

  it('the forward keeps max and Σ e^(x − max), from which the backward forms p = e^logp', () => {
    const x = new Float64Array([1, 2, 3, 0, 0, -Infinity]);
    const t = target(new Int32Array([2, 0]));
    for (const k of [
      referenceKernels,
      { crossEntropy: fastCrossEntropy, crossEntropyBackward: fastCrossEntropyBackward },
    ]) {
      const logp = new Float64Array(6),
        max = new Float64Array(2),
        sum = new Float64Array(2),
        out = new Float64Array(6);
      k.crossEntropy(x, 2, 3, 1, t, logp, max, sum, new Float64Array(2), new Float64Array(2));
      close(max, new Float64Array([3, 0]), 0, 'max');
      close(sum, new Float64Array([Math.exp(-2) + Math.exp(-1) + 1, 2]), 1e-15, 'Σ e^(x − max)');
      k.crossEntropyBackward(x, max, sum, 2, 3, 1, t, new Float64Array([1, 0.5]), out);
      // scale · (p − onehot), p = e^logp
      const want = logp.map(Math.exp).map((p, i) => (i < 3 ? p - +(i === 2) : 0.5 * (p - +(i === 3))));
      close(out, want, 1e-15, 'scale · (e^logp − onehot)');
    }
  });

  it('are the defaults, and crossEntropy gives the worked-out value and gradient through them', () => {
    expect(fastKernels.crossEntropy).toBe(fastCrossEntropy);
    expect(fastKernels.softmax).toBe(fastSoftmax);
    const set = getBackend() === 'wasm' ? wasmKernels : fastKernels;
    expect(kernels().crossEntropy).toBe(set.crossEntropy);
    expect(kernels().softmax).toBe(set.softmax);
    // logits [0, 0] with target 1: loss log 2, gradient (p − onehot)/N = [0.5, −0.5]
    const z = tensor([[0, 0]], { requiresGrad: true });
    const loss = crossEntropy(z, [1]);
    expect(loss.item()).toBeCloseTo(Math.LN2, 14);
    loss.backward();
    expect(z.grad!.toArray()).toEqual([[0.5, -0.5]]);
  });
});

describe('fast kernels keep the reference operation order where it matters', () => {
  it('log-softmax of [1e300, 1e300] is exactly −log 2 (x − m first, then − log Σ)', () => {
    const x = new Float64Array([1e300, 1e300]),
      out = new Float64Array(2);
    fastSoftmax(x, 1, 2, 1, true, out);
    expect(Array.from(out)).toEqual([-Math.LN2, -Math.LN2]);
  });
});

describe("expNonPositive: the kernels' exponential for x − max ≤ 0", () => {
  it('is within 2 ulp of Math.exp over the whole normal range [−708, 0]', () => {
    let worst = 0;
    for (let i = 0; i < 200_000; i++) {
      const v = -708 * gen.random() ** 3; // denser near 0, where softmax arguments live
      worst = Math.max(worst, Math.abs(expNonPositive(v) / Math.exp(v) - 1));
    }
    expect(worst).toBeLessThanOrEqual(4.5e-16);
  });
  it('gives exact and limiting values: e⁰ = 1, −∞ → 0, underflow → 0, NaN → NaN', () => {
    expect(expNonPositive(0)).toBe(1);
    expect(expNonPositive(-0)).toBe(1);
    expect(expNonPositive(-Infinity)).toBe(0);
    expect(expNonPositive(-746)).toBe(0);
    expect(expNonPositive(-745.2)).toBe(0);
    expect(expNonPositive(NaN)).toBeNaN();
    expect(expNonPositive(-1)).toBeCloseTo(Math.exp(-1), 15);
    expect(expNonPositive(-745)).toBeGreaterThan(0); // the subnormal range still counts
  });
});

describe('fast softmax and cross-entropy kernels on special rows agree with the reference (NaN, ±∞)', () => {
  // Rows: all −∞; one +∞; a NaN; the target's logit −∞ (infinite loss); −∞ on a non-target class; huge finite values.
  const rows = [
    [-Infinity, -Infinity, -Infinity],
    [Infinity, 0, 1],
    [0, NaN, 1],
    [-Infinity, 2, 3],
    [1, -Infinity, 3],
    [1e308, -1e308, 0],
  ];
  const x = Float64Array.from(rows.flat());
  const sameOrBothNaN = (a: Storage, b: Storage, what: string): void => {
    for (let i = 0; i < b.length; i++) {
      const ok =
        Object.is(a[i], b[i]) ||
        (Number.isNaN(a[i]!) && Number.isNaN(b[i]!)) ||
        Math.abs(a[i]! - b[i]!) <= 1e-15 * Math.max(1, Math.abs(b[i]!));
      if (!ok) throw new Error(`${what} at ${i}: fast ${a[i]} ≠ reference ${b[i]}`);
    }
  };
  for (const log of [false, true]) {
    it(`${log ? 'log-softmax' : 'softmax'}`, () => {
      const a = new Float64Array(x.length),
        b = new Float64Array(x.length);
      fastSoftmax(x, rows.length, 3, 1, log, a);
      referenceKernels.softmax(x, rows.length, 3, 1, log, b);
      sameOrBothNaN(a, b, log ? 'log-softmax' : 'softmax');
    });
  }
  it('cross-entropy forward and backward', () => {
    const t: CrossEntropyTarget = {
      index: new Int32Array([0, 1, 2, 0, 0, 2]),
      probs: null,
      weight: null,
      smoothing: 0,
    };
    const go = (k: Pick<typeof referenceKernels, 'crossEntropy' | 'crossEntropyBackward'>) => {
      const logp = new Float64Array(x.length),
        max = new Float64Array(rows.length),
        sum = new Float64Array(rows.length),
        loss = new Float64Array(rows.length),
        denom = new Float64Array(rows.length),
        grad = new Float64Array(x.length);
      k.crossEntropy(x, rows.length, 3, 1, t, logp, max, sum, loss, denom);
      k.crossEntropyBackward(x, max, sum, rows.length, 3, 1, t, new Float64Array(rows.length).fill(0.5), grad);
      return { logp, loss, grad };
    };
    const f = go({ crossEntropy: fastCrossEntropy, crossEntropyBackward: fastCrossEntropyBackward }),
      r = go(referenceKernels);
    sameOrBothNaN(f.logp, r.logp, 'logp');
    sameOrBothNaN(f.loss, r.loss, 'loss');
    sameOrBothNaN(f.grad, r.grad, 'gradient');
    expect(f.loss[3]).toBe(Infinity); // the target's logit is −∞: p_y = 0
    expect(f.grad[13]).toBe(0); // −∞ on a class that is not the target: p = 0 there, so no gradient
    // rows with a −∞ logit keep finite gradients
    expect(Array.from(f.grad.subarray(9, 18)).every(Number.isFinite)).toBe(true);
  });
});
