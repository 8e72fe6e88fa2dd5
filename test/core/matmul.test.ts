import { describe, expect, it } from 'vitest';
import { type Tensor, dot, grad, gradcheck, gradients, matmul, mm, outer, tensor } from '@xent/core';
import { expectClose, rn } from './helpers.js';

/** Naive triple loop on nested arrays: the independent reference. */
function naive(a: number[][], b: number[][]): number[][] {
  return a.map((row) => b[0]!.map((_, j) => row.reduce((s, v, p) => s + v * b[p]![j]!, 0)));
}
const T = (m: number[][]): number[][] => m[0]!.map((_, j) => m.map((r) => r[j]!));

describe('matmul: numpy rules', () => {
  const A = [
    [1, 2, 3],
    [4, 5, 6],
  ];
  const B = [
    [7, 8],
    [9, 10],
    [11, 12],
  ];

  it('2-D · 2-D', () => {
    expect(matmul(tensor(A), tensor(B)).toArray()).toEqual([
      [58, 64],
      [139, 154],
    ]);
    expect(tensor(A).matmul(tensor(B)).toArray()).toEqual(naive(A, B));
  });

  it('1-D · 1-D is the dot product (0-d)', () => {
    const r = matmul(tensor([1, 2, 3]), tensor([4, 5, 6]));
    expect(r.shape).toEqual([]);
    expect(r.item()).toBe(32);
    expect(dot(tensor([1, 2]), tensor([3, 4])).item()).toBe(11);
  });

  it('2-D · 1-D and 1-D · 2-D drop the added dim', () => {
    expect(matmul(tensor(A), tensor([1, 0, -1])).toArray()).toEqual([-2, -2]);
    expect(matmul(tensor([1, -1]), tensor(A)).toArray()).toEqual([-3, -3, -3]);
  });

  it('batched N-D with broadcast batch dims', () => {
    const a = rn([2, 1, 3, 4], 1),
      b = rn([5, 4, 2], 2);
    const c = matmul(a, b);
    expect(c.shape).toEqual([2, 5, 3, 2]);
    const an = a.toArray() as number[][][][],
      bn = b.toArray() as number[][][];
    const cn = c.toArray() as number[][][][];
    for (let i = 0; i < 2; i++) for (let j = 0; j < 5; j++) expectClose(cn[i]![j]!, naive(an[i]![0]!, bn[j]!), 1e-14);
  });

  it('batched · 1-D and 1-D · batched', () => {
    const a = rn([2, 3, 4], 3),
      v = tensor([1, 2, 3, 4]);
    const r = matmul(a, v);
    expect(r.shape).toEqual([2, 3]);
    const an = a.toArray() as number[][][];
    expectClose(
      r,
      an.map((m) => m.map((row) => row.reduce((s, x, k) => s + x * (k + 1), 0))),
      1e-14,
    );
    expect(matmul(tensor([1, 1, 1]), a).shape).toEqual([2, 4]);
  });

  it('mm with transpose flags equals the product of transposes', () => {
    const a = rn([3, 2], 4),
      b = rn([4, 3], 5);
    const an = a.toArray() as number[][],
      bn = b.toArray() as number[][];
    expectClose(mm(a, b, true, true), naive(T(an), T(bn)), 1e-14);
    expectClose(mm(b, a), naive(bn, an), 1e-14);
    expectClose(mm(a, rn([2, 2], 6), false, true), naive(an, T(rn([2, 2], 6).toArray() as number[][])), 1e-14);
  });

  it('outer product', () => {
    expect(outer(tensor([1, 2]), tensor([3, 4, 5])).toArray()).toEqual([
      [3, 4, 5],
      [6, 8, 10],
    ]);
  });
});

