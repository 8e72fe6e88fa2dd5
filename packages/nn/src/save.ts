import { Tensor } from '@xent/core';
import { type LayerSpec, buildModel, checkArchitecture, describeModel } from './architecture.js';
import type { Module, StateDict } from './module.js';
import { checkOptions, quote, shapeText } from './validate.js';

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
  checkOptions(opts, 'saveModel', ['meta', 'space']);
  if (model === null || typeof model !== 'object' || typeof (model as Module).namedParameters !== 'function')
    throw new TypeError(`saveModel: model must be a Module, got ${quote(model)}`);
  if (opts.space !== undefined && typeof opts.space !== 'number' && typeof opts.space !== 'string')
    throw new TypeError(
      `saveModel: space must be a number or a string (JSON.stringify's indent), got ${quote(opts.space)}`,
    );
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
  try {
    return JSON.stringify(saved, null, opts.space);
  } catch (e) {
    // Only meta can fail here (a cycle, a BigInt, nesting too deep for the engine).
    throw new TypeError(`saveModel: meta cannot be written as JSON (${quote((e as Error).message, 120)})`, {
      cause: e,
    });
  }
}

/** Throws an Error prefixed with the public function's name. */
const failIn =
  (where: string) =>
  (msg: string): never => {
    throw new Error(`${where}: ${msg}`);
  };

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Reads a saved model (a JSON string or the parsed object) into a state dict, checking everything:
 * the JSON itself, the format tag, each entry's shape (non-negative integers), dtype and values
 * (finite numbers, as many as the shape needs, still finite once rounded to float32 for a float32
 * entry). Keys go into a prototype-free object, so a '__proto__' or 'constructor' key is only ever a
 * name (and an unexpected one). Bad values are quoted cut short in the error, however big or deep.
 * @example const state = parseSavedModel(json); model.loadStateDict(state);
 */
export function parseSavedModel(json: string | unknown): { state: StateDict; meta: unknown; architecture: unknown } {
  return parse(json, 'parseSavedModel');
}

function parse(json: unknown, where: string): { state: StateDict; meta: unknown; architecture: unknown } {
  const fail = failIn(where);
  let doc: unknown = json;
  if (typeof json === 'string') {
    try {
      doc = JSON.parse(json);
    } catch (e) {
      fail(`the text is not JSON (${quote((e as Error).message, 120)})`);
    }
  }
  if (!isPlainObject(doc)) fail(`expected a JSON object with format, version and parameters, got ${quote(doc)}`);
  const d = doc as Record<string, unknown>;
  if (d.format !== 'xent-model') fail(`format must be 'xent-model', got ${quote(d.format)}`);
  if (d.version !== 1) fail(`version ${quote(d.version)} is not supported (expected 1)`);
  if (!isPlainObject(d.parameters))
    fail(`parameters must be an object of { shape, dtype, data } by name, got ${quote(d.parameters)}`);
  const params = d.parameters as Record<string, unknown>;
  const state = Object.create(null) as StateDict;
  for (const key of Object.keys(params)) {
    const name = key.length <= 60 ? `'${key}'` : quote(key, 60);
    const e = params[key];
    if (!isPlainObject(e)) fail(`parameter ${name} must be an object { shape, dtype, data }, got ${quote(e)}`);
    const { shape, dtype, data } = e as Record<string, unknown>;
    if (!Array.isArray(shape) || shape.length > 64 || !shape.every((s) => Number.isInteger(s) && (s as number) >= 0))
      fail(`parameter ${name}: shape must be a list of at most 64 non-negative integers, got ${quote(shape)}`);
    if (dtype !== 'float32' && dtype !== 'float64')
      fail(`parameter ${name}: dtype must be 'float32' or 'float64', got ${quote(dtype)}`);
    if (!Array.isArray(data)) fail(`parameter ${name}: data must be an array of numbers, got ${quote(data)}`);
    const values = data as unknown[];
    const size = (shape as number[]).reduce((a, b) => a * b, 1);
    if (values.length !== size)
      fail(`parameter ${name}: shape ${shapeText(shape as number[])} needs ${size} values, got ${values.length}`);
    const store = dtype === 'float32' ? new Float32Array(size) : new Float64Array(size);
    for (let i = 0; i < size; i++) {
      const v = values[i];
      if (typeof v !== 'number') fail(`parameter ${name}: value ${i} is ${quote(v)}, not a number`);
      if (!Number.isFinite(v)) fail(`parameter ${name}: value ${i} is not finite`);
      store[i] = v as number;
      // Checked after rounding: 1e300 is finite in float64 but ±Infinity in float32.
      if (!Number.isFinite(store[i])) fail(`parameter ${name}: value ${i} (${v as number}) overflows float32`);
    }
    state[key] = new Tensor(store, shape as number[]);
  }
  return { state, meta: d.meta, architecture: d.architecture };
}

/**
 * Loads a saved model into `model` in place (strict: every key must match, every shape fit) and
 * returns the saved `meta`. Nothing changes unless everything is valid.
 * @example loadModel(model, json);
 */
export function loadModel(model: Module, json: string | unknown): unknown {
  const fail = failIn('loadModel');
  if (model === null || typeof model !== 'object' || typeof (model as Module).loadStateDict !== 'function')
    fail(`model must be a Module, got ${quote(model)}`);
  const { state, meta } = parse(json, 'loadModel');
  try {
    model.loadStateDict(state);
  } catch (e) {
    fail((e as Error).message.replace(/^loadStateDict: /, ''));
  }
  return meta;
}

/**
 * Rebuilds a model saved from stock layers (Sequential, MLP, Linear, activations, Dropout, Flatten)
 * with no code: its architecture, then its parameters, everything validated. The whole architecture
 * is checked and counted before any layer is allocated, so a small file cannot make it build a huge
 * model. Custom modules: build the model in code and use loadModel.
 * @example const { model, meta } = modelFromJson(json);
 */
export function modelFromJson(json: string | unknown): { model: Module; meta: unknown } {
  const fail = failIn('modelFromJson');
  const { state, meta, architecture } = parse(json, 'modelFromJson');
  if (architecture === undefined)
    fail(
      'the file has no architecture (the model had custom modules): build the model in code and call loadModel(model, json)',
    );
  const { values: needed } = checkArchitecture(architecture, 'modelFromJson');
  let held = 0;
  for (const k of Object.keys(state)) held += state[k]!.size;
  if (needed > held) fail(`the architecture needs ${needed} parameter values but the file holds only ${held}`);
  const model = buildModel(architecture);
  try {
    model.loadStateDict(state);
  } catch (e) {
    fail((e as Error).message.replace(/^loadStateDict: /, ''));
  }
  return { model, meta };
}
