import { RELAXED_WASM, SIMD_WASM } from './generated/wasm-bytes.js';

/*
 * The WebAssembly module behind the wasm kernel set: decoded from the embedded base64 and instantiated
 * synchronously on first use (no fs, no fetch), the relaxed-SIMD (FMA) build when the engine validates
 * it, the SIMD build otherwise, none without SIMD. The host owns the module's memory: every kernel call
 * starts a scratch arena at the module's heap start, copies its operands in, runs and copies the result
 * out. The arena is reset by the next call, so memory grows to the largest call's need and no further.
 */

/** A module's memory, as much of it as the host uses. */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

/**
 * The part of the WebAssembly API used here, typed locally: the core type-checks without the DOM library (a Node
 * project's lib may lack it).
 */
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}

/** The engine's WebAssembly, or undefined where there is none. */
export const webAssembly = (): WasmApi | undefined => (globalThis as { WebAssembly?: WasmApi }).WebAssembly;

/** The module's exports this file and the kernel set use (pointers and sizes are byte offsets / counts). */
export interface WasmExports {
  memory: WasmMemory;
  heapBase(): number;
  gemmScratch32(): number;
  gemmScratch64(): number;
  gemm32(...a: number[]): void;
  gemm64(...a: number[]): void;
  bin32(...a: number[]): void;
  bin64(...a: number[]): void;
  un32(op: number, x: number, out: number, n: number, alpha: number): void;
  un64(op: number, x: number, out: number, n: number, alpha: number): void;
  actGrad32(op: number, x: number, g: number, out: number, n: number, alpha: number): void;
  actGrad64(op: number, x: number, g: number, out: number, n: number, alpha: number): void;
  reduce32(op: number, x: number, outer: number, n: number, inner: number, out: number): void;
  reduce64(op: number, x: number, outer: number, n: number, inner: number, out: number): void;
  softmax32(x: number, rows: number, n: number, log: number, out: number): void;
  softmax64(x: number, rows: number, n: number, log: number, out: number): void;
  crossEntropy32(...a: number[]): void;
  crossEntropy64(...a: number[]): void;
  crossEntropyBackward32(...a: number[]): void;
  crossEntropyBackward64(...a: number[]): void;
  sgd32(...a: number[]): void;
  sgd64(...a: number[]): void;
  adam32(...a: number[]): void;
  adam64(...a: number[]): void;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Base64 to bytes with a lookup table: the same code in Node, browsers and Workers. */
export function decodeBase64(s: string): Uint8Array<ArrayBuffer> {
  const table = new Uint8Array(128);
  for (let i = 0; i < 64; i++) table[B64.charCodeAt(i)] = i;
  let len = s.length;
  while (len > 0 && s[len - 1] === '=') len--;
  const out = new Uint8Array(new ArrayBuffer((len * 3) >> 2));
  let o = 0;
  for (let i = 0; i < len; i += 4) {
    const a = table[s.charCodeAt(i)]!,
      b = table[s.charCodeAt(i + 1)]!,
      c = i + 2 < len ? table[s.charCodeAt(i + 2)]! : 0,
      d = i + 3 < len ? table[s.charCodeAt(i + 3)]! : 0;
    const v = (a << 18) | (b << 12) | (c << 6) | d;
    out[o++] = v >> 16;
    if (o < out.length) out[o++] = (v >> 8) & 255;
    if (o < out.length) out[o++] = v & 255;
  }
  return out;
}

/** Base64 to bytes: Node's Buffer where there is one (native, ~0.2 ms), the portable decoder elsewhere. */
export function fromBase64(s: string): Uint8Array<ArrayBuffer> {
  const B = (globalThis as { Buffer?: { from(s: string, enc: string): Uint8Array } }).Buffer;
  if (!B) return decodeBase64(s);
  const b = B.from(s, 'base64');
  return new Uint8Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer);
}

/** Which build runs: 'relaxed' (SIMD with FMA), 'simd', or null when the engine has no WebAssembly SIMD. */
export type WasmBuild = 'relaxed' | 'simd';

