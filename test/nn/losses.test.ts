import { tensor } from '@xent/core';
import { BCELoss, BCEWithLogitsLoss, CrossEntropyLoss, KLDivLoss, MSELoss, NLLLoss } from '@xent/nn';
import { describe, expect, it } from 'vitest';

/* The loss modules pass their options through to @xent/core; values worked out by hand. */
describe('loss modules', () => {
  const logits = tensor([
    [2, 0, -1],
    [0, 0, 0],
  ]);
  const lse0 = Math.log(Math.exp(2) + 1 + Math.exp(-1));
  it('CrossEntropyLoss and NLLLoss', () => {
    expect(new CrossEntropyLoss().forward(logits, tensor([0, 2])).item()).toBeCloseTo((lse0 - 2 + Math.log(3)) / 2, 14);
    expect(new CrossEntropyLoss({ reduction: 'sum' }).forward(logits, [0, 2]).item()).toBeCloseTo(
      lse0 - 2 + Math.log(3),
      14,
    );
    expect(new CrossEntropyLoss({ reduction: 'none' }).forward(logits, [0, 2]).shape).toEqual([2]);
    expect(new NLLLoss().forward(logits.logSoftmax(1), [0, 2]).item()).toBeCloseTo((lse0 - 2 + Math.log(3)) / 2, 14);
    expect(new NLLLoss({ weight: [1, 1, 3] }).forward(logits.logSoftmax(1), [0, 2]).item()).toBeCloseTo(
      (lse0 - 2 + 3 * Math.log(3)) / 4,
      14,
    );
  });
  it('BCELoss, BCEWithLogitsLoss (and their thresholds for accuracy)', () => {
    expect(new BCELoss().forward(tensor([0.8, 0.4]), tensor([1, 0])).item()).toBeCloseTo(
      -(Math.log(0.8) + Math.log(0.6)) / 2,
      14,
    );
    expect(new BCEWithLogitsLoss().forward(tensor([0]), tensor([1])).item()).toBeCloseTo(Math.log(2), 14);
    expect(new BCEWithLogitsLoss({ posWeight: tensor([3]) }).forward(tensor([0]), tensor([1])).item()).toBeCloseTo(
      3 * Math.log(2),
      14,
    );
    expect(new BCELoss().binaryThreshold).toBe(0.5);
    expect(new BCEWithLogitsLoss().binaryThreshold).toBe(0);
  });
  it('KLDivLoss and MSELoss', () => {
    expect(
      new KLDivLoss({ reduction: 'sum' }).forward(tensor([Math.log(0.5), Math.log(0.5)]), tensor([1, 0])).item(),
    ).toBeCloseTo(Math.log(2), 14);
    expect(new MSELoss().forward(tensor([1, 2]), tensor([0, 0])).item()).toBe(2.5);
    const x = tensor([1, 2], { requiresGrad: true });
    new MSELoss({ reduction: 'sum' }).forward(x, tensor([0, 0])).backward();
    expect(x.grad!.toArray()).toEqual([2, 4]);
  });
});
