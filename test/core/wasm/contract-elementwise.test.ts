// Every method of the kernel contract the wasm set overrides, against the reference
// kernels: at the shipped size limits with operands above them (what users run), and at limits 0 on the edge shape
// classes (odd sizes, one row, one column, k = 1, empty, every transpose, batched and broadcast-batched matmul, same
// shape / scalar / row / column broadcasts), float32 and float64, with NaN, ±0, ±∞ and subnormals in the data,
// outputs pre-filled with NaN so a missed or stray write shows. Where the call is one the wasm path covers, the
// TypeScript fallback is replaced by a throw (wasmOnly): the wasm kernel must have run. Tolerances (docs/backends.md):
//   bit for bit: add, sub, mul, div, maximum, minimum, comparisons, neg, abs, sqrt, square, reciprocal, clamp,
//     leakyRelu, activation backward, sums over leading or middle dims (the bias gradient), max, min, cross-entropy
//     backward, the loss's denominators, SGD, Adam (correctly rounded, or float64 lanes rounded once)
//   sums over the last dims: |Δ| ≤ tol·Σ|x| (expectSums in contract-helpers.ts)
//   exp, log, tanh, sigmoid: 2 ulp; erf 8 and softplus 4 in float64, 1 in float32
//   softmax: 4 + |x − max| ulp in float32 (x − max formed in float32), 8 ulp in float64
//   log-softmax, loss: |Δ| ≤ tol·(1 + |ref|), tol 4e-7 (float32) / 2e-15 (float64), zeros of the same sign
//   matmul: |Δ| ≤ tol·Σ|a·b|, tol 2e-6 (float32: the wasm kernel accumulates in float32) / 1e-14 (float64)
// (Here: the elementwise kernels and the reductions; contract-matmul-softmax.test.ts has the rest.)
import { afterAll, describe, expect, it } from 'vitest';
import { fastKernels } from '../../../packages/core/src/kernels/fast.js';
import { referenceKernels } from '../../../packages/core/src/kernels/reference.js';
import type { BinaryOp, Kernels, UnaryOp } from '../../../packages/core/src/kernels/types.js';
import { wasmKernels, wasmLimits } from '../../../packages/core/src/kernels/wasm/wasm-kernels.js';
import { broadcastShapes, broadcastStrides, sizeOf } from '../../../packages/core/src/shape.js';
import { CTORS, expectSame, rand, specials, wasmOnly, withValues } from './helpers.js';
import { MODES, type Mode, big, expectSums, expectUlps, nan, oneRun, run, setLimits } from './contract-helpers.js';

const saved = { ...wasmLimits };
afterAll(() => Object.assign(wasmLimits, saved));

it('the contract tests cover every method the wasm set overrides', () => {
  const overridden = (Object.keys(wasmKernels) as (keyof Kernels)[]).filter((k) => wasmKernels[k] !== fastKernels[k]);
  expect(overridden.sort()).toEqual(
    [
      'activationGrad',
      'adamUpdate',
      'binary',
      'crossEntropy',
      'crossEntropyBackward',
      'matmul',
      'reduce',
      'sgdUpdate',
      'softmax',
      'unary',
      'unaryParam',
    ].sort(),
  );
});

/** Operand shape pairs: same shape, scalar, row, column (either side), leading/trailing broadcast, outer, empty. */
const pairs = (big: boolean): [number[], number[]][] => {
  const [r, c] = big ? [9, 13] : [3, 5];
  return [
    [
      [r, c],
      [r, c],
    ],
    [[r, c], []],
    [[], [r, c]],
    [[r, c], [c]],
    [
      [1, c],
      [r, c],
    ],
    [
      [r, c],
      [r, 1],
    ],
    [
      [r, 1],
      [r, c],
    ],
    [
      [r, 1],
      [1, c],
    ],
    [
      [1, r * c],
      [1, r * c],
    ],
    [
      [r * c, 1],
      [r * c, 1],
    ],
    [[1, r * c], []],
    [[r * c, 1], [1]],
    [
      [2, r, c],
      [r, c],
    ],
    [
      [2, r, c],
      [2, r, 1],
    ],
    [
      [2, 1, c],
      [2, r, c],
    ],
    [[0, c], [c]],
    [[r, 0], []],
  ];
};
/** Whether binary runs the call in wasm: every op but pow, and a 2-D view of both operands exists. */
const inWasm = (op: BinaryOp, sa: number[], n: number): boolean =>
  op !== 'pow' && n > 0 && n >= wasmLimits.min && !(sa.length === 3 && sa[1] === 1);