let state: { exports: WasmExports; build: WasmBuild } | null | undefined; // undefined: not tried yet

/** Instantiates the module once (synchronously); null when WebAssembly SIMD is missing or refused. */
export function wasm(): { exports: WasmExports; build: WasmBuild } | null {
  if (state !== undefined) return state;
  state = null;
  const WA = webAssembly();
  if (!WA) return state;
  for (const [build, text] of [
    ['relaxed', RELAXED_WASM],
    ['simd', SIMD_WASM],
  ] as const) {
    const bytes = fromBase64(text);
    if (!WA.validate(bytes)) continue;
    try {
      // Synchronous compile: fine in Node and Workers; a browser's main thread may refuse modules over 4 KB.
      const inst = new WA.Instance(new WA.Module(bytes), {});
      state = { exports: inst.exports as unknown as WasmExports, build };
    } catch {
      state = null;
    }
    break;
  }
  if (state) arena.attach(state.exports.memory, state.exports.heapBase());
  return state;
}

/**
 * A bump allocator over a module's memory, reset at the start of every kernel call. The typed-array views
 * are re-created whenever the memory grew (a grown non-shared memory detaches its old buffer; a grown shared
 * one gets a new, longer buffer while old views keep their length).
 */
export class Arena {
  private mem: WasmMemory | null = null;
  private base = 0;
  private top = 0;
  /** Bytes the views cover: the memory's size when they were made. Only alloc grows the memory (the modules have
   * no runtime and never call memory.grow; the thread pool's workers compute in place), so this stays true
   * without reading memory.buffer, a native call, at every allocation. */
  private cap = 0;
  f32 = new Float32Array(0);
  f64 = new Float64Array(0);
  i32 = new Int32Array(0);

  attach(memory: WasmMemory, base: number): void {
    this.mem = memory;
    this.base = base;
    this.top = this.base;
    this.views();
  }

  /** Starts a call: everything allocated by the previous call is free again. */
  reset(): void {
    this.top = this.base;
  }

  /** `bytes` bytes aligned to 16; grows the memory (at least doubling it) when needed. */
  alloc(bytes: number): number {
    const p = (this.top + 15) & ~15;
    this.top = p + bytes;
    if (this.top > this.cap) this.grow();
    return p;
  }

  /** Copies x into the arena; returns its byte offset. */
  put(x: Float32Array | Float64Array | Int32Array): number {
    const p = this.alloc(x.byteLength);
    if (x instanceof Float32Array) this.f32.set(x, p >> 2);
    else if (x instanceof Float64Array) this.f64.set(x, p >> 3);
    else this.i32.set(x, p >> 2);
    return p;
  }

  /** Copies n elements at byte offset p into out (from out[at]). */
  get(p: number, out: Float32Array | Float64Array, n = out.length, at = 0): void {
    const f = out instanceof Float32Array;
    const v = f ? this.f32 : this.f64,
      i = f ? p >> 2 : p >> 3;
    // A short copy element by element: cheaper than the subarray object set() needs.
    if (n <= 32) for (let k = 0; k < n; k++) out[at + k] = v[i + k]!;
    else out.set(v.subarray(i, i + n), at);
  }

  /** Bytes of memory the module holds now (for the no-growth test). */
  size(): number {
    return this.mem ? this.mem.buffer.byteLength : 0;
  }

  /** Grows the memory to hold `top` bytes (at least doubling it) and re-creates the views. */
  private grow(): void {
    const mem = this.mem!;
    const have = mem.buffer.byteLength;
    if (this.top > have) {
      const need = Math.ceil((this.top - have) / 65536);
      try {
        mem.grow(Math.max(need, have / 65536));
      } catch {
        mem.grow(need); // near a shared memory's maximum: only what this call needs (throws past it)
      }
    }
    this.views();
  }

  private views(): void {
    const b = this.mem!.buffer;
    this.f32 = new Float32Array(b);
    this.f64 = new Float64Array(b);
    this.i32 = new Int32Array(b);
    this.cap = b.byteLength;
  }
}

/** The one arena of the module. */
export const arena = new Arena();
