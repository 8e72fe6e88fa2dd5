// AssemblyScript: vectorised tanh and sigmoid, float32 (f32x4) and float64 (f64x2), on top of exp.ts's exp.
// tanh is Cephes' (tanh.c, tanhf.c): below |x| = 0.625 an odd polynomial (float32) or rational function
// (float64) in x, where 1 − 2/(e^2|x| + 1) would cancel; above it that formula, with e^2|x| = +∞ giving 1. The sign
// is x's, so −0 stays −0. sigmoid is 1/(1 + e^−|x|) for x ≥ 0 and e^−|x|/(1 + e^−|x|) below, as the TypeScript
// reference computes it: e^−|x| ≤ 1 never overflows. Accuracy against the reference: see test/core/wasm.
import { exp32, exp64, expNonPositive32, expNonPositive64 } from './exp';

/** Four copies of each float32 constant (read with v128.load: see exp.ts on v128.const in loops). */
const T32 = memory.data<f32>(
  [
    0.625, 0.625, 0.625, 0.625, // 0: the switch between the two forms of tanh
    1, 1, 1, 1, // 16
    2, 2, 2, 2, // 32
    -5.70498872745e-3, -5.70498872745e-3, -5.70498872745e-3, -5.70498872745e-3, // 48: tanhf's P(z), highest first
    2.06390887954e-2, 2.06390887954e-2, 2.06390887954e-2, 2.06390887954e-2, // 64
    -5.37397155531e-2, -5.37397155531e-2, -5.37397155531e-2, -5.37397155531e-2, // 80
    1.33314422036e-1, 1.33314422036e-1, 1.33314422036e-1, 1.33314422036e-1, // 96
    -3.33332819422e-1, -3.33332819422e-1, -3.33332819422e-1, -3.33332819422e-1, // 112
    -0.0, -0.0, -0.0, -0.0, // 128: the sign bit
  ],
  16,
);

/** tanh on four float32 lanes; each form is computed only when a lane needs it. */
@inline export function tanh32(x: v128): v128 {
  const k = T32;
  const a = f32x4.abs(x),
    small = f32x4.lt(a, v128.load(k));
  let t: v128;
  if (!v128.any_true(small)) t = tanhFar32(a);
  else if (i32x4.all_true(small)) t = tanhNear32(a);
  else t = v128.bitselect(tanhNear32(a), tanhFar32(a), small);
  return v128.bitselect(x, t, v128.load(k, 128)); // x's sign bit, t's magnitude
}

/** tanh |x| = 1 − 2/(e^2|x| + 1), for |x| ≥ 0.625 (NaN and ∞ included). */
@inline function tanhFar32(a: v128): v128 {
  const one = v128.load(T32, 16);
  return f32x4.sub(one, f32x4.div(v128.load(T32, 32), f32x4.add(exp32(f32x4.add(a, a)), one)));
}

/** tanh |x| = |x| + |x|·z·P(z), z = x², for |x| < 0.625. */
@inline function tanhNear32(a: v128): v128 {
  const k = T32;
  const z = f32x4.mul(a, a);
  let p = f32x4.add(f32x4.mul(v128.load(k, 48), z), v128.load(k, 64));
  p = f32x4.add(f32x4.mul(p, z), v128.load(k, 80));
  p = f32x4.add(f32x4.mul(p, z), v128.load(k, 96));
  p = f32x4.add(f32x4.mul(p, z), v128.load(k, 112));
  return f32x4.add(f32x4.mul(f32x4.mul(p, z), a), a);
}

/** sigmoid on four float32 lanes. */
@inline export function sigmoid32(x: v128): v128 {
  const one = v128.load(T32, 16);
  const e = expNonPositive32(f32x4.neg(f32x4.abs(x))); // e^−|x|, NaN stays NaN
  return f32x4.div(v128.bitselect(one, e, f32x4.ge(x, f32x4.splat(0))), f32x4.add(one, e));
}

/** Two copies of each float64 constant. */
const T64 = memory.data<f64>(
  [
    0.625, 0.625, // 0
    1, 1, // 16
    2, 2, // 32
    -9.64399179425052238628e-1, -9.64399179425052238628e-1, // 48: tanh's P(z), highest first
    -9.92877231001918586564e1, -9.92877231001918586564e1, // 64
    -1.61468768441708447952e3, -1.61468768441708447952e3, // 80
    1.12811678491632931402e2, 1.12811678491632931402e2, // 96: Q(z) = z³ + …, from z²'s coefficient down
    2.23548839060100448583e3, 2.23548839060100448583e3, // 112
    4.84406305325125486048e3, 4.84406305325125486048e3, // 128
    -0.0, -0.0, // 144: the sign bit
  ],
  16,
);

/** tanh on two float64 lanes; each form is computed only when a lane needs it (both lanes often agree). */
@inline export function tanh64(x: v128): v128 {
  const k = T64;
  const a = f64x2.abs(x),
    small = f64x2.lt(a, v128.load(k));
  let t: v128;
  if (!v128.any_true(small)) t = tanhFar64(a);
  else if (i64x2.all_true(small)) t = tanhNear64(a);
  else t = v128.bitselect(tanhNear64(a), tanhFar64(a), small);
  return v128.bitselect(x, t, v128.load(k, 144)); // x's sign bit, t's magnitude
}

/** tanh |x| = 1 − 2/(e^2|x| + 1), for |x| ≥ 0.625 (NaN and ∞ included). */
@inline function tanhFar64(a: v128): v128 {
  const one = v128.load(T64, 16);
  return f64x2.sub(one, f64x2.div(v128.load(T64, 32), f64x2.add(exp64(f64x2.add(a, a)), one)));
}

/** tanh |x| = |x| + |x|·z·P(z)/Q(z), z = x², for |x| < 0.625. */
@inline function tanhNear64(a: v128): v128 {
  const k = T64;
  const z = f64x2.mul(a, a);
  let p = f64x2.add(f64x2.mul(v128.load(k, 48), z), v128.load(k, 64));
  p = f64x2.add(f64x2.mul(p, z), v128.load(k, 80));
  let q = f64x2.add(z, v128.load(k, 96));
  q = f64x2.add(f64x2.mul(q, z), v128.load(k, 112));
  q = f64x2.add(f64x2.mul(q, z), v128.load(k, 128));
  return f64x2.add(f64x2.mul(f64x2.mul(z, f64x2.div(p, q)), a), a);
}

/** sigmoid on two float64 lanes. */
@inline export function sigmoid64(x: v128): v128 {
  const one = v128.load(T64, 16);
  const e = expNonPositive64(f64x2.neg(f64x2.abs(x)));
  return f64x2.div(v128.bitselect(one, e, f64x2.ge(x, f64x2.splat(0))), f64x2.add(one, e));
}
