import { RELAXED_THREADS_WASM, SIMD_THREADS_WASM } from './generated/wasm-threads-bytes.js';
import { Arena, type WasmMemory, fromBase64, wasm, webAssembly } from './instance.js';
import { type GemmExports, SLOTS, WORKER_SOURCE, runTiles } from './thread-worker.js';

/*
 * Threads, opt-in: `setNumThreads(n)` starts n − 1 workers (Node's worker_threads, or Web Workers where the page
 * is crossOriginIsolated) that share one WebAssembly memory with the calling thread. A large GEMM is cut into
 * tiles of C that the caller and the workers take from an atomic counter; the caller waits with Atomics.wait,
 * so matmul stays synchronous. Every element of C is summed in the same order as on one thread: the result
 * is bit-identical whatever the number of threads. Workers never keep a Node process alive (unref) and
 * leave their loop when the pool is shut down.
 */

/** A worker as both Node's worker_threads and the browser's Worker can serve it. */
interface PoolWorker {
  postMessage(msg: unknown): void;
  terminate(): unknown;
}

/** Products below `threadLimits.matmul` multiply-adds run on one thread (see docs/backends.md for the measurement). */
export const defaultThreadLimits: Readonly<{ matmul: number }> = Object.freeze({ matmul: 1 << 22 });
/** The limit in use (the tests lower it to run small products on the pool). */
export const threadLimits = { ...defaultThreadLimits };

interface Pool {
  n: number;
  exports: GemmExports & { heapBase(): number; gemmScratch32(): number; gemmScratch64(): number };
  memory: WasmMemory;
  arena: Arena;
  ctl: Int32Array;
  workers: PoolWorker[];
}

let pool: Pool | null = null;
/** Bumped by every setNumThreads call: a start superseded by a later call shuts its workers down. */
let generation = 0;

/**
 * The number of threads the kernels use (1 unless `setNumThreads` started more and they are ready).
 * @example getNumThreads(); // 1
 */
export function getNumThreads(): number {
  return pool ? pool.n : 1;
}

/** Why threads cannot run here, or null. */
function unsupported(): string | null {
  const g = globalThis as { SharedArrayBuffer?: unknown };
  if (!webAssembly() || !wasm()) return 'threads need WebAssembly SIMD, which this engine lacks';
  if (typeof g.SharedArrayBuffer !== 'function')
    return 'threads need SharedArrayBuffer (in a browser, a crossOriginIsolated page: COOP and COEP headers)';
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
  } catch {
    return "threads need Atomics.wait, which a browser's main thread does not allow: run xent in a Worker";
  }
  if (!nodeWorkers() && typeof (globalThis as { Worker?: unknown }).Worker !== 'function')
    return 'threads need worker_threads or Web Workers, and this engine has neither';
  return null;
}

interface NodeLike {
  versions?: { node?: string };
  getBuiltinModule?: (id: string) => unknown;
}
type NodeWorkerCtor = new (
  src: string,
  opts: { eval: true; execArgv: string[] },
) => PoolWorker & {
  unref(): void;
  once(ev: string, f: (x: unknown) => void): void;
};

/** Node's Worker class (through process.getBuiltinModule: no import for a bundler to follow), or null. */
function nodeWorkers(): NodeWorkerCtor | null {
  const proc = (globalThis as { process?: NodeLike }).process;
  if (!proc?.versions?.node || typeof proc.getBuiltinModule !== 'function') return null;
  const wt = proc.getBuiltinModule('node:worker_threads') as { Worker?: NodeWorkerCtor } | undefined;
  return wt?.Worker ?? null;
}

