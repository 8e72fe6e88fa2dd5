// AssemblyScript: erf and softplus, vectorised, in float64 lanes (float32 values promoted, each result rounded once
// to float32), on the vectorised exp and log. Within a few ulp of the TypeScript reference (docs/backends.md).
import { exp64 } from './exp';
import { high, narrow } from './lanes';
import { log64 } from './log';

/**
 * The rational approximations of erf from fdlibm's s_erf.c (Sun Microsystems, 1993; "Permission to use, copy,
 * modify, and distribute this software is freely granted, provided that this notice is preserved"), by interval of
 * |x|, each polynomial's coefficients lowest first, the denominators' leading 1 left out.
 */
const ERF = memory.data<f64>([
  // 0: |x| < 0.84375: erf = x + x·P(z)/Q(z), z = x²; P pp0..pp4 (0), Q qq1..qq5 (40)
  1.28379167095512558561e-1, -3.25042107247001499370e-1, -2.84817495755985104766e-2, -5.77027029648944159157e-3,
  -2.37630166566501626084e-5,
  3.97917223959155352819e-1, 6.50222499887672944485e-2, 5.08130628187576562776e-3, 1.32494738004321644526e-4,
  -3.96022827877536812320e-6,
  // 80: |x| < 1.25: erf = erx + P(s)/Q(s), s = |x| − 1; P pa0..pa6 (80), Q qa1..qa6 (136)
  -2.36211856075265944077e-3, 4.14856118683748331666e-1, -3.72207876035701323847e-1, 3.18346619901161753674e-1,
  -1.10894694282396677476e-1, 3.54783043256182359371e-2, -2.16637559486879084300e-3,
  1.06420880400844228286e-1, 5.40397917702171048937e-1, 7.18286544141962662868e-2, 1.26171219808761642112e-1,
  1.36370839120290507362e-2, 1.19844998467991074170e-2,
  // 184: |x| < 1/0.35: 1 − erf = e^(−x² − 0.5625 + R(s)/S(s))/|x|, s = 1/x²; R ra0..ra7 (184), S sa1..sa8 (248)
  -9.86494403484714822705e-3, -6.93858572707181764372e-1, -1.05586262253232909814e1, -6.23753324503260060396e1,
  -1.62396669462573470355e2, -1.84605092906711035994e2, -8.12874355063065934246e1, -9.81432934416914548592,
  1.96512716674392571292e1, 1.37657754143519042600e2, 4.34565877475229228821e2, 6.45387271733267880336e2,
  4.29008140027567833386e2, 1.08635005541779435134e2, 6.57024977031928170135, -6.04244152148580987438e-2,
  // 312: |x| < 6: the same with R rb0..rb6 (312), S sb1..sb7 (368)
  -9.86494292470009928597e-3, -7.99283237680523006574e-1, -1.77579549177547519889e1, -1.60636384855821916062e2,
  -6.37566443368389627722e2, -1.02509513161107724954e3, -4.83519191608651397019e2,
  3.03380607434824582924e1, 3.25792512996573918826e2, 1.53672958608443695994e3, 3.19985821950859553908e3,
  2.55305040643316442583e3, 4.74528541206955367215e2, -2.24409524465858183362e1,
  // 424: erx, erf(1) rounded to 32 bits; 432: 0.5625
  8.45062911510467529297e-1, 0.5625,
]);

// Horner's rule written out, so that each coefficient is one load from a constant address (a loop over the table
// measured the same): c(at) is the coefficient at byte offset `at`, splatted as it is read.
@inline function c(at: usize): v128 {
  return v128.load64_splat(ERF + at);
}
@inline function mad(p: v128, x: v128, at: usize): v128 {
  return f64x2.add(f64x2.mul(p, x), c(at));
}
/** c0 + c1·x + … + c4·x⁴ with c0 at byte offset at; poly6..poly8 likewise with more coefficients. */
@inline function poly5(x: v128, at: usize): v128 {
  return mad(mad(mad(mad(c(at + 32), x, at + 24), x, at + 16), x, at + 8), x, at);
}
@inline function poly6(x: v128, at: usize): v128 {
  return mad(poly5(x, at + 8), x, at);
}
@inline function poly7(x: v128, at: usize): v128 {
  return mad(poly6(x, at + 8), x, at);
}
@inline function poly8(x: v128, at: usize): v128 {
  return mad(poly7(x, at + 8), x, at);
}
/** 1 + x·p: a denominator, its leading 1 implicit. */
@inline function plus1(x: v128, p: v128): v128 {
  return f64x2.add(f64x2.mul(p, x), f64x2.splat(1));
}

