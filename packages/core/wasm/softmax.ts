// AssemblyScript: softmax, log-softmax and the fused cross-entropy over rows (classes on the last axis),
// float32 and float64, generic in T. Sums of exponentials are accumulated in float64 lanes;
// log-probabilities are formed as (x − max) − lse in float64 and rounded once, as the reference does.
import { expNonPositive32, expNonPositive64 } from './exp';

/** e^x for x = v − max (never positive), the only exponentials here. */
@inline function vexp<T>(x: v128): v128 {
  if (sizeof<T>() == 4) return expNonPositive32(x);
  return expNonPositive64(x);
}

/** Largest entry of the row, NaN ignored; 0 for a row of −∞ (so that x − max is −∞, not NaN), as the reference. */
function rowMax<T>(x: usize, n: i32): T {
  const S = sizeof<T>(), L = <i32>(16 / S);
  let mv = v128.splat<T>(<T>-Infinity);
  let j = 0;
  for (; j + L <= n; j += L) mv = v128.pmax<T>(mv, v128.load(x + j * S)); // m < v ? v : m: a NaN v is skipped
  let m: T = <T>-Infinity;
  if (sizeof<T>() == 4) {
    const a = f32x4.extract_lane(mv, 0), b = f32x4.extract_lane(mv, 1);
    const c = f32x4.extract_lane(mv, 2), d = f32x4.extract_lane(mv, 3);
    if (<T>a > m) m = <T>a;
    if (<T>b > m) m = <T>b;
    if (<T>c > m) m = <T>c;
    if (<T>d > m) m = <T>d;
  } else {
    const a = f64x2.extract_lane(mv, 0), b = f64x2.extract_lane(mv, 1);
    if (<T>a > m) m = <T>a;
    if (<T>b > m) m = <T>b;
  }
  for (; j < n; j++) {
    const v = load<T>(x + j * S);
    if (v > m) m = v;
  }
  return m == <T>-Infinity ? <T>0 : m;
}

/** Σ e^(x − m) over the row in float64; writes the exponentials to e unless e is 0. */
function expSum<T>(x: usize, n: i32, m: T, e: usize): f64 {
  const S = sizeof<T>(), L = <i32>(16 / S), mv = v128.splat<T>(m);
  let acc0 = f64x2.splat(0), acc1 = f64x2.splat(0);
  let j = 0;
  for (; j + L <= n; j += L) {
    const v = vexp<T>(v128.sub<T>(v128.load(x + j * S), mv));
    if (e) v128.store(e + j * S, v);
    if (sizeof<T>() == 4) {
      acc0 = f64x2.add(acc0, f64x2.promote_low_f32x4(v));
      acc1 = f64x2.add(acc1, f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 2, 3)));
    } else {
      acc0 = f64x2.add(acc0, v);
    }
  }
  const acc = f64x2.add(acc0, acc1);
  let s = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
  for (; j < n; j++) {
    const v = v128.extract_lane<T>(vexp<T>(v128.splat<T>(load<T>(x + j * S) - m)), 0);
    if (e) store<T>(e + j * S, v);
    s += <f64>v;
  }
  return s;
}

/** out = (x − m) − lse over the row, computed in float64 and rounded once. */
function logRow<T>(x: usize, n: i32, m: T, lse: f64, out: usize): void {
  const S = sizeof<T>(), L = <i32>(16 / S);
  const mv = f64x2.splat(<f64>m), lv = f64x2.splat(lse);
  let j = 0;
  for (; j + L <= n; j += L) {
    const v = v128.load(x + j * S);
    if (sizeof<T>() == 4) {
      const lo = f64x2.sub(f64x2.sub(f64x2.promote_low_f32x4(v), mv), lv);
      const hi = f64x2.sub(f64x2.sub(f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 2, 3)), mv), lv);
      const dl = f32x4.demote_f64x2_zero(lo), dh = f32x4.demote_f64x2_zero(hi);
      v128.store(out + j * S, v128.shuffle<f32>(dl, dh, 0, 1, 4, 5));
    } else {
      v128.store(out + j * S, f64x2.sub(f64x2.sub(v, mv), lv));
    }
  }
  for (; j < n; j++) store<T>(out + j * S, <T>(<f64>load<T>(x + j * S) - <f64>m - lse));
}

/** Softmax (log = 0) or log-softmax (log = 1) of each of `rows` rows of n entries. */
function softmax<T>(x: usize, rows: i32, n: i32, log: i32, out: usize): void {
  const S = sizeof<T>(), L = <i32>(16 / S);
  for (let r = 0; r < rows; r++) {
    const px = x + <usize>r * n * S, po = out + <usize>r * n * S;
    const m = rowMax<T>(px, n);
    if (log) {
      logRow<T>(px, n, m, Math.log(expSum<T>(px, n, m, 0)), po);
    } else {
      const inv = v128.splat<T>(<T>(1 / expSum<T>(px, n, m, po)));
      let j = 0;
      for (; j + L <= n; j += L) v128.store(po + j * S, v128.mul<T>(v128.load(po + j * S), inv));
      const s = v128.extract_lane<T>(inv, 0);
      for (; j < n; j++) store<T>(po + j * S, load<T>(po + j * S) * s);
    }
  }
}
export function softmax32(x: usize, rows: i32, n: i32, log: i32, out: usize): void {
  softmax<f32>(x, rows, n, log, out);
}
export function softmax64(x: usize, rows: i32, n: i32, log: i32, out: usize): void {
  softmax<f64>(x, rows, n, log, out);
}

