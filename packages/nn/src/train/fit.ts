import { Tensor, cat, defaultGenerator, noGrad } from '@xent/core';
import { formatShape } from '@xent/core/extend';
import { DataLoader, type Dataset, TensorDataset } from '../data/dataset.js';
import { Module } from '../module.js';
import { clipGradNorm } from '../optim/clip.js';
import type { Optimizer } from '../optim/optimizer.js';
import type { LRScheduler } from '../optim/schedulers.js';
import type { Callback, EpochLogs, TrainContext } from './callbacks.js';
import { type Loss, Meter, type Metric, callLoss, checkMetrics, thresholdOf } from './meter.js';
import { type OutputSink, ProgressReporter, defaultSink } from './progress.js';
import { checkBoolean, checkOptions, checkSeed, checkTensor, quote } from '../validate.js';

const FIT_KEYS = [
  'data',
  'valData',
  'loss',
  'optimizer',
  'epochs',
  'batchSize',
  'shuffle',
  'seed',
  'scheduler',
  'metrics',
  'callbacks',
  'clipGradNorm',
  'verbose',
  'output',
] as const;

export type { Loss, Metric } from './meter.js';

/** Training or evaluation data: a dataset, a loader, { x, y } or [x, y]. */
export type Data = Dataset | DataLoader | { x: Tensor; y: Tensor } | readonly [Tensor, Tensor];

/**
 * What fit needs (data, loss, optimizer, epochs) and may take (validation, batches, schedule, metrics, callbacks,
 * output).
 */
export interface FitOptions {
  data: Data;
  valData?: Data;
  loss: Loss;
  optimizer: Optimizer;
  epochs: number;
  /** Samples per step (default 32; ignored when data is a DataLoader). */
  batchSize?: number;
  /** Reshuffle every epoch (default true; ignored for a DataLoader). */
  shuffle?: boolean;
  /**
   * Seed of every random draw made during fit (shuffling, Dropout, anything drawing from the default
   * generator): the default generator is reseeded for the run and put back as it was after. Omitted:
   * the default generator (manualSeed) as it stands.
   */
  seed?: number;
  scheduler?: LRScheduler;
  metrics?: Metric[];
  callbacks?: Callback[];
  /** Clip the gradients' joint norm to this before each step. */
  clipGradNorm?: number;
  /** 0 silent, 1 live bar on a terminal or a line per epoch elsewhere (default), 2 a line per epoch. */
  verbose?: 0 | 1 | 2;
  /** Where progress goes; default globalThis.process?.stdout when present. */
  output?: OutputSink | null;
}

/** Loss and metrics per epoch; `val` is empty without validation data. */
export interface History {
  epochs: number;
  train: Record<string, number[]>;
  val: Record<string, number[]>;
  lr: number[];
}

function toDataset(d: Data, where: string): Dataset | DataLoader {
  if (d instanceof DataLoader || d instanceof TensorDataset) return d;
  if (Array.isArray(d) && d.length === 2 && d[0] instanceof Tensor && d[1] instanceof Tensor)
    return new TensorDataset(d[0], d[1]);
  const o = d as { x?: unknown; y?: unknown; get?: unknown; length?: unknown };
  if (o && o.x instanceof Tensor && o.y instanceof Tensor) return new TensorDataset(o.x, o.y);
  if (o && typeof o.get === 'function' && typeof o.length === 'number') return d as Dataset;
  throw new TypeError(`${where}: data must be a Dataset, a DataLoader, { x, y } or [x, y] of Tensors, got ${quote(d)}`);
}

/** Samples in a dataset or behind a loader (a loader's own length counts batches). */
function samples(d: Dataset | DataLoader): number {
  return d instanceof DataLoader ? d.dataset.length : d.length;
}

function checkBatchSize(bs: unknown, where: string): number {
  if (!Number.isInteger(bs) || (bs as number) < 1)
    throw new RangeError(`${where}: batchSize must be a positive integer, got ${quote(bs)}`);
  return bs as number;
}

/**
 * Trains `model` for `epochs` passes over `data`: per batch zeroGrad → forward → loss → backward →
 * (clip) → optimizer.step → (batch scheduler); per epoch (scheduler), validation and callbacks.
 * Same seed and same data give bit-identical weights.
 * @example const history = fit(model, { data: { x, y }, loss: new CrossEntropyLoss(), optimizer: new
 *   Adam(model.parameters(), { lr: 0.01 }), epochs: 100 });
 */
