import { type Generator, type Tensor, defaultGenerator } from '@xent/core';
import { checkGenerator, checkOptions, checkTensor, quote } from './validate.js';
import { formatShape } from '@xent/core/extend';

/* Initialisers, as torch.nn.init: each fills a tensor in place (no graph) and returns it. */

/** Nonlinearities calculateGain knows, PyTorch's names in camelCase. */
export type Nonlinearity = 'linear' | 'sigmoid' | 'tanh' | 'relu' | 'leakyRelu' | 'selu';

/** Options every initialiser takes: the random generator. */
export interface InitOptions {
  /** Random stream; the default generator (see `manualSeed`) when omitted. */
  generator?: Generator;
}

/**
 * The recommended gain for a nonlinearity (PyTorch's calculate_gain): 1, 5/3 for tanh, √2 for relu,
 * √(2 / (1 + slope²)) for leaky relu (slope 0.01 by default), 3/4 for selu.
 * @example calculateGain('relu'); // 1.4142…
 */
export function calculateGain(nonlinearity: Nonlinearity, param?: number): number {
  switch (nonlinearity) {
    case 'linear':
    case 'sigmoid':
      return 1;
    case 'tanh':
      return 5 / 3;
    case 'relu':
      return Math.SQRT2;
    case 'leakyRelu': {
      const s = param ?? 0.01;
      return Math.sqrt(2 / (1 + s * s));
    }
    case 'selu':
      return 3 / 4;
    default:
      throw new RangeError(
        `calculateGain: unknown nonlinearity ${JSON.stringify(nonlinearity)}; expected linear, sigmoid, tanh, relu, leakyRelu or selu`,
      );
  }
}

/**
 * fanIn = shape[1] · receptive field, fanOut = shape[0] · receptive field (PyTorch's rule; a Linear
 * weight [out, in] has fanIn = in).
 * @example fans(zeros([3, 5])); // { fanIn: 5, fanOut: 3 }
 */
export function fans(t: Tensor, where = 'fans'): { fanIn: number; fanOut: number } {
  checkTensor(t, where, 'the tensor');
  if (t.ndim < 2)
    throw new RangeError(
      `${where}: fan in and fan out need a tensor with at least 2 dims, got shape ${formatShape(t.shape)}`,
    );
  let receptive = 1;
  for (let i = 2; i < t.ndim; i++) receptive *= t.shape[i]!;
  return { fanIn: t.shape[1]! * receptive, fanOut: t.shape[0]! * receptive };
}

/** Checks a number argument: finite. */
function finite(v: unknown, where: string, name: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v))
    throw new RangeError(`${where}: ${name} must be a finite number, got ${quote(v)}`);
  return v;
}

/** Checks an initialiser's tensor and options (strict keys) and returns its random stream. */
function stream(t: Tensor, opts: InitOptions, where: string): Generator {
  checkTensor(t, where, 'the tensor');
  const o = checkOptions(opts, where, ['generator']);
  return checkGenerator(o.generator, where) ?? defaultGenerator();
}

/** Fills with U(low, high). @example uniform(w, -0.1, 0.1); */
export function uniform(t: Tensor, low = 0, high = 1, opts: InitOptions = {}): Tensor {
  const g = stream(t, opts, 'uniform');
  finite(low, 'uniform', 'low');
  finite(high, 'uniform', 'high');
  if (!(low <= high)) throw new RangeError(`uniform: low must be ≤ high, got ${low} and ${high}`);
  const d = t.data,
    w = high - low;
  for (let i = 0; i < d.length; i++) d[i] = low + w * g.random();
  t._bumpVersion();
  return t;
}

/** Fills with N(mean, std²). @example normal(w, 0, 0.02); */
export function normal(t: Tensor, mean = 0, std = 1, opts: InitOptions = {}): Tensor {
  const g = stream(t, opts, 'normal');
  finite(mean, 'normal', 'mean');
  if (finite(std, 'normal', 'std') < 0) throw new RangeError(`normal: std must be ≥ 0, got ${std}`);
  const d = t.data;
  for (let i = 0; i < d.length; i++) d[i] = mean + std * g.normal();
  t._bumpVersion();
  return t;
}

