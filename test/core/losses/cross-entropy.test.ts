import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Generator,
  type Tensor,
  crossEntropy,
  enableGrad,
  gradcheck,
  gradients,
  hessian,
  jacobian,
  logSoftmax,
  ones,
  rand,
  reshape,
  softmax,
  tensor,
  zeros,
} from '@xent/core';
import { type Kernels, kernels, referenceKernels, setKernels } from '@xent/core/extend';
import { expectClose, rn } from '../helpers.js';
import { type CEOpts, type Red, analyticGrad, numericGrad, relErr, twinCrossEntropy } from './twins.js';

const L3 = [0, Math.log(2), Math.log(3)]; // softmax = [1/6, 2/6, 3/6]

describe('crossEntropy: values worked out by hand', () => {
  it('logits log[1, 2, 3], class 2: −log(1/2) = log 2, gradient p − y = [1/6, 1/3, −1/2]', () => {
    const x = tensor(L3, { requiresGrad: true });
    const l = crossEntropy(x, 2);
    expectClose(l, Math.LN2, 1e-15);
    l.backward();
    expectClose(x.grad!, [1 / 6, 1 / 3, -1 / 2], 1e-15);
  });

  it('label smoothing 0.3: 0.7·log 2 + 0.1·(log 6 + log 3 + log 2); gradient p − t̃ with t̃ = [0.1, 0.1, 0.8]', () => {
    const x = tensor(L3, { requiresGrad: true });
    const l = crossEntropy(x, 2, { labelSmoothing: 0.3 });
    expectClose(l, 0.7 * Math.LN2 + 0.1 * (Math.log(6) + Math.log(3) + Math.LN2), 1e-15);
    l.backward();
    expectClose(x.grad!, [1 / 6 - 0.1, 1 / 3 - 0.1, 1 / 2 - 0.8], 1e-15);
  });

  it('class weights [1, 2, 3], rows of class 2 and class 0, mean: (3·log 2 + 1·log 6) / (3 + 1)', () => {
    const x = tensor([L3, L3], { requiresGrad: true });
    const l = crossEntropy(x, [2, 0], { weight: [1, 2, 3] });
    expectClose(l, (3 * Math.LN2 + Math.log(6)) / 4, 1e-15);
    l.backward();
    // row 0: w_y (p − y) / 4 = 3/4 · [1/6, 1/3, −1/2]; row 1: 1/4 · [1/6 − 1, 1/3, 1/2]
    expectClose(
      x.grad!,
      [
        [1 / 8, 1 / 4, -3 / 8],
        [-5 / 24, 1 / 12, 1 / 8],
      ],
      1e-15,
    );
  });

  it('weights and smoothing together: t̃ = 0.8·w_y·onehot + 0.1·w, mean divides by Σ w_y', () => {
    const l = crossEntropy(tensor([L3]), [1], { weight: [1, 2, 3], labelSmoothing: 0.3 });
    const nl = [Math.log(6), Math.log(3), Math.LN2]; // −log p
    expectClose(l, (0.7 * 2 * nl[1]! + 0.1 * (1 * nl[0]! + 2 * nl[1]! + 3 * nl[2]!)) / 2, 1e-15);
  });

  it('ignoreIndex: an ignored row adds nothing to the loss, the gradient or the denominator', () => {
    const x = tensor([L3, [5, -3, 2]], { requiresGrad: true });
    const l = crossEntropy(x, [2, -100]);
    expectClose(l, Math.LN2, 1e-15);
    l.backward();
    expectClose(
      x.grad!,
      [
        [1 / 6, 1 / 3, -1 / 2],
        [0, 0, 0],
      ],
      1e-15,
    );
    expectClose(crossEntropy(tensor([L3, L3]), [2, 0], { ignoreIndex: 0, reduction: 'sum' }), Math.LN2, 1e-15);
  });

  it('probability targets T = [0.5, 0, 0.5]: −(0.5·log(1/6) + 0.5·log(1/2)); sums and none', () => {
    const x = tensor([L3, L3], { requiresGrad: true });
    const T = tensor([
      [0.5, 0, 0.5],
      [0, 1, 0],
    ]);
    const none = crossEntropy(x, T, { reduction: 'none' });
    expectClose(none, [0.5 * (Math.log(6) + Math.LN2), Math.log(3)], 1e-15);
    expectClose(crossEntropy(x, T), (0.5 * (Math.log(6) + Math.LN2) + Math.log(3)) / 2, 1e-15);
    crossEntropy(x, T, { reduction: 'sum' }).backward();
    expectClose(
      x.grad!,
      [
        [1 / 6 - 0.5, 1 / 3, 0],
        [1 / 6, 1 / 3 - 1, 1 / 2],
      ],
      1e-15,
    );
  });

  it('probability targets that do not sum to 1: the gradient is (Σ T)·p − T', () => {
    const x = tensor(L3, { requiresGrad: true });
    crossEntropy(x, tensor([1, 1, 0])).backward();
    expectClose(x.grad!, [2 / 6 - 1, 4 / 6 - 1, 1], 1e-15);
  });

  it("'none' keeps [N, d1, …, dK]; a [C] input gives a 0-d loss", () => {
    expect(crossEntropy(zeros([2, 3, 4, 5]), zeros([2, 4, 5]), { reduction: 'none' }).shape).toEqual([2, 4, 5]);
    expect(crossEntropy(zeros([3]), 1, { reduction: 'none' }).shape).toEqual([]);
    expect(crossEntropy(zeros([3]), 1).shape).toEqual([]);
  });

  it('targets as nested numbers, an Int32Array and an integer-valued tensor agree', () => {
    const x = rn([2, 3, 2], 5);
    const a = crossEntropy(
      x,
      [
        [0, 2],
        [1, 1],
      ],
      { reduction: 'none' },
    );
    const b = crossEntropy(
      x,
      tensor([
        [0, 2],
        [1, 1],
      ]),
      { reduction: 'none' },
    );
    const c = crossEntropy(reshape(x, [2, 3, 2]), tensor([0, 2, 1, 1]).reshape([2, 2]), { reduction: 'none' });
    expectClose(b, a.toArray() as number[][], 0);
    expectClose(c, a.toArray() as number[][], 0);
    const y = rn([4, 3], 6);
    expectClose(crossEntropy(y, new Int32Array([0, 1, 2, 0])), crossEntropy(y, [0, 1, 2, 0]).item(), 0);
  });

  it('[N, C, d1, d2] equals [N·d1·d2, C] after moving the classes last (no copy in the op itself)', () => {
    const x = rn([2, 3, 2, 2], 8);
    const t = [
      [
        [0, 1],
        [2, 0],
      ],
      [
        [1, 1],
        [2, 2],
      ],
    ];
    const flat = reshape(x.permute(0, 2, 3, 1), [8, 3]);
    expectClose(
      crossEntropy(x, t, { reduction: 'none' }).reshape([8]),
      crossEntropy(flat, t.flat(2), { reduction: 'none' }).toArray() as number[],
      1e-15,
    );
  });

  it("every target ignored: 'mean' is 0 with a zero gradient (PyTorch: NaN), 'sum' is 0", () => {
    const x = tensor(
      [
        [1, 2],
        [3, 4],
      ],
      { requiresGrad: true },
    );
    const l = crossEntropy(x, [-100, -100]);
    expect(l.item()).toBe(0);
    l.backward();
    expectClose(
      x.grad!,
      [
        [0, 0],
        [0, 0],
      ],
      0,
    );
    expect(crossEntropy(x, [-100, -100], { reduction: 'sum', labelSmoothing: 0.2 }).item()).toBe(0);
    expect(crossEntropy(x, [0, 0], { weight: [0, 1] }).item()).toBe(0); // Σ w_y = 0 as well
  });
});

