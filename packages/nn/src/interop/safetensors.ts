import { type DType, Tensor } from '@xent/core';
import { type LayerSpec, buildModel, describeModel } from '../architecture.js';
import type { Module, StateDict } from '../module.js';

/* The safetensors format (Hugging Face; what PyTorch, JAX and transformers exchange weights in): an 8-byte
   little-endian header length N, N bytes of JSON {name: {dtype, shape, data_offsets}, __metadata__?: {string:
   string}} padded with spaces to a multiple of 8, then the tensors' bytes, little-endian, contiguous, each
   tensor's [begin, end) relative to the end of the header. Browser-safe: bytes in, bytes out. */

/** Element size in bytes of the dtypes xent reads (F64, F32 written too; F16, BF16 widened to float32). */
const ITEM: Record<string, number> = { F64: 8, F32: 4, F16: 2, BF16: 2 };
/** Dtypes of the format xent does not read (integers, booleans, 8-bit floats): named in the error. */
const OTHER = new Set(['BOOL', 'U8', 'I8', 'F8_E5M2', 'F8_E4M3', 'I16', 'U16', 'I32', 'U32', 'I64', 'U64']);
/** The reference implementation refuses headers past 100 MB; so do we (before decoding any of it). */
const MAX_HEADER = 100_000_000;

/** What readSafetensors returns: the tensors by name (in file order), the metadata and each tensor's stored dtype. */
export interface SafetensorsContents {
  tensors: StateDict;
  metadata: Record<string, string>;
  dtypes: Record<string, string>;
}

const hostIsLittleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

const fail = (where: string, msg: string): never => {
  throw new Error(`${where}: ${msg}`);
};

/**
 * Serialises tensors (name → Tensor) to safetensors bytes: F32 for float32 tensors, F64 for float64,
 * the bigger dtype first then by name (as the reference writer orders them), `metadata` under `__metadata__`.
 * @example const bytes = writeSafetensors({ 'fc.weight': w }, { format: 'pt' });
 */
export function writeSafetensors(
  tensors: Record<string, Tensor> | Map<string, Tensor>,
  metadata?: Record<string, string>,
): Uint8Array {
  const where = 'writeSafetensors';
  if (tensors === null || typeof tensors !== 'object')
    fail(where, 'tensors must be an object or Map of tensors by name');
  const entries =
    tensors instanceof Map ? [...tensors.entries()] : Object.keys(tensors).map((k) => [k, tensors[k]] as const);
  for (const [name, t] of entries) {
    if (!(t instanceof Tensor)) fail(where, `'${name}' must be a Tensor`);
    if (name === '__metadata__') fail(where, "'__metadata__' is reserved for the metadata and cannot name a tensor");
  }
  if (metadata !== undefined) {
    if (metadata === null || typeof metadata !== 'object' || Array.isArray(metadata))
      fail(where, 'metadata must be an object of strings');
    for (const [k, v] of Object.entries(metadata))
      if (typeof v !== 'string')
        fail(where, `metadata '${k}' must be a string (the format allows strings only), got ${typeof v}`);
  }
  const sorted = (entries as [string, Tensor][]).slice().sort(([a, x], [b, y]) => {
    const size = (y.dtype === 'float64' ? 8 : 4) - (x.dtype === 'float64' ? 8 : 4);
    return size || (a < b ? -1 : a > b ? 1 : 0);
  });
  const header = Object.create(null) as Record<string, unknown>; // so that a tensor may be named '__proto__'
  if (metadata !== undefined) header.__metadata__ = metadata;
  let offset = 0;
  for (const [name, t] of sorted) {
    const bytes = t.size * (t.dtype === 'float64' ? 8 : 4);
    header[name] = {
      dtype: t.dtype === 'float64' ? 'F64' : 'F32',
      shape: t.shape.slice(),
      data_offsets: [offset, offset + bytes],
    };
    offset += bytes;
  }
  let json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.length / 8) * 8;
  if (padded !== json.length) {
    const p = new Uint8Array(padded).fill(0x20); // spaces, as the reference writer pads
    p.set(json);
    json = p;
  }
  const out = new Uint8Array(8 + padded + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(padded), true);
  out.set(json, 8);
  let at = 8 + padded;
  for (const [, t] of sorted) {
    const n = t.size * (t.dtype === 'float64' ? 8 : 4);
    if (hostIsLittleEndian) out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, n), at);
    else if (t.dtype === 'float64') for (let i = 0; i < t.size; i++) view.setFloat64(at + 8 * i, t.data[i]!, true);
    else for (let i = 0; i < t.size; i++) view.setFloat32(at + 4 * i, t.data[i]!, true);
    at += n;
  }
  return out;
}

