import { afterEach, describe, expect, it } from 'vitest';
import {
  type CrossEntropyOptions,
  type DType,
  Generator,
  type Tensor,
  crossEntropy,
  linear,
  logSoftmax,
  matmul,
  mm,
  relu,
  softmax,
  sum,
  tensor,
  where,
} from '@xent/core';
import { fastKernels, kernels, referenceKernels, setKernels } from '@xent/core/extend';

// The fast kernels against the reference kernels through the ops that call them: the same forward
// and backward run once with the default (fast) set and once with setKernels(referenceKernels), and
// the values and every gradient must agree to rounding. The kernel-level tests (fast-*.test.ts)
// check the kernels' contracts one by one; these check the option combinations and shape classes
// the ops feed them (class weights with smoothing and ignored targets, probability targets, classes
// on dim 1 with trailing dims, batched and broadcast products and their transposed backward).

const gen = new Generator(31);
const rnd = (shape: number[], dtype: DType, scale = 2): Tensor => {
  const n = shape.reduce((p, d) => p * d, 1);
  return tensor(
    Array.from({ length: n }, () => scale * gen.normal()),
    { dtype },
  ).reshape(shape);
};
const leaf = (t: Tensor): Tensor => {
  const c = t.detach().clone();
  c.requiresGrad = true;
  return c;
};
const tolOf = (dtype: DType): number => (dtype === 'float32' ? 3e-5 : 1e-12);

/**
 * Runs `f` on fresh leaf copies of `inputs` with the given kernel set; returns the output and every input's gradient.
 */
function run(
  set: 'fast' | 'reference',
  inputs: Tensor[],
  f: (...xs: Tensor[]) => Tensor,
): { out: number[]; grads: number[][] } {
  const prev = setKernels(set === 'fast' ? fastKernels : referenceKernels);
  try {
    const xs = inputs.map(leaf);
    const out = f(...xs);
    // A fixed, non-uniform upstream gradient, so that every output position matters.
    const w = tensor(
      Array.from({ length: out.size }, (_, i) => 1 + ((i * 7) % 5) / 4),
      { dtype: out.dtype },
    ).reshape(out.shape);
    sum(out.mul(w)).backward();
    return { out: Array.from(out.data), grads: xs.map((x) => Array.from(x.grad!.data)) };
  } finally {
    setKernels(prev);
  }
}

function agree(what: string, dtype: DType, inputs: Tensor[], f: (...xs: Tensor[]) => Tensor): void {
  const a = run('fast', inputs, f),
    b = run('reference', inputs, f);
  const tol = tolOf(dtype);
  const cmp = (x: number[], y: number[], part: string): void => {
    expect(x.length, `${what}: ${part} length`).toBe(y.length);
    for (let i = 0; i < y.length; i++) {
      const ok = Object.is(x[i], y[i]) || Math.abs(x[i]! - y[i]!) <= tol * Math.max(1, Math.abs(y[i]!));
      if (!ok) throw new Error(`${what}: ${part} at ${i}: fast ${x[i]} ≠ reference ${y[i]}`);
    }
  };
  cmp(a.out, b.out, 'value');
  a.grads.forEach((g, i) => cmp(g, b.grads[i]!, `gradient of input ${i}`));
}

afterEach(() => {
  setKernels(fastKernels);
});

