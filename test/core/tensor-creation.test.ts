import { describe, expect, it } from 'vitest';
import { Tensor, arange, eye, full, linspace, ones, onesLike, tensor, zeros, zerosLike } from '@xent/core';

describe('tensor()', () => {
  it('from a nested array: shape, dtype float64, data row-major', () => {
    const t = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(t).toBeInstanceOf(Tensor);
    expect(t.shape).toEqual([2, 3]);
    expect(t.dtype).toBe('float64');
    expect(t.data).toBeInstanceOf(Float64Array);
    expect(Array.from(t.data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect([t.size, t.ndim, t.requiresGrad, t.grad]).toEqual([6, 2, false, null]);
    expect(t.op).toBe('leaf');
  });

  it('from a number: a 0-d tensor', () => {
    const t = tensor(3.5);
    expect([t.shape, t.size, t.ndim, t.item()]).toEqual([[], 1, 0, 3.5]);
    expect(t.toArray()).toBe(3.5);
  });

  it('from typed arrays: Float32Array stays float32, others become float64', () => {
    const f = tensor(new Float32Array([1.5, 2]));
    expect([f.dtype, f.shape]).toEqual(['float32', [2]]);
    const i = tensor(new Int32Array([1, -2, 3]));
    expect([i.dtype, Array.from(i.data)]).toEqual(['float64', [1, -2, 3]]);
    const f64 = tensor(new Float32Array([0.1]), { dtype: 'float64' });
    expect(f64.dtype).toBe('float64');
    expect(f64.item()).toBe(Math.fround(0.1));
  });

  it('copies its input: changing the source array later does not change the tensor', () => {
    const src = new Float64Array([1, 2]);
    const t = tensor(src);
    src[0] = 99;
    expect(t.data[0]).toBe(1);
  });

  it('takes shape, dtype and requiresGrad options', () => {
    const t = tensor([1, 2, 3, 4, 5, 6], { shape: [3, 2], dtype: 'float32', requiresGrad: true });
    expect([t.shape, t.dtype, t.requiresGrad]).toEqual([[3, 2], 'float32', true]);
    expect(t.toArray()).toEqual([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    expect(tensor(new Float64Array(6), { shape: [2, 3] }).shape).toEqual([2, 3]);
  });

  it('float32 rounds the values', () => {
    const t = tensor([0.1, 1 / 3], { dtype: 'float32' });
    expect(Array.from(t.data)).toEqual([Math.fround(0.1), Math.fround(1 / 3)]);
  });

  it('empty arrays make empty tensors', () => {
    expect(tensor([]).shape).toEqual([0]);
    expect(tensor([[], []]).shape).toEqual([2, 0]);
    expect(tensor([[], []]).toArray()).toEqual([[], []]);
  });

  it('toArray rebuilds the nesting; item reads a one-element tensor of any rank', () => {
    const nested = [
      [
        [1, 2],
        [3, 4],
      ],
      [
        [5, 6],
        [7, 8],
      ],
    ];
    expect(tensor(nested).toArray()).toEqual(nested);
    expect(tensor([[7]]).item()).toBe(7);
  });

  it('shape is frozen', () => {
    const t = tensor([1, 2]);
    expect(Object.isFrozen(t.shape)).toBe(true);
  });
});

describe('filled tensors', () => {
  it('zeros, ones, full', () => {
    expect(zeros([2, 2]).toArray()).toEqual([
      [0, 0],
      [0, 0],
    ]);
    expect(ones([3]).toArray()).toEqual([1, 1, 1]);
    expect(full([2], 7.5).toArray()).toEqual([7.5, 7.5]);
    expect(zeros([]).shape).toEqual([]);
    expect(ones([2], { dtype: 'float32' }).dtype).toBe('float32');
    expect(full([1], 2, { requiresGrad: true }).requiresGrad).toBe(true);
  });

  it('zerosLike and onesLike keep shape and dtype', () => {
    const x = tensor([[1, 2, 3]], { dtype: 'float32' });
    const z = zerosLike(x),
      o = onesLike(x);
    expect([z.shape, z.dtype, Array.from(z.data)]).toEqual([[1, 3], 'float32', [0, 0, 0]]);
    expect([o.shape, o.dtype, Array.from(o.data)]).toEqual([[1, 3], 'float32', [1, 1, 1]]);
    expect(zerosLike(x, { dtype: 'float64' }).dtype).toBe('float64');
  });

  it('eye: square and rectangular identities', () => {
    expect(eye(3).toArray()).toEqual([
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ]);
    expect(eye(2, 3).toArray()).toEqual([
      [1, 0, 0],
      [0, 1, 0],
    ]);
    expect(eye(3, 2).toArray()).toEqual([
      [1, 0],
      [0, 1],
      [0, 0],
    ]);
  });
});

describe('ranges', () => {
  it('arange: one, two and three arguments, negative and fractional steps', () => {
    expect(arange(4).toArray()).toEqual([0, 1, 2, 3]);
    expect(arange(2, 5).toArray()).toEqual([2, 3, 4]);
    expect(arange(0, 10, 3).toArray()).toEqual([0, 3, 6, 9]);
    expect(arange(5, 0, -2).toArray()).toEqual([5, 3, 1]);
    expect(arange(0, 1, 0.25).toArray()).toEqual([0, 0.25, 0.5, 0.75]);
    expect(arange(3, 3).shape).toEqual([0]);
    expect(arange(3, undefined, 1, { dtype: 'float32' }).dtype).toBe('float32');
  });

  it('linspace: includes both ends', () => {
    expect(linspace(0, 1, 5).toArray()).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(linspace(-1, 1, 3).toArray()).toEqual([-1, 0, 1]);
    expect(linspace(2, 3, 1).toArray()).toEqual([2]);
    expect(linspace(0, 1, 0).shape).toEqual([0]);
    const l = linspace(0, 0.3, 4);
    expect(l.data[3]).toBe(0.3); // the end is exact, not 3 × 0.1
  });
});

describe('dtypes', () => {
  it('float32 with float64 promotes to float64; with a number stays float32', () => {
    const a = tensor([1, 2], { dtype: 'float32' });
    const b = tensor([0.5, 0.25]);
    expect(a.add(b).dtype).toBe('float64');
    expect(b.mul(a).dtype).toBe('float64');
    expect(a.mul(2).dtype).toBe('float32');
    expect(a.add(a).dtype).toBe('float32');
    expect(a.matmul(b).dtype).toBe('float64');
  });

  it('a float32 input mixed with float64 gets a float32 gradient', () => {
    const a = tensor([1, 2], { dtype: 'float32', requiresGrad: true });
    const b = tensor([0.5, 0.25], { requiresGrad: true });
    a.mul(b).sum().backward();
    expect(a.grad!.dtype).toBe('float32');
    expect(b.grad!.dtype).toBe('float64');
    expect(Array.from(a.grad!.data)).toEqual([0.5, 0.25]);
    expect(Array.from(b.grad!.data)).toEqual([1, 2]);
  });

  it('to() converts, differentiably, and clone() copies storage', () => {
    const x = tensor([1.5, 2.5], { requiresGrad: true });
    const y = x.to('float32');
    expect(y.dtype).toBe('float32');
    expect(x.to('float64')).toBe(x);
    y.mul(2).sum().backward();
    expect(x.grad!.dtype).toBe('float64');
    expect(x.grad!.toArray()).toEqual([2, 2]);
    const c = x.clone();
    expect(c.data).not.toBe(x.data);
    expect(c.toArray()).toEqual([1.5, 2.5]);
  });
});

describe('float32 end to end', () => {
  const x64 = tensor([
    [0.3, -1.2, 2.5],
    [1.7, 0.05, -0.4],
  ]);
  const x32 = x64.to('float32');
  const ops: [string, (t: Tensor) => Tensor][] = [
    ['exp', (t) => t.exp()],
    ['tanh', (t) => t.tanh()],
    ['sigmoid', (t) => t.sigmoid()],
    ['relu', (t) => t.relu()],
    ['abs', (t) => t.abs()],
    ['sign', (t) => t.sign()],
    ['pow', (t) => t.pow(3)],
    ['sqrt∘abs', (t) => t.abs().sqrt()],
    ['clamp', (t) => t.clamp(-1, 1)],
    ['maximum', (t) => t.maximum(0.1)],
    ['where', (t) => t.where(t.gt(0), 0)],
    ['sum', (t) => t.sum(1)],
    ['mean', (t) => t.mean(0, true)],
    ['max', (t) => t.max(1)],
    ['var', (t) => t.var(1)],
    ['logsumexp', (t) => t.logsumexp(1)],
    ['matmul', (t) => t.matmul(t.t())],
    ['permute', (t) => t.permute(1, 0)],
    ['slice', (t) => t.slice(1, 0, 2)],
    ['gather', (t) => t.gather(1, [[0], [2]])],
    ['cat', (t) => t.cat([t], 1)],
  ];
  for (const [name, f] of ops) {
    it(`${name}: float32 in, float32 out and gradient, values within float32 rounding`, () => {
      const a = x32.detach().requiresGrad_();
      const y = f(a);
      expect(y.dtype).toBe('float32');
      const y64 = f(x64);
      Array.from(y.data).forEach((v, i) =>
        expect(Math.abs(v - y64.data[i]!)).toBeLessThanOrEqual(1e-6 * (1 + Math.abs(y64.data[i]!))),
      );
      if (y.requiresGrad) {
        y.sum().backward();
        expect(a.grad!.dtype).toBe('float32');
      }
    });
  }

  it('argmax stays float64 (indices), comparisons follow the inputs', () => {
    expect(x32.argmax(1).dtype).toBe('float64');
    expect(x32.gt(0).dtype).toBe('float32');
  });
});
