import { describe, expect, it } from 'vitest';
import {
  type Tensor,
  abs,
  add,
  cast,
  clamp,
  clone,
  cos,
  div,
  eq,
  erf,
  exp,
  ge,
  gelu,
  grad,
  gradcheck,
  gradients,
  gt,
  le,
  leakyRelu,
  log,
  lt,
  maximum,
  minimum,
  mul,
  ne,
  neg,
  pow,
  relu,
  sigmoid,
  sign,
  sin,
  softplus,
  sqrt,
  square,
  sub,
  tanh,
  tensor,
  where,
} from '@xent/core';
import { expectClose, mapNested, rn, ru } from './helpers.js';

const X = [
  [-1.5, -0.25, 0.5],
  [0.75, 1.25, 2.5],
];
const POS = [
  [0.5, 1.25, 2],
  [3, 0.1, 7],
];

describe('unary ops: values against Math', () => {
  const cases: [string, (t: Tensor) => Tensor, (v: number) => number, number[][]][] = [
    ['neg', neg, (v) => -v, X],
    ['exp', exp, Math.exp, X],
    ['log', log, Math.log, POS],
    ['sqrt', sqrt, Math.sqrt, POS],
    ['abs', abs, Math.abs, X],
    ['tanh', tanh, Math.tanh, X],
    ['sigmoid', sigmoid, (v) => 1 / (1 + Math.exp(-v)), X],
    ['relu', relu, (v) => Math.max(v, 0), X],
    ['leakyRelu', (t) => leakyRelu(t, 0.1), (v) => (v > 0 ? v : 0.1 * v), X],
    ['square', square, (v) => v * v, X],
    ['sign', sign, Math.sign, X],
    ['softplus', softplus, (v) => Math.log(1 + Math.exp(v)), X],
    ['sin', sin, Math.sin, X],
    ['cos', cos, Math.cos, X],
  ];
  for (const [name, f, ref, data] of cases) {
    it(name, () => expectClose(f(tensor(data)), mapNested(data, ref) as number[][], 1e-15));
  }

  it('erf against tabulated values (Abramowitz & Stegun 7.1)', () => {
    // erf(0.5) = 0.5204998778130465, erf(1) = 0.8427007929497149, erf(2) = 0.9953222650189527, erf(3.5) =
    // 0.9999992569016276
    expectClose(
      erf(tensor([0, 0.5, 1, -2, 3.5])),
      [0, 0.5204998778130465, 0.8427007929497149, -0.9953222650189527, 0.9999992569016276],
      1e-15,
    );
  });

  it('gelu(x) = x·Φ(x): gelu(1) = 0.8413447460685429, gelu(−1) = −0.15865525393145707', () => {
    expectClose(gelu(tensor([0, 1, -1])), [0, 0.8413447460685429, -0.15865525393145707], 1e-15);
  });

  it('sigmoid and softplus stay finite and exact at large |x|', () => {
    expectClose(sigmoid(tensor([-800, 800])), [0, 1], 0);
    expectClose(softplus(tensor([-800, 800])), [0, 800], 0);
    expect(sigmoid(tensor([-40])).item()).toBeCloseTo(Math.exp(-40), 30);
  });

  it('methods are the free functions', () => {
    const t = tensor(X);
    expect(t.exp().toArray()).toEqual(exp(t).toArray());
    expect(t.leakyRelu(0.2).toArray()).toEqual(leakyRelu(t, 0.2).toArray());
    expect(t.abs().toArray()).toEqual(abs(t).toArray());
    expect(t.clamp(0, 1).toArray()).toEqual(clamp(t, 0, 1).toArray());
  });
});