describe('crossEntropy: fast kernels agree with the reference through the op', () => {
  const idx = (n: number, c: number): number[] => Array.from({ length: n }, () => gen.int(0, c));
  const probsOf = (shape: number[], classDim: number, dtype: DType): Tensor =>
    softmax(rnd(shape, dtype), classDim).detach();
  for (const dtype of ['float64', 'float32'] as DType[]) {
    // [N, C] layouts the fast path takes (odd, one row, one class, wide) and [N, C, d] (classes on dim 1, inner > 1).
    const layouts: [string, number[]][] = [
      ['odd [13, 7]', [13, 7]],
      ['one row [1, 9]', [1, 9]],
      ['one class [6, 1]', [6, 1]],
      ['wide [5, 300]', [5, 300]],
      ['inner > 1 [3, 5, 4]', [3, 5, 4]],
      ['1-D [7]', [7]],
    ];
    const optionSets: [string, (c: number) => CrossEntropyOptions][] = [
      ['plain', () => ({})],
      ['weights', (c) => ({ weight: Array.from({ length: c }, (_, k) => 0.25 + (k % 4)) })],
      ['smoothing', () => ({ labelSmoothing: 0.15 })],
      [
        'weights + smoothing',
        (c) => ({ weight: Array.from({ length: c }, (_, k) => 0.5 + (k % 3)), labelSmoothing: 0.2 }),
      ],
      ['sum', () => ({ reduction: 'sum' })],
      ['none', () => ({ reduction: 'none' })],
    ];
    for (const [lname, shape] of layouts) {
      const c = shape.length === 1 ? shape[0]! : shape[1]!;
      const posShape = shape.length === 1 ? [] : [shape[0]!, ...shape.slice(2)];
      const npos = posShape.reduce((p, d) => p * d, 1);
      for (const [oname, opts] of optionSets) {
        it(`${dtype} ${lname}, class indices, ${oname}`, () => {
          const x = rnd(shape, dtype, 3);
          const y = shape.length === 1 ? gen.int(0, c) : tensor(idx(npos, c)).reshape(posShape);
          agree(`${lname} ${oname}`, dtype, [x], (z) => crossEntropy(z, y, opts(c)));
        });
        {
          it(`${dtype} ${lname}, probabilities, ${oname}`, () => {
            const x = rnd(shape, dtype, 3),
              t = probsOf(shape, shape.length === 1 ? 0 : 1, dtype);
            agree(`${lname} probs ${oname}`, dtype, [x, t], (z, tt) => crossEntropy(z, tt!, opts(c)));
          });
        }
      }
      if (shape.length > 1 && npos > 1) {
        it(`${dtype} ${lname}, ignoreIndex (a class id and the default −100), alone and with weights and smoothing`, () => {
          const x = rnd(shape, dtype, 3);
          const ys = idx(npos, c);
          ys[0] = -100;
          if (npos > 2) ys[npos - 1] = -100;
          const y = tensor(ys).reshape(posShape);
          agree(`${lname} ignore −100`, dtype, [x], (z) => crossEntropy(z, y));
          const ys2 = idx(npos, c);
          ys2[1] = c; // a class id out of [0, C) that is the ignoreIndex
          const y2 = tensor(ys2).reshape(posShape);
          agree(`${lname} ignore C`, dtype, [x], (z) => crossEntropy(z, y2, { ignoreIndex: c }));
          agree(`${lname} ignore + weights + smoothing`, dtype, [x], (z) =>
            crossEntropy(z, y, {
              weight: Array.from({ length: c }, (_, k) => 1 + k),
              labelSmoothing: 0.1,
              reduction: 'mean',
            }),
          );
        });
      }
    }
    it(`${dtype} a masked class (−∞ logit, not the target) costs nothing and gets a zero gradient`, () => {
      const x = rnd([4, 5], dtype, 2);
      const masked = tensor(
        [
          [0, 0, 1, 0, 0],
          [0, 0, 1, 0, 0],
          [0, 0, 0, 0, 1],
          [0, 0, 0, 0, 0],
        ],
        { dtype },
      );
      const y = tensor([0, 1, 3, 2]);
      const f = (z: Tensor): Tensor => crossEntropy(where(masked, -Infinity, z), y);
      agree('masked', dtype, [x], f);
      const g = run('fast', [x], f).grads[0]!;
      expect([g[2], g[7], g[14]]).toEqual([0, 0, 0]);
      expect(g.every(Number.isFinite)).toBe(true);
    });
  }
});

