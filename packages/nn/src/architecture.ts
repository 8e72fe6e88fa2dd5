import type { DType } from '@xent/core';
import { GELU, LeakyReLU, LogSoftmax, ReLU, Sigmoid, Softmax, Tanh } from './layers/activations.js';
import { Dropout, Flatten, Identity, MLP, Sequential } from './layers/containers.js';
import { Linear, MAX_LAYER_VALUES } from './layers/linear.js';
import type { Module } from './module.js';
import { quote } from './validate.js';

/* A JSON description of models built from the stock layers, so that a saved file can rebuild its
   model with no code: Sequential (and MLP) trees of Linear, activations, Dropout, Flatten, Identity. */

/** The JSON description of one stock layer (or a Sequential of them), as describeModel writes it. */
export type LayerSpec =
  | { type: 'Linear'; inFeatures: number; outFeatures: number; bias: boolean; dtype: DType }
  | { type: 'ReLU' | 'Tanh' | 'Sigmoid' | 'GELU' | 'Identity' }
  | { type: 'LeakyReLU'; negativeSlope: number }
  | { type: 'Softmax' | 'LogSoftmax'; dim: number }
  | { type: 'Dropout'; p: number }
  | { type: 'Flatten'; startDim: number; endDim: number }
  | { type: 'Sequential'; layers: LayerSpec[] };

const plain: Record<string, new () => Module> = { ReLU, Tanh, Sigmoid, GELU, Identity };

/**
 * The architecture of a model made of stock layers, or null when some part is a custom module
 * (its parameters can still be saved; rebuilding it needs its code).
 * @example describeModel(new MLP([2, 8, 3])); // { type: 'Sequential', layers: [{ type: 'Linear', … }, …] }
 */
export function describeModel(m: Module): LayerSpec | null {
  const c = m.constructor;
  if (c === Linear) {
    const l = m as Linear;
    return {
      type: 'Linear',
      inFeatures: l.inFeatures,
      outFeatures: l.outFeatures,
      bias: l.bias !== null,
      dtype: l.weight.dtype,
    };
  }
  if (c === Sequential || c === MLP) {
    const layers = (m as Sequential).layers.map(describeModel);
    return layers.every((l) => l !== null) ? { type: 'Sequential', layers: layers as LayerSpec[] } : null;
  }
  for (const [type, cls] of Object.entries(plain)) if (c === cls) return { type } as LayerSpec;
  if (c === LeakyReLU) return { type: 'LeakyReLU', negativeSlope: (m as LeakyReLU).negativeSlope };
  if (c === Softmax || c === LogSoftmax)
    return { type: c === Softmax ? 'Softmax' : 'LogSoftmax', dim: (m as Softmax).dim };
  if (c === Dropout) return { type: 'Dropout', p: (m as Dropout).p };
  if (c === Flatten) return { type: 'Flatten', startDim: (m as Flatten).startDim, endDim: (m as Flatten).endDim };
  return null;
}

/** The layer types describeModel writes, for messages. */
const TYPES = `Linear, ${Object.keys(plain).join(', ')}, LeakyReLU, Softmax, LogSoftmax, Dropout, Flatten, Sequential`;

/** The fields each layer type may have besides `type` (a description is strict, as the options). */
const FIELDS: Record<string, readonly string[]> = {
  Linear: ['inFeatures', 'outFeatures', 'bias', 'dtype'],
  LeakyReLU: ['negativeSlope'],
  Softmax: ['dim'],
  LogSoftmax: ['dim'],
  Dropout: ['p'],
  Flatten: ['startDim', 'endDim'],
  Sequential: ['layers'],
};

/** Deepest nesting of Sequentials a description may have. */
const MAX_DEPTH = 64;

/**
 * Checks a whole model description without building or allocating anything, walking it with an
 * explicit stack (no recursion, whatever its depth or width), and counts the parameter values it
 * needs. Every field is checked with buildModel's rules; the error names the path
 * (architecture.layers[2].p) and quotes the bad value cut short.
 * @example checkArchitecture({ type: 'Linear', inFeatures: 2, outFeatures: 3, bias: true, dtype: 'float64' });
 *   // { values: 9, layers: 1 }
 */
export function checkArchitecture(spec: unknown, where = 'buildModel'): { values: number; layers: number } {
  let values = 0,
    layers = 0;
  const stack: [unknown, string, number][] = [[spec, 'architecture', 0]];
  while (stack.length > 0) {
    const [node, path, depth] = stack.pop()!;
    if (depth > MAX_DEPTH) specError(where, path, `nested too deeply (more than ${MAX_DEPTH} levels of Sequential)`);
    values += checkLayer(node, where, path);
    layers++;
    const list = (node as { type: string; layers?: unknown[] }).layers;
    if ((node as { type: string }).type === 'Sequential')
      for (let i = list!.length - 1; i >= 0; i--) stack.push([list![i], `${path}.layers[${i}]`, depth + 1]);
    // A count past 2⁵³ is no longer exact, and no file can hold that many values anyway.
    if (!Number.isSafeInteger(values))
      specError(where, path, `the model would need more than ${Number.MAX_SAFE_INTEGER} parameter values`);
  }
  return { values, layers };
}

