// AssemblyScript: vectorised tanh and sigmoid, float32 (f32x4) and float64 (f64x2), on top of exp.ts's exp.
// tanh is Cephes' (tanh.c, tanhf.c): below |x| = 0.625 an odd polynomial (float32) or rational function
// (float64) in x, where 1 − 2/(e^2|x| + 1) would cancel; above it that formula, with e^2|x| = +∞ giving 1. The sign
// is x's, so −0 stays −0. sigmoid is 1/(1 + e^−|x|) for x ≥ 0 and e^−|x|/(1 + e^−|x|) below, as the TypeScript
// reference computes it: e^−|x| ≤ 1 never overflows. Accuracy against the reference: see test/core/wasm.
import { exp32, exp64, expNonPositive32, expNonPositive64 } from './exp';

// The constants, one v128 of copies each (read with v128.load: see exp.ts on v128.const in loops). The first four
// sit at the same offsets in both tables: 0.625 (where tanh switches form) at 0, 1 at 16, 2 at 32, −0 (the sign
// bit) at 48; then tanh's near-zero coefficients from 64.
const T32 = memory.data<f32>(
  [
    0.625, 0.625, 0.625, 0.625,
    1, 1, 1, 1,
    2, 2, 2, 2,
    -0.0, -0.0, -0.0, -0.0,
    -5.70498872745e-3, -5.70498872745e-3, -5.70498872745e-3, -5.70498872745e-3, // 64: tanhf's P(z), highest first
    2.06390887954e-2, 2.06390887954e-2, 2.06390887954e-2, 2.06390887954e-2, // 80
    -5.37397155531e-2, -5.37397155531e-2, -5.37397155531e-2, -5.37397155531e-2, // 96
    1.33314422036e-1, 1.33314422036e-1, 1.33314422036e-1, 1.33314422036e-1, // 112
    -3.33332819422e-1, -3.33332819422e-1, -3.33332819422e-1, -3.33332819422e-1, // 128
  ],
  16,
);
const T64 = memory.data<f64>(
  [
    0.625, 0.625,
    1, 1,
    2, 2,
    -0.0, -0.0,
    -9.64399179425052238628e-1, -9.64399179425052238628e-1, // 64: tanh's P(z), highest first
    -9.92877231001918586564e1, -9.92877231001918586564e1, // 80
    -1.61468768441708447952e3, -1.61468768441708447952e3, // 96
    1.12811678491632931402e2, 1.12811678491632931402e2, // 112: Q(z) = z³ + …, from z²'s coefficient down
    2.23548839060100448583e3, 2.23548839060100448583e3, // 128
    4.84406305325125486048e3, 4.84406305325125486048e3, // 144
  ],
  16,
);

@inline function table<T>(): usize {
  return sizeof<T>() == 4 ? T32 : T64;
}

/** tanh, lane by lane; each form is computed only when a lane needs it (neighbouring lanes often agree). */
@inline export function tanh<T>(x: v128): v128 {
  const k = table<T>();
  const a = v128.abs<T>(x),
    small = v128.lt<T>(a, v128.load(k));
  let t: v128;
  if (!v128.any_true(small)) t = tanhFar<T>(a);
  else if (sizeof<T>() == 4 ? i32x4.all_true(small) : i64x2.all_true(small)) t = tanhNear<T>(a);
  else t = v128.bitselect(tanhNear<T>(a), tanhFar<T>(a), small);
  return v128.bitselect(x, t, v128.load(k, 48)); // x's sign bit, t's magnitude
}

/** tanh |x| = 1 − 2/(e^2|x| + 1), for |x| ≥ 0.625 (NaN and ∞ included). */
@inline function tanhFar<T>(a: v128): v128 {
  const k = table<T>(),
    one = v128.load(k, 16),
    a2 = v128.add<T>(a, a);
  const e = sizeof<T>() == 4 ? exp32(a2) : exp64(a2);
  return v128.sub<T>(one, v128.div<T>(v128.load(k, 32), v128.add<T>(e, one)));
}

/** tanh |x| for |x| < 0.625: |x| + |x|·z·P(z) in float32, |x| + |x|·z·P(z)/Q(z) in float64, z = x². */
@inline function tanhNear<T>(a: v128): v128 {
  const k = table<T>();
  const z = v128.mul<T>(a, a);
  let p = v128.add<T>(v128.mul<T>(v128.load(k, 64), z), v128.load(k, 80));
  p = v128.add<T>(v128.mul<T>(p, z), v128.load(k, 96));
  if (sizeof<T>() == 4) {
    p = v128.add<T>(v128.mul<T>(p, z), v128.load(k, 112));
    p = v128.add<T>(v128.mul<T>(p, z), v128.load(k, 128));
  } else {
    let q = v128.add<T>(z, v128.load(k, 112));
    q = v128.add<T>(v128.mul<T>(q, z), v128.load(k, 128));
    q = v128.add<T>(v128.mul<T>(q, z), v128.load(k, 144));
    p = v128.div<T>(p, q);
  }
  return v128.add<T>(v128.mul<T>(v128.mul<T>(z, p), a), a);
}

/** sigmoid, lane by lane: e = e^−|x|, then (x ≥ 0 ? 1 : e)/(1 + e). */
@inline export function sigmoid<T>(x: v128): v128 {
  const one = v128.load(table<T>(), 16);
  const m = v128.neg<T>(v128.abs<T>(x)); // −|x|, NaN stays NaN
  const e = sizeof<T>() == 4 ? expNonPositive32(m) : expNonPositive64(m);
  return v128.div<T>(v128.bitselect(one, e, v128.ge<T>(x, v128.splat<T>(0))), v128.add<T>(one, e));
}
