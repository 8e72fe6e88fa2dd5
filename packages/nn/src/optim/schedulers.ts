import { Adam } from './adam.js';
import { type Optimizer, checkNumber } from './optimizer.js';
import { SGD } from './sgd.js';
import { checkBoolean, checkOptions, quote } from '../validate.js';

/**
 * The base of the learning-rate schedulers, with PyTorch's protocol: construction sets the epoch-0
 * rate, and each `step()` (after `optimizer.step()`) moves to the next epoch (or batch, for
 * OneCycleLR) and writes `optimizer.lr`. Rates follow PyTorch 1.13's chainable formulas exactly.
 * @example const s = new StepLR(opt, { stepSize: 10 }); for (…) { train(); s.step(); }
 */
export abstract class LRScheduler {
  readonly optimizer: Optimizer;
  /** The optimizer's rate when the scheduler was made (PyTorch's initial_lr). */
  readonly baseLr: number;
  /** Epochs (or batches) stepped so far; −1 before construction finished. */
  lastEpoch = -1;
  /** When `fit` should call step(): after each epoch (most) or each batch (OneCycleLR). */
  readonly interval: 'epoch' | 'batch' = 'epoch';
  private lastLr: number;

  constructor(optimizer: Optimizer) {
    if (!optimizer || typeof optimizer.lr !== 'number')
      throw new TypeError(`${this.constructor.name}: expected an optimizer`);
    this.optimizer = optimizer;
    this.baseLr = optimizer.lr;
    this.lastLr = optimizer.lr;
  }

  /** The rate for `lastEpoch`, from the current one (PyTorch's get_lr). */
  protected abstract computeLr(): number;

  /** Subclasses call this at the end of their constructor: PyTorch's initial step to epoch 0. */
  protected start(): void {
    this.step();
  }

  /** Advances one epoch (or batch) and sets the optimizer's rate. */
  step(): void {
    this.lastEpoch++;
    this.optimizer.lr = this.computeLr();
    this.lastLr = this.optimizer.lr;
  }

  /** The rate set by the last step. */
  getLastLr(): number {
    return this.lastLr;
  }

  /** Where the schedule is, to resume it: { lastEpoch, lastLr }. */
  stateDict(): { lastEpoch: number; lastLr: number } {
    return { lastEpoch: this.lastEpoch, lastLr: this.lastLr };
  }

  /** Resumes from stateDict() and writes lastLr into the optimizer. */
  loadStateDict(sd: { lastEpoch: number; lastLr: number }): void {
    if (!Number.isInteger(sd?.lastEpoch) || typeof sd.lastLr !== 'number' || !Number.isFinite(sd.lastLr)) {
      throw new TypeError(
        `${this.constructor.name}.loadStateDict: expected { lastEpoch: integer, lastLr: finite number }`,
      );
    }
    this.lastEpoch = sd.lastEpoch;
    this.lastLr = sd.lastLr;
    this.optimizer.lr = sd.lastLr;
  }
}

/**
 * lr · γ every `stepSize` epochs: lrₜ = lr₀ · γ^⌊t / stepSize⌋.
 * @example new StepLR(opt, { stepSize: 30, gamma: 0.1 });
 */
export class StepLR extends LRScheduler {
  readonly stepSize: number;
  readonly gamma: number;
  constructor(optimizer: Optimizer, opts: { stepSize: number; gamma?: number }) {
    super(optimizer);
    checkOptions(opts, 'StepLR', ['stepSize', 'gamma']);
    if (!Number.isInteger(opts?.stepSize) || opts.stepSize < 1)
      throw new RangeError(`StepLR: stepSize must be a positive integer, got ${quote(opts?.stepSize)}`);
    this.stepSize = opts.stepSize;
    this.gamma = checkNumber(opts.gamma ?? 0.1, 'StepLR', 'gamma', 0);
    this.start();
  }
  protected computeLr(): number {
    const lr = this.optimizer.lr;
    return this.lastEpoch === 0 || this.lastEpoch % this.stepSize !== 0 ? lr : lr * this.gamma;
  }
}

/** lrₜ = lr₀ · γᵗ. @example new ExponentialLR(opt, { gamma: 0.95 }); */
export class ExponentialLR extends LRScheduler {
  readonly gamma: number;
  constructor(optimizer: Optimizer, opts: { gamma: number }) {
    super(optimizer);
    checkOptions(opts, 'ExponentialLR', ['gamma']);
    this.gamma = checkNumber(opts?.gamma, 'ExponentialLR', 'gamma', 0);
    this.start();
  }
  protected computeLr(): number {
    return this.lastEpoch === 0 ? this.optimizer.lr : this.optimizer.lr * this.gamma;
  }
}

/**
 * Cosine annealing from lr₀ to etaMin over tMax epochs: lrₜ = etaMin + (lr₀ − etaMin)(1 + cos(πt/tMax))/2,
 * computed with PyTorch's recursive form (and its periodic continuation past tMax).
 * @example new CosineAnnealingLR(opt, { tMax: 100 });
 */