// ---- Three ways: fused gradient, the unfused twin, central differences --------------------------

const layouts: [string, number[]][] = [
  ['[C]', [4]],
  ['[N, C]', [3, 4]],
  ['[N, C, d]', [2, 3, 4]],
  ['[N, C, d1, d2]', [2, 3, 2, 2]],
];

function makeTarget(
  shape: number[],
  kind: 'index' | 'probs',
  ignore: 'none' | 'default' | 'custom',
  seed: number,
): { target: number | unknown[] | Tensor; opts: CEOpts } {
  const cd = shape.length === 1 ? 0 : 1,
    C = shape[cd]!;
  if (kind === 'probs') {
    const r = rand(shape, { generator: new Generator(seed) }).add(0.1);
    // [N, C]: rows summing to 1.25
    return { target: r.div(r.sum(cd, true)).mul(shape.length === 2 ? 1.25 : 1), opts: {} };
  }
  const posShape = shape.filter((_, i) => i !== cd);
  const n = posShape.reduce((a, b) => a * b, 1);
  const ys = Array.from({ length: n }, (_, i) => (i * 7 + seed) % C);
  const opts: CEOpts = {};
  if (ignore === 'default' && n > 1) ys[1] = -100;
  // the single target of [C] stays kept
  if (ignore === 'custom') {
    opts.ignoreIndex = 1;
    if (n > 1) ys[0] = 1;
    else ys[0] = 2;
  }
  if (posShape.length === 0) return { target: ys[0]!, opts };
  const nest = (flat: number[], dims: number[]): unknown[] => {
    if (dims.length === 1) return flat;
    const step = flat.length / dims[0]!;
    return Array.from({ length: dims[0]! }, (_, i) => nest(flat.slice(i * step, (i + 1) * step), dims.slice(1)));
  };
  return { target: nest(ys, posShape), opts };
}

