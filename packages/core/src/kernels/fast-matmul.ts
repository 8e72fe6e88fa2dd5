import type { Storage } from '../dtype.js';
import type { Kernels } from './types.js';

/*
 * A cache-aware, register-blocked matrix product in plain TypeScript (the GotoBLAS layout,
 * scalar edition). For C = op(A)·op(B):
 *   - k is cut into slices of KC; for each slice the KC×n block of op(B) is copied ("packed")
 *     into column strips of width NR, so the inner loop reads B sequentially whatever its layout;
 *   - m is cut into blocks of MC rows; each MC×KC block of op(A) is packed into row strips of
 *     height MR (it stays in L2 while every strip of B passes by);
 *   - a micro-kernel keeps an MR×NR tile of C in 16 local variables (registers) and runs down KC.
 * Transposes are absorbed by the packing (it reads through strides), so the backward pass's
 * Gᵀ·A and G·Bᵀ never materialise a transpose. Packing goes into Float64Array scratch buffers
 * kept between calls: no allocation in the loops, and float32 inputs are widened once, not
 * once per multiply.
 */

const MR = 4; // rows of the register tile
const NR = 4; // columns of the register tile
const KC = 256; // depth of one packed slice: an MR×KC strip of A and a KC×NR strip of B fit in L1
const MC = 96; // rows of A packed at a time: MC×KC doubles (192 KiB) sit in L2

let packedA = new Float64Array(MC * KC);
let packedB = new Float64Array(KC * 64);
const edge = new Float64Array(MR * NR); // a partial tile at the right or bottom border

/** Copies op(B)[pc:pc+kc, 0:n] into strips of NR columns, each kc×NR row-major, zero-padded. */
function packB(b: Storage, bo: number, brs: number, bcs: number, pc: number, kc: number, n: number): void {
  const strips = Math.ceil(n / NR);
  if (packedB.length < strips * kc * NR) packedB = new Float64Array(strips * kc * NR);
  const dst = packedB;
  for (let s = 0; s < strips; s++) {
    const j0 = s * NR,
      w = Math.min(NR, n - j0);
    let d = s * kc * NR;
    for (let p = 0; p < kc; p++, d += NR) {
      const src = bo + (pc + p) * brs + j0 * bcs;
      if (w === NR) {
        dst[d] = b[src]!;
        dst[d + 1] = b[src + bcs]!;
        dst[d + 2] = b[src + 2 * bcs]!;
        dst[d + 3] = b[src + 3 * bcs]!;
      } else {
        for (let c = 0; c < NR; c++) dst[d + c] = c < w ? b[src + c * bcs]! : 0;
      }
    }
  }
}

/** Copies op(A)[ic:ic+mc, pc:pc+kc] into strips of MR rows, each kc×MR (column of the strip first), zero-padded. */
function packA(a: Storage, ao: number, ars: number, acs: number, ic: number, mc: number, pc: number, kc: number): void {
  const strips = Math.ceil(mc / MR);
  if (packedA.length < strips * kc * MR) packedA = new Float64Array(strips * kc * MR);
  const dst = packedA;
  for (let s = 0; s < strips; s++) {
    const i0 = ic + s * MR,
      h = Math.min(MR, ic + mc - i0);
    let d = s * kc * MR;
    for (let p = 0; p < kc; p++, d += MR) {
      const src = ao + i0 * ars + (pc + p) * acs;
      if (h === MR) {
        dst[d] = a[src]!;
        dst[d + 1] = a[src + ars]!;
        dst[d + 2] = a[src + 2 * ars]!;
        dst[d + 3] = a[src + 3 * ars]!;
      } else {
        for (let r = 0; r < MR; r++) dst[d + r] = r < h ? a[src + r * ars]! : 0;
      }
    }
  }
}

/**
 * The register tile: C[ci.., ..] (+)= Σₚ Ap[p, 0:4]ᵀ · Bp[p, 0:4] over kc steps, 16 multiply-adds
 * per 8 loads. `first` overwrites C (the first k-slice), otherwise adds to it.
 */
