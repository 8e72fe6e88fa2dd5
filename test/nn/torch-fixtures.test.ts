import { Tensor, tensor } from '@xent/core';
import {
  Adam,
  AdamW,
  CosineAnnealingLR,
  CrossEntropyLoss,
  ExponentialLR,
  type LRScheduler,
  LinearLR,
  MLP,
  OneCycleLR,
  type Optimizer,
  SGD,
  StepLR,
  clipGradNorm,
  fit,
} from '@xent/nn';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/* Values from PyTorch 1.13 (test/nn/fixtures/gen-optim.py, float64), compared with xent's. */
interface Fixture {
  start: number[];
  grads: number[][];
  optimizers: { optimizer: string; options: Record<string, unknown>; params: number[][] }[];
  schedulers: {
    scheduler: string;
    optimizer: string;
    lr0: number;
    options: Record<string, unknown>;
    lr: number[];
    momentum: number[];
  }[];
  clip: {
    maxNorm: number;
    normType: number | 'inf';
    a: number[];
    b: number[];
    total: number;
    aAfter: number[];
    bAfter: number[];
  }[];
}
const fx = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'optim.json'), 'utf8')) as Fixture;

/** PyTorch's snake_case option names in camelCase. */
function camel(o: Record<string, unknown>): Record<string, any> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) out[k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())] = v;
  if ('TMax' in out) {
    out.tMax = out.TMax;
    delete out.TMax;
  }
  return out;
}

const makers: Record<string, (p: Tensor[], o: Record<string, any>) => Optimizer> = {
  SGD: (p, o) => new SGD(p, o),
  Adam: (p, o) => new Adam(p, o),
  AdamW: (p, o) => new AdamW(p, o),
};

describe('optimizers against PyTorch 1.13', () => {
  for (const c of fx.optimizers) {
    it(`${c.optimizer} ${JSON.stringify(c.options)}: ${c.params.length} steps`, () => {
      const p = new Tensor(Float64Array.from(fx.start), [2, 3], true);
      const opt = makers[c.optimizer]!([p], camel(c.options));
      c.params.forEach((expected, s) => {
        opt.zeroGrad();
        const g = fx.grads[s]!.map((v, i) => v + 0.5 * p.data[i]! ** 2);
        p.grad = new Tensor(Float64Array.from(g), [2, 3]);
        opt.step();
        Array.from(p.data).forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 13));
      });
    });
  }
});

const schedulers: Record<string, (o: Optimizer, opts: Record<string, any>) => LRScheduler> = {
  StepLR: (o, x) => new StepLR(o, x as { stepSize: number }),
  ExponentialLR: (o, x) => new ExponentialLR(o, x as { gamma: number }),
  CosineAnnealingLR: (o, x) => new CosineAnnealingLR(o, x as { tMax: number }),
  LinearLR: (o, x) => new LinearLR(o, x),
  OneCycleLR: (o, x) => new OneCycleLR(o, x as { maxLr: number }),
};

describe('schedulers against PyTorch 1.13', () => {
  for (const c of fx.schedulers) {
    it(`${c.scheduler} ${JSON.stringify(c.options)} on ${c.optimizer}`, () => {
      const p = new Tensor(new Float64Array(1), [1], true);
      const opt = c.optimizer === 'SGD' ? new SGD([p], { lr: c.lr0, momentum: 0.9 }) : new Adam([p], { lr: c.lr0 });
      const s = schedulers[c.scheduler]!(opt, camel(c.options));
      c.lr.forEach((lr, t) => {
        expect(opt.lr).toBeCloseTo(lr, 15);
        expect(opt instanceof SGD ? opt.momentum : (opt as Adam).betas[0]).toBeCloseTo(c.momentum[t]!, 15);
        opt.step();
        s.step();
      });
    });
  }
});

describe('clipGradNorm against PyTorch 1.13', () => {
  for (const c of fx.clip) {
    it(`maxNorm ${c.maxNorm}, normType ${c.normType}`, () => {
      const a = new Tensor(new Float64Array(6), [2, 3], true),
        b = new Tensor(new Float64Array(4), [4], true);
      a.grad = new Tensor(Float64Array.from(c.a), [2, 3]);
      b.grad = new Tensor(Float64Array.from(c.b), [4]);
      expect(clipGradNorm([a, b], c.maxNorm, c.normType === 'inf' ? Infinity : c.normType)).toBeCloseTo(c.total, 14);
      Array.from(a.grad.data).forEach((v, i) => expect(v).toBeCloseTo(c.aAfter[i]!, 14));
      Array.from(b.grad.data).forEach((v, i) => expect(v).toBeCloseTo(c.bAfter[i]!, 14));
    });
  }
});

describe('a whole training run against PyTorch 1.13', () => {
  interface Run {
    optimizer: string;
    x: number[];
    y: number[];
    init: Record<string, number[]>;
    losses: number[];
    final: Record<string, number[]>;
  }
  for (const run of (fx as unknown as { train: Run[] }).train) {
    it(`MLP 2 → 5 → 3, full-batch cross-entropy, 10 ${run.optimizer} steps: same losses and weights, PyTorch's state dict names`, () => {
      const model = new MLP([2, 5, 3]);
      const state: Record<string, Tensor> = {};
      for (const [name, p] of model.namedParameters())
        state[name] = new Tensor(Float64Array.from(run.init[name]!), p.shape);
      expect(Object.keys(state)).toEqual(Object.keys(run.init));
      model.loadStateDict(state);
      const optimizer =
        run.optimizer === 'Adam'
          ? new Adam(model.parameters(), { lr: 0.05 })
          : new SGD(model.parameters(), { lr: 0.2, momentum: 0.9, nesterov: true });
      const h = fit(model, {
        data: { x: new Tensor(Float64Array.from(run.x), [20, 2]), y: tensor(run.y) },
        loss: new CrossEntropyLoss(),
        optimizer,
        epochs: 10,
        batchSize: 20,
        shuffle: false,
        verbose: 0,
      });
      h.train.loss!.forEach((l, i) => expect(l).toBeCloseTo(run.losses[i]!, 13));
      for (const [name, p] of model.namedParameters())
        Array.from(p.data).forEach((v, i) => expect(v).toBeCloseTo(run.final[name]![i]!, 12));
    });
  }
});