export function fit(model: Module, opts: FitOptions): History {
  if (!(model instanceof Module)) throw new TypeError('fit: model must be a Module');
  if (!opts || typeof opts !== 'object')
    throw new TypeError('fit: expected an options object { data, loss, optimizer, epochs, … }');
  checkOptions(opts, 'fit', FIT_KEYS);
  const { loss, optimizer, epochs, scheduler } = opts;
  if (!Number.isInteger(epochs) || epochs < 1)
    throw new RangeError(`fit: epochs must be a positive integer, got ${quote(epochs)}`);
  if (!(loss instanceof Module) && typeof loss !== 'function')
    throw new TypeError('fit: loss must be a loss module or a function (output, target) => Tensor');
  if (!optimizer || typeof optimizer.step !== 'function')
    throw new TypeError('fit: optimizer must be an Optimizer (SGD, Adam, AdamW)');
  const metrics = checkMetrics(opts.metrics ?? [], 'fit');
  const ds = toDataset(opts.data, 'fit');
  if (samples(ds) === 0) throw new RangeError('fit: data has no samples');
  if (opts.batchSize !== undefined) checkBatchSize(opts.batchSize, 'fit');
  const seed = opts.seed === undefined ? undefined : checkSeed(opts.seed, 'fit');
  const shuffle = checkBoolean(opts.shuffle, 'fit', 'shuffle', true);
  if (opts.clipGradNorm !== undefined && (typeof opts.clipGradNorm !== 'number' || !(opts.clipGradNorm >= 0)))
    throw new RangeError(`fit: clipGradNorm must be a non-negative number, got ${quote(opts.clipGradNorm)}`);
  // No generator of its own: the loader shuffles with the default generator, which a seed reseeds.
  const loader =
    ds instanceof DataLoader
      ? ds
      : new DataLoader(ds, { batchSize: Math.min(opts.batchSize ?? 32, ds.length), shuffle });
  if (loader.length === 0)
    throw new RangeError(
      `fit: the DataLoader gives no batches (${samples(ds)} samples, batchSize ${loader.batchSize}, dropLast)`,
    );
  const val = opts.valData === undefined ? null : toDataset(opts.valData, 'fit (valData)');
  if (val && samples(val) === 0) throw new RangeError('fit: valData has no samples');
  const callbacks = opts.callbacks ?? [];
  if (!Array.isArray(callbacks) || callbacks.some((c) => c === null || typeof c !== 'object'))
    throw new TypeError('fit: callbacks must be an array of objects with onEpochEnd, onBatchEnd, … methods');
  if (scheduler !== undefined && (scheduler === null || typeof scheduler.step !== 'function'))
    throw new TypeError('fit: scheduler must be an LRScheduler (StepLR, CosineAnnealingLR, OneCycleLR, …)');
  if (opts.verbose !== undefined && opts.verbose !== 0 && opts.verbose !== 1 && opts.verbose !== 2)
    throw new RangeError(`fit: verbose must be 0, 1 or 2, got ${String(opts.verbose)}`);
  const threshold = thresholdOf(loss);
  const ctx: TrainContext = { model, optimizer, stopTraining: false };
  const progress = new ProgressReporter(
    opts.output === undefined ? defaultSink() : opts.output,
    opts.verbose ?? 1,
    epochs,
    loader.length,
  );
  const history: History = { epochs: 0, train: {}, val: {}, lr: [] };
  const params = model.parameters(); // once: the tree does not change while training
  // Every batch through the model and the loss once, before the first update: bad data fails now,
  // naming the batch, rather than after some updates were applied.
  checkData(model, loader, loss, metrics, threshold, 'data');
  if (val) checkData(model, val, loss, metrics, threshold, 'valData');
  // With a seed, every draw during the run (shuffling, Dropout, …) comes from the default generator
  // reseeded; its state is put back after, so fit neither reads nor moves the caller's stream.
  const global = defaultGenerator();
  const saved = seed === undefined ? null : global.getState();
  if (seed !== undefined) global.manualSeed(seed);
  const push = (rec: Record<string, number[]>, logs: Record<string, number>): void => {
    for (const [k, v] of Object.entries(logs)) (rec[k] ??= []).push(v);
  };

  for (const cb of callbacks) cb.onTrainBegin?.(ctx);
  try {
    for (let epoch = 0; epoch < epochs && !ctx.stopTraining; epoch++) {
      model.train();
      for (const cb of callbacks) cb.onEpochBegin?.(epoch, ctx);
      const lr = optimizer.lr;
      const meter = new Meter(metrics, threshold);
      let b = 0;
      for (const [xb, yb] of loader) {
        try {
          optimizer.zeroGrad();
          const out = model.forward(xb);
          const l = callLoss(loss, out, yb);
          if (l.size !== 1)
            throw new RangeError(`fit: the loss must be a one-element tensor, got shape ${formatShape(l.shape)}`);
          const value = l.data[0]!;
          if (!Number.isFinite(value))
            throw new Error(
              `fit: the loss became ${value} at epoch ${epoch + 1}, batch ${b + 1}; lower the learning rate or check the data`,
            );
          l.backward();
          if (opts.clipGradNorm !== undefined) clipGradNorm(params, opts.clipGradNorm);
          optimizer.step();
          if (scheduler?.interval === 'batch') scheduler.step();
          const now = meter.add(value, out, yb);
          for (const cb of callbacks) cb.onBatchEnd?.(b, now, ctx);
          progress.batch(epoch, b, xb.shape[0] ?? 1, meter); // shows running means over the epoch so far
        } catch (e) {
          throw within(e, `fit: at epoch ${epoch + 1}, batch ${b + 1}`);
        }
        b++;
      }
      if (scheduler && scheduler.interval !== 'batch') scheduler.step();
      const logs: EpochLogs = meter.means();
      if (val) Object.assign(logs, evaluateInto(model, val, loss, metrics, threshold, 'val'));
      logs.lr = lr;
      push(history.train, meter.means());
      if (val) push(history.val, evaluateKeys(logs));
      history.lr.push(lr);
      history.epochs++;
      progress.epochEnd(epoch, logs);
      for (const cb of callbacks) if (cb.onEpochEnd?.(epoch, logs, ctx) === true) ctx.stopTraining = true;
    }
  } finally {
    progress.end();
    model.train();
    if (saved) global.setState(saved);
  }
  for (const cb of callbacks) cb.onTrainEnd?.(ctx);
  return history;
}

