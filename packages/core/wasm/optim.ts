// AssemblyScript: one-pass optimizer updates (SGD with momentum/Nesterov, Adam/AdamW/AMSGrad) over float32 or
// float64 parameters. The arithmetic runs in float64 lanes whatever the storage, in the reference's order, so
// the results are the reference's bit for bit (float32 values are widened on load and rounded once on store).
import { ld2, st2 } from './lanes';

/**
 * SGD: d = g + wd·θ; with momentum μ > 0, b = first ? d : μ·b + (1 − dampening)·d and θ −= lr·(nesterov ? d + μ·b : b);
 * without, θ −= lr·d. buf is unused when μ = 0.
 */
function sgd<T>(th: usize, g: usize, buf: usize, n: i32, lr: f64, mu: f64, damp: f64, wd: f64, nesterov: i32, first: i32): void {
  const S = <usize>sizeof<T>();
  const vlr = f64x2.splat(lr), vmu = f64x2.splat(mu), vdm = f64x2.splat(1 - damp), vwd = f64x2.splat(wd);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const o = <usize>i * S;
    const x = ld2<T>(th + o);
    const d = f64x2.add(ld2<T>(g + o), f64x2.mul(vwd, x));
    if (mu == 0) {
      st2<T>(th + o, f64x2.sub(x, f64x2.mul(vlr, d)));
      continue;
    }
    const b = first ? d : f64x2.add(f64x2.mul(vmu, ld2<T>(buf + o)), f64x2.mul(vdm, d));
    st2<T>(buf + o, b);
    st2<T>(th + o, f64x2.sub(x, f64x2.mul(vlr, nesterov ? f64x2.add(d, f64x2.mul(vmu, b)) : b)));
  }
  for (; i < n; i++) {
    const o = <usize>i * S;
    const x = <f64>load<T>(th + o);
    const d = <f64>load<T>(g + o) + wd * x;
    if (mu == 0) {
      store<T>(th + o, <T>(x - lr * d));
      continue;
    }
    const b = first ? d : mu * <f64>load<T>(buf + o) + (1 - damp) * d;
    store<T>(buf + o, <T>b);
    store<T>(th + o, <T>(x - lr * (nesterov ? d + mu * b : b)));
  }
}
export function sgd32(th: usize, g: usize, buf: usize, n: i32, lr: f64, mu: f64, damp: f64, wd: f64, nesterov: i32, first: i32): void {
  sgd<f32>(th, g, buf, n, lr, mu, damp, wd, nesterov, first);
}
export function sgd64(th: usize, g: usize, buf: usize, n: i32, lr: f64, mu: f64, damp: f64, wd: f64, nesterov: i32, first: i32): void {
  sgd<f64>(th, g, buf, n, lr, mu, damp, wd, nesterov, first);
}

/**
 * Adam: d = g + l2·θ; θ ·= decay (AdamW); m = β₁m + (1 − β₁)d; v = β₂v + (1 − β₂)d²; v̂ = max(vmax, v) with AMSGrad
 * (vmax ≠ 0); θ −= stepSize·(m / (√v̂ / bc2Sqrt + eps)).
 */
function adam<T>(
  th: usize, g: usize, m: usize, v: usize, vmax: usize, n: i32,
  stepSize: f64, b1: f64, b2: f64, eps: f64, bc2Sqrt: f64, l2: f64, decay: f64, decoupled: i32,
): void {
  const S = <usize>sizeof<T>();
  const vb1 = f64x2.splat(b1), vc1 = f64x2.splat(1 - b1), vb2 = f64x2.splat(b2), vc2 = f64x2.splat(1 - b2);
  const vst = f64x2.splat(stepSize), veps = f64x2.splat(eps), vbc = f64x2.splat(bc2Sqrt);
  const vl2 = f64x2.splat(l2), vdec = f64x2.splat(decay);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const o = <usize>i * S;
    let x = ld2<T>(th + o);
    const d = f64x2.add(ld2<T>(g + o), f64x2.mul(vl2, x));
    if (decoupled) x = f64x2.mul(x, vdec);
    const mi = f64x2.add(f64x2.mul(vb1, ld2<T>(m + o)), f64x2.mul(vc1, d));
    let vi = f64x2.add(f64x2.mul(vb2, ld2<T>(v + o)), f64x2.mul(f64x2.mul(vc2, d), d));
    st2<T>(m + o, mi);
    st2<T>(v + o, vi);
    if (vmax) {
      const w = ld2<T>(vmax + o);
      vi = v128.bitselect(w, vi, f64x2.gt(w, vi)); // vmax > v ? vmax : v
      st2<T>(vmax + o, vi);
    }
    const den = f64x2.add(f64x2.div(f64x2.sqrt(vi), vbc), veps);
    st2<T>(th + o, f64x2.sub(x, f64x2.mul(vst, f64x2.div(mi, den))));
  }
  for (; i < n; i++) {
    const o = <usize>i * S;
    let x = <f64>load<T>(th + o);
    const d = <f64>load<T>(g + o) + l2 * x;
    if (decoupled) x *= decay;
    const mi = b1 * <f64>load<T>(m + o) + (1 - b1) * d;
    let vi = b2 * <f64>load<T>(v + o) + (1 - b2) * d * d;
    store<T>(m + o, <T>mi);
    store<T>(v + o, <T>vi);
    if (vmax) {
      const w = <f64>load<T>(vmax + o);
      vi = w > vi ? w : vi;
      store<T>(vmax + o, <T>vi);
    }
    store<T>(th + o, <T>(x - stepSize * (mi / (Math.sqrt(vi) / bc2Sqrt + eps))));
  }
}
export function adam32(
  th: usize, g: usize, m: usize, v: usize, vmax: usize, n: i32,
  stepSize: f64, b1: f64, b2: f64, eps: f64, bc2Sqrt: f64, l2: f64, decay: f64, decoupled: i32,
): void {
  adam<f32>(th, g, m, v, vmax, n, stepSize, b1, b2, eps, bc2Sqrt, l2, decay, decoupled);
}
export function adam64(
  th: usize, g: usize, m: usize, v: usize, vmax: usize, n: i32,
  stepSize: f64, b1: f64, b2: f64, eps: f64, bc2Sqrt: f64, l2: f64, decay: f64, decoupled: i32,
): void {
  adam<f64>(th, g, m, v, vmax, n, stepSize, b1, b2, eps, bc2Sqrt, l2, decay, decoupled);
}