/** Starts one worker on the shared memory; resolves when it has instantiated the module. */
function startWorker(msg: object, n: number): { worker: PoolWorker; ready: Promise<void> } {
  const NodeWorker = nodeWorkers();
  if (NodeWorker) {
    // execArgv []: the worker needs none of the process's flags or loaders (--import tsx would slow its start).
    const w = new NodeWorker(WORKER_SOURCE, { eval: true, execArgv: [] });
    const ready = new Promise<void>((resolve, reject) => {
      // Kept referenced while it starts (an awaited setNumThreads keeps the process up), then unref'd: a
      // pool never keeps the process alive.
      w.once('message', () => {
        w.unref();
        resolve();
      });
      w.once('error', (e) => reject(e instanceof Error ? e : new Error(String(e))));
    });
    w.postMessage(msg);
    return { worker: w, ready };
  }
  const g = globalThis as unknown as {
    Worker: new (url: string) => PoolWorker & { onmessage: unknown; onerror: unknown };
    URL: { createObjectURL(b: unknown): string; revokeObjectURL(u: string): void };
    Blob: new (parts: string[], o: object) => unknown;
  };
  const url = g.URL.createObjectURL(new g.Blob([WORKER_SOURCE], { type: 'text/javascript' }));
  const w = new g.Worker(url);
  const ready = new Promise<void>((resolve, reject) => {
    w.onmessage = () => resolve();
    w.onerror = (e: { message?: string }) => reject(new Error(`setNumThreads: worker ${n} failed: ${e.message ?? e}`));
  });
  w.postMessage(msg);
  void ready.finally(() => g.URL.revokeObjectURL(url)).catch(() => undefined);
  return { worker: w, ready };
}

/** Asks every worker of `p` to leave its loop and ends them. */
function shutdown(p: Pool): void {
  Atomics.store(p.ctl, SLOTS.CMD, 1);
  Atomics.add(p.ctl, SLOTS.SEQ, 1);
  Atomics.notify(p.ctl, SLOTS.SEQ);
  for (const w of p.workers) void w.terminate();
}

/**
 * Sets the number of threads for large matrix products (default 1): starts n − 1 workers sharing the wasm
 * memory (Node's worker_threads; Web Workers in a crossOriginIsolated page, not on its main thread). The returned
 * promise resolves when they are ready; until then products run on one thread. A bad `n`, or an engine without
 * what threads need, throws at once. Results are bit-identical to one thread's.
 * @example await setNumThreads(2); mm(a, b); // products of 2²² multiply-adds or more on two threads
 */
export function setNumThreads(n: number): Promise<void> {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 64)
    throw new RangeError(
      `setNumThreads: n must be an integer from 1 to 64, got ${typeof n === 'number' ? n : typeof n}`,
    );
  const why = n === 1 ? null : unsupported();
  if (why) throw new Error(`setNumThreads: ${why}`);
  const gen = ++generation;
  if (pool) {
    shutdown(pool);
    pool = null;
  }
  return n === 1 ? Promise.resolve() : start(n, gen);
}

/** Instantiates the threaded module on a new shared memory and starts n − 1 workers on it. */
async function start(n: number, gen: number): Promise<void> {
  const WA = webAssembly() as unknown as {
    validate(b: Uint8Array): boolean;
    Module: new (b: Uint8Array) => object;
    Memory: new (d: { initial: number; maximum: number; shared: boolean }) => WasmMemory;
    Instance: new (m: object, i: object) => { exports: unknown };
  };
  const bytes = [RELAXED_THREADS_WASM, SIMD_THREADS_WASM].map(fromBase64).find((b) => WA.validate(b));
  if (!bytes) throw new Error('setNumThreads: this engine refuses the threaded WebAssembly module');
  const module = new WA.Module(bytes);
  const memory = new WA.Memory({ initial: 64, maximum: 32768, shared: true });
  const exports = new WA.Instance(module, { env: { memory } }).exports as Pool['exports'];
  const ctl = new Int32Array(new SharedArrayBuffer(4 * (SLOTS.SCRATCH + n)));
  const arena = new Arena();
  arena.attach(memory, exports.heapBase());
  const p: Pool = { n, exports, memory, arena, ctl, workers: [] };
  const started = Array.from({ length: n - 1 }, (_, i) =>
    startWorker({ module, memory, ctl, id: i + 1, seq0: Atomics.load(ctl, SLOTS.SEQ) }, i + 1),
  );
  p.workers = started.map((s) => s.worker);
  try {
    await Promise.all(started.map((s) => s.ready));
  } catch (e) {
    shutdown(p);
    throw e;
  }
  if (gen !== generation) return shutdown(p); // a later call took over
  pool = p;
}

/**
 * C (m×n, contiguous) = op(A)·op(B) for each batch entry on the pool, or false when the pool is off or the
 * product below the limit (then the caller's one-thread kernel runs). A(i, p) at i·ars + p·acs, B(p, j) at
 * p·brs + j·bcs; batch entry t reads A at aOffsets[t] and B at bOffsets[t] and writes out from t·m·n.
 */
