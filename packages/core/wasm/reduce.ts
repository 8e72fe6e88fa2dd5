// AssemblyScript: reductions over the middle axis of x viewed as [outer, n, inner], out[o, j] = op over r of
// x[o, r, j], float32 (f32x4) or float64 (f64x2). Two shapes of loop:
//   columns (inner > 1: a bias gradient, a sum over a middle dim): lanes across j, the rows r in order, each step
//     rounded to T, as the reference does: bit for bit.
//   rows (inner = 1: a sum or max over the last dims): lanes across r. max and min combine the lanes with the
//     reference's rule; a row whose result is a zero is redone in order, since which of −0 and +0 wins a tie depends
//     on the order. sum adds in float64 lanes (float32 values promoted) and rounds once: not the reference's order,
//     so it agrees within the tolerance docs/backends.md states.

import { ld2 } from './lanes';

const SUM = 0, MAX = 1;

/** The reference's rule, lane by lane: v replaces r when it is larger (max) or smaller (min), or is NaN. */
@inline function vpick<T>(op: i32, r: v128, v: v128): v128 {
  const better = op == MAX ? v128.gt<T>(v, r) : v128.lt<T>(v, r);
  return v128.bitselect(v, r, v128.or(better, v128.ne<T>(v, v)));
}
@inline function pick<T>(op: i32, r: T, v: T): T {
  return (op == MAX ? v > r : v < r) || v != v ? v : r;
}
@inline function start<T>(op: i32): T {
  return op == SUM ? <T>0 : op == MAX ? <T>-Infinity : <T>Infinity;
}

function columns<T>(op: i32, x: usize, outer: i32, n: i32, inner: i32, out: usize): void {
  const S = sizeof<T>(), L = <i32>(16 / S), init = start<T>(op);
  for (let o = 0; o < outer; o++) {
    const po = out + <usize>o * inner * S, px0 = x + <usize>o * n * inner * S;
    for (let j = 0; j < inner; j++) store<T>(po + j * S, init);
    for (let r = 0; r < n; r++) {
      const px = px0 + <usize>r * inner * S;
      let j = 0;
      if (op == SUM) {
        for (; j + L <= inner; j += L) v128.store(po + j * S, v128.add<T>(v128.load(po + j * S), v128.load(px + j * S)));
        for (; j < inner; j++) store<T>(po + j * S, load<T>(po + j * S) + load<T>(px + j * S));
      } else {
        for (; j + L <= inner; j += L) v128.store(po + j * S, vpick<T>(op, v128.load(po + j * S), v128.load(px + j * S)));
        for (; j < inner; j++) store<T>(po + j * S, pick<T>(op, load<T>(po + j * S), load<T>(px + j * S)));
      }
    }
  }
}

/** Σ of n values at px, in four float64x2 accumulators, returned unrounded. */
@inline function sumRow<T>(px: usize, n: i32): f64 {
  const S = sizeof<T>();
  let a0 = f64x2.splat(0), a1 = f64x2.splat(0), a2 = f64x2.splat(0), a3 = f64x2.splat(0);
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const p = px + <usize>i * S;
    a0 = f64x2.add(a0, ld2<T>(p));
    a1 = f64x2.add(a1, ld2<T>(p + 2 * S));
    a2 = f64x2.add(a2, ld2<T>(p + 4 * S));
    a3 = f64x2.add(a3, ld2<T>(p + 6 * S));
  }
  const a = f64x2.add(f64x2.add(a0, a1), f64x2.add(a2, a3));
  let s = f64x2.extract_lane(a, 0) + f64x2.extract_lane(a, 1);
  for (; i < n; i++) s += <f64>load<T>(px + <usize>i * S);
  return s;
}

/** r combined with each lane of v in turn. */
@inline function lanes<T>(op: i32, r: T, v: v128): T {
  if (sizeof<T>() == 8) return pick<T>(op, pick<T>(op, r, <T>f64x2.extract_lane(v, 0)), <T>f64x2.extract_lane(v, 1));
  r = pick<T>(op, pick<T>(op, r, <T>f32x4.extract_lane(v, 0)), <T>f32x4.extract_lane(v, 1));
  return pick<T>(op, pick<T>(op, r, <T>f32x4.extract_lane(v, 2)), <T>f32x4.extract_lane(v, 3));
}

/** max or min of n values at px: lanes, then the lanes and the tail in order; a zero result redone in order. */
@inline function extremumRow<T>(op: i32, px: usize, n: i32): T {
  const S = sizeof<T>(), L = <i32>(16 / S), init = start<T>(op);
  let r0 = v128.splat<T>(init), r1 = r0;
  let i = 0;
  for (; i + 2 * L <= n; i += 2 * L) {
    r0 = vpick<T>(op, r0, v128.load(px + <usize>i * S));
    r1 = vpick<T>(op, r1, v128.load(px + <usize>(i + L) * S));
  }
  let r = lanes<T>(op, lanes<T>(op, init, r0), r1);
  for (; i < n; i++) r = pick<T>(op, r, load<T>(px + <usize>i * S));
  if (r == 0) {
    r = init;
    for (let k = 0; k < n; k++) r = pick<T>(op, r, load<T>(px + <usize>k * S));
  }
  return r;
}

function rows<T>(op: i32, x: usize, outer: i32, n: i32, out: usize): void {
  const S = sizeof<T>();
  for (let o = 0; o < outer; o++) {
    const px = x + <usize>o * n * S;
    store<T>(out + <usize>o * S, op == SUM ? <T>sumRow<T>(px, n) : extremumRow<T>(op, px, n));
  }
}

/** out[o·inner + j] = op over r < n of x[(o·n + r)·inner + j]; op 0 sum, 1 max, 2 min; n ≥ 1. */
function reduce<T>(op: i32, x: usize, outer: i32, n: i32, inner: i32, out: usize): void {
  if (inner == 1) rows<T>(op, x, outer, n, out);
  else columns<T>(op, x, outer, n, inner, out);
}
export function reduce32(op: i32, x: usize, outer: i32, n: i32, inner: i32, out: usize): void {
  reduce<f32>(op, x, outer, n, inner, out);
}
export function reduce64(op: i32, x: usize, outer: i32, n: i32, inner: i32, out: usize): void {
  reduce<f64>(op, x, outer, n, inner, out);
}
