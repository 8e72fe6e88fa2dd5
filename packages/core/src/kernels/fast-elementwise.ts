import type { Storage } from '../dtype.js';
import { referenceKernels } from './reference.js';
import type { BinaryOp, Kernels } from './types.js';

/*
 * Fast paths for the elementwise work a training step does between its matrix products:
 *   - ReLU (clamp at 0), its mask (x ≤ 0) and the select of its backward (where) without a
 *     data-dependent branch: a ReLU's input is positive half the time at random, and a
 *     mispredicted branch per element costs more than the arithmetic; the fused ReLU backward
 *     (activationGrad) the same way, one select of g's words by x ≤ 0;
 *   - add/sub/mul/div on contiguous operands, a scalar, or a bias row repeated down the rows,
 *     each as one flat loop instead of a walk over strided rows;
 *   - sums over the leading dims (a bias gradient), the trailing dims, or everything.
 * Anything else goes to the reference kernels, which stay the oracle these are tested against
 * (bit for bit: same results for −0, ±∞ and NaN, same float32 rounding).
 */

export const fastUnaryParam: Kernels['unaryParam'] = (op, x, alpha, out) => {
  if ((op !== 'clampMin' && op !== 'clampMax') || alpha !== 0) {
    referenceKernels.unaryParam(op, x, alpha, out);
    return;
  }
  const n = out.length,
    lo = op === 'clampMin';
  for (let i = 0; i < n; i++) {
    const v = x[i]!;
    let r = v * +(lo ? v > 0 : v < 0) + 0; // v where it is kept, +0 where it is clamped, no branch
    // Rare values take the reference's branch: ±0 keeps its sign, −∞·0 (NaN) is the bound, NaN stays NaN.
    if (r !== r || v === 0) r = (lo ? v < 0 : v > 0) ? 0 : v;
    out[i] = r;
  }
};

type Cmp = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';
const cmp = (op: BinaryOp): op is Cmp =>
  op === 'eq' || op === 'ne' || op === 'gt' || op === 'ge' || op === 'lt' || op === 'le';

/** out[i] = [a[i] ∘ b[i]] (1 or 0) with b of step 0 or 1, as a number from the boolean: no branch. */
function compareFlat(op: Cmp, a: Storage, b: Storage, bs: number, out: Storage, n: number): void {
  switch (op) {
    case 'eq':
      for (let i = 0; i < n; i++) out[i] = +(a[i] === b[i * bs]);
      break;
    case 'ne':
      for (let i = 0; i < n; i++) out[i] = +(a[i] !== b[i * bs]);
      break;
    case 'gt':
      for (let i = 0; i < n; i++) out[i] = +(a[i]! > b[i * bs]!);
      break;
    case 'ge':
      for (let i = 0; i < n; i++) out[i] = +(a[i]! >= b[i * bs]!);
      break;
    case 'lt':
      for (let i = 0; i < n; i++) out[i] = +(a[i]! < b[i * bs]!);
      break;
    case 'le':
      for (let i = 0; i < n; i++) out[i] = +(a[i]! <= b[i * bs]!);
      break;
  }
}

/** 32-bit words of a float array (one per float32, two per float64), for a bit-exact select. */
const words = (x: Storage): Int32Array => new Int32Array(x.buffer, x.byteOffset, x.byteLength >> 2);

export const fastWhere: Kernels['where'] = (c, cStrides, a, aStrides, b, bStrides, shape, out) => {
  const n = out.length;
  const lc = n > 0 ? layout(cStrides, shape) : null,
    la = layout(aStrides, shape),
    lb = layout(bStrides, shape);
  const sameType = a.constructor === out.constructor && b.constructor === out.constructor;
  if (lc !== 'all' || !sameType || (la !== 'all' && la !== 'one') || (lb !== 'all' && lb !== 'one')) {
    referenceKernels.where(c, cStrides, a, aStrides, b, bStrides, shape, out);
    return;
  }
  // Select whole words with a mask (−1 where c is nonzero, NaN included; 0 elsewhere): exact for every value, no
  // branch.
  const wa = words(a),
    wb = words(b),
    wo = words(out);
  const k = wo.length / n; // words per element
  const sa = la === 'all' ? k : 0,
    sb = lb === 'all' ? k : 0;
  if (k === 1) {
    for (let i = 0; i < n; i++) {
      const m = -+(c[i]! !== 0); // nonzero (NaN too) is true, as PyTorch's bool()
      wo[i] = (wa[i * sa]! & m) | (wb[i * sb]! & ~m);
    }
  } else {
    for (let i = 0, o = 0; i < n; i++, o += 2) {
      const m = -+(c[i]! !== 0);
      const ia = i * sa,
        ib = i * sb;
      wo[o] = (wa[ia]! & m) | (wb[ib]! & ~m);
      wo[o + 1] = (wa[ia + 1]! & m) | (wb[ib + 1]! & ~m);
    }
  }
};

