import type { Tensor } from '@xent/core';
import { formatShape } from '@xent/core/extend';
import { toLabels } from '../metrics.js';
import { Module } from '../module.js';
import { quote } from '../validate.js';

/*
 * What fit and evaluate measure per batch: the loss (a module or a function) and the metrics, averaged over
 * an epoch by batch size.
 */

/** A loss: a loss module (CrossEntropyLoss, …) or any (output, target) → scalar tensor function. */
export type Loss = Module | ((output: Tensor, target: Tensor) => Tensor);

/** 'accuracy', or a named function of (output, target) averaged over batches by their size. */
export type Metric = 'accuracy' | { name: string; fn: (output: Tensor, target: Tensor) => number };

/** Calls a loss module or function on (output, target). */
export function callLoss(loss: Loss, out: Tensor, y: Tensor): Tensor {
  return loss instanceof Module ? loss.forward(out, y) : loss(out, y);
}

/** Accumulates sample-weighted means of the loss and the metrics over batches. */
export class Meter {
  private sums: Record<string, number> = {};
  private n = 0;
  constructor(
    private readonly metrics: Metric[],
    private readonly threshold: number | undefined,
  ) {}

  add(loss: number | null, out: Tensor, y: Tensor): Record<string, number> {
    const bs = out.shape[0] ?? 1;
    const now: Record<string, number> = {};
    if (loss !== null) now.loss = loss;
    for (const m of this.metrics) {
      if (m === 'accuracy') {
        // Class-probability targets [N, C] count their most likely class.
        const p = toLabels(out, { threshold: this.threshold }),
          t = y.ndim === 2 && y.shape[1]! > 1 ? toLabels(y) : y.data;
        if (p.length !== t.length)
          throw new RangeError(
            `accuracy: the model gives ${p.length} predictions but the batch has ${t.length} targets (output shape ${formatShape(out.shape)}, target shape ${formatShape(y.shape)})`,
          );
        let ok = 0;
        for (let i = 0; i < p.length; i++) if (p[i] === t[i]) ok++;
        now.accuracy = ok / p.length;
      } else now[m.name] = m.fn(out, y);
    }
    for (const [k, v] of Object.entries(now)) this.sums[k] = (this.sums[k] ?? 0) + v * bs;
    this.n += bs;
    return now;
  }

  means(prefix = ''): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [k, v] of Object.entries(this.sums))
      out[prefix ? prefix + k[0]!.toUpperCase() + k.slice(1) : k] = v / this.n;
    return out;
  }
}

/** Checks fit's and evaluate's metrics option: an array of 'accuracy' or { name, fn }. */
export function checkMetrics(metrics: Metric[], where: string): Metric[] {
  if (!Array.isArray(metrics))
    throw new TypeError(`${where}: metrics must be an array, such as ['accuracy'], got ${quote(metrics)}`);
  for (const m of metrics) {
    if (m !== 'accuracy' && !(m && typeof m.name === 'string' && typeof m.fn === 'function')) {
      throw new TypeError(`${where}: a metric must be 'accuracy' or { name, fn }, got ${quote(m)}`);
    }
  }
  return metrics;
}

/** The binary threshold of a loss module's outputs: 0 for logits, 0.5 for probabilities. */
export function thresholdOf(loss: Loss | undefined): number | undefined {
  const t = (loss as { binaryThreshold?: unknown } | undefined)?.binaryThreshold;
  return typeof t === 'number' ? t : undefined;
}
