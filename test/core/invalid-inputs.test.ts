/* eslint-disable no-sparse-arrays -- holes in arrays are among the invalid inputs */
import * as core from '@xent/core';
import { Generator, Tensor, Value, tensor, zeros } from '@xent/core';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';

/* Random invalid inputs to every public function and method of @xent/core's main entry (issue 11):
   each argument in turn is replaced by a hostile value (wrong types, holes, ragged nesting, NaN/±∞/
   negative/fractional sizes and dims, out-of-range dims and class indices, mismatched shapes, wrong
   dtypes, unknown option keys and bad option values) while the others stay valid. The call either
   succeeds (the value happened to be acceptable) or throws an Error whose message begins with the
   function's name: never a TypeError or RangeError from inside ("Cannot read properties of
   undefined", "Invalid array length"), never a stack overflow, and a NaN in the result only where a
   NaN or ±∞ went in as data. The last block fails when an export or a method has no case here. */

const x23 = (): Tensor =>
  tensor([
    [0.1, -0.2, 0.3],
    [0.4, 0.5, -0.6],
  ]);
const v3 = (): Tensor => tensor([0.2, 0.3, 0.5]);
const leaf = (): Tensor => x23().requiresGrad_();

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
    -0.5,
    2 ** 40,
    1e300,
    '',
    'x',
    '1',
    'float16',
    'int32',
    true,
    [],
    {},
    [NaN],
    [1, , 3],
    [[1, 2], [3]],
    [
      [1, [2]],
      [3, 4],
    ],
    [1.5, 2],
    [-1, 2],
    [2, 3],
    [3, 2],
    [0, 5],
    [1e9, 1e9],
    { x: 1 },
    { dtype: 'int8' },
    { requiresGrad: 'yes' },
    { reduction: 'avg' },
    { dim: 5 },
    { generator: {} },
    { unknownKey: 1 },
    Symbol('s'),
    () => 1,
    new Value(1),
  ),
  fc.integer({ min: -5, max: 5 }),
  fc.double(),
  fc.string({ maxLength: 4 }),
  fc.constantFrom(0, 1, 2, 3).map((k) => [zeros([2, 3]), zeros([3]), zeros([]), zeros([3, 2])][k]),
  fc.array(fc.oneof(fc.integer({ min: -3, max: 4 }), fc.constant(NaN)), { maxLength: 4 }),
);

/** Error name(s) the message must start with (alternatives split by '|'), valid args, the call, data positions. */
type Case = [string, () => unknown[], (...a: any[]) => unknown, number[]?];
const F = core as unknown as Record<string, (...a: unknown[]) => unknown>;
const fn = (name: string, valid: () => unknown[], data: number[] = [], err = name): Case => [
  err,
  valid,
  (...a) => F[name]!(...a),
  data,
];

const unaries = [
  'neg',
  'exp',
  'log',
  'sqrt',
  'abs',
  'sign',
  'square',
  'tanh',
  'sigmoid',
  'softplus',
  'relu',
  'gelu',
  'erf',
  'sin',
  'cos',
  'clone',
];
const binaries = ['add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum', 'eq', 'ne', 'gt', 'ge', 'lt', 'le'];

