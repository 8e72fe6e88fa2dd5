import { referenceKernels } from './reference.js';
import type { Kernels } from './types.js';

/*
 * erf for the 'ts' backend: fdlibm's rational approximations (s_erf.c, Sun Microsystems 1993: "Permission to use,
 * copy, modify, and distribute this software is freely granted, provided that this notice is preserved"), the same
 * intervals and coefficients as the wasm kernel (packages/core/wasm/special.ts), one element at a time. Within 2 ulp
 * of the true value; the reference's series and continued fraction (reference-unary.ts) stay the oracle.
 */

// |x| < 0.84375: erf = x + x·P(x²)/Q(x²)
const PP = [
  1.28379167095512558561e-1, -3.2504210724700149937e-1, -2.84817495755985104766e-2, -5.77027029648944159157e-3,
  -2.37630166566501626084e-5,
];
const QQ = [
  3.97917223959155352819e-1, 6.50222499887672944485e-2, 5.08130628187576562776e-3, 1.32494738004321644526e-4,
  -3.9602282787753681232e-6,
];
// |x| < 1.25: erf = erx + P(s)/Q(s), s = |x| − 1
const PA = [
  -2.36211856075265944077e-3, 4.14856118683748331666e-1, -3.72207876035701323847e-1, 3.18346619901161753674e-1,
  -1.10894694282396677476e-1, 3.54783043256182359371e-2, -2.166375594868790843e-3,
];
const QA = [
  1.06420880400844228286e-1, 5.40397917702171048937e-1, 7.18286544141962662868e-2, 1.26171219808761642112e-1,
  1.36370839120290507362e-2, 1.1984499846799107417e-2,
];
// |x| < 1/0.35, then < 6: 1 − erf = e^(−x² − 0.5625 + R(s)/S(s))/|x|, s = 1/x²
const RA = [
  -9.86494403484714822705e-3, -6.93858572707181764372e-1, -1.05586262253232909814e1, -6.23753324503260060396e1,
  -1.62396669462573470355e2, -1.84605092906711035994e2, -8.12874355063065934246e1, -9.81432934416914548592,
];
const SA = [
  1.96512716674392571292e1, 1.376577541435190426e2, 4.34565877475229228821e2, 6.45387271733267880336e2,
  4.29008140027567833386e2, 1.08635005541779435134e2, 6.57024977031928170135, -6.04244152148580987438e-2,
];
const RB = [
  -9.86494292470009928597e-3, -7.99283237680523006574e-1, -1.77579549177547519889e1, -1.60636384855821916062e2,
  -6.37566443368389627722e2, -1.02509513161107724954e3, -4.83519191608651397019e2,
];
const SB = [
  3.03380607434824582924e1, 3.25792512996573918826e2, 1.53672958608443695994e3, 3.19985821950859553908e3,
  2.55305040643316442583e3, 4.74528541206955367215e2, -2.24409524465858183362e1,
];
const ERX = 8.45062911510467529297e-1;

/** c[0] + c[1]·x + …, Horner's rule. */
function poly(c: readonly number[], x: number): number {
  let p = c[c.length - 1]!;
  for (let i = c.length - 2; i >= 0; i--) p = p * x + c[i]!;
  return p;
}

/**
 * erf(x) by fdlibm's four intervals of |x|; ±1 from 6 on, NaN stays NaN, ±0 keep their sign.
 * @example fastErf(0.5); // 0.5204998778130465
 */
function fastErf(x: number): number {
  const a = Math.abs(x);
  if (!(a < 6)) return a === a ? Math.sign(x) : x; // ±1 (|x| ≥ 6, ±∞), or NaN
  let r: number;
  if (a < 0.84375) {
    const z = x * x;
    return x + x * (poly(PP, z) / (1 + z * poly(QQ, z))); // odd: x's sign, −0 included
  } else if (a < 1.25) {
    const s = a - 1;
    r = ERX + poly(PA, s) / (1 + s * poly(QA, s));
  } else {
    const s = 1 / (a * a);
    const q = a < 1 / 0.35 ? poly(RA, s) / (1 + s * poly(SA, s)) : poly(RB, s) / (1 + s * poly(SB, s));
    r = 1 - Math.exp(-a * a - 0.5625 + q) / a; // the rounding of a² is scaled by 1 − erf ≤ 0.08
  }
  return x < 0 ? -r : r;
}

/**
 * The elementwise maps of the 'ts' backend: erf by fastErf, the others the reference's.
 * @example fastUnary('erf', x, out);
 */
export const fastUnary: Kernels['unary'] = (op, x, out) => {
  if (op !== 'erf') return referenceKernels.unary(op, x, out);
  for (let i = 0, n = out.length; i < n; i++) out[i] = fastErf(x[i]!);
};
