// AssemblyScript entry of the threaded GEMM module: gemm.ts again, built on shared, imported memory
// (scripts/build-wasm.mjs), instantiated once on the calling thread and once in each worker of the pool.
// It must hold no static data: every instantiation would write it into the one shared memory again.
export { gemm32, gemm64, kern32, kern64, gemmScratch32, gemmScratch64 } from './gemm';

/** Where the host's scratch may start: past the (empty) static data. */
export function heapBase(): usize {
  return (__heap_base + 15) & ~15;
}
