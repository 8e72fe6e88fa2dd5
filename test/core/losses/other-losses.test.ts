import { describe, expect, it } from 'vitest';
import {
  type Tensor,
  binaryCrossEntropy,
  binaryCrossEntropyWithLogits,
  gradcheck,
  hessian,
  klDiv,
  logSoftmax,
  mseLoss,
  nllLoss,
  softmax,
  tensor,
} from '@xent/core';
import { expectClose, rn, ru } from '../helpers.js';
import {
  type Red,
  analyticGrad,
  numericGrad,
  relErr,
  twinBce,
  twinBceLogits,
  twinKlDiv,
  twinMse,
  twinNll,
} from './twins.js';

const REDS: Red[] = ['mean', 'sum', 'none'];

/** Value equals the twin's; fused gradient = twin gradient = central differences (relative 1e-9). */
function threeWays(
  fused: (z: Tensor) => Tensor,
  twin: (z: Tensor) => Tensor,
  x: Tensor,
  seed: number,
  step = 1e-3,
): void {
  const y = fused(x);
  expectClose(y, twin(x).toArray(), 1e-13);
  const v = y.ndim > 0 ? rn(y.shape as number[], seed) : undefined;
  const g = analyticGrad(fused, x, v);
  expect(relErr(g, analyticGrad(twin, x, v))).toBeLessThan(1e-12);
  expect(relErr(analyticGrad(fused, x, v, true), g)).toBeLessThan(1e-12);
  expect(relErr(g, numericGrad(fused, x, v, step))).toBeLessThan(1e-9);
  expect(g.some((a) => a !== 0)).toBe(true);
  expect(gradcheck(fused, [x])).toBe(true); // the whole Jacobian, every output element
}

