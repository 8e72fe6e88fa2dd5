import { describe, expect, it } from 'vitest';
import {
  type Tensor,
  crossEntropyBetween,
  entropy,
  klDivergence,
  log,
  mul,
  neg,
  softmax,
  sub,
  sum,
  tensor,
} from '@xent/core';
import { expectClose, rn } from '../helpers.js';
import { analyticGrad, numericGrad, relErr } from './twins.js';

// Unfused twins: the textbook sums from primitive ops (valid where every p > 0).
const H = (p: Tensor, d: number): Tensor => neg(sum(mul(p, log(p)), d));
const CE = (p: Tensor, q: Tensor, d: number): Tensor => neg(sum(mul(p, log(q)), d));
const KL = (p: Tensor, q: Tensor, d: number): Tensor => sum(mul(p, sub(log(p), log(q))), d);

describe('entropy, crossEntropyBetween, klDivergence: values by hand', () => {
  it('a fair coin has 1 bit = log 2 nats; a certain outcome 0 (0·log 0 = 0)', () => {
    expectClose(entropy(tensor([0.5, 0.5]), { base: 2 }), 1, 1e-15);
    expectClose(entropy(tensor([0.5, 0.5])), Math.LN2, 1e-15);
    expectClose(
      entropy(
        tensor([
          [1, 0, 0],
          [0.25, 0.25, 0.5],
        ]),
      ),
      [0, 1.5 * Math.LN2],
      1e-15,
    );
    expectClose(entropy(tensor([0.25, 0.25, 0.25, 0.25]), { base: 2 }), 2, 1e-15);
  });

  it('H(p, q) = H(p) + KL(p ‖ q); +∞ where q = 0 < p; terms with p = 0 count 0', () => {
    const p = tensor([0.5, 0.25, 0.25, 0]),
      q = tensor([0.25, 0.25, 0.5, 0]);
    expectClose(crossEntropyBetween(p, q, { base: 2 }), 0.5 * 2 + 0.25 * 2 + 0.25 * 1, 1e-15);
    expectClose(klDivergence(p, q, { base: 2 }), 0.5 * 1 + 0 + 0.25 * -1, 1e-15);
    expectClose(crossEntropyBetween(p, q), entropy(p).item() + klDivergence(p, q).item(), 1e-15);
    expect(crossEntropyBetween(tensor([0.5, 0.5]), tensor([1, 0])).item()).toBe(Infinity);
    expect(klDivergence(tensor([0.5, 0.5]), tensor([1, 0])).item()).toBe(Infinity);
    expectClose(klDivergence(tensor([1, 0]), tensor([0.5, 0.5]), { base: 2 }), 1, 1e-15);
  });

  it('dim picks the axis of the distributions', () => {
    const p = tensor([
      [1, 0.5],
      [0, 0.5],
    ]);
    expectClose(entropy(p, { dim: 0, base: 2 }), [0, 1], 1e-15);
  });
});

describe('information measures: fused gradient = twin = central differences (relative 1e-9)', () => {
  for (const [dim, base] of [
    [-1, Math.E],
    [0, 2],
    [1, Math.E],
  ] as const) {
    it(`dim ${dim}, base ${base === 2 ? 2 : 'e'}`, () => {
      const d = dim < 0 ? 1 : dim;
      const p = softmax(rn([3, 4], 1), d),
        q = softmax(rn([3, 4], 2), d);
      const k = 1 / Math.log(base);
      const v = rn([d === 0 ? 4 : 3], 3);
      const cases: [(z: Tensor) => Tensor, (z: Tensor) => Tensor, Tensor][] = [
        [(z) => entropy(z, { dim, base }), (z) => H(z, d).mul(k), p],
        [(z) => crossEntropyBetween(z, q, { dim, base }), (z) => CE(z, q, d).mul(k), p],
        [(z) => crossEntropyBetween(p, z, { dim, base }), (z) => CE(p, z, d).mul(k), q],
        [(z) => klDivergence(z, q, { dim, base }), (z) => KL(z, q, d).mul(k), p],
        [(z) => klDivergence(p, z, { dim, base }), (z) => KL(p, z, d).mul(k), q],
      ];
      for (const [f, twin, x] of cases) {
        expectClose(f(x), twin(x).toArray(), 1e-14);
        const g = analyticGrad(f, x, v);
        expect(relErr(g, analyticGrad(twin, x, v))).toBeLessThan(1e-12);
        expect(relErr(analyticGrad(f, x, v, true), g)).toBeLessThan(1e-12);
        expect(relErr(g, numericGrad(f, x, v, 1e-5))).toBeLessThan(1e-9); // small steps keep z a distribution
      }
    });
  }

  it('a zero in p: the term and its q-gradient are 0, no NaN', () => {
    const p = tensor([0.5, 0.5, 0]),
      q = tensor([0.25, 0.25, 0.5], { requiresGrad: true });
    crossEntropyBetween(p, q).backward();
    expectClose(q.grad!, [-2, -2, 0], 1e-15);
  });
});

describe('information measures: bad input', () => {
  it('an argument that is not a distribution along dim', () => {
    expect(() => entropy(tensor([0.5, 0.6]))).toThrow(
      /entropy: p is not a distribution along dim 0: entries at \[0\] along dim 0 sum to 1.1, not 1/,
    );
    expect(() => entropy(tensor([1.5, -0.5]))).toThrow(
      /entropy: p is not a distribution along dim 0: found -0.5 at \[1\]/,
    );
    expect(() =>
      entropy(
        tensor([
          [0.5, 0.5],
          [0.2, 0.2],
        ]),
        { dim: 1 },
      ),
    ).toThrow(/entries at \[1, 0\] along dim 1 sum to 0.4/);
    expect(() => klDivergence(tensor([0.5, 0.5]), tensor([0.5, 0.6]))).toThrow(/klDivergence: q is not a distribution/);
    expect(() => crossEntropyBetween(tensor([0.5, 0.5]), tensor([1]))).toThrow(
      /crossEntropyBetween: q of shape \[1\] must have the shape of p \[2\]/,
    );
    expect(() => entropy(tensor([0.5, 0.5]), { base: 1 })).toThrow(
      /entropy: base must be a positive number other than 1/,
    );
  });
});
