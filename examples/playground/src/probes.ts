// What the page asks about single points: the inspector's numbers, every training point's pull, and
// one point's loss as a computation graph for the graph view and its backprop stepper.
import { Tensor, noGrad } from '@xent/core';
import { Linear, type MLP } from '@xent/nn';
import type { PlaygroundData } from './data.js';
import { type GraphTrace, traceLoss } from './graph-trace.js';
import { probabilities } from './grid.js';
import { playgroundLoss, rows } from './loss.js';
import type { Inspection } from './protocol.js';
import { LABELS, type State } from './state.js';

/** What the probes read from the trainer: the set-up, the data, the model, and the model fed its features. */
export interface Probe {
  state: State;
  data: PlaygroundData;
  model: MLP;
  net: { forward(x: Tensor): Tensor };
  input(x: Tensor): Tensor;
}

/**
 * Each training point's p(true class) and ∂(its own loss)/∂z_true: one backward pass over the
 * whole training set, the mean's 1/N undone. With one logit z (binary cross-entropy) the true
 * class's logit is z for class 1 and −z for class 0.
 */
export function pointGradients(c: Probe, train: { x: Tensor; y: Tensor }): { p: Float32Array; grad: Float32Array } {
  const s = c.state,
    k = c.data.classes,
    { x, y } = train,
    n = y.size;
  const z = noGrad(() => c.net.forward(x));
  const leaf = new Tensor(Float64Array.from(z.data), z.shape, true);
  playgroundLoss(s.loss, leaf, y, k, s.labelSmoothing).backward();
  // Every loss here is a mean over the N points (mseLoss over N·K entries, i.e. over N per-point means): ×N gives one
  // point's own.
  const scale = n;
  const probs = noGrad(() => probabilities(z)).data,
    g = leaf.grad!.data,
    outs = z.shape[1]!;
  const width = outs === 1 ? 2 : k; // probabilities() gives [1 − σ, σ] for one logit
  const p = new Float32Array(n),
    grad = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const c = y.data[i]!;
    p[i] = probs[i * width + c]!;
    grad[i] = (outs === 1 ? (c === 1 ? g[i]! : -g[i]!) : g[i * k + c]!) * scale;
  }
  return { p, grad };
}

/** The inspector's numbers for one point: a forward pass, then autograd for ∂loss/∂logits. */
export function inspectPoint(c: Probe, index: number): Inspection {
  const s = c.state,
    k = c.data.classes,
    nTrain = c.data.train.y.length;
  const split = index < nTrain ? c.data.train : c.data.test;
  const i = index < nTrain ? index : index - nTrain;
  if (i < 0 || i >= split.y.length) throw new RangeError(`inspect: no point ${index}`);
  const { x, y } = rows(split, [i]);
  const z = noGrad(() => c.net.forward(x));
  const leaf = new Tensor(Float64Array.from(z.data), z.shape, true);
  const loss = playgroundLoss(s.loss, leaf, y, k, s.labelSmoothing);
  loss.backward();
  const label = y.data[0]!,
    eps = s.labelSmoothing;
  const target =
    z.shape[1] === 1
      ? [1 - (label * (1 - eps) + eps / 2), label * (1 - eps) + eps / 2]
      : Array.from({ length: k }, (_, c) => (c === label ? 1 - eps : 0) + eps / k);
  return {
    index,
    split: index < nTrain ? 'train' : 'test',
    x: [x.data[0]!, x.data[1]!],
    label,
    logits: Array.from(z.data),
    p: Array.from(noGrad(() => probabilities(z)).data),
    target,
    loss: loss.item(),
    grad: Array.from(leaf.grad!.data),
  };
}

/**
 * The computation graph of one point's loss after backward(), for the graph view and its stepper: every parameter
 * by its name ('0.weight', …), the target y drawn as an input of the loss, every gradient kept.
 */
export function graphOfPoint(c: Probe, index: number): GraphTrace {
  const s = c.state,
    nTrain = c.data.train.y.length;
  const split = index < nTrain ? c.data.train : c.data.test,
    i = index < nTrain ? index : index - nTrain;
  if (i < 0 || i >= split.y.length) throw new RangeError(`graph: no point ${index}`);
  const { x, y } = rows(split, [i]);
  const xin = c.input(x);
  const names = new Map<Tensor, string>([[xin, s.features.join(',') === 'x,y' ? 'x' : `features(x)`]]);
  const params = new Map<string, Tensor>();
  for (const [name, p] of c.model.namedParameters()) {
    names.set(p, name);
    params.set(name, p);
  }
  // The forward pass layer by layer, so that each hidden layer's output has a name: a1 = linear, h1 = activation.
  let z = xin;
  c.model.layers.forEach((m, i, all) => {
    z = (m as unknown as { forward(t: Tensor): Tensor }).forward(z);
    const k = Math.floor(i / 2) + 1;
    if (i < all.length - 1) names.set(z, m instanceof Linear ? `a${k}` : `h${k}`);
  });
  const loss = playgroundLoss(s.loss, z, y, c.data.classes, s.labelSmoothing, names);
  names.set(z, 'logits');
  names.set(loss, 'loss');
  const title = `point #${index} (${index < nTrain ? 'train' : 'test'}, class ${y.data[0]}): ${LABELS.loss[s.loss]}`;
  return traceLoss(loss, names, params, title);
}