describe('binary ops and broadcasting', () => {
  it('add, sub, mul, div, pow with numbers on either side', () => {
    const t = tensor([1, 2, 4]);
    expect(add(t, 1).toArray()).toEqual([2, 3, 5]);
    expect(sub(10, t).toArray()).toEqual([9, 8, 6]);
    expect(mul(t, -2).toArray()).toEqual([-2, -4, -8]);
    expect(div(1, t).toArray()).toEqual([1, 0.5, 0.25]);
    expect(pow(t, 2).toArray()).toEqual([1, 4, 16]);
    expect(pow(2, t).toArray()).toEqual([2, 4, 16]);
    expect(pow(t, 0.5).toArray()).toEqual([1, Math.SQRT2, 2]);
    expect(add(2, 3).toArray()).toBe(5);
  });

  it('broadcasts [2, 1] with [3] to [2, 3], and [3, 1, 2] with [4, 1] to [3, 4, 2]', () => {
    const a = tensor([[10], [20]]),
      b = tensor([1, 2, 3]);
    expect(add(a, b).toArray()).toEqual([
      [11, 12, 13],
      [21, 22, 23],
    ]);
    expect(sub(a, b).toArray()).toEqual([
      [9, 8, 7],
      [19, 18, 17],
    ]);
    const c = tensor([[[1, 2]], [[3, 4]], [[5, 6]]]),
      d = tensor([[0], [10], [20], [30]]);
    const s = mul(c, d);
    expect(s.shape).toEqual([3, 4, 2]);
    expect(s.toArray()).toEqual([1, 2, 3].map((k) => [0, 10, 20, 30].map((m) => [(2 * k - 1) * m, 2 * k * m])));
  });

  it('broadcasts a 0-d tensor and size-1 dims in the middle', () => {
    const a = tensor([[[1, 2, 3]], [[4, 5, 6]]]); // [2, 1, 3]
    const b = tensor([[1], [2]]); // [2, 1]
    expect(mul(a, b).toArray()).toEqual([
      [
        [1, 2, 3],
        [2, 4, 6],
      ],
      [
        [4, 5, 6],
        [8, 10, 12],
      ],
    ]);
    expect(add(a, tensor(1)).shape).toEqual([2, 1, 3]);
  });

  it('maximum and minimum, NaN-propagating', () => {
    expect(maximum(tensor([1, 5, NaN]), 3).toArray()).toEqual([3, 5, NaN]);
    expect(minimum(tensor([1, 5]), tensor([[0], [4]])).toArray()).toEqual([
      [0, 0],
      [1, 4],
    ]);
  });

  it('comparisons are float 0/1 masks and broadcast', () => {
    const a = tensor([1, 2, 3]);
    expect(eq(a, 2).toArray()).toEqual([0, 1, 0]);
    expect(ne(a, 2).toArray()).toEqual([1, 0, 1]);
    expect(gt(a, 2).toArray()).toEqual([0, 0, 1]);
    expect(ge(a, 2).toArray()).toEqual([0, 1, 1]);
    expect(lt(a, 2).toArray()).toEqual([1, 0, 0]);
    expect(le(a, 2).toArray()).toEqual([1, 1, 0]);
    expect(a.gt(tensor([[0], [2]])).toArray()).toEqual([
      [1, 1, 1],
      [0, 0, 1],
    ]);
    expect(eq(a, 2).dtype).toBe('float64');
  });

  it('comparisons are not differentiable: no graph, no gradient', () => {
    const a = tensor([1, 2, 3], { requiresGrad: true });
    const m = a.gt(1);
    expect(m.requiresGrad).toBe(false);
    a.mul(a.gt(1)).sum().backward();
    expect(a.grad!.toArray()).toEqual([0, 1, 1]);
  });

  it('where picks by a mask and broadcasts all three', () => {
    expect(where(tensor([1, 0, 1]), tensor([1, 2, 3]), tensor([10, 20, 30])).toArray()).toEqual([1, 20, 3]);
    expect(where(tensor([[1], [0]]), 5, tensor([1, 2])).toArray()).toEqual([
      [5, 5],
      [1, 2],
    ]);
    expect(
      tensor([1, 2])
        .where(tensor([0, 1]), -1)
        .toArray(),
    ).toEqual([-1, 2]);
  });

  it('clamp with min, max or both', () => {
    const t = tensor([-2, 0.5, 3]);
    expect(clamp(t, 0, 1).toArray()).toEqual([0, 0.5, 1]);
    expect(clamp(t, 0).toArray()).toEqual([0, 0.5, 3]);
    expect(clamp(t, null, 1).toArray()).toEqual([-2, 0.5, 1]);
    expect(() => clamp(t)).toThrow(/clamp: at least one of min and max must be given/);
  });
});

