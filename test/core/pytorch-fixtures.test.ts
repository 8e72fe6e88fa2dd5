import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  type Tensor,
  abs,
  cat,
  clamp,
  cos,
  dot,
  erf,
  exp,
  gather,
  gelu,
  gradients,
  gt,
  indexSelect,
  leakyRelu,
  log,
  logsumexp,
  matmul,
  max,
  maximum,
  min,
  minimum,
  relu,
  scatterAdd,
  sigmoid,
  sin,
  softplus,
  sqrt,
  stack,
  std,
  tanh,
  tensor,
  variance,
  where,
  zeros,
} from '@xent/core';

// Reference values from PyTorch 1.13 (float64), made by test/core/fixtures/gen-core.py.
interface Arr {
  shape: number[];
  data: (number | string)[];
}
interface OpCase {
  name: string;
  inputs: Arr[];
  w: Arr;
  out: Arr;
  grads: (number | string)[][];
  gradOfGradNorm: (number | string)[][];
}
const fx = JSON.parse(readFileSync(resolve(__dirname, 'fixtures/core.json'), 'utf8')) as {
  format: { shape: number[]; data: (number | string)[]; text: string }[];
  ops: OpCase[];
  edges: EdgeCase[];
};
interface EdgeCase {
  name: string;
  x?: unknown;
  a?: (number | string)[];
  b?: (number | string)[];
  out: (number | string)[];
  grad: (number | string)[];
  gradB?: (number | string)[];
}
const num = (v: number | string): number =>
  typeof v === 'number' ? v : v === 'nan' ? NaN : v === 'inf' ? Infinity : -Infinity;
const toTensor = (a: { shape: number[]; data: (number | string)[] }): Tensor =>
  tensor(a.data.map(num), { shape: a.shape });

const IDX = [
  [2, 0, 1],
  [1, 1, 0],
];
// The same expressions as in gen-core.py, written with xent's ops.
const exprs: Record<string, (...xs: Tensor[]) => Tensor> = {
  arith_broadcast: (a, b, c) => a.mul(b).sub(a.div(c)).add(b.pow(2)).div(c.add(1)),
  unary_chain: (a) =>
    exp(tanh(a))
      .add(sigmoid(a).mul(sin(a)))
      .sub(cos(a.mul(2)))
      .add(erf(a)),
  log_sqrt_pow: (a, b) =>
    log(a)
      .mul(sqrt(a))
      .add(a.pow(b))
      .add(abs(b.sub(0.5))),
  activations: (a) =>
    relu(a)
      .add(leakyRelu(a, 0.1))
      .add(softplus(a))
      .add(gelu(a))
      .add(clamp(a, -0.5, 0.7)),
  max_min_where: (a, b) =>
    maximum(a, b)
      .mul(minimum(a, b.mul(2)))
      .add(where(gt(a, 0), a.mul(b), b.sub(a))),
  reduce_dims: (a) =>
    a
      .sum(1)
      .mean(-1)
      .add(
        max(a, [0, 2])
          .sum()
          .mul(min(a, 2, true).mean()),
      ),
  logsumexp_var_std: (a) =>
    logsumexp(a, 1)
      .add(variance(a, 1).mul(std(a, 0).sum()))
      .add(variance(a, 0, { correction: 0, keepdim: true }).sum()),
  matmul_batched: (a, b) => tanh(matmul(a, b)),
  matmul_vectors: (v, a, b) => matmul(a, v).mul(matmul(v, b).sum()).add(dot(v, v)),
  shape_ops: (a) =>
    cat([a.permute(2, 0, 1).reshape(4, 6), a.transpose(0, 2).reshape(4, 6).slice(1, 1, 5, 2).pow(2)], 1)
      .unsqueeze(0)
      .squeeze(0),
  // b.flip(1)[:, :4] * 0 + b in PyTorch: the flipped copy is multiplied by 0, so b·0 + b has the same value and
  // gradient.
  stack_expand_slice: (a, b) => {
    const half = b.slice(1, null, null, 2);
    return stack([a.expand(3, 4), cat([half, half], 1), b.mul(0).add(b)], 2).sum(-1);
  },
  indexing: (a, s) =>
    gather(a, 1, IDX)
      .tanh()
      .mul(s)
      .add(indexSelect(a, 1, [3, 3, 0]))
      .add(scatterAdd(zeros([2, 4]), 1, IDX, s.mul(s)).slice(1, 0, 3)),
  softmax_like: (a) => exp(a.sub(logsumexp(a, 1, true))).mul(a),
};

function expectAllClose(actual: Tensor, expected: (number | string)[], tol: number, what: string): void {
  expect(actual.size, `${what}: size`).toBe(expected.length);
  expected.forEach((e, i) => {
    const v = num(e),
      a = actual.data[i]!;
    expect(Math.abs(a - v), `${what}[${i}]: ${a} vs PyTorch ${v}`).toBeLessThanOrEqual(tol * (1 + Math.abs(v)));
  });
}

