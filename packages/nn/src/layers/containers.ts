import { type DType, type Generator, type Tensor, defaultGenerator, flatten, mul, zeros } from '@xent/core';
import { Module } from '../module.js';
import { type ActivationName, activation } from './activations.js';
import { Linear, MAX_LAYER_VALUES } from './linear.js';
import { checkDType, checkGenerator, checkOptions, quote } from '../validate.js';

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
  readonly startDim: number;
  readonly endDim: number;
  constructor(startDim = 1, endDim = -1) {
    super();
    for (const [k, v] of [
      ['startDim', startDim],
      ['endDim', endDim],
    ] as const)
      if (!Number.isInteger(v)) throw new TypeError(`Flatten: ${k} must be an integer, got ${quote(v)}`);
    this.startDim = startDim;
    this.endDim = endDim;
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
    const o = checkOptions(opts, 'Dropout', ['generator']);
    if (typeof p !== 'number' || !(p >= 0 && p <= 1))
      throw new RangeError(`Dropout: p must be a probability in [0, 1], got ${quote(p)}`);
    this.p = p;
    this.generator = checkGenerator(o.generator, 'Dropout');
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
  /** Layers added so far (a private field: not a child, not listed by Object.keys). */
  #count = 0;

  constructor(...layers: Module[]) {
    super();
    layers.forEach((l, i) => {
      if (!(l instanceof Module)) throw new TypeError(`Sequential: argument ${i} is ${quote(l)}, not a Module`);
      this.append(l);
    });
  }

  /**
   * Adds a layer at the end (PyTorch's append): the way to build a Sequential from a list of any
   * length, where spreading a huge list into the constructor would overflow the stack.
   * @example const net = new Sequential(); for (const l of layers) net.append(l);
   */
  append(layer: Module): this {
    if (!(layer instanceof Module)) throw new TypeError(`Sequential.append: expected a Module, got ${quote(layer)}`);
    (this as unknown as Record<string, Module>)[String(this.#count++)] = layer;
    return this;
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
      throw new RangeError(`MLP: sizes must list at least the input and output sizes, got ${quote(sizes)}`);
    sizes.forEach((n, i) => {
      if (!Number.isInteger(n) || n < 1)
        throw new RangeError(`MLP: sizes[${i}] must be a positive integer, got ${quote(n)}`);
    });
    const o = checkOptions(opts, 'MLP', ['activation', 'dropout', 'generator', 'dtype']);
    const act = o.activation ?? 'relu';
    if (typeof act !== 'function') activation(act); // an unknown name fails here, before any weight is made
    const dropout = o.dropout ?? 0;
    if (typeof dropout !== 'number' || !(dropout >= 0 && dropout <= 1))
      throw new RangeError(`MLP: dropout must be a probability in [0, 1], got ${quote(dropout)}`);
    const generator = checkGenerator(o.generator, 'MLP');
    const dtype = checkDType(o.dtype, 'MLP');
    checkSize(sizes, 'MLP');
    const make = typeof act === 'function' ? act : () => activation(act);
    const layers: Module[] = [];
    for (let i = 0; i + 1 < sizes.length; i++) {
      layers.push(new Linear(sizes[i]!, sizes[i + 1]!, { generator, dtype }));
      if (i + 2 < sizes.length) {
        layers.push(make());
        if (dropout > 0) layers.push(new Dropout(dropout, { generator }));
      }
    }
    super();
    for (const l of layers) this.append(l);
  }
}

/** Checks, before anything is allocated, that an MLP's weights fit in memory at all (2³² values per layer). */
function checkSize(sizes: readonly number[], where: string): void {
  for (let i = 0; i + 1 < sizes.length; i++) {
    const n = sizes[i]! * sizes[i + 1]!;
    if (n > MAX_LAYER_VALUES)
      throw new RangeError(
        `${where}: layer ${i} would hold ${sizes[i + 1]} × ${sizes[i]} = ${n} weights, more than a typed array can (${MAX_LAYER_VALUES})`,
      );
  }
}