/**
 * Glorot uniform: U(−a, a), a = gain · √(6 / (fanIn + fanOut)).
 * @example xavierUniform(w, { generator: new Generator(0) });
 */
export function xavierUniform(t: Tensor, opts: InitOptions & { gain?: number } = {}): Tensor {
  checkOptions(opts, 'xavierUniform', ['generator', 'gain']);
  finite(opts.gain ?? 1, 'xavierUniform', 'gain');
  const { fanIn, fanOut } = fans(t, 'xavierUniform');
  const a = (opts.gain ?? 1) * Math.sqrt(6 / (fanIn + fanOut));
  return uniform(t, -a, a, { generator: opts.generator });
}

/** Glorot normal: N(0, σ²), σ = gain · √(2 / (fanIn + fanOut)). @example xavierNormal(w); */
export function xavierNormal(t: Tensor, opts: InitOptions & { gain?: number } = {}): Tensor {
  checkOptions(opts, 'xavierNormal', ['generator', 'gain']);
  finite(opts.gain ?? 1, 'xavierNormal', 'gain');
  const { fanIn, fanOut } = fans(t, 'xavierNormal');
  return normal(t, 0, (opts.gain ?? 1) * Math.sqrt(2 / (fanIn + fanOut)), { generator: opts.generator });
}

/** The He initialisers' options, as PyTorch's: a (leaky relu slope), mode (fanIn or fanOut), nonlinearity. */
export interface KaimingOptions extends InitOptions {
  /** Negative slope of the leaky relu that follows (PyTorch's `a`); 0 by default. */
  a?: number;
  mode?: 'fanIn' | 'fanOut';
  nonlinearity?: Nonlinearity;
}

function kaimingStd(t: Tensor, opts: KaimingOptions, where: string): number {
  checkOptions(opts, where, ['generator', 'a', 'mode', 'nonlinearity']);
  finite(opts.a ?? 0, where, 'a');
  const f = fans(t, where);
  const mode = opts.mode ?? 'fanIn';
  if (mode !== 'fanIn' && mode !== 'fanOut')
    throw new RangeError(`${where}: mode must be 'fanIn' or 'fanOut', got ${quote(mode)}`);
  const gain = calculateGain(opts.nonlinearity ?? 'leakyRelu', opts.a ?? 0);
  return gain / Math.sqrt(mode === 'fanIn' ? f.fanIn : f.fanOut);
}

/**
 * He uniform: U(−b, b), b = gain · √(3 / fan). Linear's default is a = √5, i.e. b = 1/√fanIn.
 * @example kaimingUniform(w, { nonlinearity: 'relu' });
 */
export function kaimingUniform(t: Tensor, opts: KaimingOptions = {}): Tensor {
  const b = Math.sqrt(3) * kaimingStd(t, opts, 'kaimingUniform');
  return uniform(t, -b, b, { generator: opts.generator });
}

/** He normal: N(0, σ²), σ = gain / √fan. @example kaimingNormal(w, { nonlinearity: 'relu' }); */
export function kaimingNormal(t: Tensor, opts: KaimingOptions = {}): Tensor {
  return normal(t, 0, kaimingStd(t, opts, 'kaimingNormal'), { generator: opts.generator });
}

/** Fills with `value`. @example constant(b, 0.1); */
export function constant(t: Tensor, value: number): Tensor {
  checkTensor(t, 'constant', 'the tensor');
  if (typeof value !== 'number') throw new TypeError(`constant: value must be a number, got ${quote(value)}`);
  t.data.fill(value);
  t._bumpVersion();
  return t;
}

/** Fills with 0. @example zeros(b); */
export function zeros(t: Tensor): Tensor {
  return constant(t, 0);
}

/** Fills with 1. @example ones(gamma); */
export function ones(t: Tensor): Tensor {
  return constant(t, 1);
}