const FUNCTIONS: Record<string, Case> = {
  ...Object.fromEntries(unaries.map((n) => [n, fn(n, () => [x23()], [0])])),
  ...Object.fromEntries(binaries.map((n) => [n, fn(n, () => [x23(), v3()], [0, 1])])),
  leakyRelu: fn('leakyRelu', () => [x23(), 0.1], [0]),
  setBackend: [
    'setBackend',
    () => [core.getBackend()],
    (name) => {
      const before = core.getBackend();
      try {
        return core.setBackend(name as 'ts');
      } finally {
        core.setBackend(before); // the global choice must not leak into other tests
      }
    },
  ],
  getBackend: fn('getBackend', () => []),
  wasmBuild: fn('wasmBuild', () => []),
  setNumThreads: [
    'setNumThreads',
    () => [1],
    (n) => {
      try {
        return void core.setNumThreads(n as number).catch(() => undefined);
      } finally {
        void core.setNumThreads(1); // a valid n may have started workers: shut them down
      }
    },
  ],
  getNumThreads: fn('getNumThreads', () => []),
  clamp: fn('clamp', () => [x23(), -0.1, 0.2], [0]),
  where: fn('where', () => [tensor([1, 0, 1]), x23(), v3()], [0, 1, 2]),
  cast: fn('cast', () => [x23(), 'float32'], [0]),
  tensor: fn(
    'tensor',
    () => [
      [
        [1, 2],
        [3, 4],
      ],
      { dtype: 'float32' },
    ],
    [0],
  ),
  zeros: fn('zeros', () => [[2, 3], {}]),
  ones: fn('ones', () => [[2, 3], {}]),
  full: fn('full', () => [[2, 3], 1.5, {}], [1]),
  zerosLike: fn('zerosLike', () => [x23(), {}]),
  onesLike: fn('onesLike', () => [x23(), {}]),
  arange: fn('arange', () => [0, 5, 1, {}]),
  linspace: fn('linspace', () => [0, 1, 5, {}]),
  eye: fn('eye', () => [3, 2, {}]),
  rand: fn('rand', () => [[2, 3], { generator: new Generator(1) }]),
  randn: fn('randn', () => [[2, 3], { generator: new Generator(1) }]),
  randint: fn('randint', () => [0, 5, [2, 3], { generator: new Generator(1) }]),
  randperm: fn('randperm', () => [5, { generator: new Generator(1) }]),
  manualSeed: fn('manualSeed', () => [3]),
  defaultGenerator: fn('defaultGenerator', () => []),
  broadcastShapes: fn('broadcastShapes', () => [[2, 1], [3], 'op'], [], 'broadcastShapes|op'),
  noGrad: fn('noGrad', () => [() => 1]),
  enableGrad: fn('enableGrad', () => [() => 1]),
  isGradEnabled: fn('isGradEnabled', () => []),
  sum: fn('sum', () => [x23(), 1, false]),
  mean: fn('mean', () => [x23(), 1, false]),
  max: fn('max', () => [x23(), 1, false]),
  min: fn('min', () => [x23(), 1, false]),
  argmax: fn('argmax', () => [x23(), 1, false]),
  argmin: fn('argmin', () => [x23(), 1, false]),
  logsumexp: fn('logsumexp', () => [x23(), 1, false], [0]),
  variance: fn('variance', () => [x23(), 1, { correction: 1 }], [], 'var'),
  std: fn('std', () => [x23(), 1, { correction: 1 }], [], 'var|std'),
  matmul: fn('matmul', () => [x23(), v3()], [0, 1]),
  mm: fn('mm', () => [x23(), x23(), false, true], [0, 1]),
  dot: fn('dot', () => [v3(), v3()], [0, 1]),
  outer: fn('outer', () => [v3(), v3()], [0, 1]),
  linear: fn('linear', () => [x23(), x23(), tensor([1, 2])], [0, 1, 2]),
  reshape: fn('reshape', () => [x23(), [3, 2]]),
  flatten: fn('flatten', () => [x23(), 0, -1]),
  permute: fn('permute', () => [x23(), [1, 0]]),
  transpose: fn('transpose', () => [x23(), 0, 1]),
  squeeze: fn('squeeze', () => [x23(), 0]),
  unsqueeze: fn('unsqueeze', () => [x23(), 1]),
  expand: fn('expand', () => [v3(), [2, 3]]),
  slice: fn('slice', () => [x23(), 1, 0, 2, 1]),
  cat: fn('cat', () => [[x23(), x23()], 0]),
  stack: fn('stack', () => [[x23(), x23()], 0]),
  indexSelect: fn('indexSelect', () => [x23(), 1, [0, 2]]),
  gather: fn('gather', () => [x23(), 1, [[0], [2]]]),
  scatterAdd: fn('scatterAdd', () => [x23(), 1, [[0], [2]], tensor([[1], [2]])], [0, 3]),
  oneHot: fn('oneHot', () => [tensor([0, 2, 1]), 3, {}]),
  softmax: fn('softmax', () => [x23(), 1], [0]),
  logSoftmax: fn('logSoftmax', () => [x23(), 1], [0]),
  gradients: fn('gradients', () => {
    const a = leaf();
    return [a.mul(a).sum(), [a], {}];
  }),
  grad: fn('grad', () => [(t: Tensor) => t.mul(t).sum(), {}]),
  valueAndGrad: fn('valueAndGrad', () => [(t: Tensor) => t.mul(t).sum(), {}]),
  jacobian: fn('jacobian', () => [(t: Tensor) => t.mul(2), v3()]),
  hessian: fn('hessian', () => [(t: Tensor) => t.mul(t).sum(), v3()]),
  gradcheck: fn('gradcheck', () => [(t: Tensor) => t.mul(t), [v3()], {}]),
  toDot: fn('toDot', () => [leaf().mul(2).sum(), {}]),
  toSvg: fn('toSvg', () => [leaf().mul(2).sum(), {}]),
  traceGraph: fn('traceGraph', () => [leaf().mul(2).sum(), {}]),
  crossEntropy: fn('crossEntropy', () => [x23(), [0, 2], { labelSmoothing: 0.1 }], [0]),
  nllLoss: fn('nllLoss', () => [x23(), [0, 2], {}], [0]),
  binaryCrossEntropy: fn('binaryCrossEntropy', () => [v3(), v3(), {}], [0, 1]),
  binaryCrossEntropyWithLogits: fn('binaryCrossEntropyWithLogits', () => [v3(), v3(), {}], [0, 1]),
  klDiv: fn('klDiv', () => [v3().log(), v3(), { reduction: 'batchmean' }], [0, 1]),
  mseLoss: fn('mseLoss', () => [x23(), x23(), {}], [0, 1]),
  entropy: fn('entropy', () => [v3(), { base: 2 }], [0]),
  crossEntropyBetween: fn('crossEntropyBetween', () => [v3(), v3(), {}], [0, 1]),
  klDivergence: fn('klDivergence', () => [v3(), v3(), {}], [0, 1]),
  Tensor: ['Tensor', () => [new Float64Array(6), [2, 3], false], (a, b, c) => new Tensor(a, b, c), [0]],
  Generator: ['Generator', () => [1], (a) => new Generator(a)],
  Value: ['Value', () => [1.5, null, 'a'], (a, b, c) => new Value(a, b, c), [0]],
};

