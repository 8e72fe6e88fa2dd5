// AssemblyScript: packed, register-blocked GEMM, C = op(A)·op(B), float32 (f32x4) and float64 (f64x2).
// GotoBLAS layout (see docs/backends.md): k in slices of KC, op(B) packed into strips of NR columns
// (kc×NR, k-major), op(A) in blocks of MC rows packed into strips of 4 rows (kc×4, k-major), and a
// micro-kernel holding a 4×NR tile of C in 8 v128 accumulators. A(i, p) is read at a + (i·ars + p·acs)
// elements and B(p, j) at b + (p·brs + j·bcs), so every transpose is absorbed by the packing.
// The micro-kernels are exported so that they stay functions of their own (V8 tiers a function up
// between calls; a kernel inlined in a long loop would run in the baseline tier for the first call).

export const KC: i32 = 256;
export const MC: i32 = 128;
export const NC: i32 = 1024;

/**
 * The depth of each k slice: k cut into ⌈k / KC⌉ slices of equal depth (the last up to one shorter), so that
 * k = 784 runs as 4 × 196 rather than 256 + 256 + 256 + 16, whose thin last slice loads and stores
 * every C tile for 16 multiply-adds. It depends on k alone, so every block of a product sums in the same order.
 */
@inline function kSlice(k: i32): i32 {
  const slices = (k + KC - 1) / KC;
  return (k + slices - 1) / slices;
}

// ---------------------------------------------------------------- float32: 4×8 tile

@inline function madd32(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

/** C[4×8] (+)= Ap[kc×4]ᵀ·Bp[kc×8]; C row-major with row stride ldc elements; first = overwrite. */
export function kern32(kc: i32, pa: usize, pb: usize, c: usize, ldc: i32, first: i32): void {
  let c0a = f32x4.splat(0), c0b = f32x4.splat(0), c1a = f32x4.splat(0), c1b = f32x4.splat(0);
  let c2a = f32x4.splat(0), c2b = f32x4.splat(0), c3a = f32x4.splat(0), c3b = f32x4.splat(0);
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(pb), b1 = v128.load(pb, 16);
    let a = v128.load32_splat(pa);
    c0a = madd32(a, b0, c0a);
    c0b = madd32(a, b1, c0b);
    a = v128.load32_splat(pa, 4);
    c1a = madd32(a, b0, c1a);
    c1b = madd32(a, b1, c1b);
    a = v128.load32_splat(pa, 8);
    c2a = madd32(a, b0, c2a);
    c2b = madd32(a, b1, c2b);
    a = v128.load32_splat(pa, 12);
    c3a = madd32(a, b0, c3a);
    c3b = madd32(a, b1, c3b);
    pa += 16;
    pb += 32;
  }
  const ld = (<usize>ldc) << 2;
  if (!first) {
    c0a = f32x4.add(c0a, v128.load(c));
    c0b = f32x4.add(c0b, v128.load(c, 16));
    c1a = f32x4.add(c1a, v128.load(c + ld));
    c1b = f32x4.add(c1b, v128.load(c + ld, 16));
    c2a = f32x4.add(c2a, v128.load(c + 2 * ld));
    c2b = f32x4.add(c2b, v128.load(c + 2 * ld, 16));
    c3a = f32x4.add(c3a, v128.load(c + 3 * ld));
    c3b = f32x4.add(c3b, v128.load(c + 3 * ld, 16));
  }
  v128.store(c, c0a);
  v128.store(c, c0b, 16);
  v128.store(c + ld, c1a);
  v128.store(c + ld, c1b, 16);
  v128.store(c + 2 * ld, c2a);
  v128.store(c + 2 * ld, c2b, 16);
  v128.store(c + 3 * ld, c3a);
  v128.store(c + 3 * ld, c3b, 16);
}

/** Scratch bytes gemm32 needs (packed A, packed B, one edge tile). */
export function gemmScratch32(): i32 {
  return (MC * KC + KC * NC + 4 * 8) * 4;
}

/** Column q of the 4×4 block whose rows are r0..r3: [r0[q], r1[q], r2[q], r3[q]], for q = 0..3 in o. */
@inline function transpose4(r0: v128, r1: v128, r2: v128, r3: v128, dst: usize, stride: usize): void {
  const t0 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5), t1 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5);
  const t2 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7), t3 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
  v128.store(dst, v128.shuffle<f32>(t0, t1, 0, 1, 4, 5));
  v128.store(dst + stride, v128.shuffle<f32>(t0, t1, 2, 3, 6, 7));
  v128.store(dst + 2 * stride, v128.shuffle<f32>(t2, t3, 0, 1, 4, 5));
  v128.store(dst + 3 * stride, v128.shuffle<f32>(t2, t3, 2, 3, 6, 7));
}

