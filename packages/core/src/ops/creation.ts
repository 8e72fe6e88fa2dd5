import { type DType, alloc, checkDType } from '../dtype.js';
import { Generator, defaultGenerator } from '../random.js';
import { type Shape, checkShape, fmt, sizeOf } from '../shape.js';
import { Tensor, assertTensor, describe } from '../tensor.js';
import { nestedToFlat } from './indexing.js';

/** Options of the creation functions: the dtype (float64 by default) and whether the tensor requires a gradient. */
export interface CreateOptions {
  dtype?: DType;
  requiresGrad?: boolean;
}
/** Creation options plus the generator to draw from (the default generator when absent). */
export interface RandomOptions extends CreateOptions {
  generator?: Generator;
}

type NumericArray =
  Float32Array | Float64Array | Int32Array | Uint8Array | Int8Array | Int16Array | Uint16Array | Uint32Array;
/** What `tensor()` accepts: a number, a nested rectangular array of numbers, or a typed array. */
export type TensorData = number | readonly unknown[] | NumericArray;

function make(
  data: ArrayLike<number> | null,
  shape: Shape,
  opts: CreateOptions,
  where: string,
  fallback: DType = 'float64',
): Tensor {
  if (opts === null || typeof opts !== 'object')
    throw new TypeError(`${where}: the options must be an object, got ${describe(opts)}`);
  const dtype = checkDType(opts.dtype ?? fallback, where);
  const size = sizeOf(checkShape(shape, where)); // also a size past the typed-array limit, named
  const store = alloc(dtype, size);
  if (data) store.set(data);
  return new Tensor(store, shape, opts.requiresGrad ?? false);
}

/**
 * A tensor from a number, a (nested, rectangular) array or a typed array; `shape` reshapes flat data.
 * A Float32Array stays float32 unless `dtype` says otherwise.
 * @example tensor([[1, 2], [3, 4]], { requiresGrad: true });
 */
export function tensor(data: TensorData, opts: CreateOptions & { shape?: Shape } = {}): Tensor {
  let flat: ArrayLike<number>;
  let shape: number[];
  let fallback: DType = 'float64';
  if (typeof data === 'number') {
    flat = [data];
    shape = [];
  } else if (ArrayBuffer.isView(data)) {
    flat = data as NumericArray;
    shape = [flat.length];
    if (data instanceof Float32Array) fallback = 'float32';
  } else if (Array.isArray(data)) {
    ({ data: flat, shape } = nestedToFlat(data, 'tensor', 'data'));
  } else {
    throw new TypeError(`tensor: data must be a number, a nested array or a typed array, got ${describe(data)}`);
  }
  if (opts.shape) {
    const s = checkShape(opts.shape, 'tensor');
    if (sizeOf(s) !== flat.length)
      throw new RangeError(`tensor: ${flat.length} values do not fill shape ${fmt(s)} (${sizeOf(s)} elements)`);
    shape = s;
  }
  return make(flat, shape, opts, 'tensor', fallback);
}

/** A tensor filled with `value`. @example full([2, 2], 7); */
export function full(shape: Shape, value: number, opts: CreateOptions = {}): Tensor {
  return filledWith(shape, value, opts, 'full');
}

function filledWith(shape: Shape, value: number, opts: CreateOptions, where: string): Tensor {
  if (typeof value !== 'number') throw new TypeError(`${where}: value must be a number, got ${describe(value)}`);
  const t = make(null, checkShape(shape, where), opts, where);
  t.data.fill(value);
  return t;
}

/** Zeros of `shape`. @example zeros([2, 3]); */
export function zeros(shape: Shape, opts: CreateOptions = {}): Tensor {
  return make(null, checkShape(shape, 'zeros'), opts, 'zeros');
}

/** Ones of `shape`. @example ones([3]); */
export function ones(shape: Shape, opts: CreateOptions = {}): Tensor {
  return filledWith(shape, 1, opts, 'ones');
}

/** Zeros with the shape and dtype of `t`. @example zerosLike(x); */
export function zerosLike(t: Tensor, opts: CreateOptions = {}): Tensor {
  assertTensor(t, 'zerosLike');
  return make(null, t.shape, { dtype: t.dtype, ...opts }, 'zerosLike');
}

/** Ones with the shape and dtype of `t`. @example onesLike(x); */
export function onesLike(t: Tensor, opts: CreateOptions = {}): Tensor {
  assertTensor(t, 'onesLike');
  return filledWith(t.shape, 1, { dtype: t.dtype, ...opts }, 'onesLike');
}

