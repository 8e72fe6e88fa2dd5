import { type DType, type Generator, type Tensor, defaultGenerator, flatten, mul, zeros } from '@xent/core';
import { Module } from '../module.js';
import { type ActivationName, activation } from './activations.js';
import { Linear } from './linear.js';

/** Returns its input. @example new Identity().forward(x) === x; */
export class Identity extends Module {
  forward(x: Tensor): Tensor {
    return x;
  }
}

/**
 * Merges dims startDim..endDim (default 1..−1: everything but the batch dim).
 * @example new Flatten().forward(zeros([2, 8, 8])); // [2, 64]
 */
export class Flatten extends Module {
  constructor(
    readonly startDim = 1,
    readonly endDim = -1,
  ) {
    super();
  }
  forward(x: Tensor): Tensor {
    return flatten(x, this.startDim, this.endDim);
  }
  override extraRepr(): string {
    return `startDim=${this.startDim}, endDim=${this.endDim}`;
  }
}

/**
 * Zeroes each element with probability p while training and scales the rest by 1 / (1 − p);
 * the identity in eval mode.
 * @example const d = new Dropout(0.5); d.eval(); d.forward(x) === x;
 */
export class Dropout extends Module {
  readonly p: number;
  private readonly generator: Generator | undefined;

  constructor(p = 0.5, opts: { generator?: Generator } = {}) {
    super();
    if (!(p >= 0 && p <= 1)) throw new RangeError(`Dropout: p must be a probability in [0, 1], got ${p}`);
    this.p = p;
    this.generator = opts.generator;
  }

  forward(x: Tensor): Tensor {
    if (!this.training || this.p === 0) return x;
    const mask = zeros(x.shape, { dtype: x.dtype });
    if (this.p === 1) return mul(x, mask);
    const g = this.generator ?? defaultGenerator();
    const keep = 1 / (1 - this.p),
      m = mask.data,
      p = this.p;
    for (let i = 0; i < m.length; i++) m[i] = g.random() < p ? 0 : keep;
    return mul(x, mask);
  }

  override extraRepr(): string {
    return `p=${this.p}`;
  }
}

/**
 * Layers applied in order; parameters are named by position ('0.weight', '2.bias') as in PyTorch.
 * @example const net = new Sequential(new Linear(2, 16), new ReLU(), new Linear(16, 3));
 */
export class Sequential extends Module {
  constructor(...layers: Module[]) {
    super();
    layers.forEach((l, i) => {
      if (!(l instanceof Module)) throw new TypeError(`Sequential: argument ${i} is not a Module`);
      (this as unknown as Record<string, Module>)[String(i)] = l;
    });
  }

  /** The layers, in order. */
  get layers(): Module[] {
    return this.children();
  }

  /** Number of layers. */
  get length(): number {
    return this.children().length;
  }

  /** The i-th layer (negative counts from the end). */
  at(i: number): Module {
    const l = this.layers;
    const m = l[i < 0 ? i + l.length : i];
    if (!m) throw new RangeError(`Sequential.at: index ${i} is out of range for ${l.length} layers`);
    return m;
  }

  forward(x: Tensor): Tensor {
    let y = x;
    for (const layer of this.children()) y = layer.forward(y);
    return y;
  }
}

/** MLP's options: the hidden activation, dropout, generator and dtype. */
export interface MLPOptions {
  /** Between hidden layers (none after the last): a name or a factory. Default 'relu'. */
  activation?: ActivationName | (() => Module);
  /** Dropout probability after each hidden activation (0: none). */
  dropout?: number;
  generator?: Generator;
  /** Parameter storage (default float64). */
  dtype?: DType;
}

/**
 * A multilayer perceptron from layer sizes [in, h1, …, out]: Linear, activation (and Dropout) per
 * hidden layer, a final Linear producing logits.
 * @example const net = new MLP([2, 64, 64, 3], { activation: 'tanh' });
 */
export class MLP extends Sequential {
  constructor(sizes: readonly number[], opts: MLPOptions = {}) {
    if (!Array.isArray(sizes) || sizes.length < 2)
      throw new RangeError(`MLP: sizes must list at least the input and output sizes, got ${JSON.stringify(sizes)}`);
    const act = opts.activation ?? 'relu';
    const make = typeof act === 'function' ? act : () => activation(act);
    const layers: Module[] = [];
    for (let i = 0; i + 1 < sizes.length; i++) {
      layers.push(new Linear(sizes[i]!, sizes[i + 1]!, { generator: opts.generator, dtype: opts.dtype }));
      if (i + 2 < sizes.length) {
        layers.push(make());
        if (opts.dropout) layers.push(new Dropout(opts.dropout, { generator: opts.generator }));
      }
    }
    super(...layers);
  }
}