/**
 * An error re-thrown with where it happened in front (same class, the original as its cause); one
 * already naming fit (it says where itself) passes unchanged.
 */
function within(e: unknown, where: string): unknown {
  if (!(e instanceof Error) || e.message.startsWith('fit: ')) return e;
  const Ctor = (e.constructor as new (message: string, options?: ErrorOptions) => Error) ?? Error;
  try {
    return new Ctor(`${where}: ${e.message}`, { cause: e });
  } catch {
    return new Error(`${where}: ${e.message}`, { cause: e });
  }
}

/**
 * Runs every batch of `data` through the model and the loss (and the metrics) once, in eval mode
 * and without a graph, so that bad data (a label out of range, a NaN input, a shape the model or loss
 * rejects) fails before training changes anything. The error names the batch and its samples.
 */
function checkData(
  model: Module,
  data: Dataset | DataLoader,
  loss: Loss,
  metrics: Metric[],
  threshold: number | undefined,
  name: 'data' | 'valData',
): void {
  const ds = data instanceof DataLoader ? data.dataset : data;
  const bs = data instanceof DataLoader ? data.batchSize : Math.max(ds.length, 1);
  const loader = new DataLoader(ds, { batchSize: bs, dropLast: data instanceof DataLoader && data.dropLast });
  const meter = new Meter(metrics, threshold);
  const was = model.training;
  model.eval();
  let b = 0;
  try {
    noGrad(() => {
      for (const [xb, yb] of loader) {
        try {
          const out = model.forward(xb);
          const l = callLoss(loss, out, yb);
          if (!(l instanceof Tensor) || l.size !== 1)
            throw new RangeError(`the loss must be a one-element tensor, got ${quote(l)}`);
          const value = l.data[0]!;
          if (!Number.isFinite(value))
            throw new RangeError(`the loss is ${value}; check the data for NaN or ±Infinity`);
          meter.add(value, out, yb);
        } catch (e) {
          const first = b * bs,
            last = Math.min(first + bs, ds.length) - 1;
          throw within(e, `fit: ${name}, batch ${b + 1} (samples ${first}–${last}), checked before training`);
        }
        b++;
      }
    });
  } finally {
    model.train(was);
  }
}

