// The wasm elementwise kernels against the reference: bit for bit (add, sub, mul, div, maximum, minimum, the
// comparisons, neg, abs, sqrt, square, reciprocal, clamp, leakyRelu, activation backward, and every reduction but
// a sum over the last dims are correctly rounded or exact in both), row sums within tolerance, exp within 2 ulp;
// every broadcast pattern (same shape, scalar, row, column, leading/trailing broadcast), NaN, ±0, ±∞ and subnormals.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Storage } from '../../../packages/core/src/dtype.js';
import { referenceKernels } from '../../../packages/core/src/kernels/reference.js';
import type { BinaryOp, UnaryOp } from '../../../packages/core/src/kernels/types.js';
import { wasmKernels, wasmLimits } from '../../../packages/core/src/kernels/wasm/wasm-kernels.js';
import { broadcastShapes, broadcastStrides, sizeOf } from '../../../packages/core/src/shape.js';
import { expectSums, oneRun } from './contract-helpers.js';
import { CTORS, expectSame, rand, specials, ulps, wasmOnly, withValues } from './helpers.js';

const saved = { ...wasmLimits };
beforeAll(() => Object.assign(wasmLimits, { min: 0, matmul: 0 }));
afterAll(() => Object.assign(wasmLimits, saved));

const PAIRS: [number[], number[]][] = [
  [
    [7, 9],
    [7, 9],
  ], // same shape
  [[7, 9], []], // scalar right
  [[], [5, 6]], // scalar left
  [[6, 11], [11]], // row (a bias)
  [
    [1, 11],
    [6, 11],
  ], // row on the left
  [
    [6, 11],
    [6, 1],
  ], // column
  [
    [6, 1],
    [6, 11],
  ], // column on the left
  [
    [2, 3, 5],
    [3, 5],
  ], // leading broadcast over two dims
  [
    [2, 3, 5],
    [2, 3, 1],
  ], // trailing broadcast
  [
    [2, 1, 5],
    [2, 4, 5],
  ], // middle broadcast: no 2-D view; the TypeScript kernel runs
  [
    [1, 1],
    [1, 1],
  ],
  [[0, 3], [3]], // empty
  [
    [1, 9],
    [9, 1],
  ], // outer sum: both broadcast
];

describe.each(CTORS)('wasm binary, %s', (_, T) => {
  for (const op of ['add', 'sub', 'mul', 'div', 'pow', 'maximum', 'gt'] as BinaryOp[]) {
    it(`${op}: every broadcast pattern, with specials, bit for bit`, () => {
      for (const [sa, sb] of PAIRS) {
        const shape = broadcastShapes(sa, sb, 'test'),
          n = sizeOf(shape);
        const a = withValues(T, sizeOf(sa), specials(T), 1),
          b = withValues(T, sizeOf(sb), specials(T).reverse(), 2);
        const as = broadcastStrides(sa, shape),
          bs = broadcastStrides(sb, shape);
        const got = new T(n).fill(NaN),
          want = new T(n);
        const run = (): void => wasmKernels.binary(op, a, as, b, bs, shape, got);
        // Every op but pow over a 2-D view runs in wasm (the fallback would throw); pow falls back.
        if (op !== 'pow' && !(sa.length === 3 && sa[1] === 1)) wasmOnly('binary', run);
        else run();
        referenceKernels.binary(op, a, as, b, bs, shape, want);
        expectSame(got, want, `${op} ${JSON.stringify(sa)} ${JSON.stringify(sb)}`);
      }
    });
  }
  it('in place (out is a), as the engine accumulates gradients', () => {
    const a = rand(T, 100, 1),
      b = rand(T, 100, 2),
      want = new T(100);
    referenceKernels.binary('add', a, [1], b, [1], [100], want);
    wasmKernels.binary('add', a, [1], b, [1], [100], a);
    expectSame(a, want, 'in place');
  });
});

