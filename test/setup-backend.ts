// Vitest setup: XENT_BACKEND=ts runs the suite on the pure-TypeScript kernels (.ci/run does so for test/core);
// unset or 'wasm', the default (the WebAssembly SIMD set).
import { setBackend } from '@xent/core';

const name = process.env.XENT_BACKEND;
if (name === 'ts' || name === 'wasm') setBackend(name);
else if (name) throw new Error(`XENT_BACKEND must be 'ts' or 'wasm', got ${JSON.stringify(name)}`);
