import { Generator, Tensor, defaultGenerator, manualSeed, ones, randn, tensor, zeros } from '@xent/core';
import {
  Adam,
  AdamW,
  CrossEntropyLoss,
  DataLoader,
  Dropout,
  EarlyStopping,
  Identity,
  LeakyReLU,
  Linear,
  MLP,
  MSELoss,
  OneCycleLR,
  SGD,
  Sequential,
  Softmax,
  StepLR,
  TensorDataset,
  blobs,
  buildModel,
  fit,
  loadModel,
  modelFromJson,
  parseSavedModel,
  saveModel,
  spiral,
  trainTestSplit,
} from '@xent/nn';
import { describe, expect, it } from 'vitest';

/* One regression test per numbered defect of issue 11 that lives in @xent/nn (3–8, 10–13). */

const weights = (ps: Tensor[]): number[] => ps.flatMap((p) => Array.from(p.data));

describe('item 3: a gradient of the wrong shape is rejected at step, naming the parameter', () => {
  for (const [name, make] of [
    ['SGD', (ps: Tensor[]) => new SGD(ps, { lr: 0.1 })],
    ['SGD momentum', (ps: Tensor[]) => new SGD(ps, { lr: 0.1, momentum: 0.9 })],
    ['Adam', (ps: Tensor[]) => new Adam(ps)],
    ['AdamW', (ps: Tensor[]) => new AdamW(ps)],
  ] as const) {
    it(name, () => {
      const a = new Tensor(new Float64Array([1, 2]), [2], true);
      const w = new Tensor(new Float64Array([1, 2, 3, 4]), [2, 2], true);
      const opt = make([a, w]);
      a.grad = ones([2]);
      w.grad = ones([3]);
      expect(() => opt.step()).toThrow(/\.step: parameter 1 has shape \[2, 2\] but its \.grad has shape \[3\]/);
      // Nothing moved, not even the parameter before the bad one.
      expect(weights([a, w])).toEqual([1, 2, 1, 2, 3, 4]);
      w.grad = 'x' as never;
      expect(() => opt.step()).toThrow(/parameter 1 \(shape \[2, 2\]\) has a \.grad that is "x"/);
      w.grad = ones([2, 2]);
      opt.step();
      expect(weights([a, w]).every(Number.isFinite)).toBe(true);
    });
  }
});

describe('item 4: OneCycleLR momenta and a hand-set NaN rate', () => {
  const p = (): Tensor => new Tensor(new Float64Array([1]), [1], true);
  it('rejects NaN, strings and out-of-range momenta at construction', () => {
    for (const bad of [NaN, '0.95', -0.1, 1, Infinity]) {
      expect(
        () =>
          new OneCycleLR(new SGD([p()], { momentum: 0.9 }), {
            maxLr: 0.1,
            totalSteps: 10,
            baseMomentum: bad as number,
          }),
      ).toThrow(/OneCycleLR: baseMomentum must be/);
      expect(() => new OneCycleLR(new Adam([p()]), { maxLr: 0.1, totalSteps: 10, maxMomentum: bad as number })).toThrow(
        /OneCycleLR: maxMomentum must be/,
      );
    }
    expect(() => new OneCycleLR(new Adam([p()]), { maxLr: 0.1, totalSteps: 10, threePhase: 'yes' as never })).toThrow(
      /threePhase must be true or false, got "yes"/,
    );
  });
  it('optimizer.lr = NaN (or a string) fails at step and changes nothing', () => {
    for (const make of [(q: Tensor) => new SGD([q]), (q: Tensor) => new Adam([q])]) {
      const q = p();
      const opt = make(q);
      q.grad = ones([1]);
      opt.lr = NaN;
      expect(() => opt.step()).toThrow(/\.step: lr must be a finite number in \[0, Infinity\], got NaN/);
      opt.lr = '0.1' as never;
      expect(() => opt.step()).toThrow(/lr must be a finite number/);
      expect(q.data[0]).toBe(1);
    }
    const q = p();
    const sgd = new SGD([q], { momentum: 0.9 });
    sgd.momentum = NaN; // what a broken scheduler would write
    q.grad = ones([1]);
    expect(() => sgd.step()).toThrow(/SGD\.step: momentum must be/);
  });
});

