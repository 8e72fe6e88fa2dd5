import { type DType, type Generator, type Tensor, linear, zeros } from '@xent/core';
import { formatShape } from '@xent/core/extend';
import { kaimingUniform, uniform } from '../init.js';
import { Module, Parameter } from '../module.js';

/** Linear's options: bias, the generator of the initial weights, the dtype. */
export interface LinearOptions {
  /** Add a learnable bias (default true). */
  bias?: boolean;
  /** Random stream for the initial weights; the default generator when omitted. */
  generator?: Generator;
  dtype?: DType;
}

/**
 * A fully connected layer with PyTorch's layout and initialisation: weight [out, in], y = x Wᵀ + b,
 * W ~ U(−1/√in, 1/√in) (kaiming uniform with a = √5) and b ~ U(−1/√in, 1/√in).
 * @example const fc = new Linear(4, 3); fc.forward(randn([8, 4])); // shape [8, 3]
 */
export class Linear extends Module {
  readonly inFeatures: number;
  readonly outFeatures: number;
  weight: Parameter;
  bias: Parameter | null;

  constructor(inFeatures: number, outFeatures: number, opts: LinearOptions = {}) {
    super();
    for (const [name, v] of [
      ['inFeatures', inFeatures],
      ['outFeatures', outFeatures],
    ] as const) {
      if (!Number.isInteger(v) || v <= 0) throw new RangeError(`Linear: ${name} must be a positive integer, got ${v}`);
    }
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    const dtype = opts.dtype ?? 'float64';
    const w = kaimingUniform(zeros([outFeatures, inFeatures], { dtype }), {
      a: Math.sqrt(5),
      generator: opts.generator,
    });
    this.weight = new Parameter(w);
    const bound = 1 / Math.sqrt(inFeatures);
    this.bias =
      opts.bias === false
        ? null
        : new Parameter(uniform(zeros([outFeatures], { dtype }), -bound, bound, { generator: opts.generator }));
  }

  /** x [..., in] → x Wᵀ + b [..., out]; the transpose is read in place, never copied. */
  forward(x: Tensor): Tensor {
    const last = x.shape[x.ndim - 1];
    if (x.ndim === 0 || last !== this.inFeatures) {
      throw new RangeError(
        `Linear.forward: expected input with last dim ${this.inFeatures}, got shape ${formatShape(x.shape)}`,
      );
    }
    return linear(x, this.weight, this.bias); // one op, one allocation: the bias is added in place
  }

  override extraRepr(): string {
    return `inFeatures=${this.inFeatures}, outFeatures=${this.outFeatures}, bias=${this.bias !== null}`;
  }
}
