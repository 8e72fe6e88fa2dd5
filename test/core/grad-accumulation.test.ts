import { describe, expect, it } from 'vitest';
import {
  Generator,
  type Tensor,
  crossEntropy,
  grad,
  gradcheck,
  le,
  leakyRelu,
  mul,
  noGrad,
  randn,
  relu,
  tensor,
  where,
  zeros,
} from '@xent/core';
import { freshGrad } from '../../packages/core/src/grad-delivery.js';

// How backward stores gradients: without createGraph an existing .grad that backward allocated is
// added into in place (as PyTorch's AccumulateGrad), so a .grad kept across backward calls changes;
// with createGraph, or into a .grad the user assigned, the sum is a new tensor. And the fused
// relu/leakyRelu backward against the composed form it replaces.

const f = (x: Tensor): Tensor => x.mul(x).sum(); // ∂/∂x = 2x

describe('gradient accumulation', () => {
  it.each(['float32', 'float64'] as const)('two backward calls add into the same %s buffer', (dtype) => {
    const x = tensor([1, -2, 3], { dtype, requiresGrad: true });
    f(x).backward();
    const first = x.grad!;
    expect(Array.from(first.data)).toEqual([2, -4, 6]);
    f(x).backward();
    expect(x.grad).toBe(first); // same tensor, same storage
    expect(Array.from(x.grad!.data)).toEqual([4, -8, 12]);
    expect(x.grad!.dtype).toBe(dtype);
  });

  it('a .grad kept across a second backward is mutated in place, as PyTorch; a clone is not', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    f(x).backward();
    const kept = x.grad!,
      copy = x.grad!.clone();
    const storage = kept.data;
    x.mul(3).sum().backward();
    expect(Array.from(kept.data)).toEqual([5, 7]);
    expect(kept.data).toBe(storage);
    expect(Array.from(copy.data)).toEqual([2, 4]);
  });

  // A gradient a backward allocated for one receiver (here cross-entropy's fused backward) becomes that
  // leaf's .grad without a copy, as PyTorch's AccumulateGrad takes an unreferenced gradient; never twice.
  describe('a fresh gradient is taken, not copied, by the one .grad that receives it', () => {
    const t = tensor([2, 0]);
    const logits = () =>
      tensor(
        [
          [0.5, -1, 2],
          [1, 1, -3],
        ],
        { requiresGrad: true },
      );
    // (q − onehot) / 2 per row, worked out by hand from q = softmax(row)
    const expected = (z: Tensor): number[] => {
      const out: number[] = [];
      for (const [r, y] of [
        [0, 2],
        [1, 0],
      ] as const) {
        const row = Array.from(z.data.subarray(r * 3, r * 3 + 3));
        const e = row.map(Math.exp),
          s = e[0]! + e[1]! + e[2]!;
        e.forEach((v, k) => out.push((v / s - (k === y ? 1 : 0)) / 2));
      }
      return out;
    };

    it('the right values, and a second backward adds into the same buffer', () => {
      const z = logits();
      crossEntropy(z, t).backward();
      const first = z.grad!;
      first.data.forEach((v, i) => expect(v).toBeCloseTo(expected(z)[i]!, 14));
      crossEntropy(z, t).backward();
      expect(z.grad).toBe(first);
      first.data.forEach((v, i) => expect(v).toBeCloseTo(2 * expected(z)[i]!, 14));
    });

    it('two leaves reached by the same fresh gradient: one takes it, the other gets its own copy', () => {
      const a = logits(),
        b = zeros([2, 3], { requiresGrad: true });
      crossEntropy(a.add(b), t).backward(); // add's backward hands the same gradient to both
      expect(a.grad!.data.buffer).not.toBe(b.grad!.data.buffer);
      expect(Array.from(b.grad!.data)).toEqual(Array.from(a.grad!.data));
      const before = Array.from(b.grad!.data);
      a.grad!.data.fill(7); // an optimizer writing a's gradient in place leaves b's alone
      expect(Array.from(b.grad!.data)).toEqual(before);
    });

    it("a retained intermediate and a leaf behind it don't share a buffer", () => {
      const z = logits();
      const y = z.mul(1).retainGrad();
      const w = y.add(zeros([2, 3]));
      crossEntropy(w, t).backward();
      expect(y.grad!.data.buffer).not.toBe(z.grad!.data.buffer);
      expect(Array.from(z.grad!.data)).toEqual(Array.from(y.grad!.data));
    });

    it('a gradient the caller passes to backward is never taken, even one a backward allocated', () => {
      const g = noGrad(() =>
        freshGrad(
          tensor([
            [1, 2, 3],
            [4, 5, 6],
          ]),
        ),
      ); // as one that reached the caller
      const x = zeros([2, 3], { requiresGrad: true });
      x.add(0).backward(g); // add hands the seed itself to x
      expect(x.grad!.data.buffer).not.toBe(g.data.buffer);
      expect(Array.from(x.grad!.data)).toEqual(Array.from(g.data));
    });
  });

  it('one gradient reaching two leaves gives each a buffer of its own', () => {
    const x = tensor([1, 2], { requiresGrad: true }),
      y = tensor([3, 4], { requiresGrad: true });
    x.add(y).sum().backward();
    expect(x.grad).not.toBe(y.grad);
    x.mul(2).sum().backward();
    expect(Array.from(x.grad!.data)).toEqual([3, 3]);
    expect(Array.from(y.grad!.data)).toEqual([1, 1]);
  });

  it('createGraph: the sum is a new, differentiable tensor; the previous .grad is left alone', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    x.pow(3).sum().backward(undefined, { createGraph: true });
    const first = x.grad!;
    expect(first.requiresGrad).toBe(true);
    expect(Array.from(first.data)).toEqual([3, 12]); // 3x²
    x.pow(3).sum().backward(undefined, { createGraph: true });
    expect(x.grad).not.toBe(first);
    expect(Array.from(first.data)).toEqual([3, 12]);
    expect(Array.from(x.grad!.data)).toEqual([6, 24]);
    // Still differentiable: d/dx Σ 2·3x² = 12x.
    const x2 = x.grad!;
    x.grad = null;
    x2.sum().backward();
    expect(Array.from(x.grad!.data)).toEqual([12, 24]);
  });

  it('a .grad left by createGraph (a graph tensor, shared by two leaves) is never added into in place', () => {
    const x = tensor([1, 2], { requiresGrad: true }),
      y = tensor([3, 4], { requiresGrad: true });
    const seed = tensor([1, 1]);
    x.add(y).backward(seed, { createGraph: true });
    const gx = x.grad!,
      gy = y.grad!;
    x.add(y).backward(seed);
    expect(Array.from(seed.data)).toEqual([1, 1]);
    expect(Array.from(gx.data)).toEqual([1, 1]);
    expect(Array.from(gy.data)).toEqual([1, 1]);
    expect(Array.from(x.grad!.data)).toEqual([2, 2]);
    expect(Array.from(y.grad!.data)).toEqual([2, 2]);
  });

  it('a .grad the user assigned is added to out of place (and one of another dtype is cast as before)', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const mine = tensor([10, 20]);
    x.grad = mine;
    f(x).backward();
    expect(Array.from(mine.data)).toEqual([10, 20]);
    expect(Array.from(x.grad!.data)).toEqual([12, 24]);
    const y = tensor([1, 2], { requiresGrad: true });
    y.grad = tensor([0.5, 0.5], { dtype: 'float32' });
    f(y).backward();
    expect(Array.from(y.grad!.data)).toEqual([2.5, 4.5]);
  });

  it('retainGrad on a non-leaf accumulates in place too', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const h = x.mul(2).retainGrad();
    h.sum().backward(undefined);
    const g = h.grad!;
    h.mul(3).sum().backward();
    expect(h.grad).toBe(g);
    expect(Array.from(g.data)).toEqual([4, 4]);
  });
});

