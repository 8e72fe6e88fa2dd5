// The op table (as PyTorch's OpInfo): every differentiable op of @xent/core (and of @xent/core/extend)
// with sample inputs; test/core/op-table.test.ts generates the tests from it. A new op adds a row here.
import {
  Generator,
  type Tensor,
  abs,
  add,
  binaryCrossEntropy,
  binaryCrossEntropyWithLogits,
  cast,
  cat,
  clamp,
  clone,
  cos,
  crossEntropy,
  crossEntropyBetween,
  div,
  dot,
  entropy,
  erf,
  exp,
  expand,
  flatten,
  gather,
  gelu,
  indexSelect,
  klDiv,
  klDivergence,
  leakyRelu,
  linear,
  log,
  logSoftmax,
  logsumexp,
  matmul,
  max,
  maximum,
  mean,
  min,
  minimum,
  mm,
  mseLoss,
  mul,
  neg,
  nllLoss,
  outer,
  permute,
  pow,
  rand,
  relu,
  reshape,
  scatterAdd,
  sigmoid,
  sin,
  slice,
  softmax,
  softplus,
  sqrt,
  square,
  squeeze,
  stack,
  std,
  sub,
  sum,
  tanh,
  tensor,
  transpose,
  unsqueeze,
  variance,
  where,
} from '@xent/core';
import { leakyReluBackward, reduceLoss, reluBackward, sigmoidBackward, sumTo, tanhBackward } from '@xent/core/extend';

type Fn = (...xs: Tensor[]) => Tensor;

/** One call of an op: its differentiable float64 inputs, the call, and the same call as a method when there is one. */
export interface Sample {
  label: string;
  inputs: Tensor[];
  f: Fn;
  method?: Fn;
  /** gradcheck step, for ops whose output is rounded (cast to float32). */
  eps?: number;
}

export interface OpInfo {
  /** The export's name in @xent/core (or @xent/core/extend when `extend` is set). */
  name: string;
  extend?: boolean;
  samples: Sample[];
  /** A call with a bad dim or shape (a bad argument for ops without either): must throw an error naming the op. */
  bad: () => unknown;
  /** The error's function name when it is not `name` (a method or helper that reports under another name). */
  errorName?: string;
  /** float32 against float64 tolerance (relative), when the op amplifies rounding. */
  f32tol?: number;
}

const gen = new Generator(2024);
/** Uniform float64 values in [lo, hi). */
const u = (shape: number[], lo = -2, hi = 2): Tensor =>
  rand(shape, { generator: gen })
    .mul(hi - lo)
    .add(lo);
/** Values of magnitude in [0.2, 2) and random sign: away from the kinks of relu, abs, clamp at 0. */
const away = (shape: number[]): Tensor => {
  const t = u(shape, 0.2, 2);
  for (let i = 0; i < t.size; i++) if (gen.random() < 0.5) t.data[i] = -t.data[i]!;
  return t;
};
/** Distributions along the last dim. */
const dist = (shape: number[]): Tensor => softmax(u(shape));
const s = (label: string, inputs: Tensor[], f: Fn, method?: Fn, eps?: number): Sample => ({
  label,
  inputs,
  f,
  ...(method ? { method } : {}),
  ...(eps ? { eps } : {}),
});

/** A unary elementwise op: a matrix, a broadcastable scalar-shaped tensor and a 0-d tensor. */
function unary(name: string, f: (x: Tensor) => Tensor, m: (x: Tensor) => Tensor, make = away): OpInfo {
  return {
    name,
    samples: [s('[3, 4]', [make([3, 4])], f, m), s('0-d', [make([])], f, m), s('[5]', [make([5])], f, m)],
    bad: () => f('x' as never),
  };
}

