import type { Tensor } from '@xent/core';
import { kernels } from '@xent/core/extend';
import { checkOptions, quote } from '../validate.js';
import { Optimizer, checkNumber } from './optimizer.js';

const ADAM_KEYS = ['lr', 'betas', 'eps', 'weightDecay', 'amsgrad'] as const;

/** Adam's and AdamW's options, PyTorch's names in camelCase (lr 1e-3, betas [0.9, 0.999], eps 1e-8). */
export interface AdamOptions {
  lr?: number;
  betas?: readonly [number, number];
  eps?: number;
  weightDecay?: number;
  amsgrad?: boolean;
}

/**
 * Adam with PyTorch's update rule (t counts this parameter's steps):
 * g ← ∇ + λθ; m ← β₁m + (1 − β₁)g; v ← β₂v + (1 − β₂)g²; (amsgrad: v̂ ← max(v̂, v));
 * θ ← θ − lr/(1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + ε).
 * @example const opt = new Adam(model.parameters(), { lr: 1e-2 });
 */
export class Adam extends Optimizer {
  betas: [number, number];
  eps: number;
  weightDecay: number;
  amsgrad: boolean;
  /** AdamW decays the weights directly (θ ← θ(1 − lr·λ)) instead of adding λθ to the gradient. */
  protected readonly decoupled: boolean = false;

  constructor(params: Iterable<Tensor>, opts: AdamOptions = {}, name = 'Adam', defaultDecay = 0) {
    const o = checkOptions(opts, name, ADAM_KEYS);
    super(params, o.lr ?? 1e-3, name, ['expAvg', 'expAvgSq', 'maxExpAvgSq']);
    const h = {
      lr: this.lr,
      betas: o.betas ?? [0.9, 0.999],
      eps: o.eps ?? 1e-8,
      weightDecay: o.weightDecay ?? defaultDecay,
      amsgrad: o.amsgrad ?? false,
    };
    this.checkHyper(h, name);
    this.betas = [h.betas[0], h.betas[1]];
    this.eps = h.eps;
    this.weightDecay = h.weightDecay;
    this.amsgrad = h.amsgrad;
  }

  step(): void {
    this.checkStep();
    const { lr, eps, weightDecay: wd, amsgrad, decoupled } = this;
    const [b1, b2] = this.betas;
    for (let k = 0; k < this.params.length; k++) {
      const p = this.params[k]!;
      if (!p.grad) continue;
      const t = ++this.steps[k]!;
      const th = p.data,
        g = p.grad.data;
      const m = this.buffer('expAvg', k),
        v = this.buffer('expAvgSq', k);
      const vmax = amsgrad ? this.buffer('maxExpAvgSq', k) : null;
      const bc1 = 1 - b1 ** t,
        bc2Sqrt = Math.sqrt(1 - b2 ** t);
      const stepSize = lr / bc1;
      const decay = decoupled ? 1 - lr * wd : 1;
      const l2 = decoupled ? 0 : wd;
      // One pass in the active kernel set (wasm or TypeScript).
      kernels().adamUpdate(th, g, m, v, vmax, { stepSize, beta1: b1, beta2: b2, eps, bc2Sqrt, l2, decay });
    }
  }

  protected hyper(): Record<string, number | boolean | number[]> {
    return { lr: this.lr, betas: [...this.betas], eps: this.eps, weightDecay: this.weightDecay, amsgrad: this.amsgrad };
  }

  protected checkHyper(h: Record<string, unknown>, where: string): void {
    checkNumber(h.lr, where, 'lr', 0);
    const betas = h.betas;
    if (!Array.isArray(betas) || betas.length !== 2)
      throw new TypeError(`${where}: betas must be a pair of numbers in [0, 1), got ${quote(betas)}`);
    // PyTorch's rule, 0 ≤ β < 1: β = 1 would divide by 1 − βᵗ = 0.
    for (const i of [0, 1])
      if (checkNumber(betas[i], where, `betas[${i}]`, 0, 1) === 1)
        throw new RangeError(`${where}: betas[${i}] must be below 1, got 1`);
    checkNumber(h.eps, where, 'eps', 0);
    checkNumber(h.weightDecay, where, 'weightDecay', 0);
    if (typeof h.amsgrad !== 'boolean')
      throw new TypeError(`${where}: amsgrad must be true or false, got ${quote(h.amsgrad)}`);
  }

  protected setHyper(h: Record<string, unknown>): void {
    const betas = h.betas as number[];
    this.lr = h.lr as number;
    this.betas = [betas[0]!, betas[1]!];
    this.eps = h.eps as number;
    this.weightDecay = h.weightDecay as number;
    this.amsgrad = h.amsgrad as boolean;
  }
}

/**
 * Adam with decoupled weight decay (Loshchilov & Hutter), PyTorch's AdamW: θ ← θ(1 − lr·λ) before
 * the Adam step on the plain gradient. weightDecay defaults to 0.01, as PyTorch.
 * @example const opt = new AdamW(model.parameters(), { lr: 1e-3, weightDecay: 0.01 });
 */
export class AdamW extends Adam {
  protected override readonly decoupled: boolean = true;
  constructor(params: Iterable<Tensor>, opts: AdamOptions = {}) {
    super(params, opts, 'AdamW', 0.01);
  }
}
