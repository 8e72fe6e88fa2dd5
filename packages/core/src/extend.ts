/**
 * @xent/core/extend: the engine and kernel internals, for extension authors (a new op, a faster
 * kernel set). Users import from `@xent/core`; see docs/extending.md for the contract and an example.
 *
 * - `record(name, inputs, out, vjp, saved?)` turns a freshly computed tensor into a graph node: the one
 *   way every differentiable op of xent is defined (primitives, fused ops and fused backwards alike);
 *   `saved` lists the tensors the vjp reads, whose in-place modification backward then refuses.
 * - `topoSort(root)` the engine's iterative sort; `runBackward` the engine itself (Value and Tensor).
 * - `sumTo(x, shape)` undoes broadcasting (the engine calls it once per gradient).
 * - Fused backwards as ops (`reluBackward`, `leakyReluBackward`, `tanhBackward`, `sigmoidBackward`),
 *   `softmaxNode`/`logSoftmaxNode` (a softmax a fused op already computed, recorded as the op softmax),
 *   `reduceLoss` (every loss's reduction).
 * - `kernels()` the active kernel set, `setKernels(partial)` to swap some, `referenceKernels` the
 *   readable oracle, `fastKernels` the pure-TypeScript set ('ts' backend),
 *   `wasmKernels` the WebAssembly SIMD set ('wasm' backend, the default) and `wasmLimits` its size
 *   thresholds (`defaultWasmLimits` the shipped ones); `threadLimits` the size from which a product runs on
 *   the `setNumThreads` pool (`defaultThreadLimits`); the `Kernels` contract and its argument types.
 */
export { record } from './record.js';
export { asTensor } from './tensor.js';
export { topoSort, runBackward, type GradSpace, type GraphNode, type OpNode } from './engine.js';
export { sumTo } from './ops/reduce.js';
export { reluBackward, leakyReluBackward, tanhBackward, sigmoidBackward } from './ops/activation.js';
export { softmaxNode, logSoftmaxNode } from './ops/softmax.js';
export { reduceLoss } from './losses/reduction.js';
export {
  kernels,
  setKernels,
  referenceKernels,
  fastKernels,
  wasmKernels,
  type Kernels,
  type UnaryOp,
  type BinaryOp,
  type ReduceOp,
  type SgdStep,
  type AdamStep,
  type ParamOp,
  type ActivationOp,
} from './kernels/index.js';
export type { CrossEntropyTarget } from './kernels/types.js';
export { wasmLimits, defaultWasmLimits } from './kernels/wasm/wasm-kernels.js';
export { threadLimits, defaultThreadLimits } from './kernels/wasm/threads.js';
export { alloc } from './dtype.js';
export { broadcastStrides, stridesOf, sizeOf, fmt as formatShape } from './shape.js';
