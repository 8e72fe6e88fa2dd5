import { type Storage, alloc } from '../dtype.js';
import { nestedToFlat } from '../ops/indexing.js';
import { type Shape, fmt, sameShape, sizeOf } from '../shape.js';
import { Tensor, assertTensor, describe } from '../tensor.js';

/* Argument parsing and validation shared by the losses: the class layout of the logits, class-index
   and probability targets, class weights, reductions. Every error names the function and the argument. */

/** How a loss reduces its per-position values: their mean, their sum, or none (keep them). */
export type Reduction = 'mean' | 'sum' | 'none';

/** Class-index targets: a number (for a [C] input), (nested) numbers, an Int32Array, or an integer-valued tensor. */
export type ClassTarget = number | Int32Array | readonly unknown[] | Tensor;

/** The logits [C] or [N, C, d1, …, dK] seen as [outer, C, inner]: classes on dim 1 (dim 0 for 1-D). */
export interface ClassLayout {
  classDim: number;
  outer: number;
  c: number;
  inner: number;
  /** The shape of the per-position losses: [N, d1, …, dK], or [] for a [C] input. */
  posShape: number[];
}

/**
 * Where the classes are in `input` ([C] → dim 0, [N, C, …] → dim 1) and the [outer, C, inner] view around them.
 * @example classLayout(zeros([4, 3, 5]), 'crossEntropy'); // { classDim: 1, outer: 4, c: 3, inner: 5, posShape: [4, 5]
 * }
 */
export function classLayout(input: Tensor, fn: string, arg = 'input'): ClassLayout {
  assertTensor(input, fn, arg);
  if (input.ndim === 0)
    throw new RangeError(`${fn}: ${arg} must have shape [C], [N, C] or [N, C, d1, …, dK], got a 0-d tensor`);
  const classDim = input.ndim === 1 ? 0 : 1;
  const c = input.shape[classDim]!;
  if (c === 0)
    throw new RangeError(`${fn}: ${arg} has no classes (shape ${fmt(input.shape)}, C = 0 on dim ${classDim})`);
  return {
    classDim,
    c,
    outer: classDim === 0 ? 1 : input.shape[0]!,
    inner: sizeOf(input.shape.slice(classDim + 1)),
    posShape: input.shape.filter((_, i) => i !== classDim),
  };
}

/**
 * Throws unless `r` is one of the allowed reductions.
 * @example checkReduction('sum', 'mseLoss'); // fine; 'avg' throws
 */
export function checkReduction(r: unknown, fn: string, allowed: readonly string[] = ['mean', 'sum', 'none']): void {
  if (!allowed.includes(r as string)) {
    throw new TypeError(
      `${fn}: reduction must be ${allowed.map((a) => `'${a}'`).join(', ')}, got ${JSON.stringify(r)}`,
    );
  }
}

/**
 * Checks a loss's options: undefined or a plain object whose keys are all in `keys` (PyTorch
 * rejects an unexpected keyword too); the error lists the valid keys.
 * @example checkOptionKeys({ labelSmoothin: 0.1 }, 'crossEntropy', ['weight', 'labelSmoothing']); // throws
 */
export function checkOptionKeys(opts: unknown, fn: string, keys: readonly string[]): void {
  if (opts === undefined) return;
  if (opts === null || typeof opts !== 'object' || Array.isArray(opts) || opts instanceof Tensor)
    throw new TypeError(`${fn}: options must be an object, got ${describe(opts)}`);
  for (const k of Object.keys(opts))
    if (!keys.includes(k))
      throw new TypeError(
        `${fn}: unknown option ${JSON.stringify(k.length > 40 ? `${k.slice(0, 40)}…` : k)}; valid options are ${keys.join(', ')}`,
      );
}

/**
 * Class weights as a Float64Array of C entries (null when absent).
 * @example parseWeight([1, 2, 0.5], 3, 'crossEntropy'); // Float64Array [1, 2, 0.5]
 */
