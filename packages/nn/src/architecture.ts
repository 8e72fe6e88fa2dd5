import type { DType } from '@xent/core';
import { GELU, LeakyReLU, LogSoftmax, ReLU, Sigmoid, Softmax, Tanh } from './layers/activations.js';
import { Dropout, Flatten, Identity, MLP, Sequential } from './layers/containers.js';
import { Linear } from './layers/linear.js';
import type { Module } from './module.js';

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

/**
 * Builds a model from a description made by describeModel, checking every field; the error names
 * the path (architecture.layers[2].p). Parameters are freshly initialised: load them after.
 * @example const model = buildModel({ type: 'Sequential', layers: [{ type: 'Linear', inFeatures: 2, outFeatures: 3,
 *   bias: true, dtype: 'float64' }] });
 */
export function buildModel(spec: unknown, path = 'architecture', depth = 0): Module {
  const fail = (msg: string): never => {
    throw new Error(`buildModel: ${path}: ${msg}`);
  };
  if (depth > 64) fail('nested too deeply');
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) fail('expected an object { type, … }');
  const s = spec as Record<string, unknown>;
  const int = (k: string, min: number): number => {
    const v = s[k];
    if (!Number.isInteger(v) || (v as number) < min) fail(`${k} must be an integer ≥ ${min}, got ${JSON.stringify(v)}`);
    return v as number;
  };
  const num = (k: string, lo: number, hi: number): number => {
    const v = s[k];
    if (typeof v !== 'number' || !(v >= lo && v <= hi))
      fail(`${k} must be a number in [${lo}, ${hi}], got ${JSON.stringify(v)}`);
    return v as number;
  };
  const type = s.type;
  if (typeof type !== 'string') fail('type must be a string');
  if (Object.prototype.hasOwnProperty.call(plain, type as string)) return new plain[type as string]!();
  switch (type) {
    case 'Linear': {
      if (typeof s.bias !== 'boolean') fail(`bias must be true or false, got ${JSON.stringify(s.bias)}`);
      if (s.dtype !== 'float32' && s.dtype !== 'float64')
        fail(`dtype must be 'float32' or 'float64', got ${JSON.stringify(s.dtype)}`);
      return new Linear(int('inFeatures', 1), int('outFeatures', 1), {
        bias: s.bias as boolean,
        dtype: s.dtype as DType,
      });
    }
    case 'LeakyReLU':
      return new LeakyReLU(num('negativeSlope', -1e6, 1e6));
    case 'Softmax':
      return new Softmax(int('dim', -64));
    case 'LogSoftmax':
      return new LogSoftmax(int('dim', -64));
    case 'Dropout':
      return new Dropout(num('p', 0, 1));
    case 'Flatten':
      return new Flatten(int('startDim', -64), int('endDim', -64));
    case 'Sequential': {
      if (!Array.isArray(s.layers)) fail('layers must be an array');
      return new Sequential(...(s.layers as unknown[]).map((l, i) => buildModel(l, `${path}.layers[${i}]`, depth + 1)));
    }
    default:
      return fail(
        `unknown layer type ${JSON.stringify(type)}; expected one of Linear, ${Object.keys(plain).join(', ')}, LeakyReLU, Softmax, LogSoftmax, Dropout, Flatten, Sequential`,
      );
  }
}