function specError(where: string, path: string, msg: string): never {
  throw new Error(`${where}: ${path}: ${msg}`);
}

const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

/** Checks one layer's own fields (not its children); returns the parameter values it needs. */
function checkLayer(node: unknown, where: string, path: string): number {
  if (node === null || typeof node !== 'object' || Array.isArray(node))
    specError(where, path, `expected an object { type, … }, got ${quote(node)}`);
  const s = node as Record<string, unknown>;
  const type = s.type;
  if (typeof type !== 'string') specError(where, path, `type must be a string, got ${quote(type)}`);
  const t = type as string;
  if (!hasOwn(plain, t) && !hasOwn(FIELDS, t))
    specError(where, path, `unknown layer type ${quote(type)}; expected one of ${TYPES}`);
  const known = hasOwn(plain, t) ? [] : FIELDS[t]!;
  for (const k in s)
    if (k !== 'type' && hasOwn(s, k) && !known.includes(k))
      specError(where, path, `unknown field ${quote(k)} for ${t}; expected ${['type', ...known].join(', ')}`);
  switch (t) {
    case 'Linear': {
      if (typeof s.bias !== 'boolean') specError(where, path, `bias must be true or false, got ${quote(s.bias)}`);
      if (s.dtype !== 'float32' && s.dtype !== 'float64')
        specError(where, path, `dtype must be 'float32' or 'float64', got ${quote(s.dtype)}`);
      const i = checkInt(s, 'inFeatures', 1, Number.MAX_SAFE_INTEGER, where, path),
        o = checkInt(s, 'outFeatures', 1, Number.MAX_SAFE_INTEGER, where, path);
      if (i * o > MAX_LAYER_VALUES)
        specError(
          where,
          path,
          `a [${o}, ${i}] weight would hold ${i * o} values, more than a typed array can (${MAX_LAYER_VALUES})`,
        );
      return i * o + (s.bias ? o : 0);
    }
    case 'LeakyReLU':
      checkNum(s, 'negativeSlope', -1e6, 1e6, where, path);
      return 0;
    case 'Softmax':
    case 'LogSoftmax':
      checkInt(s, 'dim', -64, 63, where, path);
      return 0;
    case 'Dropout':
      checkNum(s, 'p', 0, 1, where, path);
      return 0;
    case 'Flatten':
      checkInt(s, 'startDim', -64, 63, where, path);
      checkInt(s, 'endDim', -64, 63, where, path);
      return 0;
    case 'Sequential':
      if (!Array.isArray(s.layers)) specError(where, path, `layers must be an array, got ${quote(s.layers)}`);
      return 0;
    default:
      return 0;
  }
}

function checkInt(
  s: Record<string, unknown>,
  k: string,
  min: number,
  max: number,
  where: string,
  path: string,
): number {
  const v = s[k];
  if (!Number.isInteger(v) || (v as number) < min || (v as number) > max)
    specError(
      where,
      path,
      `${k} must be an integer ${max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `in [${min}, ${max}]`}, got ${quote(v)}`,
    );
  return v as number;
}

function checkNum(s: Record<string, unknown>, k: string, lo: number, hi: number, where: string, path: string): void {
  const v = s[k];
  if (typeof v !== 'number' || !(v >= lo && v <= hi))
    specError(where, path, `${k} must be a number in [${lo}, ${hi}], got ${quote(v)}`);
}

/**
 * Builds a model from a description made by describeModel. The whole description is checked first
 * (checkArchitecture), so a bad field anywhere fails before any layer is allocated; the error names
 * the path (architecture.layers[2].p). Parameters are freshly initialised: load them after.
 * @example const model = buildModel({ type: 'Sequential', layers: [{ type: 'Linear', inFeatures: 2, outFeatures: 3,
 *   bias: true, dtype: 'float64' }] });
 */
export function buildModel(spec: unknown): Module {
  checkArchitecture(spec, 'buildModel');
  return construct(spec as LayerSpec);
}

/** Builds a checked description. Recursion here is bounded by MAX_DEPTH; each Sequential's list is a loop. */
function construct(s: LayerSpec): Module {
  if (Object.prototype.hasOwnProperty.call(plain, s.type)) return new plain[s.type]!();
  switch (s.type) {
    case 'Linear':
      return new Linear(s.inFeatures, s.outFeatures, { bias: s.bias, dtype: s.dtype });
    case 'LeakyReLU':
      return new LeakyReLU(s.negativeSlope);
    case 'Softmax':
      return new Softmax(s.dim);
    case 'LogSoftmax':
      return new LogSoftmax(s.dim);
    case 'Dropout':
      return new Dropout(s.p);
    case 'Flatten':
      return new Flatten(s.startDim, s.endDim);
    case 'Sequential': {
      const seq = new Sequential();
      for (const l of s.layers) seq.append(construct(l));
      return seq;
    }
    default:
      throw new Error(`buildModel: unknown layer type ${quote((s as { type: unknown }).type)}`);
  }
}
