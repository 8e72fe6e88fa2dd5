// erf and softplus: the wasm kernels, the 'ts' backend's (fastKernels) and the reference, against the C library's
// erf (test/core/fixtures/erf.json, from Python's math.erf, within 1 ulp of the true value) and against each other
// over a dense grid with the specials. Stated (docs/backends.md): the wasm and 'ts' erf within 2 ulp of the true
// value in float64, the reference's within 8; each within 8 of the reference in float64 and 1 in float32 (all form
// it in float64 and round once); softplus within 4 ulp in float64 and 1 in float32.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fastKernels } from '../../../packages/core/src/kernels/fast.js';
import { referenceKernels } from '../../../packages/core/src/kernels/reference.js';
import { wasmKernels, wasmLimits } from '../../../packages/core/src/kernels/wasm/wasm-kernels.js';
import { expectUlps } from './contract-helpers.js';
import { CTORS, specials, wasmOnly } from './helpers.js';

const saved = { ...wasmLimits };
afterAll(() => Object.assign(wasmLimits, saved));

const fx = JSON.parse(readFileSync(resolve(__dirname, '../fixtures/erf.json'), 'utf8')) as {
  x: number[];
  erf: number[];
};

describe('erf against the C library (fixtures/erf.json)', () => {
  const x = Float64Array.from(fx.x);
  it("float64: wasm and the 'ts' backend's within 2 ulp, the reference within 8, ±1 and the signs exact", () => {
    wasmLimits.min = 0;
    const w = new Float64Array(x.length),
      f = new Float64Array(x.length),
      r = new Float64Array(x.length);
    wasmOnly('unary', () => wasmKernels.unary('erf', x, w));
    fastKernels.unary('erf', x, f);
    referenceKernels.unary('erf', x, r);
    expectUlps(Float64Array, w, fx.erf, 2, 'wasm erf');
    expectUlps(Float64Array, f, fx.erf, 2, 'ts erf');
    expectUlps(Float64Array, r, fx.erf, 8, 'reference erf');
  });
  it('float32: wasm and the reference within 1 ulp of the true value rounded to float32', () => {
    wasmLimits.min = 0;
    const x32 = Float32Array.from(fx.x),
      want = Float64Array.from(fx.x, (v, i) => (Math.fround(v) === v ? fx.erf[i]! : NaN));
    const w = new Float32Array(x.length),
      r = new Float32Array(x.length);
    wasmOnly('unary', () => wasmKernels.unary('erf', x32, w));
    referenceKernels.unary('erf', x32, r);
    const exact = [...want.keys()].filter((i) => !Number.isNaN(want[i])); // the points that are float32 values
    expect(exact.length).toBeGreaterThan(900);
    const pick = (a: ArrayLike<number>): number[] => exact.map((i) => a[i]!);
    const want32 = pick(want).map(Math.fround);
    expectUlps(Float32Array, pick(w), want32, 1, 'wasm erf');
    expectUlps(Float32Array, pick(r), want32, 1, 'reference erf');
  });
});

describe.each(CTORS)('erf and softplus, wasm against the reference, %s', (_, T) => {
  const grid = (): InstanceType<typeof T> => {
    const n = 200_003,
      x = new T(n);
    for (let i = 0; i < n; i++)
      x[i] = i % 2 ? ((i / n) * 2 - 1) * 40 : Math.sign((i % 4) - 1) * Math.exp((i / n - 0.5) * 200);
    specials(T).forEach((v, i) => (x[i * 7] = v));
    return x as InstanceType<typeof T>;
  };
  it.each([
    ['erf', T === Float32Array ? 1 : 8],
    ['softplus', T === Float32Array ? 1 : 4],
  ] as const)('%s within %i ulp, the specials exact, in place', (op, tol) => {
    wasmLimits.min = 0;
    const x = grid(),
      got = new T(x.length),
      want = new T(x.length);
    wasmOnly('unary', () => wasmKernels.unary(op, x, got));
    referenceKernels.unary(op, x, want);
    expectUlps(T, got, want, tol, op);
    const fast = new T(x.length);
    fastKernels.unary(op, x, fast);
    expectUlps(T, fast, want, tol, `${op}, the 'ts' backend's`);
    wasmKernels.unary(op, x, x);
    expectUlps(T, x, want, tol, `${op} in place`);
  });
});