describe('item 5: a float32 value that overflows after rounding is rejected', () => {
  const doc = (v: number): Record<string, unknown> =>
    JSON.parse(
      saveModel(new Linear(1, 1, { dtype: 'float32' })).replace(/"data":\[[^\]]*\]/, `"data":[${v}]`),
    ) as never;
  it('in every load path', () => {
    const json = JSON.stringify(doc(1e300));
    expect(() => parseSavedModel(json)).toThrow(/value 0 \(1e\+300\) overflows float32/);
    expect(() => modelFromJson(json)).toThrow(/modelFromJson: .*overflows float32/);
    const m = new Linear(1, 1, { dtype: 'float32' });
    const before = weights(m.parameters());
    expect(() => loadModel(m, json)).toThrow(/loadModel: .*overflows float32/);
    expect(weights(m.parameters())).toEqual(before);
    // A float64 entry loaded into a float32 model: checked against the parameter's dtype.
    const f64 = saveModel(new Linear(1, 1)).replace(
      /("0?\.?weight"|"weight"):\{"shape":\[1,1\],"dtype":"float64","data":\[[^\]]*\]/,
      '"weight":{"shape":[1,1],"dtype":"float64","data":[1e300]',
    );
    expect(() => loadModel(m, f64)).toThrow(/'weight' holds 1e\+300 at index 0, which overflows the float32 parameter/);
    expect(weights(m.parameters())).toEqual(before);
    expect(() => m.loadStateDict({ weight: tensor([[1e39]]), bias: tensor([0]) })).toThrow(/overflows the float32/);
  });
  it('3.4e38 still loads (the largest float32 rounds to itself)', () => {
    expect(Array.from(parseSavedModel(JSON.stringify(doc(3.4e38))).state['weight']!.data)[0]).toBeCloseTo(3.4e38, -32);
  });
});

describe('item 6: Optimizer.loadStateDict is all or nothing, with the constructor rules', () => {
  const p = (): Tensor => new Tensor(new Float64Array([1, 2]), [2], true);
  it('a bad eps after a good lr changes nothing', () => {
    const opt = new Adam([p()], { lr: 0.01 });
    const sd = opt.stateDict();
    sd.hyper = { ...sd.hyper, lr: 0.5, eps: -1 };
    expect(() => opt.loadStateDict(sd)).toThrow(/Adam\.loadStateDict: eps must be/);
    expect(opt.lr).toBe(0.01);
  });
  it('rejects what the constructor rejects', () => {
    const adam = new Adam([p()]);
    const sd = adam.stateDict();
    expect(() => new Adam([p()], { betas: [1, 0.999] })).toThrow(/betas\[0\] must be below 1/);
    expect(() => adam.loadStateDict({ ...sd, hyper: { ...sd.hyper, betas: [1, 0.999] } })).toThrow(
      /Adam\.loadStateDict: betas\[0\] must be below 1/,
    );
    expect(() => adam.loadStateDict({ ...sd, hyper: { ...sd.hyper, amsgrad: 'yes' as never } })).toThrow(
      /amsgrad must be true or false/,
    );
    expect(() => adam.loadStateDict({ ...sd, hyper: { ...sd.hyper, learningRate: 1 } })).toThrow(
      /unknown hyper-parameter "learningRate"; expected lr, betas, eps, weightDecay, amsgrad/,
    );
    const sgd = new SGD([p()], { momentum: 0.9, nesterov: true });
    const s2 = sgd.stateDict();
    expect(() => sgd.loadStateDict({ ...s2, hyper: { ...s2.hyper, momentum: 0 } })).toThrow(
      /SGD\.loadStateDict: nesterov momentum requires momentum > 0/,
    );
    expect(sgd.momentum).toBe(0.9);
  });
  it('a bad buffer in the last parameter leaves the step counts and buffers of the first as they were', () => {
    const a = p(),
      b = p();
    const opt = new SGD([a, b], { lr: 0.1, momentum: 0.9 });
    a.grad = ones([2]);
    b.grad = ones([2]);
    opt.step();
    const before = JSON.stringify(opt.stateDict());
    const sd = opt.stateDict();
    sd.state[0]!.step = 7;
    sd.state[1]!.buffers.momentumBuffer = [1, NaN];
    expect(() => opt.loadStateDict(sd)).toThrow(/parameter 1: buffer momentumBuffer holds NaN at 1/);
    expect(JSON.stringify(opt.stateDict())).toBe(before);
  });
});