/** A binary elementwise op: same shapes, broadcast both ways, a number operand. */
function binary(
  name: string,
  f: (a: Tensor, b: Tensor) => Tensor,
  m: (a: Tensor, b: Tensor) => Tensor,
  makeA = away,
  makeB = away,
): OpInfo {
  return {
    name,
    samples: [
      s('[3, 4] ∘ [3, 4]', [makeA([3, 4]), makeB([3, 4])], f, m),
      s('[3, 1] ∘ [4] (broadcast)', [makeA([3, 1]), makeB([4])], f, m),
      s('[2, 3] ∘ 0-d', [makeA([2, 3]), makeB([])], f, m),
    ],
    bad: () => f(makeA([2, 3]), makeB([4])),
  };
}

const pos = (shape: number[]): Tensor => u(shape, 0.5, 2);
const idx = [2, 0, 1, 2];
const powRow = binary(
  'pow',
  pow,
  (a, b) => a.pow(b),
  pos,
  (sh) => u(sh, -2, 2),
);

export const OP_TABLE: OpInfo[] = [
  // elementwise
  binary('add', add, (a, b) => a.add(b)),
  binary('sub', sub, (a, b) => a.sub(b)),
  binary('mul', mul, (a, b) => a.mul(b)),
  binary('div', div, (a, b) => a.div(b)),
  {
    ...powRow,
    samples: [
      ...powRow.samples,
      ...[3, 2, 0.5, -0.5, -1, 0].map((k) =>
        s(
          `x^${k}`,
          [pos([2, 3])],
          (x) => pow(x, k),
          (x) => x.pow(k),
        ),
      ),
    ],
  },
  binary('maximum', maximum, (a, b) => a.maximum(b)),
  binary('minimum', minimum, (a, b) => a.minimum(b)),
  unary('neg', neg, (x) => x.neg()),
  unary('exp', exp, (x) => x.exp()),
  unary('log', log, (x) => x.log(), pos),
  unary('sqrt', sqrt, (x) => x.sqrt(), pos),
  unary('abs', abs, (x) => x.abs()),
  unary('square', square, (x) => x.square()),
  unary('tanh', tanh, (x) => x.tanh()),
  unary('sigmoid', sigmoid, (x) => x.sigmoid()),
  unary('softplus', softplus, (x) => x.softplus()),
  unary('relu', relu, (x) => x.relu()),
  {
    ...unary(
      'leakyRelu',
      (x) => leakyRelu(x, 0.1),
      (x) => x.leakyRelu(0.1),
    ),
    bad: () => leakyRelu(tensor([1]), NaN),
  },
  unary('gelu', gelu, (x) => x.gelu()),
  unary('erf', erf, (x) => x.erf()),
  unary('sin', sin, (x) => x.sin()),
  unary('cos', cos, (x) => x.cos()),
  {
    name: 'clamp',
    samples: [
      s(
        '[min, max]',
        [away([3, 4])],
        (x) => clamp(x, -1, 1),
        (x) => x.clamp(-1, 1),
      ),
      s(
        'min only',
        [away([5])],
        (x) => clamp(x, 0.5),
        (x) => x.clamp(0.5),
      ),
      s(
        'max only',
        [away([5])],
        (x) => clamp(x, null, -0.5),
        (x) => x.clamp(null, -0.5),
      ),
    ],
    bad: () => clamp(tensor([1])),
  },
  {
    name: 'where',
    samples: [
      s(
        'cond [3, 4]',
        [u([3, 4]), u([3, 4])],
        (a, b) => where(tensor([[1, 0, 1, 0]]), a, b),
        (a, b) => a.where(tensor([[1, 0, 1, 0]]), b),
      ),
      s('broadcast [3, 1] and [4]', [u([3, 1]), u([4])], (a, b) => where(tensor([[1], [0], [1]]), a, b)),
    ],
    bad: () => where(tensor([1, 0, 1]), tensor([1, 2]), 0),
  },
  {
    name: 'clone',
    samples: [s('[2, 3]', [u([2, 3])], clone, (x) => x.clone())],
    bad: () => clone('x' as never),
  },
  {
    name: 'cast',
    // values on a 2⁻⁸ grid and a step of 2⁻¹⁰: exact in float32, so the central difference is too
    samples: [
      s(
        'float64 → float32 → float64',
        [tensor([0.5, -1.25, 3.75])],
        (x) => cast(mul(cast(x, 'float32'), 3), 'float64'),
        (x) => x.to('float32').mul(3).to('float64'),
        2 ** -10,
      ),
    ],
    bad: () => cast(tensor([1]), 'int8' as never),
  },
  // reductions
  ...(['sum', 'mean'] as const).map((name): OpInfo => ({
    name,
    samples: [
      s(
        'all',
        [u([3, 4])],
        (x) => (name === 'sum' ? sum(x) : mean(x)),
        (x) => x[name](),
      ),
      s(
        'dim 1',
        [u([3, 4])],
        (x) => (name === 'sum' ? sum(x, 1) : mean(x, 1)),
        (x) => x[name](1),
      ),
      s(
        'dims [0, 2] keepdim',
        [u([2, 3, 4])],
        (x) => (name === 'sum' ? sum : mean)(x, [0, 2], true),
        (x) => x[name]([0, 2], true),
      ),
    ],
    bad: () => (name === 'sum' ? sum : mean)(u([2, 3]), 2),
  })),
  ...(['max', 'min'] as const).map((name): OpInfo => ({
    name,
    samples: [
      s(
        'all',
        [u([3, 4])],
        (x) => (name === 'max' ? max : min)(x),
        (x) => x[name](),
      ),
      s(
        'dim 0 keepdim',
        [u([3, 4])],
        (x) => (name === 'max' ? max : min)(x, 0, true),
        (x) => x[name](0, true),
      ),
    ],
    bad: () => (name === 'max' ? max : min)(u([2, 3]), -3),
  })),
  {
    name: 'logsumexp',
    samples: [
      s(
        'dim 1',
        [u([3, 4])],
        (x) => logsumexp(x, 1),
        (x) => x.logsumexp(1),
      ),
      s(
        'all',
        [u([5])],
        (x) => logsumexp(x),
        (x) => x.logsumexp(),
      ),
    ],
    bad: () => logsumexp(u([2]), 1),
  },
  {
    name: 'variance',
    errorName: 'var',
    samples: [
      s(
        'dim 1',
        [u([3, 4])],
        (x) => variance(x, 1),
        (x) => x.var(1),
      ),
      s(
        'all, correction 0',
        [u([5])],
        (x) => variance(x, undefined, { correction: 0 }),
        (x) => x.var(undefined, { correction: 0 }),
      ),
    ],
    bad: () => variance(u([2, 3]), 2),
  },
  {
    name: 'std',
    errorName: 'var',
    samples: [
      s(
        'dim 0 keepdim',
        [u([3, 4])],
        (x) => std(x, 0, { keepdim: true }),
        (x) => x.std(0, { keepdim: true }),
      ),
    ],
    bad: () => std(u([2, 3]), 4),
  },
  {
    name: 'sumTo',
    extend: true,
    samples: [s('[2, 3, 4] → [3, 1]', [u([2, 3, 4])], (x) => sumTo(x, [3, 1]))],
    bad: () => sumTo(u([2, 3]), [4]),
  },
  // linear algebra
  {
    name: 'matmul',
    samples: [
      s('[2, 3] · [3, 4]', [u([2, 3]), u([3, 4])], matmul, (a, b) => a.matmul(b)),
      s('batched, broadcast [2, 1, 2, 3] · [3, 3, 2]', [u([2, 1, 2, 3]), u([3, 3, 2])], matmul),
      s('vector · matrix', [u([3]), u([3, 2])], matmul),
      s('matrix · vector', [u([2, 3]), u([3])], matmul),
    ],
    bad: () => matmul(u([2, 3]), u([4, 2])),
  },
  {
    name: 'mm',
    samples: [
      s(
        'plain',
        [u([2, 3]), u([3, 4])],
        (a, b) => mm(a, b),
        (a, b) => a.mm(b),
      ),
      s(
        'transA, transB',
        [u([3, 2]), u([4, 3])],
        (a, b) => mm(a, b, true, true),
        (a, b) => a.mm(b, true, true),
      ),
    ],
    bad: () => mm(u([2, 3]), u([2, 3])),
  },
  {
    name: 'dot',
    samples: [s('[4] · [4]', [u([4]), u([4])], dot, (a, b) => a.dot(b))],
    bad: () => dot(u([4]), u([3])),
  },
  {
    name: 'outer',
    samples: [s('[3] ⊗ [2]', [u([3]), u([2])], outer, (a, b) => a.outer(b))],
    bad: () => outer(u([3, 1]), u([2])),
  },
  {
    name: 'linear',
    samples: [
      s('with bias', [u([4, 3]), u([2, 3]), u([2])], linear),
      s('no bias, [3] input', [u([3]), u([2, 3])], (x, w) => linear(x, w)),
    ],
    bad: () => linear(u([4, 3]), u([2, 4])),
  },
  // shape
  {
    name: 'reshape',
    samples: [
      s(
        '[2, 6] → [3, -1]',
        [u([2, 6])],
        (x) => reshape(x, [3, -1]),
        (x) => x.reshape(3, -1),
      ),
      s(
        'view',
        [u([4])],
        (x) => reshape(x, [2, 2]),
        (x) => x.view(2, 2),
      ),
    ],
    bad: () => reshape(u([2, 3]), [4, 2]),
  },
  {
    name: 'flatten',
    samples: [
      s(
        'dims 1..2',
        [u([2, 3, 2])],
        (x) => flatten(x, 1),
        (x) => x.flatten(1),
      ),
    ],
    bad: () => flatten(u([2, 3]), 3),
  },
  {
    name: 'permute',
    samples: [
      s(
        '[2, 0, 1]',
        [u([2, 3, 4])],
        (x) => permute(x, [2, 0, 1]),
        (x) => x.permute(2, 0, 1),
      ),
    ],
    bad: () => permute(u([2, 3]), [0]),
  },
  {
    name: 'transpose',
    samples: [
      s(
        '0 ↔ 2',
        [u([2, 3, 4])],
        (x) => transpose(x, 0, 2),
        (x) => x.transpose(0, 2),
      ),
      s(
        'matrix .t()',
        [u([2, 3])],
        (x) => transpose(x),
        (x) => x.t(),
      ),
    ],
    bad: () => transpose(u([2, 3]), 0, 2),
  },
  {
    name: 'squeeze',
    samples: [
      s(
        'all',
        [u([2, 1, 3, 1])],
        (x) => squeeze(x),
        (x) => x.squeeze(),
      ),
      s(
        'dim 1',
        [u([2, 1, 3])],
        (x) => squeeze(x, 1),
        (x) => x.squeeze(1),
      ),
    ],
    bad: () => squeeze(u([2, 1]), 2),
  },
  {
    name: 'unsqueeze',
    samples: [
      s(
        'dim -1',
        [u([2, 3])],
        (x) => unsqueeze(x, -1),
        (x) => x.unsqueeze(-1),
      ),
    ],
    bad: () => unsqueeze(u([2, 3]), 4),
  },
  {
    name: 'expand',
    samples: [
      s(
        '[3, 1] → [2, 3, 4]',
        [u([3, 1])],
        (x) => expand(x, [2, 3, 4]),
        (x) => x.expand(2, 3, 4),
      ),
    ],
    bad: () => expand(u([3, 2]), [3, 4]),
  },
  {
    name: 'slice',
    samples: [
      s(
        'dim 1, 1:5:2',
        [u([3, 6])],
        (x) => slice(x, 1, 1, 5, 2),
        (x) => x.slice(1, 1, 5, 2),
      ),
      s(
        'negative start',
        [u([5])],
        (x) => slice(x, 0, -3),
        (x) => x.slice(0, -3),
      ),
    ],
    bad: () => slice(u([3]), 1, 0, 2),
  },
  {
    name: 'cat',
    samples: [
      s(
        'dim 1',
        [u([2, 3]), u([2, 1])],
        (a, b) => cat([a, b], 1),
        (a, b) => a.cat([b], 1),
      ),
      s('dim 0, three', [u([1, 2]), u([2, 2]), u([1, 2])], (a, b, c) => cat([a, b, c])),
    ],
    bad: () => cat([u([2, 3]), u([3, 3])], 1),
  },
  {
    name: 'stack',
    samples: [
      s(
        'dim 1',
        [u([2, 3]), u([2, 3])],
        (a, b) => stack([a, b], 1),
        (a, b) => a.stack([b], 1),
      ),
    ],
    bad: () => stack([u([2, 3]), u([3, 2])]),
  },
  // indexing
  {
    name: 'indexSelect',
    samples: [
      s(
        'dim 1, repeated',
        [u([3, 3])],
        (x) => indexSelect(x, 1, idx),
        (x) => x.indexSelect(1, idx),
      ),
    ],
    bad: () => indexSelect(u([3, 3]), 2, [0]),
  },
  {
    name: 'gather',
    samples: [
      s(
        'dim 1',
        [u([3, 4])],
        (x) =>
          gather(x, 1, [
            [0, 3],
            [1, 1],
            [2, 0],
          ]),
        (x) =>
          x.gather(1, [
            [0, 3],
            [1, 1],
            [2, 0],
          ]),
      ),
    ],
    bad: () => gather(u([3, 4]), 2, [[0]]),
  },
  {
    name: 'scatterAdd',
    samples: [
      s(
        'dim 1',
        [u([3, 4]), u([3, 2])],
        (x, src) =>
          scatterAdd(
            x,
            1,
            [
              [0, 3],
              [1, 1],
              [2, 0],
            ],
            src,
          ),
        (x, src) =>
          x.scatterAdd(
            1,
            [
              [0, 3],
              [1, 1],
              [2, 0],
            ],
            src,
          ),
      ),
    ],
    bad: () => scatterAdd(u([3, 4]), 2, [[0]], u([1, 1])),
  },
  // softmax
  {
    name: 'softmax',
    samples: [
      s(
        'dim -1',
        [u([3, 4])],
        (x) => softmax(x),
        (x) => x.softmax(),
      ),
      s(
        'dim 0',
        [u([3, 4])],
        (x) => softmax(x, 0),
        (x) => x.softmax(0),
      ),
    ],
    bad: () => softmax(u([3, 4]), 2),
  },
  {
    name: 'logSoftmax',
    samples: [
      s(
        'dim -1',
        [u([3, 4])],
        (x) => logSoftmax(x),
        (x) => x.logSoftmax(),
      ),
      s(
        'dim 1 of [2, 3, 2]',
        [u([2, 3, 2])],
        (x) => logSoftmax(x, 1),
        (x) => x.logSoftmax(1),
      ),
    ],
    bad: () => logSoftmax(u([3, 4]), -3),
  },
  // losses
  {
    name: 'crossEntropy',
    samples: [
      s('class indices', [u([4, 3])], (x) => crossEntropy(x, [0, 2, 1, 2])),
      s('weights, smoothing, ignoreIndex, sum', [u([4, 3])], (x) =>
        crossEntropy(x, [0, -100, 1, 2], { weight: [1, 2, 0.5], labelSmoothing: 0.1, reduction: 'sum' }),
      ),
      s('[N, C, d] none', [u([2, 3, 2])], (x) =>
        crossEntropy(
          x,
          [
            [0, 2],
            [1, 1],
          ],
          { reduction: 'none' },
        ),
      ),
      s('[C] input', [u([5])], (x) => crossEntropy(x, 3)),
      s('probability target (differentiated too), weights, smoothing', [u([3, 4]), dist([3, 4])], (x, t) =>
        crossEntropy(x, t, { weight: [1, 2, 0.5, 1], labelSmoothing: 0.2 }),
      ),
    ],
    bad: () => crossEntropy(u([4, 3]), [0, 1]),
  },
  {
    name: 'nllLoss',
    samples: [
      s('weights, ignoreIndex', [u([4, 3])], (x) => nllLoss(x, [0, 2, -100, 1], { weight: [1, 2, 3] })),
      s('[N, C, d] none', [u([2, 3, 2])], (x) =>
        nllLoss(
          x,
          [
            [0, 2],
            [1, 1],
          ],
          { reduction: 'none' },
        ),
      ),
    ],
    bad: () => nllLoss(u([4, 3]), [0, 1, 2]),
  },
  {
    name: 'binaryCrossEntropy',
    samples: [
      s('weighted mean', [u([3, 2], 0.1, 0.9), u([3, 2], 0, 1)], (x, t) =>
        binaryCrossEntropy(x, t, { weight: tensor([1, 2]).to(x.dtype) }),
      ),
      s('none', [u([4], 0.1, 0.9), u([4], 0, 1)], (x, t) => binaryCrossEntropy(x, t, { reduction: 'none' })),
    ],
    bad: () => binaryCrossEntropy(u([3], 0.1, 0.9), u([2], 0, 1)),
  },
  {
    name: 'binaryCrossEntropyWithLogits',
    samples: [
      s('posWeight', [u([3, 2]), u([3, 2], 0, 1)], (x, t) =>
        binaryCrossEntropyWithLogits(x, t, { posWeight: tensor([2, 0.5]).to(x.dtype) }),
      ),
      s('sum', [u([4]), u([4], 0, 1)], (x, t) => binaryCrossEntropyWithLogits(x, t, { reduction: 'sum' })),
    ],
    bad: () => binaryCrossEntropyWithLogits(u([3]), u([3, 1], 0, 1)),
  },
  {
    name: 'klDiv',
    samples: [
      s('batchmean', [logSoftmax(u([3, 4])), u([3, 4], 0.1, 1)], (x, t) => klDiv(x, t, { reduction: 'batchmean' })),
      s('logTarget, sum', [u([4]), u([4])], (x, t) => klDiv(x, t, { logTarget: true, reduction: 'sum' })),
    ],
    bad: () => klDiv(u([3]), u([4], 0.1, 1)),
  },
  {
    name: 'mseLoss',
    samples: [
      s('mean', [u([3, 2]), u([3, 2])], (x, t) => mseLoss(x, t)),
      s('none', [u([4]), u([4])], (x, t) => mseLoss(x, t, { reduction: 'none' })),
    ],
    bad: () => mseLoss(u([3]), u([4])),
  },
  {
    name: 'entropy',
    samples: [s('bits, dim -1', [dist([3, 4])], (p) => entropy(p, { base: 2 }))],
    bad: () => entropy(dist([3, 4]), { dim: 2 }),
  },
  {
    name: 'crossEntropyBetween',
    samples: [s('dim -1', [dist([3, 4]), dist([3, 4])], (p, q) => crossEntropyBetween(p, q))],
    bad: () => crossEntropyBetween(dist([3, 4]), dist([4, 3])),
  },
  {
    name: 'klDivergence',
    samples: [s('dim -1', [dist([3, 4]), dist([3, 4])], (p, q) => klDivergence(p, q))],
    bad: () => klDivergence(dist([3, 4]), dist([3, 4]), { dim: -3 }),
  },
  // engine internals that are ops (@xent/core/extend)
  {
    name: 'reluBackward',
    extend: true,
    samples: [s('g, x', [u([3, 4]), away([3, 4])], reluBackward)],
    bad: () => reluBackward(u([3]), u([4])),
  },
  {
    name: 'leakyReluBackward',
    extend: true,
    samples: [s('g, x, slope 0.1', [u([3, 4]), away([3, 4])], (g, x) => leakyReluBackward(g, x, 0.1))],
    bad: () => leakyReluBackward(u([3]), u([4]), 0.1),
  },
  {
    name: 'tanhBackward',
    extend: true,
    samples: [s('g, y', [u([3, 4]), u([3, 4], -0.95, 0.95)], tanhBackward)],
    bad: () => tanhBackward(u([3]), u([4])),
  },
  {
    name: 'sigmoidBackward',
    extend: true,
    samples: [s('g, y', [u([3, 4]), u([3, 4], 0.05, 0.95)], sigmoidBackward)],
    bad: () => sigmoidBackward(u([3]), u([4])),
  },
  {
    name: 'reduceLoss',
    extend: true,
    samples: [
      s('mean', [u([3, 4])], (x) => reduceLoss(x, 'mean')),
      s('batchmean', [u([3, 4])], (x) => reduceLoss(x, 'batchmean')),
      s('weighted mean (den 2.5)', [u([3])], (x) => reduceLoss(x, 'mean', 2.5)),
    ],
    bad: () => reduceLoss(u([3]), 'avg' as never),
  },
];

