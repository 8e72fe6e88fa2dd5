import type { Storage } from '../dtype.js';
import type { Kernels, UnaryOp } from './types.js';

/* Reference elementwise maps: out[i] = f(x[i]) (unary) and f(x[i], alpha) (unaryParam), one monomorphic loop
   per op, Math's functions where JavaScript has them. */

type Map1 = (x: Storage, o: Storage, n: number) => void;

/**
 * erf within a few ulp (7 in float64 against the C library's erf, measured over [0, 8]): the Maclaurin series
 * (2/√π) Σ (−1)ⁿ x²ⁿ⁺¹ / (n! (2n + 1)) below |x| = 1.5, where its alternating terms cancel little (at 3 they would
 * lose almost three digits), and the erfc continued fraction above, ⌈120/|x|⌉ terms deep (80 at 1.5, 20 from 6 on:
 * within 1 ulp). The 'ts' backend runs fdlibm's rational approximations instead (fast-erf.ts), tested against this.
 * @example erf(0.5); // 0.5204998778130465
 */
function erf(x: number): number {
  const z = Math.abs(x);
  if (z < 1.5) {
    let term = z,
      sum = z;
    const z2 = z * z;
    for (let k = 1; k < 200; k++) {
      term *= -z2 / k;
      const t = term / (2 * k + 1);
      sum += t;
      if (Math.abs(t) < 1e-17 * Math.abs(sum)) break;
    }
    return Math.sign(x) * sum * 1.1283791670955126; // 2/√π
  }
  // erfc(z) = e^(−z²)/√π · 1/(z + (1/2)/(z + 1/(z + (3/2)/(z + …)))), evaluated from the tail.
  let f = z;
  for (let k = Math.ceil(120 / z); k >= 1; k--) f = z + k / 2 / f;
  const erfc = Math.exp(-z * z) / 1.7724538509055159 / f;
  return Math.sign(x) * (1 - erfc);
}

const maps: Record<UnaryOp, Map1> = {
  neg: (x, o, n) => {
    for (let i = 0; i < n; i++) o[i] = -x[i]!;
  },
  exp: (x, o, n) => {
    for (let i = 0; i < n; i++) o[i] = Math.exp(x[i]!);
  },
  log: (x, o, n) => {
    for (let i = 0; i < n; i++) o[i] = Math.log(x[i]!);
  },
  sqrt: (x, o, n) => {
    for (let i = 0; i < n; i++) o[i] = Math.sqrt(x[i]!);
  },
  abs: (x, o, n) => {
    for (let i = 0; i < n; i++) o[i] = Math.abs(x[i]!);
  },
  tanh: (x, o, n) => {
    for (let i = 0; i < n; i++) o[i] = Math.tanh(x[i]!);
  },
  sigmoid: (x, o, n) => {
    // Two branches so that e^(−x) never overflows.
    for (let i = 0; i < n; i++) {
      const v = x[i]!;
      if (v >= 0) o[i] = 1 / (1 + Math.exp(-v));
      else {
        const e = Math.exp(v);
        o[i] = e / (1 + e);
      }
    }
  },
  square: (x, o, n) => {
    for (let i = 0; i < n; i++) {
      const v = x[i]!;
      o[i] = v * v;
    }
  },
  reciprocal: (x, o, n) => {
    for (let i = 0; i < n; i++) o[i] = 1 / x[i]!;
  },
  sin: (x, o, n) => {
    for (let i = 0; i < n; i++) o[i] = Math.sin(x[i]!);
  },
  cos: (x, o, n) => {
    for (let i = 0; i < n; i++) o[i] = Math.cos(x[i]!);
  },
  softplus: (x, o, n) => {
    // log(1 + eˣ) = max(x, 0) + log1p(e^(−|x|)): finite for every finite x.
    for (let i = 0; i < n; i++) {
      const v = x[i]!;
      o[i] = (v > 0 ? v : 0) + Math.log1p(Math.exp(-Math.abs(v)));
    }
  },
  erf: (x, o, n) => {
    for (let i = 0; i < n; i++) o[i] = erf(x[i]!);
  },
};

/**
 * The reference elementwise maps, spread into referenceKernels.
 * @example referenceUnaryKernels.unary('exp', x, out);
 */
export const referenceUnaryKernels: Pick<Kernels, 'unary' | 'unaryParam'> = {
  unary(op: UnaryOp, x, out) {
    maps[op](x, out, out.length);
  },

  unaryParam(op, x, alpha, out) {
    const n = out.length;
    switch (op) {
      case 'leakyRelu':
        for (let i = 0; i < n; i++) {
          const v = x[i]!;
          out[i] = v > 0 ? v : alpha * v;
        }
        break;
      case 'powScalar':
        for (let i = 0; i < n; i++) out[i] = x[i]! ** alpha;
        break;
      case 'clampMin':
        for (let i = 0; i < n; i++) {
          const v = x[i]!;
          out[i] = v < alpha ? alpha : v;
        }
        break;
      case 'clampMax':
        for (let i = 0; i < n; i++) {
          const v = x[i]!;
          out[i] = v > alpha ? alpha : v;
        }
        break;
    }
  },
};
