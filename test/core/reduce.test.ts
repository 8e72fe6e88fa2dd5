import { describe, expect, it } from 'vitest';
import {
  type Tensor,
  argmax,
  argmin,
  grad,
  gradcheck,
  logsumexp,
  max,
  mean,
  min,
  ones,
  std,
  sum,
  tensor,
  variance,
  zeros,
} from '@xent/core';
import { sumTo } from '@xent/core/extend';
import { expectClose, rn } from './helpers.js';

const M = [
  [1, 5, 2],
  [7, 0, 3],
];

describe('sum and mean', () => {
  it('over all dims, one dim, a negative dim and a list of dims', () => {
    const t = tensor(M);
    expect(sum(t).item()).toBe(18);
    expect(sum(t).shape).toEqual([]);
    expect(sum(t, 0).toArray()).toEqual([8, 5, 5]);
    expect(sum(t, 1).toArray()).toEqual([8, 10]);
    expect(sum(t, -1).toArray()).toEqual([8, 10]);
    expect(sum(t, [0, 1]).item()).toBe(18);
    expect(mean(t).item()).toBe(3);
    expect(mean(t, 0).toArray()).toEqual([4, 2.5, 2.5]);
  });

  it('keepdim keeps reduced dims as size 1', () => {
    const t = tensor(M);
    expect(sum(t, 1, true).toArray()).toEqual([[8], [10]]);
    expect(sum(t, 0, true).shape).toEqual([1, 3]);
    expect(mean(t, undefined, true).shape).toEqual([1, 1]);
    expect(t.sum([0, 1], true).toArray()).toEqual([[18]]);
  });

  it('3-D over the middle and the outer dims', () => {
    const t = tensor([
      [
        [1, 2],
        [3, 4],
      ],
      [
        [5, 6],
        [7, 8],
      ],
    ]);
    expect(sum(t, 1).toArray()).toEqual([
      [4, 6],
      [12, 14],
    ]);
    expect(sum(t, [0, 2]).toArray()).toEqual([14, 22]);
    expect(mean(t, [0, 1]).toArray()).toEqual([4, 5]);
  });

  it('gradients: sum spreads 1, mean spreads 1/n, over the reduced dims only', () => {
    const x = tensor(M, { requiresGrad: true });
    sum(x, 1)
      .mul(tensor([1, 10]))
      .sum()
      .backward();
    expect(x.grad!.toArray()).toEqual([
      [1, 1, 1],
      [10, 10, 10],
    ]);
    const y = tensor(M, { requiresGrad: true });
    mean(y, 0, true)
      .mul(tensor([[1, 2, 3]]))
      .sum()
      .backward();
    expect(y.grad!.toArray()).toEqual([
      [0.5, 1, 1.5],
      [0.5, 1, 1.5],
    ]);
  });
});

describe('max and min over dims', () => {
  it('values, with keepdim and negative dims', () => {
    const t = tensor(M);
    expect(max(t).item()).toBe(7);
    expect(min(t).item()).toBe(0);
    expect(max(t, 1).toArray()).toEqual([5, 7]);
    expect(min(t, 0).toArray()).toEqual([1, 0, 2]);
    expect(max(t, -2, true).toArray()).toEqual([[7, 5, 3]]);
    expect(t.min([0, 1]).item()).toBe(0);
  });

  it('NaN propagates, as PyTorch', () => {
    expect(max(tensor([1, NaN, 3])).item()).toBeNaN();
    expect(
      min(
        tensor([
          [1, 2],
          [NaN, 0],
        ]),
        1,
      ).toArray(),
    ).toEqual([1, NaN]);
  });

  it('the gradient goes to the extreme; ties share it equally (amax/amin)', () => {
    const x = tensor(
      [
        [1, 5, 5],
        [7, 0, 3],
      ],
      { requiresGrad: true },
    );
    max(x, 1).sum().backward();
    expect(x.grad!.toArray()).toEqual([
      [0, 0.5, 0.5],
      [1, 0, 0],
    ]);
    const y = tensor([2, 2, 2, 1], { requiresGrad: true });
    min(y).backward();
    expect(y.grad!.toArray()).toEqual([0, 0, 0, 1]);
    const z = tensor([2, 2, 2, 1], { requiresGrad: true });
    max(z).backward();
    expect(z.grad!.toArray()).toEqual([1 / 3, 1 / 3, 1 / 3, 0]);
  });

  it('keepdim gradient matches the non-keepdim one', () => {
    const x = tensor(M, { requiresGrad: true });
    max(x, 0, true)
      .mul(tensor([[1, 2, 3]]))
      .sum()
      .backward();
    expect(x.grad!.toArray()).toEqual([
      [0, 2, 0],
      [1, 0, 3],
    ]);
  });
});

