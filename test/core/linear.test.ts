import { afterEach, describe, expect, it } from 'vitest';
import { type Tensor, add, grad, gradcheck, gradients, linear, matmul, mm, noGrad, reshape, tensor } from '@xent/core';
import { referenceKernels, setKernels } from '@xent/core/extend';
import { expectClose, rn } from './helpers.js';

/** y = x·Wᵀ + b by hand on nested arrays: the independent reference. */
function naive(x: number[][], w: number[][], b: number[] | null): number[][] {
  return x.map((row) => w.map((wr, j) => row.reduce((s, v, p) => s + v * wr[p]!, 0) + (b ? b[j]! : 0)));
}

/** The same map composed from primitives, as PyTorch writes F.linear's reference. */
const composed = (x: Tensor, w: Tensor, b?: Tensor | null): Tensor => (b ? matmul(x, w.t()).add(b) : matmul(x, w.t()));

const bits = (t: Tensor): number[] => Array.from(t.data);

describe('linear: values', () => {
  it('a hand-worked 2×3 · (2×3)ᵀ + b', () => {
    const x = tensor([
        [1, 2, 3],
        [4, 5, 6],
      ]),
      w = tensor([
        [1, 0, -1],
        [2, 1, 0],
      ]),
      b = tensor([10, 20]);
    // row 1: 1−3+10 = 8, 2+2+20 = 24; row 2: 4−6+10 = 8, 8+5+20 = 33
    expect(linear(x, w, b).toArray()).toEqual([
      [8, 24],
      [8, 33],
    ]);
    expect(linear(x, w).toArray()).toEqual([
      [-2, 4],
      [-2, 13],
    ]);
  });

  it('equals the naive triple loop', () => {
    const x = rn([7, 5], 1),
      w = rn([3, 5], 2),
      b = rn([3], 3);
    expectClose(
      linear(x, w, b),
      naive(x.toArray() as number[][], w.toArray() as number[][], b.toArray() as number[]),
      1e-14,
    );
  });

  it('is bit for bit matmul(x, W.t()).add(b) and mm(x, W, false, true).add(b), float64 and float32', () => {
    for (const dtype of ['float64', 'float32'] as const) {
      const x = rn([9, 13], 4).to(dtype),
        w = rn([6, 13], 5).to(dtype),
        b = rn([6], 6).to(dtype);
      const y = linear(x, w, b);
      expect(y.dtype).toBe(dtype);
      expect(bits(y)).toEqual(bits(composed(x, w, b)));
      expect(bits(y)).toEqual(bits(add(mm(x, w, false, true), b)));
      expect(bits(linear(x, w))).toEqual(bits(composed(x, w)));
    }
  });

  it('a 1-D x gives a 1-D result', () => {
    const x = rn([4], 7),
      w = rn([3, 4], 8),
      b = rn([3], 9);
    const y = linear(x, w, b);
    expect(y.shape).toEqual([3]);
    expect(bits(y)).toEqual(bits(composed(x, w, b)));
  });

  it('a batched [B, T, in] x gives [B, T, out], row by row the 2-D map', () => {
    const x = rn([2, 3, 4], 10),
      w = rn([5, 4], 11),
      b = rn([5], 12);
    const y = linear(x, w, b);
    expect(y.shape).toEqual([2, 3, 5]);
    expect(bits(y)).toEqual(bits(composed(x, w, b)));
    expect(bits(y)).toEqual(bits(linear(reshape(x, [6, 4]), w, b)));
  });

  it('mixed dtypes promote as the composed form does, bit for bit', () => {
    const f32 = (t: Tensor): Tensor => t.to('float32');
    const x = rn([4, 3], 13),
      w = rn([2, 3], 14),
      b = rn([2], 15);
    for (const [xx, ww, bb, want] of [
      [f32(x), w, b, 'float64'],
      [x, f32(w), f32(b), 'float64'],
      [f32(x), f32(w), b, 'float64'],
      [f32(x), f32(w), f32(b), 'float32'],
    ] as const) {
      const y = linear(xx, ww, bb);
      expect(y.dtype).toBe(want);
      expect(bits(y)).toEqual(bits(composed(xx, ww, bb)));
    }
  });

  it('an empty batch and zero in-features', () => {
    expect(linear(rn([0, 3], 16), rn([2, 3], 17), rn([2], 18)).shape).toEqual([0, 2]);
    expect(
      linear(tensor([[], []]).reshape([2, 0]), tensor([[], [], []]).reshape([3, 0]), tensor([1, 2, 3])).toArray(),
    ).toEqual([
      [1, 2, 3],
      [1, 2, 3],
    ]);
  });

  describe('with the reference kernels (the bias added in place there too)', () => {
    let prev: ReturnType<typeof setKernels> | null = null;
    afterEach(() => {
      if (prev) setKernels(prev);
      prev = null;
    });
    it('same values as the composed form', () => {
      prev = setKernels(referenceKernels);
      const x = rn([2, 3, 4], 19),
        w = rn([5, 4], 20),
        b = rn([5], 21);
      expect(bits(linear(x, w, b))).toEqual(bits(composed(x, w, b)));
      expectClose(
        linear(reshape(x, [6, 4]), w, b),
        naive(reshape(x, [6, 4]).toArray() as number[][], w.toArray() as number[][], b.toArray() as number[]),
        1e-14,
      );
    });
  });
});