describe.each(MODES)('binary, %s', (...mode) => {
  describe.each(CTORS)('%s', (_, T) => {
    const ops: BinaryOp[] = [
      'add',
      'sub',
      'mul',
      'div',
      'pow',
      'maximum',
      'minimum',
      'eq',
      'ne',
      'gt',
      'ge',
      'lt',
      'le',
    ];
    it.each(ops)('%s: every broadcast pattern, specials, bit for bit; in place on either operand', (op) => {
      setLimits(mode);
      for (const [sa, sb] of pairs(big(mode))) {
        const shape = broadcastShapes(sa, sb, 'test'),
          n = sizeOf(shape);
        const a = withValues(T, sizeOf(sa), specials(T), 1),
          b = withValues(T, sizeOf(sb), specials(T).reverse(), 2);
        const as = broadcastStrides(sa, shape),
          bs = broadcastStrides(sb, shape);
        const got = nan(T, n),
          want = new T(n);
        run(inWasm(op, sa, n), 'binary', () => wasmKernels.binary(op, a, as, b, bs, shape, got));
        referenceKernels.binary(op, a, as, b, bs, shape, want);
        const what = `${op} ${JSON.stringify(sa)} ${JSON.stringify(sb)}`;
        expectSame(got, want, what);
        if (sizeOf(sa) === n) {
          const a2 = a.slice();
          wasmKernels.binary(op, a2, as, b, bs, shape, a2);
          expectSame(a2, want, `${what}, out = a`);
        }
        if (sizeOf(sb) === n) {
          const b2 = b.slice();
          wasmKernels.binary(op, a, as, b2, bs, shape, b2);
          expectSame(b2, want, `${what}, out = b`);
        }
      }
    });
    it('maximum and minimum of tied zeros and equal values: the second operand, as the reference', () => {
      setLimits(mode);
      const n = 64; // four pairs repeated: (+0, −0), (−0, +0), (+0, +0), (−0, −0)
      const a = new T(n).map((_, i) => (i % 4 === 0 || i % 4 === 2 ? 0 : -0)),
        b = new T(n).map((_, i) => (i % 4 === 1 || i % 4 === 2 ? 0 : -0));
      for (const op of ['maximum', 'minimum'] as const) {
        const got = nan(T, n),
          want = new T(n);
        run(true, 'binary', () => wasmKernels.binary(op, a, [1], b, [1], [n], got));
        referenceKernels.binary(op, a, [1], b, [1], [n], want);
        expectSame(got, want, op);
      }
    });
    it('mixed float32/float64 operands (the TypeScript kernel) give the reference result', () => {
      setLimits(mode);
      const U = T === Float32Array ? Float64Array : Float32Array,
        n = big(mode) ? 100 : 5;
      const a = rand(T, n, 1),
        b = rand(U, n, 2),
        got = nan(T, n),
        want = new T(n);
      wasmKernels.binary('mul', a, [1], b, [1], [n], got);
      referenceKernels.binary('mul', a, [1], b, [1], [n], want);
      expectSame(got, want, 'mixed');
    });
  });
});

describe.each(MODES)('unary and unaryParam, %s', (...mode) => {
  describe.each(CTORS)('%s', (_, T) => {
    const n = (m: Mode): number => (big(m) ? 1003 : 7);
    const ops: UnaryOp[] = [
      'neg',
      'exp',
      'log',
      'sqrt',
      'abs',
      'tanh',
      'sigmoid',
      'square',
      'reciprocal',
      'sin',
      'cos',
      'softplus',
      'erf',
    ];
    it.each(ops)('%s: specials, odd length, empty, in place', (op) => {
      setLimits(mode);
      const wasmOp = !['sin', 'cos'].includes(op);
      // within a few ulp, not bit for bit: 2 (exp, log, tanh, sigmoid), erf 8 and softplus 4 in float64 (1 in float32)
      const f64 = T === Float64Array;
      const approx = { exp: 2, log: 2, tanh: 2, sigmoid: 2, erf: f64 ? 8 : 1, softplus: f64 ? 4 : 1 }[op as string];
      for (const len of [n(mode), 0]) {
        const x = withValues(T, len, specials(T)),
          got = nan(T, len),
          want = new T(len);
        run(wasmOp && len > 0, 'unary', () => wasmKernels.unary(op, x, got));
        referenceKernels.unary(op, x, want);
        if (approx) expectUlps(T, got, want, approx, op);
        else expectSame(got, want, op);
        const y = x.slice();
        wasmKernels.unary(op, y, y);
        if (approx) expectUlps(T, y, want, approx, `${op} in place`);
        else expectSame(y, want, `${op} in place`);
      }
    });
    it('clampMin, clampMax and leakyRelu at 0, −0, 0.1 and 1/3 (not float32), ±∞, NaN, 1e300; powScalar falls back', () => {
      setLimits(mode);
      const len = n(mode);
      for (const op of ['clampMin', 'clampMax', 'leakyRelu', 'powScalar'] as const)
        for (const alpha of [0, -0, 0.1, 1 / 3, 0.01, Infinity, -Infinity, NaN, 1e300, -2.5]) {
          const x = withValues(T, len, specials(T)),
            got = nan(T, len),
            want = new T(len);
          run(op !== 'powScalar', 'unaryParam', () => wasmKernels.unaryParam(op, x, alpha, got));
          referenceKernels.unaryParam(op, x, alpha, want);
          expectSame(got, want, `${op} ${alpha}`);
          wasmKernels.unaryParam(op, x, alpha, x);
          expectSame(x, want, `${op} ${alpha} in place`);
        }
    });
  });
});

