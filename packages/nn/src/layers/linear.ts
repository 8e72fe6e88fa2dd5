import { type DType, type Generator, type Tensor, linear, zeros } from '@xent/core';
import { kaimingUniform, uniform } from '../init.js';
import { Module, Parameter } from '../module.js';
import { checkDType, checkGenerator, checkOptions, checkTensor, quote, shapeText } from '../validate.js';

/**
 * The most values one Linear weight may hold: 2³² − 1, V8's typed-array limit on 64-bit (other engines
 * allow fewer; past this the allocation fails with a bare "Invalid typed array length").
 */
export const MAX_LAYER_VALUES = 2 ** 32 - 1;

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
      if (!Number.isInteger(v) || v <= 0)
        throw new RangeError(`Linear: ${name} must be a positive integer, got ${quote(v)}`);
    }
    const o = checkOptions(opts, 'Linear', ['bias', 'generator', 'dtype']);
    if (o.bias !== undefined && typeof o.bias !== 'boolean')
      throw new TypeError(`Linear: bias must be true or false, got ${quote(o.bias)}`);
    const dtype = checkDType(o.dtype, 'Linear');
    const generator = checkGenerator(o.generator, 'Linear');
    if (inFeatures * outFeatures > MAX_LAYER_VALUES)
      throw new RangeError(
        `Linear: a [${outFeatures}, ${inFeatures}] weight would hold ${inFeatures * outFeatures} values, more than a typed array can (${MAX_LAYER_VALUES})`,
      );
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    let w: Tensor;
    try {
      w = zeros([outFeatures, inFeatures], { dtype });
    } catch (e) {
      throw new RangeError(
        `Linear: cannot allocate a [${outFeatures}, ${inFeatures}] ${dtype} weight (${(e as Error).message})`,
        { cause: e },
      );
    }
    this.weight = new Parameter(kaimingUniform(w, { a: Math.sqrt(5), generator }));
    const bound = 1 / Math.sqrt(inFeatures);
    this.bias =
      o.bias === false ? null : new Parameter(uniform(zeros([outFeatures], { dtype }), -bound, bound, { generator }));
  }

  /** x [..., in] → x Wᵀ + b [..., out]; the transpose is read in place, never copied. */
  forward(x: Tensor): Tensor {
    checkTensor(x, 'Linear.forward', 'input');
    const last = x.shape[x.ndim - 1];
    if (x.ndim === 0 || last !== this.inFeatures) {
      throw new RangeError(
        `Linear.forward: expected input with last dim ${this.inFeatures}, got shape ${shapeText(x.shape)}`,
      );
    }
    return linear(x, this.weight, this.bias); // one op, one allocation: the bias is added in place
  }

  override extraRepr(): string {
    return `inFeatures=${this.inFeatures}, outFeatures=${this.outFeatures}, bias=${this.bias !== null}`;
  }
}