/** Tensor methods: name → valid arguments (called on a fresh [2, 3] tensor); data positions. */
const TENSOR_METHODS: Record<string, [unknown[], number[]?]> = {
  ...Object.fromEntries(unaries.filter((n) => n !== 'clone').map((n) => [n, [[]] as [unknown[]]])),
  ...Object.fromEntries(binaries.map((n) => [n, [[v3()], [0]]])),
  clone: [[]],
  to: [['float32']],
  leakyRelu: [[0.1]],
  clamp: [[-0.1, 0.2]],
  where: [
    [tensor([1, 0, 1]), v3()],
    [0, 1],
  ],
  item: [[]],
  toArray: [[]],
  toString: [[]] as [unknown[]],
  backward: [[1, {}], [0]],
  retainGrad: [[]],
  zeroGrad: [[{ setToNone: false }]],
  requiresGrad_: [[true]],
  detach: [[]],
  _bumpVersion: [[]],
  sum: [[1, false]],
  mean: [[1, false]],
  max: [[1, false]],
  min: [[1, false]],
  argmax: [[1, false]],
  argmin: [[1, false]],
  logsumexp: [[1, false]],
  var: [[1, {}]],
  std: [[1, {}]],
  matmul: [[v3()], [0]],
  mm: [[x23(), false, true], [0]],
  dot: [[v3()], [0]],
  outer: [[v3()], [0]],
  reshape: [[3, 2]],
  view: [[[3, 2]]],
  flatten: [[0, -1]],
  transpose: [[0, 1]],
  t: [[]],
  permute: [[1, 0]],
  squeeze: [[0]],
  unsqueeze: [[1]],
  expand: [[[2, 2, 3]]],
  slice: [[1, 0, 2, 1]],
  indexSelect: [[1, [0, 2]]],
  gather: [[1, [[0], [2]]]],
  scatterAdd: [[1, [[0], [2]], tensor([[1], [2]])], [2]],
  oneHot: [[4, {}]],
  cat: [[[x23()], 0]],
  stack: [[[x23()], 0]],
  softmax: [[1], [0]],
  logSoftmax: [[1], [0]],
};
/** Methods whose receiver must be something other than the [2, 3] tensor. */
const RECEIVER: Record<string, () => Tensor> = {
  item: () => tensor([2]),
  backward: () => leaf().mul(2).sum(),
  retainGrad: () => leaf().mul(2),
  oneHot: () => tensor([0, 2]),
  dot: v3,
  outer: v3,
  log: v3, // positive: log and sqrt of a negative number are NaN by definition
  sqrt: v3,
};

const VALUE_METHODS: Record<string, unknown[]> = {
  add: [2],
  sub: [2],
  mul: [2],
  div: [2],
  pow: [2],
  neg: [],
  exp: [],
  log: [],
  tanh: [],
  relu: [],
  sigmoid: [],
  backward: [],
  toString: [],
  vjp: [1],
};
const GENERATOR_METHODS: Record<string, unknown[]> = {
  manualSeed: [3],
  random: [],
  normal: [],
  int: [0, 5],
  getState: [],
  nextUint32: [],
  setState: [new Generator(2).getState()],
};

