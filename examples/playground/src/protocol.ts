// Messages between the page and the trainer (in a Web Worker, or on the page in time slices).
import type { Backend } from '@xent/core';
import type { PlaygroundData } from './data.js';
import type { ModelFile, ModelFormat } from './download.js';
import type { NetworkPicture } from './features.js';
import type { GraphTrace } from './graph-trace.js';
import type { State } from './state.js';

/** Messages from the page to the trainer. */
export type ToTrainer =
  /** `backend`: the kernel set to train on (the page's `?kernels=ts|wasm`); absent, @xent/core's default. */
  | { type: 'init'; state: State; backend?: Backend }
  | { type: 'update'; state: State }
  | { type: 'play' }
  | { type: 'pause' }
  | { type: 'step' }
  | { type: 'reset' }
  | { type: 'inspect'; index: number | null }
  /** Sets a weight of Linear layer `layer` (0 = first) by hand; `in` −1 is the bias. */
  | { type: 'setWeight'; layer: number; out: number; in: number; value: number }
  | { type: 'graph'; index: number }
  | { type: 'download'; format: ModelFormat };

/** What the inspector shows for one point (index counts train points first, then test points). */
export interface Inspection {
  index: number;
  split: 'train' | 'test';
  x: [number, number];
  label: number;
  /** The model's outputs: k logits, or one for binary cross-entropy. */
  logits: number[];
  /** softmax(logits), or [1 − σ(z), σ(z)] for one logit. */
  p: number[];
  /** The target the loss compares with (one-hot, smoothed when label smoothing is on; [1 − y, y] for one logit). */
  target: number[];
  /** This point's loss. */
  loss: number;
  /** ∂loss/∂logits from autograd (equal to p − target for cross-entropy). */
  grad: number[];
}

/** Loss and accuracy on the training and the test split. */
export interface Metrics {
  trainLoss: number;
  testLoss: number;
  trainAcc: number;
  testAcc: number;
}

/** Everything the page draws after some training: sent a few times a second while playing. */
export interface Frame extends Metrics {
  type: 'frame';
  playing: boolean;
  step: number;
  /** Completed passes over the training set, fractional. */
  epoch: number;
  stepsPerSecond: number;
  /** The kernel set training runs on where the trainer runs (getBackend() in the Worker, or on the page). */
  backend: Backend;
  /** The loss being trained on, and the model's output count. */
  loss: State['loss'];
  outputs: number;
  /** Class probabilities on a size × size grid over the picture, row-major from the top-left, k per cell. */
  grid: { size: number; classes: number; probs: Float32Array };
  /** Every neuron's output over the map and the weights, for the network diagram. */
  network: NetworkPicture;
  /**
   * For every training point: p, the probability of its true class, and g = ∂loss/∂z_true, the
   * gradient of its own loss with respect to its true class's logit (from autograd). Cross-entropy
   * gives g = p − 1 exactly; MSE on softmax flattens towards 0 as p → 0.
   */
  points: { p: Float32Array; grad: Float32Array };
  inspect: Inspection | null;
}

/** Messages from the trainer to the page. */
export type FromTrainer =
  | { type: 'data'; data: PlaygroundData; generation: number }
  | Frame
  | { type: 'graph'; index: number; trace: GraphTrace }
  | { type: 'download'; file: ModelFile }
  | { type: 'error'; message: string };