/**
 * erf on two float64 lanes: fdlibm's four intervals of |x| (below 0.84375, 1.25, 1/0.35 and 6; ±1 beyond). The
 * first interval alone when no lane is past it (GELU's arguments mostly are not: one rational function), else the
 * two below 1.25 and the two above each only when a lane needs them, the chosen numerator and denominator meeting
 * in one division. Past 1.25,
 * 1 − erf is e^(−x² − 0.5625 + R/S)/|x| with x² rounded once: its error, at most x²·2⁻⁵³ relative, is scaled by
 * 1 − erf ≤ 0.08 before it reaches erf. The sign is x's, so ±0 stay ±0; NaN stays NaN (it takes the first
 * interval), ±∞ give ±1.
 */
@inline export function erf64(x: v128): v128 {
  const ax = f64x2.abs(x), z = f64x2.mul(x, x);
  const in2 = f64x2.ge(ax, f64x2.splat(0.84375));
  let r: v128;
  if (!v128.any_true(in2)) {
    r = f64x2.add(ax, f64x2.mul(ax, f64x2.div(poly5(z, 0), plus1(z, poly5(z, 40)))));
  } else {
    const in3 = f64x2.ge(ax, f64x2.splat(1.25));
    const near = i64x2.all_true(in3) ? f64x2.splat(0) : erfNear(ax, z, in2);
    r = v128.any_true(in3) ? v128.bitselect(erfTail(ax, z), near, in3) : near;
  }
  r = v128.bitselect(f64x2.splat(1), r, f64x2.ge(ax, f64x2.splat(6)));
  return v128.or(r, v128.and(x, i64x2.splat(0x8000000000000000))); // x's sign
}

/** erf |x| for |x| < 1.25 (lanes in2 are past 0.84375): x + x·P(x²)/Q(x²), or erx + P(s)/Q(s) with s = |x| − 1. */
@inline function erfNear(ax: v128, z: v128, in2: v128): v128 {
  const s = f64x2.sub(ax, f64x2.splat(1));
  const num = v128.bitselect(poly7(s, 80), poly5(z, 0), in2);
  const den = v128.bitselect(plus1(s, poly6(s, 136)), plus1(z, poly5(z, 40)), in2);
  const q = f64x2.div(num, den);
  return v128.bitselect(f64x2.add(c(424), q), f64x2.add(ax, f64x2.mul(ax, q)), in2);
}

/** erf |x| for |x| ≥ 1.25: 1 − e^(−x² − 0.5625 + R(s)/S(s))/|x|, s = 1/x², R/S by the interval below or above 1/0.35. */
@inline function erfTail(ax: v128, z: v128): v128 {
  const w = f64x2.div(f64x2.splat(1), z), in4 = f64x2.ge(ax, f64x2.splat(1 / 0.35));
  const num = v128.bitselect(poly7(w, 312), poly8(w, 184), in4);
  const den = v128.bitselect(plus1(w, poly7(w, 368)), plus1(w, poly8(w, 248)), in4);
  const e = exp64(f64x2.sub(f64x2.sub(f64x2.div(num, den), z), c(432)));
  return f64x2.sub(f64x2.splat(1), f64x2.div(e, ax));
}

/**
 * softplus on two float64 lanes: max(x, 0) + log1p(e^−|x|), as the reference. log1p(e) for e in (0, 1] as
 * log(u)·e/(u − 1) with u = 1 + e (the rounding of u cancels to first order), or e itself where u rounds to 1.
 */
@inline export function softplus64(x: v128): v128 {
  const e = exp64(f64x2.neg(f64x2.abs(x)));
  const u = f64x2.add(f64x2.splat(1), e), d = f64x2.sub(u, f64x2.splat(1));
  const l = v128.bitselect(e, f64x2.mul(log64(u), f64x2.div(e, d)), f64x2.eq(d, f64x2.splat(0)));
  const pos = v128.and(x, f64x2.gt(x, f64x2.splat(0))); // x > 0 ? x : +0 (NaN: +0; l carries the NaN)
  return f64x2.add(pos, l);
}

/** erf on the lanes of T (float32 through float64). */
@inline export function erf<T>(x: v128): v128 {
  if (sizeof<T>() == 8) return erf64(x);
  return narrow(erf64(f64x2.promote_low_f32x4(x)), erf64(high(x)));
}
/** softplus on the lanes of T (float32 through float64). */
@inline export function softplus<T>(x: v128): v128 {
  if (sizeof<T>() == 8) return softplus64(x);
  return narrow(softplus64(f64x2.promote_low_f32x4(x)), softplus64(high(x)));
}
