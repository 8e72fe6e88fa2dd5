// The playground's logic in Node: URL state, the loss wiring, the trainer (no browser needed).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Generator, tensor } from '@xent/core';
import { Adam, MLP } from '@xent/nn';
import { describe, expect, it, vi } from 'vitest';
import { featurize } from '../../examples/playground/src/features.js';
import { BAND, GRID, GridPainter } from '../../examples/playground/src/grid.js';
import type { Frame, FromTrainer } from '../../examples/playground/src/protocol.js';
import { DEFAULTS, type State, decodeState, encodeState, normalise } from '../../examples/playground/src/state.js';
import { trueClassTarget } from '../../examples/playground/src/scatter.js';
import { Trainer, playgroundLoss } from '../../examples/playground/src/trainer.js';
import { allText, findAll, parseXml } from './graph-xml.js';

const state = (patch: Partial<State> = {}): State => normalise({ ...DEFAULTS, hidden: [...DEFAULTS.hidden], ...patch });

function start(s: State): { t: Trainer; msgs: FromTrainer[] } {
  const msgs: FromTrainer[] = [];
  const t = new Trainer((m) => msgs.push(m));
  t.handle({ type: 'init', state: s });
  return { t, msgs };
}
const lastFrame = (msgs: FromTrainer[]): Frame => msgs.filter((m): m is Frame => m.type === 'frame').at(-1)!;

describe('playground state in the URL', () => {
  it('round-trips every field through the hash', () => {
    const s = state({
      data: 'moons',
      noise: 0.25,
      points: 420,
      testRatio: 0.4,
      seed: 9,
      hidden: [3, 64, 1],
      activation: 'gelu',
      lr: 0.003,
      batch: 7,
      optimizer: 'adam',
      weightDecay: 0.01,
      labelSmoothing: 0.15,
      loss: 'bce',
      speed: 'fast',
      features: ['x', 'xy', 'siny'],
      reg: 'l1',
      regRate: 0.03,
      showTest: false,
      discretize: true,
    });
    const hash = encodeState(s);
    expect(hash).toContain('feat=x,xy,siny&reg=l1&rr=0.03&showtest=0&disc=1');
    expect(hash).toContain('hidden=3,64,1');
    expect(decodeState(hash)).toEqual(s);
    expect(decodeState('')).toEqual(DEFAULTS);
  });

  it('puts bad or missing values back in range', () => {
    const s = decodeState('#data=nope&k=9&hidden=100,0,5,5,5,5,5,5&lr=abc&loss=bce&noise=-1');
    expect(s.data).toBe('spiral');
    expect(s.classes).toBe(5);
    expect(s.hidden).toEqual([64, 1, 5, 5, 5, 5]);
    expect(s.lr).toBe(DEFAULTS.lr);
    expect(s.noise).toBe(0);
    // Binary cross-entropy needs two classes; a 5-class spiral falls back to cross-entropy.
    expect(s.loss).toBe('ce');
    expect(decodeState('#data=xor&loss=bce').loss).toBe('bce');
    expect(decodeState('#hidden=').hidden).toEqual([]);
  });
});

describe('playground controls and state agree', () => {
  it('every slider on the page has the range that normalise keeps a field in', () => {
    const html = readFileSync(
      fileURLToPath(new URL('../../examples/playground/src/index.html', import.meta.url)),
      'utf8',
    );
    const fields: Record<string, keyof State> = {
      classes: 'classes',
      noise: 'noise',
      points: 'points',
      'test-ratio': 'testRatio',
      batch: 'batch',
      'label-smoothing': 'labelSmoothing',
    };
    for (const [id, key] of Object.entries(fields)) {
      const tag = new RegExp(`<input id="${id}" type="range" min="([\\d.]+)" max="([\\d.]+)"`).exec(html);
      expect(tag, id).not.toBeNull();
      const [lo, hi] = [Number(tag![1]), Number(tag![2])];
      expect(normalise({ ...DEFAULTS, [key]: -1e9 })[key], id).toBe(lo);
      expect(normalise({ ...DEFAULTS, [key]: 1e9 })[key], id).toBe(hi);
    }
    expect(decodeState('#batch=500').batch).toBe(128);
  });
});