type Arith = 'add' | 'sub' | 'mul' | 'div';
const arith = (op: BinaryOp): op is Arith => op === 'add' || op === 'sub' || op === 'mul' || op === 'div';

/** out[i] = a[i] ∘ b[i] for i < n, where a (or b) with step 0 is one number repeated. */
function flat(
  op: Arith,
  a: Storage,
  ao: number,
  as: number,
  b: Storage,
  bo: number,
  bs: number,
  out: Storage,
  oo: number,
  n: number,
): void {
  if (as === 1 && bs === 1) {
    switch (op) {
      case 'add':
        for (let i = 0; i < n; i++) out[oo + i] = a[ao + i]! + b[bo + i]!;
        break;
      case 'sub':
        for (let i = 0; i < n; i++) out[oo + i] = a[ao + i]! - b[bo + i]!;
        break;
      case 'mul':
        for (let i = 0; i < n; i++) out[oo + i] = a[ao + i]! * b[bo + i]!;
        break;
      case 'div':
        for (let i = 0; i < n; i++) out[oo + i] = a[ao + i]! / b[bo + i]!;
        break;
    }
  } else if (bs === 0) {
    const s = b[bo]!;
    switch (op) {
      case 'add':
        for (let i = 0; i < n; i++) out[oo + i] = a[ao + i * as]! + s;
        break;
      case 'sub':
        for (let i = 0; i < n; i++) out[oo + i] = a[ao + i * as]! - s;
        break;
      case 'mul':
        for (let i = 0; i < n; i++) out[oo + i] = a[ao + i * as]! * s;
        break;
      case 'div':
        for (let i = 0; i < n; i++) out[oo + i] = a[ao + i * as]! / s;
        break;
    }
  } else {
    const s = a[ao]!; // as === 0
    switch (op) {
      case 'add':
        for (let i = 0; i < n; i++) out[oo + i] = s + b[bo + i * bs]!;
        break;
      case 'sub':
        for (let i = 0; i < n; i++) out[oo + i] = s - b[bo + i * bs]!;
        break;
      case 'mul':
        for (let i = 0; i < n; i++) out[oo + i] = s * b[bo + i * bs]!;
        break;
      case 'div':
        for (let i = 0; i < n; i++) out[oo + i] = s / b[bo + i * bs]!;
        break;
    }
  }
}

/**
 * How an operand is read over `shape`: 'all' contiguous, 'one' a single number, 'row' the last dim repeated down the
 * rest.
 */
function layout(strides: readonly number[], shape: readonly number[]): 'all' | 'one' | 'row' | null {
  let acc = 1,
    contiguous = true,
    zero = true;
  for (let d = shape.length - 1; d >= 0; d--) {
    if (shape[d] !== 1 && strides[d] !== acc) contiguous = false;
    if (shape[d] !== 1 && strides[d] !== 0) zero = false;
    acc *= shape[d]!;
  }
  if (contiguous) return 'all';
  if (zero) return 'one';
  const nd = shape.length;
  if (
    nd >= 2 &&
    (strides[nd - 1] === 1 || shape[nd - 1] === 1) &&
    strides.slice(0, nd - 1).every((s, d) => s === 0 || shape[d] === 1)
  )
    return 'row';
  return null;
}

