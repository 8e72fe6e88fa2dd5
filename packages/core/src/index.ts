// @xent/core: the public surface, what users call. Narrow, named exports only; engine and kernel
// internals (record, topoSort, sumTo, kernels, setKernels, referenceKernels, Kernels) live on the
// documented subpath `@xent/core/extend` (see extend.ts and docs/extending.md).
export { Value } from './value.js';
export { Tensor, type TensorLike } from './tensor.js';
export type { DType, Storage } from './dtype.js';
export type { Shape } from './shape.js';
export { broadcastShapes } from './shape.js';
export { Generator, manualSeed, defaultGenerator } from './random.js';
export { noGrad, enableGrad, isGradEnabled } from './engine.js';
export { setBackend, getBackend, wasmBuild, type Backend } from './kernels/index.js';
export { setNumThreads, getNumThreads } from './kernels/wasm/threads.js';

export {
  tensor,
  zeros,
  ones,
  full,
  zerosLike,
  onesLike,
  arange,
  linspace,
  eye,
  rand,
  randn,
  randint,
  randperm,
  type CreateOptions,
  type RandomOptions,
  type TensorData,
} from './ops/creation.js';
export {
  add,
  sub,
  mul,
  div,
  pow,
  neg,
  exp,
  log,
  sqrt,
  abs,
  sign,
  square,
  erf,
  sin,
  cos,
  clamp,
  maximum,
  minimum,
  where,
  eq,
  ne,
  gt,
  ge,
  lt,
  le,
  clone,
  cast,
} from './ops/elementwise.js';
export { tanh, sigmoid, softplus, relu, leakyRelu, gelu } from './ops/activation.js';
export { sum, mean, max, min, argmax, argmin, logsumexp, variance, std } from './ops/reduce.js';
export { matmul, mm, dot, outer } from './ops/matmul.js';
export { reshape, flatten, permute, transpose, squeeze, unsqueeze, expand, slice, cat, stack } from './ops/shape.js';
export { indexSelect, gather, scatterAdd, oneHot, type IndexLike } from './ops/indexing.js';
export { softmax, logSoftmax } from './ops/softmax.js';

export { gradients, grad, valueAndGrad, jacobian, hessian } from './functional.js';
export { gradcheck, type GradcheckOptions } from './gradcheck.js';
export { toDot, toSvg, traceGraph, type GraphOptions, type TracedGraph, type TracedNode } from './viz/index.js';
export { crossEntropy, type CrossEntropyOptions } from './losses/cross-entropy.js';
export { nllLoss, type NllLossOptions } from './losses/nll.js';
export { binaryCrossEntropy, binaryCrossEntropyWithLogits, type BinaryOptions } from './losses/binary.js';
export { klDiv } from './losses/kl.js';
export { mseLoss } from './losses/mse.js';
export { entropy, crossEntropyBetween, klDivergence, type InformationOptions } from './losses/information.js';
export type { Reduction, ClassTarget } from './losses/targets.js';
export { linear } from './ops/linear.js';