describe('playground losses', () => {
  // By hand, for logits z = [2, 0, −1] and class 1: p = e^z / Σ e^z.
  const z = [2, 0, -1];
  const e = z.map(Math.exp),
    s = e.reduce((a, b) => a + b),
    p = e.map((v) => v / s);
  it('computes each choice as its formula says', () => {
    const zt = tensor([z]),
      y = tensor([1]);
    expect(playgroundLoss('ce', zt, y, 3, 0).item()).toBeCloseTo(-Math.log(p[1]!), 12);
    // Label smoothing 0.3: target (1 − ε)·onehot + ε/3.
    const ts = [0.1, 0.8, 0.1];
    expect(playgroundLoss('ce', zt, y, 3, 0.3).item()).toBeCloseTo(
      -ts.reduce((a, t, c) => a + t * Math.log(p[c]!), 0),
      12,
    );
    expect(playgroundLoss('mse-softmax', zt, y, 3, 0).item()).toBeCloseTo(
      ((p[0]! - 0) ** 2 + (p[1]! - 1) ** 2 + (p[2]! - 0) ** 2) / 3,
      12,
    );
    expect(playgroundLoss('mse-raw', zt, y, 3, 0).item()).toBeCloseTo((4 + 1 + 1) / 3, 12);
    // One logit z = 0.5, label 1: −log σ(0.5).
    expect(playgroundLoss('bce', tensor([[0.5]]), tensor([1]), 2, 0).item()).toBeCloseTo(
      Math.log(1 + Math.exp(-0.5)),
      12,
    );
  });
});

