import { describe, expect, it } from 'vitest';
import { Generator, cat, gather, indexSelect, oneHot, scatterAdd, slice, tensor, zeros } from '@xent/core';
import { type Kernels, kernels, referenceKernels, setKernels } from '@xent/core/extend';
import type { Storage } from '../../../packages/core/src/dtype.js';

/* The indexing kernels called directly, on flat typed arrays, against small examples worked out
   by hand (the comments give the working), then against their adjoint identities on random data. */

const f64 = (...v: number[]): Float64Array => Float64Array.from(v);
const i32 = (...v: number[]): Int32Array => Int32Array.from(v);
const list = (a: Storage): number[] => Array.from(a);

// The reference set, and the active set ops use (whatever another helper may have swapped in).
const sets: [string, () => Kernels][] = [
  ['reference', () => referenceKernels],
  ['active', () => kernels()],
];

for (const [setName, K] of sets) {
  describe(`${setName} kernels: scatterStrided`, () => {
    it('writes a 2×2 block into a 3×3 at row 0, column 1', () => {
      // out[1 + 3r + c] = src[2r + c]: positions 1, 2, 4, 5.
      const out = new Float64Array(9);
      K().scatterStrided(f64(1, 2, 3, 4), [2, 2], out, 1, [3, 1]);
      expect(list(out)).toEqual([0, 1, 2, 0, 3, 4, 0, 0, 0]);
    });

    it('a stepped write (the adjoint of slice with step 2) and a 0-d write', () => {
      const out = new Float64Array(6);
      K().scatterStrided(f64(7, 8), [2], out, 1, [2]); // out[1] = 7, out[3] = 8
      expect(list(out)).toEqual([0, 7, 0, 8, 0, 0]);
      const s = new Float64Array(3);
      K().scatterStrided(f64(5), [], s, 2, []);
      expect(list(s)).toEqual([0, 0, 5]);
    });

    it('a transposed write (dims that cannot merge) and a block of a cat along the middle dim', () => {
      // out[r + 2c] = src[3r + c] for src 2×3: out = [1, 4, 2, 5, 3, 6].
      const t = new Float64Array(6);
      K().scatterStrided(f64(1, 2, 3, 4, 5, 6), [2, 3], t, 0, [1, 2]);
      expect(list(t)).toEqual([1, 4, 2, 5, 3, 6]);
      // out is [2, 3, 2] (strides [6, 2, 1]); src [2, 1, 2] goes at row 2 of dim 1: offset 4, positions 4, 5, 10, 11.
      const c = new Float64Array(12);
      K().scatterStrided(f64(1, 2, 3, 4), [2, 1, 2], c, 4, [6, 2, 1]);
      expect(list(c)).toEqual([0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 3, 4]);
    });

    it('an empty shape writes nothing; float32 out from float64 src rounds', () => {
      const out = f64(9, 9);
      K().scatterStrided(new Float64Array(0), [0, 3], out, 0, [3, 1]);
      expect(list(out)).toEqual([9, 9]);
      const o32 = new Float32Array(2);
      K().scatterStrided(f64(0.1, 2), [2], o32, 0, [1]);
      expect(list(o32)).toEqual([Math.fround(0.1), 2]);
    });
  });

  describe(`${setName} kernels: gather and scatterAdd`, () => {
    const M = f64(1, 2, 3, 4, 5, 6); // [[1, 2, 3], [4, 5, 6]]

    it('gather along dim 1 and dim 0 of a 2×3', () => {
      // out[i][j] = M[i][index[i][j]]: M[0][2], M[0][0], M[1][1], M[1][1] = 3, 1, 5, 5
      const a = new Float64Array(4);
      K().gather(M, [2, 3], 1, i32(2, 0, 1, 1), [2, 2], a);
      expect(list(a)).toEqual([3, 1, 5, 5]);
      // out[0][j] = M[index[0][j]][j]: M[1][0], M[0][1], M[1][2] = 4, 2, 6
      const b = new Float64Array(3);
      K().gather(M, [2, 3], 0, i32(1, 0, 1), [1, 3], b);
      expect(list(b)).toEqual([4, 2, 6]);
    });

    it('gather along the middle dim of a 3-D tensor, and of a 0-d tensor', () => {
      // x[a][b][c] = 4a + 2b + c; index [2, 1, 2] = [[[1, 0]], [[0, 1]]]; out[a][0][c] = x[a][index][c]
      // = x[0][1][0], x[0][0][1], x[1][0][0], x[1][1][1] = 2, 1, 4, 7
      const out = new Float64Array(4);
      K().gather(f64(0, 1, 2, 3, 4, 5, 6, 7), [2, 2, 2], 1, i32(1, 0, 0, 1), [2, 1, 2], out);
      expect(list(out)).toEqual([2, 1, 4, 7]);
      const s = new Float32Array(1);
      K().gather(f64(9), [], 0, i32(0), [], s);
      expect(list(s)).toEqual([9]);
    });

    it('scatterAdd: repeats accumulate onto what out holds', () => {
      const a = new Float64Array(3);
      K().scatterAdd(f64(1, 2, 5), [3], 0, i32(0, 0, 2), [3], a, [3]); // out[0] = 1 + 2, out[2] = 5
      expect(list(a)).toEqual([3, 0, 5]);
      // out[i][index[i][j]] += src[i][j]: out[0][0] += 10 + 20, out[1][2] += 30, out[1][1] += 40
      const b = M.slice();
      K().scatterAdd(f64(10, 20, 30, 40), [2, 2], 1, i32(0, 0, 2, 1), [2, 2], b, [2, 3]);
      expect(list(b)).toEqual([31, 2, 3, 4, 45, 36]);
    });

    it("scatterAdd with src larger than the index reads src at the index position's coordinates", () => {
      // index [[1]] on dim 0: out[1][0] += src[0][0] = 7
      const a = new Float64Array(4);
      K().scatterAdd(f64(7, 8, 9, 10), [2, 2], 0, i32(1), [1, 1], a, [2, 2]);
      expect(list(a)).toEqual([0, 0, 7, 0]);
      // out [3, 2], dim 0, index [[2, 0], [2, 1]], src [2, 3] = [[1, 2, 3], [4, 5, 6]]:
      // out[2][0] += 1, out[0][1] += 2, out[2][0] += 4, out[1][1] += 5 → [[0, 2], [0, 5], [5, 0]]
      const b = new Float64Array(6);
      K().scatterAdd(f64(1, 2, 3, 4, 5, 6), [2, 3], 0, i32(2, 0, 2, 1), [2, 2], b, [3, 2]);
      expect(list(b)).toEqual([0, 2, 0, 5, 5, 0]);
      const s = f64(3);
      K().scatterAdd(f64(2), [], 0, i32(0), [], s, []);
      expect(list(s)).toEqual([5]);
    });
  });

  describe(`${setName} kernels: indexSelect, indexAdd, oneHot`, () => {
    it('indexSelect over [outer, n, inner]: rows, columns, the middle dim, an empty index', () => {
      const x = f64(1, 2, 3, 4, 5, 6);
      const rows = new Float64Array(9);
      K().indexSelect(x, 1, 2, 3, i32(1, 1, 0), rows); // rows 1, 1, 0 of [[1, 2, 3], [4, 5, 6]]
      expect(list(rows)).toEqual([4, 5, 6, 4, 5, 6, 1, 2, 3]);
      const cols = new Float64Array(4);
      K().indexSelect(x, 2, 3, 1, i32(2, 0), cols); // columns 2, 0
      expect(list(cols)).toEqual([3, 1, 6, 4]);
      // x = 0..11 as [2, 3, 2]; out[o][0][i] = x[o][2][i] = x[4 + 6o + i]
      const mid = new Float64Array(4);
      K().indexSelect(
        Float64Array.from({ length: 12 }, (_, i) => i),
        2,
        3,
        2,
        i32(2),
        mid,
      );
      expect(list(mid)).toEqual([4, 5, 10, 11]);
      K().indexSelect(x, 1, 2, 3, i32(), new Float64Array(0)); // nothing to do, nothing thrown
    });

    it('indexAdd adds rows back at repeated positions, onto what out holds', () => {
      // [outer 1, n 3, inner 2]; src rows [1, 2], [3, 4], [5, 6] at 2, 0, 2 → row 0 = [3, 4], row 2 = [6, 8]
      const a = new Float64Array(6);
      K().indexAdd(f64(1, 2, 3, 4, 5, 6), 1, 3, 2, i32(2, 0, 2), a);
      expect(list(a)).toEqual([3, 4, 0, 0, 6, 8]);
      // [outer 2, n 2, inner 1] holding ones; src [10, 20] at position 1 of each outer block
      const b = f64(1, 1, 1, 1);
      K().indexAdd(f64(10, 20), 2, 2, 1, i32(1), b);
      expect(list(b)).toEqual([1, 11, 1, 21]);
    });

    it('oneHot puts a 1 at each label of each row', () => {
      const a = new Float64Array(9);
      K().oneHot(i32(0, 2, 1), 3, a);
      expect(list(a)).toEqual([1, 0, 0, 0, 0, 1, 0, 1, 0]);
      const b = new Float32Array(2);
      K().oneHot(i32(0, 0), 1, b);
      expect(list(b)).toEqual([1, 1]);
    });
  });

  describe(`${setName} kernels: adjoint identities on random data`, () => {
    const gen = new Generator(17);
    const rand = (n: number): Float64Array => Float64Array.from({ length: n }, () => gen.normal());
    const dot = (a: Storage, b: Storage): number => {
      let s = 0;
      for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
      return s;
    };
    const ints = (n: number, hi: number): Int32Array => Int32Array.from({ length: n }, () => gen.int(0, hi));

    it('⟨gather(x), g⟩ = ⟨x, scatterAdd(g)⟩ on every dim of a [3, 4, 5]', () => {
      const xShape = [3, 4, 5],
        ixShape = [2, 3, 4];
      for (const d of [0, 1, 2]) {
        const x = rand(60),
          g = rand(24),
          idx = ints(24, xShape[d]!);
        const gx = new Float64Array(24),
          sg = new Float64Array(60);
        K().gather(x, xShape, d, idx, ixShape, gx);
        K().scatterAdd(g, ixShape, d, idx, ixShape, sg, xShape);
        expect(dot(gx, g)).toBeCloseTo(dot(x, sg), 12);
      }
    });

    it('⟨indexSelect(x), g⟩ = ⟨x, indexAdd(g)⟩ and ⟨copyStrided(x), g⟩ = ⟨x, scatterStrided(g)⟩', () => {
      const x = rand(2 * 5 * 3),
        g = rand(2 * 7 * 3),
        idx = ints(7, 5);
      const sel = new Float64Array(g.length),
        add = new Float64Array(x.length);
      K().indexSelect(x, 2, 5, 3, idx, sel);
      K().indexAdd(g, 2, 5, 3, idx, add);
      expect(dot(sel, g)).toBeCloseTo(dot(x, add), 12);
      // A stepped, transposed view of a 24-element buffer: shape [3, 2], start 1, strides [2, 12].
      const big = rand(24),
        h = rand(6),
        view = new Float64Array(6),
        back = new Float64Array(24);
      K().copyStrided(big, 1, [2, 12], [3, 2], view);
      K().scatterStrided(h, [3, 2], back, 1, [2, 12]);
      expect(dot(view, h)).toBeCloseTo(dot(big, back), 12);
    });
  });
}