export class CosineAnnealingLR extends LRScheduler {
  readonly tMax: number;
  readonly etaMin: number;
  constructor(optimizer: Optimizer, opts: { tMax: number; etaMin?: number }) {
    super(optimizer);
    checkOptions(opts, 'CosineAnnealingLR', ['tMax', 'etaMin']);
    if (!Number.isInteger(opts?.tMax) || opts.tMax < 1)
      throw new RangeError(`CosineAnnealingLR: tMax must be a positive integer, got ${quote(opts?.tMax)}`);
    this.tMax = opts.tMax;
    this.etaMin = checkNumber(opts.etaMin ?? 0, 'CosineAnnealingLR', 'etaMin', 0);
    this.start();
  }
  protected computeLr(): number {
    const t = this.lastEpoch,
      T = this.tMax,
      lr = this.optimizer.lr,
      eta = this.etaMin;
    if (t === 0) return lr;
    if ((t - 1 - T) % (2 * T) === 0) return lr + ((this.baseLr - eta) * (1 - Math.cos(Math.PI / T))) / 2;
    return ((1 + Math.cos((Math.PI * t) / T)) / (1 + Math.cos((Math.PI * (t - 1)) / T))) * (lr - eta) + eta;
  }
}

/**
 * Linear warm-up (or decay) of the factor from startFactor to endFactor over totalIters epochs, then
 * constant: lrₜ = lr₀ · (s + (e − s) · min(t, T)/T). Defaults as PyTorch: 1/3, 1, 5.
 * @example new LinearLR(opt, { startFactor: 0.1, totalIters: 10 });
 */
export class LinearLR extends LRScheduler {
  readonly startFactor: number;
  readonly endFactor: number;
  readonly totalIters: number;
  constructor(optimizer: Optimizer, opts: { startFactor?: number; endFactor?: number; totalIters?: number } = {}) {
    super(optimizer);
    checkOptions(opts, 'LinearLR', ['startFactor', 'endFactor', 'totalIters']);
    this.startFactor = checkNumber(opts.startFactor ?? 1 / 3, 'LinearLR', 'startFactor', Number.MIN_VALUE, 1);
    this.endFactor = checkNumber(opts.endFactor ?? 1, 'LinearLR', 'endFactor', 0, 1);
    const T = opts.totalIters ?? 5;
    if (!Number.isInteger(T) || T < 1)
      throw new RangeError(`LinearLR: totalIters must be a positive integer, got ${quote(T)}`);
    this.totalIters = T;
    this.start();
  }
  protected computeLr(): number {
    const t = this.lastEpoch,
      s = this.startFactor,
      e = this.endFactor,
      T = this.totalIters,
      lr = this.optimizer.lr;
    if (t === 0) return lr * s;
    if (t > T) return lr;
    return lr * (1 + (e - s) / (T * s + (t - 1) * (e - s)));
  }
}

/**
 * OneCycleLR's options, PyTorch's names in camelCase; maxLr and the length (totalSteps, or epochs × stepsPerEpoch) are
 * required.
 */
export interface OneCycleOptions {
  maxLr: number;
  /** Total number of steps (batches); or give epochs and stepsPerEpoch. */
  totalSteps?: number;
  epochs?: number;
  stepsPerEpoch?: number;
  pctStart?: number;
  annealStrategy?: 'cos' | 'linear';
  /** Cycle SGD's momentum (or Adam's β₁) inversely to the rate, between baseMomentum and maxMomentum. */
  cycleMomentum?: boolean;
  baseMomentum?: number;
  maxMomentum?: number;
  divFactor?: number;
  finalDivFactor?: number;
  threePhase?: boolean;
}

const ONE_CYCLE_KEYS = [
  'maxLr',
  'totalSteps',
  'epochs',
  'stepsPerEpoch',
  'pctStart',
  'annealStrategy',
  'cycleMomentum',
  'baseMomentum',
  'maxMomentum',
  'divFactor',
  'finalDivFactor',
  'threePhase',
] as const;

interface Phase {
  end: number;
  startLr: number;
  endLr: number;
  startMom: number;
  endMom: number;
}

/**
 * The 1cycle policy (Smith & Topin), stepped after every batch: the rate rises from maxLr/divFactor to
 * maxLr over pctStart of the steps, then anneals to maxLr/(divFactor · finalDivFactor); momentum
 * moves the other way. PyTorch's closed form and defaults (0.3, 'cos', 25, 1e4, 0.85–0.95).
 * @example new OneCycleLR(opt, { maxLr: 0.1, epochs: 10, stepsPerEpoch: 20 });
 */
export class OneCycleLR extends LRScheduler {
  override readonly interval = 'batch' as const;
  readonly totalSteps: number;
  private readonly phases: Phase[];
  private readonly anneal: (a: number, b: number, pct: number) => number;
  private readonly cycleMomentum: boolean;