export function parseWeight(
  w: Tensor | readonly number[] | undefined | null,
  c: number,
  fn: string,
): Float64Array | null {
  if (w === undefined || w === null) return null;
  const data = w instanceof Tensor ? w.data : Array.isArray(w) ? w : null;
  if (data === null) throw new TypeError(`${fn}: weight must be a Tensor or an array of numbers, got ${describe(w)}`);
  const shape = w instanceof Tensor ? w.shape : [data.length];
  if (shape.length !== 1 || shape[0] !== c) {
    throw new RangeError(`${fn}: weight must have C = ${c} entries (one per class), got shape ${fmt(shape)}`);
  }
  for (let k = 0; k < c; k++) {
    if (!(w instanceof Tensor) && !(k in (data as unknown[])))
      throw new TypeError(`${fn}: weight has a hole (an empty array slot) at ${k}; expected a number per class`);
    const v = (data as ArrayLike<unknown>)[k];
    if (typeof v !== 'number' || Number.isNaN(v))
      throw new TypeError(
        `${fn}: weight[${k}] is ${typeof v === 'string' ? JSON.stringify(v.slice(0, 40)) : String(v)}; expected a number`,
      );
    // ±Infinity would make the loss ∞·0 = NaN (or ∞/∞): rejected as NaN is.
    if (!Number.isFinite(v)) throw new RangeError(`${fn}: weight[${k}] is ${v}; expected a finite number`);
  }
  return Float64Array.from(data as ArrayLike<number>);
}

/** A flat position in `shape`, written as [i, j, …]. @example at([2, 3], 4); // '[1, 1]' */
export function at(shape: Shape, flat: number): string {
  const idx: number[] = [];
  for (let d = shape.length - 1; d >= 0; d--) {
    idx.unshift(flat % shape[d]!);
    flat = Math.floor(flat / shape[d]!);
  }
  return fmt(idx);
}

/**
 * Class indices for `layout`, one per position, with ignored positions (target = ignoreIndex)
 * written as −1. Checks the shape, that each index is an integer and that it lies in [0, C).
 * @example parseClassIndex([0, -100, 2], classLayout(zeros([3, 4]), 'nllLoss'), -100, 'nllLoss', [3, 4], false); //
 *   Int32Array [0, -1, 2]
 */
export function parseClassIndex(
  target: ClassTarget,
  layout: ClassLayout,
  ignoreIndex: number,
  fn: string,
  inputShape: Shape,
  probsAllowed: boolean,
): Int32Array {
  let data: ArrayLike<number>, shape: Shape;
  if (target instanceof Tensor) ({ data, shape } = target);
  else if (target instanceof Int32Array) {
    data = target;
    shape = [target.length];
  } else if (typeof target === 'number') {
    data = [target];
    shape = [];
  } else if (Array.isArray(target)) ({ data, shape } = nestedToFlat(target, fn, 'target'));
  else
    throw new TypeError(
      `${fn}: target must be class indices (a number, an array, an Int32Array or a Tensor), got ${describe(target)}`,
    );
  if (!sameShape(shape, layout.posShape)) {
    const probs = probsAllowed
      ? ` nor class probabilities (a float tensor of the input's shape ${fmt(inputShape)})`
      : '';
    throw new RangeError(
      `${fn}: target of shape ${fmt(shape)} fits neither class indices (shape ${fmt(layout.posShape)} for input ${fmt(inputShape)})${probs}`,
    );
  }
  const out = new Int32Array(data.length);
  for (let p = 0; p < data.length; p++) {
    const v = data[p]!;
    if (!Number.isInteger(v))
      throw new TypeError(`${fn}: target must hold integer class indices, found ${v} at ${at(shape, p)}`);
    if (v === ignoreIndex) {
      out[p] = -1;
      continue;
    }
    if (v < 0 || v >= layout.c) {
      throw new RangeError(
        `${fn}: target class ${v} at ${at(shape, p)} is outside [0, ${layout.c}) (C = ${layout.c}) and is not ignoreIndex (${ignoreIndex})`,
      );
    }
    out[p] = v;
  }
  return out;
}

/**
 * Probability targets: non-negative numbers (a NaN or a negative value is an error).
 * @example checkProbTarget(tensor([0.2, 0.8]), 'crossEntropy');
 */
export function checkProbTarget(target: Tensor, fn: string): Storage {
  const d = target.data;
  for (let i = 0; i < d.length; i++) {
    const v = d[i]!;
    if (!(v >= 0))
      throw new RangeError(
        `${fn}: target probabilities must be non-negative numbers, found ${v} at ${at(target.shape, i)}`,
      );
  }
  return d;
}

/** A tensor of `shape` in `dtype` holding `values`. @example filled([1, 2], [2], 'float32'); */
export function filled(values: ArrayLike<number>, shape: Shape, dtype: Tensor['dtype']): Tensor {
  const out = new Tensor(alloc(dtype, sizeOf(shape)), shape);
  out.data.set(values);
  return out;
}

/**
 * The shape with 1 at `dim` (for broadcasting a per-position value over the classes).
 * @example keepShape([4, 3, 5], 1); // [4, 1, 5]
 */
export function keepShape(shape: Shape, dim: number): number[] {
  return shape.map((s, i) => (i === dim ? 1 : s));
}