function hasNaN(r: unknown): boolean {
  if (typeof r === 'number') return Number.isNaN(r);
  if (r instanceof Value) return Number.isNaN(r.data);
  if (r instanceof Tensor) return r.data.some((v) => Number.isNaN(v));
  if (Array.isArray(r)) return r.some((v) => hasNaN(v));
  return false;
}
const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function check(names: string, call: () => unknown, at: number, data: number[]): void {
  let result: unknown;
  try {
    result = call();
  } catch (e) {
    expect(e).toBeInstanceOf(Error);
    const msg = (e as Error).message;
    const alts = names.split('|').map(escape).join('|');
    expect(msg, `${names} threw: ${msg}`).toMatch(new RegExp(`^(${alts})[.:( ]`));
    expect(msg).not.toMatch(
      /Cannot read prop|Cannot convert|is not a function|is not iterable|Maximum call stack|Invalid typed array|Invalid array length|undefined \(reading/,
    );
    expect(msg.length).toBeLessThan(600);
    return;
  }
  // A NaN only where NaN or ±∞ came in as data (log(−1) is NaN by definition: a data position)
  if (hasNaN(result)) expect(data.includes(at), `${names}: a silent NaN from argument ${at}`).toBe(true);
}

const SEED = 1111;
const RUNS = 40;

describe('random invalid inputs to every public @xent/core function', () => {
  for (const [key, [names, valid, call, data = []]] of Object.entries(FUNCTIONS)) {
    const n = valid().length;
    if (n === 0) {
      it(`${key} (no arguments)`, () => check(names, () => call(), -1, data));
      continue;
    }
    test.prop([fc.nat({ max: n - 1 }), hostile], { seed: SEED, numRuns: RUNS })(key, (at, bad) => {
      const args = valid();
      args[at] = bad;
      check(names, () => call(...args), at, data);
    });
  }
});

describe('random invalid inputs to every Tensor method', () => {
  for (const [m, [valid, data = []]] of Object.entries(TENSOR_METHODS)) {
    const call = (args: unknown[]): unknown => (RECEIVER[m]?.() ?? x23())[m as 'sum'](...(args as [number]));
    // the method's error names the function it calls (sum → "sum:"), or the method itself
    const names = `${m}|Tensor.${m}|var|std|cast|tensor|reshape|zeroGrad|requiresGrad_|backward|item`;
    if (valid.length === 0) {
      it(`Tensor.${m} (no arguments)`, () => check(names, () => call([]), -1, data));
      test.prop([hostile], { seed: SEED, numRuns: 10 })(`Tensor.${m} with an extra argument`, (bad) =>
        check(names, () => call([bad]), 0, data),
      );
      continue;
    }
    test.prop([fc.nat({ max: valid.length - 1 }), hostile], { seed: SEED, numRuns: RUNS })(`Tensor.${m}`, (at, bad) => {
      const args = valid.slice();
      args[at] = bad;
      check(names, () => call(args), at, data);
    });
  }
});

describe('random invalid inputs to every Value and Generator method', () => {
  for (const [m, valid] of Object.entries(VALUE_METHODS)) {
    const names = `Value.${m}|Value|${m}|backward`;
    test.prop([fc.nat({ max: Math.max(0, valid.length - 1) }), hostile], { seed: SEED, numRuns: RUNS })(
      `Value.${m}`,
      (at, bad) => {
        const args = valid.slice();
        args[at] = bad;
        const v = new Value(0.5).mul(new Value(2));
        check(names, () => (v as any)[m](...args), at, [0]);
      },
    );
  }
  for (const [m, valid] of Object.entries(GENERATOR_METHODS)) {
    test.prop([fc.nat({ max: Math.max(0, valid.length - 1) }), hostile], { seed: SEED, numRuns: RUNS })(
      `Generator.${m}`,
      (at, bad) => {
        const args = valid.slice();
        args[at] = bad;
        // getState's fifth entry is NaN when no normal is kept (documented)
        const data = m === 'getState' ? [0] : [];
        check(`Generator.${m}|${m}|Generator`, () => (new Generator(1) as any)[m](...args), at, data);
      },
    );
  }
});

describe('the enumeration covers the main entry', () => {
  it('every function exported by @xent/core has a case', () => {
    const missing = Object.entries(core)
      .filter(([, v]) => typeof v === 'function')
      .map(([k]) => k)
      .filter((k) => !(k in FUNCTIONS));
    expect(missing, 'exports with no case in test/core/invalid-inputs.test.ts').toEqual([]);
  });
  it('every public method of Tensor, Value and Generator has a case', () => {
    const methods = (proto: object): string[] =>
      Object.getOwnPropertyNames(proto).filter((k) => {
        const d = Object.getOwnPropertyDescriptor(proto, k)!;
        return k !== 'constructor' && typeof d.value === 'function';
      });
    expect(methods(Tensor.prototype).filter((m) => !(m in TENSOR_METHODS))).toEqual([]);
    const privateMethods = ['apply']; // TypeScript-private: not part of the API
    expect(methods(Value.prototype).filter((m) => !(m in VALUE_METHODS) && !privateMethods.includes(m))).toEqual([]);
    expect(methods(Generator.prototype).filter((m) => !(m in GENERATOR_METHODS))).toEqual([]);
  });
});