/** IEEE half → number. */
function halfToNumber(h: number): number {
  const s = h & 0x8000 ? -1 : 1,
    e = (h >> 10) & 0x1f,
    f = h & 0x3ff;
  if (e === 0) return s * f * 2 ** -24; // subnormal: f · 2⁻¹⁴ · 2⁻¹⁰
  if (e === 31) return f ? NaN : s * Infinity;
  return s * (1 + f / 1024) * 2 ** (e - 15);
}

const scratch = new Uint32Array(1),
  scratchFloat = new Float32Array(scratch.buffer);

/** bfloat16 → number: the high 16 bits of a float32. */
function bf16ToNumber(b: number): number {
  scratch[0] = b << 16;
  return scratchFloat[0]!;
}

/**
 * Parses safetensors bytes, validating everything: the header length, the JSON, every entry's dtype, shape and
 * offsets (contiguous from 0, no overlap, no gap, covering the data exactly), and the values (finite unless
 * `allowNonFinite`). F64 gives float64 tensors; F32, F16 and BF16 give float32 ones. The data are copied.
 * @example const { tensors, metadata } = readSafetensors(bytes);
 */
export function readSafetensors(
  bytes: Uint8Array | ArrayBuffer,
  opts: { allowNonFinite?: boolean } = {},
): SafetensorsContents {
  const where = 'readSafetensors';
  const buf = bytes instanceof ArrayBuffer ? new Uint8Array(bytes) : bytes;
  if (!(buf instanceof Uint8Array)) fail(where, 'bytes must be a Uint8Array or ArrayBuffer');
  if (buf.length < 8) fail(where, `the file is truncated: ${buf.length} bytes, but the header length alone takes 8`);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const n = view.getBigUint64(0, true);
  if (n > BigInt(buf.length - 8))
    fail(where, `the header length ${n} runs past the end of the file (${buf.length - 8} bytes after the length)`);
  if (n > BigInt(MAX_HEADER)) fail(where, `the header length ${n} is over the ${MAX_HEADER}-byte limit`);
  const headerLength = Number(n),
    dataStart = 8 + headerLength,
    dataLength = buf.length - dataStart;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(buf.subarray(8, dataStart));
  } catch {
    return fail(where, 'the header is not valid UTF-8');
  }
  if (!text.startsWith('{')) fail(where, "the header must be a JSON object starting with '{'");
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (e) {
    return fail(where, `the header is not valid JSON (${(e as Error).message})`);
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header))
    fail(where, 'the header must be a JSON object');
  const h = header as Record<string, unknown>;
  const metadata: Record<string, string> = Object.create(null) as Record<string, string>;
  const meta = h.__metadata__;
  if (meta !== undefined && meta !== null) {
    if (typeof meta !== 'object' || Array.isArray(meta)) fail(where, '__metadata__ must be an object of strings');
    for (const [k, v] of Object.entries(meta as Record<string, unknown>)) {
      if (typeof v !== 'string') fail(where, `__metadata__ '${k}' must be a string, got ${JSON.stringify(v)}`);
      metadata[k] = v as string;
    }
  }
  type Entry = { name: string; dtype: string; shape: number[]; begin: number; end: number };
  const entries: Entry[] = [];
  for (const name of Object.keys(h)) {
    if (name === '__metadata__') continue;
    const info = h[name];
    const bad = (msg: string): never => fail(where, `tensor '${name}': ${msg}`);
    if (info === null || typeof info !== 'object' || Array.isArray(info))
      bad('expected { dtype, shape, data_offsets }');
    const { dtype, shape, data_offsets: offs } = info as Record<string, unknown>;
    if (typeof dtype !== 'string') bad(`dtype must be a string, got ${JSON.stringify(dtype)}`);
    if (!((dtype as string) in ITEM))
      bad(
        OTHER.has(dtype as string)
          ? `dtype ${dtype} is not supported (xent reads F64, F32, F16 and BF16)`
          : `unknown dtype ${JSON.stringify(dtype)} (expected one of F64, F32, F16, BF16)`,
      );
    if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && (d as number) >= 0))
      bad(`shape must be a list of non-negative integers, got ${JSON.stringify(shape)}`);
    if (!Array.isArray(offs) || offs.length !== 2 || !offs.every((o) => Number.isSafeInteger(o) && (o as number) >= 0))
      bad(`data_offsets must be [begin, end] with non-negative integers, got ${JSON.stringify(offs)}`);
    const [begin, end] = offs as [number, number];
    if (end < begin) bad(`data_offsets [${begin}, ${end}] end before they begin`);
    const size = (shape as number[]).reduce((a, b) => a * b, 1);
    const need = size * ITEM[dtype as string]!;
    if (!Number.isSafeInteger(need) || need !== end - begin)
      bad(
        `shape [${(shape as number[]).join(', ')}] of ${dtype} needs ${need} bytes but data_offsets [${begin}, ${end}] hold ${end - begin}`,
      );
    entries.push({ name, dtype: dtype as string, shape: shape as number[], begin, end });
  }
  // The data must be covered exactly, in order: each tensor begins where the previous one ends.
  const byOffset = entries.slice().sort((a, b) => a.begin - b.begin || a.end - b.end);
  let at = 0;
  for (const e of byOffset) {
    if (e.begin < at)
      fail(where, `tensor '${e.name}' overlaps the previous tensor (data_offsets begin at ${e.begin}, before ${at})`);
    if (e.begin > at)
      fail(where, `the data are not contiguous: a gap of ${e.begin - at} bytes before tensor '${e.name}'`);
    at = e.end;
  }
  if (at > dataLength)
    fail(where, `the file is truncated: the tensors need ${at} bytes of data but ${dataLength} follow the header`);
  if (at < dataLength)
    fail(where, `${dataLength - at} bytes after the last tensor are not covered by any data_offsets`);

  const tensors = Object.create(null) as StateDict,
    dtypes: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const e of entries) {
    const size = (e.end - e.begin) / ITEM[e.dtype]!;
    const dv = new DataView(buf.buffer, buf.byteOffset + dataStart + e.begin, e.end - e.begin);
    const out = e.dtype === 'F64' ? new Float64Array(size) : new Float32Array(size);
    for (let i = 0; i < size; i++) {
      const v =
        e.dtype === 'F64'
          ? dv.getFloat64(8 * i, true)
          : e.dtype === 'F32'
            ? dv.getFloat32(4 * i, true)
            : e.dtype === 'F16'
              ? halfToNumber(dv.getUint16(2 * i, true))
              : bf16ToNumber(dv.getUint16(2 * i, true));
      if (!opts.allowNonFinite && !Number.isFinite(v))
        fail(where, `tensor '${e.name}' holds ${v} at index ${i}; pass { allowNonFinite: true } to accept it`);
      out[i] = v;
    }
    tensors[e.name] = new Tensor(out, e.shape.slice());
    dtypes[e.name] = e.dtype;
  }
  return { tensors, metadata, dtypes };
}