for (const [kname, pick] of [
  ['default kernels', () => kernels()],
  ['reference kernels', () => referenceKernels],
] as const)
  describe(`crossEntropy: fused gradient = unfused twin = central differences (float64, relative 1e-9), ${kname}`, () => {
    let prev: Kernels;
    beforeAll(() => {
      prev = setKernels(pick());
    });
    afterAll(() => {
      setKernels(prev);
    });
    let seed = 100;
    for (const [name, shape] of layouts) {
      for (const kind of ['index', 'probs'] as const) {
        for (const ignore of kind === 'index' ? (['none', 'default', 'custom'] as const) : (['none'] as const)) {
          for (const weighted of [false, true]) {
            for (const ls of [0, 0.25]) {
              for (const reduction of ['mean', 'sum', 'none'] as Red[]) {
                const s = seed++;
                it(`${name} ${kind} ignore=${ignore} weight=${weighted} labelSmoothing=${ls} ${reduction}`, () => {
                  const x = rn(shape, s).mul(2);
                  const { target, opts } = makeTarget(shape, kind, ignore, s);
                  const C = shape[shape.length === 1 ? 0 : 1]!;
                  const o: CEOpts = {
                    ...opts,
                    labelSmoothing: ls,
                    reduction,
                    ...(weighted ? { weight: Array.from({ length: C }, (_, k) => 0.5 + 0.3 * k) } : {}),
                  };
                  const fused = (z: Tensor): Tensor => crossEntropy(z, target as never, o);
                  const twin = (z: Tensor): Tensor => twinCrossEntropy(z, target as never, o);
                  const y = fused(x);
                  expectClose(y, twin(x).toArray(), 1e-13);
                  // a random upstream gradient
                  const v = reduction === 'none' ? rn(y.shape as number[], s + 1000) : undefined;
                  const gFused = analyticGrad(fused, x, v);
                  const gGraph = analyticGrad(fused, x, v, true); // the createGraph path (differentiable ops)
                  const gTwin = analyticGrad(twin, x, v);
                  const gNum = numericGrad(fused, x, v);
                  expect(relErr(gFused, gTwin)).toBeLessThan(1e-12);
                  expect(relErr(gGraph, gFused)).toBeLessThan(1e-12);
                  expect(relErr(gFused, gNum)).toBeLessThan(1e-9);
                  expect(relErr(gFused, new Float64Array(gFused.length))).toBeGreaterThan(0); // not vacuous
                  expect(gradcheck(fused, [x])).toBe(true); // the whole Jacobian, every output element
                });
              }
            }
          }
        }
      }
    }
  });

