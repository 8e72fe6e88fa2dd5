// The trainer: data, model, optimizer and loss from @xent/core and @xent/nn, driven by messages.
// The same class runs inside the Web Worker and, when no worker can start, on the page in short
// time slices, so the page never freezes either way.
import { Generator, type Tensor, getBackend, noGrad, setBackend } from '@xent/core';
import { Adam, Linear, MLP, type Optimizer, SGD, accuracy } from '@xent/nn';
import { type PlaygroundData, type Split, makeData } from './data.js';
import { modelFile } from './download.js';
import { featurize, networkPicture } from './features.js';
import type { GraphTrace } from './graph-trace.js';
import { GridPainter, type GridPicture } from './grid.js';
import { playgroundLoss, rows } from './loss.js';
import { type Probe, graphOfPoint, inspectPoint, pointGradients } from './probes.js';
import type { Frame, FromTrainer, Inspection, Metrics, ToTrainer } from './protocol.js';
import { DATA_FIELDS, MODEL_FIELDS, STEPS_PER_SECOND, type State } from './state.js';

export { playgroundLoss };

const SLICE_MS = 24;
const FRAME_MS = 90;

const now = (): number => (typeof performance !== 'undefined' ? performance.now() : Date.now());

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
          if (msg.backend) setBackend(msg.backend);
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
        case 'download':
          this.post({ type: 'download', file: modelFile(this.model, msg.format, this.modelInfo()) });
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

  /** What a downloaded model's inputs and outputs are (kept in the file's metadata). */
  private modelInfo(): Record<string, string> {
    const k = this.outputs();
    return {
      // the network's inputs: the chosen features of a point (x, y), in this order
      inputs: this.state.features.join(','),
      features: 'x2 = x*x, y2 = y*y, xy = x*y, sinx = sin(pi*x), siny = sin(pi*y)',
      outputs: k === 1 ? 'one logit z: P(class 1) = sigmoid(z)' : `${k} logits: softmax gives the class probabilities`,
      classes: String(this.data.classes),
      data: this.state.data,
    };
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

  private probe(): Probe {
    return { state: this.state, data: this.data, model: this.model, net: this.net, input: (x) => this.input(x) };
  }

  /** Each training point's p(true class) and ∂(its own loss)/∂z_true (see probes.ts). */
  pointGradients(): { p: Float32Array; grad: Float32Array } {
    return pointGradients(this.probe(), this.trainT);
  }

  /** The inspector's numbers for one point. */
  inspect(index: number): Inspection {
    return inspectPoint(this.probe(), index);
  }

  /** One point's loss as a graph for the graph view and its stepper; the parameters' .grad is left cleared. */
  graph(index: number): GraphTrace {
    this.opt.zeroGrad();
    const trace = graphOfPoint(this.probe(), index);
    // The parameters' .grad was borrowed for the picture: the next step starts from zero anyway.
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
      backend: getBackend(),
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