/** The metadata key holding the architecture JSON (what buildModel reads). */
const ARCHITECTURE_KEY = 'xent.architecture';

/**
 * The model's parameters as safetensors bytes, keyed by the PyTorch state-dict names ('0.weight'), with
 * `format: 'pt'` and the architecture JSON (stock layers only) in the metadata, so PyTorch's
 * `load_state_dict` takes it and `modelFromSafetensors` rebuilds it with no code.
 * @example const bytes = saveSafetensors(model); // then torch: model.load_state_dict(tensors)
 */
export function saveSafetensors(
  model: Module,
  opts: { dtype?: DType; metadata?: Record<string, string> } = {},
): Uint8Array {
  if (opts.dtype !== undefined && opts.dtype !== 'float32' && opts.dtype !== 'float64')
    throw new RangeError(`saveSafetensors: dtype must be 'float32' or 'float64', got ${JSON.stringify(opts.dtype)}`);
  const state = model.stateDict();
  if (opts.dtype)
    for (const k of Object.keys(state)) if (state[k]!.dtype !== opts.dtype) state[k] = state[k]!.to(opts.dtype);
  const metadata: Record<string, string> = { format: 'pt', ...opts.metadata };
  const arch = describeModel(model);
  if (arch) metadata[ARCHITECTURE_KEY] = JSON.stringify(opts.dtype ? withDtype(arch, opts.dtype) : arch);
  return writeSafetensors(state, metadata);
}

function withDtype(spec: LayerSpec, dtype: DType): LayerSpec {
  if (spec.type === 'Linear') return { ...spec, dtype };
  if (spec.type === 'Sequential') return { ...spec, layers: spec.layers.map((l) => withDtype(l, dtype)) };
  return spec;
}

