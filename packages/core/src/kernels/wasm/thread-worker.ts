/*
 * The source of a pool worker, as text: Node runs it with `new Worker(source, { eval: true })` and a browser from
 * a Blob URL, so the core ships no file of its own to locate and bundles unchanged. Plain JavaScript, the same in
 * both: it instantiates the threaded GEMM module on the shared memory, says 'ready', then serves jobs.
 *
 * The protocol (Int32Array `ctl` over a SharedArrayBuffer, slots in SLOTS): the caller writes a job's
 * arguments, zeroes NEXT and DONE, bumps SEQ and notifies it. Each worker wakes on SEQ, takes tiles from the
 * atomic counter NEXT until none is left, then adds one to DONE and notifies it; the caller works on tiles too
 * and returns once DONE counts every worker. Every worker checks in for every job, so no worker is still in
 * one job when the caller starts the next. CMD = 1 asks the workers to leave their loop.
 */
/** The slots of the control array `ctl` (Int32): job counters, the job's arguments, one scratch offset per thread. */
export const SLOTS = {
  SEQ: 0, // bumped once per job (workers wait on it)
  CMD: 1, // 0: a GEMM job, 1: leave
  NEXT: 2, // the next tile to take
  DONE: 3, // workers finished with this job
  TILES: 4,
  DTYPE: 5, // 32 or 64
  A: 6,
  ARS: 7,
  ACS: 8,
  B: 9,
  BRS: 10,
  BCS: 11,
  M: 12,
  K: 13,
  N: 14,
  C: 15,
  RB: 16, // rows per tile
  CB: 17, // columns per tile
  COLS: 18, // tiles per row of tiles
  SCRATCH: 32, // + thread id (0 the caller)
} as const;

/** The GEMM exports a thread calls. */
export interface GemmExports {
  gemm32(...a: number[]): void;
  gemm64(...a: number[]): void;
}

/**
 * Takes tiles of the job in `ctl` until the counter is past the last and computes each: rows [i0, i0 + RB) by
 * columns [j0, j0 + CB) of C, with this thread's `scratch`. The caller runs it, and the workers run its text
 * (so it reads nothing but its arguments).
 */
export function runTiles(ctl: Int32Array, e: GemmExports, scratch: number, S: typeof SLOTS): void {
  const tiles = ctl[S.TILES]!,
    single = ctl[S.DTYPE] === 32,
    s = single ? 4 : 8;
  const gemm = single ? e.gemm32 : e.gemm64;
  const m = ctl[S.M]!,
    k = ctl[S.K]!,
    n = ctl[S.N]!,
    rb = ctl[S.RB]!,
    cb = ctl[S.CB]!,
    cols = ctl[S.COLS]!,
    ars = ctl[S.ARS]!,
    acs = ctl[S.ACS]!,
    brs = ctl[S.BRS]!,
    bcs = ctl[S.BCS]!;
  for (let t = Atomics.add(ctl, S.NEXT, 1); t < tiles; t = Atomics.add(ctl, S.NEXT, 1)) {
    const i0 = Math.floor(t / cols) * rb,
      j0 = (t % cols) * cb;
    const a = ctl[S.A]! + i0 * ars * s,
      b = ctl[S.B]! + j0 * bcs * s,
      c = ctl[S.C]! + (i0 * n + j0) * s;
    gemm(a, ars, acs, b, brs, bcs, Math.min(rb, m - i0), k, Math.min(cb, n - j0), c, n, scratch);
  }
}

/** The worker's text (see the top of this file). */
export const WORKER_SOURCE = `'use strict';
const S = ${JSON.stringify(SLOTS)};
const runTiles = ${runTiles.toString()};
// Node (a script or, under a loader, a module: no require then), else a Web Worker.
// Through globalThis only, so a bundler finds no free variable to polyfill.
const proc = globalThis.process;
const node = typeof proc === 'object' && proc !== null && typeof proc.getBuiltinModule === 'function';
const port = node ? proc.getBuiltinModule('node:worker_threads').parentPort : self;

function serve(msg) {
  const { module, memory, ctl, id, seq0 } = msg;
  const e = new WebAssembly.Instance(module, { env: { memory } }).exports;
  port.postMessage('ready');
  let seq = seq0;
  for (;;) {
    Atomics.wait(ctl, S.SEQ, seq);
    const now = Atomics.load(ctl, S.SEQ);
    if (now === seq) continue;
    seq = now;
    const leave = Atomics.load(ctl, S.CMD) === 1;
    if (!leave) runTiles(ctl, e, ctl[S.SCRATCH + id], S);
    Atomics.add(ctl, S.DONE, 1);
    Atomics.notify(ctl, S.DONE);
    if (leave) break;
  }
  if (typeof close === 'function') close();
}

if (node) port.once('message', serve);
else self.onmessage = (ev) => serve(ev.data);
`;