describe('crossEntropy: the saved softmax across backward calls', () => {
  // The first backward writes the logits' gradient over the saved softmax's storage; every later
  // backward through the same graph recomputes p from the input, so the gradient is the same each time.
  const expected = [
    [1 / 6, 1 / 3, -1 / 2],
    [-5 / 6, 1 / 3, 1 / 2],
  ].map((r) => r.map((v) => v / 2)); // (p − onehot(y)) / N, p = softmax(log[1, 2, 3]) = [1/6, 2/6, 3/6]

  it('a second and third backward through one graph give the same gradient (accumulated)', () => {
    for (const k of [kernels(), referenceKernels]) {
      const prev = setKernels(k);
      try {
        const x = tensor([L3, L3], { requiresGrad: true });
        const l = crossEntropy(x, [2, 0]);
        for (let n = 1; n <= 3; n++) {
          l.backward();
          expectClose(
            x.grad!,
            expected.map((r) => r.map((v) => n * v)),
            1e-15,
          );
        }
      } finally {
        setKernels(prev);
      }
    }
  });

  it('gradients() after a plain backward, then the Hessian through createGraph, from the same graph', () => {
    const x = tensor([L3, L3], { requiresGrad: true });
    const l = crossEntropy(x, [2, 0]);
    const [g1] = gradients(l, [x]);
    const [g2] = gradients(l, [x], { createGraph: true });
    expectClose(g1!, expected, 1e-15);
    expectClose(g2!, expected, 1e-15);
    expectClose(g1!, expected, 1e-15); // the first gradient's storage is its own: not overwritten by the second
    // d/dx of Σ_k g2_k·v_k for one row: (1/N)·(diag(p) − ppᵀ) v
    const v = tensor([
      [1, 0, 0],
      [0, 0, 0],
    ]);
    const [h] = gradients(g2!.mul(v).sum(), [x]);
    const p = [1 / 6, 1 / 3, 1 / 2];
    expectClose(h!, [p.map((b, j) => ((j === 0 ? p[0]! : 0) - p[0]! * b) / 2), [0, 0, 0]], 1e-15);
  });
});

describe('crossEntropy: probability targets are differentiable, as in PyTorch', () => {
  it('by hand: ∂L/∂T = −log p = [log 6, log 3, log 2] for logits log[1, 2, 3]; with ε and w: −(1 − ε)·w·log p', () => {
    const T = tensor([0.5, 0, 0.5], { requiresGrad: true });
    crossEntropy(tensor(L3), T).backward();
    expectClose(T.grad!, [Math.log(6), Math.log(3), Math.LN2], 1e-15);
    const U = tensor(
      [
        [0.5, 0, 0.5],
        [0, 1, 0],
      ],
      { requiresGrad: true },
    );
    crossEntropy(tensor([L3, L3]), U, { labelSmoothing: 0.4, weight: [1, 2, 3] }).backward(); // mean over 2 positions
    const row = [Math.log(6), 2 * Math.log(3), 3 * Math.LN2].map((v) => (0.6 * v) / 2);
    expectClose(U.grad!, [row, row], 1e-15);
  });

  let seed = 900;
  for (const [name, shape] of layouts) {
    for (const reduction of ['mean', 'sum', 'none'] as Red[]) {
      for (const o of [
        {},
        { labelSmoothing: 0.25 },
        { weight: [0.5, 1.5, 1, 2].slice(0, shape[shape.length === 1 ? 0 : 1]), labelSmoothing: 0.1 },
      ] as CEOpts[]) {
        const s = seed++;
        it(`three ways w.r.t. the target: ${name} ${reduction} ${JSON.stringify(o)}`, () => {
          const x = rn(shape, s).mul(2);
          const { target } = makeTarget(shape, 'probs', 'none', s);
          const oo: CEOpts = { ...o, reduction };
          const fused = (t: Tensor): Tensor => crossEntropy(x, t, oo);
          const twin = (t: Tensor): Tensor => twinCrossEntropy(x, t, oo);
          const T = target as Tensor;
          const v = reduction === 'none' ? rn(fused(T).shape as number[], s + 1000) : undefined;
          const gFused = analyticGrad(fused, T, v);
          expect(relErr(gFused, analyticGrad(twin, T, v))).toBeLessThan(1e-12);
          expect(relErr(analyticGrad(fused, T, v, true), gFused)).toBeLessThan(1e-12); // the createGraph path
          expect(relErr(gFused, numericGrad(fused, T, v))).toBeLessThan(1e-9);
          expect(relErr(gFused, new Float64Array(gFused.length))).toBeGreaterThan(0);
          // mixed second derivatives ∂²L/∂x∂T and ∂²L/∂T∂x through createGraph, against central differences
          expect(
            gradcheck(
              (a, t) =>
                enableGrad(() => {
                  const [ga, gt] = gradients(crossEntropy(a, t, oo).square().sum(), [a, t], { createGraph: true });
                  return ga!.square().sum().add(gt!.square().sum());
                }),
              [x, T],
            ),
          ).toBe(true);
        });
      }
    }
  }

  it('a class of weight 0 (or ε = 1) at a −∞ logit gets target gradient 0, not 0·∞ = NaN, on both paths', () => {
    for (const createGraph of [false, true]) {
      for (const o of [{ weight: [1, 0, 1] }, { labelSmoothing: 1 }] as CEOpts[]) {
        const T = tensor([[0.5, 0, 0.5]], { requiresGrad: true });
        const [g] = gradients(crossEntropy(tensor([[0, -Infinity, 1]]), T, o), [T], { createGraph });
        expect(Array.from(g!.data).every(Number.isFinite), `${createGraph} ${JSON.stringify(o)}`).toBe(true);
        expect(g!.data[1]).toBe(0);
      }
    }
  });

  it('the logits alone, or the target alone, may require a gradient', () => {
    const x = tensor([L3], { requiresGrad: true }),
      T = tensor([[0.2, 0.3, 0.5]]);
    crossEntropy(x, T).backward();
    expectClose(x.grad!, [[1 / 6 - 0.2, 1 / 3 - 0.3, 0]], 1e-15);
    const U = tensor([[0.2, 0.3, 0.5]], { requiresGrad: true });
    crossEntropy(tensor([L3]), U).backward();
    expectClose(U.grad!, [[Math.log(6), Math.log(3), Math.LN2]], 1e-15);
  });
});