describe('item 7: the size guard holds with a malformed sibling and non-finite counts', () => {
  const base = (): Record<string, any> => JSON.parse(saveModel(new MLP([2, 3, 2]))) as never;
  it('a malformed sibling layer fails before anything big is allocated', () => {
    const d = base();
    d.architecture.layers.push({ type: 'Linear', inFeatures: 'x', outFeatures: 2, bias: true, dtype: 'float64' });
    d.architecture.layers.unshift({
      type: 'Linear',
      inFeatures: 100000,
      outFeatures: 40000,
      bias: true,
      dtype: 'float64',
    });
    const t = Date.now();
    expect(() => modelFromJson(JSON.stringify(d))).toThrow(
      /modelFromJson: architecture\.layers\[4\]: inFeatures must be an integer/,
    );
    expect(Date.now() - t).toBeLessThan(2000); // not the seconds that allocating 4e9 values would take
  });
  it('a huge but well-formed layer is counted and refused', () => {
    const d = base();
    d.architecture.layers.unshift({
      type: 'Linear',
      inFeatures: 60000,
      outFeatures: 60000,
      bias: true,
      dtype: 'float64',
    });
    expect(() => modelFromJson(JSON.stringify(d))).toThrow(/needs 3600\d+ parameter values but the file holds only 17/);
    d.architecture.layers[0].inFeatures = 1e300;
    expect(() => modelFromJson(JSON.stringify(d))).toThrow(/inFeatures must be an integer ≥ 1, got 1e\+300/);
    d.architecture.layers[0].inFeatures = 2 ** 40;
    expect(() => modelFromJson(JSON.stringify(d))).toThrow(/more than a typed array can/);
  });
});

describe('item 8: hostile values give short errors, never a stack overflow', () => {
  const deep = (): unknown => {
    let v: unknown = 1;
    for (let i = 0; i < 100000; i++) v = [v];
    return v;
  };
  const good = (): Record<string, any> => JSON.parse(saveModel(new Linear(2, 1))) as never;
  it('deeply nested format, version and dtype', () => {
    for (const edit of [
      (d: Record<string, any>) => (d.format = deep()),
      (d: Record<string, any>) => (d.version = deep()),
      (d: Record<string, any>) => (d.parameters.weight.dtype = deep()),
      (d: Record<string, any>) => (d.parameters.weight.shape = deep()),
      (d: Record<string, any>) => (d.architecture.type = deep()),
    ]) {
      const d = good();
      edit(d);
      let msg = '';
      try {
        modelFromJson(d);
      } catch (e) {
        msg = (e as Error).message;
        expect(e).not.toBeInstanceOf(RangeError); // a stack overflow is a RangeError
      }
      expect(msg).toMatch(/^modelFromJson: .*an array of 1 item/);
      expect(msg.length).toBeLessThan(300);
    }
  });
  it('a 50 MB type string gives a short message', () => {
    const d = good();
    d.architecture.type = 'L'.repeat(50e6);
    expect(() => modelFromJson(d)).toThrow(/unknown layer type "L{40}…" \(50000000 characters\)/);
    try {
      modelFromJson(d);
    } catch (e) {
      expect((e as Error).message.length).toBeLessThan(400);
    }
  });
  it('a 200,000-layer Sequential builds (no spread into a constructor), and its modules list', () => {
    const layers = Array.from({ length: 200000 }, () => ({ type: 'Identity' }));
    const m = buildModel({ type: 'Sequential', layers }) as Sequential;
    expect(m.length).toBe(200000);
    expect(m.namedModules().length).toBe(200001);
    expect(m.forward(tensor([1, 2])).toArray()).toEqual([1, 2]);
    const s = new Sequential();
    for (let i = 0; i < 3; i++) s.append(new Identity());
    expect(s.length).toBe(3);
  });
});