function packB32(b: usize, brs: i32, bcs: i32, pc: i32, kc: i32, jc: i32, nc: i32, dst: usize): void {
  for (let j0 = 0; j0 < nc; j0 += 8) {
    const w = min(8, nc - j0);
    let p = 0;
    if (w == 8 && brs == 1 && bcs != 1) {
      // op(B) = a transposed matrix (each column contiguous in p): 4×4 blocks of 4 p by 4 columns, transposed
      // in registers, instead of 32 scalar loads and stores.
      const cs = (<usize>bcs) << 2;
      for (; p + 4 <= kc; p += 4) {
        const src = b + ((<usize>(pc + p) + <usize>(jc + j0) * bcs) << 2);
        transpose4(v128.load(src), v128.load(src + cs), v128.load(src + 2 * cs), v128.load(src + 3 * cs), dst, 32);
        const s4 = src + 4 * cs;
        transpose4(v128.load(s4), v128.load(s4 + cs), v128.load(s4 + 2 * cs), v128.load(s4 + 3 * cs), dst + 16, 32);
        dst += 128;
      }
    }
    for (; p < kc; p++) {
      const src = b + ((<usize>(pc + p) * brs + <usize>(jc + j0) * bcs) << 2);
      if (w == 8 && bcs == 1) {
        v128.store(dst, v128.load(src));
        v128.store(dst, v128.load(src, 16), 16);
      } else {
        for (let c = 0; c < 8; c++) store<f32>(dst + (c << 2), c < w ? load<f32>(src + ((<usize>c * bcs) << 2)) : 0);
      }
      dst += 32;
    }
  }
}

function packA32(a: usize, ars: i32, acs: i32, ic: i32, mc: i32, pc: i32, kc: i32, dst: usize): void {
  for (let i0 = 0; i0 < mc; i0 += 4) {
    const h = min(4, mc - i0);
    const row = a + ((<usize>(ic + i0) * ars + <usize>pc * acs) << 2);
    let p = 0;
    if (h == 4 && acs == 1 && ars != 1) {
      // op(A) row-major: 4 rows by 4 p, transposed in registers.
      const rs = (<usize>ars) << 2;
      for (; p + 4 <= kc; p += 4) {
        const src = row + ((<usize>p) << 2);
        transpose4(v128.load(src), v128.load(src + rs), v128.load(src + 2 * rs), v128.load(src + 3 * rs), dst, 16);
        dst += 64;
      }
    } else if (h == 4 && ars == 1) {
      // op(A) = a transposed matrix: the 4 rows of a p are contiguous.
      for (; p < kc; p++) {
        v128.store(dst, v128.load(row + ((<usize>p * acs) << 2)));
        dst += 16;
      }
    }
    for (; p < kc; p++) {
      const src = row + ((<usize>p * acs) << 2);
      for (let r = 0; r < 4; r++) store<f32>(dst + (r << 2), r < h ? load<f32>(src + ((<usize>r * ars) << 2)) : 0);
      dst += 16;
    }
  }
}

/**
 * C (m×n, row stride ldc elements) = op(A)·op(B); k ≥ 1. Each element sums over k in the same order
 * whatever m, n and the offsets, so a product cut into blocks (threads) is bit-identical to one call.
 */
