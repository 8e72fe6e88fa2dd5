import { type Tensor, gelu, leakyRelu, logSoftmax, relu, sigmoid, softmax, tanh } from '@xent/core';
import { Module } from '../module.js';
import { quote } from '../validate.js';

/** A dim argument: an integer (negative counts from the end). */
function checkDim(dim: unknown, where: string): number {
  if (!Number.isInteger(dim)) throw new TypeError(`${where}: dim must be an integer, got ${quote(dim)}`);
  return dim as number;
}

/** max(x, 0). @example new ReLU().forward(tensor([-1, 2])); // [0, 2] */
export class ReLU extends Module {
  forward(x: Tensor): Tensor {
    return relu(x);
  }
}

/**
 * x for x > 0, slope · x otherwise (slope 0.01 by default).
 * @example new LeakyReLU(0.1).forward(tensor([-1])); // [-0.1]
 */
export class LeakyReLU extends Module {
  readonly negativeSlope: number;
  constructor(negativeSlope = 0.01) {
    super();
    if (typeof negativeSlope !== 'number' || !Number.isFinite(negativeSlope))
      throw new RangeError(`LeakyReLU: negativeSlope must be a finite number, got ${quote(negativeSlope)}`);
    this.negativeSlope = negativeSlope;
  }
  forward(x: Tensor): Tensor {
    return leakyRelu(x, this.negativeSlope);
  }
  override extraRepr(): string {
    return `negativeSlope=${this.negativeSlope}`;
  }
}

/** tanh x. @example new Tanh().forward(tensor([0])); // [0] */
export class Tanh extends Module {
  forward(x: Tensor): Tensor {
    return tanh(x);
  }
}

/** σ(x) = 1 / (1 + e⁻ˣ). @example new Sigmoid().forward(tensor([0])); // [0.5] */
export class Sigmoid extends Module {
  forward(x: Tensor): Tensor {
    return sigmoid(x);
  }
}

/** GELU, exact: x · Φ(x). @example new GELU().forward(tensor([0])); // [0] */
export class GELU extends Module {
  forward(x: Tensor): Tensor {
    return gelu(x);
  }
}

/**
 * Softmax along `dim` (default −1, the class dim of [N, C]).
 * @example new Softmax().forward(tensor([0, 0])); // [0.5, 0.5]
 */
export class Softmax extends Module {
  readonly dim: number;
  constructor(dim = -1) {
    super();
    this.dim = checkDim(dim, 'Softmax');
  }
  forward(x: Tensor): Tensor {
    return softmax(x, this.dim);
  }
  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}

/** Log-softmax along `dim` (default −1); pair it with NLLLoss. @example new LogSoftmax().forward(logits); */
export class LogSoftmax extends Module {
  readonly dim: number;
  constructor(dim = -1) {
    super();
    this.dim = checkDim(dim, 'LogSoftmax');
  }
  forward(x: Tensor): Tensor {
    return logSoftmax(x, this.dim);
  }
  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}

/** Names accepted wherever an activation is chosen by name (MLP). */
export type ActivationName = 'relu' | 'leakyRelu' | 'tanh' | 'sigmoid' | 'gelu';

/** A new activation module from its name. @example activation('tanh'); // Tanh */
export function activation(name: ActivationName): Module {
  switch (name) {
    case 'relu':
      return new ReLU();
    case 'leakyRelu':
      return new LeakyReLU();
    case 'tanh':
      return new Tanh();
    case 'sigmoid':
      return new Sigmoid();
    case 'gelu':
      return new GELU();
    default:
      throw new RangeError(
        `activation: unknown activation ${quote(name)}; expected relu, leakyRelu, tanh, sigmoid or gelu`,
      );
  }
}