/** Exports of @xent/core and @xent/core/extend that are not differentiable ops, each with the reason. */
export const NOT_OPS: Record<string, string> = {
  // classes and values
  Tensor: 'class',
  Value: 'class (scalar autograd, tested in value.test.ts)',
  Generator: 'class',
  // creation and random: leaves
  ...Object.fromEntries(
    [
      'tensor',
      'zeros',
      'ones',
      'full',
      'zerosLike',
      'onesLike',
      'arange',
      'linspace',
      'eye',
      'rand',
      'randn',
      'randint',
      'randperm',
      'manualSeed',
      'defaultGenerator',
    ].map((n) => [n, 'creates a leaf']),
  ),
  // not differentiable (PyTorch: bool or integer results)
  ...Object.fromEntries(['eq', 'ne', 'gt', 'ge', 'lt', 'le'].map((n) => [n, 'comparison: a 0/1 mask'])),
  sign: 'piecewise constant, no gradient (as PyTorch)',
  argmax: 'integer indices',
  argmin: 'integer indices',
  oneHot: 'integer labels in, constant out',
  broadcastShapes: 'shapes, not tensors',
  // autograd machinery
  noGrad: 'grad mode',
  enableGrad: 'grad mode',
  isGradEnabled: 'grad mode',
  gradients: 'functional autograd (functional.test.ts)',
  grad: 'functional autograd',
  valueAndGrad: 'functional autograd',
  jacobian: 'functional autograd',
  hessian: 'functional autograd',
  gradcheck: 'the checker itself',
  toDot: 'graph picture',
  toSvg: 'graph picture',
  traceGraph: 'graph picture',
  setBackend: 'kernel backend choice',
  getBackend: 'kernel backend choice',
  wasmBuild: 'kernel backend query',
  setNumThreads: 'kernel threads',
  getNumThreads: 'kernel threads',
  // @xent/core/extend
  record: 'the op-defining mechanism',
  topoSort: 'engine',
  runBackward: 'engine',
  kernels: 'kernel set',
  setKernels: 'kernel set',
  referenceKernels: 'kernel set',
  fastKernels: 'kernel set',
  asTensor: 'argument helper',
  alloc: 'storage helper',
  broadcastStrides: 'shape helper',
  stridesOf: 'shape helper',
  sizeOf: 'shape helper',
  formatShape: 'the one shape formatter of error messages',
  softmaxNode: 'records a given softmax as the op softmax (covered by the softmax row and crossEntropy)',
  logSoftmaxNode: 'records a given log-softmax as the op logSoftmax (covered by logSoftmax and crossEntropy)',
};