/** start, start + step, … below end (one argument: 0 … end − 1). @example arange(3); // [0, 1, 2] */
export function arange(start: number, end?: number, step = 1, opts: CreateOptions = {}): Tensor {
  const [lo, hi] = end === undefined ? [0, start] : [start, end];
  if (!Number.isFinite(lo) || !Number.isFinite(hi))
    throw new RangeError(`arange: start and end must be finite numbers, got ${String(lo)} and ${String(hi)}`);
  if (step === 0 || !Number.isFinite(step))
    throw new RangeError(`arange: step must be a finite non-zero number, got ${step}`);
  const n = Math.max(0, Math.ceil((hi - lo) / step));
  if (!(n <= 2 ** 32 - 1))
    throw new RangeError(`arange: ${lo} to ${hi} by ${step} is ${n} values, more than a typed array can hold`);
  const t = make(null, [n], opts, 'arange');
  for (let i = 0; i < n; i++) t.data[i] = lo + i * step;
  return t;
}

/** `steps` evenly spaced values from start to end inclusive. @example linspace(0, 1, 5); // [0, 0.25, 0.5, 0.75, 1] */
export function linspace(start: number, end: number, steps: number, opts: CreateOptions = {}): Tensor {
  if (!Number.isInteger(steps) || steps < 0)
    throw new RangeError(`linspace: steps must be a non-negative integer, got ${steps}`);
  if (!Number.isFinite(start) || !Number.isFinite(end))
    throw new RangeError(`linspace: start and end must be finite numbers, got ${String(start)} and ${String(end)}`);
  const t = make(null, [steps], opts, 'linspace');
  const h = steps > 1 ? (end - start) / (steps - 1) : 0;
  for (let i = 0; i < steps; i++) t.data[i] = i === steps - 1 && steps > 1 ? end : start + i * h;
  return t;
}

/** The n×m identity (m defaults to n). @example eye(2); // [[1, 0], [0, 1]] */
export function eye(n: number, m = n, opts: CreateOptions = {}): Tensor {
  const t = make(null, checkShape([n, m], 'eye'), opts, 'eye');
  for (let i = 0; i < Math.min(n, m); i++) t.data[i * m + i] = 1;
  return t;
}

/** The generator to draw from: `opts.generator` (checked) or the default one. */
function generatorOf(opts: RandomOptions, where: string): Generator {
  const g = opts.generator ?? defaultGenerator();
  if (!(g instanceof Generator))
    throw new TypeError(`${where}: generator must be a Generator (new Generator(seed)), got ${describe(g)}`);
  return g;
}

function fillRandom(shape: Shape, opts: RandomOptions, where: string, draw: (g: Generator) => number): Tensor {
  const t = make(null, checkShape(shape, where), opts, where);
  const g = generatorOf(opts, where);
  for (let i = 0; i < t.size; i++) t.data[i] = draw(g);
  return t;
}

/** Uniform on [0, 1), from the default or a given generator. @example rand([2, 2], { generator: new Generator(1) }); */
export function rand(shape: Shape, opts: RandomOptions = {}): Tensor {
  return fillRandom(shape, opts, 'rand', (g) => g.random());
}

/** Standard normal samples. @example randn([3]); */
export function randn(shape: Shape, opts: RandomOptions = {}): Tensor {
  return fillRandom(shape, opts, 'randn', (g) => g.normal());
}

/** Uniform integers in [low, high). @example randint(0, 10, [5]); */
export function randint(low: number, high: number, shape: Shape, opts: RandomOptions = {}): Tensor {
  if (!Number.isInteger(low) || !Number.isInteger(high) || high <= low)
    throw new RangeError(`randint: expected integers low < high, got ${low} and ${high}`);
  return fillRandom(shape, opts, 'randint', (g) => g.int(low, high));
}

/** A random permutation of 0 … n − 1 (Fisher–Yates). @example randperm(5); */
export function randperm(n: number, opts: RandomOptions = {}): Tensor {
  if (!Number.isInteger(n) || n < 0)
    throw new RangeError(`randperm: n must be a non-negative integer, got ${String(n)}`);
  const g = generatorOf(opts, 'randperm');
  const t = make(null, [n], opts, 'randperm');
  for (let i = 0; i < n; i++) t.data[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = g.int(0, i + 1);
    const tmp = t.data[i]!;
    t.data[i] = t.data[j]!;
    t.data[j] = tmp;
  }
  return t;
}
