import { describe, expect, it } from 'vitest';
import { Tensor, Value, enableGrad, isGradEnabled, noGrad, tensor } from '@xent/core';
import { record, topoSort } from '@xent/core/extend';

describe('backward on tensors', () => {
  it('a scalar output seeds 1; leaves get .grad of their own shape', () => {
    const x = tensor(
      [
        [1, 2],
        [3, 4],
      ],
      { requiresGrad: true },
    );
    x.mul(x).sum().backward();
    expect(x.grad!.toArray()).toEqual([
      [2, 4],
      [6, 8],
    ]);
    expect(x.grad!.shape).toEqual([2, 2]);
  });

  it('a non-scalar output takes an explicit gradient (a tensor or a number)', () => {
    const x = tensor([1, 2, 3], { requiresGrad: true });
    x.mul(2).backward(tensor([1, 0, -1]));
    expect(x.grad!.toArray()).toEqual([2, 0, -2]);
    const y = tensor([1, 2], { requiresGrad: true });
    y.square().backward(3);
    expect(y.grad!.toArray()).toEqual([6, 12]);
  });

  it('backward() on a non-scalar without a gradient is a clear error', () => {
    const x = tensor([1, 2, 3], { requiresGrad: true });
    expect(() => x.mul(2).backward()).toThrow(
      /backward: the gradient can only be implied for a one-element output, got shape \[3\]; pass a gradient of that shape/,
    );
    expect(() => x.mul(2).backward(tensor([1, 2]))).toThrow(
      /backward: gradient shape \[2\] does not match output shape \[3\]/,
    );
    expect(() => tensor([1]).backward()).toThrow(/backward: this tensor does not require a gradient/);
  });

  it('gradients accumulate: a.add(a), a tensor used in two places, two backward calls', () => {
    const a = tensor([1, 2], { requiresGrad: true });
    a.add(a).sum().backward();
    expect(a.grad!.toArray()).toEqual([2, 2]);
    const w = tensor([3], { requiresGrad: true });
    w.mul(tensor([2]))
      .add(w.mul(w))
      .sum()
      .backward(); // 2w + w²: 2 + 2w = 8
    expect(w.grad!.toArray()).toEqual([8]);
    w.mul(5).sum().backward();
    expect(w.grad!.toArray()).toEqual([13]);
  });

  it('zeroGrad clears; the stored gradient owns its storage', () => {
    const a = tensor([1, 2], { requiresGrad: true });
    const b = tensor([3, 4], { requiresGrad: true });
    a.add(b).sum().backward(); // the same gradient tensor reaches both leaves
    expect(a.grad!.data).not.toBe(b.grad!.data);
    a.grad!.data[0] = 100;
    expect(b.grad!.data[0]).toBe(1);
    a.zeroGrad();
    expect(a.grad).toBe(null);
  });

  it('only leaves keep .grad unless retainGrad()', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const h = x.mul(3);
    const k = x.mul(4).retainGrad();
    h.add(k).mul(2).sum().backward();
    expect(h.grad).toBe(null);
    expect(k.grad!.toArray()).toEqual([2, 2]);
    expect(x.grad!.toArray()).toEqual([14, 14]);
  });

  it('inputs that do not require a gradient get none', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const c = tensor([5, 6]);
    x.mul(c).sum().backward();
    expect(c.grad).toBe(null);
    expect(x.grad!.toArray()).toEqual([5, 6]);
  });

  it('op names on every node and requiresGrad propagates', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = x.exp().sum();
    expect(y.op).toBe('sum');
    expect(y.requiresGrad).toBe(true);
    expect(y.isLeaf).toBe(false);
    expect(tensor([1]).exp().op).toBe('leaf'); // no input needs a gradient: no node
  });
});

