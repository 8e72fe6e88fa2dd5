// AssemblyScript: vectorised natural log, float32 (f32x4) and float64 (f64x2), after Cephes (logf.c, log.c).
// x = m·2^e with m in [√½, √2) (the exponent and mantissa read from the bits; subnormals scaled up first), then
// log x = e·ln 2 + log(1 + f), f = m − 1, with log(1 + f) = f − f²/2 + f³·P(f) (float32, degree 8) or
// f − f²/2 + f³·P(f)/Q(f) (float64, degrees 5 and 5), and ln 2 split in two so e·ln 2 adds exactly.
// log 0 = −∞, log x = NaN for x < 0 and NaN, log ∞ = ∞. Accuracy against the reference: see test/core/wasm.

/** Four copies of each float32 constant (read with v128.load, see exp.ts). */
const L32 = memory.data<f32>(
  [
    1.1754943508222875e-38, 1.1754943508222875e-38, 1.1754943508222875e-38, 1.1754943508222875e-38, // 0: 2^−126
    16777216, 16777216, 16777216, 16777216, // 16: 2^24, the subnormal scale
    0.7071067811865476, 0.7071067811865476, 0.7071067811865476, 0.7071067811865476, // 32: √½
    1, 1, 1, 1, // 48
    0.5, 0.5, 0.5, 0.5, // 64
    -2.12194440e-4, -2.12194440e-4, -2.12194440e-4, -2.12194440e-4, // 80: ln 2, low part (negated)
    0.693359375, 0.693359375, 0.693359375, 0.693359375, // 96: ln 2, high part
    Infinity, Infinity, Infinity, Infinity, // 112
    -Infinity, -Infinity, -Infinity, -Infinity, // 128
    NaN, NaN, NaN, NaN, // 144
    7.0376836292e-2, 7.0376836292e-2, 7.0376836292e-2, 7.0376836292e-2, // 160: P(f), highest first
    -1.1514610310e-1, -1.1514610310e-1, -1.1514610310e-1, -1.1514610310e-1, // 176
    1.1676998740e-1, 1.1676998740e-1, 1.1676998740e-1, 1.1676998740e-1, // 192
    -1.2420140846e-1, -1.2420140846e-1, -1.2420140846e-1, -1.2420140846e-1, // 208
    1.4249322787e-1, 1.4249322787e-1, 1.4249322787e-1, 1.4249322787e-1, // 224
    -1.6668057665e-1, -1.6668057665e-1, -1.6668057665e-1, -1.6668057665e-1, // 240
    2.0000714765e-1, 2.0000714765e-1, 2.0000714765e-1, 2.0000714765e-1, // 256
    -2.4999993993e-1, -2.4999993993e-1, -2.4999993993e-1, -2.4999993993e-1, // 272
    3.3333331174e-1, 3.3333331174e-1, 3.3333331174e-1, 3.3333331174e-1, // 288
  ],
  16,
);

/** log on four float32 lanes. */
@inline export function log32(x: v128): v128 {
  const k = L32;
  // Subnormals (and 0, negatives: replaced at the end) scaled by 2^24 so their exponent bits are those of x·2^24.
  const sub = f32x4.lt(x, v128.load(k));
  const bits = v128.bitselect(f32x4.mul(x, v128.load(k, 16)), x, sub);
  // e from the exponent field (m in [0.5, 1)), m with its exponent set to that of 0.5.
  let e = i32x4.sub(i32x4.shr_u(bits, 23), i32x4.splat(126));
  const m = v128.or(v128.and(bits, i32x4.splat(0x007fffff)), i32x4.splat(0x3f000000));
  // m < √½: f = 2m − 1 and e − 1, else f = m − 1 (f in [√½ − 1, √2 − 1)).
  const lo = f32x4.lt(m, v128.load(k, 32));
  const one = v128.load(k, 48);
  const f = f32x4.sub(v128.bitselect(f32x4.add(m, m), m, lo), one);
  e = i32x4.add(e, lo); // lo lanes are −1
  const ef = f32x4.sub(f32x4.convert_i32x4_s(e), v128.and(sub, f32x4.splat(24)));
  const z = f32x4.mul(f, f);
  let p = f32x4.add(f32x4.mul(v128.load(k, 160), f), v128.load(k, 176));
  p = f32x4.add(f32x4.mul(p, f), v128.load(k, 192));
  p = f32x4.add(f32x4.mul(p, f), v128.load(k, 208));
  p = f32x4.add(f32x4.mul(p, f), v128.load(k, 224));
  p = f32x4.add(f32x4.mul(p, f), v128.load(k, 240));
  p = f32x4.add(f32x4.mul(p, f), v128.load(k, 256));
  p = f32x4.add(f32x4.mul(p, f), v128.load(k, 272));
  p = f32x4.add(f32x4.mul(p, f), v128.load(k, 288));
  return logTail<f32>(x, f, z, f32x4.mul(f32x4.mul(p, f), z), ef); // f³·P(f)
}

