// The numbers behind the CE-vs-MSE picture, all from xent's autograd: for each probability p of
// the true class, logits are set so that softmax gives exactly p, each loss is evaluated with xent's
// own loss function and backward() gives its gradient with respect to the true class's logit.
import { Tensor, crossEntropy, mseLoss, oneHot, softmax, tensor } from '@xent/core';

/** Both losses and their gradients at one probability of the true class. */
export interface CurvePoint {
  /** Probability of the true class, as xent's softmax computes it from the logits. */
  p: number;
  ceLoss: number;
  mseLoss: number;
  /** ∂loss/∂z_true, from backward(). */
  ceGrad: number;
  mseGrad: number;
}

/**
 * Logits for `classes` classes where the true class (0) has probability p and the others share
 * the rest equally: z = [log(p(K − 1)/(1 − p)), 0, …, 0].
 */
function logitsFor(p: number, classes: number): Tensor {
  if (!(p > 0 && p < 1)) throw new RangeError(`logitsFor: p must be in (0, 1), got ${p}`);
  if (!Number.isInteger(classes) || classes < 2)
    throw new RangeError(`logitsFor: classes must be an integer ≥ 2, got ${classes}`);
  const z = new Float64Array(classes);
  z[0] = Math.log((p * (classes - 1)) / (1 - p));
  return new Tensor(z, [1, classes], true);
}

/** Both losses and their gradients at one p; the plot shows these numbers and nothing else. */
export function evaluateAt(p: number, classes: number): CurvePoint {
  const y = tensor([0]);
  const zc = logitsFor(p, classes);
  const ce = crossEntropy(zc, y);
  ce.backward();
  const zm = logitsFor(p, classes);
  // PyTorch's mse_loss on the softmax output against the one-hot target, mean over the K outputs.
  const probs = softmax(zm, 1);
  const mse = mseLoss(probs, oneHot(y, classes));
  mse.backward();
  return {
    p: probs.data[0]!,
    ceLoss: ce.item(),
    mseLoss: mse.item(),
    ceGrad: zc.grad!.data[0]!,
    mseGrad: zm.grad!.data[0]!,
  };
}

/** The curves on an even grid of p from `from` to `to`. */
export function curves(opts: { classes?: number; points?: number; from?: number; to?: number } = {}): CurvePoint[] {
  const { classes = 2, points = 197, from = 0.01, to = 0.99 } = opts;
  return Array.from({ length: points }, (_, i) => evaluateAt(from + ((to - from) * i) / (points - 1), classes));
}