describe('playground trainer', () => {
  it('sends the data, then frames with metrics and a probability grid', () => {
    const { msgs } = start(state());
    expect(msgs[0]!.type).toBe('data');
    const data = (msgs[0] as Extract<FromTrainer, { type: 'data' }>).data;
    expect(data.train.y.length + data.test.y.length).toBe(300);
    expect(data.test.y.length).toBe(90);
    for (const v of data.train.x) expect(Math.abs(v)).toBeLessThanOrEqual(1);
    const f = lastFrame(msgs);
    expect(f.step).toBe(0);
    expect(f.grid.probs.length).toBe(f.grid.size * f.grid.size * 3);
    // Each cell's probabilities sum to 1.
    for (let i = 0; i < 20; i++)
      expect(f.grid.probs[3 * i]! + f.grid.probs[3 * i + 1]! + f.grid.probs[3 * i + 2]!).toBeCloseTo(1, 5);
  });

  it('shows ∂loss/∂logits = p − y from autograd for cross-entropy (label smoothing included), and the chain rule through softmax for MSE', () => {
    const { t, msgs } = start(state({ labelSmoothing: 0.1 }));
    for (let i = 0; i < 30; i++) t.trainStep();
    t.handle({ type: 'inspect', index: 5 });
    const ins = lastFrame(msgs).inspect!;
    expect(ins.index).toBe(5);
    expect(ins.target[ins.label]).toBeCloseTo(0.9 + 0.1 / 3, 12);
    ins.grad.forEach((g, c) => expect(g).toBeCloseTo(ins.p[c]! - ins.target[c]!, 12));
    expect(ins.loss).toBeCloseTo(-ins.target.reduce((a, y, c) => a + y * Math.log(ins.p[c]!), 0), 10);

    t.handle({ type: 'update', state: state({ labelSmoothing: 0, loss: 'mse-softmax' }) });
    const m = lastFrame(msgs).inspect!;
    // L = (1/K) Σ (p_j − y_j)²; ∂L/∂z_c = Σ_j (2/K)(p_j − y_j) p_j ([j = c] − p_c).
    const K = m.p.length;
    m.grad.forEach((g, c) => {
      const want = m.p.reduce((a, pj, j) => a + (2 / K) * (pj - m.target[j]!) * pj * ((j === c ? 1 : 0) - m.p[c]!), 0);
      expect(g).toBeCloseTo(want, 12);
    });
  });

  it('switches to binary cross-entropy and back without changing what the model predicts', () => {
    const { t, msgs } = start(state({ data: 'moons' }));
    for (let i = 0; i < 50; i++) t.trainStep();
    t.sendFrame();
    const before = lastFrame(msgs);
    t.handle({ type: 'update', state: state({ data: 'moons', loss: 'bce' }) });
    const bce = lastFrame(msgs);
    expect(bce.outputs).toBe(1);
    expect(bce.step).toBe(50);
    bce.grid.probs.forEach((v, i) => expect(v).toBeCloseTo(before.grid.probs[i]!, 5));
    expect(bce.trainAcc).toBe(before.trainAcc);
    t.handle({ type: 'inspect', index: 0 });
    const ins = lastFrame(msgs).inspect!;
    expect(ins.logits).toHaveLength(1);
    expect(ins.grad[0]).toBeCloseTo(ins.p[1]! - ins.target[1]!, 12);
    t.handle({ type: 'update', state: state({ data: 'moons', loss: 'ce' }) });
    const back = lastFrame(msgs);
    expect(back.outputs).toBe(2);
    back.grid.probs.forEach((v, i) => expect(v).toBeCloseTo(before.grid.probs[i]!, 5));
  });

  it('gives each training point’s pull ∂loss/∂z_true: p − 1 for cross-entropy, the same as its inspector for every loss', () => {
    for (const [data, loss] of [
      ['spiral', 'ce'],
      ['spiral', 'mse-softmax'],
      ['spiral', 'mse-raw'],
      ['moons', 'bce'],
      ['moons', 'ce'],
    ] as const) {
      const { t, msgs } = start(state({ data, loss }));
      for (let i = 0; i < 40; i++) t.trainStep();
      const pts = t.pointGradients();
      expect(pts.p.length).toBe(210);
      if (loss === 'ce') pts.grad.forEach((g, i) => expect(g).toBeCloseTo(pts.p[i]! - 1, 6));
      for (const i of [0, 7, 100]) {
        t.handle({ type: 'inspect', index: i });
        const ins = lastFrame(msgs).inspect!;
        expect(pts.p[i]).toBeCloseTo(ins.p[ins.label]!, 6);
        // One logit: the true class's logit is z for class 1 and −z for class 0.
        const g = ins.logits.length === 1 ? (ins.label === 1 ? ins.grad[0]! : -ins.grad[0]!) : ins.grad[ins.label]!;
        expect(pts.grad[i]).toBeCloseTo(g, 6);
      }
    }
  });

  it('keeps training through optimizer changes, and starts over on new data or a new architecture', () => {
    const { t, msgs } = start(state());
    for (let i = 0; i < 10; i++) t.trainStep();
    t.handle({ type: 'update', state: state({ lr: 0.01, optimizer: 'adam', weightDecay: 0.001, batch: 32 }) });
    expect(lastFrame(msgs).step).toBe(10);
    t.handle({
      type: 'update',
      state: state({ lr: 0.01, optimizer: 'adam', weightDecay: 0.001, batch: 32, hidden: [8] }),
    });
    expect(lastFrame(msgs).step).toBe(0);
    const nData = msgs.filter((m) => m.type === 'data').length;
    t.handle({ type: 'update', state: state({ seed: 2 }) });
    expect(msgs.filter((m) => m.type === 'data').length).toBe(nData + 1);
  });

  it('with label smoothing the points sit on the line the chart draws, p − trueClassTarget(k, ε), for cross-entropy and binary cross-entropy', () => {
    // By hand: 3 classes, ε = 0.3: y_true = 0.7 + 0.1 = 0.8; two classes (BCE target y(1 − ε) + ε/2): 0.85.
    expect(trueClassTarget(3, 0.3)).toBeCloseTo(0.8, 15);
    expect(trueClassTarget(2, 0.3)).toBeCloseTo(0.85, 15);
    expect(trueClassTarget(4, 0)).toBe(1);
    for (const [data, loss, k] of [
      ['spiral', 'ce', 3],
      ['moons', 'bce', 2],
    ] as const) {
      const { t } = start(state({ data, loss, labelSmoothing: 0.3 }));
      for (let i = 0; i < 40; i++) t.trainStep();
      const pts = t.pointGradients();
      pts.grad.forEach((g, i) => expect(g).toBeCloseTo(pts.p[i]! - trueClassTarget(k, 0.3), 5));
    }
  });

  it('applies a loss change and an optimizer change that arrive together (a link pasted into the open page)', () => {
    const opt = (t: Trainer): unknown => (t as unknown as { opt: unknown }).opt;
    for (const loss of ['mse-softmax', 'bce'] as const) {
      const { t, msgs } = start(state({ data: 'moons', optimizer: 'sgd' }));
      for (let i = 0; i < 5; i++) t.trainStep();
      t.handle({ type: 'update', state: state({ data: 'moons', optimizer: 'adam', loss, lr: 0.01 }) });
      expect(opt(t)).toBeInstanceOf(Adam);
      expect((opt(t) as Adam).lr).toBe(0.01);
      expect(lastFrame(msgs).loss).toBe(loss);
      expect(lastFrame(msgs).step).toBe(5);
    }
  });

  it('learns the default spiral: test accuracy above 90 % within 600 steps, and stays there', () => {
    const { t, msgs } = start(state());
    for (let i = 0; i < 600; i++) t.trainStep();
    t.sendFrame();
    expect(lastFrame(msgs).testAcc).toBeGreaterThan(0.9);
    expect(lastFrame(msgs).epoch).toBeCloseTo((600 * 32) / 210, 9);
    for (let i = 0; i < 400; i++) t.trainStep();
    t.sendFrame();
    expect(lastFrame(msgs).testAcc).toBeGreaterThan(0.9);
  });

  it('draws one point’s loss as a computation graph (well-formed SVG) and leaves no gradient behind', () => {
    const { t, msgs } = start(state({ hidden: [4] }));
    t.handle({ type: 'graph', index: 3 });
    const g = msgs.at(-1) as Extract<FromTrainer, { type: 'graph' }>;
    expect(g.type).toBe('graph');
    const texts = findAll(parseXml(g.trace.svg), 'text').map(allText);
    for (const name of ['x', 'y (one-hot)', '0.weight', '0.bias', '2.weight', '2.bias', 'logits', 'loss', 'tanh'])
      expect(texts).toContain(name);
    expect(texts).toContain('crossEntropy');
    // Every gradient backward computed is shown, intermediate tensors too.
    expect(texts.filter((x) => x === 'grad —')).toEqual([]);
    // y is an input of crossEntropy.
    const { nodes } = g.trace;
    const ce = nodes.find((n) => n.op === 'crossEntropy')!;
    expect(ce.inputs.map((i) => nodes[i]!.name)).toEqual(['logits', 'y (one-hot)']);
    // The stepper's steps, gathered by hand, end at backward()'s parameter gradients.
    const total = new Map<number, number[]>();
    for (const step of g.trace.backward)
      for (const o of step.outs)
        if (o.grad)
          total.set(
            o.input,
            (total.get(o.input) ?? o.grad.map(() => 0)).map((v, j) => v + o.grad![j]!),
          );
    expect(g.trace.reference.map((r) => r.name)).toEqual(['0.weight', '0.bias', '2.weight', '2.bias']);
    for (const r of g.trace.reference) total.get(r.node)!.forEach((v, j) => expect(v).toBeCloseTo(r.grad[j]!, 12));
    // crossEntropy's step (after the reduction's, when the loss records one) passes p − y to the logits.
    const ceStep = g.trace.backward.find((b) => nodes[b.node]!.op === 'crossEntropy')!;
    expect(ceStep.rule).toContain('p − y');
    expect(g.trace.backward.indexOf(ceStep)).toBeLessThanOrEqual(1);
    // The optimizer's next step must not see the picture's gradients.
    const params = (t as unknown as { model: { parameters(): { grad: unknown }[] } }).model.parameters();
    for (const p of params) expect(p.grad).toBeNull();
  });

  it('paints the decision regions band by band (for the page without a worker): the same picture as all at once', () => {
    const model = new MLP([2, 8, 3], { generator: new Generator(5) });
    const painter = new GridPainter();
    const whole = painter.paint(model);
    expect(whole.probs.length).toBe(GRID * GRID * 3);
    // A zero budget paints one band per call: GRID / BAND calls, the last one returns the picture.
    let calls = 1,
      picture = painter.paintSome(model, 0);
    while (picture === null) {
      picture = painter.paintSome(model, 0);
      calls++;
    }
    expect(calls).toBe(GRID / BAND);
    picture.probs.forEach((v, i) => expect(v).toBeCloseTo(whole.probs[i]!, 6));
    // A new model (say a new output layer) half-way starts the picture over.
    for (let i = 0; i < 5; i++) expect(painter.paintSome(model, 0)).toBeNull();
    const other = new MLP([2, 8, 1], { generator: new Generator(6) });
    calls = 1;
    while (painter.paintSome(other, 0) === null) calls++;
    expect(calls).toBe(GRID / BAND);
  });

  it('trains in slices and sends whole pictures when painting in bands', async () => {
    const msgs: FromTrainer[] = [];
    const t = new Trainer((m) => msgs.push(m), { sliceMs: 2, paintInBands: true });
    t.handle({ type: 'init', state: state({ speed: 'fast' }) });
    t.handle({ type: 'play' });
    await vi.waitFor(
      () =>
        expect(msgs.filter((m): m is Frame => m.type === 'frame' && m.playing && m.step > 0).length).toBeGreaterThan(1),
      { timeout: 10_000 },
    );
    t.handle({ type: 'pause' });
    for (const f of msgs.filter((m): m is Frame => m.type === 'frame')) {
      expect(f.grid.probs.length).toBe(GRID * GRID * 3);
      for (let i = 0; i < GRID * GRID; i += 97)
        expect(f.grid.probs[3 * i]! + f.grid.probs[3 * i + 1]! + f.grid.probs[3 * i + 2]!).toBeCloseTo(1, 5);
    }
  });

  it('fast → normal keeps training: fast speed spends no credit, and the new speed takes effect at once', async () => {
    const { t, msgs } = start(state({ speed: 'fast' }));
    const steps = (): number => (t as unknown as { step: number }).step;
    t.handle({ type: 'play' });
    await new Promise((ok) => setTimeout(ok, 1500));
    expect(steps()).toBeGreaterThan(90); // well past what normal speed would have run
    t.handle({ type: 'update', state: state({ speed: 'normal' }) });
    const before = steps();
    await new Promise((ok) => setTimeout(ok, 1000));
    // 60 steps/s: about 60 in a second (a slow, shared machine may run fewer, but never none).
    expect(steps() - before).toBeGreaterThan(10);
    expect(steps() - before).toBeLessThan(70);
    t.handle({ type: 'pause' });
    expect(lastFrame(msgs).playing).toBe(false);
  });

  it('engineered features: x², y², xy, sin πx, sin πy as the network’s inputs', () => {
    const f = featurize(tensor([[0.5, -2]]), ['x', 'y', 'x2', 'y2', 'xy', 'sinx', 'siny']);
    expect(f.shape).toEqual([1, 7]);
    const want = [0.5, -2, 0.25, 4, -1, 1, Math.sin(-2 * Math.PI)];
    Array.from(f.data).forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 12));
    expect(decodeState('#feat=').features).toEqual(['x', 'y']); // never no input at all
    expect(decodeState('#feat=xy,x,bogus').features).toEqual(['x', 'xy']);
    const { t, msgs } = start(state({ features: ['x2', 'y2'], data: 'circles' }));
    const net = lastFrame(msgs).network;
    expect(net.layers.map((l) => l.units)).toEqual([2, 16, 16, 2]);
    // The first layer's maps are the features themselves: x² at the top-left cell is EXTENT² minus a half cell.
    expect(net.weights[0]!.in).toBe(2);
    const c = -1.2 + 1.2 / net.size;
    expect(net.layers[0]!.maps[0]).toBeCloseTo(c * c, 5);
    t.handle({ type: 'pause' });
  });

  it('L1 and L2 regularisation shrink the weights, and the reported loss leaves the penalty out', () => {
    const norms = (reg: State['reg']): { l1: number; l2: number; loss: number } => {
      const { t, msgs } = start(state({ reg, regRate: 0.05 }));
      for (let i = 0; i < 150; i++) t.trainStep();
      t.sendFrame();
      let l1 = 0,
        l2 = 0;
      for (const W of lastFrame(msgs).network.weights)
        for (const v of W.w) {
          l1 += Math.abs(v);
          l2 += v * v;
        }
      return { l1, l2, loss: lastFrame(msgs).trainLoss };
    };
    const none = norms('none'),
      l1 = norms('l1'),
      l2 = norms('l2');
    expect(l1.l1).toBeLessThan(0.8 * none.l1);
    expect(l2.l2).toBeLessThan(0.8 * none.l2);
    // The penalty (0.05·Σ|w| is several units here) is not in the reported cross-entropy.
    expect(l1.loss).toBeLessThan(2);
  });

  it('sets a weight by hand (a click on a link in the diagram), and refuses one that does not exist', () => {
    const { t, msgs } = start(state({ hidden: [3] }));
    t.handle({ type: 'setWeight', layer: 1, out: 2, in: 1, value: -0.75 });
    const W = lastFrame(msgs).network.weights[1]!;
    expect(W.w[2 * W.in + 1]).toBe(-0.75);
    t.handle({ type: 'setWeight', layer: 0, out: 1, in: -1, value: 0.5 });
    expect(lastFrame(msgs).network.weights[0]!.b[1]).toBe(0.5);
    t.handle({ type: 'setWeight', layer: 5, out: 0, in: 0, value: 1 });
    expect(msgs.at(-1)).toEqual({ type: 'error', message: 'setWeight: no weight [5, 0, 0] to set to 1' });
  });

  it('reports bad requests as error messages, not exceptions', () => {
    const { t, msgs } = start(state());
    t.handle({ type: 'inspect', index: 10_000 });
    expect(msgs.at(-1)).toEqual({ type: 'error', message: 'inspect: no point 10000' });
  });
});
