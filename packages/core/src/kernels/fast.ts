import { fastActivationGrad, fastBinary, fastReduce, fastUnaryParam, fastWhere } from './fast-elementwise.js';
import { fastUnary } from './fast-erf.js';
import { fastMatmul } from './fast-matmul.js';
import { fastCrossEntropy, fastCrossEntropyBackward, fastSoftmax } from './fast-softmax.js';
import { referenceKernels } from './reference.js';
import type { Kernels } from './types.js';

/**
 * The pure-TypeScript kernels ('ts' backend): the reference set with the hot ones replaced by faster
 * versions (fast-*.ts); each override speeds up the common cases and hands every other case to the reference
 * kernel of the same name. The reference kernels stay the oracle the fast ones are tested against.
 * @example setKernels(fastKernels); // the 'ts' backend
 */
export const fastKernels: Kernels = {
  ...referenceKernels,
  ...({
    unary: fastUnary,
    unaryParam: fastUnaryParam,
    where: fastWhere,
    activationGrad: fastActivationGrad,
    binary: fastBinary,
    reduce: fastReduce,
    matmul: fastMatmul,
    softmax: fastSoftmax,
    crossEntropy: fastCrossEntropy,
    crossEntropyBackward: fastCrossEntropyBackward,
  } satisfies Partial<Kernels>),
};