/** valLoss → loss, valAccuracy → accuracy. */
function evaluateKeys(logs: EpochLogs): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(logs))
    if (k.startsWith('val') && k.length > 3) out[k[3]!.toLowerCase() + k.slice(4)] = v;
  return out;
}

function evaluateInto(
  model: Module,
  data: Dataset | DataLoader,
  loss: Loss | undefined,
  metrics: Metric[],
  threshold: number | undefined,
  prefix: string,
  batchSize?: number,
): Record<string, number> {
  const loader =
    data instanceof DataLoader ? data : new DataLoader(data, { batchSize: batchSize ?? Math.max(data.length, 1) });
  const meter = new Meter(metrics, threshold);
  const was = model.training;
  let batches = 0;
  model.eval();
  try {
    noGrad(() => {
      for (const [xb, yb] of loader) {
        const out = model.forward(xb);
        meter.add(loss ? callLoss(loss, out, yb).data[0]! : null, out, yb);
        batches++;
      }
    });
  } finally {
    model.train(was);
  }
  if (batches === 0)
    throw new RangeError(
      `${prefix ? 'fit: valData' : 'evaluate: data'} gives no batches (a DataLoader with dropLast and batchSize ${loader.batchSize} over ${loader.dataset.length} samples)`,
    );
  return meter.means(prefix);
}

/**
 * Loss and metrics of `model` over `data`, in eval mode and without a graph. One-score (binary)
 * outputs count as class 1 above `threshold`: by default 0 with BCEWithLogitsLoss, else 0.5.
 * @example evaluate(model, { x: xTest, y: yTest }, { loss: new CrossEntropyLoss(), metrics: ['accuracy'] }); // { loss,
 *   accuracy }
 */
export function evaluate(
  model: Module,
  data: Data,
  opts: { loss?: Loss; metrics?: Metric[]; batchSize?: number; threshold?: number } = {},
): Record<string, number> {
  if (!(model instanceof Module)) throw new TypeError(`evaluate: model must be a Module, got ${quote(model)}`);
  checkOptions(opts, 'evaluate', ['loss', 'metrics', 'batchSize', 'threshold']);
  const metrics = checkMetrics(opts.metrics ?? ['accuracy'], 'evaluate');
  const ds = toDataset(data, 'evaluate');
  if (samples(ds) === 0) throw new RangeError('evaluate: data has no samples');
  if (opts.batchSize !== undefined) checkBatchSize(opts.batchSize, 'evaluate');
  if (opts.threshold !== undefined && !Number.isFinite(opts.threshold))
    throw new RangeError(`evaluate: threshold must be a finite number, got ${String(opts.threshold)}`);
  return evaluateInto(model, ds, opts.loss, metrics, opts.threshold ?? thresholdOf(opts.loss), '', opts.batchSize);
}

/**
 * The model's outputs for inputs x, in eval mode and without a graph (in batches when batchSize is given).
 * @example const logits = predict(model, xTest); const labels = toLabels(logits);
 */
export function predict(model: Module, x: Tensor, opts: { batchSize?: number } = {}): Tensor {
  if (!(model instanceof Module)) throw new TypeError(`predict: model must be a Module, got ${quote(model)}`);
  checkTensor(x, 'predict', 'x');
  checkOptions(opts, 'predict', ['batchSize']);
  if (opts.batchSize !== undefined) checkBatchSize(opts.batchSize, 'predict');
  const was = model.training;
  model.eval();
  try {
    return noGrad(() => {
      const n = x.shape[0] ?? 1,
        bs = opts.batchSize ?? n;
      if (bs >= n) return model.forward(x);
      const parts: Tensor[] = [];
      for (let s = 0; s < n; s += bs) parts.push(model.forward(x.slice(0, s, Math.min(s + bs, n))));
      return cat(parts, 0);
    });
  } finally {
    model.train(was);
  }
}