describe('nllLoss', () => {
  it('by hand: −log p_y, weighted mean Σ w_y (−log p_y) / Σ w_y, ignored rows count nothing', () => {
    const lp = tensor([Math.log(1 / 6), Math.log(1 / 3), Math.log(1 / 2)]);
    expectClose(nllLoss(lp, 2), Math.LN2, 1e-15);
    const x = tensor(
      [
        [-1, -2, -3],
        [-4, -5, -6],
        [-7, -8, -9],
      ],
      { requiresGrad: true },
    );
    const l = nllLoss(x, [0, 2, -100], { weight: [1, 2, 3] });
    expectClose(l, (1 + 18) / 4, 1e-15);
    l.backward();
    expectClose(
      x.grad!,
      [
        [-0.25, 0, 0],
        [0, 0, -0.75],
        [0, 0, 0],
      ],
      1e-15,
    );
    expectClose(nllLoss(x, [0, 2, 1], { reduction: 'none' }), [1, 6, 8], 0);
    expect(nllLoss(x, [-100, -100, -100]).item()).toBe(0); // PyTorch: NaN
  });
  let seed = 1;
  for (const [name, shape] of [
    ['[C]', [4]],
    ['[N, C]', [3, 4]],
    ['[N, C, d]', [2, 4, 3]],
  ] as const) {
    for (const weighted of [false, true]) {
      for (const ignore of [false, true]) {
        for (const reduction of REDS) {
          const s = seed++;
          it(`three ways: ${name} weight=${weighted} ignore=${ignore} ${reduction}`, () => {
            const x = logSoftmax(rn([...shape], s), shape.length === 1 ? 0 : 1);
            const n = shape.length === 1 ? 1 : shape[0] * (shape[2] ?? 1);
            const ys = Array.from({ length: n }, (_, i) => (i * 3 + s) % 4);
            if (ignore) ys[0] = n > 1 ? 2 : 3; // a [C] input keeps its single target
            const t = shape.length === 1 ? ys[0]! : shape.length === 2 ? ys : [ys.slice(0, 3), ys.slice(3)];
            const o = {
              reduction,
              ...(ignore ? { ignoreIndex: 2 } : {}),
              ...(weighted ? { weight: [0.5, 1, 1.5, 2] } : {}),
            };
            threeWays(
              (z) => nllLoss(z, t as never, o),
              (z) => twinNll(z, t as never, o),
              x,
              s,
            );
          });
        }
      }
    }
  }
  it('errors name nllLoss and the argument', () => {
    expect(() => nllLoss(tensor([[0, 0]]), [2])).toThrow(/nllLoss: target class 2 at \[0\] is outside \[0, 2\)/);
    expect(() => nllLoss(tensor([[0, 0]]), [[0, 1]])).toThrow(
      /nllLoss: target of shape \[1, 2\] fits neither class indices \(shape \[1\]/,
    );
    expect(() => nllLoss(tensor([[0, 0]]), [0], { weight: [1] })).toThrow(/nllLoss: weight must have C = 2 entries/);
  });
});

describe('binaryCrossEntropy', () => {
  it("by hand: −log 0.8, −log 0.75, and PyTorch's clamp of log at −100", () => {
    expectClose(
      binaryCrossEntropy(tensor([0.8, 0.25]), tensor([1, 0]), { reduction: 'none' }),
      [-Math.log(0.8), -Math.log(0.75)],
      1e-15,
    );
    expectClose(
      binaryCrossEntropy(tensor([0, 1, 0, 1]), tensor([1, 0, 0, 1]), { reduction: 'none' }),
      [100, 100, 0, 0],
      0,
    );
    expectClose(binaryCrossEntropy(tensor([0.5]), tensor([1]), { weight: tensor([3]) }), 3 * Math.LN2, 1e-15);
  });
  let seed = 50;
  for (const weighted of [false, true]) {
    for (const reduction of REDS) {
      const s = seed++;
      it(`three ways: weight=${weighted} ${reduction}`, () => {
        const x = ru([3, 4], s, 0.2, 0.8),
          t = ru([3, 4], s + 1, 0, 1);
        const o = { reduction, ...(weighted ? { weight: ru([4], s + 2, 0.5, 1.5) } : {}) };
        threeWays(
          (z) => binaryCrossEntropy(z, t, o),
          (z) => twinBce(z, t, o),
          x,
          s,
        );
        threeWays(
          (u) => binaryCrossEntropy(x, u, o),
          (u) => twinBce(x, u, o),
          t,
          s + 500,
        ); // the target's gradient, as PyTorch
      });
    }
  }
  it('errors: input outside [0, 1], shapes', () => {
    expect(() => binaryCrossEntropy(tensor([0.5, 1.5]), tensor([1, 0]))).toThrow(
      /binaryCrossEntropy: input must hold probabilities in \[0, 1\], found 1.5 at \[1\]/,
    );
    expect(() => binaryCrossEntropy(tensor([NaN]), tensor([1]))).toThrow(/found NaN at \[0\]/);
    expect(() => binaryCrossEntropy(tensor([0.5]), tensor([1, 0]))).toThrow(
      /binaryCrossEntropy: target shape \[2\] must equal input shape \[1\]/,
    );
    expect(() => binaryCrossEntropy(tensor([0.5]), tensor([1]), { weight: tensor([1, 2]) })).toThrow(
      /^binaryCrossEntropy: weight of shape \[2\] does not broadcast to the input shape \[1\]$/,
    );
    expect(() => binaryCrossEntropy(tensor([0.5, 0.5]), tensor([1, 0]), { weight: tensor([1, 2, 3]) })).toThrow(
      /^binaryCrossEntropy: weight of shape \[3\] does not broadcast to the input shape \[2\]$/,
    );
    expect(() =>
      binaryCrossEntropyWithLogits(tensor([[0, 0]]), tensor([[1, 0]]), { posWeight: tensor([1, 2, 3]) }),
    ).toThrow(
      /^binaryCrossEntropyWithLogits: posWeight of shape \[3\] does not broadcast to the input shape \[1, 2\]$/,
    );
  });
});

describe('binaryCrossEntropyWithLogits', () => {
  it('by hand: log 2 at 0, exact 100 and 1e4 far out, posWeight multiplies the positive term', () => {
    expectClose(binaryCrossEntropyWithLogits(tensor([0]), tensor([1])), Math.LN2, 1e-15);
    expectClose(
      binaryCrossEntropyWithLogits(tensor([100, -100, 1e4, -1e4, 1e4]), tensor([0, 1, 0, 1, 1]), { reduction: 'none' }),
      [100, 100, 1e4, 1e4, 0],
      0,
    );
    expectClose(
      binaryCrossEntropyWithLogits(tensor([0, 0]), tensor([1, 0]), { posWeight: tensor([3, 3]), reduction: 'none' }),
      [3 * Math.LN2, Math.LN2],
      1e-15,
    );
  });
  it('|x| ≥ 100: finite loss and gradient σ(x) − t, in float64 and float32', () => {
    for (const dtype of ['float64', 'float32'] as const) {
      const x = tensor([150, -150, 1e4, -1e4, 3e38 / (dtype === 'float32' ? 1e1 : 1)], { dtype, requiresGrad: true });
      const t = tensor([0, 1, 1, 0, 0.5], { dtype });
      const l = binaryCrossEntropyWithLogits(x, t, { reduction: 'sum' });
      l.backward();
      expect(Number.isFinite(l.item())).toBe(true);
      expectClose(x.grad!, [1, -1, 0, 0, 0.5], 0);
    }
  });
  let seed = 70;
  for (const weighted of [false, true]) {
    for (const pos of [false, true]) {
      for (const reduction of REDS) {
        const s = seed++;
        it(`three ways: weight=${weighted} posWeight=${pos} ${reduction}`, () => {
          const x = rn([3, 4], s).mul(3),
            t = ru([3, 4], s + 1, 0, 1);
          const o = {
            reduction,
            ...(weighted ? { weight: ru([4], s + 2, 0.5, 1.5) } : {}),
            ...(pos ? { posWeight: ru([4], s + 3, 0, 3) } : {}),
          };
          threeWays(
            (z) => binaryCrossEntropyWithLogits(z, t, o),
            (z) => twinBceLogits(z, t, o),
            x,
            s,
          );
          threeWays(
            (u) => binaryCrossEntropyWithLogits(x, u, o),
            (u) => twinBceLogits(x, u, o),
            t,
            s + 500,
          ); // the target's gradient, as PyTorch
        });
      }
    }
  }
  it('second derivative σ(x)(1 − σ(x))', () => {
    const x = tensor([0.3, -2]);
    const s = x.sigmoid().toArray() as number[];
    expectClose(
      hessian((z) => binaryCrossEntropyWithLogits(z, tensor([1, 0]), { reduction: 'sum' }), x),
      [
        [s[0]! * (1 - s[0]!), 0],
        [0, s[1]! * (1 - s[1]!)],
      ],
      1e-15,
    );
  });
});

describe('klDiv (input log-probabilities, as PyTorch)', () => {
  it('by hand: KL([1, 0] ‖ [½, ½]) = log 2; batchmean divides by N, mean by every element', () => {
    const x = tensor([
      [Math.log(0.5), Math.log(0.5)],
      [Math.log(0.25), Math.log(0.75)],
    ]);
    const t = tensor([
      [1, 0],
      [0.25, 0.75],
    ]);
    expectClose(klDiv(x, t, { reduction: 'sum' }), Math.LN2, 1e-15);
    expectClose(klDiv(x, t, { reduction: 'batchmean' }), Math.LN2 / 2, 1e-15);
    expectClose(klDiv(x, t), Math.LN2 / 4, 1e-15);
    // logTarget: a −∞ log-target is a zero probability, whose term is 0 (PyTorch: 0·(−∞) = NaN)
    expectClose(klDiv(x, t.log(), { reduction: 'sum', logTarget: true }), Math.LN2, 1e-15);
  });
  let seed = 90;
  for (const reduction of [...REDS, 'batchmean'] as const) {
    for (const logTarget of [false, true]) {
      const s = seed++;
      it(`three ways: ${reduction} logTarget=${logTarget}`, () => {
        const x = logSoftmax(rn([3, 4], s), 1),
          p = softmax(rn([3, 4], s + 1), 1);
        const t = logTarget ? p.log() : p;
        const o = { reduction, logTarget };
        threeWays(
          (z) => klDiv(z, t, o),
          (z) => twinKlDiv(z, t, o),
          x,
          s,
        );
        threeWays(
          (u) => klDiv(x, u, o),
          (u) => twinKlDiv(x, u, o),
          t,
          s + 500,
          1e-5,
        ); // the target's gradient, as PyTorch (small steps keep t > 0)
      });
    }
  }
  it("the target's gradient by hand: log t + 1 − x, 0 where t = 0; e^t (t + 1 − x) with logTarget, 0 at t = −∞", () => {
    const t = tensor([0.5, 0, 0.5], { requiresGrad: true });
    klDiv(tensor([-1, -2, -3]), t, { reduction: 'sum' }).backward();
    expectClose(t.grad!, [Math.log(0.5) + 2, 0, Math.log(0.5) + 4], 1e-15);
    const u = tensor([Math.log(0.5), -Infinity], { requiresGrad: true });
    klDiv(tensor([-1, -2]), u, { reduction: 'sum', logTarget: true }).backward();
    expectClose(u.grad!, [0.5 * (Math.log(0.5) + 2), 0], 1e-15);
  });
  it('errors', () => {
    expect(() => klDiv(tensor([0]), tensor([1]), { reduction: 'avg' as never })).toThrow(
      /klDiv: reduction must be 'mean', 'sum', 'none', 'batchmean'/,
    );
    expect(() => klDiv(tensor([0]), tensor([1, 0]))).toThrow(/klDiv: target shape \[2\] must equal input shape \[1\]/);
    // A negative or NaN probability target would give a silent NaN (PyTorch's result): an error instead.
    expect(() => klDiv(tensor([-1, -2]), tensor([1.5, -0.5]))).toThrow(
      /^klDiv: target must hold probabilities ≥ 0 \(or pass logTarget: true for log-probabilities\), found -0.5 at \[1\]$/,
    );
    expect(() => klDiv(tensor([[-1, -2]]), tensor([[NaN, 1]]))).toThrow(
      /^klDiv: target must hold probabilities ≥ 0 .*found NaN at \[0, 0\]$/,
    );
    // log-targets are negative
    expect(Number.isFinite(klDiv(tensor([-1, -2]), tensor([0.25, 0.75]).log(), { logTarget: true }).item())).toBe(true);
  });
});

describe("a 'mean' over no elements is 0, not NaN (PyTorch: NaN), as crossEntropy's", () => {
  it('mseLoss, binaryCrossEntropy, binaryCrossEntropyWithLogits, klDiv on empty inputs', () => {
    const e = tensor([[]]).reshape([0, 2]);
    for (const f of [
      () => mseLoss(e, e),
      () => binaryCrossEntropy(e, e),
      () => binaryCrossEntropyWithLogits(e, e),
      () => klDiv(e, e),
      () => klDiv(e, e, { reduction: 'batchmean' }),
      () => nllLoss(e, []),
    ]) {
      const l = f();
      expect(l.item()).toBe(0);
    }
    const x = tensor([[]]).reshape([0, 2]).requiresGrad_();
    mseLoss(x, e).backward();
    expect(x.grad!.shape).toEqual([0, 2]);
  });
});

describe('mseLoss', () => {
  it('by hand: mean((1, 2) − 0)² = 2.5', () => {
    expectClose(mseLoss(tensor([1, 2]), tensor([0, 0])), 2.5, 0);
    expectClose(mseLoss(tensor([1, 2]), tensor([0, 0]), { reduction: 'sum' }), 5, 0);
  });
  for (const reduction of REDS) {
    it(`three ways (input and target): ${reduction}`, () => {
      const x = rn([3, 4], 11),
        t = rn([3, 4], 12);
      threeWays(
        (z) => mseLoss(z, t, { reduction }),
        (z) => twinMse(z, t, { reduction }),
        x,
        13,
      );
      threeWays(
        (z) => mseLoss(x, z, { reduction }),
        (z) => twinMse(x, z, { reduction }),
        t,
        14,
      );
    });
  }
});