/**
 * Cross-entropy forward over rows with one class index each (index < 0: ignored row): logp = log-softmax(x)
 * (logp 0: not written, only its entry at y is formed), max[r] and sum[r] = Σ e^(x − max) (what the backward
 * recomputes the softmax from), loss[r] = −logp[r, y] (as rounded to T), denom[r] = 1 (0 when ignored);
 * max, sum, loss and denom are float64. logp may be x.
 */
function crossEntropy<T>(
  x: usize, rows: i32, c: i32, index: usize, logp: usize, max: usize, sum: usize, loss: usize, denom: usize,
): void {
  const S = sizeof<T>(), L = <i32>(16 / S);
  if (c < L) {
    // Rows narrower than a vector (two or three classes): the exponentials of four rows at a time, in full vectors.
    for (let r0 = 0; r0 < rows; r0 += 4) {
      const h = min(4, rows - r0), px = x + <usize>r0 * c * S;
      for (let i = 0; i < h; i++) store<f64>(max + (<usize>(r0 + i) << 3), <f64>rowMax<T>(px + <usize>i * c * S, c));
      narrowExps<T>(px, h, c, max + (<usize>r0 << 3));
      for (let i = 0; i < h; i++) {
        let s: f64 = 0; // expSum's order for a row shorter than a vector: 0 + e₀ + e₁ + …
        for (let j = 0; j < c; j++) s += <f64>load<T>(NARROW + <usize>(i * c + j) * S);
        finishRow<T>(x, r0 + i, c, <T>load<f64>(max + (<usize>(r0 + i) << 3)), s, index, logp, max, sum, loss, denom);
      }
    }
    return;
  }
  for (let r = 0; r < rows; r++) {
    const px = x + <usize>r * c * S;
    const m = rowMax<T>(px, c);
    finishRow<T>(x, r, c, m, expSum<T>(px, c, m, 0), index, logp, max, sum, loss, denom);
  }
}

/** Row r's loss from its max m and s = Σ e^(x − m): writes logp (unless 0), max, sum, loss and denom. */
@inline function finishRow<T>(
  x: usize, r: i32, c: i32, m: T, s: f64, index: usize, logp: usize, max: usize, sum: usize, loss: usize,
  denom: usize,
): void {
  const S = sizeof<T>(), px = x + <usize>r * c * S;
  const lse = Math.log(s);
  const y = load<i32>(index + (<usize>r << 2));
  // logp_y as logRow rounds it, read before logRow writes (x and logp may be the same row)
  const ly = y >= 0 ? <f64><T>(<f64>load<T>(px + <usize>y * S) - <f64>m - lse) : 0;
  if (logp) logRow<T>(px, c, m, lse, logp + <usize>r * c * S);
  store<f64>(max + (<usize>r << 3), <f64>m);
  store<f64>(sum + (<usize>r << 3), s);
  store<f64>(loss + (<usize>r << 3), y >= 0 ? 0 - ly : 0); // 0 − logp: +0, not −0, at p_y = 1
  store<f64>(denom + (<usize>r << 3), y >= 0 ? 1 : 0);
}

/** Scratch for rows narrower than a vector: x − max, then e^(x − max), of up to four rows (at most 16 values). */
const NARROW = memory.data(128, 16);

/**
 * e^(x − max) of the h ≤ 4 rows of c < L entries at x (max: their float64 maxima) into NARROW, a full vector at a
 * time. Each value is the one the one-lane exponential of expSum's (or prob's) scalar tail gives: the same
 * subtraction in T, the same lane-wise exp. Lanes past h·c hold leftovers and are never read.
 */
@inline function narrowExps<T>(x: usize, h: i32, c: i32, max: usize): void {
  const S = sizeof<T>(), n = h * c;
  for (let i = 0; i < h; i++) {
    const m = <T>load<f64>(max + (<usize>i << 3));
    for (let j = 0; j < c; j++) {
      const o = <usize>(i * c + j) * S;
      store<T>(NARROW + o, load<T>(x + o) - m);
    }
  }
  for (let o = 0; o < n * S; o += 16) v128.store(NARROW + <usize>o, vexp<T>(v128.load(NARROW + <usize>o)));
}

export function crossEntropy32(
  x: usize, rows: i32, c: i32, index: usize, logp: usize, max: usize, sum: usize, loss: usize, denom: usize,
): void {
  crossEntropy<f32>(x, rows, c, index, logp, max, sum, loss, denom);
}
export function crossEntropy64(
  x: usize, rows: i32, c: i32, index: usize, logp: usize, max: usize, sum: usize, loss: usize, denom: usize,
): void {
  crossEntropy<f64>(x, rows, c, index, logp, max, sum, loss, denom);
}

