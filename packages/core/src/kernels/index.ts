import { fastKernels } from './fast.js';
import type { Kernels } from './types.js';
import { wasm, webAssembly } from './wasm/instance.js';
import { wasmKernels } from './wasm/wasm-kernels.js';

export type { ActivationOp, AdamStep, BinaryOp, Kernels, ParamOp, ReduceOp, SgdStep, UnaryOp } from './types.js';
export { referenceKernels } from './reference.js';
export { fastKernels } from './fast.js';
export { wasmKernels } from './wasm/wasm-kernels.js';

/** A kernel backend: 'wasm' (WebAssembly SIMD, the default where it validates) or 'ts' (pure TypeScript). */
export type Backend = 'wasm' | 'ts';

// The wasm set instantiates its module on first use and runs the TypeScript kernels where WebAssembly SIMD is
// missing, so choosing it here costs nothing at import. (The test suite picks the backend from XENT_BACKEND in
// test/setup-backend.ts: the core reads no environment.)
let active: Kernels = webAssembly() ? wasmKernels : fastKernels;

/**
 * The kernels every op calls (the wasm set by default, the TypeScript set where WebAssembly SIMD is missing).
 * @example kernels().matmul(a, [0], false, b, [0], false, m, k, n, out);
 */
export function kernels(): Kernels {
  return active;
}

/**
 * Replaces some or all kernels (for a faster implementation); returns the previous set.
 * @example const prev = setKernels({ matmul: myMatmul }); setKernels(prev);
 */
export function setKernels(k: Partial<Kernels>): Kernels {
  const prev = active;
  active = { ...active, ...k };
  return prev;
}

/**
 * Chooses the kernel backend: 'wasm' (WebAssembly SIMD, relaxed-SIMD FMA when the engine accepts it) or 'ts'
 * (the pure-TypeScript kernels). Throws when 'wasm' is asked for where WebAssembly SIMD is unavailable.
 * @example setBackend('ts'); // the readable TypeScript kernels
 */
export function setBackend(name: Backend): void {
  if (name === 'ts') active = fastKernels;
  else if (name === 'wasm') {
    if (!wasm()) throw new Error("setBackend: backend 'wasm' needs WebAssembly SIMD, which this engine lacks");
    active = wasmKernels;
  } else throw new TypeError(`setBackend: unknown backend ${JSON.stringify(name)}; expected 'wasm' or 'ts'`);
}

/**
 * The backend the ops run on: 'wasm' when the active matmul is the wasm set's and its module loads, else 'ts'.
 * @example getBackend(); // 'wasm' in Node 20
 */
export function getBackend(): Backend {
  return active.matmul === wasmKernels.matmul && wasm() ? 'wasm' : 'ts';
}

/**
 * Which WebAssembly build the wasm backend runs: 'relaxed' (SIMD with FMA), 'simd', or null (none loads here).
 * @example wasmBuild(); // 'simd' in Node 20 without --experimental-wasm-relaxed-simd
 */
export function wasmBuild(): 'relaxed' | 'simd' | null {
  return wasm()?.build ?? null;
}
