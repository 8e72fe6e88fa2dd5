import type { Storage } from '../../dtype.js';
import { fastKernels } from '../fast.js';
import type { ActivationOp, BinaryOp, CrossEntropyTarget, Kernels, ReduceOp, UnaryOp } from '../types.js';
import { type WasmExports, arena, wasm } from './instance.js';
import { poolMatmul } from './threads.js';

/*
 * The WebAssembly SIMD kernel set: matmul, the elementwise maps and broadcasts the ops produce, sum/max/min over a
 * run of dims (the bias gradient among them), activation backward, softmax and the fused cross-entropy run in wasm
 * (float32 as f32x4, float64 as f64x2); every other kernel, and every call these do not cover (other stride
 * patterns, mixed storage types, class weights, smoothing, classes off the last axis), is the fast TypeScript
 * kernel's. Operands are copied into the module's memory and results copied out: no tensor lives in wasm memory,
 * nothing to dispose.
 * Below wasmLimits.min elements the copies cost more than they save and the TypeScript kernel runs.
 */

/** The shipped size limits (elements; multiply-adds for matmul): below them the copies cost more than wasm saves. */
export const defaultWasmLimits: Readonly<{ min: number; matmul: number }> = Object.freeze({ min: 64, matmul: 256 });

/**
 * Sizes below which the TypeScript kernel runs (elements; multiply-adds for matmul), defaultWasmLimits unless
 * changed. The test suite sets them to 0 to run the wasm kernels on every shape.
 */
export const wasmLimits = { ...defaultWasmLimits };

/** The module when every storage is the same float type, or null (then the TypeScript kernel runs). */
function ready(...xs: Storage[]): WasmExports | null {
  const w = wasm();
  if (!w) return null;
  const t = xs[0]!.constructor;
  for (const x of xs) if (x.constructor !== t) return null;
  arena.reset();
  return w.exports;
}
const f32 = (x: Storage): boolean => x instanceof Float32Array;
const bytes = (x: Storage): number => (f32(x) ? 4 : 8);

const matmul: Kernels['matmul'] = (a, aOffsets, transA, b, bOffsets, transB, m, k, n, out) => {
  const batch = aOffsets.length;
  if (m === 0 || n === 0 || batch === 0) return;
  const w = m * k * n >= wasmLimits.matmul ? ready(a, b, out) : null;
  if (!w) return fastKernels.matmul(a, aOffsets, transA, b, bOffsets, transB, m, k, n, out);
  if (k === 0) return void out.fill(0, 0, batch * m * n);
  const ars = transA ? 1 : k,
    acs = transA ? m : 1; // A(i, p) at i·ars + p·acs
  const brs = transB ? 1 : n,
    bcs = transB ? k : 1; // B(p, j) at p·brs + j·bcs
  // With setNumThreads(n > 1), a large product runs on the pool (bit-identical to one thread).
  if (
    poolMatmul(
      a as Float32Array,
      aOffsets,
      ars,
      acs,
      b as Float32Array,
      bOffsets,
      brs,
      bcs,
      m,
      k,
      n,
      out as Float32Array,
    )
  )
    return;
  const s = bytes(out),
    single = f32(out);
  const scratch = arena.alloc(single ? w.gemmScratch32() : w.gemmScratch64());
  const pa = arena.alloc(m * k * s),
    pb = arena.alloc(k * n * s),
    pc = arena.alloc(m * n * s);
  const view = single ? arena.f32 : arena.f64,
    sh = single ? 2 : 3;
  const gemm = single ? w.gemm32 : w.gemm64;
  // A product narrower than the micro-kernel's tile (8 columns in float32, 4 in float64) runs as
  // Cᵀ = op(B)ᵀ·op(A)ᵀ, whose rows are the wide side: full tiles rather than n of 8 columns used. Every sum
  // has the same products in the same order, so the result is bit-identical to the direct call.
  const narrow = n < (single ? 8 : 4) && m > n;
  for (let t = 0; t < batch; t++) {
    // A batch that repeats an operand (broadcast) copies it once.
    if (t === 0 || aOffsets[t] !== aOffsets[t - 1]) view.set(a.subarray(aOffsets[t]!, aOffsets[t]! + m * k), pa >> sh);
    if (t === 0 || bOffsets[t] !== bOffsets[t - 1]) view.set(b.subarray(bOffsets[t]!, bOffsets[t]! + k * n), pb >> sh);
    if (!narrow) {
      gemm(pa, ars, acs, pb, brs, bcs, m, k, n, pc, n, scratch);
      arena.get(pc, out, m * n, t * m * n);
      continue;
    }
    gemm(pb, bcs, brs, pa, acs, ars, n, k, m, pc, m, scratch); // Cᵀ (n×m): A'(j, p) = B(p, j), B'(p, i) = A(i, p)
    const ct = pc >> sh,
      o = t * m * n;
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) out[o + i * n + j] = view[ct + j * m + i]!;
  }
};