describe('detach and noGrad', () => {
  it('detach shares data and cuts the graph', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const d = x.mul(2).detach();
    expect(d.requiresGrad).toBe(false);
    expect(d.isLeaf).toBe(true);
    const y = x.mul(d).sum(); // d is a constant here
    y.backward();
    expect(x.grad!.toArray()).toEqual([2, 4]);
  });

  it('noGrad records nothing and restores the mode, even after a throw', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = noGrad(() => x.mul(2));
    expect(y.requiresGrad).toBe(false);
    expect(y.toArray()).toEqual([2, 4]);
    expect(isGradEnabled()).toBe(true);
    expect(() =>
      noGrad(() => {
        throw new Error('inside');
      }),
    ).toThrow('inside');
    expect(isGradEnabled()).toBe(true);
    expect(noGrad(() => enableGrad(() => x.mul(2))).requiresGrad).toBe(true);
    expect(noGrad(() => isGradEnabled())).toBe(false);
  });

  it('requiresGrad_ switches a leaf on', () => {
    const x = tensor([3]).requiresGrad_();
    x.square().sum().backward();
    expect(x.grad!.toArray()).toEqual([6]);
  });
});

describe('createGraph: gradients of gradients', () => {
  it('d/dx of dy/dx for y = x³ is 6x', () => {
    const x = tensor([2, -1], { requiresGrad: true });
    x.pow(3).sum().backward(undefined, { createGraph: true });
    const g = x.grad!;
    expect(g.toArray()).toEqual([12, 3]);
    expect(g.requiresGrad).toBe(true);
    x.zeroGrad();
    g.sum().backward();
    expect(x.grad!.toArray()).toEqual([12, -6]);
  });

  it('without createGraph the gradient is a constant', () => {
    const x = tensor([2], { requiresGrad: true });
    x.pow(3).sum().backward();
    expect(x.grad!.requiresGrad).toBe(false);
  });
});

describe('one iterative engine: deep chains without stack overflow', () => {
  it('1,000,000 Value ops (500,000 mul–add pairs)', () => {
    const x = new Value(1);
    let y: Value = x;
    for (let i = 0; i < 500_000; i++) y = y.mul(1).add(1e-6);
    y.backward();
    expect(x.grad).toBe(1);
    expect(y.data).toBeCloseTo(1.5, 6);
  });

  it('100,000 Tensor ops (50,000 mul–add pairs)', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    let y: Tensor = x;
    for (let i = 0; i < 50_000; i++) y = y.mul(1.00001).add(0);
    y.sum().backward();
    const expected = 1.00001 ** 50_000;
    expect(x.grad!.data[0]).toBeCloseTo(expected, 8);
    expect(x.grad!.data[1]).toBeCloseTo(expected, 8);
  });

  it('topoSort puts inputs before outputs and visits a shared node once', () => {
    const a = tensor([1], { requiresGrad: true });
    const b = a.mul(2),
      c = a.mul(3);
    const d = b.add(c);
    const order = topoSort<Tensor, Tensor>(d);
    expect(order.length).toBe(4);
    expect(order.indexOf(a)).toBeLessThan(order.indexOf(b));
    expect(order.indexOf(b)).toBeLessThan(order.indexOf(d));
    expect(order.at(-1)).toBe(d);
  });

  it('a wide diamond: x feeding 1000 branches gets every contribution', () => {
    const x = tensor([1], { requiresGrad: true });
    let s = tensor([0]);
    for (let i = 1; i <= 1000; i++) s = s.add(x.mul(i));
    s.sum().backward();
    expect(x.grad!.item()).toBe(500500);
  });
});

describe('engine robustness', () => {
  it('a backward that throws half-way leaves no stale partial gradient behind', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const h = x.mul(3);
    let fail = true;
    const boom = record('boom', [h], new Tensor(h.data.slice(), h.shape), (g) => {
      if (fail) throw new Error('boom backward');
      return [g];
    });
    // y = boom(h) + h: h receives a partial gradient from the add before boom's backward throws.
    const y = boom.add(h).sum();
    expect(() => y.backward()).toThrow('boom backward');
    expect(x.grad).toBe(null);
    fail = false;
    h.sum().backward(); // only through h: 3 each, with nothing left over from the failed run
    expect(x.grad!.toArray()).toEqual([3, 3]);
  });
});