describe('item 10: errors name the function and what was expected', () => {
  it('Linear.forward, SGD, DataLoader, Linear sizes and dtype, seeds, Softmax dim', () => {
    expect(() => new Linear(2, 2).forward('x' as never)).toThrow(/^Linear\.forward: input must be a Tensor, got "x"$/);
    expect(() => new SGD(undefined as never)).toThrow(/^SGD: params must be an iterable of Tensors/);
    expect(() => new Adam([1] as never)).toThrow(/^Adam: parameter 0 is 1, not a Tensor/);
    const ds = new TensorDataset(zeros([4, 1]), zeros([4]));
    expect(() => new DataLoader(ds, { shuffle: true, generator: {} as never })).toThrow(
      /^DataLoader: generator must be a Generator/,
    );
    expect(() => new Linear(1e6, 1e6)).toThrow(
      /^Linear: a \[1000000, 1000000\] weight would hold 1000000000000 values/,
    );
    expect(() => new MLP([2, 1e6, 1e6])).toThrow(/^MLP: layer 1 would hold/);
    expect(() => new Linear(2, 2, { dtype: 'float16' as never })).toThrow(
      /^Linear: dtype must be 'float32' or 'float64', got "float16"/,
    );
    expect(() => new MLP([2, 2], { dtype: 'float16' as never })).toThrow(/^MLP: dtype/);
    expect(() => trainTestSplit(zeros([4, 1]), zeros([4]), { seed: NaN })).toThrow(
      /^trainTestSplit: seed must be a finite number, got NaN/,
    );
    const m = new Linear(1, 1);
    expect(() =>
      fit(m, {
        data: [zeros([2, 1]), zeros([2, 1])],
        loss: new MSELoss(),
        optimizer: new SGD(m.parameters()),
        epochs: 1,
        seed: NaN,
        verbose: 0,
      }),
    ).toThrow(/^fit: seed must be a finite number, got NaN/);
    expect(() => new Softmax('1' as never)).toThrow(/^Softmax: dim must be an integer, got "1"/);
    expect(() => spiral({ seed: NaN })).toThrow(/^spiral: seed must be a finite number/);
  });
});

describe('item 11: unknown option keys are rejected, listing the valid ones; bad option values too', () => {
  const p = (): Tensor[] => [new Tensor(new Float64Array(1), [1], true)];
  it('unknown keys', () => {
    expect(() => new SGD(p(), { learningRate: 0.1 } as never)).toThrow(
      /^SGD: unknown option "learningRate"; valid options are lr, momentum, dampening, nesterov, weightDecay$/,
    );
    expect(() => new CrossEntropyLoss({ labelSmoothin: 0.5 } as never)).toThrow(
      /CrossEntropyLoss: unknown option "labelSmoothin"; valid options are weight, ignoreIndex, labelSmoothing, reduction/,
    );
    expect(() => new Adam(p(), { beta: [0.9, 0.99] } as never)).toThrow(/Adam: unknown option "beta"/);
    expect(() => new MLP([2, 2], { dropOut: 0.5 } as never)).toThrow(/MLP: unknown option "dropOut"/);
    expect(() => new DataLoader(new TensorDataset(zeros([2, 1]), zeros([2])), { batch: 2 } as never)).toThrow(
      /DataLoader: unknown option "batch"/,
    );
    expect(() => new StepLR(new SGD(p()), { stepSize: 2, gama: 0.1 } as never)).toThrow(
      /StepLR: unknown option "gama"/,
    );
    expect(() => new EarlyStopping({ patiance: 3 } as never)).toThrow(/EarlyStopping: unknown option "patiance"/);
    expect(() => blobs({ center: 3 } as never)).toThrow(/blobs: unknown option "center"/);
    const m = new Linear(1, 1);
    expect(() =>
      fit(m, {
        data: [zeros([2, 1]), zeros([2, 1])],
        loss: new MSELoss(),
        optimizer: new SGD(m.parameters()),
        epochs: 1,
        epoch: 3,
      } as never),
    ).toThrow(/fit: unknown option "epoch"/);
  });
  it('bad values that used to be accepted', () => {
    expect(() => new MLP([2, 4, 2], { dropout: NaN })).toThrow(
      /MLP: dropout must be a probability in \[0, 1\], got NaN/,
    );
    expect(() => new LeakyReLU(NaN)).toThrow(/LeakyReLU: negativeSlope must be a finite number, got NaN/);
    expect(() => new Adam(p(), { amsgrad: 'yes' as never })).toThrow(/Adam: amsgrad must be true or false, got "yes"/);
    expect(() => new SGD(p(), { nesterov: 1 as never })).toThrow(/SGD: nesterov must be true or false/);
    expect(() => new Dropout('0.5' as never)).toThrow(/Dropout: p must be a probability/);
  });
});

