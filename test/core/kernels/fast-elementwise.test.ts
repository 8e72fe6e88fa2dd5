import { describe, expect, it } from 'vitest';
import { Generator, getBackend, relu, tensor } from '@xent/core';
import { type BinaryOp, fastKernels, kernels, referenceKernels, wasmKernels } from '@xent/core/extend';
import type { Storage } from '../../../packages/core/src/dtype.js';
import {
  fastBinary,
  fastReduce,
  fastUnaryParam,
  fastWhere,
} from '../../../packages/core/src/kernels/fast-elementwise.js';
import { broadcastShapes, broadcastStrides } from '../../../packages/core/src/shape.js';

const gen = new Generator(13);
type Ctor = Float32ArrayConstructor | Float64ArrayConstructor;
const size = (s: readonly number[]): number => s.reduce((p, d) => p * d, 1);
const randomArray = (T: Ctor, n: number): Storage => {
  const x = new T(n);
  for (let i = 0; i < n; i++) x[i] = gen.normal();
  return x;
};
/** Bitwise agreement (Object.is per element: −0 and NaN count). */
const same = (a: Storage, b: Storage, what: string): void => {
  for (let i = 0; i < b.length; i++)
    if (!Object.is(a[i], b[i])) throw new Error(`${what} at ${i}: fast ${a[i]} ≠ reference ${b[i]}`);
};

describe('fastUnaryParam: clamp at 0 (ReLU) agrees bit for bit with the reference', () => {
  const specials = [0, -0, 1, -1, Infinity, -Infinity, NaN, 1e-320, -1e-320, 3.5, -2.25];
  for (const T of [Float64Array, Float32Array]) {
    for (const [op, alpha] of [
      ['clampMin', 0],
      ['clampMax', 0],
      ['clampMin', 0.5],
      ['leakyRelu', 0.1],
      ['powScalar', 2],
    ] as const) {
      it(`${T.name} ${op}(${alpha}) on random values and on 0, −0, ±∞, NaN, subnormals`, () => {
        for (const x of [randomArray(T, 1001), T.from(specials)]) {
          const a = new T(x.length),
            b = new T(x.length);
          fastUnaryParam(op, x, alpha, a);
          referenceKernels.unaryParam(op, x, alpha, b);
          same(a, b, op);
        }
      });
    }
  }
  it('relu through the op: [−1, −0, 2, NaN] → [0, −0, 2, NaN], as PyTorch', () => {
    const out = relu(tensor([-1, -0, 2, NaN])).data;
    expect(Object.is(out[0], 0) && Object.is(out[1], -0) && out[2] === 2 && Number.isNaN(out[3])).toBe(true);
    expect(fastKernels.unaryParam).toBe(fastUnaryParam);
    expect(kernels().unaryParam).toBe(getBackend() === 'wasm' ? wasmKernels.unaryParam : fastUnaryParam);
  });
});

describe('fastWhere agrees bit for bit with the reference', () => {
  const specials = [0, -0, Infinity, -Infinity, NaN, 2, -3];
  for (const T of [Float64Array, Float32Array]) {
    const cases: [string, number[], number[], number[]][] = [
      ['all contiguous', [5, 7], [5, 7], [5, 7]],
      ['scalar then tensor', [5, 7], [], [5, 7]],
      ['tensor then scalar', [5, 7], [5, 7], []],
      ['two scalars', [6], [], []],
      ['bias row (reference path)', [4, 3], [3], [4, 3]],
      ['broadcast condition (reference path)', [3], [4, 3], [4, 3]],
    ];
    for (const [name, sc, sa, sb] of cases) {
      it(`${T.name} ${name}`, () => {
        const shape = broadcastShapes(broadcastShapes(sc, sa, 'test'), sb, 'test');
        const c = randomArray(Float64Array, size(sc)).map((v, i) =>
          i % 5 === 0 ? specials[i % specials.length]! : v > 0 ? 1 : 0,
        );
        const a = randomArray(T, size(sa)),
          b = randomArray(T, size(sb));
        a[0] = -0;
        b[0] = NaN;
        if (a.length > 1) a[1] = -Infinity;
        const f = new T(size(shape)),
          r = new T(size(shape));
        const st = (s: number[]) => broadcastStrides(s, shape);
        fastWhere(c, st(sc), a, st(sa), b, st(sb), shape, f);
        referenceKernels.where(c, st(sc), a, st(sa), b, st(sb), shape, r);
        same(f, r, `where ${name}`);
      });
    }
  }
  it('mixed dtypes take the reference path', () => {
    const f = new Float64Array(3),
      r = new Float64Array(3);
    const c = new Float32Array([1, 0, 1]),
      a = new Float32Array([1, 2, 3]),
      b = new Float64Array([4, 5, 6]);
    fastWhere(c, [1], a, [1], b, [1], [3], f);
    referenceKernels.where(c, [1], a, [1], b, [1], [3], r);
    expect(Array.from(f)).toEqual([1, 5, 3]);
    same(f, r, 'where');
  });
});