describe('softmax and logSoftmax: fast kernels agree with the reference through the op', () => {
  for (const dtype of ['float64', 'float32'] as DType[]) {
    // Batched [2, 3, 5] along each dim (the last: inner 1, the fast path; the others: inner > 1), a row, a column.
    const cases: [string, number[], number][] = [
      ['batched, last dim', [2, 3, 5], -1],
      ['batched, middle dim', [2, 3, 5], 1],
      ['batched, first dim', [2, 3, 5], 0],
      ['one row', [1, 11], -1],
      ['one column', [11, 1], -1],
      ['one column along dim 0', [11, 1], 0],
      ['odd', [13, 7], 1],
    ];
    for (const [name, shape, dim] of cases) {
      it(`${dtype} ${name} ${JSON.stringify(shape)} dim ${dim}`, () => {
        const x = rnd(shape, dtype, 4);
        agree(`softmax ${name}`, dtype, [x], (z) => softmax(z, dim));
        agree(`logSoftmax ${name}`, dtype, [x], (z) => logSoftmax(z, dim));
      });
    }
  }
});

describe('matrix products and their transposed backward: fast kernels agree with the reference through the op', () => {
  for (const dtype of ['float64', 'float32'] as DType[]) {
    const cases: [string, number[], number[]][] = [
      ['odd', [7, 5], [5, 3]],
      ['one row', [1, 37], [37, 29]],
      ['one column', [29, 37], [37, 1]],
      ['inner 1', [13, 1], [1, 11]],
      ['past the blocks', [101, 260], [260, 9]],
      ['batched', [3, 6, 10], [3, 10, 5]],
      ['broadcast batch (B shared)', [2, 3, 9, 4], [4, 7]],
      ['broadcast batch (both)', [2, 1, 6, 5], [1, 3, 5, 4]],
      ['vector · matrix', [5], [5, 3]],
      ['matrix · vector', [4, 5], [5]],
    ];
    for (const [name, sa, sb] of cases) {
      it(`${dtype} matmul ${name} ${JSON.stringify(sa)}·${JSON.stringify(sb)}, both gradients`, () => {
        agree(`matmul ${name}`, dtype, [rnd(sa, dtype, 1), rnd(sb, dtype, 1)], (a, b) => matmul(a, b!));
      });
    }
    it(`${dtype} mm with every transpose flag, both gradients`, () => {
      for (const tA of [false, true])
        for (const tB of [false, true]) {
          const a = rnd(tA ? [9, 7] : [7, 9], dtype, 1),
            b = rnd(tB ? [5, 9] : [9, 5], dtype, 1);
          agree(`mm tA=${tA} tB=${tB}`, dtype, [a, b], (x, y) => mm(x, y!, tA, tB));
        }
    });
    it(`${dtype} a ReLU MLP layer pair (linear, relu, linear, crossEntropy): value and every gradient`, () => {
      const x = rnd([17, 6], dtype, 1),
        w1 = rnd([8, 6], dtype, 0.5),
        b1 = rnd([8], dtype, 0.5),
        w2 = rnd([3, 8], dtype, 0.5),
        b2 = rnd([3], dtype, 0.5);
      const y = tensor(Array.from({ length: 17 }, (_, i) => i % 3));
      agree('mlp', dtype, [x, w1, b1, w2, b2], (xx, a, b, c, d) =>
        crossEntropy(linear(relu(linear(xx, a!, b)), c!, d), y),
      );
    });
  }
  it('the default set is the fast one (so the comparisons above compare two different sets)', () => {
    expect(kernels().matmul).toBe(fastKernels.matmul);
    expect(fastKernels.matmul).not.toBe(referenceKernels.matmul);
    expect(fastKernels.crossEntropy).not.toBe(referenceKernels.crossEntropy);
    expect(fastKernels.softmax).not.toBe(referenceKernels.softmax);
  });
});