describe('the ops reach these kernels through kernels()', () => {
  it("gather, scatterAdd, indexSelect (and their backwards), oneHot, cat and slice's backward call the active set", () => {
    const names = ['gather', 'scatterAdd', 'indexSelect', 'indexAdd', 'oneHot', 'scatterStrided'] as const;
    const calls: Record<string, number> = {};
    const base = kernels();
    const spies: Partial<Kernels> = {};
    for (const n of names) {
      calls[n] = 0;
      (spies as Record<string, unknown>)[n] = (...args: unknown[]): void => {
        calls[n]!++;
        (base[n] as (...a: unknown[]) => void)(...args);
      };
    }
    const prev = setKernels(spies);
    try {
      const x = tensor(
        [
          [1, 2, 3],
          [4, 5, 6],
        ],
        { requiresGrad: true },
      );
      gather(x, 1, [[2], [0]])
        .sum()
        .backward(); // gather forward, scatterAdd backward
      indexSelect(x, 0, [1]).sum().backward(); // indexSelect forward, indexAdd backward
      scatterAdd(zeros([2, 3]), 1, [[0]], x)
        .sum()
        .backward(); // scatterAdd, then gather + pad (scatterStrided)
      oneHot([1, 0], 2);
      cat([x, x], 1);
      slice(x, 1, 0, 2).sum().backward(); // unslice writes through scatterStrided
    } finally {
      setKernels(prev);
    }
    expect(calls).toEqual({ gather: 2, scatterAdd: 2, indexSelect: 1, indexAdd: 1, oneHot: 1, scatterStrided: 4 });
  });

  it('cat along a middle dim and a slice gradient with a step, by hand', () => {
    // [2, 1, 2] and [2, 2, 2]
    const a = tensor([[[1, 2]], [[3, 4]]]),
      b = tensor([
        [
          [5, 6],
          [7, 8],
        ],
        [
          [9, 10],
          [11, 12],
        ],
      ]);
    expect(cat([a, b], 1).toArray()).toEqual([
      [
        [1, 2],
        [5, 6],
        [7, 8],
      ],
      [
        [3, 4],
        [9, 10],
        [11, 12],
      ],
    ]);
    const x = tensor(
      [
        [1, 2, 3, 4, 5],
        [6, 7, 8, 9, 10],
      ],
      { requiresGrad: true },
    );
    slice(x, 1, 1, 5, 2)
      .mul(
        tensor([
          [1, 2],
          [3, 4],
        ]),
      )
      .sum()
      .backward(); // columns 1 and 3
    expect(x.grad!.toArray()).toEqual([
      [0, 1, 0, 2, 0],
      [0, 3, 0, 4, 0],
    ]);
  });

  it('a 0-d input: gather and scatterAdd check the index against size 1; indexSelect takes exactly one index', () => {
    expect(gather(tensor(3), 0, 0).item()).toBe(3);
    expect(() => gather(tensor(3), 0, 5)).toThrow(
      /^gather: index 5 at flat position 0 is out of range for a dim of size 1 \(expected 0 ≤ index < 1\)$/,
    );
    expect(() => scatterAdd(tensor(3), 0, 1, tensor(2))).toThrow(
      /^scatterAdd: index 1 at flat position 0 is out of range for a dim of size 1/,
    );
    expect(scatterAdd(tensor(3), 0, 0, tensor(2)).item()).toBe(5);
    expect(indexSelect(tensor(3), 0, [0]).item()).toBe(3);
    expect(() => indexSelect(tensor(3), 0, [0, 0])).toThrow(
      /^indexSelect: a 0-d input takes exactly one index, got 2$/,
    );
  });

  it('oneHot infers numClasses from a long label list (no argument spreading)', () => {
    const labels = Array.from({ length: 200_000 }, (_, i) => i % 3);
    const t = oneHot(labels);
    expect(t.shape).toEqual([200_000, 3]);
    // labels 199 998 mod 3 = 0 and 199 999 mod 3 = 1
    expect(Array.from(t.data.subarray(3 * 199_998, 3 * 200_000))).toEqual([1, 0, 0, 0, 1, 0]);
    expect(() => oneHot([-5])).toThrow(/^oneHot: label -5 at flat position 0 is outside \[0, 0\)$/);
  });
});
