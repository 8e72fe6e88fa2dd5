import { describe, expect, it } from 'vitest';
import { type Tensor, grad, gradcheck, gradients, hessian, jacobian, noGrad, tensor, valueAndGrad } from '@xent/core';
import { expectClose, rn } from './helpers.js';

describe('grad and valueAndGrad', () => {
  it('grad of Σx³ is 3x²', () => {
    expect((grad((x) => x.pow(3).sum())(tensor([2, -1])) as Tensor).toArray()).toEqual([12, 3]);
  });

  it('valueAndGrad returns [f(x), ∇f(x)], both constants', () => {
    const [v, g] = valueAndGrad((x) => x.square().sum())(tensor([3, 4]));
    expect(v.item()).toBe(25);
    expect((g as Tensor).toArray()).toEqual([6, 8]);
    expect(v.requiresGrad).toBe(false);
    expect((g as Tensor).requiresGrad).toBe(false);
  });

  it('argnums picks the arguments; others are constants', () => {
    const f = (a: Tensor, b: Tensor): Tensor => a.mul(b).sum().add(b.square().sum());
    const [ga, gb] = grad(f, { argnums: [0, 1] })(tensor([1, 2]), tensor([3, 4])) as Tensor[];
    expect(ga!.toArray()).toEqual([3, 4]);
    expect(gb!.toArray()).toEqual([7, 10]); // a + 2b
    expect((grad(f, { argnums: 1 })(tensor([1, 2]), tensor([3, 4])) as Tensor).toArray()).toEqual([7, 10]);
  });

  it('leaves the inputs untouched (no .grad written, no requiresGrad switched on)', () => {
    const x = tensor([1, 2]);
    grad((t) => t.square().sum())(x);
    expect(x.grad).toBe(null);
    expect(x.requiresGrad).toBe(false);
  });

  it('works inside noGrad', () => {
    expect((noGrad(() => grad((t) => t.square().sum())(tensor([5]))) as Tensor).toArray()).toEqual([10]);
  });

  it('an output that does not depend on x gives zeros', () => {
    expect((grad(() => tensor(3))(tensor([1, 2])) as Tensor).toArray()).toEqual([0, 0]);
  });

  it('a non-scalar function is a clear error', () => {
    expect(() => grad((x) => x.mul(2))(tensor([1, 2]))).toThrow(
      /grad: the function must return a one-element tensor, got shape \[2\]/,
    );
  });
});

describe('higher order', () => {
  it('grad(grad(f)): d²/dx² tanh x = −2 tanh x (1 − tanh² x)', () => {
    const d2 = grad((x) => (grad((y) => y.tanh().sum())(x) as Tensor).sum());
    for (const v of [-1.2, 0, 0.4, 2]) {
      const t = Math.tanh(v);
      expect((d2(tensor([v])) as Tensor).item()).toBeCloseTo(-2 * t * (1 - t * t), 14);
    }
  });

  it('third derivative of x⁴ at 1.5 is 24x = 36', () => {
    const d1 = (x: Tensor): Tensor => grad((y) => y.pow(4).sum())(x) as Tensor;
    const d2 = (x: Tensor): Tensor => grad((y) => d1(y).sum())(x) as Tensor;
    const d3 = (x: Tensor): Tensor => grad((y) => d2(y).sum())(x) as Tensor;
    expect(d3(tensor([1.5])).item()).toBeCloseTo(36, 12);
  });

  it('gradients(..., {createGraph}) nests with backward', () => {
    const x = tensor([0.5, 1], { requiresGrad: true });
    const [g] = gradients(x.pow(3).sum(), [x], { createGraph: true });
    g!.sum().backward();
    expect(x.grad!.toArray()).toEqual([3, 6]); // 6x
  });

  it('second derivatives match finite differences of the first derivative', () => {
    const f = (x: Tensor): Tensor =>
      x
        .sin()
        .mul(x.exp())
        .add(x.pow(3).div(x.square().add(1)))
        .sum();
    const d1 = (v: number): number => (grad(f)(tensor([v])) as Tensor).item();
    const d2 = grad((x) => (grad(f)(x) as Tensor).sum());
    const h = 1e-5;
    for (const v of [-1.3, 0.2, 0.9]) {
      const numeric = (d1(v + h) - d1(v - h)) / (2 * h);
      expect(Math.abs((d2(tensor([v])) as Tensor).item() - numeric)).toBeLessThan(1e-7);
    }
  });
});

describe('jacobian and hessian', () => {
  it('jacobian of elementwise 2x is 2I; of A·x is A', () => {
    expect(jacobian((x) => x.mul(2), tensor([1, 2])).toArray()).toEqual([
      [2, 0],
      [0, 2],
    ]);
    const A = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(jacobian((x) => A.matmul(x), tensor([1, 1, 1])).toArray()).toEqual(A.toArray());
  });

  it('jacobian shape is [...f(x).shape, ...x.shape]', () => {
    const J = jacobian((x) => x.sum(1), rn([2, 3], 1));
    expect(J.shape).toEqual([2, 2, 3]);
    expect(J.toArray()).toEqual([
      [
        [1, 1, 1],
        [0, 0, 0],
      ],
      [
        [0, 0, 0],
        [1, 1, 1],
      ],
    ]);
    expect(jacobian((x) => x.sum(), tensor([1, 2])).shape).toEqual([2]);
  });

  it('jacobian of softmax-like x/Σx against the formula (δᵢⱼ S − xᵢ)/S²', () => {
    const xs = [1, 2, 3];
    const J = jacobian((x) => x.div(x.sum()), tensor(xs));
    const S = 6;
    expectClose(
      J,
      xs.map((xi, i) => xs.map((_, j) => ((i === j ? S : 0) - xi) / (S * S))),
      1e-15,
    );
  });

  it('the Hessian of xᵀAx is A + Aᵀ', () => {
    const An = [
      [1, 2, 0],
      [-1, 3, 4],
      [5, 0, 2],
    ];
    const A = tensor(An);
    const H = hessian((x) => x.matmul(A.matmul(x)), tensor([0.3, -1, 2]));
    expect(H.toArray()).toEqual(An.map((row, i) => row.map((v, j) => v + An[j]![i]!)));
  });

  it('the Hessian of Σ log(1 + eˣ) is diag(σ(x)(1 − σ(x)))', () => {
    const xs = [-1, 0.5, 2];
    const H = hessian((x) => x.softplus().sum(), tensor(xs));
    const s = xs.map((v) => 1 / (1 + Math.exp(-v)));
    expectClose(
      H,
      xs.map((_, i) => xs.map((__, j) => (i === j ? s[i]! * (1 - s[i]!) : 0))),
      1e-15,
    );
  });

  it('a linear function has a zero Hessian; a constant function a zero Jacobian', () => {
    expect(hessian((x) => x.mul(tensor([1, 2, 3])).sum(), tensor([1, 1, 1])).toArray()).toEqual([
      [0, 0, 0],
      [0, 0, 0],
      [0, 0, 0],
    ]);
    expect(jacobian(() => tensor([1, 2]), tensor([5, 6, 7])).toArray()).toEqual([
      [0, 0, 0],
      [0, 0, 0],
    ]);
  });

  it('the Hessian of a matrix argument has shape [...x.shape, ...x.shape]', () => {
    expect(hessian((x) => x.square().sum(), rn([2, 2], 3)).shape).toEqual([2, 2, 2, 2]);
  });

  it('gradcheck of a jacobian (third-order machinery)', () => {
    expect(gradcheck((x) => jacobian((y) => y.tanh().mul(y), x), [rn([3], 4)])).toBe(true);
  });
});
