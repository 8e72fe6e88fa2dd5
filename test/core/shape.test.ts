import { describe, expect, it } from 'vitest';
import {
  type Tensor,
  arange,
  cat,
  expand,
  flatten,
  grad,
  gradcheck,
  permute,
  reshape,
  slice,
  squeeze,
  stack,
  tensor,
  transpose,
  unsqueeze,
  zeros,
} from '@xent/core';
import { rn } from './helpers.js';

describe('reshape, flatten, squeeze, unsqueeze', () => {
  it('reshape keeps row-major order and infers one -1', () => {
    const t = arange(6);
    expect(reshape(t, [2, 3]).toArray()).toEqual([
      [0, 1, 2],
      [3, 4, 5],
    ]);
    expect(reshape(t, [3, -1]).shape).toEqual([3, 2]);
    expect(t.reshape(-1, 1).shape).toEqual([6, 1]);
    expect(t.reshape([1, 2, 3]).shape).toEqual([1, 2, 3]);
    expect(tensor([5]).reshape([]).shape).toEqual([]);
    expect(t.view(2, 3).shape).toEqual([2, 3]);
  });

  it('reshape shares storage (documented: storage is always contiguous)', () => {
    const t = arange(4);
    const r = t.reshape(2, 2);
    expect(r.data).toBe(t.data);
  });

  it('flatten all dims or a range', () => {
    const z = zeros([2, 3, 4]);
    expect(flatten(z).shape).toEqual([24]);
    expect(flatten(z, 1).shape).toEqual([2, 12]);
    expect(z.flatten(0, 1).shape).toEqual([6, 4]);
    expect(z.flatten(-2, -1).shape).toEqual([2, 12]);
    expect(flatten(tensor(3)).shape).toEqual([1]);
  });

  it('squeeze all size-1 dims or the ones named; unsqueeze with negative dims', () => {
    const z = zeros([1, 3, 1, 2]);
    expect(squeeze(z).shape).toEqual([3, 2]);
    expect(squeeze(z, 2).shape).toEqual([1, 3, 2]);
    expect(z.squeeze([0, -2]).shape).toEqual([3, 2]);
    expect(squeeze(z, 1).shape).toEqual([1, 3, 1, 2]); // not size 1: unchanged, as PyTorch
    expect(unsqueeze(zeros([3]), 0).shape).toEqual([1, 3]);
    expect(unsqueeze(zeros([3]), -1).shape).toEqual([3, 1]);
    expect(zeros([2, 3]).unsqueeze(1).shape).toEqual([2, 1, 3]);
  });
});

describe('transpose and permute (copies)', () => {
  it('transpose a matrix and two dims of a 3-D tensor', () => {
    const m = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(transpose(m, 0, 1).toArray()).toEqual([
      [1, 4],
      [2, 5],
      [3, 6],
    ]);
    expect(m.t().toArray()).toEqual([
      [1, 4],
      [2, 5],
      [3, 6],
    ]);
    expect(m.transpose().data).not.toBe(m.data);
    const t = arange(24).reshape(2, 3, 4);
    const tt = t.transpose(0, 2);
    expect(tt.shape).toEqual([4, 3, 2]);
    const tn = t.toArray() as number[][][],
      ttn = tt.toArray() as number[][][];
    for (let i = 0; i < 2; i++)
      for (let j = 0; j < 3; j++) for (let k = 0; k < 4; k++) expect(ttn[k]![j]![i]).toBe(tn[i]![j]![k]);
  });

  it('permute moves dims: out[k][i][j] = x[i][j][k] for [2, 0, 1]', () => {
    const t = arange(24).reshape(2, 3, 4);
    const p = permute(t, [2, 0, 1]);
    expect(p.shape).toEqual([4, 2, 3]);
    const tn = t.toArray() as number[][][],
      pn = p.toArray() as number[][][];
    for (let i = 0; i < 2; i++)
      for (let j = 0; j < 3; j++) for (let k = 0; k < 4; k++) expect(pn[k]![i]![j]).toBe(tn[i]![j]![k]);
    expect(t.permute(-1, 0, 1).shape).toEqual([4, 2, 3]);
  });
});