export function gemm32(
  a: usize, ars: i32, acs: i32, b: usize, brs: i32, bcs: i32, m: i32, k: i32, n: i32, c: usize, ldc: i32, scratch: usize,
): void {
  const kb = kSlice(k);
  const pa = scratch, pb = scratch + ((MC * KC) << 2), edge = pb + ((KC * NC) << 2);
  for (let jc = 0; jc < n; jc += NC) {
    const nc = min(NC, n - jc);
    for (let pc = 0; pc < k; pc += kb) {
      const kc = min(kb, k - pc), first = pc == 0 ? 1 : 0;
      packB32(b, brs, bcs, pc, kc, jc, nc, pb);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = min(MC, m - ic);
        packA32(a, ars, acs, ic, mc, pc, kc, pa);
        for (let jr = 0; jr < nc; jr += 8) {
          const cols = min(8, nc - jr), bp = pb + ((<usize>jr * kc) << 2);
          for (let ir = 0; ir < mc; ir += 4) {
            const rows = min(4, mc - ir), ap = pa + ((<usize>ir * kc) << 2);
            const cp = c + ((<usize>(ic + ir) * ldc + jc + jr) << 2);
            if (rows == 4 && cols == 8) {
              kern32(kc, ap, bp, cp, ldc, first);
            } else {
              kern32(kc, ap, bp, edge, 8, 1);
              for (let r = 0; r < rows; r++) {
                for (let j = 0; j < cols; j++) {
                  const o = cp + ((<usize>r * ldc + j) << 2), v = load<f32>(edge + ((<usize>r * 8 + j) << 2));
                  store<f32>(o, first ? v : load<f32>(o) + v);
                }
              }
            }
          }
        }
      }
    }
  }
}

// ---------------------------------------------------------------- float64: 4×4 tile

@inline function madd64(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f64x2.relaxed_madd(a, b, c);
  return f64x2.add(c, f64x2.mul(a, b));
}

/** C[4×4] (+)= Ap[kc×4]ᵀ·Bp[kc×4] in float64; same conventions as kern32. */
export function kern64(kc: i32, pa: usize, pb: usize, c: usize, ldc: i32, first: i32): void {
  let c0a = f64x2.splat(0), c0b = f64x2.splat(0), c1a = f64x2.splat(0), c1b = f64x2.splat(0);
  let c2a = f64x2.splat(0), c2b = f64x2.splat(0), c3a = f64x2.splat(0), c3b = f64x2.splat(0);
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(pb), b1 = v128.load(pb, 16);
    let a = v128.load64_splat(pa);
    c0a = madd64(a, b0, c0a);
    c0b = madd64(a, b1, c0b);
    a = v128.load64_splat(pa, 8);
    c1a = madd64(a, b0, c1a);
    c1b = madd64(a, b1, c1b);
    a = v128.load64_splat(pa, 16);
    c2a = madd64(a, b0, c2a);
    c2b = madd64(a, b1, c2b);
    a = v128.load64_splat(pa, 24);
    c3a = madd64(a, b0, c3a);
    c3b = madd64(a, b1, c3b);
    pa += 32;
    pb += 32;
  }
  const ld = (<usize>ldc) << 3;
  if (!first) {
    c0a = f64x2.add(c0a, v128.load(c));
    c0b = f64x2.add(c0b, v128.load(c, 16));
    c1a = f64x2.add(c1a, v128.load(c + ld));
    c1b = f64x2.add(c1b, v128.load(c + ld, 16));
    c2a = f64x2.add(c2a, v128.load(c + 2 * ld));
    c2b = f64x2.add(c2b, v128.load(c + 2 * ld, 16));
    c3a = f64x2.add(c3a, v128.load(c + 3 * ld));
    c3b = f64x2.add(c3b, v128.load(c + 3 * ld, 16));
  }
  v128.store(c, c0a);
  v128.store(c, c0b, 16);
  v128.store(c + ld, c1a);
  v128.store(c + ld, c1b, 16);
  v128.store(c + 2 * ld, c2a);
  v128.store(c + 2 * ld, c2b, 16);
  v128.store(c + 3 * ld, c3a);
  v128.store(c + 3 * ld, c3b, 16);
}

/** Scratch bytes gemm64 needs. */
export function gemmScratch64(): i32 {
  return (MC * KC + KC * NC + 4 * 4) * 8;
}

/** Rows x (= [x(p), x(p+1)]) and y of a 2×2 block, as columns: [x(p), y(p)] at dst, [x(p+1), y(p+1)] at dst + stride. */
@inline function transpose2(x: v128, y: v128, dst: usize, stride: usize): void {
  v128.store(dst, v128.shuffle<f64>(x, y, 0, 2));
  v128.store(dst + stride, v128.shuffle<f64>(x, y, 1, 3));
}

