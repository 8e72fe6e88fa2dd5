// @xent/nn: modules, layers, optimizers, schedulers, data and a training loop on @xent/core's
// public API. Browser-safe: nothing here needs fs, process or the DOM (see '@xent/nn/node').
export { Module, Parameter, type StateDict } from './module.js';
export { Linear, type LinearOptions } from './layers/linear.js';
export {
  ReLU,
  LeakyReLU,
  Tanh,
  Sigmoid,
  GELU,
  Softmax,
  LogSoftmax,
  activation,
  type ActivationName,
} from './layers/activations.js';
export { Identity, Flatten, Dropout, Sequential, MLP, type MLPOptions } from './layers/containers.js';
export * as init from './init.js';

export { Optimizer, type OptimizerState } from './optim/optimizer.js';
export { SGD, type SGDOptions } from './optim/sgd.js';
export { Adam, AdamW, type AdamOptions } from './optim/adam.js';
export { clipGradNorm } from './optim/clip.js';
export {
  LRScheduler,
  StepLR,
  ExponentialLR,
  CosineAnnealingLR,
  LinearLR,
  OneCycleLR,
  type OneCycleOptions,
} from './optim/schedulers.js';

export {
  type Dataset,
  TensorDataset,
  DataLoader,
  type DataLoaderOptions,
  trainTestSplit,
  type SplitOptions,
  StandardScaler,
} from './data/dataset.js';
export { spiral, moons, circles, blobs, xor, gaussianQuantiles, type ToyData, type ToyOptions } from './data/toy.js';
export { iris, wine, breastCancer, digits, type RealData } from './data/real.js';

export { accuracy, toLabels, confusionMatrix, precisionRecallF1, type ClassReport } from './metrics.js';
export { CrossEntropyLoss, NLLLoss, BCELoss, BCEWithLogitsLoss, KLDivLoss, MSELoss } from './losses.js';
export {
  fit,
  evaluate,
  predict,
  type FitOptions,
  type History,
  type Data,
  type Loss,
  type Metric,
} from './train/fit.js';
export {
  EarlyStopping,
  type Callback,
  type EarlyStoppingOptions,
  type EpochLogs,
  type TrainContext,
} from './train/callbacks.js';
export { ProgressReporter, defaultSink, type OutputSink } from './train/progress.js';
export { saveModel, loadModel, modelFromJson, parseSavedModel, type SavedModel } from './save.js';
export { describeModel, buildModel, type LayerSpec } from './architecture.js';
export { exportOnnx, type OnnxExportOptions } from './interop/onnx.js';
export {
  writeSafetensors,
  readSafetensors,
  saveSafetensors,
  loadSafetensors,
  modelFromSafetensors,
  type SafetensorsContents,
  type LoadSafetensorsOptions,
} from './interop/safetensors.js';
