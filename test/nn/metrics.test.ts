import { tensor } from '@xent/core';
import { accuracy, confusionMatrix, precisionRecallF1, toLabels } from '@xent/nn';
import { describe, expect, it } from 'vitest';

describe('metrics', () => {
  const pred = [0, 1, 2, 2, 1, 0, 2];
  const target = [0, 1, 1, 2, 1, 2, 2];

  it('accuracy from labels or from [N, C] scores', () => {
    expect(accuracy(pred, target)).toBeCloseTo(5 / 7, 15);
    expect(
      accuracy(
        tensor([
          [2, 1],
          [0, 3],
          [5, 4],
        ]),
        tensor([0, 1, 1]),
      ),
    ).toBeCloseTo(2 / 3, 15);
    expect(accuracy(tensor([[0.2], [0.7]]), tensor([[0], [0]]))).toBe(0.5); // probabilities: > 0.5
    expect(accuracy(tensor([-0.3, 0.1]), tensor([0, 1]), { threshold: 0 })).toBe(1); // logits
    expect(Array.from(toLabels(tensor([[0.1, 0.3, 0.2]])))).toEqual([1]);
    expect(() => accuracy([1, 2], [1])).toThrow(/2 predictions but 1 targets/);
  });

  it('confusion matrix: rows are true classes, columns predictions (by hand)', () => {
    expect(confusionMatrix(pred, target)).toEqual([
      [1, 0, 0],
      [0, 2, 1],
      [1, 0, 2],
    ]);
    expect(confusionMatrix([0], [0], 3)).toEqual([
      [1, 0, 0],
      [0, 0, 0],
      [0, 0, 0],
    ]);
    expect(() => confusionMatrix([3], [0], 3)).toThrow(/label 3 at position 0 is not an integer in \[0, 3\)/);
  });

  it('per-class precision, recall and F1 (by hand)', () => {
    const r = precisionRecallF1(pred, target);
    expect(r.precision).toEqual([1 / 2, 2 / 2, 2 / 3]);
    expect(r.recall).toEqual([1 / 1, 2 / 3, 2 / 3]);
    r.f1.forEach((f, c) =>
      expect(f).toBeCloseTo((2 * r.precision[c]! * r.recall[c]!) / (r.precision[c]! + r.recall[c]!), 15),
    );
    expect(r.support).toEqual([1, 3, 3]);
    expect(precisionRecallF1([0, 0], [0, 0], 2)).toEqual({
      precision: [1, 0],
      recall: [1, 0],
      f1: [1, 0],
      support: [2, 0],
    });
  });
});
