import { describe, expect, it } from 'vitest';
import { type Tensor, gather, grad, gradcheck, indexSelect, oneHot, scatterAdd, tensor, zeros } from '@xent/core';
import { rn } from './helpers.js';

const M = [
  [1, 2, 3],
  [4, 5, 6],
];

describe('indexSelect', () => {
  it('picks rows or columns, repeats allowed', () => {
    const t = tensor(M);
    expect(indexSelect(t, 0, [1]).toArray()).toEqual([[4, 5, 6]]);
    expect(indexSelect(t, 1, [2, 0, 2]).toArray()).toEqual([
      [3, 1, 3],
      [6, 4, 6],
    ]);
    expect(t.indexSelect(-1, tensor([1])).toArray()).toEqual([[2], [5]]);
    expect(indexSelect(t, 1, new Int32Array([0])).toArray()).toEqual([[1], [4]]);
  });

  it('a negative index is an error, as in PyTorch (a −1 label must not silently pick the last entry)', () => {
    const t = tensor(M);
    expect(() => indexSelect(t, 0, [-1])).toThrow(
      /^indexSelect: index -1 at flat position 0 is out of range for a dim of size 2 \(expected 0 ≤ index < 2\)$/,
    );
    expect(() => gather(t, 1, [[0], [-1]])).toThrow(
      /^gather: index -1 at flat position 1 is out of range for a dim of size 3/,
    );
    expect(() => scatterAdd(zeros([3]), 0, [-3], tensor([1]))).toThrow(
      /^scatterAdd: index -3 at flat position 0 is out of range for a dim of size 3/,
    );
  });

  it('gradient adds up at repeated indices', () => {
    const x = tensor(M, { requiresGrad: true });
    indexSelect(x, 1, [2, 0, 2]).sum().backward();
    expect(x.grad!.toArray()).toEqual([
      [1, 0, 2],
      [1, 0, 2],
    ]);
  });
});

