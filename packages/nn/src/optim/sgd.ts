import type { Tensor } from '@xent/core';
import { kernels } from '@xent/core/extend';
import { checkOptions, quote } from '../validate.js';
import { Optimizer, checkNumber } from './optimizer.js';

const SGD_KEYS = ['lr', 'momentum', 'dampening', 'nesterov', 'weightDecay'] as const;

/** SGD's options, PyTorch's names in camelCase (all 0 / false by default, lr 1e-3). */
export interface SGDOptions {
  lr?: number;
  momentum?: number;
  dampening?: number;
  nesterov?: boolean;
  weightDecay?: number;
}

/**
 * Stochastic gradient descent with PyTorch's update rule:
 * g ← ∇ + λθ; b ← μb + (1 − τ)g (b = g on the first step); g ← g + μb (nesterov) or b; θ ← θ − lr·g.
 * @example const opt = new SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
 */
export class SGD extends Optimizer {
  momentum: number;
  dampening: number;
  nesterov: boolean;
  weightDecay: number;

  constructor(params: Iterable<Tensor>, opts: SGDOptions = {}) {
    const o = checkOptions(opts, 'SGD', SGD_KEYS);
    super(params, o.lr ?? 1e-3, 'SGD', ['momentumBuffer']);
    const h = {
      lr: this.lr,
      momentum: o.momentum ?? 0,
      dampening: o.dampening ?? 0,
      nesterov: o.nesterov ?? false,
      weightDecay: o.weightDecay ?? 0,
    };
    this.checkHyper(h, 'SGD');
    this.momentum = h.momentum;
    this.dampening = h.dampening;
    this.nesterov = h.nesterov;
    this.weightDecay = h.weightDecay;
  }

  step(): void {
    this.checkStep();
    const { lr, momentum: mu, dampening, nesterov, weightDecay: wd } = this;
    for (let k = 0; k < this.params.length; k++) {
      const p = this.params[k]!;
      if (!p.grad) continue;
      const th = p.data,
        g = p.grad.data;
      // One pass in the active kernel set (wasm or TypeScript): d = g + wd·θ, momentum, θ −= lr·step.
      const first = this.steps[k] === 0 || (mu !== 0 && this.buffers.momentumBuffer![k] === null);
      const b = mu === 0 ? null : this.buffer('momentumBuffer', k);
      kernels().sgdUpdate(th, g, b, { lr, momentum: mu, dampening, weightDecay: wd, nesterov, first });
      this.steps[k]!++;
    }
  }

  protected hyper(): Record<string, number | boolean> {
    return {
      lr: this.lr,
      momentum: this.momentum,
      dampening: this.dampening,
      nesterov: this.nesterov,
      weightDecay: this.weightDecay,
    };
  }

  protected checkHyper(h: Record<string, unknown>, where: string): void {
    checkNumber(h.lr, where, 'lr', 0);
    checkNumber(h.momentum, where, 'momentum', 0);
    checkNumber(h.dampening, where, 'dampening', 0);
    checkNumber(h.weightDecay, where, 'weightDecay', 0);
    if (typeof h.nesterov !== 'boolean')
      throw new TypeError(`${where}: nesterov must be true or false, got ${quote(h.nesterov)}`);
    if (h.nesterov && ((h.momentum as number) <= 0 || h.dampening !== 0))
      throw new RangeError(`${where}: nesterov momentum requires momentum > 0 and dampening 0`);
  }

  protected setHyper(h: Record<string, unknown>): void {
    this.lr = h.lr as number;
    this.momentum = h.momentum as number;
    this.dampening = h.dampening as number;
    this.weightDecay = h.weightDecay as number;
    this.nesterov = h.nesterov as boolean;
  }
}
