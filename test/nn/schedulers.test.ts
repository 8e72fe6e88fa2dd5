import { Tensor } from '@xent/core';
import { Adam, CosineAnnealingLR, ExponentialLR, type LRScheduler, LinearLR, OneCycleLR, SGD, StepLR } from '@xent/nn';
import { describe, expect, it } from 'vitest';

const param = (): Tensor => new Tensor(new Float64Array(1), [1], true);

/** The rate at epochs 0 … n − 1 (PyTorch protocol: read, then optimizer.step(), scheduler.step()). */
function rates(s: LRScheduler, n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    out.push(s.optimizer.lr);
    s.optimizer.step();
    s.step();
  }
  return out;
}

const close = (a: number[], b: number[], digits = 14): void => {
  expect(a).toHaveLength(b.length);
  a.forEach((v, i) => expect(v).toBeCloseTo(b[i]!, digits));
};

describe('schedulers (PyTorch values)', () => {
  it('StepLR: the example in PyTorch docs (0.05, then ×0.1 every 30 epochs)', () => {
    const r = rates(new StepLR(new SGD([param()], { lr: 0.05 }), { stepSize: 30, gamma: 0.1 }), 90);
    close(r.slice(0, 30), new Array(30).fill(0.05));
    close(r.slice(30, 60), new Array(30).fill(0.005));
    close(r.slice(60), new Array(30).fill(0.0005));
  });

  it('ExponentialLR: lr₀γᵗ', () => {
    close(
      rates(new ExponentialLR(new SGD([param()], { lr: 0.1 }), { gamma: 0.9 }), 20),
      Array.from({ length: 20 }, (_, t) => 0.1 * 0.9 ** t),
    );
  });

  it('CosineAnnealingLR: ηmin + (η₀ − ηmin)(1 + cos(πt/T))/2, periodic past T', () => {
    const T = 10,
      eta = 0.001;
    const r = rates(new CosineAnnealingLR(new SGD([param()], { lr: 0.1 }), { tMax: T, etaMin: eta }), 31);
    close(
      r,
      Array.from({ length: 31 }, (_, t) => eta + ((0.1 - eta) * (1 + Math.cos((Math.PI * t) / T))) / 2),
      12,
    );
    expect(r[10]).toBeCloseTo(eta, 14);
    expect(r[20]).toBeCloseTo(0.1, 12);
  });

  it('LinearLR: warm-up by hand, 0.5 → 1 over 4 epochs', () => {
    close(
      rates(new LinearLR(new SGD([param()], { lr: 0.1 }), { startFactor: 0.5, totalIters: 4 }), 7),
      [0.05, 0.0625, 0.075, 0.0875, 0.1, 0.1, 0.1],
    );
    // PyTorch defaults 1/3 → 1 over 5
    close(rates(new LinearLR(new SGD([param()], { lr: 0.3 })), 6), [0.1, 0.14, 0.18, 0.22, 0.26, 0.3]);
  });

  it('OneCycleLR: values worked out by hand, momentum cycled the other way', () => {
    const opt = new SGD([param()], { lr: 1, momentum: 0.9 });
    const s = new OneCycleLR(opt, { maxLr: 0.1, totalSteps: 10 });
    expect(s.interval).toBe('batch');
    const lrs: number[] = [],
      moms: number[] = [];
    for (let i = 0; i < 10; i++) {
      lrs.push(opt.lr);
      moms.push(opt.momentum);
      if (i < 9) s.step();
    }
    // initial = 0.1 / 25 = 0.004; warm-up ends at step 0.3·10 − 1 = 2: cos half-way gives (0.004 + 0.1)/2
    close(lrs.slice(0, 3), [0.004, 0.052, 0.1]);
    close(moms.slice(0, 3), [0.95, 0.9, 0.85]);
    // then from 0.1 at step 2 down to 0.004 / 1e4 at step 9, by cos
    const min = 0.004 / 1e4;
    for (let t = 2; t < 10; t++)
      expect(lrs[t]).toBeCloseTo(min + ((0.1 - min) / 2) * (1 + Math.cos((Math.PI * (t - 2)) / 7)), 14);
    expect(moms[9]).toBeCloseTo(0.95, 14);
    s.step();
    expect(() => s.step()).toThrow(/stepped 11 times, but totalSteps is 10/);
  });

  it('OneCycleLR cycles Adam β₁ and supports linear annealing', () => {
    const opt = new Adam([param()], { lr: 1 });
    const s = new OneCycleLR(opt, {
      maxLr: 1,
      epochs: 2,
      stepsPerEpoch: 5,
      annealStrategy: 'linear',
      divFactor: 10,
      finalDivFactor: 100,
    });
    expect(opt.lr).toBeCloseTo(0.1, 15);
    expect(opt.betas[0]).toBeCloseTo(0.95, 15);
    s.step();
    expect(opt.lr).toBeCloseTo(0.55, 14);
    expect(opt.betas[0]).toBeCloseTo(0.9, 14);
  });

  it('OneCycleLR: an empty phase (pctStart · totalSteps = 1) is an error, not a NaN rate (PyTorch: ZeroDivisionError)', () => {
    const opt = new SGD([param()], { lr: 1, momentum: 0.9 });
    expect(() => new OneCycleLR(opt, { maxLr: 1, totalSteps: 10, pctStart: 0.1 })).toThrow(
      /OneCycleLR: phase 1 of the schedule is empty at step 0/,
    );
    expect(() => new OneCycleLR(opt, { maxLr: 1, totalSteps: 20, pctStart: 0.05, threePhase: true })).toThrow(
      /phase 1 of the schedule is empty/,
    );
    const s = new OneCycleLR(opt, { maxLr: 1, totalSteps: 10, pctStart: 0.15 }); // warm-up ends at step 0.5: fine
    for (let i = 0; i < 9; i++) {
      s.step();
      expect(Number.isFinite(opt.lr)).toBe(true);
    }
  });

  it('state dicts resume the schedule; bad options are named', () => {
    const a = new StepLR(new SGD([param()], { lr: 1 }), { stepSize: 2, gamma: 0.5 });
    rates(a, 3);
    const opt = new SGD([param()], { lr: 1 });
    const b = new StepLR(opt, { stepSize: 2, gamma: 0.5 });
    b.loadStateDict(a.stateDict());
    expect(rates(b, 3)).toEqual(rates(a, 3));
    expect(() => new StepLR(opt, { stepSize: 0 })).toThrow(/StepLR: stepSize must be a positive integer/);
    expect(() => new OneCycleLR(opt, { maxLr: 0.1 })).toThrow(/totalSteps, or epochs and stepsPerEpoch/);
  });
});