describe('PyTorch fixtures: values, gradients and second-order gradients', () => {
  it('covers every expression of the generator', () => {
    expect(fx.ops.map((o) => o.name).sort()).toEqual(Object.keys(exprs).sort());
  });

  for (const c of fx.ops) {
    it(c.name, () => {
      const xs = c.inputs.map((a) => toTensor(a).requiresGrad_());
      const y = exprs[c.name]!(...xs);
      expect(y.shape).toEqual(c.out.shape);
      expectAllClose(y, c.out.data, 1e-12, 'output');
      const grads = gradients(y.mul(toTensor(c.w)).sum(), xs, { createGraph: true });
      grads.forEach((g, k) => expectAllClose(g, c.grads[k]!, 1e-12, `grad of input ${k}`));
      const norm = grads.map((g) => g.mul(g).sum()).reduce((p, q) => p.add(q));
      const gg = gradients(norm, xs);
      gg.forEach((g, k) => expectAllClose(g, c.gradOfGradNorm[k]!, 1e-10, `second order, input ${k}`));
    });
  }
});

describe('PyTorch fixtures: printing', () => {
  it.each(fx.format.map((f, i) => [i, f.shape.join('×') || 'scalar', f] as const))('case %i (%s)', (_, __, f) => {
    expect(String(toTensor(f))).toBe(f.text);
  });
});

const unaryEdges: Record<string, (t: Tensor) => Tensor> = {
  exp,
  log,
  sqrt,
  abs,
  tanh,
  sigmoid,
  relu,
  leakyRelu: (t) => leakyRelu(t, 0.1),
  softplus,
  gelu,
  erf,
  sin,
  cos,
  square: (t) => t.square(),
  neg: (t) => t.neg(),
  clamp: (t) => clamp(t, -1, 1),
  pow2: (t) => t.pow(2),
  'pow0.5': (t) => t.pow(0.5),
  'pow-1': (t) => t.pow(-1),
  pow0: (t) => t.pow(0),
};
const binaryEdges: Record<string, (a: Tensor, b: Tensor) => Tensor> = {
  maximum,
  minimum,
  div: (a, b) => a.div(b),
  mul: (a, b) => a.mul(b),
  pow: (a, b) => a.pow(b),
  sub: (a, b) => a.sub(b),
};
const reduceEdges: Record<string, (t: Tensor) => Tensor> = {
  amax1: (t) => max(t, 1),
  amin0: (t) => min(t, 0),
  amaxAll: (t) => max(t),
  logsumexp1: (t) => logsumexp(t, 1),
  var1: (t) => variance(t, 1),
  std0: (t) => std(t, 0),
  mean1: (t) => t.mean(1),
};

/** Same value, with NaN matching NaN and infinities matching exactly. */
function expectSame(actual: Tensor, expected: (number | string)[], what: string): void {
  expect(actual.size, `${what}: size`).toBe(expected.length);
  expected.forEach((e, i) => {
    const v = num(e),
      a = actual.data[i]!;
    if (Number.isNaN(v)) expect(a, `${what}[${i}]`).toBeNaN();
    else if (!Number.isFinite(v)) expect(a, `${what}[${i}]`).toBe(v);
    else expect(Math.abs(a - v), `${what}[${i}]: ${a} vs PyTorch ${v}`).toBeLessThanOrEqual(1e-15 * (1 + Math.abs(v)));
  });
}

describe('PyTorch fixtures: special points (0, −0, ties, ±∞, NaN, huge and tiny values)', () => {
  it('covers every case of the generator', () => {
    expect(fx.edges.map((e) => e.name).sort()).toEqual(
      [...Object.keys(unaryEdges), ...Object.keys(binaryEdges), ...Object.keys(reduceEdges)].sort(),
    );
  });

  for (const e of fx.edges) {
    it(e.name, () => {
      if (e.a) {
        const a = tensor(e.a.map(num), { requiresGrad: true }),
          b = tensor(e.b!.map(num), { requiresGrad: true });
        const y = binaryEdges[e.name]!(a, b);
        expectSame(y, e.out, 'value');
        y.sum().backward();
        expectSame(a.grad!, e.grad, 'd/da');
        expectSame(b.grad!, e.gradB!, 'd/db');
        return;
      }
      const nested = e.x as (number | string)[] | (number | string)[][];
      const x = Array.isArray(nested[0])
        ? tensor(
            (nested as (number | string)[][]).map((r) => r.map(num)),
            { requiresGrad: true },
          )
        : tensor((nested as (number | string)[]).map(num), { requiresGrad: true });
      const f = unaryEdges[e.name] ?? reduceEdges[e.name]!;
      const y = f(x);
      expectSame(y, e.out, 'value');
      if (!y.requiresGrad) {
        expectSame(tensor(e.grad.map(() => 0)), e.grad, 'gradient (constant function)');
        return;
      }
      y.sum().backward();
      expectSame(x.grad ?? tensor(e.grad.map(() => 0)), e.grad, 'gradient');
    });
  }
});
