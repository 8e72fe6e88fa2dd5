// Shared by the wasm kernel tests: storage makers, special values, ulp distance, and a guard that the wasm path ran.
import { expect } from 'vitest';
import type { Storage } from '../../../packages/core/src/dtype.js';
import { fastKernels } from '../../../packages/core/src/kernels/fast.js';
import type { Kernels } from '../../../packages/core/src/kernels/types.js';

export type Ctor = typeof Float32Array | typeof Float64Array;
export const CTORS: [string, Ctor][] = [
  ['float32', Float32Array],
  ['float64', Float64Array],
];

/** A deterministic pseudo-random array in [−1, 1) (an LCG, so failures reproduce). */
export function rand(T: Ctor, n: number, seed = 1): Storage {
  let s = seed >>> 0;
  const x = new T(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    x[i] = s / 2 ** 31 - 1;
  }
  return x;
}

/** NaN, ±0, ±∞, subnormals of the type, and ordinary values. */
export const specials = (T: Ctor): number[] => [
  NaN,
  0,
  -0,
  Infinity,
  -Infinity,
  T === Float32Array ? 1e-40 : 5e-310,
  T === Float32Array ? -3e-42 : -1e-320,
  1,
  -2.5,
  3e4,
  -7e-3,
];

/** The array's values at the given positions, cycling through `values`. */
export function withValues(T: Ctor, n: number, values: number[], seed = 3): Storage {
  const x = rand(T, n, seed);
  for (let i = 0; i < n; i++) if (i % 3 === 0) x[i] = values[(i / 3) % values.length]!;
  return x;
}

/** Distance in units in the last place between two numbers of the type (0 for equal values, NaN and NaN). */
export function ulps(T: Ctor, a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b) ? 0 : Infinity;
  if (a === b) return 0;
  if (T === Float32Array) {
    const i = new Int32Array(new Float32Array([a, b]).buffer);
    const key = (v: number): number => (v < 0 ? -(v & 0x7fffffff) : v);
    return Math.abs(key(i[0]!) - key(i[1]!));
  }
  const i = new BigInt64Array(new Float64Array([a, b]).buffer);
  const key = (v: bigint): bigint => (v < 0n ? -(v & 0x7fffffffffffffffn) : v);
  const d = key(i[0]!) - key(i[1]!);
  return Number(d < 0n ? -d : d);
}

/** Same values bit for bit (Object.is, so −0 ≠ +0; any NaN equals any NaN). */
export function expectSame(got: ArrayLike<number>, want: ArrayLike<number>, what: string): void {
  expect(got.length, what).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    if (!Object.is(got[i], want[i]) && !(Number.isNaN(got[i]) && Number.isNaN(want[i])))
      expect.fail(`${what}: at ${i} got ${got[i]}, want ${want[i]}`);
  }
}

/** Runs f with the TypeScript fallback of kernel `name` replaced by a throw: the wasm path must have run. */
export function wasmOnly<T>(name: keyof Kernels, f: () => T): T {
  const saved = fastKernels[name];
  (fastKernels as unknown as Record<string, unknown>)[name] = () => {
    throw new Error(`the wasm ${name} fell back to the TypeScript kernel`);
  };
  try {
    return f();
  } finally {
    (fastKernels as unknown as Record<string, unknown>)[name] = saved;
  }
}