describe('fastBinary agrees with the reference for every broadcast class', () => {
  // [a shape, b shape]: same shape, scalar either side, bias row, column (reference path), 1-row, 1-column, batched.
  const cases: [string, number[], number[]][] = [
    ['same shape', [7, 5], [7, 5]],
    ['scalar right', [7, 5], []],
    ['scalar left', [], [3, 4]],
    ['bias row right', [6, 5], [5]],
    ['bias row left', [1, 5], [6, 5]],
    ['column (strided)', [6, 5], [6, 1]],
    ['one row', [1, 9], [1, 9]],
    ['one column', [9, 1], [9, 1]],
    ['batched row', [2, 3, 4], [4]],
    ['outer product', [4, 1], [1, 3]],
    ['size-1 dims', [1, 1, 5], [3, 1, 5]],
    ['empty', [0, 3], [3]],
  ];
  const ops: BinaryOp[] = ['add', 'sub', 'mul', 'div', 'maximum', 'eq', 'ne', 'gt', 'ge', 'lt', 'le'];
  for (const T of [Float64Array, Float32Array]) {
    for (const [name, sa, sb] of cases) {
      it(`${T.name} ${name} ${JSON.stringify(sa)} ∘ ${JSON.stringify(sb)}`, () => {
        const shape = broadcastShapes(sa, sb, 'test');
        const a = randomArray(T, size(sa)),
          b = randomArray(T, size(sb));
        b[0] = 0; // a division by zero in every case
        for (const op of ops) {
          const f = new T(size(shape)).fill(NaN),
            r = new T(size(shape));
          fastBinary(op, a, broadcastStrides(sa, shape), b, broadcastStrides(sb, shape), shape, f);
          referenceKernels.binary(op, a, broadcastStrides(sa, shape), b, broadcastStrides(sb, shape), shape, r);
          same(f, r, `${op} ${name}`);
        }
      });
    }
  }
});

describe('fastReduce agrees with the reference for every reduced-dims class', () => {
  const cases: [number[], boolean[]][] = [
    [
      [6, 5],
      [true, false],
    ],
    [
      [6, 5],
      [false, true],
    ],
    [
      [6, 5],
      [true, true],
    ],
    [
      [6, 5],
      [false, false],
    ],
    [
      [2, 3, 4],
      [true, true, false],
    ],
    [
      [2, 3, 4],
      [false, true, true],
    ],
    [
      [2, 3, 4],
      [true, false, true],
    ],
    [
      [1, 7],
      [true, false],
    ],
    [
      [7, 1],
      [false, true],
    ],
    [[9], [true]],
    [[], []],
    [
      [0, 3],
      [true, false],
    ],
  ];
  for (const T of [Float64Array, Float32Array]) {
    for (const [shape, red] of cases) {
      it(`${T.name} shape ${JSON.stringify(shape)} reduced ${JSON.stringify(red)}, sum (fast) and max (reference path)`, () => {
        const x = randomArray(T, size(shape));
        const outSize = size(shape.filter((_, i) => !red[i]));
        for (const op of ['sum', 'max'] as const) {
          const f = new T(outSize).fill(NaN),
            r = new T(outSize);
          fastReduce(op, x, shape, red, f);
          referenceKernels.reduce(op, x, shape, red, r);
          same(f, r, `${op} ${JSON.stringify(shape)}`);
        }
      });
    }
  }
});
