import { fastActivationGrad, fastBinary, fastReduce, fastUnaryParam, fastWhere } from './fast-elementwise.js';
import { fastMatmul } from './fast-matmul.js';
import { fastCrossEntropy, fastCrossEntropyBackward, fastSoftmax } from './fast-softmax.js';
import { referenceKernels } from './reference.js';
import type { Kernels } from './types.js';

export type { BinaryOp, Kernels, ParamOp, ReduceOp, UnaryOp } from './types.js';
export { referenceKernels } from './reference.js';

/**
 * What the fast set replaces: each override speeds up the common cases and hands every other case to
 * the reference kernel of the same name (fast-*.ts). The reference stays the oracle they are tested against.
 */
const fastOverrides = {
  unaryParam: fastUnaryParam,
  where: fastWhere,
  activationGrad: fastActivationGrad,
  binary: fastBinary,
  reduce: fastReduce,
  matmul: fastMatmul,
  softmax: fastSoftmax,
  crossEntropy: fastCrossEntropy,
  crossEntropyBackward: fastCrossEntropyBackward,
} satisfies Partial<Kernels>;

/**
 * The default kernels: the reference set with the hot ones replaced by faster pure-TypeScript versions.
 * @example setKernels(fastKernels); // back to the default set
 */
export const fastKernels: Kernels = { ...referenceKernels, ...fastOverrides };

let active: Kernels = fastKernels;

/**
 * The kernels every op calls (the fast set unless `setKernels` changed it).
 * @example kernels().matmul === fastKernels.matmul; // true by default
 */
export function kernels(): Kernels {
  return active;
}

/**
 * Replaces some or all kernels (for a faster implementation); returns the previous set.
 * @example const prev = setKernels({ matmul: myMatmul }); setKernels(prev);
 */
export function setKernels(k: Partial<Kernels>): Kernels {
  const prev = active;
  active = { ...active, ...k };
  return prev;
}