describe('Tensor.zeroGrad', () => {
  it('sets .grad to null by default (PyTorch 2 set_to_none)', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    f(x).backward();
    x.zeroGrad();
    expect(x.grad).toBeNull();
    x.zeroGrad({ setToNone: true });
    expect(x.grad).toBeNull();
  });

  it('{ setToNone: false } keeps the same buffer, zeroed, and the next backward reuses it', () => {
    const x = tensor([1, 2], { requiresGrad: true, dtype: 'float32' });
    f(x).backward();
    const g = x.grad!,
      storage = g.data;
    x.zeroGrad({ setToNone: false });
    expect(x.grad).toBe(g);
    expect(Array.from(g.data)).toEqual([0, 0]);
    x.mul(5).sum().backward();
    expect(x.grad).toBe(g);
    expect(g.data).toBe(storage);
    expect(Array.from(g.data)).toEqual([5, 5]);
  });

  it('{ setToNone: false } leaves a null .grad null and never zeroes a tensor it did not allocate', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    x.zeroGrad({ setToNone: false });
    expect(x.grad).toBeNull();
    const mine = tensor([3, 4]);
    x.grad = mine;
    x.zeroGrad({ setToNone: false });
    expect(Array.from(mine.data)).toEqual([3, 4]);
    expect(x.grad).not.toBe(mine);
    expect(Array.from(x.grad!.data)).toEqual([0, 0]);
    const zeros = x.grad!;
    f(x).backward(); // the zero buffer it made is reused
    expect(x.grad).toBe(zeros);
    expect(Array.from(zeros.data)).toEqual([2, 4]);
  });
});