describe('crossEntropy and logSoftmax: second derivatives', () => {
  const x = tensor([0.3, -1.2, 2.0, 0.5]);
  const p = softmax(x).toArray() as number[];
  const formula = p.map((a, i) => p.map((b, j) => (i === j ? a : 0) - a * b)); // diag(p) − ppᵀ

  it('the Hessian of one sample is diag(p) − ppᵀ, for every target class', () => {
    for (let y = 0; y < 4; y++)
      expectClose(
        hessian((z) => crossEntropy(z, y), x),
        formula,
        1e-15,
      );
  });

  it('the Hessian matches central differences of the gradient and the twin, with weights and smoothing', () => {
    const xs = rn([2, 3], 31);
    const o: CEOpts = { weight: [0.5, 1, 2], labelSmoothing: 0.2 };
    const f = (z: Tensor): Tensor => crossEntropy(z, [2, 0], o);
    const H = hessian(f, xs);
    expectClose(H, hessian((z) => twinCrossEntropy(z, [2, 0], o), xs).toArray(), 1e-13);
    const gradOf = (z: Tensor): Tensor =>
      enableGrad(() => {
        const zz = z.detach().requiresGrad_();
        return gradients(f(zz), [zz])[0]!;
      });
    for (let i = 0; i < 6; i++) {
      const e = zeros([6]);
      e.data[i] = 1;
      const col = numericGrad(gradOf, xs, reshape(e, [2, 3])); // ∂(∂f/∂x_i)/∂x
      expect(relErr(Array.from(H.data).slice(i * 6, i * 6 + 6), col)).toBeLessThan(1e-9);
    }
  });

  it('probability targets with Σ T = s: the Hessian is s·(diag(p) − ppᵀ)', () => {
    const H = hessian((z) => crossEntropy(z, tensor([0.5, 0.25, 0.5, 0.25])), x);
    expectClose(
      H,
      formula.map((r) => r.map((v) => 1.5 * v)),
      1e-15,
    );
  });

  it('logSoftmax: the Jacobian is I − 1pᵀ, and the Hessian of Σ v ⊙ logSoftmax is −(Σ v)(diag(p) − ppᵀ)', () => {
    expectClose(
      jacobian((z) => logSoftmax(z), x),
      p.map((_, i) => p.map((b, j) => (i === j ? 1 : 0) - b)),
      1e-15,
    );
    const v = tensor([1, -2, 0.5, 3]);
    expectClose(
      hessian((z) => logSoftmax(z).mul(v).sum(), x),
      formula.map((r) => r.map((a) => -2.5 * a)),
      1e-14,
    );
  });
});