/**
 * How an operand is read over `shape` cut at dim d into [rows, w]: element (r, j) at r·rs + j·cs with cs ∈ {0, 1}
 * and rs ∈ {0, 1, w}; null when its strides are none of those (size-1 dims never matter).
 */
function view2d(strides: readonly number[], shape: readonly number[], d: number, w: number): [number, number] | null {
  const nd = shape.length;
  let acc = 1,
    cs = -1;
  for (let i = nd - 1; i >= d; i--) {
    if (shape[i] === 1) continue;
    const c = strides[i] === 0 ? 0 : strides[i] === acc ? 1 : -2;
    if (c === -2 || (cs !== -1 && c !== cs)) return null;
    cs = c;
    acc *= shape[i]!;
  }
  if (cs === -1) cs = 0; // no inner dim larger than 1: one element per row
  let rs = -1;
  acc = cs === 1 ? w : 1;
  for (let i = d - 1; i >= 0; i--) {
    if (shape[i] === 1) continue;
    const c = strides[i] === 0 ? 0 : strides[i] === acc ? 1 : -2;
    if (c === -2 || (rs !== -1 && c !== rs)) return null;
    rs = c;
    acc *= shape[i]!;
  }
  return [rs === 1 ? (cs === 1 ? w : 1) : 0, cs];
}

// Every binary op but pow (whose vectorised form would not be bit for bit with JavaScript's **).
const BIN: Partial<Record<BinaryOp, number>> = {
  add: 0,
  sub: 1,
  mul: 2,
  div: 3,
  maximum: 4,
  minimum: 5,
  eq: 6,
  ne: 7,
  gt: 8,
  ge: 9,
  lt: 10,
  le: 11,
};

const binary: Kernels['binary'] = (op, a, aStrides, b, bStrides, shape, out) => {
  const code = BIN[op],
    n = out.length;
  if (n === 0 && code !== undefined) return; // nothing to write
  const w = code !== undefined && n >= wasmLimits.min ? ready(a, b, out) : null;
  if (w) {
    for (let d = 0, rows = 1; d <= shape.length; rows *= shape[d++]!) {
      const width = n / rows;
      const va = view2d(aStrides, shape, d, width),
        vb = va && view2d(bStrides, shape, d, width);
      if (!va || !vb) continue;
      const pa = arena.put(a),
        pb = arena.put(b),
        po = arena.alloc(n * bytes(out));
      (f32(out) ? w.bin32 : w.bin64)(code!, pa, va[0], va[1], pb, vb[0], vb[1], po, rows, width);
      return arena.get(po, out);
    }
  }
  fastKernels.binary(op, a, aStrides, b, bStrides, shape, out);
};

const UN: Partial<Record<UnaryOp | 'clampMin' | 'clampMax' | 'leakyRelu', number>> = {
  neg: 0,
  abs: 1,
  sqrt: 2,
  square: 3,
  clampMin: 4,
  clampMax: 5,
  exp: 6,
  tanh: 7,
  sigmoid: 8,
  log: 9,
  reciprocal: 10,
  leakyRelu: 11,
  softplus: 12,
  erf: 13,
};

function map(code: number, x: Storage, alpha: number, out: Storage, w: WasmExports): void {
  const px = arena.put(x);
  (f32(out) ? w.un32 : w.un64)(code, px, px, out.length, alpha);
  arena.get(px, out);
}

const unary: Kernels['unary'] = (op, x, out) => {
  const code = UN[op];
  const w = code !== undefined && out.length >= wasmLimits.min ? ready(x, out) : null;
  if (w) map(code!, x, 0, out, w);
  else fastKernels.unary(op, x, out);
};

const unaryParam: Kernels['unaryParam'] = (op, x, alpha, out) => {
  const code = op === 'powScalar' ? undefined : UN[op];
  const w = code !== undefined && out.length >= wasmLimits.min ? ready(x, out) : null;
  if (w) map(code!, x, alpha, out, w);
  else fastKernels.unaryParam(op, x, alpha, out);
};

const ACT: Record<ActivationOp, number> = { relu: 0, leakyRelu: 1, tanh: 2, sigmoid: 3 };