function tile(
  kc: number,
  A: Float64Array,
  ai: number,
  B: Float64Array,
  bi: number,
  c: Storage,
  ci: number,
  ldc: number,
  rows: number,
  cols: number,
  first: boolean,
): void {
  let c00 = 0,
    c01 = 0,
    c02 = 0,
    c03 = 0,
    c10 = 0,
    c11 = 0,
    c12 = 0,
    c13 = 0;
  let c20 = 0,
    c21 = 0,
    c22 = 0,
    c23 = 0,
    c30 = 0,
    c31 = 0,
    c32 = 0,
    c33 = 0;
  for (let p = 0; p < kc; p++, ai += MR, bi += NR) {
    const a0 = A[ai]!,
      a1 = A[ai + 1]!,
      a2 = A[ai + 2]!,
      a3 = A[ai + 3]!;
    const b0 = B[bi]!,
      b1 = B[bi + 1]!,
      b2 = B[bi + 2]!,
      b3 = B[bi + 3]!;
    c00 += a0 * b0;
    c01 += a0 * b1;
    c02 += a0 * b2;
    c03 += a0 * b3;
    c10 += a1 * b0;
    c11 += a1 * b1;
    c12 += a1 * b2;
    c13 += a1 * b3;
    c20 += a2 * b0;
    c21 += a2 * b1;
    c22 += a2 * b2;
    c23 += a2 * b3;
    c30 += a3 * b0;
    c31 += a3 * b1;
    c32 += a3 * b2;
    c33 += a3 * b3;
  }
  if (rows === MR && cols === NR) {
    const r0 = ci,
      r1 = ci + ldc,
      r2 = r1 + ldc,
      r3 = r2 + ldc;
    if (first) {
      c[r0] = c00;
      c[r0 + 1] = c01;
      c[r0 + 2] = c02;
      c[r0 + 3] = c03;
      c[r1] = c10;
      c[r1 + 1] = c11;
      c[r1 + 2] = c12;
      c[r1 + 3] = c13;
      c[r2] = c20;
      c[r2 + 1] = c21;
      c[r2 + 2] = c22;
      c[r2 + 3] = c23;
      c[r3] = c30;
      c[r3 + 1] = c31;
      c[r3 + 2] = c32;
      c[r3 + 3] = c33;
    } else {
      c[r0] += c00;
      c[r0 + 1] += c01;
      c[r0 + 2] += c02;
      c[r0 + 3] += c03;
      c[r1] += c10;
      c[r1 + 1] += c11;
      c[r1 + 2] += c12;
      c[r1 + 3] += c13;
      c[r2] += c20;
      c[r2 + 1] += c21;
      c[r2 + 2] += c22;
      c[r2 + 3] += c23;
      c[r3] += c30;
      c[r3 + 1] += c31;
      c[r3 + 2] += c32;
      c[r3 + 3] += c33;
    }
    return;
  }
  // Border tile: spill to a scratch tile and copy the part inside C.
  edge[0] = c00;
  edge[1] = c01;
  edge[2] = c02;
  edge[3] = c03;
  edge[4] = c10;
  edge[5] = c11;
  edge[6] = c12;
  edge[7] = c13;
  edge[8] = c20;
  edge[9] = c21;
  edge[10] = c22;
  edge[11] = c23;
  edge[12] = c30;
  edge[13] = c31;
  edge[14] = c32;
  edge[15] = c33;
  for (let r = 0; r < rows; r++) {
    const o = ci + r * ldc;
    for (let j = 0; j < cols; j++) c[o + j] = first ? edge[r * NR + j]! : c[o + j]! + edge[r * NR + j]!;
  }
}

/** One matrix of the batch: out[co.., m×n] = op(A)·op(B) with A(i, p) at ao + i·ars + p·acs. */
function gemm(
  a: Storage,
  ao: number,
  ars: number,
  acs: number,
  b: Storage,
  bo: number,
  brs: number,
  bcs: number,
  m: number,
  k: number,
  n: number,
  out: Storage,
  co: number,
): void {
  if (k === 0) {
    out.fill(0, co, co + m * n);
    return;
  }
  for (let pc = 0; pc < k; pc += KC) {
    const kc = Math.min(KC, k - pc);
    const first = pc === 0;
    packB(b, bo, brs, bcs, pc, kc, n);
    for (let ic = 0; ic < m; ic += MC) {
      const mc = Math.min(MC, m - ic);
      packA(a, ao, ars, acs, ic, mc, pc, kc);
      for (let j0 = 0; j0 < n; j0 += NR) {
        const cols = Math.min(NR, n - j0);
        const bi = (j0 / NR) * kc * NR;
        for (let i0 = 0; i0 < mc; i0 += MR) {
          tile(
            kc,
            packedA,
            (i0 / MR) * kc * MR,
            packedB,
            bi,
            out,
            co + (ic + i0) * n + j0,
            n,
            Math.min(MR, mc - i0),
            cols,
            first,
          );
        }
      }
    }
  }
}

/**
 * Batched C[b] = op(A[b])·op(B[b]), same contract as the reference kernel (C contiguous
 * [batch, m, n]); agrees with it to rounding.
 */
export const fastMatmul: Kernels['matmul'] = (a, aOffsets, transA, b, bOffsets, transB, m, k, n, out) => {
  const ars = transA ? 1 : k,
    acs = transA ? m : 1; // A element (i, p) at i·ars + p·acs
  const brs = transB ? 1 : n,
    bcs = transB ? k : 1; // B element (p, j) at p·brs + j·bcs
  if (m === 0 || n === 0) return;
  for (let t = 0; t < aOffsets.length; t++) {
    gemm(a, aOffsets[t]!, ars, acs, b, bOffsets[t]!, brs, bcs, m, k, n, out, t * m * n);
  }
};
