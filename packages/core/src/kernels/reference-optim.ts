import type { Kernels } from './types.js';

/* Reference optimizer updates: one loop per parameter, the formulas of PyTorch's SGD and Adam (the loops @xent/nn's
   optimizers ran before they called these kernels). Values are read as numbers (float64) and rounded once on store. */

/**
 * The reference optimizer kernels, spread into referenceKernels.
 * @example
 * const o = { lr: 0.1, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, first: true };
 * referenceOptimKernels.sgdUpdate(p, g, null, o);
 */
export const referenceOptimKernels: Pick<Kernels, 'sgdUpdate' | 'adamUpdate'> = {
  sgdUpdate(th, g, b, { lr, momentum: mu, dampening, weightDecay: wd, nesterov, first }) {
    const n = th.length;
    if (mu === 0 || !b) {
      for (let i = 0; i < n; i++) th[i] = th[i]! - lr * (g[i]! + wd * th[i]!);
      return;
    }
    for (let i = 0; i < n; i++) {
      const d = g[i]! + wd * th[i]!;
      const bi = first ? d : mu * b[i]! + (1 - dampening) * d;
      b[i] = bi;
      th[i] = th[i]! - lr * (nesterov ? d + mu * bi : bi);
    }
  },
  adamUpdate(th, g, m, v, vmax, { stepSize, beta1: b1, beta2: b2, eps, bc2Sqrt, l2, decay }) {
    const n = th.length,
      decoupled = decay !== 1;
    for (let i = 0; i < n; i++) {
      let x = th[i]!;
      const d = g[i]! + l2 * x;
      if (decoupled) x *= decay;
      const mi = b1 * m[i]! + (1 - b1) * d;
      let vi = b2 * v[i]! + (1 - b2) * d * d;
      m[i] = mi;
      v[i] = vi;
      if (vmax) {
        vi = vmax[i]! > vi ? vmax[i]! : vi;
        vmax[i] = vi;
      }
      th[i] = x - stepSize * (mi / (Math.sqrt(vi) / bc2Sqrt + eps));
    }
  },
};