const activationGrad: Kernels['activationGrad'] = (op, x, g, alpha, out) => {
  const w = out.length >= wasmLimits.min ? ready(x, g, out) : null;
  if (!w) return fastKernels.activationGrad(op, x, g, alpha, out);
  const px = arena.put(x),
    pg = arena.put(g);
  (f32(out) ? w.actGrad32 : w.actGrad64)(ACT[op], px, pg, pg, out.length, alpha);
  arena.get(pg, out);
};

const REDUCE: Record<ReduceOp, number> = { sum: 0, max: 1, min: 2 };

/**
 * x seen as [outer, n, inner] with n the reduced dims, when those (size-1 dims aside) are one run of neighbours;
 * null when they are not, or x is a scalar.
 */
function reducedRun(shape: readonly number[], reduced: readonly boolean[]): [number, number, number] | null {
  if (shape.length === 0) return null;
  let outer = 1,
    n = 1,
    inner = 1,
    at = 0; // 0 before the reduced run, 1 in it, 2 past it
  for (let d = 0; d < shape.length; d++) {
    const s = shape[d]!;
    if (s === 1) continue;
    if (reduced[d]) {
      if (at === 2) return null;
      at = 1;
      n *= s;
    } else if (at === 0) outer *= s;
    else {
      at = 2;
      inner *= s;
    }
  }
  return [outer, n, inner];
}

const reduce: Kernels['reduce'] = (op, x, shape, reduced, out) => {
  const run = x.length > 0 && x.length >= wasmLimits.min ? reducedRun(shape, reduced) : null;
  const w = run ? ready(x, out) : null;
  if (!w) return fastKernels.reduce(op, x, shape, reduced, out);
  const [outer, n, inner] = run!;
  const px = arena.put(x),
    po = arena.alloc(out.length * bytes(out));
  (f32(out) ? w.reduce32 : w.reduce64)(REDUCE[op], px, outer, n, inner, po);
  arena.get(po, out);
};

const softmax: Kernels['softmax'] = (x, outer, n, inner, log, out) => {
  const w = inner === 1 && out.length >= wasmLimits.min ? ready(x, out) : null;
  if (!w) return fastKernels.softmax(x, outer, n, inner, log, out);
  const px = arena.put(x);
  (f32(out) ? w.softmax32 : w.softmax64)(px, outer, n, log ? 1 : 0, px);
  arena.get(px, out);
};

/** Rows of logits with one class index each, no weights, no smoothing: the case the wasm loss covers. */
const plain = (t: CrossEntropyTarget, inner: number): boolean =>
  inner === 1 && t.index !== null && t.weight === null && t.smoothing === 0;

// The loss runs over blocks of rows of about this many bytes: a block copied into the module stays in the
// cache while the kernel reads it and its result is copied out, so a large batch crosses main memory once
// each way rather than three times.
const BLOCK_BYTES = 256 * 1024;
const blockRows = (c: number, s: number): number => Math.max(1, Math.floor(BLOCK_BYTES / Math.max(1, c * s)));

/**
 * Runs f over the arrays xs, each `rows` rows of `width` elements, `per` rows at a time: each block copied into the
 * module, f(pointers, first row, row count) called, then the block copied back into xs[0 .. back − 1] (the arrays f
 * updates in place). For kernels whose blocks do not depend on each other (elementwise, or whole rows).
 */
function inRowBlocks(
  xs: Storage[],
  back: number,
  rows: number,
  width: number,
  per: number,
  f: (ptrs: number[], r: number, h: number) => void,
): void {
  const s = bytes(xs[0]!);
  per = Math.max(1, Math.min(rows, per));
  const ptrs = xs.map(() => arena.alloc(per * width * s)); // the arena's views are current after the last alloc
  const view = s === 4 ? arena.f32 : arena.f64,
    sh = s === 4 ? 2 : 3;
  for (let r = 0; r < rows; r += per) {
    const h = Math.min(per, rows - r);
    for (let j = 0; j < xs.length; j++) view.set(xs[j]!.subarray(r * width, (r + h) * width), ptrs[j]! >> sh);
    f(ptrs, r, h);
    for (let j = 0; j < back; j++) arena.get(ptrs[j]!, xs[j]!, h * width, r * width);
  }
}