/** Two copies of each float64 constant. */
const L64 = memory.data<f64>(
  [
    2.2250738585072014e-308, 2.2250738585072014e-308, // 0: 2^−1022
    18014398509481984, 18014398509481984, // 16: 2^54, the subnormal scale
    0.7071067811865476, 0.7071067811865476, // 32: √½
    1, 1, // 48
    0.5, 0.5, // 64
    -2.121944400546905827679e-4, -2.121944400546905827679e-4, // 80: ln 2, low part (negated)
    0.693359375, 0.693359375, // 96: ln 2, high part
    Infinity, Infinity, // 112
    -Infinity, -Infinity, // 128
    NaN, NaN, // 144
    1.01875663804580931796e-4, 1.01875663804580931796e-4, // 160: P(f), highest first
    4.97494994976747001425e-1, 4.97494994976747001425e-1, // 176
    4.70579119878881725854e0, 4.70579119878881725854e0, // 192
    1.44989225341610930846e1, 1.44989225341610930846e1, // 208
    1.79368678507819816313e1, 1.79368678507819816313e1, // 224
    7.70838733755885391666e0, 7.70838733755885391666e0, // 240
    1.12873587189167450590e1, 1.12873587189167450590e1, // 256: Q(f) = f⁵ + …, from f⁴'s coefficient down
    4.52279145837532221105e1, 4.52279145837532221105e1, // 272
    8.29875266912776603211e1, 8.29875266912776603211e1, // 288
    7.11544750618563894466e1, 7.11544750618563894466e1, // 304
    2.31251620126765340583e1, 2.31251620126765340583e1, // 320
    4503599627370496, 4503599627370496, // 336: 2^52, to turn exponent bits into a float
  ],
  16,
);

/** log on two float64 lanes. */
@inline export function log64(x: v128): v128 {
  const k = L64;
  const sub = f64x2.lt(x, v128.load(k));
  const bits = v128.bitselect(f64x2.mul(x, v128.load(k, 16)), x, sub);
  // The biased exponent as a float: its bits OR-ed into 2^52's mantissa, minus 2^52 (exact).
  const two52 = v128.load(k, 336);
  const eb = f64x2.sub(v128.or(i64x2.shr_u(bits, 52), two52), two52);
  const m = v128.or(v128.and(bits, i64x2.splat(0x000fffffffffffff)), i64x2.splat(0x3fe0000000000000));
  const lo = f64x2.lt(m, v128.load(k, 32));
  const one = v128.load(k, 48);
  const f = f64x2.sub(v128.bitselect(f64x2.add(m, m), m, lo), one);
  // e = biased − 1022, − 1 where m < √½, − 54 for a scaled subnormal
  let ef = f64x2.sub(eb, f64x2.splat(1022));
  ef = f64x2.sub(ef, v128.and(lo, one));
  ef = f64x2.sub(ef, v128.and(sub, f64x2.splat(54)));
  const z = f64x2.mul(f, f);
  let p = f64x2.add(f64x2.mul(v128.load(k, 160), f), v128.load(k, 176));
  p = f64x2.add(f64x2.mul(p, f), v128.load(k, 192));
  p = f64x2.add(f64x2.mul(p, f), v128.load(k, 208));
  p = f64x2.add(f64x2.mul(p, f), v128.load(k, 224));
  p = f64x2.add(f64x2.mul(p, f), v128.load(k, 240));
  let q = f64x2.add(f, v128.load(k, 256));
  q = f64x2.add(f64x2.mul(q, f), v128.load(k, 272));
  q = f64x2.add(f64x2.mul(q, f), v128.load(k, 288));
  q = f64x2.add(f64x2.mul(q, f), v128.load(k, 304));
  q = f64x2.add(f64x2.mul(q, f), v128.load(k, 320));
  return logTail<f64>(x, f, z, f64x2.mul(f, f64x2.mul(z, f64x2.div(p, q))), ef); // f³·P(f)/Q(f)
}

/**
 * log x = f − z/2 + f³·R(f) + e·ln 2 (z = f², r3 = f³·R(f), ef = e as a float), ln 2 in two parts, then the
 * specials: ∞ stays ∞, ±0 gives −∞, a negative number or NaN gives NaN. The tables share these offsets.
 */
@inline function logTail<T>(x: v128, f: v128, z: v128, r3: v128, ef: v128): v128 {
  const k = sizeof<T>() == 4 ? L32 : L64;
  let y = v128.add<T>(r3, v128.mul<T>(ef, v128.load(k, 80)));
  y = v128.sub<T>(y, v128.mul<T>(z, v128.load(k, 64)));
  let r = v128.add<T>(v128.add<T>(f, y), v128.mul<T>(ef, v128.load(k, 96)));
  r = v128.bitselect(v128.load(k, 112), r, v128.eq<T>(x, v128.load(k, 112)));
  r = v128.bitselect(v128.load(k, 128), r, v128.eq<T>(x, v128.splat<T>(0)));
  return v128.bitselect(r, v128.load(k, 144), v128.ge<T>(x, v128.splat<T>(0)));
}