describe('linear: gradients', () => {
  it('one recorded op; dx = G·W, dW = Gᵀ·x, db = Σ G, bit for bit the composed form', () => {
    const x = rn([2, 3, 4], 22),
      w = rn([5, 4], 23),
      b = rn([5], 24),
      g = rn([2, 3, 5], 25);
    const x1 = x.detach().requiresGrad_(),
      w1 = w.detach().requiresGrad_(),
      b1 = b.detach().requiresGrad_();
    const y = linear(x1, w1, b1);
    expect(y.op).toBe('linear');
    y.backward(g);
    const [dx, dw, db] = gradsOfComposed(x, w, b, g);
    expect(bits(x1.grad!)).toEqual(bits(dx!));
    expect(bits(w1.grad!)).toEqual(bits(dw!));
    expect(bits(b1.grad!)).toEqual(bits(db!));
    // and the formulas by hand
    const G = reshape(g, [6, 5]).toArray() as number[][],
      X = reshape(x, [6, 4]).toArray() as number[][],
      W = w.toArray() as number[][];
    expectClose(
      reshape(x1.grad!, [6, 4]),
      G.map((r) => W[0]!.map((_, p) => r.reduce((s, v, j) => s + v * W[j]![p]!, 0))),
      1e-14,
    );
    expectClose(
      w1.grad!,
      W.map((_, j) => W[0]!.map((_, p) => G.reduce((s, r, i) => s + r[j]! * X[i]![p]!, 0))),
      1e-14,
    );
    expectClose(
      b1.grad!,
      W.map((_, j) => G.reduce((s, r) => s + r[j]!, 0)),
      1e-14,
    );
  });

  it('gradcheck: 2-D, batched, 1-D x, no bias', () => {
    expect(gradcheck(linear, [rn([3, 4], 26), rn([2, 4], 27), rn([2], 28)])).toBe(true);
    expect(gradcheck(linear, [rn([2, 3, 4], 29), rn([5, 4], 30), rn([5], 31)])).toBe(true);
    expect(gradcheck(linear, [rn([4], 32), rn([3, 4], 33), rn([3], 34)])).toBe(true);
    expect(gradcheck((x, w) => linear(x, w), [rn([3, 4], 35), rn([2, 4], 36)])).toBe(true);
  });

  it('second order: gradcheck of grad(f) for each argument', () => {
    const f = (x: Tensor, w: Tensor, b: Tensor): Tensor => linear(x, w, b).tanh().square().sum();
    for (const argnums of [0, 1, 2]) {
      const g = grad(f, { argnums }) as (...a: Tensor[]) => Tensor;
      expect(gradcheck(g, [rn([2, 3, 4], 37), rn([3, 4], 38), rn([3], 39)])).toBe(true);
    }
  });

  it('createGraph: the gradient is differentiable and matches the composed form', () => {
    const mk = (): Tensor[] => [rn([3, 4], 40), rn([2, 4], 41), rn([2], 42)].map((t) => t.requiresGrad_());
    const [x, w, b] = mk() as [Tensor, Tensor, Tensor];
    const [dw] = gradients(linear(x, w, b).tanh().sum(), [w], { createGraph: true });
    expect(dw!.requiresGrad).toBe(true);
    const [ddx] = gradients(dw!.square().sum(), [x]);
    const [x2, w2, b2] = mk() as [Tensor, Tensor, Tensor];
    const [dw2] = gradients(composed(x2, w2, b2).tanh().sum(), [w2], { createGraph: true });
    const [ddx2] = gradients(dw2!.square().sum(), [x2]);
    expectClose(dw!, dw2!.toArray(), 1e-14);
    expectClose(ddx!, ddx2!.toArray(), 1e-13);
  });

  it('inputs without requiresGrad get no gradient and cost no product', () => {
    const x = rn([3, 4], 43),
      w = rn([2, 4], 44).requiresGrad_(),
      b = rn([2], 45);
    const y = linear(x, w, b);
    expect(y._node!.vjp(rn([3, 2], 46)).map((t) => t === null)).toEqual([true, false, true]);
    y.sum().backward();
    expect(x.grad).toBe(null);
    expect(b.grad).toBe(null);
    expectClose(
      w.grad!,
      mm(
        tensor([
          [1, 1, 1],
          [1, 1, 1],
        ]),
        x,
      ).toArray(),
      1e-14,
    );
    expect(noGrad(() => linear(x, w, b)).requiresGrad).toBe(false);
    expect(linear(x, w.detach(), b).requiresGrad).toBe(false);
  });

  it("mixed dtypes: each gradient in its input's dtype", () => {
    const x = rn([3, 4], 47).to('float32').requiresGrad_(),
      w = rn([2, 4], 48).requiresGrad_(),
      b = rn([2], 49).to('float32').requiresGrad_();
    linear(x, w, b).sum().backward();
    expect([x.grad!.dtype, w.grad!.dtype, b.grad!.dtype]).toEqual(['float32', 'float64', 'float32']);
    expectClose(b.grad!, [3, 3], 0);
  });
});