export const fastBinary: Kernels['binary'] = (op, a, aStrides, b, bStrides, shape, out) => {
  const n = out.length;
  if (cmp(op) && n > 0 && layout(aStrides, shape) === 'all') {
    const lb = layout(bStrides, shape);
    if (lb === 'all' || lb === 'one') {
      compareFlat(op, a, b, lb === 'all' ? 1 : 0, out, n);
      return;
    }
  }
  const la = arith(op) && n > 0 ? layout(aStrides, shape) : null;
  const lb = la ? layout(bStrides, shape) : null;
  if (!la || !lb || !arith(op) || (la === 'row' && lb === 'row')) {
    referenceKernels.binary(op, a, aStrides, b, bStrides, shape, out);
    return;
  }
  if (la !== 'row' && lb !== 'row') {
    flat(op, a, 0, la === 'one' ? 0 : 1, b, 0, lb === 'one' ? 0 : 1, out, 0, n);
    return;
  }
  // One operand is a row (a bias) repeated down the rows: one flat loop per row.
  const w = shape[shape.length - 1]!;
  for (let o = 0; o < n; o += w) {
    if (la === 'row') flat(op, a, 0, 1, b, lb === 'all' ? o : 0, lb === 'all' ? 1 : 0, out, o, w);
    else flat(op, a, la === 'all' ? o : 0, la === 'all' ? 1 : 0, b, 0, 1, out, o, w);
  }
};

export const fastReduce: Kernels['reduce'] = (op, x, shape, reduced, out) => {
  const nd = shape.length;
  if (op !== 'sum' || nd === 0 || x.length === 0) {
    referenceKernels.reduce(op, x, shape, reduced, out);
    return;
  }
  // Split the dims into a reduced prefix and a kept suffix (or the reverse); anything else: reference.
  let cut = 0;
  while (cut < nd && reduced[cut]) cut++;
  const keptSuffix = reduced.slice(cut).every((r) => !r);
  let cut2 = 0;
  while (cut2 < nd && !reduced[cut2]) cut2++;
  const reducedSuffix = cut2 < nd && reduced.slice(cut2).every((r) => r);
  if (reducedSuffix) {
    // Σ over the trailing dims: out[i] = Σⱼ x[i·w + j], summed in a local one last-dim row at a
    // time and stored after each row, so float32 rounds exactly where the reference rounds.
    const rows = out.length,
      w = x.length / rows,
      inner = shape[nd - 1]!;
    for (let i = 0, o = 0; i < rows; i++) {
      let s = 0;
      for (let end = o + w; o < end; o += inner) {
        for (let j = 0; j < inner; j++) s += x[o + j]!;
        s = out instanceof Float32Array ? Math.fround(s) : s;
      }
      out[i] = s;
    }
  } else if (keptSuffix) {
    // Σ over the leading dims: out[j] = Σᵢ x[i·w + j] (w = size of the kept dims), rows added in order.
    const w = out.length,
      rows = x.length / w;
    out.fill(0);
    for (let i = 0, o = 0; i < rows; i++, o += w) for (let j = 0; j < w; j++) out[j] = out[j]! + x[o + j]!;
  } else {
    referenceKernels.reduce(op, x, shape, reduced, out);
  }
};

/**
 * Fused activation backward: ReLU's as a branch-free select of g's words, leakyRelu's from the reference.
 * @example fastActivationGrad('relu', x, g, 0, out);
 */
export const fastActivationGrad: Kernels['activationGrad'] = (op, x, g, alpha, out) => {
  if (op !== 'relu' || g.constructor !== out.constructor) {
    referenceKernels.activationGrad(op, x, g, alpha, out);
    return;
  }
  // Keep g's words where x ≤ 0 is false (x > 0 or NaN), all-zero words (+0) elsewhere: no branch, exact.
  const n = out.length,
    wg = words(g),
    wo = words(out);
  if (wo.length === n) {
    for (let i = 0; i < n; i++) wo[i] = wg[i]! & (+(x[i]! <= 0) - 1);
  } else {
    for (let i = 0, o = 0; i < n; i++, o += 2) {
      const m = +(x[i]! <= 0) - 1;
      wo[o] = wg[o]! & m;
      wo[o + 1] = wg[o + 1]! & m;
    }
  }
};
