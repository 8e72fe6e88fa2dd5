import { alloc, promote } from '../dtype.js';
import { kernels } from '../kernels/index.js';
import { broadcastShapes, broadcastStrides, fmt, sizeOf } from '../shape.js';
import { freshGrad } from '../grad-delivery.js';
import { record } from '../record.js';
import { Tensor, assertTensor } from '../tensor.js';
import { reshape, squeeze, unsqueeze } from './shape.js';

function checkTensors(a: unknown, b: unknown, op: string): void {
  assertTensor(a, op, 'the first argument');
  assertTensor(b, op, 'the second argument');
}

/** The offsets of a batch of one matrix (never written: the kernels only read offsets). */
const ZERO: readonly number[] = Object.freeze([0]);

/** Offsets of each matrix of a batch, broadcast from `batch` to `full`. */
function batchOffsets(batch: readonly number[], full: readonly number[], matSize: number): number[] {
  const strides = broadcastStrides(batch, full);
  const count = sizeOf(full);
  const offs = new Array<number>(count);
  const idx = new Array<number>(full.length).fill(0);
  for (let t = 0; t < count; t++) {
    let o = 0;
    for (let k = 0; k < full.length; k++) o += idx[k]! * strides[k]!;
    offs[t] = o * matSize;
    for (let k = full.length - 1; k >= 0; k--) {
      if (++idx[k]! < full[k]!) break;
      idx[k] = 0;
    }
  }
  return offs;
}

/**
 * op(A)·op(B) for tensors of rank ≥ 2 with broadcast batch dims; op transposes the last two dims
 * when its flag is set, without copying. The backward is four more calls to itself.
 * @example mm(a, b, false, true); // a · bᵀ
 */
export function mm(a: Tensor, b: Tensor, transA = false, transB = false): Tensor {
  checkTensors(a, b, 'mm');
  if (a.ndim < 2 || b.ndim < 2)
    throw new RangeError(
      `mm: both arguments need at least two dims, got shapes ${fmt(a.shape)} and ${fmt(b.shape)} (use matmul for vectors)`,
    );
  return mmChecked(a, b, transA, transB, a.shape, b.shape, 'mm');
}

/** mm with the shapes to name in an error (matmul's originals, before vectors became matrices). */
function mmChecked(
  a: Tensor,
  b: Tensor,
  transA: boolean,
  transB: boolean,
  shapeA: readonly number[],
  shapeB: readonly number[],
  fn: string,
): Tensor {
  const ar = a.shape[a.ndim - 2]!,
    ac = a.shape[a.ndim - 1]!,
    br = b.shape[b.ndim - 2]!,
    bc = b.shape[b.ndim - 1]!;
  const m = transA ? ac : ar,
    k = transA ? ar : ac;
  const k2 = transB ? bc : br,
    n = transB ? br : bc;
  if (k !== k2) throw new RangeError(`${fn}: shapes ${fmt(shapeA)} and ${fmt(shapeB)} are not aligned (${k} ≠ ${k2})`);
  // Two matrices (most calls: a layer's product and its two gradients) skip the batch broadcasting.
  const plain = a.ndim === 2 && b.ndim === 2;
  let batch: number[] = [];
  try {
    if (!plain) batch = broadcastShapes(a.shape.slice(0, -2), b.shape.slice(0, -2), fn);
  } catch {
    throw new RangeError(
      `${fn}: the batch dims of shapes ${fmt(shapeA)} and ${fmt(shapeB)} cannot be broadcast together (${fmt(a.shape.slice(0, -2))} vs ${fmt(b.shape.slice(0, -2))})`,
    );
  }
  const out = new Tensor(alloc(promote(a.dtype, b.dtype), sizeOf(batch) * m * n), [...batch, m, n]);
  kernels().matmul(
    a.data,
    plain ? ZERO : batchOffsets(a.shape.slice(0, -2), batch, ar * ac),
    transA,
    b.data,
    plain ? ZERO : batchOffsets(b.shape.slice(0, -2), batch, br * bc),
    transB,
    m,
    k,
    n,
    out.data,
  );
  // An input that takes no gradient (a batch of data) costs no product in the backward.
  return record(
    'matmul',
    [a, b],
    out,
    // Products of their own (fresh), which a parameter's .grad may take without a copy.
    (g) => [
      !a.requiresGrad ? null : freshGrad(transA ? mm(b, g, transB, true) : mm(g, b, false, !transB)), // ∂/∂A = G·Bᵀ
      !b.requiresGrad ? null : freshGrad(transB ? mm(g, a, true, transA) : mm(a, g, !transA, false)), // ∂/∂B = Aᵀ·G
    ],
    [a.requiresGrad && b, b.requiresGrad && a],
  );
}

/**
 * Matrix product with numpy's rules: 1-D·1-D is a dot product, a 1-D operand is promoted to a
 * matrix and the added dim removed after, higher ranks are batches with broadcast batch dims.
 * @example matmul(tensor([[1, 2]]), tensor([[3], [4]])); // [[11]]
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  checkTensors(a, b, 'matmul');
  if (a.ndim === 0 || b.ndim === 0)
    throw new RangeError(
      `matmul: both arguments need at least one dim, got shapes ${fmt(a.shape)} and ${fmt(b.shape)}`,
    );
  if (a.ndim === 1 && b.ndim === 1 && a.size !== b.size)
    throw new RangeError(`matmul: shapes ${fmt(a.shape)} and ${fmt(b.shape)} are not aligned (${a.size} ≠ ${b.size})`);
  const A = a.ndim === 1 ? unsqueeze(a, 0) : a;
  const B = b.ndim === 1 ? unsqueeze(b, -1) : b;
  let out = mmChecked(A, B, false, false, a.shape, b.shape, 'matmul');
  if (a.ndim === 1) out = squeeze(out, -2);
  if (b.ndim === 1) out = squeeze(out, -1);
  return out;
}

/** Dot product of two vectors. @example dot(tensor([1, 2]), tensor([3, 4])); // 11 */
export function dot(a: Tensor, b: Tensor): Tensor {
  checkTensors(a, b, 'dot');
  if (a.ndim !== 1 || b.ndim !== 1)
    throw new RangeError(`dot: expected two 1-D tensors, got shapes ${fmt(a.shape)} and ${fmt(b.shape)}`);
  if (a.size !== b.size)
    throw new RangeError(`dot: shapes ${fmt(a.shape)} and ${fmt(b.shape)} are not aligned (${a.size} ≠ ${b.size})`);
  return matmul(a, b);
}

/** Outer product of two vectors. @example outer(tensor([1, 2]), tensor([3])); // [[3], [6]] */
export function outer(a: Tensor, b: Tensor): Tensor {
  checkTensors(a, b, 'outer');
  if (a.ndim !== 1 || b.ndim !== 1)
    throw new RangeError(`outer: expected two 1-D tensors, got shapes ${fmt(a.shape)} and ${fmt(b.shape)}`);
  return mm(reshape(a, [-1, 1]), reshape(b, [1, -1]));
}
