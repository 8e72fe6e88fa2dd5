// Shared by the contract tests (contract-*.test.ts): the two size-limit regimes and the tolerance checks.
import { expect } from 'vitest';
import type { Storage } from '../../../packages/core/src/dtype.js';
import type { Kernels } from '../../../packages/core/src/kernels/types.js';
import { defaultWasmLimits, wasmLimits } from '../../../packages/core/src/kernels/wasm/wasm-kernels.js';
import { type Ctor, ulps, wasmOnly } from './helpers.js';

/** The two regimes: the shipped limits with operands above them, and limits 0 with the edge shapes. */
export type Mode = readonly [string, Readonly<{ min: number; matmul: number }>];
export const MODES: Mode[] = [
  ['shipped limits, above them', defaultWasmLimits],
  ['limits 0, edge shapes', { min: 0, matmul: 0 }],
];
export const big = (mode: Mode): boolean => mode[1].min > 0;
export const setLimits = (mode: Mode): void => void Object.assign(wasmLimits, mode[1]);

/** Runs f under wasmOnly(name) when `wasm` (the call must run in wasm), plainly otherwise. */
export const run = <T>(wasm: boolean, name: keyof Kernels, f: () => T): T => (wasm ? wasmOnly(name, f) : f());
export const nan = (T: Ctor, n: number): Storage => new T(n).fill(NaN);

/** Values within `max` ulp of the reference (NaN where it has NaN, ±∞ and ±0 exactly). */
export function expectUlps(
  T: Ctor,
  got: ArrayLike<number>,
  want: ArrayLike<number>,
  max: number | ((i: number) => number),
  what: string,
): void {
  expect(got.length, what).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const g = got[i]!,
      w = want[i]!,
      tol = typeof max === 'number' ? max : max(i);
    const ok = !Number.isFinite(w) || w === 0 ? Object.is(g, w) || (g !== g && w !== w) : ulps(T, g, w) <= tol;
    if (!ok) expect.fail(`${what}: at ${i} got ${g}, want ${w} (${ulps(T, g, w)} ulp)`);
  }
}

/** |Δ| ≤ tol·(1 + |ref|), NaN and ±∞ exactly, and a zero of the reference's sign where both are zero. */
export function expectClose(T: Ctor, got: ArrayLike<number>, want: ArrayLike<number>, what: string): void {
  const tol = T === Float32Array ? 4e-7 : 2e-15;
  expect(got.length, what).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const g = got[i]!,
      w = want[i]!;
    const ok = Number.isFinite(w)
      ? Math.abs(g - w) <= tol * (1 + Math.abs(w)) && (g !== 0 || w !== 0 || Object.is(g, w))
      : Object.is(g, w) || (g !== g && w !== w);
    if (!ok) expect.fail(`${what}: at ${i} got ${g}, want ${w}`);
  }
}

/** [outer, n, inner] when the reduced dims (size-1 dims aside) are one run of neighbours, as the wasm reduce needs. */
export function oneRun(shape: number[], reduced: boolean[]): [number, number, number] | null {
  const dims = shape.map((s, d) => [s, reduced[d]] as const).filter(([s]) => s !== 1);
  const first = dims.findIndex(([, r]) => r),
    last = dims.map(([, r]) => r).lastIndexOf(true);
  if (shape.length === 0 || (first >= 0 && dims.slice(first, last + 1).some(([, r]) => !r))) return null;
  const prod = (ds: (readonly [number, boolean])[]): number => ds.reduce((p, [s]) => p * s, 1);
  if (first < 0) return [prod(dims), 1, 1];
  return [prod(dims.slice(0, first)), prod(dims.slice(first, last + 1)), prod(dims.slice(last + 1))];
}

/**
 * Sums over rows (the last dims): the wasm kernel adds in float64 lanes and rounds once, the reference adds in order
 * and (float32) rounds after each last-dim row, so |Δ| ≤ tol·Σ|x| with tol covering both: (rows + 1)·2⁻²⁴ + n·2⁻⁵²
 * in float32 (rows: the last-dim rows in a sum), n·2⁻⁵² in float64; NaN and ±∞ exactly, a zero of the reference's sign.
 */
export function expectSums(
  T: Ctor,
  x: ArrayLike<number>,
  shape: number[],
  [, n]: [number, number, number],
  got: ArrayLike<number>,
  want: ArrayLike<number>,
  what: string,
): void {
  expect(got.length, what).toBe(want.length);
  const rows = n / (shape.at(-1) ?? 1);
  const tol = T === Float32Array ? (rows + 1) * 2 ** -24 + n * 2 ** -52 : n * 2 ** -52;
  for (let i = 0; i < want.length; i++) {
    let abs = 0;
    for (let j = 0; j < n; j++) abs += Math.abs(x[i * n + j]!);
    const g = got[i]!,
      w = want[i]!;
    const ok = Number.isFinite(w)
      ? Math.abs(g - w) <= tol * abs && (g !== 0 || w !== 0 || Object.is(g, w))
      : Object.is(g, w) || (g !== g && w !== w);
    if (!ok) expect.fail(`${what}: at ${i} got ${g}, want ${w}`);
  }
}