export function poolMatmul(
  a: Float32Array | Float64Array,
  aOffsets: ArrayLike<number>,
  ars: number,
  acs: number,
  b: Float32Array | Float64Array,
  bOffsets: ArrayLike<number>,
  brs: number,
  bcs: number,
  m: number,
  k: number,
  n: number,
  out: Float32Array | Float64Array,
): boolean {
  const p = pool;
  if (!p || m * k * n < threadLimits.matmul || !(a instanceof out.constructor) || !(b instanceof out.constructor))
    return false;
  const single = out instanceof Float32Array,
    s = single ? 4 : 8,
    sh = single ? 2 : 3;
  const scratch = single ? p.exports.gemmScratch32() : p.exports.gemmScratch64();
  const need = (p.n * scratch + (m * k + k * n + m * n) * s + 64 * (p.n + 3)) / 65536;
  if (need + p.exports.heapBase() / 65536 > 32768) return false; // past the shared memory's maximum
  const { arena, ctl } = p;
  arena.reset();
  for (let i = 0; i < p.n; i++) ctl[SLOTS.SCRATCH + i] = arena.alloc(scratch);
  const pa = arena.alloc(m * k * s),
    pb = arena.alloc(k * n * s),
    pc = arena.alloc(m * n * s);
  // Tiles of at most 128 rows by 512 columns, smaller until there are two per thread (a dynamic split evens
  // out a busy core), never under 32 × 64: each tile packs its own panels of A and B, and wide tiles reuse
  // them best (measured with bench/profile/threads.ts: 128 × 256 with four per thread was 10–20% slower at n = 512).
  let rb = Math.min(128, (m + 3) & ~3),
    cb = Math.min(512, (n + 7) & ~7);
  const tiles = (): number => Math.ceil(m / rb) * Math.ceil(n / cb);
  while (tiles() < 2 * p.n && (rb > 32 || cb > 64)) {
    if (cb > 64 && cb >= 2 * rb) cb = (cb / 2 + 7) & ~7;
    else if (rb > 32) rb = (rb / 2 + 3) & ~3;
    else cb = (cb / 2 + 7) & ~7;
  }
  ctl[SLOTS.DTYPE] = single ? 32 : 64;
  ctl[SLOTS.A] = pa;
  ctl[SLOTS.ARS] = ars;
  ctl[SLOTS.ACS] = acs;
  ctl[SLOTS.B] = pb;
  ctl[SLOTS.BRS] = brs;
  ctl[SLOTS.BCS] = bcs;
  ctl[SLOTS.M] = m;
  ctl[SLOTS.K] = k;
  ctl[SLOTS.N] = n;
  ctl[SLOTS.C] = pc;
  ctl[SLOTS.RB] = rb;
  ctl[SLOTS.CB] = cb;
  ctl[SLOTS.COLS] = Math.ceil(n / cb);
  ctl[SLOTS.TILES] = tiles();
  ctl[SLOTS.CMD] = 0;
  const view = single ? arena.f32 : arena.f64;
  const workers = p.n - 1;
  for (let t = 0; t < aOffsets.length; t++) {
    if (t === 0 || aOffsets[t] !== aOffsets[t - 1]) view.set(a.subarray(aOffsets[t]!, aOffsets[t]! + m * k), pa >> sh);
    if (t === 0 || bOffsets[t] !== bOffsets[t - 1]) view.set(b.subarray(bOffsets[t]!, bOffsets[t]! + k * n), pb >> sh);
    Atomics.store(ctl, SLOTS.NEXT, 0);
    Atomics.store(ctl, SLOTS.DONE, 0);
    Atomics.add(ctl, SLOTS.SEQ, 1);
    Atomics.notify(ctl, SLOTS.SEQ);
    runTiles(ctl, p.exports, ctl[SLOTS.SCRATCH]!, SLOTS);
    for (let d = Atomics.load(ctl, SLOTS.DONE); d < workers; d = Atomics.load(ctl, SLOTS.DONE))
      Atomics.wait(ctl, SLOTS.DONE, d);
    arena.get(pc, out, m * n, t * m * n);
  }
  return true;
}