describe('matmul gradients', () => {
  it('dA = G·Bᵀ, dB = Aᵀ·G by formula', () => {
    const An = [
        [1, 2],
        [3, 4],
        [5, 6],
      ],
      Bn = [
        [1, -1, 2],
        [0, 3, -2],
      ];
    const G = [
      [1, 0, 2],
      [0, 1, 0],
      [-1, 1, 1],
    ];
    const a = tensor(An, { requiresGrad: true }),
      b = tensor(Bn, { requiresGrad: true });
    matmul(a, b).backward(tensor(G));
    expect(a.grad!.toArray()).toEqual(naive(G, T(Bn)));
    expect(b.grad!.toArray()).toEqual(naive(T(An), G));
  });

  it('a weight used twice accumulates: W·(W·x)', () => {
    const w = tensor(
      [
        [1, 2],
        [3, 4],
      ],
      { requiresGrad: true },
    );
    const x = tensor([1, -1]);
    matmul(w, matmul(w, x)).sum().backward();
    // f = 1ᵀW W x: ∂f/∂W = (Wᵀ1)ᵀ-weighted... computed directly: d/dW (uᵀ W v) = u vᵀ, applied to both uses.
    const Wn = [
      [1, 2],
      [3, 4],
    ];
    const Wx = [Wn[0]![0]! - Wn[0]![1]!, Wn[1]![0]! - Wn[1]![1]!]; // W·x = [-1, -1]
    const WT1 = [Wn[0]![0]! + Wn[1]![0]!, Wn[0]![1]! + Wn[1]![1]!]; // Wᵀ·1 = [4, 6]
    const expected = [0, 1].map((i) =>
      [0, 1].map((j) => Wx[j]! /* outer use: 1·(Wx)ᵀ */ + WT1[i]! * [1, -1][j]! /* inner use: (Wᵀ1)·xᵀ */),
    );
    expect(w.grad!.toArray()).toEqual(expected);
  });

  const cases: [string, number[], number[]][] = [
    ['2-D · 2-D', [3, 4], [4, 2]],
    ['1-D · 1-D', [4], [4]],
    ['2-D · 1-D', [3, 4], [4]],
    ['1-D · 2-D', [4], [4, 2]],
    ['batched with broadcast batch dims', [2, 1, 3, 4], [3, 4, 2]],
    ['batched · 2-D', [2, 3, 4], [4, 2]],
    ['1-D · batched', [4], [2, 4, 3]],
  ];
  for (const [name, sa, sb] of cases) {
    it(`gradcheck ${name}`, () => expect(gradcheck(matmul, [rn(sa, 7), rn(sb, 8)])).toBe(true));
  }
  for (const [ta, tb] of [
    [false, true],
    [true, false],
    [true, true],
  ] as const) {
    it(`gradcheck mm transA=${ta} transB=${tb}`, () => {
      expect(gradcheck((a, b) => mm(a, b, ta, tb), [rn(ta ? [4, 3] : [3, 4], 9), rn(tb ? [2, 4] : [4, 2], 10)])).toBe(
        true,
      );
    });
  }

  it('gradcheck dot and outer', () => {
    expect(gradcheck(dot, [rn([5], 13), rn([5], 14)])).toBe(true);
    expect(gradcheck(outer, [rn([3], 15), rn([2], 16)])).toBe(true);
  });

  // Second order through every layout: the gradient of Σ (A·B)² with respect to both inputs, as a
  // function of both (createGraph), against central differences.
  for (const [name, sa, sb] of cases) {
    it(`second order ${name}`, () => {
      const f = (a: Tensor, b: Tensor): Tensor => {
        const [ga, gb] = gradients(matmul(a, b).square().sum(), [a, b], { createGraph: true });
        return ga!.sum().add(gb!.square().sum());
      };
      expect(gradcheck(f, [rn(sa, 17), rn(sb, 18)])).toBe(true);
    });
  }
  for (const [ta, tb] of [
    [false, true],
    [true, false],
    [true, true],
  ] as const) {
    it(`second order mm transA=${ta} transB=${tb}`, () => {
      const f = (a: Tensor, b: Tensor): Tensor => {
        const [ga, gb] = gradients(mm(a, b, ta, tb).square().sum(), [a, b], { createGraph: true });
        return ga!.square().sum().add(gb!.sum());
      };
      expect(gradcheck(f, [rn(ta ? [4, 3] : [3, 4], 19), rn(tb ? [2, 4] : [4, 2], 20)])).toBe(true);
    });
  }

  it('second order: gradcheck of grad of tanh(A·B)', () => {
    const b = rn([4, 2], 12);
    expect(gradcheck((a) => grad((x: Tensor) => matmul(x, b).tanh().sum())(a) as Tensor, [rn([3, 4], 11)])).toBe(true);
  });
});
