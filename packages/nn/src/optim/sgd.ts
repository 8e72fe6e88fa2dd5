import type { Tensor } from '@xent/core';
import { kernels } from '@xent/core/extend';
import { Optimizer, checkNumber } from './optimizer.js';

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
    super(params, opts.lr ?? 1e-3, 'SGD', ['momentumBuffer']);
    this.momentum = checkNumber(opts.momentum ?? 0, 'SGD', 'momentum', 0);
    this.dampening = checkNumber(opts.dampening ?? 0, 'SGD', 'dampening', 0);
    this.nesterov = opts.nesterov ?? false;
    this.weightDecay = checkNumber(opts.weightDecay ?? 0, 'SGD', 'weightDecay', 0);
    if (this.nesterov && (this.momentum <= 0 || this.dampening !== 0))
      throw new RangeError('SGD: nesterov momentum requires momentum > 0 and dampening 0');
  }

  step(): void {
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

  protected setHyper(h: Record<string, unknown>): void {
    this.lr = checkNumber(h.lr ?? this.lr, 'SGD.loadStateDict', 'lr', 0);
    this.momentum = checkNumber(h.momentum ?? this.momentum, 'SGD.loadStateDict', 'momentum', 0);
    this.dampening = checkNumber(h.dampening ?? this.dampening, 'SGD.loadStateDict', 'dampening', 0);
    this.weightDecay = checkNumber(h.weightDecay ?? this.weightDecay, 'SGD.loadStateDict', 'weightDecay', 0);
    if (typeof h.nesterov === 'boolean') this.nesterov = h.nesterov;
  }
}