describe('gather and scatterAdd', () => {
  it('gather along dim 1 and dim 0 (PyTorch semantics)', () => {
    const t = tensor(M);
    // out[i][j] = t[i][index[i][j]]
    expect(
      gather(t, 1, [
        [2, 0],
        [1, 1],
      ]).toArray(),
    ).toEqual([
      [3, 1],
      [5, 5],
    ]);
    // out[i][j] = t[index[i][j]][j]
    expect(gather(t, 0, [[1, 0, 1]]).toArray()).toEqual([[4, 2, 6]]);
    expect(t.gather(1, tensor([[0], [2]])).toArray()).toEqual([[1], [6]]);
  });

  it('3-D gather and scatterAdd on every dim agree with the defining loops', () => {
    // x[a][b][c] = 100a + 10b + c; index of shape [2, 2, 2] (smaller than x on the other dims).
    const x = tensor([0, 1].map((a) => [0, 1, 2].map((b) => [0, 1, 2, 3].map((c) => 100 * a + 10 * b + c))));
    const idx = [
      [
        [1, 0],
        [0, 2],
      ],
      [
        [2, 1],
        [1, 1],
      ],
    ];
    for (const d of [0, 1, 2]) {
      const ok = (v: number): number => v % [2, 3, 4][d]!; // keep each index in range for its dim
      const ix = idx.map((r) => r.map((q) => q.map(ok)));
      const want = ix.map((r, a) =>
        r.map((q, b) => q.map((v, c) => 100 * (d === 0 ? v : a) + 10 * (d === 1 ? v : b) + (d === 2 ? v : c))),
      );
      expect(gather(x, d, ix).toArray()).toEqual(want);
      const acc = [0, 1].map(() => [0, 1, 2].map(() => [0, 0, 0, 0]));
      ix.forEach((r, a) =>
        r.forEach((q, b) =>
          q.forEach((v, c) => {
            acc[d === 0 ? v : a]![d === 1 ? v : b]![d === 2 ? v : c]! += 1000 + a * 4 + b * 2 + c;
          }),
        ),
      );
      const src = tensor([0, 1].map((a) => [0, 1, 2].map((b) => [0, 1, 2, 3].map((c) => 1000 + a * 4 + b * 2 + c))));
      expect(scatterAdd(zeros([2, 3, 4]), d, ix, src).toArray()).toEqual(acc);
    }
  });

  it('scatterAdd adds src at the indexed places; repeats accumulate', () => {
    expect(scatterAdd(zeros([3]), 0, [0, 0, 2], tensor([1, 2, 5])).toArray()).toEqual([3, 0, 5]);
    // self[i][index[i][j]] += src[i][j]
    const r = scatterAdd(
      tensor(M),
      1,
      [
        [0, 0],
        [2, 1],
      ],
      tensor([
        [10, 20],
        [30, 40],
      ]),
    );
    expect(r.toArray()).toEqual([
      [31, 2, 3],
      [4, 45, 36],
    ]);
    // an index smaller than src uses src's leading block
    const s = scatterAdd(
      zeros([2, 2]),
      0,
      [[1]],
      tensor([
        [7, 8],
        [9, 10],
      ]),
    );
    expect(s.toArray()).toEqual([
      [0, 0],
      [7, 0],
    ]);
  });

  it('gradients: gather scatters back, scatterAdd gathers back', () => {
    const x = tensor(M, { requiresGrad: true });
    gather(x, 1, [
      [2, 2],
      [0, 1],
    ])
      .mul(
        tensor([
          [1, 2],
          [3, 4],
        ]),
      )
      .sum()
      .backward();
    expect(x.grad!.toArray()).toEqual([
      [0, 0, 3],
      [3, 4, 0],
    ]);
    const base = tensor([1, 1, 1], { requiresGrad: true }),
      src = tensor([1, 2, 3], { requiresGrad: true });
    scatterAdd(base, 0, [2, 0, 2], src)
      .mul(tensor([10, 20, 30]))
      .sum()
      .backward();
    expect(base.grad!.toArray()).toEqual([10, 20, 30]);
    expect(src.grad!.toArray()).toEqual([30, 10, 30]);
  });

  const x = rn([3, 4], 41);
  const idx = [
    [3, 0, 0],
    [1, 1, 2],
    [0, 3, 2],
  ];
  const fs: [string, (t: Tensor) => Tensor][] = [
    ['indexSelect', (t) => indexSelect(t, 1, [3, 1, 3]).tanh()],
    ['gather', (t) => gather(t, 1, idx).exp()],
    ['scatterAdd into', (t) => scatterAdd(t, 0, [[0, 2, 2, 1]], rn([1, 4], 2)).sin()],
    [
      'scatterAdd of',
      (t) =>
        scatterAdd(
          zeros([4, 4]),
          1,
          [
            [0, 0, 3, 1],
            [2, 2, 2, 0],
            [1, 3, 0, 0],
          ],
          t,
        ).square(),
    ],
    [
      'scatterAdd of a bigger src',
      (t) =>
        scatterAdd(
          zeros([3, 3]),
          1,
          [
            [0, 2],
            [1, 1],
          ],
          t,
        ).square(),
    ],
  ];
  for (const [name, f] of fs) it(`gradcheck ${name}`, () => expect(gradcheck(f, [x])).toBe(true));

  const second: [string, (t: Tensor) => Tensor][] = [
    ['indexSelect', (t) => indexSelect(t, 0, [2, 2, 0]).pow(3).sum()],
    ['gather', (t) => gather(t, 1, idx).tanh().sum()],
    [
      'scatterAdd',
      (t) =>
        scatterAdd(
          zeros([4, 4]),
          1,
          [
            [0, 0, 3, 1],
            [2, 2, 2, 0],
            [1, 3, 0, 0],
          ],
          t,
        )
          .square()
          .sum(),
    ],
    [
      'scatterAdd of a bigger src',
      (t) =>
        scatterAdd(
          zeros([3, 3]),
          1,
          [
            [0, 2],
            [1, 1],
          ],
          t,
        )
          .pow(3)
          .sum(),
    ],
  ];
  for (const [name, f] of second)
    it(`second order: ${name}`, () => expect(gradcheck((t) => grad(f)(t) as Tensor, [x])).toBe(true));
});

describe('oneHot', () => {
  it('rows with a 1 at each label; numClasses inferred or given', () => {
    expect(oneHot([0, 2]).toArray()).toEqual([
      [1, 0, 0],
      [0, 0, 1],
    ]);
    expect(oneHot([1], 4).toArray()).toEqual([[0, 1, 0, 0]]);
    expect(oneHot(tensor([[0], [1]]), 2).shape).toEqual([2, 1, 2]);
    expect(tensor([1, 0]).oneHot(2).toArray()).toEqual([
      [0, 1],
      [1, 0],
    ]);
    expect(oneHot([1], 2, { dtype: 'float32' }).dtype).toBe('float32');
  });
});