const crossEntropy: Kernels['crossEntropy'] = (x, outer, c, inner, t, logp, max, sum, loss, denom) => {
  const w = plain(t, inner) && x.length >= wasmLimits.min ? (logp ? ready(x, logp) : ready(x)) : null;
  if (!w) return fastKernels.crossEntropy(x, outer, c, inner, t, logp, max, sum, loss, denom);
  const pi = arena.put(t.index!),
    pm = arena.alloc(outer * 8),
    ps = arena.alloc(outer * 8),
    pl = arena.alloc(outer * 8),
    pd = arena.alloc(outer * 8);
  const fn = f32(x) ? w.crossEntropy32 : w.crossEntropy64;
  inRowBlocks([x], 0, outer, c, blockRows(c, bytes(x)), ([px], r, h) => {
    // logp over the block, in place; 0 when the caller keeps none (then only the entries the loss reads are formed)
    fn(px!, h, c, pi + 4 * r, logp ? px! : 0, pm + 8 * r, ps + 8 * r, pl + 8 * r, pd + 8 * r);
    if (logp) arena.get(px!, logp, h * c, r * c);
  });
  arena.get(pm, max);
  arena.get(ps, sum);
  arena.get(pl, loss);
  arena.get(pd, denom);
};

const crossEntropyBackward: Kernels['crossEntropyBackward'] = (x, max, sum, outer, c, inner, t, scale, out) => {
  const w = plain(t, inner) && out.length >= wasmLimits.min ? ready(x, out) : null;
  if (!w) return fastKernels.crossEntropyBackward(x, max, sum, outer, c, inner, t, scale, out);
  const pi = arena.put(t.index!),
    pm = arena.put(max),
    ps = arena.put(sum),
    // The module reads the scale as float64 (one per row); the contract lets it be float32 storage.
    pc = arena.put(scale instanceof Float64Array ? scale : Float64Array.from(scale));
  const fn = f32(x) ? w.crossEntropyBackward32 : w.crossEntropyBackward64;
  inRowBlocks([x], 0, outer, c, blockRows(c, bytes(x)), ([px], r, h) => {
    fn(px!, pm + 8 * r, ps + 8 * r, h, c, pi + 4 * r, pc + 8 * r, px!); // the gradient over the block, in place
    arena.get(px!, out, h * c, r * c);
  });
};

// An optimizer update runs over blocks of this many bytes per array: the parameter, its gradient and state
// copied in, updated and copied back while they are in the cache, rather than each crossing memory whole.
const UPDATE_BLOCK_BYTES = 32 * 1024;

const sgdUpdate: Kernels['sgdUpdate'] = (p, g, buf, o) => {
  const n = p.length,
    mom = o.momentum !== 0 && buf !== null;
  const w = n >= wasmLimits.min ? (mom ? ready(p, g, buf!) : ready(p, g)) : null;
  if (!w) return fastKernels.sgdUpdate(p, g, buf, o);
  const fn = f32(p) ? w.sgd32 : w.sgd64;
  // θ (and buf) are written back; g, last, is read only.
  inRowBlocks(mom ? [p, buf!, g] : [p, g], mom ? 2 : 1, n, 1, UPDATE_BLOCK_BYTES / bytes(p), (q, _, h) =>
    fn(
      q[0]!,
      q[q.length - 1]!,
      mom ? q[1]! : 0,
      h,
      o.lr,
      mom ? o.momentum : 0,
      o.dampening,
      o.weightDecay,
      +o.nesterov,
      +o.first,
    ),
  );
};

const adamUpdate: Kernels['adamUpdate'] = (p, g, m, v, vmax, o) => {
  const n = p.length;
  const w = n >= wasmLimits.min ? (vmax ? ready(p, g, m, v, vmax) : ready(p, g, m, v)) : null;
  if (!w) return fastKernels.adamUpdate(p, g, m, v, vmax, o);
  const fn = f32(p) ? w.adam32 : w.adam64;
  // [θ, m, v, vmax] are written back; g is read only.
  inRowBlocks(vmax ? [p, m, v, vmax, g] : [p, m, v, g], vmax ? 4 : 3, n, 1, UPDATE_BLOCK_BYTES / bytes(p), (q, _, h) =>
    fn(
      ...[q[0]!, q[vmax ? 4 : 3]!, q[1]!, q[2]!, vmax ? q[3]! : 0, h],
      ...[o.stepSize, o.beta1, o.beta2, o.eps, o.bc2Sqrt, o.l2, o.decay, +(o.decay !== 1)],
    ),
  );
};

/**
 * The WebAssembly SIMD kernel set (the default where WebAssembly SIMD validates): wasm where it pays, the
 * fast TypeScript kernels elsewhere, the same results to the stated tolerances (docs/backends.md).
 * @example setKernels(wasmKernels); // what setBackend('wasm') does
 */
export const wasmKernels: Kernels = {
  ...fastKernels,
  matmul,
  binary,
  unary,
  unaryParam,
  activationGrad,
  reduce,
  softmax,
  crossEntropy,
  crossEntropyBackward,
  sgdUpdate,
  adamUpdate,
};
