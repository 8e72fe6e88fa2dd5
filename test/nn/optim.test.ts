import { Tensor, tensor } from '@xent/core';
import { Adam, AdamW, SGD, clipGradNorm } from '@xent/nn';
import { describe, expect, it } from 'vitest';

/* Each optimizer runs a few steps on f(θ) = Σ c·θ³/3 + θ² (gradient c·θ² + 2θ, changing every step)
   and is compared with the published update rules written out per element, below, with numbers. */

const c = [0.5, -1.2, 2.0, 0.3];
const grad = (th: number[]): number[] => th.map((t, i) => c[i]! * t * t + 2 * t);
const start = [0.8, -0.3, 0.05, -1.5];

function run(make: (p: Tensor) => { step(): void; zeroGrad(): void }, steps: number): number[] {
  const p = new Tensor(Float64Array.from(start), [4], true);
  const opt = make(p);
  for (let s = 0; s < steps; s++) {
    opt.zeroGrad();
    p.grad = tensor(grad(Array.from(p.data)));
    opt.step();
  }
  return Array.from(p.data);
}

/** SGD, torch.optim.SGD's documented algorithm. */
function sgdRef(
  o: { lr: number; momentum?: number; dampening?: number; nesterov?: boolean; wd?: number },
  steps: number,
): number[] {
  const th = start.slice(),
    mu = o.momentum ?? 0,
    tau = o.dampening ?? 0,
    wd = o.wd ?? 0;
  let b: number[] | null = null;
  for (let s = 0; s < steps; s++) {
    const g = grad(th).map((gi, i) => gi + wd * th[i]!);
    let d = g;
    if (mu !== 0) {
      b = b === null ? g.slice() : b.map((bi, i) => mu * bi + (1 - tau) * g[i]!);
      d = o.nesterov ? g.map((gi, i) => gi + mu * b![i]!) : b;
    }
    for (let i = 0; i < 4; i++) th[i] = th[i]! - o.lr * d[i]!;
  }
  return th;
}

/** Adam / AdamW / AMSGrad, torch.optim.Adam's and AdamW's documented algorithms. */
function adamRef(
  o: { lr: number; b1?: number; b2?: number; eps?: number; wd?: number; amsgrad?: boolean; decoupled?: boolean },
  steps: number,
): number[] {
  const th = start.slice(),
    b1 = o.b1 ?? 0.9,
    b2 = o.b2 ?? 0.999,
    eps = o.eps ?? 1e-8,
    wd = o.wd ?? 0;
  const m = [0, 0, 0, 0],
    v = [0, 0, 0, 0],
    vmax = [0, 0, 0, 0];
  for (let t = 1; t <= steps; t++) {
    let g = grad(th);
    if (o.decoupled) for (let i = 0; i < 4; i++) th[i] = th[i]! * (1 - o.lr * wd);
    else g = g.map((gi, i) => gi + wd * th[i]!);
    for (let i = 0; i < 4; i++) {
      m[i] = b1 * m[i]! + (1 - b1) * g[i]!;
      v[i] = b2 * v[i]! + (1 - b2) * g[i]! ** 2;
      const mHat = m[i]! / (1 - b1 ** t);
      vmax[i] = Math.max(vmax[i]!, v[i]!);
      const vHat = (o.amsgrad ? vmax[i]! : v[i]!) / (1 - b2 ** t);
      th[i] = th[i]! - (o.lr * mHat) / (Math.sqrt(vHat) + eps);
    }
  }
  return th;
}

const close = (a: number[], b: number[]): void => a.forEach((v, i) => expect(v).toBeCloseTo(b[i]!, 13));

describe('SGD', () => {
  it('one plain step by hand: θ − lr·∇', () => {
    const g0 = grad(start);
    expect(run((p) => new SGD([p], { lr: 0.1 }), 1)).toEqual(start.map((t, i) => t - 0.1 * g0[i]!));
  });
  for (const o of [
    { lr: 0.1 },
    { lr: 0.05, momentum: 0.9 },
    { lr: 0.05, momentum: 0.9, dampening: 0.3 },
    { lr: 0.05, momentum: 0.8, nesterov: true },
    { lr: 0.1, momentum: 0.9, wd: 0.01 },
    { lr: 0.1, wd: 0.1 },
  ]) {
    it(`matches the published rule for ${JSON.stringify(o)}`, () => {
      close(
        run((p) => {
          const { wd, ...rest } = o as typeof o & { wd?: number };
          return new SGD([p], { ...rest, weightDecay: wd });
        }, 5),
        sgdRef(o, 5),
      );
    });
  }
  it('rejects bad settings', () => {
    const p = new Tensor(new Float64Array(1), [1], true);
    expect(() => new SGD([p], { lr: -1 })).toThrow(/SGD: lr must be a finite number/);
    expect(() => new SGD([p], { lr: 0.1, nesterov: true })).toThrow(/nesterov momentum requires momentum > 0/);
    expect(() => new SGD([], { lr: 0.1 })).toThrow(/empty parameter list/);
  });
});

