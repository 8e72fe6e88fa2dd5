// AssemblyScript: elementwise kernels over float32 (f32x4) or float64 (f64x2), generic in T.
// Every result here is the correctly rounded one the TypeScript reference computes (add, sub, mul,
// div, maximum, minimum, the comparisons, sqrt, neg, abs, square, reciprocal, clamp, leakyRelu, select), so these
// agree bit for bit; exp, log, tanh, sigmoid, softplus and erf are
// within 2 ulp of it.
import { sigmoid, tanh } from './activation';
import { exp32, exp64 } from './exp';
import { log32, log64 } from './log';
import { high, narrow } from './lanes';
import { erf, softplus } from './special';

// Binary op codes, as the host passes them.
const ADD = 0, SUB = 1, MUL = 2, DIV = 3, MAXIMUM = 4, MINIMUM = 5, EQ = 6, NE = 7, GT = 8, GE = 9, LT = 10;

@inline function vop<T>(op: i32, x: v128, y: v128): v128 {
  if (op == ADD) return v128.add<T>(x, y);
  if (op == SUB) return v128.sub<T>(x, y);
  if (op == MUL) return v128.mul<T>(x, y);
  if (op == DIV) return v128.div<T>(x, y);
  if (op == MAXIMUM || op == MINIMUM) {
    // x > y ? x : y (ties: y, as the reference), NaN where either is NaN: all bits set, a NaN
    const r = v128.bitselect(x, y, op == MAXIMUM ? v128.gt<T>(x, y) : v128.lt<T>(x, y));
    return v128.or(r, v128.or(v128.ne<T>(x, x), v128.ne<T>(y, y)));
  }
  // the comparisons: the all-ones lanes of the mask keep 1, the others 0
  const one = v128.splat<T>(1);
  if (op == EQ) return v128.and(v128.eq<T>(x, y), one);
  if (op == NE) return v128.and(v128.ne<T>(x, y), one);
  if (op == GT) return v128.and(v128.gt<T>(x, y), one);
  if (op == GE) return v128.and(v128.ge<T>(x, y), one);
  if (op == LT) return v128.and(v128.lt<T>(x, y), one);
  return v128.and(v128.le<T>(x, y), one);
}

@inline function sop<T>(op: i32, x: T, y: T): T {
  if (op == ADD) return x + y;
  if (op == SUB) return x - y;
  if (op == MUL) return x * y;
  if (op == DIV) return x / y;
  if (op == MAXIMUM) return x != x || y != y ? <T>NaN : x > y ? x : y;
  if (op == MINIMUM) return x != x || y != y ? <T>NaN : x < y ? x : y;
  if (op == EQ) return <T>(x == y);
  if (op == NE) return <T>(x != y);
  if (op == GT) return <T>(x > y);
  if (op == GE) return <T>(x >= y);
  if (op == LT) return <T>(x < y);
  return <T>(x <= y);
}

/**
 * out[r, j] = a[r·ars + j·acs] ∘ b[r·brs + j·bcs] over rows × w, out contiguous; acs and bcs are 0 or 1
 * (same shape, scalar, row, column: every broadcast the ops produce between two operands).
 */
function bin<T>(op: i32, a: usize, ars: i32, acs: i32, b: usize, brs: i32, bcs: i32, out: usize, rows: i32, w: i32): void {
  const S = sizeof<T>(), L = <i32>(16 / S);
  for (let r = 0; r < rows; r++) {
    const pa = a + <usize>r * ars * S, pb = b + <usize>r * brs * S, po = out + <usize>r * w * S;
    let j = 0;
    if (acs == 1 && bcs == 1) {
      for (; j + L <= w; j += L) v128.store(po + j * S, vop<T>(op, v128.load(pa + j * S), v128.load(pb + j * S)));
    } else if (acs == 1) {
      const y = v128.splat<T>(load<T>(pb));
      for (; j + L <= w; j += L) v128.store(po + j * S, vop<T>(op, v128.load(pa + j * S), y));
    } else if (bcs == 1) {
      const x = v128.splat<T>(load<T>(pa));
      for (; j + L <= w; j += L) v128.store(po + j * S, vop<T>(op, x, v128.load(pb + j * S)));
    }
    for (; j < w; j++) store<T>(po + j * S, sop<T>(op, load<T>(pa + j * acs * S), load<T>(pb + j * bcs * S)));
  }
}

export function bin32(op: i32, a: usize, ars: i32, acs: i32, b: usize, brs: i32, bcs: i32, out: usize, rows: i32, w: i32): void {
  bin<f32>(op, a, ars, acs, b, brs, bcs, out, rows, w);
}
export function bin64(op: i32, a: usize, ars: i32, acs: i32, b: usize, brs: i32, bcs: i32, out: usize, rows: i32, w: i32): void {
  bin<f64>(op, a, ars, acs, b, brs, bcs, out, rows, w);
}

// Unary op codes.
const NEG = 0, ABS = 1, SQRT = 2, SQUARE = 3, CLAMP_MIN = 4, CLAMP_MAX = 5, EXP = 6, TANH = 7, SIGMOID = 8, LOG = 9;
const RECIPROCAL = 10, LEAKY_RELU = 11, SOFTPLUS = 12, ERF = 13;

/** α·x formed in float64 and rounded once to T (α is a float64, as in the reference's α·x). */
@inline function scaled<T>(x: v128, a64: v128): v128 {
  if (sizeof<T>() == 8) return f64x2.mul(x, a64);
  return narrow(f64x2.mul(f64x2.promote_low_f32x4(x), a64), f64x2.mul(high(x), a64));
}

