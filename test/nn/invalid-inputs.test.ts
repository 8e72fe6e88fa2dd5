import { Generator, type Tensor, tensor, zeros } from '@xent/core';
import {
  Adam,
  AdamW,
  BCELoss,
  BCEWithLogitsLoss,
  CosineAnnealingLR,
  CrossEntropyLoss,
  DataLoader,
  Dropout,
  EarlyStopping,
  ExponentialLR,
  Flatten,
  KLDivLoss,
  LeakyReLU,
  Linear,
  LinearLR,
  LogSoftmax,
  MLP,
  MSELoss,
  NLLLoss,
  OneCycleLR,
  SGD,
  Sequential,
  Softmax,
  StandardScaler,
  StepLR,
  TensorDataset,
  accuracy,
  activation,
  blobs,
  buildModel,
  circles,
  clipGradNorm,
  confusionMatrix,
  evaluate,
  fit,
  gaussianQuantiles,
  init,
  loadModel,
  modelFromJson,
  moons,
  parseSavedModel,
  precisionRecallF1,
  predict,
  saveModel,
  spiral,
  toLabels,
  trainTestSplit,
  xor,
} from '@xent/nn';
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';

/* Random invalid inputs to every public function of @xent/nn (issue 11): each argument in turn is
   replaced by a hostile value while the others stay valid. The call either succeeds (the value
   happened to be acceptable, e.g. undefined for an optional argument) or throws an Error whose
   message begins with the function's name: never a TypeError from inside ("Cannot read properties
   of undefined"), never a stack overflow, never a silent NaN result. */

const hostile: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(
    undefined,
    null,
    NaN,
    Infinity,
    -Infinity,
    -1,
    0,
    1.5,
    1e300,
    '',
    'x',
    '1',
    true,
    [],
    {},
    [NaN],
    [1, 2],
    { x: 1 },
    Symbol('s'),
    () => 1,
  ),
  fc.integer({ min: -3, max: 5 }),
  fc.double(),
  fc.string({ maxLength: 4 }),
  fc.constant(null).map(() => zeros([2, 2])),
);

const x4 = (): Tensor =>
  tensor([
    [0.1, 0.2],
    [0.3, -0.1],
    [0.5, 0.2],
    [-0.2, 0.4],
  ]);
const y4 = (): Tensor => tensor([0, 1, 1, 0]);
const p1 = (): Tensor[] => [zeros([2], { requiresGrad: true })];
const sgd = (): SGD => new SGD(p1(), { lr: 0.1, momentum: 0.9 });
const lin = (): Linear => new Linear(2, 2, { generator: new Generator(0) });
const fitOpts = (m: Linear): Record<string, unknown> => ({
  data: { x: x4(), y: y4() },
  loss: new CrossEntropyLoss(),
  optimizer: new SGD(m.parameters()),
  epochs: 1,
  verbose: 0,
});

