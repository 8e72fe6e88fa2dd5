// The playground's loss wiring: rows of a split as tensors, and the loss chosen on the page, every
// variant one of xent's own loss functions.
import { Tensor, binaryCrossEntropyWithLogits, crossEntropy, mseLoss, oneHot, softmax } from '@xent/core';
import type { Split } from './data.js';
import type { State } from './state.js';

/** Points `idx` of a split as tensors: x [n, 2] and class labels y [n]. */
export function rows(split: Split, idx: ArrayLike<number>): { x: Tensor; y: Tensor } {
  const n = idx.length,
    x = new Float64Array(n * 2),
    y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const j = idx[i]!;
    x[2 * i] = split.x[2 * j]!;
    x[2 * i + 1] = split.x[2 * j + 1]!;
    y[i] = split.y[j]!;
  }
  return { x: new Tensor(x, [n, 2]), y: new Tensor(y, [n]) };
}

/**
 * The loss of logits `z` against class labels `y`, as chosen in the playground: every variant
 * is one of xent's own loss functions (label smoothing moves the target towards uniform).
 */
export function playgroundLoss(
  kind: State['loss'],
  z: Tensor,
  y: Tensor,
  classes: number,
  smoothing: number,
  names?: Map<Tensor, string>,
): Tensor {
  // For a picture (`names` given) cross-entropy takes y as one-hot probabilities, the same loss, so that y is drawn as
  // one of its inputs; training keeps the class indices (no one-hot to build).
  if (kind === 'ce') {
    if (!names) return crossEntropy(z, y, { labelSmoothing: smoothing });
    const t = oneHot(y, classes);
    names.set(t, 'y (one-hot)');
    return crossEntropy(z, t, { labelSmoothing: smoothing });
  }
  if (kind === 'bce') {
    const t = y.mul(1 - smoothing).add(smoothing / 2);
    names?.set(t, 'y');
    return binaryCrossEntropyWithLogits(z.reshape([-1]), t);
  }
  const target = oneHot(y, classes)
    .mul(1 - smoothing)
    .add(smoothing / classes);
  names?.set(target, smoothing ? 'y (smoothed)' : 'y (one-hot)');
  return kind === 'mse-softmax' ? mseLoss(softmax(z, 1), target) : mseLoss(z, target);
}
