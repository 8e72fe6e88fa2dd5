import { Tensor } from '@xent/core';
import { type LayerSpec, buildModel, describeModel } from './architecture.js';
import type { Module, StateDict } from './module.js';

/* Saving and loading a model's parameters as JSON. Browser-safe: strings in, strings out
   (file helpers live in the './node' entry). */

/**
 * The JSON layout: a format tag, a version, the architecture when it is made of stock layers, and every parameter's
 * shape, dtype and values.
 */
export interface SavedModel {
  format: 'xent-model';
  version: 1;
  architecture?: LayerSpec;
  parameters: Record<string, { shape: number[]; dtype: 'float32' | 'float64'; data: number[] }>;
  /** Free-form information kept alongside (class names, the scaler, a note). */
  meta?: unknown;
}

/**
 * The model's parameters as a JSON string (float64 values keep every bit: JSON numbers round-trip);
 * a NaN or infinite parameter is an error, since JSON cannot hold it.
 * @example const json = saveModel(model); loadModel(otherModel, json);
 */
export function saveModel(model: Module, opts: { meta?: unknown; space?: number } = {}): string {
  const parameters: SavedModel['parameters'] = {};
  for (const [name, p] of model.namedParameters()) {
    // JSON has no NaN or Infinity (JSON.stringify would write null): refuse rather than save a broken file.
    const bad = p.data.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0)
      throw new RangeError(
        `saveModel: parameter '${name}' holds ${p.data[bad]} at index ${bad}; JSON can store finite numbers only`,
      );
    parameters[name] = { shape: p.shape.slice(), dtype: p.dtype, data: Array.from(p.data) };
  }
  const architecture = describeModel(model);
  const saved: SavedModel = architecture
    ? { format: 'xent-model', version: 1, architecture, parameters }
    : { format: 'xent-model', version: 1, parameters };
  if (opts.meta !== undefined) saved.meta = opts.meta;
  return JSON.stringify(saved, null, opts.space);
}

const fail = (msg: string): never => {
  throw new Error(`loadModel: ${msg}`);
};

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Reads a saved model (a JSON string or the parsed object) into a state dict, checking everything:
 * the JSON itself, the format tag, each entry's shape (non-negative integers), dtype and values
 * (finite numbers, as many as the shape needs). Keys go into a prototype-free object, so a
 * '__proto__' or 'constructor' key is only ever a name (and an unexpected one).
 * @example const state = parseSavedModel(json); model.loadStateDict(state);
 */
export function parseSavedModel(json: string | unknown): { state: StateDict; meta: unknown; architecture: unknown } {
  let doc: unknown = json;
  if (typeof json === 'string') {
    try {
      doc = JSON.parse(json);
    } catch (e) {
      fail(`the text is not JSON (${(e as Error).message})`);
    }
  }
  if (!isPlainObject(doc)) fail('expected a JSON object with format, version and parameters');
  const d = doc as Record<string, unknown>;
  if (d.format !== 'xent-model') fail(`format must be 'xent-model', got ${JSON.stringify(d.format)}`);
  if (d.version !== 1) fail(`version ${JSON.stringify(d.version)} is not supported (expected 1)`);
  if (!isPlainObject(d.parameters)) fail('parameters must be an object of { shape, dtype, data } by name');
  const params = d.parameters as Record<string, unknown>;
  const state = Object.create(null) as StateDict;
  for (const name of Object.keys(params)) {
    const e = params[name];
    if (!isPlainObject(e)) fail(`parameter '${name}' must be an object { shape, dtype, data }`);
    const { shape, dtype, data } = e as Record<string, unknown>;
    if (!Array.isArray(shape) || !shape.every((s) => Number.isInteger(s) && (s as number) >= 0))
      fail(`parameter '${name}': shape must be a list of non-negative integers`);
    if (dtype !== 'float32' && dtype !== 'float64')
      fail(`parameter '${name}': dtype must be 'float32' or 'float64', got ${JSON.stringify(dtype)}`);
    if (!Array.isArray(data)) fail(`parameter '${name}': data must be an array of numbers`);
    const values = data as unknown[];
    const size = (shape as number[]).reduce((a, b) => a * b, 1);
    if (values.length !== size)
      fail(`parameter '${name}': shape [${(shape as number[]).join(', ')}] needs ${size} values, got ${values.length}`);
    const store = dtype === 'float32' ? new Float32Array(size) : new Float64Array(size);
    for (let i = 0; i < size; i++) {
      const v = values[i];
      if (typeof v !== 'number')
        fail(`parameter '${name}': value ${i} is ${v === null ? 'null' : typeof v}, not a number`);
      if (!Number.isFinite(v)) fail(`parameter '${name}': value ${i} is not finite`);
      store[i] = v as number;
    }
    state[name] = new Tensor(store, shape as number[]);
  }
  return { state, meta: d.meta, architecture: d.architecture };
}

/**
 * Loads a saved model into `model` in place (strict: every key must match, every shape fit) and
 * returns the saved `meta`. Nothing changes unless everything is valid.
 * @example loadModel(model, json);
 */
export function loadModel(model: Module, json: string | unknown): unknown {
  const { state, meta } = parseSavedModel(json);
  try {
    model.loadStateDict(state);
  } catch (e) {
    fail((e as Error).message.replace(/^loadStateDict: /, ''));
  }
  return meta;
}

/**
 * Rebuilds a model saved from stock layers (Sequential, MLP, Linear, activations, Dropout, Flatten)
 * with no code: its architecture, then its parameters, everything validated. Custom modules: build
 * the model in code and use loadModel.
 * @example const { model, meta } = modelFromJson(json);
 */
export function modelFromJson(json: string | unknown): { model: Module; meta: unknown } {
  const { state, meta, architecture } = parseSavedModel(json);
  if (architecture === undefined)
    fail(
      'the file has no architecture (the model had custom modules): build the model in code and call loadModel(model, json)',
    );
  // Count before building, so that a file naming huge layers fails without allocating them.
  const needed = valuesNeeded(architecture, 0),
    held = Object.values(state).reduce((n, t) => n + t.size, 0);
  if (needed > held) fail(`the architecture needs ${needed} parameter values but the file holds only ${held}`);
  let model: Module;
  try {
    model = buildModel(architecture);
  } catch (e) {
    return fail((e as Error).message.replace(/^buildModel: /, ''));
  }
  try {
    model.loadStateDict(state);
  } catch (e) {
    fail((e as Error).message.replace(/^loadStateDict: /, ''));
  }
  return { model, meta };
}

/** Parameter values a layer description needs (Linear is the only stock layer with parameters); NaN when malformed. */
function valuesNeeded(spec: unknown, depth: number): number {
  if (!isPlainObject(spec) || depth > 64) return NaN;
  if (spec.type === 'Linear') {
    const { inFeatures: i, outFeatures: o, bias } = spec;
    return Number.isInteger(i) && Number.isInteger(o)
      ? (i as number) * (o as number) + (bias === true ? (o as number) : 0)
      : NaN;
  }
  if (spec.type === 'Sequential')
    return Array.isArray(spec.layers)
      ? spec.layers.reduce((n: number, l: unknown) => n + valuesNeeded(l, depth + 1), 0)
      : NaN;
  return 0;
}