describe('expand, slice, cat, stack', () => {
  it('expand broadcasts size-1 and new leading dims; -1 keeps a dim', () => {
    expect(expand(tensor([1, 2]), [3, 2]).toArray()).toEqual([
      [1, 2],
      [1, 2],
      [1, 2],
    ]);
    expect(
      tensor([[1], [2]])
        .expand(2, 3)
        .toArray(),
    ).toEqual([
      [1, 1, 1],
      [2, 2, 2],
    ]);
    expect(tensor([[1], [2]]).expand(-1, 2).shape).toEqual([2, 2]);
  });

  it('slice with start, end, step and negative positions (Python rules)', () => {
    const t = arange(10);
    expect(slice(t, 0, 2, 8, 3).toArray()).toEqual([2, 5]);
    expect(slice(t, 0, -3).toArray()).toEqual([7, 8, 9]);
    expect(slice(t, 0, null, null, 2).toArray()).toEqual([0, 2, 4, 6, 8]);
    expect(slice(t, 0, 5, 100).toArray()).toEqual([5, 6, 7, 8, 9]);
    expect(slice(t, 0, 6, 2).shape).toEqual([0]);
    const m = arange(12).reshape(3, 4);
    expect(m.slice(1, 1, 3).toArray()).toEqual([
      [1, 2],
      [5, 6],
      [9, 10],
    ]);
    expect(m.slice(-2, 0, 3, 2).toArray()).toEqual([
      [0, 1, 2, 3],
      [8, 9, 10, 11],
    ]);
  });

  it('cat along a dim, stack along a new dim', () => {
    const a = tensor([[1, 2]]),
      b = tensor([
        [3, 4],
        [5, 6],
      ]);
    expect(cat([a, b]).toArray()).toEqual([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    expect(
      cat(
        [
          tensor([[1], [2]]),
          tensor([
            [3, 4],
            [5, 6],
          ]),
        ],
        1,
      ).toArray(),
    ).toEqual([
      [1, 3, 4],
      [2, 5, 6],
    ]);
    expect(cat([a, a], -1).toArray()).toEqual([[1, 2, 1, 2]]);
    expect(stack([tensor([1, 2]), tensor([3, 4])]).toArray()).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(stack([tensor([1, 2]), tensor([3, 4])], 1).toArray()).toEqual([
      [1, 3],
      [2, 4],
    ]);
    expect(stack([tensor([1, 2]), tensor([3, 4])], -1).shape).toEqual([2, 2]);
    expect(cat([tensor([1], { dtype: 'float32' }), tensor([2])]).dtype).toBe('float64');
  });
});

describe('shape op gradients', () => {
  it('slice sends the gradient back to the picked places, zeros elsewhere', () => {
    const x = arange(6).reshape(2, 3);
    x.requiresGrad_();
    x.slice(1, 0, 3, 2)
      .mul(
        tensor([
          [1, 2],
          [3, 4],
        ]),
      )
      .sum()
      .backward();
    expect(x.grad!.toArray()).toEqual([
      [1, 0, 2],
      [3, 0, 4],
    ]);
  });

  it('cat splits the gradient; expand sums it', () => {
    const a = tensor([1, 2], { requiresGrad: true }),
      b = tensor([3], { requiresGrad: true });
    cat([a, b])
      .mul(tensor([10, 20, 30]))
      .sum()
      .backward();
    expect(a.grad!.toArray()).toEqual([10, 20]);
    expect(b.grad!.toArray()).toEqual([30]);
    const c = tensor([[1], [2]], { requiresGrad: true });
    c.expand(2, 3)
      .mul(
        tensor([
          [1, 2, 3],
          [4, 5, 6],
        ]),
      )
      .sum()
      .backward();
    expect(c.grad!.toArray()).toEqual([[6], [15]]);
  });

  it('a float32 input to cat gets a float32 gradient', () => {
    const a = tensor([1], { dtype: 'float32', requiresGrad: true });
    cat([a, tensor([2])])
      .sum()
      .backward();
    expect(a.grad!.dtype).toBe('float32');
  });

  const x = rn([2, 3, 4], 31);
  const fs: [string, (t: Tensor) => Tensor][] = [
    ['reshape', (t) => t.reshape(4, -1).mul(rn([4, 6], 1))],
    ['flatten', (t) => t.flatten(1).mul(rn([2, 12], 2))],
    ['transpose', (t) => t.transpose(0, 2).mul(rn([4, 3, 2], 3))],
    ['permute', (t) => t.permute(1, 2, 0).mul(rn([3, 4, 2], 4))],
    [
      'squeeze/unsqueeze',
      (t) =>
        t
          .unsqueeze(1)
          .mul(rn([2, 1, 3, 4], 5))
          .squeeze(1),
    ],
    [
      'expand',
      (t) =>
        t
          .slice(1, 0, 1)
          .expand(2, 5, 4)
          .mul(rn([2, 5, 4], 6)),
    ],
    ['slice with step', (t) => t.slice(2, 1, 4, 2).mul(rn([2, 3, 2], 7))],
    ['slice negative', (t) => t.slice(-2, -2).mul(rn([2, 2, 4], 8))],
    ['cat', (t) => cat([t, t.mul(t), t.slice(1, 0, 1)], 1)],
    ['stack', (t) => stack([t, t.tanh()], 2)],
  ];
  for (const [name, f] of fs) it(`gradcheck ${name}`, () => expect(gradcheck(f, [x])).toBe(true));

  it('gradcheck cat of two inputs', () => {
    expect(gradcheck((a, b) => cat([a, b], 1).tanh(), [rn([2, 1], 1), rn([2, 3], 2)])).toBe(true);
  });

  const second: [string, (t: Tensor) => Tensor][] = [
    ['slice', (t) => t.slice(2, 0, 4, 3).pow(3).sum()],
    [
      'permute',
      (t) =>
        t
          .permute(2, 0, 1)
          .tanh()
          .mul(rn([4, 2, 3], 9))
          .sum(),
    ],
    [
      'cat/stack',
      (t) =>
        stack([t.sin(), cat([t, t], 0).slice(0, 1, 3)])
          .square()
          .sum(),
    ],
    ['expand', (t) => t.slice(0, 0, 1).expand(3, 3, 4).exp().sum()],
  ];
  for (const [name, f] of second)
    it(`second order: ${name}`, () => expect(gradcheck((t) => grad(f)(t) as Tensor, [x])).toBe(true));
});