describe('item 12: fit checks the data before the first update', () => {
  it('a bad label in the fourth batch throws before any weight changes, naming the batch', () => {
    const m = new Linear(2, 3, { generator: new Generator(1) });
    const before = weights(m.parameters());
    const y = tensor([0, 1, 2, 0, 1, 2, 7, 0]);
    expect(() =>
      fit(m, {
        data: { x: randn([8, 2], { generator: new Generator(2) }), y },
        loss: new CrossEntropyLoss(),
        optimizer: new SGD(m.parameters(), { lr: 0.1 }),
        epochs: 1,
        batchSize: 2,
        shuffle: false,
        verbose: 0,
      }),
    ).toThrow(/^fit: data, batch 4 \(samples 6–7\), checked before training: .*7/);
    expect(weights(m.parameters())).toEqual(before);
  });
  it('bad validation data fails before training too', () => {
    const m = new Linear(2, 3);
    const before = weights(m.parameters());
    expect(() =>
      fit(m, {
        data: { x: zeros([4, 2]), y: tensor([0, 1, 2, 0]) },
        valData: { x: zeros([2, 2]), y: tensor([0, 5]) },
        loss: new CrossEntropyLoss(),
        optimizer: new SGD(m.parameters(), { lr: 0.1 }),
        epochs: 3,
        verbose: 0,
      }),
    ).toThrow(/^fit: valData, batch 1/);
    expect(weights(m.parameters())).toEqual(before);
  });
  it('an error while training names the epoch and batch', () => {
    const m = new Linear(1, 1);
    let calls = 0;
    expect(() =>
      fit(m, {
        data: { x: zeros([4, 1]), y: zeros([4, 1]) },
        loss: new MSELoss(),
        optimizer: new SGD(m.parameters()),
        epochs: 2,
        batchSize: 2,
        verbose: 0,
        callbacks: [
          {
            onBatchEnd: () => {
              if (++calls === 3) throw new RangeError('boom');
            },
          },
        ],
      }),
    ).toThrow(/^fit: at epoch 2, batch 1: boom$/);
  });
});

describe('item 13: fit({ seed }) covers Dropout and leaves the default generator as it was', () => {
  const train = (globalSeed: number): { w: number[]; after: number } => {
    const data = spiral({ n: 60, seed: 3 });
    const m = new MLP([2, 16, 3], { dropout: 0.5, generator: new Generator(4) });
    manualSeed(globalSeed);
    fit(m, {
      data: { x: data.x, y: data.y },
      loss: new CrossEntropyLoss(),
      optimizer: new Adam(m.parameters(), { lr: 0.01 }),
      epochs: 3,
      batchSize: 16,
      seed: 11,
      verbose: 0,
    });
    return { w: weights(m.parameters()), after: defaultGenerator().random() };
  };
  it('same seed, bit-identical weights, whatever the global generator', () => {
    const a = train(0),
      b = train(12345);
    expect(a.w).toEqual(b.w);
    // The caller's stream is where it was: fit with a seed neither read nor moved it.
    expect(a.after).toBe(new Generator(0).random());
    expect(b.after).toBe(new Generator(12345).random());
  });
});