describe('gradients by formula', () => {
  it('d/dx of each unary op', () => {
    const data = [-1.5, -0.25, 0.5, 2];
    const cases: [string, (t: Tensor) => Tensor, (v: number) => number][] = [
      ['exp', exp, Math.exp],
      ['tanh', tanh, (v) => 1 - Math.tanh(v) ** 2],
      ['sigmoid', sigmoid, (v) => Math.exp(-v) / (1 + Math.exp(-v)) ** 2],
      ['relu', relu, (v) => (v > 0 ? 1 : 0)],
      ['leakyRelu', (t) => leakyRelu(t, 0.05), (v) => (v > 0 ? 1 : 0.05)],
      ['abs', abs, Math.sign],
      ['square', square, (v) => 2 * v],
      ['softplus', softplus, (v) => 1 / (1 + Math.exp(-v))],
      ['sin', sin, Math.cos],
      ['cos', cos, (v) => -Math.sin(v)],
      ['erf', erf, (v) => (2 / Math.sqrt(Math.PI)) * Math.exp(-v * v)],
      [
        'gelu',
        gelu,
        (v) => 0.5 * (1 + erf(tensor(v / Math.SQRT2)).item()) + (v * Math.exp((-v * v) / 2)) / Math.sqrt(2 * Math.PI),
      ],
      ['clamp', (t) => clamp(t, -1, 1), (v) => (v >= -1 && v <= 1 ? 1 : 0)],
    ];
    for (const [name, f, d] of cases) {
      const x = tensor(data, { requiresGrad: true });
      f(x).sum().backward();
      expectClose(x.grad!, data.map(d), 1e-14);
      expect(f(x).op, name).not.toBe('leaf');
    }
  });

  it('relu and abs have derivative 0 at 0; clamp passes the gradient at its bounds (PyTorch)', () => {
    const x = tensor([0, 0, 1], { requiresGrad: true });
    relu(x).sum().backward();
    expect(x.grad!.toArray()).toEqual([0, 0, 1]);
    const y = tensor([0, -1, 1, 2], { requiresGrad: true });
    abs(y).sum().backward();
    expect(y.grad!.toArray()).toEqual([0, -1, 1, 1]);
    const z = tensor([-1, 1, 2], { requiresGrad: true });
    clamp(z, -1, 1).sum().backward();
    expect(z.grad!.toArray()).toEqual([1, 1, 0]);
  });

  it('maximum/minimum send the gradient to the winner, half each on a tie', () => {
    const a = tensor([1, 3, 2], { requiresGrad: true }),
      b = tensor([2, 1, 2], { requiresGrad: true });
    maximum(a, b).sum().backward();
    expect(a.grad!.toArray()).toEqual([0, 1, 0.5]);
    expect(b.grad!.toArray()).toEqual([1, 0, 0.5]);
    const c = tensor([1, 3, 2], { requiresGrad: true }),
      d = tensor([2, 1, 2], { requiresGrad: true });
    minimum(c, d).sum().backward();
    expect(c.grad!.toArray()).toEqual([1, 0, 0.5]);
    expect(d.grad!.toArray()).toEqual([0, 1, 0.5]);
  });

  it('where: the gradient follows the branch taken; the mask gets none', () => {
    const c = tensor([1, 0, 1], { requiresGrad: true });
    const a = tensor([1, 2, 3], { requiresGrad: true }),
      b = tensor([4, 5, 6], { requiresGrad: true });
    where(c, a, b)
      .mul(tensor([1, 10, 100]))
      .sum()
      .backward();
    expect(a.grad!.toArray()).toEqual([1, 0, 100]);
    expect(b.grad!.toArray()).toEqual([0, 10, 0]);
    expect(c.grad).toBe(null);
  });

  it('pow: d(xʸ)/dx = y xʸ⁻¹ and d(xʸ)/dy = xʸ ln x', () => {
    const x = tensor([0.5, 2, 3], { requiresGrad: true }),
      y = tensor([2, -1, 0.5], { requiresGrad: true });
    pow(x, y).sum().backward();
    expectClose(x.grad!, [2 * 0.5, -1 * 2 ** -2, 0.5 * 3 ** -0.5], 1e-15);
    expectClose(y.grad!, [0.25 * Math.log(0.5), 0.5 * Math.log(2), Math.sqrt(3) * Math.log(3)], 1e-15);
  });

  it('pow with tensor exponents at x = 0 and y = 0: PyTorch gives d/dx = [0, 0, 0], d/dy = [0, 0, ln 2]', () => {
    const x = tensor([0, 0, 2], { requiresGrad: true }),
      y = tensor([0, 2, 0], { requiresGrad: true });
    pow(x, y).sum().backward();
    expect(x.grad!.toArray()).toEqual([0, 0, 0]);
    expect(y.grad!.toArray()).toEqual([0, 0, Math.LN2]);
  });

  it('pow: 0ʸ has gradient 0 with respect to y (PyTorch), x⁰ has gradient 0 with respect to x', () => {
    const x = tensor([0, 0], { requiresGrad: true }),
      y = tensor([2, 3], { requiresGrad: true });
    pow(x, y).sum().backward();
    expect(y.grad!.toArray()).toEqual([0, 0]);
    expect(x.grad!.toArray()).toEqual([0, 0]);
    const z = tensor([1.5, -2], { requiresGrad: true });
    pow(z, 0).sum().backward();
    expect(z.grad!.toArray()).toEqual([0, 0]); // zeros, as PyTorch (not a missing gradient)
    const w = tensor([0, 3], { requiresGrad: true });
    pow(w, 0).mul(Infinity).sum().backward(); // even where the upstream gradient is ∞: 0, not NaN
    expect(w.grad!.toArray()).toEqual([0, 0]);
  });

  it('broadcast gradients are summed back to each input shape', () => {
    const a = tensor([[1], [2]], { requiresGrad: true }); // [2, 1]
    const b = tensor([10, 20, 30], { requiresGrad: true }); // [3]
    mul(a, b).sum().backward();
    expect(a.grad!.toArray()).toEqual([[60], [60]]); // Σ b
    expect(b.grad!.toArray()).toEqual([3, 3, 3]); // Σ a
    const s = tensor(2, { requiresGrad: true });
    mul(
      s,
      tensor([
        [1, 2],
        [3, 4],
      ]),
    )
      .sum()
      .backward();
    expect(s.grad!.shape).toEqual([]);
    expect(s.grad!.item()).toBe(10);
  });
});

