import { describe, expect, it } from 'vitest';
import {
  type Tensor,
  div,
  enableGrad,
  exp,
  gradients,
  hessian,
  jacobian,
  log,
  logSoftmax,
  onesLike,
  softmax,
  sub,
  sum,
  tensor,
} from '@xent/core';
import { expectClose, rn } from './helpers.js';
import { analyticGrad, numericGrad, relErr } from './losses/twins.js';

// Unfused twins from primitives, shifted by the (constant) max so that they do not overflow.
const twinSoftmax = (x: Tensor, d: number): Tensor => {
  const e = exp(sub(x, x.detach().max(d, true)));
  return div(e, sum(e, d, true));
};
const twinLogSoftmax = (x: Tensor, d: number): Tensor => {
  const z = sub(x, x.detach().max(d, true));
  return sub(z, log(sum(exp(z), d, true)));
};

describe('softmax and logSoftmax: values', () => {
  it('logits log[1, 2, 3] give [1/6, 1/3, 1/2] and their logs', () => {
    const x = tensor([0, Math.log(2), Math.log(3)]);
    expectClose(softmax(x), [1 / 6, 1 / 3, 1 / 2], 1e-15);
    expectClose(logSoftmax(x), [-Math.log(6), -Math.log(3), -Math.LN2], 1e-15);
  });

  it('along every dim of a [2, 3, 4] tensor, against the twins', () => {
    const x = rn([2, 3, 4], 1);
    for (const d of [0, 1, 2, -1]) {
      const dd = d < 0 ? d + 3 : d;
      expectClose(softmax(x, d), twinSoftmax(x, dd).toArray(), 1e-15);
      expectClose(logSoftmax(x, d), twinLogSoftmax(x, dd).toArray(), 1e-14);
      expectClose(sum(softmax(x, d), dd), onesLike(sum(x, dd)).toArray(), 1e-15); // each distribution sums to 1
    }
  });

  it('large logits: exact results with no overflow (1e4 and 1e300 in float64, 1e8 in float32)', () => {
    expect(Array.from(softmax(tensor([1e4, 0, -1e4])).data)).toEqual([1, 0, 0]);
    expect(Array.from(logSoftmax(tensor([1e4, 0, -1e4])).data)).toEqual([0, -1e4, -2e4]);
    expect(Array.from(logSoftmax(tensor([1e300, 1e300])).data)).toEqual([-Math.LN2, -Math.LN2]);
    expect(Array.from(logSoftmax(tensor([1e8, 1e8], { dtype: 'float32' })).data)).toEqual([
      Math.fround(-Math.LN2),
      Math.fround(-Math.LN2),
    ]);
    expect(Array.from(logSoftmax(tensor([0, 1e8], { dtype: 'float32' })).data)).toEqual([-1e8, 0]);
  });
});

describe('softmax and logSoftmax: fused backward = twin = central differences (relative 1e-9)', () => {
  for (const [name, f, twin] of [
    ['softmax', softmax, twinSoftmax],
    ['logSoftmax', logSoftmax, twinLogSoftmax],
  ] as const) {
    for (const d of [0, 1, 2]) {
      it(`${name} along dim ${d}`, () => {
        const x = rn([2, 3, 4], 10 + d).mul(2),
          v = rn([2, 3, 4], 20 + d);
        const g = analyticGrad((z) => f(z, d), x, v);
        expect(
          relErr(
            g,
            analyticGrad((z) => twin(z, d), x, v),
          ),
        ).toBeLessThan(1e-12);
        expect(
          relErr(
            g,
            numericGrad((z) => f(z, d), x, v),
          ),
        ).toBeLessThan(1e-9);
      });
    }
    it(`${name}: second derivatives match the twin and central differences of the gradient`, () => {
      const x = rn([4], 5),
        v = tensor([1, -2, 0.5, 3]);
      const H = hessian((z) => f(z, 0).mul(v).sum(), x);
      expectClose(H, hessian((z) => twin(z, 0).mul(v).sum(), x).toArray(), 1e-14);
      const J = jacobian((z) => gradients(f(z, 0).mul(v).sum(), [z], { createGraph: true })[0]!, x);
      expectClose(J, H.toArray(), 1e-15);
      // each row of H against central differences of the (fused, first-order) gradient
      const gradOf = (z: Tensor): Tensor =>
        enableGrad(() => {
          const zz = z.detach().requiresGrad_();
          return gradients(f(zz, 0).mul(v).sum(), [zz])[0]!;
        });
      for (let i = 0; i < 4; i++) {
        const e = tensor([0, 0, 0, 0]);
        e.data[i] = 1;
        expect(relErr(Array.from(H.data).slice(i * 4, i * 4 + 4), numericGrad(gradOf, x, e))).toBeLessThan(1e-9);
      }
    });
  }

  it('the softmax Jacobian is diag(p) − ppᵀ', () => {
    const x = tensor([0.3, -1.2, 2.0]);
    const p = softmax(x).toArray() as number[];
    expectClose(
      jacobian((z) => softmax(z), x),
      p.map((a, i) => p.map((b, j) => (i === j ? a : 0) - a * b)),
      1e-15,
    );
  });
});

describe('−∞ logits (masked entries)', () => {
  it('give probability exactly 0 and log-probability −∞; the rest is the softmax of the others', () => {
    const x = tensor([
      [0, -Infinity, Math.log(3)],
      [-Infinity, 1, 1],
    ]);
    expectClose(
      softmax(x),
      [
        [0.25, 0, 0.75],
        [0, 0.5, 0.5],
      ],
      1e-15,
    );
    expectClose(
      logSoftmax(x),
      [
        [-Math.log(4), -Infinity, Math.log(0.75)],
        [-Infinity, -Math.LN2, -Math.LN2],
      ],
      1e-15,
    );
  });

  it('finite gradients, first and second order: ∂p/∂x = 0 there, ∂log p/∂x = v (1 − p) = v; no NaN anywhere', () => {
    for (const f of [softmax, logSoftmax]) {
      const x = tensor([0.5, -Infinity, -1, 2], { requiresGrad: true });
      const v = tensor([1, 2, -3, 0.5]);
      const [g] = gradients(f(x).mul(v).sum(), [x], { createGraph: true });
      expect(g!.data[1]).toBe(f === softmax ? 0 : 2);
      expect(Array.from(g!.data).every(Number.isFinite)).toBe(true);
      const [gg] = gradients(g!.mul(tensor([1, 1, 1, 1])).sum(), [x]);
      expect(gg!.data[1]).toBe(0);
      expect(Array.from(gg!.data).every(Number.isFinite)).toBe(true);
    }
  });

  it('a row of nothing but −∞ is NaN, as in PyTorch (there is no distribution to return)', () => {
    expect(Array.from(softmax(tensor([-Infinity, -Infinity])).data).every(Number.isNaN)).toBe(true);
    expect(Array.from(logSoftmax(tensor([-Infinity, -Infinity])).data).every(Number.isNaN)).toBe(true);
  });
});
