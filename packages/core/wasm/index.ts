// AssemblyScript entry of xent's WebAssembly kernels (built by `pnpm build:wasm`, see scripts/build-wasm.mjs).
// The host owns the memory: it copies operands in from its heap start (heapBase()) and grows the memory.
export * from './gemm';
export * from './elementwise';
export * from './reduce';
export * from './softmax';
export * from './optim';

/** Where the host's scratch may start: past the static data. */
export function heapBase(): usize {
  return (__heap_base + 15) & ~15;
}