describe('gradcheck (float64 central differences), broadcast inputs', () => {
  const A = rn([2, 1, 3], 1),
    B = rn([4, 1], 2); // broadcast to [2, 4, 3]
  const Ppos = ru([2, 1, 3], 3, 0.5, 2),
    Bpos = ru([4, 1], 4, 0.5, 2);
  // Points away from kinks (|x| ≥ 0.1) for relu, abs, leakyRelu, clamp and ties for maximum/minimum.
  const K = tensor([
    [-1.3, -0.4, 0.2],
    [0.6, 1.7, -2.2],
  ]);
  const unary: [string, (t: Tensor) => Tensor, Tensor][] = [
    ['neg', neg, A],
    ['exp', exp, A],
    ['log', log, Ppos],
    ['sqrt', sqrt, Ppos],
    ['abs', abs, K],
    ['tanh', tanh, A],
    ['sigmoid', sigmoid, A],
    ['relu', relu, K],
    ['leakyRelu', (t) => leakyRelu(t, 0.1), K],
    ['square', square, A],
    ['softplus', softplus, A],
    ['sin', sin, A],
    ['cos', cos, A],
    ['erf', erf, A],
    ['gelu', gelu, A],
    ['clamp', (t) => clamp(t, -1, 1), K],
    ['pow scalar', (t) => pow(t, 3), A],
    ['pow fractional', (t) => pow(t, 1.5), Ppos],
  ];
  for (const [name, f, x] of unary) it(name, () => expect(gradcheck(f, [x])).toBe(true));

  it('clone and a float64 → float64 cast pass the gradient through', () => {
    expect(gradcheck((t) => clone(t).mul(t), [A])).toBe(true);
    expect(gradcheck((t) => cast(t, 'float64').exp(), [A])).toBe(true);
  });

  const binary: [string, (a: Tensor, b: Tensor) => Tensor, Tensor, Tensor][] = [
    ['add', add, A, B],
    ['sub', sub, A, B],
    ['mul', mul, A, B],
    ['div', div, A, Bpos],
    ['pow tensor', pow, Ppos, B],
    ['maximum', maximum, A, B],
    ['minimum', minimum, A, B],
    ['where', (a, b) => where(gt(a, 0), a, b), A, B],
  ];
  for (const [name, f, a, b] of binary) it(name, () => expect(gradcheck(f, [a, b])).toBe(true));

  // Second order with broadcasting: the gradients of Σ f(a, b)² w.r.t. both broadcast inputs, as a
  // function of both (createGraph), so the engine's sum-back is itself differentiated.
  for (const [name, f, a, b] of binary) {
    it(`second order, broadcast: ${name}`, () => {
      const h = (x: Tensor, y: Tensor): Tensor => {
        const [gx, gy] = gradients(f(x, y).square().sum(), [x, y], { createGraph: true });
        return gx!.square().sum().add(gy!.sum());
      };
      expect(gradcheck(h, [a, b])).toBe(true);
    });
  }
});