describe('argmax and argmin', () => {
  it('flat index without dim, per-dim indices with dim, first index on ties, float64 output', () => {
    const t = tensor([
      [1, 5, 5],
      [7, 0, 7],
    ]);
    expect(argmax(t).item()).toBe(3);
    expect(argmax(t).shape).toEqual([]);
    expect(argmax(t, 1).toArray()).toEqual([1, 0]);
    expect(argmin(t, 0).toArray()).toEqual([0, 1, 0]);
    expect(argmin(t, -1, true).toArray()).toEqual([[0], [1]]);
    expect(argmax(t, 1).dtype).toBe('float64');
    expect(argmax(t, undefined, true).shape).toEqual([1, 1]);
  });

  it('NaN counts as the maximum (and minimum), as PyTorch', () => {
    expect(argmax(tensor([1, NaN, 3])).item()).toBe(1);
    expect(argmin(tensor([1, 3, NaN])).item()).toBe(2);
  });

  it('is not differentiable', () => {
    expect(argmax(tensor([1, 2], { requiresGrad: true })).requiresGrad).toBe(false);
  });
});

describe('logsumexp, var, std', () => {
  it('logsumexp by the formula, stable at large values', () => {
    const t = tensor([
      [1, 2, 3],
      [-1, 0, 1],
    ]);
    expectClose(
      logsumexp(t, 1),
      [Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3)), Math.log(Math.exp(-1) + 1 + Math.exp(1))],
      1e-15,
    );
    expect(logsumexp(tensor([1000, 1000])).item()).toBeCloseTo(1000 + Math.LN2, 12);
    expect(logsumexp(tensor([-1000, -1000])).item()).toBeCloseTo(-1000 + Math.LN2, 12);
    expect(logsumexp(tensor([-Infinity, -Infinity])).item()).toBe(-Infinity);
    expect(logsumexp(t, 0, true).shape).toEqual([1, 3]);
  });

  it('logsumexp gradient is the softmax', () => {
    const x = tensor([1, 2, 3], { requiresGrad: true });
    logsumexp(x).backward();
    const z = Math.exp(1) + Math.exp(2) + Math.exp(3);
    expectClose(x.grad!, [Math.exp(1) / z, Math.exp(2) / z, Math.exp(3) / z], 1e-15);
  });

  it('variance with Bessel correction by default, correction 0 on request', () => {
    const t = tensor([
      [1, 2, 3, 4],
      [2, 2, 2, 2],
    ]);
    expectClose(variance(t, 1), [5 / 3, 0], 1e-15);
    expectClose(variance(t, 1, { correction: 0 }), [1.25, 0], 1e-15);
    expectClose(t.var(), 5.5 / 7, 1e-15); // mean 2.25; Σ(x − 2.25)² = 1.5625 + 0.0625 + 0.5625 + 3.0625 + 4 × 0.0625
    expect(t.var(0, { keepdim: true }).shape).toEqual([1, 4]);
    expectClose(std(tensor([1, 2, 3, 4])), Math.sqrt(5 / 3), 1e-15);
  });

  it('a mean over 0 elements is an error, not a silent NaN (PyTorch: NaN); an empty result is fine', () => {
    expect(() => mean(zeros([0]))).toThrow(/^mean: cannot average over 0 elements \(shape \[0\], dim all\)$/);
    expect(() => mean(zeros([0, 3]), 0)).toThrow(/^mean: cannot average over 0 elements \(shape \[0, 3\], dim 0\)$/);
    expect(mean(zeros([0, 3]), 1).shape).toEqual([0]);
  });

  it('variance with no degrees of freedom left is an error, not a silent NaN (PyTorch: NaN with a warning)', () => {
    expect(() => variance(tensor([3]))).toThrow(
      /^var: 1 element with correction 1 leaves no degrees of freedom \(n − correction must be > 0; use correction: 0 for the population variance\)$/,
    );
    expect(() => std(tensor([[1, 2]]), 0)).toThrow(/^var: 1 element with correction 1 leaves no degrees of freedom/);
    expect(() => variance(tensor([1, 2]), undefined, { correction: 2 })).toThrow(
      /^var: 2 elements with correction 2 leave no degrees of freedom/,
    );
    expect(() => variance(tensor([1, 2]), undefined, { correction: NaN })).toThrow(
      /^var: correction must be a finite number, got NaN$/,
    );
    expect(() => tensor([[1, 2]]).var(1, true as never)).toThrow(
      /^var: the options must be an object \{ keepdim\?, correction\? \}, got boolean true$/,
    );
    expect(variance(tensor([3]), undefined, { correction: 0 }).item()).toBe(0);
  });

  it('variance gradient: 2(x − x̄)/(n − 1)', () => {
    const x = tensor([1, 2, 4], { requiresGrad: true });
    variance(x).backward();
    const m = 7 / 3;
    expectClose(
      x.grad!,
      [1, 2, 4].map((v) => (2 * (v - m)) / 2),
      1e-14,
    );
  });
});

