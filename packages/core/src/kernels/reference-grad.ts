import type { Kernels } from './types.js';

/* Reference kernels for fused backward passes: one loop where the composed form would run a mask
   kernel, allocate the mask and multiply (or select) in a second kernel. */

/**
 * The reference fused-backward kernels, spread into referenceKernels.
 * @example referenceGradKernels.activationGrad('relu', x, g, 0, out);
 */
export const referenceGradKernels: Pick<Kernels, 'activationGrad'> = {
  activationGrad(op, x, g, alpha, out) {
    const n = out.length;
    if (op === 'relu') {
      // [x > 0]·g as a select: g passes where x is NaN (NaN ≤ 0 is false), as PyTorch's threshold_backward.
      for (let i = 0; i < n; i++) out[i] = x[i]! <= 0 ? 0 : g[i]!;
    } else {
      // The slope rounded to the storage type first, as the composed form's mask tensor holds it.
      const a = out instanceof Float32Array ? Math.fround(alpha) : alpha;
      for (let i = 0; i < n; i++) {
        const v = g[i]!;
        out[i] = x[i]! > 0 ? v : a * v;
      }
    }
  },
};