/** loadSafetensors's options. */
export interface LoadSafetensorsOptions {
  /** Every key must match (default true); false allows missing and unexpected keys. */
  strict?: boolean;
  /** File key → model key ('fc1.weight' → '0.weight'), a table or a function; keys it leaves out stay as they are. */
  rename?: Record<string, string> | ((key: string) => string);
  /** Accept NaN and ±∞ values (default false: they are refused). */
  allowNonFinite?: boolean;
}

/**
 * Loads safetensors bytes (from PyTorch or saveSafetensors) into `model` in place: all or nothing, every key,
 * shape and value checked before any parameter changes. Returns the missing and unexpected keys and the metadata.
 * @example loadSafetensors(model, bytes, { rename: { 'fc1.weight': '0.weight', 'fc1.bias': '0.bias' } });
 */
export function loadSafetensors(
  model: Module,
  bytes: Uint8Array | ArrayBuffer,
  opts: LoadSafetensorsOptions = {},
): { missingKeys: string[]; unexpectedKeys: string[]; metadata: Record<string, string> } {
  const { tensors, metadata } = readSafetensors(bytes, opts);
  const state = renamed(tensors, opts.rename);
  try {
    return { ...model.loadStateDict(state, { strict: opts.strict ?? true }), metadata };
  } catch (e) {
    throw new Error(`loadSafetensors: ${(e as Error).message.replace(/^loadStateDict: /, '')}`, { cause: e });
  }
}

function renamed(tensors: StateDict, rename: LoadSafetensorsOptions['rename']): Map<string, Tensor> {
  const out = new Map<string, Tensor>();
  for (const k of Object.keys(tensors)) {
    const to =
      rename === undefined
        ? k
        : typeof rename === 'function'
          ? rename(k)
          : Object.prototype.hasOwnProperty.call(rename, k)
            ? rename[k]!
            : k;
    if (typeof to !== 'string')
      throw new TypeError(`loadSafetensors: rename must give a string for '${k}', got ${typeof to}`);
    if (out.has(to)) throw new Error(`loadSafetensors: rename maps two file keys to '${to}'`);
    out.set(to, tensors[k]!);
  }
  return out;
}

/**
 * Rebuilds a model saved by saveSafetensors from stock layers, with no code: the architecture from the metadata,
 * then every parameter (strict).
 * @example const { model } = modelFromSafetensors(bytes);
 */
export function modelFromSafetensors(bytes: Uint8Array | ArrayBuffer): {
  model: Module;
  metadata: Record<string, string>;
} {
  const { tensors, metadata } = readSafetensors(bytes);
  const arch = metadata[ARCHITECTURE_KEY];
  if (arch === undefined)
    fail(
      'modelFromSafetensors',
      `the metadata has no '${ARCHITECTURE_KEY}' (a custom model, or a file from elsewhere): build the model in code and call loadSafetensors`,
    );
  let spec: unknown;
  try {
    spec = JSON.parse(arch as string);
  } catch (e) {
    return fail('modelFromSafetensors', `'${ARCHITECTURE_KEY}' is not valid JSON (${(e as Error).message})`);
  }
  // Count before building, so that a header naming huge layers fails without allocating them.
  const needed = valuesNeeded(spec, 0),
    held = Object.values(tensors).reduce((n, t) => n + t.size, 0);
  if (!(needed <= held))
    fail('modelFromSafetensors', `the architecture needs ${needed} parameter values but the file holds ${held}`);
  let model: Module;
  try {
    model = buildModel(spec);
  } catch (e) {
    return fail('modelFromSafetensors', (e as Error).message.replace(/^buildModel: /, ''));
  }
  try {
    model.loadStateDict(tensors);
  } catch (e) {
    fail('modelFromSafetensors', (e as Error).message.replace(/^loadStateDict: /, ''));
  }
  return { model, metadata };
}

/** Parameter values a layer description needs (Linear is the only stock layer with some); NaN when malformed. */
function valuesNeeded(spec: unknown, depth: number): number {
  if (spec === null || typeof spec !== 'object' || depth > 64) return NaN;
  const s = spec as Record<string, unknown>;
  if (s.type === 'Linear') {
    const { inFeatures: i, outFeatures: o, bias } = s;
    return Number.isInteger(i) && Number.isInteger(o)
      ? (i as number) * (o as number) + (bias === true ? (o as number) : 0)
      : NaN;
  }
  if (s.type === 'Sequential')
    return Array.isArray(s.layers)
      ? s.layers.reduce((n: number, l: unknown) => n + valuesNeeded(l, depth + 1), 0)
      : NaN;
  return 0;
}