describe.each(MODES)('activationGrad and reduce, %s', (...mode) => {
  describe.each(CTORS)('%s', (_, T) => {
    it('relu, leakyRelu, tanh and sigmoid backward, alpha 0.01 and 0.1, specials in x and g, bit for bit, in place (out = g)', () => {
      setLimits(mode);
      const len = big(mode) ? 1001 : 5;
      for (const op of ['relu', 'leakyRelu', 'tanh', 'sigmoid'] as const)
        for (const alpha of [0.01, 0.1, 0]) {
          const x = withValues(T, len, specials(T), 4),
            g = withValues(T, len, specials(T).reverse(), 5);
          const got = nan(T, len),
            want = new T(len);
          wasmOnly('activationGrad', () => wasmKernels.activationGrad(op, x, g, alpha, got));
          referenceKernels.activationGrad(op, x, g, alpha, want);
          expectSame(got, want, `${op} ${alpha}`);
          wasmKernels.activationGrad(op, x, g, alpha, g);
          expectSame(g, want, `${op} ${alpha} in place`);
        }
    });
    it('sum, max and min over every run of neighbouring dims in wasm (others as the reference): bit for bit, row sums within tolerance', () => {
      setLimits(mode);
      const [r, c] = big(mode) ? [37, 13] : [3, 5];
      const cases: [number[], boolean[]][] = [
        [
          [r, c],
          [true, false],
        ],
        [
          [r, c],
          [false, true],
        ],
        [
          [r, c],
          [true, true],
        ],
        [
          [2, r, c],
          [true, true, false],
        ],
        [
          [2, r, c],
          [true, false, false],
        ],
        [
          [2, r, c],
          [false, true, false],
        ],
        [
          [2, r, c],
          [false, true, true],
        ],
        [
          [2, r, c],
          [false, false, true],
        ],
        [
          [2, r, c],
          [true, false, true],
        ], // two runs: the TypeScript kernel
        [
          [r, 1, c],
          [true, false, true],
        ], // one run once the size-1 dim is set aside
        [
          [r, c],
          [false, false],
        ],
        [
          [1, r * c],
          [true, false],
        ],
        [
          [r * c, 1],
          [true, false],
        ],
        [[r * c], [true]],
        [
          [0, c],
          [true, false],
        ],
        [
          [c, 0],
          [true, false],
        ],
        [[], []],
      ];
      for (const op of ['sum', 'max', 'min'] as const)
        for (const [shape, reduced] of cases) {
          const x = withValues(T, sizeOf(shape), specials(T), 6);
          const kept = shape.filter((_, d) => !reduced[d]);
          const got = nan(T, sizeOf(kept)),
            want = new T(sizeOf(kept));
          const run1 = oneRun(shape, reduced);
          run(run1 !== null && x.length > 0 && x.length >= wasmLimits.min, 'reduce', () =>
            wasmKernels.reduce(op, x, shape, reduced, got),
          );
          referenceKernels.reduce(op, x, shape, reduced, want);
          const what = `${op} ${JSON.stringify(shape)} ${reduced}`;
          if (op === 'sum' && run1 !== null && run1[2] === 1) expectSums(T, x, shape, run1, got, want, what);
          else expectSame(got, want, what);
        }
    });
    it('max and min of rows whose extremum is a zero: the sign the reference gives (the first of the tied zeros)', () => {
      setLimits(mode);
      const n = 37;
      for (const first of [0, -0]) {
        const x = new T(3 * n).fill(-1);
        let z = first; // zeros of alternating sign at every fifth place, the others −1
        for (let i = 0; i < 3 * n; i += 5, z = Object.is(z, 0) ? -0 : 0) x[i] = z;
        for (const op of ['max', 'min'] as const) {
          const y = op === 'max' ? x : x.map((v) => -v);
          const got = nan(T, 3),
            want = new T(3);
          run(3 * n >= wasmLimits.min, 'reduce', () => wasmKernels.reduce(op, y, [3, n], [false, true], got));
          referenceKernels.reduce(op, y, [3, n], [false, true], want);
          expectSame(got, want, `${op}, first zero ${Object.is(first, -0) ? '−0' : '+0'}`);
        }
      }
    });
  });
});
