// Shared helpers for the core tests (not a test file itself).
import { expect } from 'vitest';
import { Generator, type Tensor, rand, randn } from '@xent/core';

type Nested = number | Nested[];

/** Asserts two nested arrays (or numbers) have the same structure and values within `tol` (absolute + relative). */
export function expectClose(actual: Nested | Tensor, expected: Nested, tol = 1e-12): void {
  const a = typeof actual === 'object' && !Array.isArray(actual) ? (actual as Tensor).toArray() : actual;
  const walk = (x: Nested, y: Nested, path: string): void => {
    if (Array.isArray(y)) {
      expect(Array.isArray(x), `${path}: expected an array`).toBe(true);
      const xa = x as Nested[];
      expect(xa.length, `${path}: length`).toBe(y.length);
      y.forEach((v, i) => walk(xa[i]!, v, `${path}[${i}]`));
    } else {
      expect(typeof x, `${path}: expected a number`).toBe('number');
      const xn = x as number;
      if (Number.isNaN(y)) expect(xn, path).toBeNaN();
      else if (!Number.isFinite(y)) expect(xn, path).toBe(y);
      else expect(Math.abs(xn - y), `${path}: ${xn} vs ${y}`).toBeLessThanOrEqual(tol * (1 + Math.abs(y)));
    }
  };
  walk(a as Nested, expected, 'value');
}

/** A seeded standard-normal float64 tensor (optionally shifted away from a kink). */
export function rn(shape: number[], seed: number): Tensor {
  return randn(shape, { generator: new Generator(seed) });
}

/** Seeded uniform values in [lo, hi). */
export function ru(shape: number[], seed: number, lo: number, hi: number): Tensor {
  return rand(shape, { generator: new Generator(seed) })
    .mul(hi - lo)
    .add(lo);
}

/** Applies f to every element of a nested array. */
export function mapNested(x: Nested, f: (v: number) => number): Nested {
  return Array.isArray(x) ? x.map((v) => mapNested(v, f)) : f(x);
}