describe('fused relu / leakyRelu backward', () => {
  const gen = new Generator(3);
  const specials = [NaN, 0, -0, Infinity, -Infinity, -1, 2, 1e-300];

  it.each(['float32', 'float64'] as const)(
    'relu: the gradient equals the composed where(relu(x) ≤ 0, 0, g) (%s)',
    (dtype) => {
      const x = tensor([...specials, ...Array.from({ length: 40 }, () => gen.normal())], { dtype, requiresGrad: true });
      const g = tensor(
        [...specials.map((_, i) => [3, -0, Infinity, NaN][i % 4]!), ...Array.from({ length: 40 }, () => gen.normal())],
        { dtype },
      );
      const y = relu(x);
      y.backward(g);
      const composed = where(le(y.detach(), 0), 0, g);
      expect(x.grad!.dtype).toBe(dtype);
      const a = Array.from(x.grad!.data),
        b = Array.from(composed.data);
      for (let i = 0; i < a.length; i++) expect(Object.is(a[i], b[i])).toBe(true);
      expect(a[0]).toBe(3); // x = NaN: g passes, as PyTorch
      expect(Object.is(a[1], 0) && Object.is(a[2], 0)).toBe(true); // x = ±0: +0
    },
  );

  it.each(['float32', 'float64'] as const)('leakyRelu: the gradient equals g × [x > 0 ? 1 : slope] (%s)', (dtype) => {
    const x = tensor([...specials, ...Array.from({ length: 40 }, () => gen.normal())], { dtype, requiresGrad: true });
    const g = tensor(
      Array.from({ length: x.size }, () => gen.normal()),
      { dtype },
    );
    leakyRelu(x, 0.2).backward(g);
    const m = tensor(
      Array.from(x.data, (v) => (v > 0 ? 1 : 0.2)),
      { dtype },
    );
    const composed = mul(g, m);
    const a = Array.from(x.grad!.data),
      b = Array.from(composed.data);
    for (let i = 0; i < a.length; i++) expect(Object.is(a[i], b[i])).toBe(true);
  });

  it('relu double backward: gradcheck of grad(f) (the createGraph path keeps the composed form)', () => {
    const x0 = randn([6], { generator: gen });
    const x = tensor(Array.from(x0.data, (v) => (Math.abs(v) < 0.1 ? v + 0.5 : v))); // away from the kink
    const fr = (t: Tensor): Tensor => relu(t).pow(3).sum(); // ∂ = 3·relu(t)²·[t > 0]
    const g = grad(fr) as (t: Tensor) => Tensor;
    expect(gradcheck((t) => g(t), [x.detach().requiresGrad_(true)])).toBe(true);
    const h = grad((t: Tensor) => leakyRelu(t, 0.3).pow(3).sum()) as (t: Tensor) => Tensor;
    expect(gradcheck((t) => h(t), [x.detach().requiresGrad_(true)])).toBe(true);
    // And the value of the second derivative, by hand: 6·relu(x)·[x > 0].
    const xt = x.detach().requiresGrad_(true);
    g(xt).sum().backward();
    expect(Array.from(xt.grad!.data)).toEqual(Array.from(x.data, (v) => (v > 0 ? 6 * v : 0)));
  });
});