  constructor(optimizer: Optimizer, opts: OneCycleOptions) {
    super(optimizer);
    if (opts === undefined || opts === null)
      throw new TypeError('OneCycleLR: expected options { maxLr, totalSteps, … }');
    const o = checkOptions(opts, 'OneCycleLR', ONE_CYCLE_KEYS);
    const maxLr = checkNumber(o.maxLr, 'OneCycleLR', 'maxLr', 0);
    const total =
      o.totalSteps ?? (o.epochs !== undefined && o.stepsPerEpoch !== undefined ? o.epochs * o.stepsPerEpoch : NaN);
    if (!Number.isInteger(total) || total < 1)
      throw new RangeError(
        `OneCycleLR: give totalSteps, or epochs and stepsPerEpoch, as positive integers (got totalSteps ${quote(o.totalSteps)}, epochs ${quote(o.epochs)}, stepsPerEpoch ${quote(o.stepsPerEpoch)})`,
      );
    this.totalSteps = total;
    const pct = checkNumber(o.pctStart ?? 0.3, 'OneCycleLR', 'pctStart', 0, 1);
    const strategy = o.annealStrategy ?? 'cos';
    if (strategy !== 'cos' && strategy !== 'linear')
      throw new RangeError(`OneCycleLR: annealStrategy must be 'cos' or 'linear', got ${quote(strategy)}`);
    this.anneal =
      strategy === 'cos' ? (a, b, p) => b + ((a - b) / 2) * (Math.cos(Math.PI * p) + 1) : (a, b, p) => (b - a) * p + a;
    const initial = maxLr / checkNumber(o.divFactor ?? 25, 'OneCycleLR', 'divFactor', Number.MIN_VALUE);
    const minLr = initial / checkNumber(o.finalDivFactor ?? 1e4, 'OneCycleLR', 'finalDivFactor', Number.MIN_VALUE);
    this.cycleMomentum = checkBoolean(o.cycleMomentum, 'OneCycleLR', 'cycleMomentum', true);
    const threePhase = checkBoolean(o.threePhase, 'OneCycleLR', 'threePhase', false);
    // The momenta become SGD's momentum or Adam's β₁ (PyTorch checks neither): finite, in [0, 1).
    const momentum = (k: 'baseMomentum' | 'maxMomentum', fallback: number): number => {
      const v = checkNumber(o[k] ?? fallback, 'OneCycleLR', k, 0, 1);
      if (v === 1) throw new RangeError(`OneCycleLR: ${k} must be below 1, got 1`);
      return v;
    };
    const base = momentum('baseMomentum', 0.85),
      top = momentum('maxMomentum', 0.95);
    this.phases = threePhase
      ? [
          { end: pct * total - 1, startLr: initial, endLr: maxLr, startMom: top, endMom: base },
          { end: 2 * pct * total - 2, startLr: maxLr, endLr: initial, startMom: base, endMom: top },
          { end: total - 1, startLr: initial, endLr: minLr, startMom: top, endMom: top },
        ]
      : [
          { end: pct * total - 1, startLr: initial, endLr: maxLr, startMom: top, endMom: base },
          { end: total - 1, startLr: maxLr, endLr: minLr, startMom: base, endMom: top },
        ];
    if (this.cycleMomentum && !(optimizer instanceof SGD || optimizer instanceof Adam)) {
      throw new TypeError(
        'OneCycleLR: cycleMomentum needs an optimizer with momentum (SGD) or betas (Adam, AdamW); pass cycleMomentum: false',
      );
    }
    this.optimizer.lr = initial;
    this.start();
  }

  protected computeLr(): number {
    const t = this.lastEpoch;
    if (t > this.totalSteps)
      throw new RangeError(`OneCycleLR: stepped ${t} times, but totalSteps is ${this.totalSteps}`);
    let start = 0;
    for (let i = 0; i < this.phases.length; i++) {
      const ph = this.phases[i]!;
      if (t <= ph.end || i === this.phases.length - 1) {
        // PyTorch divides by zero here (ZeroDivisionError); a NaN rate would train silently.
        if (ph.end === start)
          throw new RangeError(
            `OneCycleLR: phase ${i + 1} of the schedule is empty at step ${t} (pctStart · totalSteps = ${ph.end + 1}); choose pctStart or totalSteps so that pctStart · totalSteps ≠ 1`,
          );
        const p = (t - start) / (ph.end - start);
        if (this.cycleMomentum) this.setMomentum(this.anneal(ph.startMom, ph.endMom, p));
        return this.anneal(ph.startLr, ph.endLr, p);
      }
      start = ph.end;
    }
    return this.optimizer.lr;
  }

  private setMomentum(m: number): void {
    const opt = this.optimizer;
    if (opt instanceof Adam) opt.betas = [m, opt.betas[1]];
    else if (opt instanceof SGD) opt.momentum = m;
  }
}
