import type { Storage } from '../dtype.js';
import { sizeOf } from '../shape.js';
import { referenceGradKernels } from './reference-grad.js';
import { referenceOptimKernels } from './reference-optim.js';
import { referenceSoftmaxKernels } from './reference-softmax.js';
import { referenceUnaryKernels } from './reference-unary.js';
import { referenceIndexingKernels } from './reference-indexing.js';
import { forEachRow } from './strided.js';
import type { BinaryOp, Kernels, ReduceOp } from './types.js';

/* Plain TypeScript kernels over flat typed arrays. Each loop is monomorphic: the op is chosen
   once, outside the loop, never per element. */

type Row = (
  o: Storage,
  oi: number,
  a: Storage,
  ai: number,
  sa: number,
  b: Storage,
  bi: number,
  sb: number,
  n: number,
) => void;

const rows: Record<BinaryOp, Row> = {
  add: (o, oi, a, ai, sa, b, bi, sb, n) => {
    for (let j = 0; j < n; j++, ai += sa, bi += sb) o[oi + j] = a[ai]! + b[bi]!;
  },
  sub: (o, oi, a, ai, sa, b, bi, sb, n) => {
    for (let j = 0; j < n; j++, ai += sa, bi += sb) o[oi + j] = a[ai]! - b[bi]!;
  },
  mul: (o, oi, a, ai, sa, b, bi, sb, n) => {
    for (let j = 0; j < n; j++, ai += sa, bi += sb) o[oi + j] = a[ai]! * b[bi]!;
  },
  div: (o, oi, a, ai, sa, b, bi, sb, n) => {
    for (let j = 0; j < n; j++, ai += sa, bi += sb) o[oi + j] = a[ai]! / b[bi]!;
  },
  pow: (o, oi, a, ai, sa, b, bi, sb, n) => {
    for (let j = 0; j < n; j++, ai += sa, bi += sb) o[oi + j] = a[ai]! ** b[bi]!;
  },
  maximum: (o, oi, a, ai, sa, b, bi, sb, n) => {
    for (let j = 0; j < n; j++, ai += sa, bi += sb) {
      const x = a[ai]!,
        y = b[bi]!;
      o[oi + j] = x !== x || y !== y ? NaN : x > y ? x : y;
    }
  },
  minimum: (o, oi, a, ai, sa, b, bi, sb, n) => {
    for (let j = 0; j < n; j++, ai += sa, bi += sb) {
      const x = a[ai]!,
        y = b[bi]!;
      o[oi + j] = x !== x || y !== y ? NaN : x < y ? x : y;
    }
  },
  eq: (o, oi, a, ai, sa, b, bi, sb, n) => {
    for (let j = 0; j < n; j++, ai += sa, bi += sb) o[oi + j] = a[ai] === b[bi] ? 1 : 0;
  },
  ne: (o, oi, a, ai, sa, b, bi, sb, n) => {
    for (let j = 0; j < n; j++, ai += sa, bi += sb) o[oi + j] = a[ai] !== b[bi] ? 1 : 0;
  },
  gt: (o, oi, a, ai, sa, b, bi, sb, n) => {
    for (let j = 0; j < n; j++, ai += sa, bi += sb) o[oi + j] = a[ai]! > b[bi]! ? 1 : 0;
  },
  ge: (o, oi, a, ai, sa, b, bi, sb, n) => {
    for (let j = 0; j < n; j++, ai += sa, bi += sb) o[oi + j] = a[ai]! >= b[bi]! ? 1 : 0;
  },
  lt: (o, oi, a, ai, sa, b, bi, sb, n) => {
    for (let j = 0; j < n; j++, ai += sa, bi += sb) o[oi + j] = a[ai]! < b[bi]! ? 1 : 0;
  },
  le: (o, oi, a, ai, sa, b, bi, sb, n) => {
    for (let j = 0; j < n; j++, ai += sa, bi += sb) o[oi + j] = a[ai]! <= b[bi]! ? 1 : 0;
  },
};