describe('sumTo', () => {
  it('sums a broadcast shape back', () => {
    expect(sumTo(ones([2, 3]), [3]).toArray()).toEqual([2, 2, 2]);
    expect(sumTo(ones([2, 3]), [2, 1]).toArray()).toEqual([[3], [3]]);
    expect(sumTo(ones([2, 3]), []).item()).toBe(6);
    expect(() => sumTo(ones([2, 3]), [2])).toThrow(/does not reduce to the input shape \[2\]/);
  });
});

describe('gradcheck of every reduction, with and without keepdim', () => {
  const x = rn([3, 4, 2], 21);
  const fs: [string, (t: Tensor) => Tensor][] = [];
  for (const keepdim of [false, true]) {
    fs.push(
      [`sum all keepdim=${keepdim}`, (t) => sum(t, undefined, keepdim)],
      [`sum dim 1 keepdim=${keepdim}`, (t) => sum(t, 1, keepdim)],
      [`sum dims [0, -1] keepdim=${keepdim}`, (t) => sum(t, [0, -1], keepdim)],
      [`mean dim -2 keepdim=${keepdim}`, (t) => mean(t, -2, keepdim)],
      [`max dim 1 keepdim=${keepdim}`, (t) => max(t, 1, keepdim)],
      [`min dims [0, 2] keepdim=${keepdim}`, (t) => min(t, [0, 2], keepdim)],
      [`logsumexp dim 1 keepdim=${keepdim}`, (t) => logsumexp(t, 1, keepdim)],
      [`var dim 0 keepdim=${keepdim}`, (t) => variance(t, 0, { keepdim })],
      [`std dim 2 keepdim=${keepdim}`, (t) => std(t, 2, { keepdim })],
    );
  }
  for (const [name, f] of fs) it(name, () => expect(gradcheck(f, [x])).toBe(true));

  it('a reduction of a broadcast product', () => {
    expect(gradcheck((a, b) => sum(a.mul(b), [0, 2], true), [rn([3, 1, 2], 5), rn([4, 1], 6)])).toBe(true);
  });

  const second: [string, (t: Tensor) => Tensor][] = [
    ['sum of squares', (t) => sum(t.mul(t))],
    ['mean', (t) => mean(t.tanh())],
    ['logsumexp', (t) => logsumexp(t, 1).sum()],
    ['var', (t) => variance(t, 0).sum()],
    ['max', (t) => max(t.mul(t), 2).sum()],
  ];
  for (const [name, f] of second)
    it(`second order: ${name}`, () => expect(gradcheck((t) => grad(f)(t) as Tensor, [x])).toBe(true));
});
