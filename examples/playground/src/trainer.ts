// The trainer: data, model, optimizer and loss from @xent/core and @xent/nn, driven by messages.
// The same class runs inside the Web Worker and, when no worker can start, on the page in short
// time slices, so the page never freezes either way.
import {
  Generator,
  Tensor,
  binaryCrossEntropyWithLogits,
  crossEntropy,
  mseLoss,
  noGrad,
  oneHot,
  softmax,
} from '@xent/core';
import { Adam, Linear, MLP, type Optimizer, SGD, accuracy } from '@xent/nn';
import { type PlaygroundData, type Split, makeData } from './data.js';
import { type GraphTrace, traceLoss } from './graph-trace.js';
import { featurize, networkPicture } from './features.js';
import { type GridPicture, GridPainter, probabilities } from './grid.js';
import type { Frame, FromTrainer, Inspection, Metrics, ToTrainer } from './protocol.js';
import { DATA_FIELDS, LABELS, MODEL_FIELDS, STEPS_PER_SECOND, type State } from './state.js';

const SLICE_MS = 24;
const FRAME_MS = 90;

const now = (): number => (typeof performance !== 'undefined' ? performance.now() : Date.now());

function rows(split: Split, idx: ArrayLike<number>): { x: Tensor; y: Tensor } {
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

/**
 * Data, model, optimizer and loss for the playground, driven by `ToTrainer` messages; answers with
 * `FromTrainer` messages through `post`. Training runs in time slices of `sliceMs` while playing.
 */
export class Trainer {
  private state!: State;
  private data!: PlaygroundData;
  private model!: MLP;
  /** The model fed with the chosen features: what the map's painter runs (one object per model, see GridPainter). */
  private net!: { forward(x: Tensor): Tensor };
  private opt!: Optimizer;
  private trainT!: { x: Tensor; y: Tensor };
  private testT!: { x: Tensor; y: Tensor };
  private readonly painter = new GridPainter();
  private playing = false;
  private step = 0;
  private seen = 0;
  private order: number[] = [];
  private cursor = 0;
  private shuffler = new Generator(0);
  private inspectIndex: number | null = null;
  private generation = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private lastFrame = 0;
  /** How long the last frame took to compute: big networks get fewer frames so that training keeps most of the time. */
  private frameCost = 0;
  private credit = 0;
  private lastTick = 0;
  private rate: { t: number; step: number }[] = [];

  private readonly sliceMs: number;
  private readonly paintInBands: boolean;

  /**
   * `sliceMs`: how long one slice of training runs before the trainer lets others run. `paintInBands`:
   * paint the decision regions a band of rows per slice (on the page, where a whole picture of a big
   * network would block it for a noticeable time) instead of all at once (in the worker).
   */
  constructor(
    private readonly post: (msg: FromTrainer) => void,
    opts: { sliceMs?: number; paintInBands?: boolean } = {},
  ) {
    this.sliceMs = opts.sliceMs ?? SLICE_MS;
    this.paintInBands = opts.paintInBands ?? false;
  }

  /** Handles one message from the page; errors go back as an 'error' message. */
  handle(msg: ToTrainer): void {
    try {
      switch (msg.type) {
        case 'init':
          this.state = msg.state;
          this.rebuildData();
          break;
        case 'update':
          this.update(msg.state);
          break;
        case 'play':
          this.playing = true;
          this.restartClock();
          break;
        case 'pause':
          this.playing = false;
          this.sendFrame();
          break;
        case 'step':
          this.playing = false;
          this.trainStep();
          this.sendFrame();
          break;
        case 'reset':
          this.rebuildModel();
          break;
        case 'inspect':
          this.inspectIndex = msg.index;
          this.sendFrame();
          break;
        case 'setWeight':
          this.setWeight(msg.layer, msg.out, msg.in, msg.value);
          break;
        case 'graph':
          this.post({ type: 'graph', index: msg.index, trace: this.graph(msg.index) });
          break;
      }
    } catch (e) {
      this.playing = false;
      this.post({ type: 'error', message: e instanceof Error ? e.message : String(e) });
    }
  }

  private update(next: State): void {
    const prev = this.state;
    this.state = next;
    const changed = (fields: readonly (keyof State)[]): boolean =>
      fields.some((f) => JSON.stringify(prev[f]) !== JSON.stringify(next[f]));
    if (changed(DATA_FIELDS)) return this.rebuildData();
    if (changed(MODEL_FIELDS)) return this.rebuildModel();
    if (prev.loss !== next.loss) this.switchLoss(prev.loss, next.loss);
    // A link pasted into the open page can change the loss and the optimizer at once: both must take effect.
    if (prev.optimizer !== next.optimizer) this.opt = this.makeOptimizer();
    this.opt.lr = next.lr;
    (this.opt as SGD | Adam).weightDecay = next.weightDecay;
    if (prev.batch !== next.batch) this.cursor = this.order.length; // start a fresh shuffle with the new batch size
    if (prev.speed !== next.speed && this.playing) this.restartClock();
    this.sendFrame();
  }

  private rebuildData(): void {
    this.data = makeData(this.state);
    const all = (s: Split): { x: Tensor; y: Tensor } =>
      rows(
        s,
        Array.from({ length: s.y.length }, (_, i) => i),
      );
    this.trainT = all(this.data.train);
    this.testT = all(this.data.test);
    this.inspectIndex = null;
    this.generation++;
    this.post({ type: 'data', data: this.data, generation: this.generation });
    this.rebuildModel();
  }

  private outputs(loss = this.state.loss): number {
    return loss === 'bce' ? 1 : this.data.classes;
  }

  /** The network's input for points `x` ([n, 2]): the chosen features. */
  private input(x: Tensor): Tensor {
    return featurize(x, this.state.features);
  }

  private setModel(model: MLP): void {
    this.model = model;
    this.net = { forward: (x) => model.forward(this.input(x)) };
  }

  /** Sets one weight (`inIndex` −1: the bias) of Linear layer `layer` by hand, as a click on a link in the diagram. */
  private setWeight(layer: number, out: number, inIndex: number, value: number): void {
    const lin = this.model.layers.filter((m): m is Linear => m instanceof Linear)[layer];
    if (
      !lin ||
      out < 0 ||
      out >= lin.outFeatures ||
      inIndex < -1 ||
      inIndex >= lin.inFeatures ||
      !Number.isFinite(value)
    )
      throw new RangeError(`setWeight: no weight [${layer}, ${out}, ${inIndex}] to set to ${value}`);
    if (inIndex < 0) lin.bias!.data[out] = value;
    else lin.weight.data[out * lin.inFeatures + inIndex] = value;
    this.sendFrame();
  }

  private makeModel(outputs: number): MLP {
    const s = this.state;
    return new MLP([s.features.length, ...s.hidden, outputs], {
      activation: s.activation,
      generator: new Generator(s.seed * 31 + 17),
    });
  }

  private makeOptimizer(): Optimizer {
    const s = this.state,
      params = this.model.parameters();
    if (s.optimizer === 'adam') return new Adam(params, { lr: s.lr, weightDecay: s.weightDecay });
    return new SGD(params, { lr: s.lr, momentum: s.optimizer === 'momentum' ? 0.9 : 0, weightDecay: s.weightDecay });
  }

  /** A fresh model (same seed: the same initial weights) and optimizer; the clock back to zero. */
  private rebuildModel(): void {
    this.setModel(this.makeModel(this.outputs()));
    this.opt = this.makeOptimizer();
    this.step = 0;
    this.seen = 0;
    this.order = [];
    this.cursor = 0;
    this.shuffler = new Generator(this.state.seed + 1);
    this.rate = [];
    this.sendFrame();
  }

  /**
   * Changes the loss without starting over. Between binary cross-entropy (one logit z) and the
   * two-logit losses the output layer is rewritten so that the model's predictions stay the same:
   * σ(z₁ − z₀) = softmax(z)₁, so z = z₁ − z₀ one way and z₁ = z/2, z₀ = −z/2 the other.
   */
  private switchLoss(from: State['loss'], to: State['loss']): void {
    if ((from === 'bce') === (to === 'bce')) return;
    const old = this.model;
    const model = this.makeModel(this.outputs(to));
    const src = old.parameters(),
      dst = model.parameters();
    for (let i = 0; i < src.length - 2; i++) dst[i]!.data.set(src[i]!.data);
    const oldHead = old.at(-1) as Linear,
      head = model.at(-1) as Linear;
    const w = oldHead.weight.data,
      b = oldHead.bias!.data,
      nw = head.weight.data,
      nb = head.bias!.data,
      inF = oldHead.inFeatures;
    for (let j = 0; j < inF; j++) {
      if (to === 'bce') nw[j] = w[inF + j]! - w[j]!;
      else {
        nw[j] = -w[j]! / 2;
        nw[inF + j] = w[j]! / 2;
      }
    }
    if (to === 'bce') nb[0] = b[1]! - b[0]!;
    else {
      nb[0] = -b[0]! / 2;
      nb[1] = b[0]! / 2;
    }
    this.setModel(model);
    this.opt = this.makeOptimizer();
  }

  private nextBatch(): number[] {
    const n = this.data.train.y.length,
      bs = Math.min(this.state.batch, n);
    if (this.cursor + bs > this.order.length) {
      this.order = Array.from({ length: n }, (_, i) => i);
      for (let i = n - 1; i > 0; i--) {
        const j = this.shuffler.int(0, i + 1);
        [this.order[i], this.order[j]] = [this.order[j]!, this.order[i]!];
      }
      this.cursor = 0;
    }
    const idx = this.order.slice(this.cursor, this.cursor + bs);
    this.cursor += bs;
    return idx;
  }

  /** One optimizer step on one mini-batch. */
  trainStep(): void {
    const s = this.state;
    const idx = this.nextBatch();
    const { x, y } = rows(this.data.train, idx);
    let loss = playgroundLoss(s.loss, this.net.forward(x), y, this.data.classes, s.labelSmoothing);
    // L1 or L2 on the weights (not the biases), as TensorFlow Playground does; the reported loss leaves it out.
    if (s.reg !== 'none' && s.regRate > 0)
      for (const m of this.model.layers)
        if (m instanceof Linear)
          loss = loss.add(
            s.reg === 'l1'
              ? m.weight.abs().sum().mul(s.regRate)
              : m.weight
                  .square()
                  .sum()
                  .mul(s.regRate / 2),
          );
    this.opt.zeroGrad();
    loss.backward();
    this.opt.step();
    this.step++;
    this.seen += idx.length;
  }

  private metrics(): Metrics {
    return noGrad(() => {
      const s = this.state,
        k = this.data.classes;
      const one = (t: { x: Tensor; y: Tensor }): [number, number] => {
        const z = this.net.forward(t.x);
        const loss = playgroundLoss(s.loss, z, t.y, k, s.labelSmoothing).item();
        return [loss, accuracy(z, t.y, z.shape[1] === 1 ? { threshold: 0 } : {})];
      };
      const [trainLoss, trainAcc] = one(this.trainT);
      const [testLoss, testAcc] = one(this.testT);
      return { trainLoss, testLoss, trainAcc, testAcc };
    });
  }

  /**
   * Each training point's p(true class) and ∂(its own loss)/∂z_true: one backward pass over the
   * whole training set, the mean's 1/N undone. With one logit z (binary cross-entropy) the true
   * class's logit is z for class 1 and −z for class 0.
   */
  pointGradients(): { p: Float32Array; grad: Float32Array } {
    const s = this.state,
      k = this.data.classes,
      { x, y } = this.trainT,
      n = y.size;
    const z = noGrad(() => this.net.forward(x));
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
  inspect(index: number): Inspection {
    const s = this.state,
      k = this.data.classes,
      nTrain = this.data.train.y.length;
    const split = index < nTrain ? this.data.train : this.data.test;
    const i = index < nTrain ? index : index - nTrain;
    if (i < 0 || i >= split.y.length) throw new RangeError(`inspect: no point ${index}`);
    const { x, y } = rows(split, [i]);
    const z = noGrad(() => this.net.forward(x));
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
  graph(index: number): GraphTrace {
    const s = this.state,
      nTrain = this.data.train.y.length;
    const split = index < nTrain ? this.data.train : this.data.test,
      i = index < nTrain ? index : index - nTrain;
    if (i < 0 || i >= split.y.length) throw new RangeError(`graph: no point ${index}`);
    const { x, y } = rows(split, [i]);
    const xin = this.input(x);
    const names = new Map<Tensor, string>([[xin, s.features.join(',') === 'x,y' ? 'x' : `features(x)`]]);
    const params = new Map<string, Tensor>();
    for (const [name, p] of this.model.namedParameters()) {
      names.set(p, name);
      params.set(name, p);
    }
    // The forward pass layer by layer, so that each hidden layer's output has a name: a1 = linear, h1 = activation.
    let z = xin;
    this.model.layers.forEach((m, i, all) => {
      z = (m as unknown as { forward(t: Tensor): Tensor }).forward(z);
      const k = Math.floor(i / 2) + 1;
      if (i < all.length - 1) names.set(z, m instanceof Linear ? `a${k}` : `h${k}`);
    });
    const loss = playgroundLoss(s.loss, z, y, this.data.classes, s.labelSmoothing, names);
    names.set(z, 'logits');
    names.set(loss, 'loss');
    // The parameters' .grad is borrowed for the picture and cleared again: the next step starts from zero anyway.
    this.opt.zeroGrad();
    const title = `point #${index} (${index < nTrain ? 'train' : 'test'}, class ${y.data[0]}): ${LABELS.loss[s.loss]}`;
    const trace = traceLoss(loss, names, params, title);
    this.opt.zeroGrad();
    return trace;
  }

  private stepsPerSecond(): number {
    const t = now();
    this.rate.push({ t, step: this.step });
    while (this.rate.length > 2 && t - this.rate[0]!.t > 2000) this.rate.shift();
    const first = this.rate[0]!;
    return t - first.t > 200 ? ((this.step - first.step) * 1000) / (t - first.t) : 0;
  }

  /** Sends the current picture: metrics, decision regions (`grid`, or painted now), the inspected point. */
  sendFrame(grid?: GridPicture): void {
    if (!this.model) return;
    const t0 = now();
    const picture = grid ?? this.painter.paint(this.net);
    const frame: Frame = {
      type: 'frame',
      playing: this.playing,
      step: this.step,
      epoch: this.seen / this.data.train.y.length,
      stepsPerSecond: this.playing ? this.stepsPerSecond() : 0,
      loss: this.state.loss,
      outputs: this.outputs(),
      ...this.metrics(),
      grid: picture,
      network: networkPicture(this.model, this.state.features),
      points: this.pointGradients(),
      inspect: this.inspectIndex === null ? null : this.inspect(this.inspectIndex),
    };
    this.post(frame);
    this.lastFrame = now();
    this.frameCost = this.lastFrame - t0;
  }

  /**
   * Starts the speed's clock afresh and runs the next slice now, replacing a slice planned for later: a
   * change of speed or a press on play must never wait for a timer set under the old speed.
   */
  private restartClock(): void {
    this.lastTick = now();
    this.credit = 0;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.schedule();
  }

  private schedule(delayMs = 0): void {
    if (this.timer !== null) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.tick();
    }, delayMs);
  }

  /** One time slice of training: as many steps as the speed allows and the slice holds, then a frame now and then. */
  private tick(): void {
    if (!this.playing) return;
    try {
      const t0 = now();
      const perSecond = STEPS_PER_SECOND[this.state.speed];
      const limited = Number.isFinite(perSecond);
      // Limited speeds earn a step every 1/perSecond seconds (at most a few saved up) and spend one per step;
      // unlimited speed neither earns nor spends, so switching back to a limited speed starts from a sane credit.
      if (limited) this.credit = Math.min(this.credit + ((t0 - this.lastTick) * perSecond) / 1000, 3);
      this.lastTick = t0;
      while (now() - t0 < this.sliceMs && (!limited || this.credit >= 1)) {
        this.trainStep();
        if (limited) this.credit -= 1;
      }
      if (now() - this.lastFrame >= Math.max(FRAME_MS, 2 * this.frameCost)) {
        if (!this.paintInBands) this.sendFrame();
        else {
          // A band or a few per slice; the frame goes out when the picture is complete.
          const picture = this.painter.paintSome(this.net, this.sliceMs);
          if (picture) this.sendFrame(picture);
        }
      }
      this.schedule(limited ? Math.max(0, ((1 - this.credit) * 1000) / perSecond) : 0);
    } catch (e) {
      this.playing = false;
      this.post({ type: 'error', message: e instanceof Error ? e.message : String(e) });
    }
  }
}