describe('second order: gradcheck of grad(f)', () => {
  const x = tensor([
    [-1.3, -0.4, 0.2],
    [0.6, 1.7, 2.2],
  ]);
  const pos = tensor([
    [0.3, 0.9],
    [1.4, 2.5],
  ]);
  const fs: [string, (t: Tensor) => Tensor, Tensor][] = [
    ['tanh', (t) => tanh(t).sum(), x],
    ['sigmoid', (t) => sigmoid(t).mul(t).sum(), x],
    ['exp·sin', (t) => exp(t).mul(sin(t)).sum(), x],
    ['log', (t) => log(t).mul(t).sum(), pos],
    ['sqrt', (t) => sqrt(t).sum(), pos],
    ['div', (t) => div(1, t).sum(), pos],
    ['pow', (t) => pow(t, 3).sum(), x],
    ['softplus', (t) => softplus(t).sum(), x],
    ['erf', (t) => erf(t).sum(), x],
    ['gelu', (t) => gelu(t).sum(), x],
    ['square·cos', (t) => square(t).mul(cos(t)).sum(), x],
    ['pow tensor', (t) => pow(t, t).sum(), pos],
  ];
  for (const [name, f, at] of fs) {
    it(name, () => expect(gradcheck((t) => grad(f)(t) as Tensor, [at])).toBe(true));
  }

  it('d²/dx² tanh x = −2 tanh x (1 − tanh² x)', () => {
    const t = tensor([-1, 0.3, 2]);
    const d2 = grad((u) => (grad((v) => tanh(v).sum())(u) as Tensor).sum())(t) as Tensor;
    expectClose(
      d2,
      [-1, 0.3, 2].map((v) => -2 * Math.tanh(v) * (1 - Math.tanh(v) ** 2)),
      1e-14,
    );
  });
});
