// AssemblyScript: moving float32 and float64 values in and out of float64 lanes, for kernels that compute in float64
// whatever the storage (the optimizer updates, row sums, leakyRelu's product, erf, softplus): float32 values are
// widened exactly and each result rounded once.

/** Two elements of T at p as float64 lanes. */
@inline export function ld2<T>(p: usize): v128 {
  if (sizeof<T>() == 4) return f64x2.promote_low_f32x4(v128.load64_zero(p));
  return v128.load(p);
}
/** Stores two float64 lanes at p, rounded to T. */
@inline export function st2<T>(p: usize, v: v128): void {
  if (sizeof<T>() == 4) v128.store64_lane(p, f32x4.demote_f64x2_zero(v), 0);
  else v128.store(p, v);
}
/** Two float64x2 halves rounded to one float32x4 (lo in lanes 0, 1). */
@inline export function narrow(lo: v128, hi: v128): v128 {
  return v128.shuffle<f32>(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 4, 5);
}
/** Lanes 2, 3 of a float32x4 as float64x2 (f64x2.promote_low_f32x4 gives lanes 0, 1). */
@inline export function high(x: v128): v128 {
  return f64x2.promote_low_f32x4(v128.shuffle<f32>(x, x, 2, 3, 0, 1));
}
