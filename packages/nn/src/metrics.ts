import { Tensor, argmax } from '@xent/core';
import { checkOptions, quote } from './validate.js';

type Labels = Tensor | ArrayLike<number>;

/** The most classes a confusion matrix is built for (10⁸ cells). */
const MAX_CLASSES = 10000;

function flat(t: Labels): ArrayLike<number> {
  return t instanceof Tensor ? t.data : t;
}

/**
 * Class labels from a model's output: argmax over classes for [N, C] (C > 1); for one score per
 * sample ([N] or [N, 1]) the integer labels themselves, or 1 where the score exceeds `threshold`
 * (0.5 for probabilities; pass 0 for logits).
 * @example toLabels(tensor([[0.1, 2], [3, 0]])); // [1, 0]
 */
export function toLabels(output: Labels, opts: { threshold?: number } = {}): Float64Array {
  return labelsOf(output, opts, 'toLabels');
}

function labelsOf(output: Labels, opts: { threshold?: number }, where: string): Float64Array {
  checkOptions(opts, where, ['threshold']);
  if (opts.threshold !== undefined && (typeof opts.threshold !== 'number' || !Number.isFinite(opts.threshold)))
    throw new RangeError(`${where}: threshold must be a finite number, got ${quote(opts.threshold)}`);
  if (
    !(output instanceof Tensor) &&
    (output === null || typeof output !== 'object' || typeof output.length !== 'number')
  )
    throw new TypeError(`${where}: expected a Tensor or an array of numbers, got ${quote(output)}`);
  if (output instanceof Tensor && output.ndim === 2 && output.shape[1]! > 1)
    return Float64Array.from(argmax(output, 1).data);
  if (output instanceof Tensor && output.ndim > 2)
    throw new RangeError(`${where}: expected [N, C], [N, 1] or [N] scores, got shape [${output.shape.join(', ')}]`);
  const d = flat(output);
  const out = new Float64Array(d.length);
  let integral = opts.threshold === undefined;
  for (let i = 0; i < d.length && integral; i++) if (!Number.isInteger(d[i])) integral = false;
  const th = opts.threshold ?? 0.5;
  for (let i = 0; i < d.length; i++) out[i] = integral ? d[i]! : d[i]! > th ? 1 : 0;
  return out;
}

function pairUp(
  pred: Labels,
  target: Labels,
  where: string,
  opts: { threshold?: number },
): [Float64Array, ArrayLike<number>] {
  const p = labelsOf(pred, opts, where);
  if (
    !(target instanceof Tensor) &&
    (target === null || typeof target !== 'object' || typeof target.length !== 'number')
  )
    throw new TypeError(`${where}: target must be a Tensor or an array of labels, got ${quote(target)}`);
  const t = flat(target);
  if (p.length !== t.length) throw new RangeError(`${where}: ${p.length} predictions but ${t.length} targets`);
  return [p, t];
}

/**
 * Fraction of correct predictions. `pred` may be labels or a model's [N, C] output (argmax is taken).
 * @example accuracy(tensor([[0, 1], [1, 0]]), tensor([1, 1])); // 0.5
 */
export function accuracy(pred: Labels, target: Labels, opts: { threshold?: number } = {}): number {
  const [p, t] = pairUp(pred, target, 'accuracy', opts);
  if (p.length === 0) throw new RangeError('accuracy: no samples');
  let ok = 0;
  for (let i = 0; i < p.length; i++) if (p[i] === t[i]) ok++;
  return ok / p.length;
}

function classCount(p: ArrayLike<number>, t: ArrayLike<number>, numClasses: number | undefined, where: string): number {
  if (numClasses !== undefined && (!Number.isInteger(numClasses) || numClasses < 1))
    throw new RangeError(`${where}: numClasses must be a positive integer, got ${quote(numClasses)}`);
  let k = numClasses ?? 0;
  if (numClasses === undefined) for (let i = 0; i < p.length; i++) k = Math.max(k, p[i]! + 1, t[i]! + 1);
  for (let i = 0; i < p.length; i++) {
    for (const v of [p[i]!, t[i]!])
      if (!Number.isInteger(v) || v < 0 || v >= k)
        throw new RangeError(`${where}: label ${v} at position ${i} is not an integer in [0, ${k})`);
  }
  if (k > MAX_CLASSES)
    throw new RangeError(
      `${where}: ${k} classes would make a ${k} × ${k} matrix; at most ${MAX_CLASSES} are supported`,
    );
  return k;
}

/**
 * Counts by true class (rows) and predicted class (columns), as scikit-learn's confusion_matrix.
 * @example confusionMatrix([0, 1, 1], [0, 1, 0]); // [[1, 1], [0, 1]]
 */
export function confusionMatrix(
  pred: Labels,
  target: Labels,
  numClasses?: number,
  opts: { threshold?: number } = {},
): number[][] {
  return confusion(pred, target, numClasses, opts, 'confusionMatrix');
}

function confusion(
  pred: Labels,
  target: Labels,
  numClasses: number | undefined,
  opts: { threshold?: number },
  where: string,
): number[][] {
  const [p, t] = pairUp(pred, target, where, opts);
  const k = classCount(p, t, numClasses, where);
  const m = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let i = 0; i < p.length; i++) m[t[i]!]![p[i]!]!++;
  return m;
}

/** Per-class scores; a class never predicted (or never present) scores 0 rather than NaN. */
export interface ClassReport {
  precision: number[];
  recall: number[];
  f1: number[];
  /** True samples per class. */
  support: number[];
}

/**
 * Per-class precision TP/(TP + FP), recall TP/(TP + FN) and F1 = 2PR/(P + R).
 * @example precisionRecallF1([0, 1, 1], [0, 1, 0]).precision; // [1, 0.5]
 */
export function precisionRecallF1(
  pred: Labels,
  target: Labels,
  numClasses?: number,
  opts: { threshold?: number } = {},
): ClassReport {
  const m = confusion(pred, target, numClasses, opts, 'precisionRecallF1');
  const k = m.length;
  const r: ClassReport = { precision: [], recall: [], f1: [], support: [] };
  for (let c = 0; c < k; c++) {
    const tp = m[c]![c]!;
    let predicted = 0,
      actual = 0;
    for (let j = 0; j < k; j++) {
      predicted += m[j]![c]!;
      actual += m[c]![j]!;
    }
    const p = predicted ? tp / predicted : 0,
      rc = actual ? tp / actual : 0;
    r.precision.push(p);
    r.recall.push(rc);
    r.f1.push(p + rc ? (2 * p * rc) / (p + rc) : 0);
    r.support.push(actual);
  }
  return r;
}