describe.each(CTORS)('wasm unary maps, %s', (_, T) => {
  for (const op of ['neg', 'abs', 'sqrt', 'square', 'reciprocal'] as UnaryOp[]) {
    it(`${op} bit for bit, odd length, specials`, () => {
      const x = withValues(T, 103, specials(T)),
        got = new T(103),
        want = new T(103);
      if (op === 'reciprocal')
        wasmKernels.unary(op, x, got); // not a wasm map: the TypeScript fallback
      else wasmOnly('unary', () => wasmKernels.unary(op, x, got));
      referenceKernels.unary(op, x, want);
      expectSame(got, want, op);
    });
  }
  for (const op of ['clampMin', 'clampMax'] as const) {
    it(`${op} at 0 (ReLU), at 0.3 and at −∞ bit for bit, −0 and NaN kept`, () => {
      for (const alpha of [0, 0.3, -Infinity]) {
        const x = withValues(T, 103, specials(T)),
          got = new T(103),
          want = new T(103);
        wasmOnly('unaryParam', () => wasmKernels.unaryParam(op, x, alpha, got));
        referenceKernels.unaryParam(op, x, alpha, want);
        expectSame(got, want, `${op} ${alpha}`);
      }
    });
  }
  it('exp within 2 ulp of the reference over the whole range, exact at the specials', () => {
    const lo = T === Float32Array ? -110 : -750,
      hi = T === Float32Array ? 90 : 712,
      n = 200_001;
    const x = new T(n);
    for (let i = 0; i < n; i++) x[i] = lo + ((hi - lo) * i) / (n - 1);
    const got = new T(n),
      want = new T(n);
    wasmOnly('unary', () => wasmKernels.unary('exp', x, got));
    referenceKernels.unary('exp', x, want);
    let worst = 0;
    for (let i = 0; i < n; i++) worst = Math.max(worst, ulps(T, got[i]!, want[i]!));
    expect(worst).toBeLessThanOrEqual(2);
    const s = T.from([NaN, Infinity, -Infinity, 0, -0, 1e-40, 89, 710, -104, -746]);
    const gs = new T(s.length),
      ws = new T(s.length);
    wasmKernels.unary('exp', s, gs);
    referenceKernels.unary('exp', s, ws);
    for (let i = 0; i < s.length; i++) expect(ulps(T, gs[i]!, ws[i]!), `exp(${s[i]})`).toBeLessThanOrEqual(1);
  });
  it('log within 2 ulp of the reference from the smallest subnormal to the largest number, exact at the specials', () => {
    // Exponents spread over the whole range, then values near 1 (where log(1 + f) is small), then the specials.
    const lo = T === Float32Array ? -149 : -1074,
      hi = T === Float32Array ? 127.99 : 1023.99,
      n = 100_001;
    const x = new T(2 * n);
    for (let i = 0; i < n; i++) {
      x[i] = 2 ** (lo + ((hi - lo) * i) / (n - 1));
      x[n + i] = 0.5 + (1.5 * i) / (n - 1);
    }
    const got = new T(x.length),
      want = new T(x.length);
    wasmOnly('unary', () => wasmKernels.unary('log', x, got));
    referenceKernels.unary('log', x, want);
    let worst = 0;
    for (let i = 0; i < x.length; i++) worst = Math.max(worst, ulps(T, got[i]!, want[i]!));
    expect(worst).toBeLessThanOrEqual(2);
    const s = T.from([NaN, Infinity, -Infinity, 0, -0, -1, -1e-40, 1, 2 ** -149]);
    const gs = new T(s.length),
      ws = new T(s.length);
    wasmKernels.unary('log', s, gs);
    referenceKernels.unary('log', s, ws);
    expect([...gs.slice(0, 8)]).toEqual([NaN, Infinity, NaN, -Infinity, -Infinity, NaN, NaN, 0]);
    for (let i = 0; i < s.length; i++) expect(Object.is(gs[i], ws[i]), `log(${s[i]}): ${gs[i]} vs ${ws[i]}`).toBe(true);
  });
  for (const op of ['tanh', 'sigmoid'] as const)
    it(`${op} within 2 ulp of the reference over both of its forms and near 0, exact at the specials`, () => {
      // A grid over [−30, 30] (tanh switches form at |x| = 0.625), then ±2^−e for e up to the subnormals.
      const grid = 200_001,
        small = T === Float32Array ? 149 : 1074;
      const x = new T(grid + 2 * small);
      for (let i = 0; i < grid; i++) x[i] = -30 + (60 * i) / (grid - 1);
      for (let e = 1; e <= small; e++) {
        x[grid + 2 * e - 2] = 2 ** -e * 1.37;
        x[grid + 2 * e - 1] = -(2 ** -e) * 1.37;
      }
      const got = new T(x.length),
        want = new T(x.length);
      wasmOnly('unary', () => wasmKernels.unary(op, x, got));
      referenceKernels.unary(op, x, want);
      let worst = 0;
      for (let i = 0; i < x.length; i++) worst = Math.max(worst, ulps(T, got[i]!, want[i]!));
      expect(worst).toBeLessThanOrEqual(2);
      // NaN, ±∞, ±0 (tanh keeps the sign of zero), the smallest subnormal, ±1e30 (tanh ±1, sigmoid 1 and 0).
      const s = T.from([NaN, Infinity, -Infinity, 0, -0, 2 ** -149, -(2 ** -149), 1e30, -1e30, 0.625, -0.625]);
      const gs = new T(s.length),
        ws = new T(s.length);
      wasmKernels.unary(op, s, gs);
      referenceKernels.unary(op, s, ws);
      for (let i = 0; i < 9; i++) expect(Object.is(gs[i], ws[i]), `${op}(${s[i]}): ${gs[i]} vs ${ws[i]}`).toBe(true);
      expect([...gs.slice(0, 5)]).toEqual(op === 'tanh' ? [NaN, 1, -1, 0, -0] : [NaN, 1, 0, 0.5, 0.5]);
      for (let i = 9; i < s.length; i++) expect(ulps(T, gs[i]!, ws[i]!), `${op}(${s[i]})`).toBeLessThanOrEqual(1);
    });
});