/** ∂⟨g, x·Wᵀ + b⟩ through mm and add (the composed form's backward). */
function gradsOfComposed(x: Tensor, w: Tensor, b: Tensor, g: Tensor): Tensor[] {
  const [x0, w0, b0] = [x.detach().requiresGrad_(), w.detach().requiresGrad_(), b.detach().requiresGrad_()];
  const y = reshape(add(mm(reshape(x0, [-1, x.shape[x.ndim - 1]!]), w0, false, true), b0), g.shape);
  return gradients(y, [x0, w0, b0], { gradOutput: g });
}

describe('linear: errors name the op, the argument and both shapes', () => {
  const x = rn([3, 4], 50),
    w = rn([2, 4], 51),
    b = rn([2], 52);
  it("x's last dim vs weight's in features", () => {
    expect(() => linear(rn([3, 5], 53), w, b)).toThrow(
      /linear: the last dim of x \(shape \[3, 5\]\) must equal weight's in features 4 \(weight has shape \[2, 4\]\)/,
    );
    expect(() => linear(tensor(1), w, b)).toThrow(/linear: the last dim of x \(shape \[\]\)/);
  });
  it('bias length vs out features', () => {
    expect(() => linear(x, w, rn([3], 54))).toThrow(
      /linear: bias must be 1-D with weight's 2 out features, got shape \[3\] \(weight has shape \[2, 4\]\)/,
    );
    expect(() => linear(x, w, rn([1, 2], 55))).toThrow(/linear: bias .* got shape \[1, 2\]/);
  });
  it('a weight that is not 2-D', () => {
    expect(() => linear(x, rn([4], 56), b)).toThrow(
      /linear: weight must be 2-D \[out, in\], got shape \[4\] \(x has shape \[3, 4\]\)/,
    );
    expect(() => linear(x, rn([1, 2, 4], 57), b)).toThrow(/linear: weight must be 2-D/);
  });
  it('non-tensors', () => {
    expect(() => linear([[1]] as unknown as Tensor, w)).toThrow(/linear: x must be a Tensor, got an array/);
    expect(() => linear(x, 3 as unknown as Tensor)).toThrow(/linear: weight must be a Tensor, got number 3/);
    expect(() => linear(x, w, [1, 2] as unknown as Tensor)).toThrow(
      /linear: bias must be a Tensor or null, got an array/,
    );
  });
});
