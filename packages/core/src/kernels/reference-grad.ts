import type { Kernels } from './types.js';

/* Reference kernels for fused backward passes: one loop where the composed form would run a mask
   kernel, allocate the mask and multiply (or select) in a second kernel (or, for tanh and sigmoid, three
   kernels and three allocations). */

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
    } else if (op === 'tanh' || op === 'sigmoid') {
      // Each step rounded to out's type, as the composed square/sub/mul tensors hold them. For float32, one
      // float64 op on float32 operands rounded by fround is the float32 op's result (53 ≥ 2·24 + 2 bits), so
      // this is float32 arithmetic bit for bit, as the composed kernels and the wasm f32x4 loop compute it.
      const f = Math.fround;
      if (!(out instanceof Float32Array)) {
        if (op === 'tanh')
          for (let i = 0; i < n; i++) out[i] = g[i]! * (1 - x[i]! * x[i]!); // g·(1 − y²)
        else for (let i = 0; i < n; i++) out[i] = g[i]! * (x[i]! * (1 - x[i]!)); // g·y(1 − y)
      } else if (op === 'tanh') for (let i = 0; i < n; i++) out[i] = g[i]! * f(1 - f(x[i]! * x[i]!));
      else for (let i = 0; i < n; i++) out[i] = g[i]! * f(x[i]! * f(1 - x[i]!));
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