describe('Adam and AdamW', () => {
  it('first Adam step moves each weight by about lr·sign(∇) (m̂/√v̂ = g/|g|)', () => {
    const g0 = grad(start);
    run((p) => new Adam([p], { lr: 0.01 }), 1).forEach((v, i) =>
      expect(v).toBeCloseTo(start[i]! - 0.01 * Math.sign(g0[i]!), 8),
    );
  });
  for (const o of [
    { lr: 0.01 },
    { lr: 0.1, b1: 0.8, b2: 0.99, eps: 1e-6 },
    { lr: 0.05, wd: 0.1 },
    { lr: 0.05, amsgrad: true },
    { lr: 0.05, amsgrad: true, wd: 0.05 },
  ]) {
    it(`Adam matches the published rule for ${JSON.stringify(o)}`, () => {
      close(
        run(
          (p) =>
            new Adam([p], {
              lr: o.lr,
              betas: [o.b1 ?? 0.9, o.b2 ?? 0.999],
              eps: o.eps,
              weightDecay: o.wd,
              amsgrad: o.amsgrad,
            }),
          6,
        ),
        adamRef(o, 6),
      );
    });
  }
  for (const o of [
    { lr: 0.01, wd: 0.01 },
    { lr: 0.05, wd: 0.5, amsgrad: true },
  ]) {
    it(`AdamW decouples weight decay ${JSON.stringify(o)}`, () => {
      close(
        run((p) => new AdamW([p], { lr: o.lr, weightDecay: o.wd, amsgrad: o.amsgrad }), 6),
        adamRef({ ...o, decoupled: true }, 6),
      );
    });
  }
  it('AdamW defaults to weightDecay 0.01, Adam to 0', () => {
    const p = new Tensor(new Float64Array(1), [1], true);
    expect(new AdamW([p]).weightDecay).toBe(0.01);
    expect(new Adam([p]).weightDecay).toBe(0);
  });
  it('skips parameters without a gradient', () => {
    const p = new Tensor(Float64Array.from([1, 2]), [2], true);
    new Adam([p], { lr: 0.1 }).step();
    expect(Array.from(p.data)).toEqual([1, 2]);
  });
});

describe('optimizer state dicts', () => {
  it('resuming from a JSON round-trip continues exactly as an uninterrupted run', () => {
    for (const make of [
      (p: Tensor) => new Adam([p], { lr: 0.05, amsgrad: true }),
      (p: Tensor) => new SGD([p], { lr: 0.05, momentum: 0.9 }),
    ]) {
      const full = run(make, 6);
      const p = new Tensor(Float64Array.from(start), [4], true);
      const a = make(p);
      const step = (o: { step(): void }): void => {
        p.grad = tensor(grad(Array.from(p.data)));
        o.step();
      };
      for (let s = 0; s < 3; s++) step(a);
      const saved = JSON.parse(JSON.stringify(a.stateDict()));
      const b = make(p);
      b.loadStateDict(saved);
      for (let s = 0; s < 3; s++) step(b);
      expect(Array.from(p.data)).toEqual(full);
    }
  });
  it('rejects a state from another optimizer or of the wrong size', () => {
    const p = new Tensor(new Float64Array(3), [3], true);
    const sgd = new SGD([p], { lr: 0.1, momentum: 0.9 });
    expect(() => new Adam([p]).loadStateDict(sgd.stateDict())).toThrow(/saved by "SGD", not Adam/);
    const sd = sgd.stateDict();
    sd.state[0]!.buffers.momentumBuffer = [1, 2];
    expect(() => sgd.loadStateDict(sd)).toThrow(/buffer momentumBuffer must hold 3 numbers/);
  });
});

describe('clipGradNorm', () => {
  it('scales all gradients by maxNorm / (norm + 1e-6) when the joint norm is larger, and returns the norm', () => {
    const a = new Tensor(new Float64Array(2), [2], true),
      b = new Tensor(new Float64Array(1), [1], true);
    a.grad = tensor([3, 0]);
    b.grad = tensor([4]);
    expect(clipGradNorm([a, b], 1)).toBe(5);
    const k = 1 / (5 + 1e-6);
    expect(Array.from(a.grad.data)).toEqual([3 * k, 0]);
    expect(Array.from(b.grad.data)).toEqual([4 * k]);
    expect(clipGradNorm([a, b], 10)).toBeCloseTo(1, 5); // no change below the limit
    expect(Array.from(b.grad.data)).toEqual([4 * k]);
    expect(clipGradNorm([a, b], 1, Infinity)).toBeCloseTo(4 * k, 12);
  });
  it('an infinite norm scales by 0 as PyTorch; a NaN norm is returned and leaves the gradients as they are (documented difference)', () => {
    const a = new Tensor(new Float64Array(2), [2], true);
    a.grad = tensor([Infinity, 1]);
    expect(clipGradNorm([a], 1)).toBe(Infinity);
    expect(Array.from(a.grad.data)).toEqual([NaN, 0]); // PyTorch: coefficient 1/(∞ + 1e-6) = 0
    a.grad = tensor([NaN, 1]);
    expect(clipGradNorm([a], 1)).toBeNaN();
    expect(clipGradNorm([a], 1, Infinity)).toBeNaN();
    expect(Array.from(a.grad.data)).toEqual([NaN, 1]);
    expect(clipGradNorm([new Tensor(new Float64Array(1), [1], true)], 1)).toBe(0); // no gradients: norm 0, as PyTorch
  });
});