/** e^(x − m)·inv lane by lane, in T: the softmax as the forward's kernels form it. */
@inline function prob<T>(x: v128, m: v128, inv: v128): v128 {
  return v128.mul<T>(vexp<T>(v128.sub<T>(x, m)), inv);
}

/**
 * Fused backward, the softmax recomputed from the logits and the forward's max and sum: p = e^(x − max)·(1/sum)
 * in T, out[r] = s_r·(p − onehot(y_r)), all 0 for an ignored row or s_r = 0. scale is float64; out may be x.
 * Every product is formed in float64 lanes and rounded once to T, as the reference does: the target's
 * s·(p_y − 1) is exact to rounding even when p_y is 1 or within an ulp of it.
 */
function crossEntropyBackward<T>(
  x: usize, max: usize, sum: usize, rows: i32, c: i32, index: usize, scale: usize, out: usize,
): void {
  const S = sizeof<T>(), L = <i32>(16 / S);
  if (c < L) {
    // Rows narrower than a vector: the exponentials of four rows at a time (read before out, which may be x).
    for (let r0 = 0; r0 < rows; r0 += 4) {
      const h = min(4, rows - r0);
      narrowExps<T>(x + <usize>r0 * c * S, h, c, max + (<usize>r0 << 3));
      for (let i = 0; i < h; i++) {
        const r = r0 + i, po = out + <usize>r * c * S;
        const s = load<f64>(scale + (<usize>r << 3)), y = load<i32>(index + (<usize>r << 2));
        if (s == 0 || y < 0) {
          memory.fill(po, 0, <usize>c * S);
          continue;
        }
        const inv = <T>(1 / load<f64>(sum + (<usize>r << 3)));
        for (let j = 0; j < c; j++) {
          const p = load<T>(NARROW + <usize>(i * c + j) * S) * inv; // as prob: e^(x − m)·inv in T
          store<T>(po + <usize>j * S, <T>(j == y ? s * (<f64>p - 1) : s * <f64>p)); // the target's p − 1 in float64
        }
      }
    }
    return;
  }
  for (let r = 0; r < rows; r++) {
    const px = x + <usize>r * c * S, po = out + <usize>r * c * S;
    const s = load<f64>(scale + (<usize>r << 3)), y = load<i32>(index + (<usize>r << 2));
    if (s == 0 || y < 0) {
      memory.fill(po, 0, <usize>c * S);
      continue;
    }
    const mv = v128.splat<T>(<T>load<f64>(max + (<usize>r << 3)));
    const inv = v128.splat<T>(<T>(1 / load<f64>(sum + (<usize>r << 3))));
    // p_y, read before out (which may be x) is written
    const py = <f64>v128.extract_lane<T>(prob<T>(v128.splat<T>(load<T>(px + <usize>y * S)), mv, inv), 0);
    const sv = f64x2.splat(s);
    let j = 0;
    if (sizeof<T>() == 4 && <f64><f32>s == s) {
      // s is a float32 (1/N for a power-of-two batch): the product of two float32s is exact in float64, so
      // rounding it once to float32 is what f32x4.mul does, with no widening.
      const s4 = f32x4.splat(<f32>s);
      for (; j + L <= c; j += L) v128.store(po + j * S, f32x4.mul(s4, prob<T>(v128.load(px + j * S), mv, inv)));
    }
    for (; j + L <= c; j += L) {
      const v = prob<T>(v128.load(px + j * S), mv, inv);
      if (sizeof<T>() == 4) {
        const lo = f32x4.demote_f64x2_zero(f64x2.mul(sv, f64x2.promote_low_f32x4(v)));
        const hi = f32x4.demote_f64x2_zero(f64x2.mul(sv, f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 2, 3))));
        v128.store(po + j * S, v128.shuffle<f32>(lo, hi, 0, 1, 4, 5));
      } else {
        v128.store(po + j * S, f64x2.mul(sv, v));
      }
    }
    for (; j < c; j++) {
      store<T>(po + j * S, <T>(s * <f64>v128.extract_lane<T>(prob<T>(v128.splat<T>(load<T>(px + j * S)), mv, inv), 0)));
    }
    store<T>(po + <usize>y * S, <T>(s * (py - 1))); // ∂/∂x_y of −log p_y: p_y − 1, scaled
  }
}
export function crossEntropyBackward32(
  x: usize, max: usize, sum: usize, rows: i32, c: i32, index: usize, scale: usize, out: usize,
): void {
  crossEntropyBackward<f32>(x, max, sum, rows, c, index, scale, out);
}
export function crossEntropyBackward64(
  x: usize, max: usize, sum: usize, rows: i32, c: i32, index: usize, scale: usize, out: usize,
): void {
  crossEntropyBackward<f64>(x, max, sum, rows, c, index, scale, out);
}
