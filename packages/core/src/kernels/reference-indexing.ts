import { stridesOf } from '../shape.js';
import { forEachRow } from './strided.js';
import type { Kernels } from './types.js';

/* Reference kernels for indexing: positions arrive as Int32Array offsets the op has already
   range-checked, so these loops never throw. */

/**
 * The reference indexing kernels (gather, scatterAdd, indexSelect, indexAdd, oneHot), spread into
 * referenceKernels.
 * @example referenceIndexingKernels.oneHot(Int32Array.of(2, 0), 3, out); // out = [0, 0, 1, 1, 0, 0]
 */
export const referenceIndexingKernels: Pick<Kernels, 'gather' | 'scatterAdd' | 'indexSelect' | 'indexAdd' | 'oneHot'> =
  {
    gather(x, xShape, dim, index, indexShape, out) {
      const nd = indexShape.length;
      if (out.length === 0) return;
      if (nd === 0) {
        out[0] = x[0]!;
        return;
      }
      const xs = stridesOf(xShape),
        sd = xs[dim]!;
      xs[dim] = 0; // the coordinate on dim comes from the index, not from the position
      const inner = indexShape[nd - 1]!,
        s = xs[nd - 1]!;
      forEachRow(indexShape, [xs], (offs, p) => {
        let xi = offs[0]!;
        for (let j = 0; j < inner; j++, xi += s) out[p + j] = x[xi + index[p + j]! * sd]!;
      });
    },

    scatterAdd(src, srcShape, dim, index, indexShape, out, outShape) {
      const nd = indexShape.length;
      if (index.length === 0) return;
      if (nd === 0) {
        out[0] = out[0]! + src[0]!;
        return;
      }
      const os = stridesOf(outShape),
        sd = os[dim]!,
        ss = stridesOf(srcShape);
      os[dim] = 0; // as in gather: dim's coordinate is the index
      const inner = indexShape[nd - 1]!,
        so = os[nd - 1]!,
        si = ss[nd - 1]!;
      forEachRow(indexShape, [os, ss], (offs, p) => {
        let oi = offs[0]!,
          sj = offs[1]!;
        for (let j = 0; j < inner; j++, oi += so, sj += si) {
          const q = oi + index[p + j]! * sd;
          out[q] = out[q]! + src[sj]!;
        }
      });
    },

    indexSelect(x, outer, n, inner, index, out) {
      const m = index.length;
      for (let o = 0; o < outer; o++) {
        for (let j = 0; j < m; j++) {
          const from = (o * n + index[j]!) * inner,
            to = (o * m + j) * inner;
          for (let i = 0; i < inner; i++) out[to + i] = x[from + i]!;
        }
      }
    },

    indexAdd(src, outer, n, inner, index, out) {
      const m = index.length;
      for (let o = 0; o < outer; o++) {
        for (let j = 0; j < m; j++) {
          const from = (o * m + j) * inner,
            to = (o * n + index[j]!) * inner;
          for (let i = 0; i < inner; i++) out[to + i] = out[to + i]! + src[from + i]!;
        }
      }
    },

    oneHot(index, c, out) {
      for (let i = 0; i < index.length; i++) out[i * c + index[i]!] = 1;
    },
  };
