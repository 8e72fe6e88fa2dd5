import { type DType, type Generator, Tensor } from '@xent/core';
import { formatShape } from '@xent/core/extend';

/* Argument checks shared by @xent/nn: strict option objects, hostile values quoted short, generators,
   seeds and dtypes. None of them recurses into a value or spreads it, so input-sized data cannot
   overflow the stack or blow up an error message. */

const MAX_QUOTE = 40;

/**
 * A short description of any value for an error message: strings quoted and cut at `max` characters,
 * arrays and objects summarised (never walked), so a 50 MB string or an array nested 100,000 deep
 * still gives a one-line message.
 * @example quote('x'.repeat(1e6)); // '"xxxx…" (1000000 characters)'
 */
export function quote(v: unknown, max = MAX_QUOTE): string {
  if (typeof v === 'string') {
    const cut = v.length > max ? v.slice(0, max) : v;
    return v.length > max ? `${JSON.stringify(cut).slice(0, -1)}…" (${v.length} characters)` : JSON.stringify(cut);
  }
  if (v === null || v === undefined || typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint')
    return String(v);
  if (typeof v === 'symbol') return 'a symbol';
  if (typeof v === 'function') return 'a function';
  if (v instanceof Tensor) return `a Tensor of shape ${shapeText(v.shape)}`;
  if (Array.isArray(v)) {
    const n = v.length;
    if (n <= 4 && v.every((e) => typeof e === 'number' || typeof e === 'boolean' || e === null))
      return `[${v.map(String).join(', ')}]`;
    return `an array of ${n} item${n === 1 ? '' : 's'}`;
  }
  const name = (v as object).constructor?.name;
  return typeof name === 'string' && name !== 'Object' && name.length <= MAX_QUOTE ? `a ${name}` : 'an object';
}

/**
 * A shape for a message, `[2, 3]`; a shape longer than 8 dims is cut (`[1, 1, …, 1] (10000 dims)`).
 * @example shapeText([2, 3]); // '[2, 3]'
 */
export function shapeText(shape: readonly unknown[]): string {
  if (shape.length <= 8 && shape.every((d) => typeof d === 'number')) return formatShape(shape as number[]);
  if (shape.length <= 8) return `[${shape.map((d) => quote(d)).join(', ')}]`;
  return `[${shape
    .slice(0, 4)
    .map((d) => quote(d))
    .join(', ')}, …] (${shape.length} dims)`;
}

/**
 * Checks an options argument: undefined (no options) or a plain object whose own keys are all in
 * `keys`, as PyTorch rejects an unexpected keyword; the error lists the valid keys.
 * @example const o = checkOptions(opts, 'SGD', ['lr', 'momentum']); // throws on { learningRate: 0.1 }
 */
export function checkOptions<T extends object>(opts: T | undefined, where: string, keys: readonly string[]): T {
  if (opts === undefined) return {} as T;
  if (opts === null || typeof opts !== 'object' || Array.isArray(opts) || opts instanceof Tensor)
    throw new TypeError(`${where}: options must be an object, got ${quote(opts)}`);
  for (const k of Object.keys(opts)) {
    if (!keys.includes(k))
      throw new TypeError(`${where}: unknown option ${quote(k)}; valid options are ${keys.join(', ')}`);
  }
  return opts;
}

/**
 * Checks a `generator` option: undefined or an object with random() and int() (a core Generator).
 * @example checkGenerator(opts.generator, 'DataLoader');
 */
export function checkGenerator(g: unknown, where: string): Generator | undefined {
  if (g === undefined) return undefined;
  const o = g as { random?: unknown; int?: unknown; normal?: unknown } | null;
  if (
    o === null ||
    typeof o !== 'object' ||
    typeof o.random !== 'function' ||
    typeof o.int !== 'function' ||
    typeof o.normal !== 'function'
  )
    throw new TypeError(`${where}: generator must be a Generator (new Generator(seed)), got ${quote(g)}`);
  return g as Generator;
}

/**
 * Checks a seed: a finite number (what Generator accepts).
 * @example checkSeed(opts.seed, 'fit');
 */
export function checkSeed(seed: unknown, where: string): number {
  if (typeof seed !== 'number' || !Number.isFinite(seed))
    throw new RangeError(`${where}: seed must be a finite number, got ${quote(seed)}`);
  return seed;
}

/**
 * Checks a dtype option: undefined (float64) or 'float32' / 'float64'.
 * @example checkDType(opts.dtype, 'Linear'); // 'float64'
 */
export function checkDType(dtype: unknown, where: string): DType {
  if (dtype === undefined) return 'float64';
  if (dtype !== 'float32' && dtype !== 'float64')
    throw new TypeError(`${where}: dtype must be 'float32' or 'float64', got ${quote(dtype)}`);
  return dtype;
}

/**
 * Checks an optional boolean option.
 * @example checkBoolean(opts.amsgrad, 'Adam', 'amsgrad', false);
 */
export function checkBoolean(v: unknown, where: string, name: string, fallback: boolean): boolean {
  if (v === undefined) return fallback;
  if (typeof v !== 'boolean') throw new TypeError(`${where}: ${name} must be true or false, got ${quote(v)}`);
  return v;
}

/**
 * Checks a tensor argument.
 * @example checkTensor(x, 'Linear.forward', 'input');
 */
export function checkTensor(v: unknown, where: string, name: string): Tensor {
  if (!(v instanceof Tensor)) throw new TypeError(`${where}: ${name} must be a Tensor, got ${quote(v)}`);
  return v;
}