describe.each(CTORS)('wasm activation backward and bias gradient, %s', (_, T) => {
  it('relu, leakyRelu, tanh and sigmoid backward bit for bit (g passes where x is NaN)', () => {
    for (const op of ['relu', 'leakyRelu', 'tanh', 'sigmoid'] as const) {
      const x = withValues(T, 101, specials(T), 4),
        g = withValues(T, 101, specials(T).reverse(), 5);
      const got = new T(101),
        want = new T(101);
      wasmOnly('activationGrad', () => wasmKernels.activationGrad(op, x, g, 0.01, got));
      referenceKernels.activationGrad(op, x, g, 0.01, want);
      expectSame(got, want, op);
    }
  });
  it('sums, maxima and minima over leading, middle and trailing dims of long rows; row sums within tolerance', () => {
    const cases: [number[], boolean[]][] = [
      [
        [37, 13],
        [true, false],
      ],
      [
        [4, 5, 7],
        [true, true, false],
      ],
      [
        [3, 257, 5],
        [false, true, false],
      ],
      [
        [5, 4099],
        [false, true],
      ],
      [
        [2, 3, 1001],
        [false, true, true],
      ],
      [
        [9, 1],
        [true, false],
      ],
    ];
    for (const op of ['sum', 'max', 'min'] as const)
      for (const [shape, reduced] of cases) {
        for (const x of [rand(T, sizeOf(shape), 9), withValues(T, sizeOf(shape), specials(T), 6)]) {
          const kept = shape.filter((_, d) => !reduced[d]);
          const got = new T(sizeOf(kept)).fill(NaN),
            want = new T(sizeOf(kept));
          wasmOnly('reduce', () => wasmKernels.reduce(op, x, shape, reduced, got));
          referenceKernels.reduce(op, x, shape, reduced, want);
          const run = oneRun(shape, reduced)!;
          if (op === 'sum' && run[2] === 1) expectSums(T, x, shape, run, got, want, `sum ${shape} ${reduced}`);
          else expectSame(got, want, `${op} ${shape} ${reduced}`);
        }
      }
  });
});

/** The activations of a short ReLU network step pass through these kernels: check an op-level result too. */
describe('through the ops', () => {
  it('relu(x)·2 + bias equals the reference composition', async () => {
    const { tensor, relu, add, mul } = await import('@xent/core');
    const { setKernels, kernels } = await import('@xent/core/extend');
    const x = tensor(Array.from(rand(Float32Array, 64 * 9, 7)), { dtype: 'float32' }).reshape([64, 9]);
    const b = tensor(Array.from(rand(Float32Array, 9, 8)), { dtype: 'float32' });
    const prev = setKernels(wasmKernels);
    const got = add(mul(relu(x), 2), b).data as Storage;
    setKernels(referenceKernels);
    const want = add(mul(relu(x), 2), b).data as Storage;
    setKernels(prev);
    expect(kernels()).toEqual(prev);
    expectSame(got, want, 'relu·2 + b');
  });
});