function packB64(b: usize, brs: i32, bcs: i32, pc: i32, kc: i32, jc: i32, nc: i32, dst: usize): void {
  for (let j0 = 0; j0 < nc; j0 += 4) {
    const w = min(4, nc - j0);
    let p = 0;
    if (w == 4 && brs == 1 && bcs != 1) {
      // op(B) = a transposed matrix (each column contiguous in p): 2×2 blocks transposed in registers.
      const cs = (<usize>bcs) << 3;
      for (; p + 2 <= kc; p += 2) {
        const src = b + ((<usize>(pc + p) + <usize>(jc + j0) * bcs) << 3);
        transpose2(v128.load(src), v128.load(src + cs), dst, 32);
        transpose2(v128.load(src + 2 * cs), v128.load(src + 3 * cs), dst + 16, 32);
        dst += 64;
      }
    }
    for (; p < kc; p++) {
      const src = b + ((<usize>(pc + p) * brs + <usize>(jc + j0) * bcs) << 3);
      if (w == 4 && bcs == 1) {
        v128.store(dst, v128.load(src));
        v128.store(dst, v128.load(src, 16), 16);
      } else {
        for (let c = 0; c < 4; c++) store<f64>(dst + (c << 3), c < w ? load<f64>(src + ((<usize>c * bcs) << 3)) : 0);
      }
      dst += 32;
    }
  }
}

function packA64(a: usize, ars: i32, acs: i32, ic: i32, mc: i32, pc: i32, kc: i32, dst: usize): void {
  for (let i0 = 0; i0 < mc; i0 += 4) {
    const h = min(4, mc - i0);
    const row = a + ((<usize>(ic + i0) * ars + <usize>pc * acs) << 3);
    let p = 0;
    if (h == 4 && acs == 1 && ars != 1) {
      // op(A) row-major: 4 rows by 2 p, as 2×2 blocks transposed in registers.
      const rs = (<usize>ars) << 3;
      for (; p + 2 <= kc; p += 2) {
        const src = row + ((<usize>p) << 3);
        transpose2(v128.load(src), v128.load(src + rs), dst, 32);
        transpose2(v128.load(src + 2 * rs), v128.load(src + 3 * rs), dst + 16, 32);
        dst += 64;
      }
    } else if (h == 4 && ars == 1) {
      // op(A) = a transposed matrix: the 4 rows of a p are contiguous.
      for (; p < kc; p++) {
        const src = row + ((<usize>p * acs) << 3);
        v128.store(dst, v128.load(src));
        v128.store(dst, v128.load(src, 16), 16);
        dst += 32;
      }
    }
    for (; p < kc; p++) {
      const src = row + ((<usize>p * acs) << 3);
      for (let r = 0; r < 4; r++) store<f64>(dst + (r << 3), r < h ? load<f64>(src + ((<usize>r * ars) << 3)) : 0);
      dst += 32;
    }
  }
}

/**
 * C (m×n, row stride ldc elements) = op(A)·op(B) in float64; k ≥ 1. Each element sums over k in the same order
 * whatever m, n and the offsets, so a product cut into blocks (threads) is bit-identical to one call.
 */
export function gemm64(
  a: usize, ars: i32, acs: i32, b: usize, brs: i32, bcs: i32, m: i32, k: i32, n: i32, c: usize, ldc: i32, scratch: usize,
): void {
  const kb = kSlice(k);
  const pa = scratch, pb = scratch + ((MC * KC) << 3), edge = pb + ((KC * NC) << 3);
  for (let jc = 0; jc < n; jc += NC) {
    const nc = min(NC, n - jc);
    for (let pc = 0; pc < k; pc += kb) {
      const kc = min(kb, k - pc), first = pc == 0 ? 1 : 0;
      packB64(b, brs, bcs, pc, kc, jc, nc, pb);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = min(MC, m - ic);
        packA64(a, ars, acs, ic, mc, pc, kc, pa);
        for (let jr = 0; jr < nc; jr += 4) {
          const cols = min(4, nc - jr), bp = pb + ((<usize>jr * kc) << 3);
          for (let ir = 0; ir < mc; ir += 4) {
            const rows = min(4, mc - ir), ap = pa + ((<usize>ir * kc) << 3);
            const cp = c + ((<usize>(ic + ir) * ldc + jc + jr) << 3);
            if (rows == 4 && cols == 4) {
              kern64(kc, ap, bp, cp, ldc, first);
            } else {
              kern64(kc, ap, bp, edge, 4, 1);
              for (let r = 0; r < rows; r++) {
                for (let j = 0; j < cols; j++) {
                  const o = cp + ((<usize>r * ldc + j) << 3), v = load<f64>(edge + ((<usize>r * 4 + j) << 3));
                  store<f64>(o, first ? v : load<f64>(o) + v);
                }
              }
            }
          }
        }
      }
    }
  }
}