function isContiguous(strides: readonly number[], shape: readonly number[]): boolean {
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    if (shape[i] !== 1 && strides[i] !== acc) return false;
    acc *= shape[i]!;
  }
  return true;
}

const allZero = (s: readonly number[]): boolean => s.every((v) => v === 0);

/**
 * Merges neighbouring dims k, k+1 of a strided view when strides[k] = strides[k+1]·shape[k+1] (one
 * run of memory), so row loops run as long as possible. Returns the merged shape and strides.
 */
function coalesce(shape: readonly number[], strides: readonly number[]): [number[], number[]] {
  const cs = [shape[0]!],
    st = [strides[0]!];
  for (let k = 1; k < shape.length; k++) {
    const last = cs.length - 1;
    if (st[last] === strides[k]! * shape[k]!) {
      cs[last] = cs[last]! * shape[k]!;
      st[last] = strides[k]!;
    } else {
      cs.push(shape[k]!);
      st.push(strides[k]!);
    }
  }
  return [cs, st];
}

/**
 * The reference kernels: plain loops over flat typed arrays, the oracle every faster kernel is
 * tested against (out[i] = f(a[i], b[i]) and its strided, reduced and matrix relatives).
 * @example setKernels(referenceKernels); // run every op on the reference loops
 */
export const referenceKernels: Kernels = {
  ...referenceGradKernels,
  ...referenceOptimKernels,
  ...referenceIndexingKernels,
  ...referenceSoftmaxKernels,
  ...referenceUnaryKernels,
  binary(op, a, aStrides, b, bStrides, shape, out) {
    const row = rows[op];
    const n = out.length;
    if (n === 0) return;
    const ca = isContiguous(aStrides, shape),
      cb = isContiguous(bStrides, shape);
    const za = allZero(aStrides),
      zb = allZero(bStrides);
    if ((ca || za) && (cb || zb)) {
      row(out, 0, a, 0, za ? 0 : 1, b, 0, zb ? 0 : 1, n);
      return;
    }
    const nd = shape.length;
    const sa = aStrides[nd - 1]!,
      sb = bStrides[nd - 1]!,
      inner = shape[nd - 1]!;
    forEachRow(shape, [aStrides, bStrides], (offs, o) => row(out, o, a, offs[0]!, sa, b, offs[1]!, sb, inner));
  },

  where(c, cStrides, a, aStrides, b, bStrides, shape, out) {
    if (out.length === 0) return;
    const nd = shape.length;
    const sc = nd ? cStrides[nd - 1]! : 0,
      sa = nd ? aStrides[nd - 1]! : 0,
      sb = nd ? bStrides[nd - 1]! : 0;
    const inner = nd ? shape[nd - 1]! : 1;
    forEachRow(shape, [cStrides, aStrides, bStrides], (offs, o) => {
      let ci = offs[0]!,
        ai = offs[1]!,
        bi = offs[2]!;
      // nonzero (NaN too) is true, as bool() in PyTorch
      for (let j = 0; j < inner; j++, ci += sc, ai += sa, bi += sb) out[o + j] = c[ci] !== 0 ? a[ai]! : b[bi]!;
    });
  },

  reduce(op: ReduceOp, x, shape, reduced, out) {
    const init = op === 'sum' ? 0 : op === 'max' ? -Infinity : Infinity;
    out.fill(init);
    if (x.length === 0) return;
    // Output strides over the input's dims: 0 where reduced.
    const nd = shape.length;
    const os = new Array<number>(nd).fill(0);
    let acc = 1;
    for (let d = nd - 1; d >= 0; d--)
      if (!reduced[d]) {
        os[d] = acc;
        acc *= shape[d]!;
      }
    if (nd === 0) {
      out[0] = x[0]!;
      return;
    }
    const inner = shape[nd - 1]!,
      so = os[nd - 1]!;
    const xs: number[] = [];
    acc = 1;
    for (let d = nd - 1; d >= 0; d--) {
      xs[d] = acc;
      acc *= shape[d]!;
    }
    forEachRow(shape, [xs, os], (offs) => {
      const xi = offs[0]!;
      let oi = offs[1]!;
      if (so === 0) {
        let r = out[oi]!;
        if (op === 'sum') for (let j = 0; j < inner; j++) r += x[xi + j]!;
        else if (op === 'max')
          for (let j = 0; j < inner; j++) {
            const v = x[xi + j]!;
            if (v > r || v !== v) r = v;
          }
        else
          for (let j = 0; j < inner; j++) {
            const v = x[xi + j]!;
            if (v < r || v !== v) r = v;
          }
        out[oi] = r;
      } else if (op === 'sum') for (let j = 0; j < inner; j++, oi++) out[oi] = out[oi]! + x[xi + j]!;
      else if (op === 'max')
        for (let j = 0; j < inner; j++, oi++) {
          const v = x[xi + j]!;
          if (v > out[oi]! || v !== v) out[oi] = v;
        }
      else
        for (let j = 0; j < inner; j++, oi++) {
          const v = x[xi + j]!;
          if (v < out[oi]! || v !== v) out[oi] = v;
        }
    });
  },

  argReduce(op, x, shape, dim, out) {
    let outer = 1,
      inner = 1;
    for (let d = 0; d < dim; d++) outer *= shape[d]!;
    for (let d = dim + 1; d < shape.length; d++) inner *= shape[d]!;
    const n = shape.length === 0 ? 1 : shape[dim]!;
    const max = op === 'argmax';
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        const base = o * n * inner + i;
        let best = x[base]!,
          bi = 0;
        for (let j = 1; j < n && best === best; j++) {
          const v = x[base + j * inner]!;
          if (v !== v || (max ? v > best : v < best)) {
            best = v;
            bi = j;
          }
        }
        out[o * inner + i] = bi;
      }
    }
  },

  matmul(a, aOffsets, transA, b, bOffsets, transB, m, k, n, out) {
    // Row-major C = A·B with the i-k-j order, so the inner loop runs along contiguous rows.
    const batch = aOffsets.length;
    const ars = transA ? 1 : k,
      acs = transA ? m : 1; // A element (i, p) at i*ars + p*acs
    const brs = transB ? 1 : n,
      bcs = transB ? k : 1; // B element (p, j) at p*brs + j*bcs
    out.fill(0);
    for (let t = 0; t < batch; t++) {
      const ao = aOffsets[t]!,
        bo = bOffsets[t]!,
        co = t * m * n;
      for (let i = 0; i < m; i++) {
        const ci = co + i * n;
        for (let p = 0; p < k; p++) {
          const av = a[ao + i * ars + p * acs]!;
          const bp = bo + p * brs;
          if (bcs === 1) for (let j = 0; j < n; j++) out[ci + j] = out[ci + j]! + av * b[bp + j]!;
          else for (let j = 0; j < n; j++) out[ci + j] = out[ci + j]! + av * b[bp + j * bcs]!;
        }
      }
    }
  },

  copyStrided(x, offset, strides, shape, out) {
    const nd = shape.length;
    if (out.length === 0) return;
    if (nd === 0) {
      out[0] = x[offset]!;
      return;
    }
    const inner = shape[nd - 1]!,
      s = strides[nd - 1]!;
    forEachRow(shape, [strides], (offs, o) => {
      let xi = offset + offs[0]!;
      for (let j = 0; j < inner; j++, xi += s) out[o + j] = x[xi]!;
    });
  },

  scatterStrided(src, shape, out, offset, strides) {
    if (sizeOf(shape) === 0) return;
    const nd = shape.length;
    if (nd === 0) {
      out[offset] = src[0]!;
      return;
    }
    // Dims that out also holds contiguously merge into longer rows (a cat along dim d writes whole blocks).
    const [cs, st] = coalesce(shape, strides);
    const inner = cs[cs.length - 1]!,
      s = st[st.length - 1]!;
    forEachRow(cs, [st], (offs, r) => {
      let oi = offset + offs[0]!;
      for (let j = 0; j < inner; j++, oi += s) out[oi] = src[r + j]!;
    });
  },
};