/** name (the message must start with it), the valid arguments, and the call. */
type Case = [string, () => unknown[], (...a: any[]) => unknown];
const cases: Case[] = [
  ['Linear', () => [2, 3, {}], (a, b, c) => new Linear(a, b, c)],
  ['Linear.forward', () => [x4()], (x) => lin().forward(x)],
  ['MLP', () => [[2, 3, 2], { dropout: 0.1 }], (a, b) => new MLP(a, b)],
  ['Sequential', () => [lin()], (a) => new Sequential(a)],
  ['Dropout', () => [0.5, {}], (a, b) => new Dropout(a, b)],
  ['LeakyReLU', () => [0.1], (a) => new LeakyReLU(a)],
  ['Softmax', () => [1], (a) => new Softmax(a)],
  ['LogSoftmax', () => [1], (a) => new LogSoftmax(a)],
  ['Flatten', () => [1, -1], (a, b) => new Flatten(a, b)],
  ['activation', () => ['tanh'], (a) => activation(a)],
  ['SGD', () => [p1(), { lr: 0.1 }], (a, b) => new SGD(a, b)],
  ['Adam', () => [p1(), { lr: 0.1 }], (a, b) => new Adam(a, b)],
  ['AdamW', () => [p1(), { lr: 0.1 }], (a, b) => new AdamW(a, b)],
  ['clipGradNorm', () => [p1(), 1, 2], (a, b, c) => clipGradNorm(a, b, c)],
  ['StepLR', () => [sgd(), { stepSize: 2 }], (a, b) => new StepLR(a, b)],
  ['ExponentialLR', () => [sgd(), { gamma: 0.9 }], (a, b) => new ExponentialLR(a, b)],
  ['CosineAnnealingLR', () => [sgd(), { tMax: 3 }], (a, b) => new CosineAnnealingLR(a, b)],
  ['LinearLR', () => [sgd(), {}], (a, b) => new LinearLR(a, b)],
  ['OneCycleLR', () => [sgd(), { maxLr: 0.1, totalSteps: 10 }], (a, b) => new OneCycleLR(a, b)],
  ['TensorDataset', () => [x4(), y4()], (a, b) => new TensorDataset(a, b)],
  ['DataLoader', () => [new TensorDataset(x4(), y4()), { batchSize: 2 }], (a, b) => new DataLoader(a, b)],
  ['trainTestSplit', () => [x4(), y4(), { testSize: 0.5 }], (a, b, c) => trainTestSplit(a, b, c)],
  ['StandardScaler.fit', () => [x4()], (a) => new StandardScaler().fit(a)],
  ['StandardScaler.transform', () => [x4()], (a) => new StandardScaler().fit(x4()).transform(a)],
  ['spiral', () => [{ n: 6 }], (a) => spiral(a)],
  ['moons', () => [{ n: 6 }], (a) => moons(a)],
  ['circles', () => [{ n: 6 }], (a) => circles(a)],
  ['blobs', () => [{ n: 6 }], (a) => blobs(a)],
  ['xor', () => [{ n: 6 }], (a) => xor(a)],
  ['gaussianQuantiles', () => [{ n: 6 }], (a) => gaussianQuantiles(a)],
  ['accuracy', () => [y4(), y4(), {}], (a, b, c) => accuracy(a, b, c)],
  ['toLabels', () => [x4(), {}], (a, b) => toLabels(a, b)],
  ['confusionMatrix', () => [y4(), y4(), 2, {}], (a, b, c, d) => confusionMatrix(a, b, c, d)],
  ['precisionRecallF1', () => [y4(), y4(), 2, {}], (a, b, c, d) => precisionRecallF1(a, b, c, d)],
  ['CrossEntropyLoss', () => [{ labelSmoothing: 0.1 }], (a) => new CrossEntropyLoss(a)],
  ['NLLLoss', () => [{}], (a) => new NLLLoss(a)],
  ['BCELoss', () => [{}], (a) => new BCELoss(a)],
  ['BCEWithLogitsLoss', () => [{}], (a) => new BCEWithLogitsLoss(a)],
  ['KLDivLoss', () => [{ reduction: 'batchmean' }], (a) => new KLDivLoss(a)],
  ['MSELoss', () => [{}], (a) => new MSELoss(a)],
  ['EarlyStopping', () => [{ patience: 2 }], (a) => new EarlyStopping(a)],
  ['fit', () => [lin(), null], (m, o) => fit(m, o ?? fitOpts(lin()))],
  [
    'fit',
    () => ['data', { x: x4(), y: y4() }],
    (k, v) => {
      const m = lin();
      return fit(m, { ...fitOpts(m), [k as string]: v } as never);
    },
  ],
  ['evaluate', () => [lin(), { x: x4(), y: y4() }, {}], (a, b, c) => evaluate(a, b, c)],
  ['predict', () => [lin(), x4(), {}], (a, b, c) => predict(a, b, c)],
  ['saveModel', () => [lin(), {}], (a, b) => saveModel(a, b)],
  ['loadModel', () => [lin(), saveModel(lin())], (a, b) => loadModel(a, b)],
  ['modelFromJson', () => [saveModel(lin())], (a) => modelFromJson(a)],
  ['parseSavedModel', () => [saveModel(lin())], (a) => parseSavedModel(a)],
  [
    'buildModel',
    () => [{ type: 'Linear', inFeatures: 2, outFeatures: 2, bias: true, dtype: 'float64' }],
    (a) => buildModel(a),
  ],
  ['loadStateDict', () => [lin().stateDict(), {}], (a, b) => lin().loadStateDict(a, b)],
  ['uniform', () => [zeros([2]), 0, 1, {}], (a, b, c, d) => init.uniform(a, b, c, d)],
  ['normal', () => [zeros([2]), 0, 1, {}], (a, b, c, d) => init.normal(a, b, c, d)],
  ['xavierUniform', () => [zeros([2, 2]), {}], (a, b) => init.xavierUniform(a, b)],
  ['kaimingNormal', () => [zeros([2, 2]), {}], (a, b) => init.kaimingNormal(a, b)],
];

/** Every number in a result (a tensor, a number, an array, a report) must be finite. */
function expectNoSilentNaN(r: unknown): void {
  const stack: unknown[] = [r];
  let seen = 0;
  while (stack.length && seen++ < 10000) {
    const v = stack.pop();
    if (typeof v === 'number') expect(Number.isNaN(v)).toBe(false);
    else if (v instanceof Float64Array || v instanceof Float32Array)
      for (const e of v) expect(Number.isNaN(e)).toBe(false);
    else if (Array.isArray(v)) stack.push(...v);
    else if (v !== null && typeof v === 'object' && 'data' in v && (v as Tensor).data instanceof Float64Array)
      stack.push((v as Tensor).data);
  }
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('random invalid inputs to every public @xent/nn function', () => {
  for (const [name, valid, call] of cases) {
    const n = valid().length;
    test.prop([fc.nat({ max: n - 1 }), hostile], { seed: 1111, numRuns: 60 })(`${name}`, (at, bad) => {
      const args = valid();
      args[at] = bad;
      let result: unknown;
      try {
        result = call(...args);
      } catch (e) {
        expect(e).toBeInstanceOf(Error);
        const msg = (e as Error).message;
        // Loss modules and layers pass inputs to @xent/core, whose errors name the core function.
        expect(msg).toMatch(new RegExp(`^(${escape(name)}|${escape(name.split('.')[0]!)}[.:])`));
        expect(msg).not.toMatch(
          /Cannot read prop|is not a function|is not iterable|Maximum call stack|Invalid typed array/,
        );
        expect(msg.length).toBeLessThan(500);
        return;
      }
      expectNoSilentNaN(result);
    });
  }
});