describe('crossEntropy: numerical stability (exact expected values)', () => {
  it('float64 logits ±1e4: loss 2e4, gradient exactly [1, −1, 0]', () => {
    const x = tensor([1e4, -1e4, 0], { requiresGrad: true });
    const l = crossEntropy(x, 1);
    expect(l.item()).toBe(2e4);
    l.backward();
    expect(Array.from(x.grad!.data)).toEqual([1, -1, 0]);
    expect(crossEntropy(tensor([-1e4, 1e4]), 1).item()).toBe(0);
  });

  it('float32: CE([1e8, 0], class 1) = 1e8 and CE([1e8, 1e8]) = log 2, not 0', () => {
    expect(crossEntropy(tensor([1e8, 0], { dtype: 'float32' }), 1).item()).toBe(1e8);
    const l = crossEntropy(tensor([[1e8, 1e8]], { dtype: 'float32' }), [1]);
    expect(l.item()).toBe(Math.fround(Math.LN2));
    expect(l.dtype).toBe('float32');
  });

  it('a row of equal logits gives log C', () => {
    for (const c of [2, 3, 7, 10]) expect(crossEntropy(zeros([c]), c - 1).item()).toBeCloseTo(Math.log(c), 15);
    expect(crossEntropy(ones([2, 5]).mul(1e300), [0, 4]).item()).toBe(Math.log(5));
  });

  it('a −∞ logit that is not the target: finite loss, zero gradient there (also with probability targets)', () => {
    const x = tensor(
      [
        [0, -Infinity, 0],
        [1, 2, -Infinity],
      ],
      { requiresGrad: true },
    );
    const l = crossEntropy(x, [0, 1], { weight: [1, 2, 1] });
    expectClose(l, (Math.LN2 + 2 * Math.log1p(Math.exp(-1))) / 3, 1e-15);
    l.backward();
    expect(x.grad!.data[1]).toBe(0);
    expect(x.grad!.data[5]).toBe(0);
    expect(Array.from(x.grad!.data).every(Number.isFinite)).toBe(true);
    const z = tensor([0, -Infinity, Math.log(3)], { requiresGrad: true });
    const lp = crossEntropy(z, tensor([0.5, 0, 0.5]));
    expectClose(lp, 0.5 * Math.log(4) + 0.5 * Math.log(4 / 3), 1e-15);
    lp.backward();
    expectClose(z.grad!, [0.25 - 0.5, 0, 0.75 - 0.5], 1e-15);
    // and through the createGraph path
    const [g2] = gradients(crossEntropy(x, [0, 1]), [x], { createGraph: true });
    expect(Array.from(g2!.data).every(Number.isFinite)).toBe(true);
    expect(g2!.data[1]).toBe(0);
  });

  it('a −∞ logit with label smoothing has target mass ε/C: the loss is +∞ (PyTorch), the gradient there −ε/C', () => {
    const x = tensor([[0, -Infinity, Math.log(3)]], { requiresGrad: true });
    const l = crossEntropy(x, [2], { labelSmoothing: 0.3 });
    expect(l.item()).toBe(Infinity);
    l.backward();
    expectClose(x.grad!, [[0.25 - 0.1, -0.1, 0.75 - 0.8]], 1e-15); // p − t̃ with p = [¼, 0, ¾], t̃ = [0.1, 0.1, 0.8]
  });

  it('no NaN or Infinity in loss or gradient for any finite logits, float64 and float32', () => {
    const vals64 = [1e300, -1e300, 1e4, -1e4, 100, -100, 0, 1e-300];
    const vals32 = [1e37, -1e37, 1e8, -1e8, 100, -100, 0, 1e-30];
    for (const [dtype, vals] of [
      ['float64', vals64],
      ['float32', vals32],
    ] as const) {
      for (let a = 0; a < vals.length; a++) {
        for (let b = 0; b < vals.length; b++) {
          const x = tensor([[vals[a]!, vals[b]!, 0.5]], { dtype, requiresGrad: true });
          for (const o of [{}, { labelSmoothing: 0.1 }, { weight: [1, 2, 3] }] as CEOpts[]) {
            for (const y of [0, 1, 2]) {
              x.zeroGrad();
              const l = crossEntropy(x, [y], o);
              l.backward();
              expect(Number.isFinite(l.item()), `${dtype} ${vals[a]} ${vals[b]} class ${y}`).toBe(true);
              expect(Array.from(x.grad!.data).every(Number.isFinite)).toBe(true);
              expect(Array.from(logSoftmax(x).data).every(Number.isFinite)).toBe(true);
            }
          }
        }
      }
    }
  });
});

