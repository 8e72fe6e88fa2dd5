import { referenceKernels } from './reference.js';
import type { Kernels } from './types.js';

export type { BinaryOp, Kernels, ReduceOp, UnaryOp } from './types.js';
export { referenceKernels } from './reference.js';

let active: Kernels = referenceKernels;

/** The kernels every op calls. */
export function kernels(): Kernels {
  return active;
}

/**
 * Replaces some or all kernels (for a faster implementation); returns the previous set.
 * @example const prev = setKernels({ matmul: myMatmul }); setKernels(prev);
 */
export function setKernels(k: Partial<Kernels>): Kernels {
  const prev = active;
  active = { ...active, ...k };
  return prev;
}
