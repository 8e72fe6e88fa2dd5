import type { Module, StateDict } from '../module.js';
import type { Optimizer } from '../optim/optimizer.js';
import { checkBoolean, checkOptions, quote } from '../validate.js';

/** Per-epoch numbers: loss and metrics, validation ones prefixed 'val' (valLoss, valAccuracy), and lr. */
export type EpochLogs = Record<string, number>;

/** What callbacks see and may change: set `stopTraining` to end after this epoch. */
export interface TrainContext {
  model: Module;
  optimizer: Optimizer;
  stopTraining: boolean;
}

/** Hooks called by `fit`; every one is optional. */
export interface Callback {
  onTrainBegin?(ctx: TrainContext): void;
  onEpochBegin?(epoch: number, ctx: TrainContext): void;
  /** After each optimizer step, with that batch's loss (and metrics). */
  onBatchEnd?(batch: number, logs: EpochLogs, ctx: TrainContext): void;
  /** After each epoch (and its validation); returning true stops training, as does ctx.stopTraining. */
  onEpochEnd?(epoch: number, logs: EpochLogs, ctx: TrainContext): void | boolean;
  onTrainEnd?(ctx: TrainContext): void;
}

/** EarlyStopping's options (Keras's names): monitor, patience, minDelta, mode, restoreBestWeights. */
export interface EarlyStoppingOptions {
  /** The log to watch; default 'valLoss' (or 'loss' when there is no validation data). */
  monitor?: string;
  /** Epochs without improvement before stopping (default 5). */
  patience?: number;
  /** Smallest change that counts as an improvement (default 0). */
  minDelta?: number;
  /** 'min' for losses, 'max' for accuracies; 'auto' picks by name (default). */
  mode?: 'min' | 'max' | 'auto';
  /** Put back the best epoch's weights when training ends (default true). */
  restoreBestWeights?: boolean;
}

/**
 * Stops training when a monitored number has not improved for `patience` epochs and, by default,
 * restores the weights of the best epoch at the end (Keras's EarlyStopping).
 * @example fit(model, { …, valData, callbacks: [new EarlyStopping({ patience: 10 })] });
 */
export class EarlyStopping implements Callback {
  readonly patience: number;
  readonly minDelta: number;
  readonly restoreBestWeights: boolean;
  private readonly monitorOpt: string | undefined;
  private readonly modeOpt: 'min' | 'max' | 'auto';
  best = NaN;
  bestEpoch = -1;
  /** The epoch at which training was stopped, or −1. */
  stoppedEpoch = -1;
  private wait = 0;
  private bestState: StateDict | null = null;

  constructor(opts: EarlyStoppingOptions = {}) {
    checkOptions(opts, 'EarlyStopping', ['monitor', 'patience', 'minDelta', 'mode', 'restoreBestWeights']);
    this.patience = opts.patience ?? 5;
    if (!Number.isInteger(this.patience) || this.patience < 0)
      throw new RangeError(`EarlyStopping: patience must be a non-negative integer, got ${quote(this.patience)}`);
    this.minDelta = Math.abs(opts.minDelta ?? 0);
    if (!Number.isFinite(this.minDelta))
      throw new RangeError(`EarlyStopping: minDelta must be a finite number, got ${quote(opts.minDelta)}`);
    this.restoreBestWeights = checkBoolean(opts.restoreBestWeights, 'EarlyStopping', 'restoreBestWeights', true);
    if (opts.monitor !== undefined && typeof opts.monitor !== 'string')
      throw new TypeError(
        `EarlyStopping: monitor must be the name of a log such as 'valLoss', got ${quote(opts.monitor)}`,
      );
    this.monitorOpt = opts.monitor;
    this.modeOpt = opts.mode ?? 'auto';
    if (!['min', 'max', 'auto'].includes(this.modeOpt))
      throw new RangeError(`EarlyStopping: mode must be 'min', 'max' or 'auto', got ${quote(this.modeOpt)}`);
  }

  onTrainBegin(): void {
    this.best = NaN;
    this.bestEpoch = -1;
    this.stoppedEpoch = -1;
    this.wait = 0;
    this.bestState = null;
  }

  onEpochEnd(epoch: number, logs: EpochLogs, ctx: TrainContext): boolean {
    const key = this.monitorOpt ?? ('valLoss' in logs ? 'valLoss' : 'loss');
    const v = logs[key];
    if (v === undefined)
      throw new RangeError(
        `EarlyStopping: the monitored value '${key}' is not in the logs (${Object.keys(logs).join(', ')})`,
      );
    const max = this.modeOpt === 'max' || (this.modeOpt === 'auto' && /acc|f1|precision|recall/i.test(key));
    const better = Number.isNaN(this.best) || (max ? v > this.best + this.minDelta : v < this.best - this.minDelta);
    if (better) {
      this.best = v;
      this.bestEpoch = epoch;
      this.wait = 0;
      if (this.restoreBestWeights) this.bestState = ctx.model.stateDict();
      return false;
    }
    this.wait++;
    if (this.wait >= this.patience) {
      this.stoppedEpoch = epoch;
      return true;
    }
    return false;
  }

  onTrainEnd(ctx: TrainContext): void {
    if (this.restoreBestWeights && this.bestState) ctx.model.loadStateDict(this.bestState);
  }
}