@inline function vun<T>(op: i32, x: v128, al: v128, a64: v128): v128 {
  if (op == NEG) return v128.neg<T>(x);
  if (op == ABS) return v128.abs<T>(x);
  if (op == SQRT) return v128.sqrt<T>(x);
  if (op == SQUARE) return v128.mul<T>(x, x);
  if (op == RECIPROCAL) return v128.div<T>(v128.splat<T>(1), x);
  if (op == CLAMP_MIN) return v128.pmax<T>(x, al); // x < α ? α : x (NaN and −0 kept, as the reference)
  if (op == CLAMP_MAX) return v128.pmin<T>(x, al); // α < x ? α : x
  if (op == LEAKY_RELU) return v128.bitselect(x, scaled<T>(x, a64), v128.gt<T>(x, v128.splat<T>(0))); // x > 0 ? x : α·x
  if (op == TANH) return tanh<T>(x);
  if (op == SIGMOID) return sigmoid<T>(x);
  if (op == LOG) return sizeof<T>() == 4 ? log32(x) : log64(x);
  if (op == SOFTPLUS) return softplus<T>(x);
  if (op == ERF) return erf<T>(x);
  return sizeof<T>() == 4 ? exp32(x) : exp64(x);
}

@inline function sun<T>(op: i32, x: T, alpha: f64): T {
  if (op == NEG) return -x;
  if (op == ABS) return abs<T>(x);
  if (op == SQRT) return sqrt<T>(x);
  if (op == SQUARE) return x * x;
  if (op == RECIPROCAL) return <T>1 / x;
  if (op == CLAMP_MIN) return x < <T>alpha ? <T>alpha : x;
  if (op == CLAMP_MAX) return x > <T>alpha ? <T>alpha : x;
  if (op == LEAKY_RELU) return x > 0 ? x : <T>(alpha * <f64>x);
  const v = vun<T>(op, v128.splat<T>(x), v128.splat<T>(<T>alpha), f64x2.splat(alpha)); // exp, tanh, sigmoid, log
  return v128.extract_lane<T>(v, 0);
}

/** out[i] = f(x[i], α) for n elements (out may be x); α rounded to T for the clamps, kept in float64 for leakyRelu. */
function un<T>(op: i32, x: usize, out: usize, n: i32, alpha: f64): void {
  const S = sizeof<T>(), L = <i32>(16 / S), al = v128.splat<T>(<T>alpha), a64 = f64x2.splat(alpha);
  let i = 0;
  for (; i + L <= n; i += L) v128.store(out + i * S, vun<T>(op, v128.load(x + i * S), al, a64));
  for (; i < n; i++) store<T>(out + i * S, sun<T>(op, load<T>(x + i * S), alpha));
}
export function un32(op: i32, x: usize, out: usize, n: i32, alpha: f64): void {
  un<f32>(op, x, out, n, alpha);
}
export function un64(op: i32, x: usize, out: usize, n: i32, alpha: f64): void {
  un<f64>(op, x, out, n, alpha);
}

/**
 * Activation backward: relu (op 0) out = x ≤ 0 ? 0 : g (g where x is NaN); leakyRelu (op 1)
 * out = x > 0 ? g : α·g (α·g where x is NaN); tanh (op 2) out = g·(1 − x²) and sigmoid (op 3)
 * out = g·(x·(1 − x)), x being the forward's output.
 */
function actGrad<T>(op: i32, x: usize, g: usize, out: usize, n: i32, alpha: T): void {
  const S = sizeof<T>(), L = <i32>(16 / S), al = v128.splat<T>(alpha), zero = v128.splat<T>(0);
  let i = 0;
  if (op == 0) {
    for (; i + L <= n; i += L) {
      const o = i * S;
      v128.store(out + o, v128.andnot(v128.load(g + o), v128.le<T>(v128.load(x + o), zero)));
    }
    for (; i < n; i++) store<T>(out + i * S, load<T>(x + i * S) <= 0 ? 0 : load<T>(g + i * S));
  } else if (op == 2) {
    // tanh, x = y: g·(1 − y²), every step rounded to T (the composed square, sub, mul)
    const one = v128.splat<T>(1);
    for (; i + L <= n; i += L) {
      const o = i * S, y = v128.load(x + o);
      v128.store(out + o, v128.mul<T>(v128.load(g + o), v128.sub<T>(one, v128.mul<T>(y, y))));
    }
    for (; i < n; i++) {
      const y = load<T>(x + i * S);
      store<T>(out + i * S, load<T>(g + i * S) * (<T>1 - y * y));
    }
  } else if (op == 3) {
    // sigmoid, x = y: g·(y·(1 − y))
    const one = v128.splat<T>(1);
    for (; i + L <= n; i += L) {
      const o = i * S, y = v128.load(x + o);
      v128.store(out + o, v128.mul<T>(v128.load(g + o), v128.mul<T>(y, v128.sub<T>(one, y))));
    }
    for (; i < n; i++) {
      const y = load<T>(x + i * S);
      store<T>(out + i * S, load<T>(g + i * S) * (y * (<T>1 - y)));
    }
  } else {
    for (; i + L <= n; i += L) {
      const o = i * S, gv = v128.load(g + o);
      v128.store(out + o, v128.bitselect(gv, v128.mul<T>(al, gv), v128.gt<T>(v128.load(x + o), zero)));
    }
    for (; i < n; i++) {
      const v = load<T>(g + i * S);
      store<T>(out + i * S, load<T>(x + i * S) > 0 ? v : alpha * v);
    }
  }
}
export function actGrad32(op: i32, x: usize, g: usize, out: usize, n: i32, alpha: f32): void {
  actGrad<f32>(op, x, g, out, n, alpha);
}
export function actGrad64(op: i32, x: usize, g: usize, out: usize, n: i32, alpha: f64): void {
  actGrad<f64>(op, x, g, out, n, alpha);
}