describe('crossEntropy: bad input names the function and the argument', () => {
  const x = zeros([2, 3]);
  const cases: [string, () => unknown, RegExp][] = [
    [
      'class index out of range',
      () => crossEntropy(x, [0, 3]),
      /crossEntropy: target class 3 at \[1\] is outside \[0, 3\) \(C = 3\)/,
    ],
    [
      'negative class index',
      () => crossEntropy(x, [-1, 0]),
      /crossEntropy: target class -1 at \[0\] is outside \[0, 3\)/,
    ],
    [
      'non-integer class index',
      () => crossEntropy(x, [0, 1.5]),
      /crossEntropy: target must hold integer class indices, found 1.5 at \[1\]/,
    ],
    [
      'target shape fits neither form',
      () => crossEntropy(x, [0, 1, 2]),
      /crossEntropy: target of shape \[3\] fits neither class indices \(shape \[2\] for input \[2, 3\]\) nor class probabilities .*\[2, 3\]/,
    ],
    ['wrong probability shape', () => crossEntropy(x, zeros([3, 2])), /target of shape \[3, 2\] fits neither/],
    [
      'weight length',
      () => crossEntropy(x, [0, 1], { weight: [1, 2] }),
      /crossEntropy: weight must have C = 3 entries \(one per class\), got shape \[2\]/,
    ],
    [
      'weight entries that are not numbers',
      () => crossEntropy(x, [0, 1], { weight: ['a', 1, 2] as never }),
      /^crossEntropy: weight\[0\] is "a"; expected a number$/,
    ],
    [
      'NaN weight',
      () => crossEntropy(x, [0, 1], { weight: [1, NaN, 2] }),
      /^crossEntropy: weight\[1\] is NaN; expected a number$/,
    ],
    [
      'labelSmoothing > 1',
      () => crossEntropy(x, [0, 1], { labelSmoothing: 1.5 }),
      /crossEntropy: labelSmoothing must be a number in \[0, 1\], got 1.5/,
    ],
    [
      'labelSmoothing < 0',
      () => crossEntropy(x, [0, 1], { labelSmoothing: -0.1 }),
      /labelSmoothing must be a number in \[0, 1\]/,
    ],
    [
      'negative probability',
      () =>
        crossEntropy(
          x,
          tensor([
            [0.5, 0.6, -0.1],
            [0, 1, 0],
          ]),
        ),
      /crossEntropy: target probabilities must be non-negative numbers, found -0.1 at \[0, 2\]/,
    ],
    [
      'NaN probability',
      () =>
        crossEntropy(
          x,
          tensor([
            [0.5, 0.5, 0],
            [0, NaN, 0],
          ]),
        ),
      /found NaN at \[1, 1\]/,
    ],
    [
      'reduction',
      () => crossEntropy(x, [0, 1], { reduction: 'avg' as never }),
      /crossEntropy: reduction must be 'mean', 'sum', 'none', got "avg"/,
    ],
    [
      'ignoreIndex with probabilities',
      () =>
        crossEntropy(
          x,
          tensor([
            [1, 0, 0],
            [0, 1, 0],
          ]),
          { ignoreIndex: 0 },
        ),
      /crossEntropy: ignoreIndex \(0\) is not supported with probability targets/,
    ],
    ['0-d input', () => crossEntropy(tensor(1), 0), /crossEntropy: input must have shape \[C\]/],
  ];
  for (const [name, f, re] of cases) it(name, () => expect(f).toThrow(re));
});
