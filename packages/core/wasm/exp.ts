// AssemblyScript: vectorised exp, float32 and float64, within 2 ulp of the correctly rounded result.

/**
 * e^x on four float32 lanes (Cephes expf): x = n·ln2 + r with n = round(x·log2 e) and ln2 split in
 * two so n·ln2 is exact, e^r = 1 + r + r²·P(r) with P of degree 5, then 2ⁿ built from exponent bits
 * in two factors so subnormal results round once and correctly. −∞ and x < −104 give 0, x > ln(FLT_MAX)
 * gives +∞, NaN stays NaN.
 */
export function exp32(x: v128): v128 {
  const big = f32x4.gt(x, f32x4.splat(88.72283935546875));
  const c = f32x4.pmax(f32x4.pmin(x, f32x4.splat(88.72283935546875)), f32x4.splat(-104.0));
  const n = f32x4.nearest(f32x4.mul(c, f32x4.splat(1.44269504088896341)));
  let r = f32x4.sub(c, f32x4.mul(n, f32x4.splat(0.693359375)));
  r = f32x4.sub(r, f32x4.mul(n, f32x4.splat(-2.12194440e-4)));
  let p = f32x4.splat(1.9875691500e-4);
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.3981999507e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(8.3334519073e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(4.1665795894e-2));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.6666665459e-1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(5.0000001201e-1));
  const y = f32x4.add(f32x4.add(f32x4.mul(p, f32x4.mul(r, r)), r), f32x4.splat(1));
  const ni = i32x4.trunc_sat_f32x4_s(n);
  const n1 = i32x4.shr_s(ni, 1), n2 = i32x4.sub(ni, n1);
  const s1 = i32x4.shl(i32x4.add(n1, i32x4.splat(127)), 23), s2 = i32x4.shl(i32x4.add(n2, i32x4.splat(127)), 23);
  const e = f32x4.mul(f32x4.mul(y, s1), s2);
  return v128.bitselect(f32x4.splat(Infinity), e, big);
}

/**
 * e^x on two float64 lanes: the same reduction with n·ln2 split (hi exact for |n| < 2¹¹), e^r by its
 * Taylor series to r¹³ (|r| ≤ ln2/2: truncation below 1e-17 relative), 2ⁿ in two factors.
 * x < −745.2 gives 0, x > 709.78 gives +∞, NaN stays NaN.
 */
export function exp64(x: v128): v128 {
  const big = f64x2.gt(x, f64x2.splat(709.782712893384));
  const c = f64x2.pmax(f64x2.pmin(x, f64x2.splat(709.782712893384)), f64x2.splat(-746.0));
  const n = f64x2.nearest(f64x2.mul(c, f64x2.splat(1.4426950408889634)));
  let r = f64x2.sub(c, f64x2.mul(n, f64x2.splat(6.93147180369123816490e-1)));
  r = f64x2.sub(r, f64x2.mul(n, f64x2.splat(1.90821492927058770002e-10)));
  let p = f64x2.splat(1.0 / 6227020800.0); // 1/13!
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 479001600.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 39916800.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 3628800.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 362880.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 40320.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 5040.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 720.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 120.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 24.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 6.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(0.5));
  // e^r = 1 + r + r²·p: the small terms summed first, the 1 last.
  const y = f64x2.add(f64x2.add(f64x2.mul(p, f64x2.mul(r, r)), r), f64x2.splat(1));
  const ni = i64x2.extend_low_i32x4_s(i32x4.trunc_sat_f64x2_s_zero(n));
  const n1 = i64x2.shr_s(ni, 1), n2 = i64x2.sub(ni, n1);
  const s1 = i64x2.shl(i64x2.add(n1, i64x2.splat(1023)), 52), s2 = i64x2.shl(i64x2.add(n2, i64x2.splat(1023)), 52);
  const e = f64x2.mul(f64x2.mul(y, s1), s2);
  return v128.bitselect(f64x2.splat(Infinity), e, big);
}
