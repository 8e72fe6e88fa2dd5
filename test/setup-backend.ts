// Vitest setup: XENT_BACKEND=ts runs the suite on the pure-TypeScript kernels (.ci/run does so for test/core);
// unset or 'wasm', the default (the WebAssembly SIMD set).
// XENT_WASM_LIMITS: the sizes below which the wasm set hands a call to the TypeScript kernel. The suite's default
// is 0, so every op-level test (small shapes included) runs the wasm kernels; 'default' keeps the shipped limits
// (what users get), a number sets both limits to it.
import { setBackend } from '@xent/core';
import { wasmLimits } from '@xent/core/extend';

const name = process.env.XENT_BACKEND;
if (name === 'ts' || name === 'wasm') setBackend(name);
else if (name) throw new Error(`XENT_BACKEND must be 'ts' or 'wasm', got ${JSON.stringify(name)}`);

const limits = process.env.XENT_WASM_LIMITS ?? '0';
if (limits !== 'default') {
  const v = Number(limits);
  if (limits.trim() === '' || !Number.isInteger(v) || v < 0)
    throw new Error(`XENT_WASM_LIMITS must be 'default' or a whole number ≥ 0, got ${JSON.stringify(limits)}`);
  wasmLimits.min = v;
  wasmLimits.matmul = v;
}
