import { type DType, alloc, checkDType, promote } from '../dtype.js';
import { type BinaryOp, type UnaryOp, kernels } from '../kernels/index.js';
import { broadcastShapes, broadcastStrides } from '../shape.js';
import { record } from '../record.js';
import { Tensor, type TensorLike, asTensor, assertTensor } from '../tensor.js';

/* Elementwise ops with numpy broadcasting. Each op: the kernel call, then its derivative as
   differentiable tensor ops one line below. The engine undoes broadcasting afterwards. */

/** out = op(x) elementwise, a fresh tensor (not recorded). @example map(t, 'exp'); */
export function map(x: Tensor, op: UnaryOp): Tensor {
  const out = new Tensor(alloc(x.dtype, x.size), x.shape);
  kernels().unary(op, x.data, out.data);
  return out;
}

function zip(a: Tensor, b: Tensor, op: BinaryOp, name: string, dtype: DType = promote(a.dtype, b.dtype)): Tensor {
  const shape = broadcastShapes(a.shape, b.shape, name);
  const out = new Tensor(
    alloc(
      dtype,
      shape.reduce((p, d) => p * d, 1),
    ),
    shape,
  );
  kernels().binary(
    op,
    a.data,
    broadcastStrides(a.shape, shape),
    b.data,
    broadcastStrides(b.shape, shape),
    shape,
    out.data,
  );
  return out;
}

function pair(a: TensorLike, b: TensorLike, op: string): [Tensor, Tensor] {
  if (a instanceof Tensor) return [a, asTensor(b, a, op)];
  if (b instanceof Tensor) return [asTensor(a, b, op), b];
  return [asTensor(a, undefined, op), asTensor(b, undefined, op)];
}

/** a + b, broadcast. @example add(tensor([1, 2]), 1); // [2, 3] */
export function add(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = pair(a, b, 'add');
  return record('add', [x, y], zip(x, y, 'add', 'add'), (g) => [g, g], []); // ∂(x+y) = 1, 1
}

/** a − b, broadcast. @example sub(tensor([3]), tensor([1])); // [2] */
export function sub(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = pair(a, b, 'sub');
  return record('sub', [x, y], zip(x, y, 'sub', 'sub'), (g) => [g, neg(g)], []); // ∂(x−y) = 1, −1
}

/** a · b elementwise, broadcast. @example mul(tensor([2, 3]), 2); // [4, 6] */
export function mul(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = pair(a, b, 'mul');
  return record('mul', [x, y], zip(x, y, 'mul', 'mul'), (g) => [mul(g, y), mul(g, x)], [
    x.requiresGrad && y, // y is read for x's gradient only, x for y's (as PyTorch saves them)
    y.requiresGrad && x,
  ]); // ∂(xy) = y, x
}

/** a / b elementwise, broadcast. @example div(tensor([1]), 4); // [0.25] */
export function div(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = pair(a, b, 'div');
  const out = zip(x, y, 'div', 'div');
  return record('div', [x, y], out, (g) => [div(g, y), neg(div(mul(g, x), mul(y, y)))], [y, y.requiresGrad && x]); // ∂(x/y) = 1/y, −x/y²
}

/** aᵇ elementwise; a number exponent is the common case. @example pow(tensor([3]), 2); // [9] */
export function pow(a: TensorLike, b: TensorLike): Tensor {
  if (typeof b === 'number' && a instanceof Tensor) {
    const out = new Tensor(alloc(a.dtype, a.size), a.shape);
    const k = kernels();
    // As PyTorch, these exponents go through their own functions, which differ from JS's ** at
    // −0 and ±∞ (e.g. (−∞)^0.5 is NaN as √(−∞), not +∞).
    if (b === 0.5) k.unary('sqrt', a.data, out.data);
    else if (b === -0.5) {
      k.unary('sqrt', a.data, out.data);
      k.unary('reciprocal', out.data, out.data);
    } else if (b === 2) k.unary('square', a.data, out.data);
    else if (b === -1) k.unary('reciprocal', a.data, out.data);
    else k.unaryParam('powScalar', a.data, b, out.data);
    // x⁰ = 1 has gradient 0 everywhere, even where g is ±∞ (PyTorch gives zeros, not null or NaN).
    return record(
      'pow',
      [a],
      out,
      (g) => [b === 0 ? new Tensor(alloc(a.dtype, a.size), a.shape) : mul(g, mul(pow(a, b - 1), b))],
      [b !== 0 && a],
    ); // d xᵏ = k xᵏ⁻¹
  }
  const [x, y] = pair(a, b, 'pow');
  const out = zip(x, y, 'pow', 'pow');
  return record(
    'pow',
    [x, y],
    out,
    (g) => [
      where(eq(y, 0), 0, mul(g, mul(y, pow(x, sub(y, 1))))), // ∂xʸ/∂x = y xʸ⁻¹ (0 where y = 0, even at x = 0: PyTorch)
      where(eq(x, 0), 0, mul(g, mul(out, log(x)))), // ∂xʸ/∂y = xʸ log x (0 where x = 0, as PyTorch)
    ],
    [x, x.requiresGrad && y, y.requiresGrad && out], // y is read for x's gradient only, xʸ for y's only
  );
}

/** −x. @example neg(tensor([1])); // [-1] */
export function neg(x: TensorLike): Tensor {
  const t = asTensor(x, undefined, 'neg');
  return record('neg', [t], map(t, 'neg'), (g) => [neg(g)], []); // d(−x) = −1
}

/** eˣ. @example exp(tensor([0])); // [1] */
export function exp(x: TensorLike): Tensor {
  const t = asTensor(x, undefined, 'exp');
  const out = map(t, 'exp');
  return record('exp', [t], out, (g) => [mul(g, out)], [out]); // d eˣ = eˣ
}

/** Natural log. @example log(tensor([Math.E])); // [1] */
export function log(x: TensorLike): Tensor {
  const t = asTensor(x, undefined, 'log');
  return record('log', [t], map(t, 'log'), (g) => [div(g, t)], [t]); // d log x = 1/x
}

/** √x. @example sqrt(tensor([4])); // [2] */
export function sqrt(x: TensorLike): Tensor {
  const t = asTensor(x, undefined, 'sqrt');
  const out = map(t, 'sqrt');
  return record('sqrt', [t], out, (g) => [div(g, mul(out, 2))], [out]); // d √x = 1/(2√x)
}

/** |x|; its derivative at 0 is 0, as PyTorch. @example abs(tensor([-2])); // [2] */
export function abs(x: TensorLike): Tensor {
  const t = asTensor(x, undefined, 'abs');
  return record('abs', [t], map(t, 'abs'), (g) => [mul(g, sign(t))], [t]); // d|x| = sign x (0 at 0 and at NaN, as PyTorch)
}

/**
 * sign(x) = [x > 0] − [x < 0] ∈ {−1, 0, 1} (0 for NaN, as PyTorch); not differentiable.
 * @example sign(tensor([-3])); // [-1]
 */
export function sign(x: TensorLike): Tensor {
  const t = asTensor(x, undefined, 'sign');
  const out = zip(t, asTensor(0, t), 'gt', 'sign');
  const neg = zip(t, asTensor(0, t), 'lt', 'sign');
  kernels().binary('sub', out.data, [1], neg.data, [1], [out.size], out.data);
  return out;
}

/** x². @example square(tensor([3])); // [9] */
export function square(x: TensorLike): Tensor {
  const t = asTensor(x, undefined, 'square');
  return record('square', [t], map(t, 'square'), (g) => [mul(g, mul(t, 2))], [t]); // d x² = 2x
}

/** The Gauss error function. @example erf(tensor([0])); // [0] */
export function erf(x: TensorLike): Tensor {
  const t = asTensor(x, undefined, 'erf');
  // d erf = 2/√π e^(−x²)
  return record('erf', [t], map(t, 'erf'), (g) => [mul(g, mul(exp(neg(square(t))), 2 / Math.sqrt(Math.PI)))], [t]);
}

/** sin x. @example sin(tensor([0])); // [0] */
export function sin(x: TensorLike): Tensor {
  const t = asTensor(x, undefined, 'sin');
  return record('sin', [t], map(t, 'sin'), (g) => [mul(g, cos(t))], [t]); // d sin = cos
}

/** cos x. @example cos(tensor([0])); // [1] */
export function cos(x: TensorLike): Tensor {
  const t = asTensor(x, undefined, 'cos');
  return record('cos', [t], map(t, 'cos'), (g) => [neg(mul(g, sin(t)))], [t]); // d cos = −sin
}

/**
 * Limits x to [min, max] (either may be null); the gradient passes where min ≤ x ≤ max.
 * @example clamp(tensor([-2, 5]), 0, 1); // [0, 1]
 */
export function clamp(x: TensorLike, min?: number | null, max?: number | null): Tensor {
  const t = asTensor(x, undefined, 'clamp');
  if ((min === undefined || min === null) && (max === undefined || max === null))
    throw new TypeError('clamp: at least one of min and max must be given');
  for (const [name, v] of [
    ['min', min],
    ['max', max],
  ] as const) {
    if (v !== undefined && v !== null && (typeof v !== 'number' || Number.isNaN(v)))
      throw new TypeError(`clamp: ${name} must be a number or null, got ${typeof v === 'number' ? 'NaN' : typeof v}`);
  }
  const out = new Tensor(alloc(t.dtype, t.size), t.shape);
  out.data.set(t.data);
  if (min !== undefined && min !== null) kernels().unaryParam('clampMin', out.data, min, out.data);
  if (max !== undefined && max !== null) kernels().unaryParam('clampMax', out.data, max, out.data);
  return record(
    'clamp',
    [t],
    out,
    (g) => {
      let keep = min !== undefined && min !== null ? ge(t, min) : null;
      if (max !== undefined && max !== null) keep = keep ? mul(keep, le(t, max)) : le(t, max);
      return [mul(g, keep!)]; // d clamp = [min ≤ x ≤ max]
    },
    [t],
  );
}

/**
 * Elementwise max, NaN-propagating; ties share the gradient equally (as PyTorch).
 * @example maximum(tensor([1, 5]), 3); // [3, 5]
 */
export function maximum(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = pair(a, b, 'maximum');
  return record(
    'maximum',
    [x, y],
    zip(x, y, 'maximum', 'maximum'),
    (g) => {
      const shared = where(eq(x, y), mul(g, 0.5), g);
      // 1 where it wins, ½ on a tie, 1 to both at a NaN (PyTorch)
      return [where(lt(x, y), 0, shared), where(gt(x, y), 0, shared)];
    },
    [x, y],
  );
}

/** Elementwise min, NaN-propagating; ties share the gradient equally. @example minimum(tensor([1, 5]), 3); // [1, 3] */
export function minimum(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = pair(a, b, 'minimum');
  return record(
    'minimum',
    [x, y],
    zip(x, y, 'minimum', 'minimum'),
    (g) => {
      const shared = where(eq(x, y), mul(g, 0.5), g);
      return [where(gt(x, y), 0, shared), where(lt(x, y), 0, shared)]; // as maximum, mirrored
    },
    [x, y],
  );
}

/**
 * cond ? a : b elementwise, broadcast over all three; cond is nonzero-is-true.
 * @example where(tensor([1, 0]), 5, 7); // [5, 7]
 */
export function where(cond: TensorLike, a: TensorLike, b: TensorLike): Tensor {
  const c = asTensor(cond, undefined, 'where');
  const [x, y] = pair(a, b, 'where');
  const shape = broadcastShapes(broadcastShapes(c.shape, x.shape, 'where'), y.shape, 'where');
  const out = new Tensor(
    alloc(
      promote(x.dtype, y.dtype),
      shape.reduce((p, d) => p * d, 1),
    ),
    shape,
  );
  kernels().where(
    c.data,
    broadcastStrides(c.shape, shape),
    x.data,
    broadcastStrides(x.shape, shape),
    y.data,
    broadcastStrides(y.shape, shape),
    shape,
    out.data,
  );
  // the gradient follows the branch taken
  return record('where', [c, x, y], out, (g) => [null, where(c, g, 0), where(c, 0, g)], [c]);
}

function compare(a: TensorLike, b: TensorLike, op: BinaryOp): Tensor {
  const [x, y] = pair(a, b, op);
  return zip(x, y, op, op);
}

/**
 * a = b as a 0/1 mask (not differentiable; PyTorch returns bool, xent a float mask).
 * @example eq(tensor([1, 2]), 2); // [0, 1]
 */
export const eq = (a: TensorLike, b: TensorLike): Tensor => compare(a, b, 'eq');
/** a ≠ b as a 0/1 mask. @example ne(tensor([1, 2]), 2); // [1, 0] */
export const ne = (a: TensorLike, b: TensorLike): Tensor => compare(a, b, 'ne');
/** a > b as a 0/1 mask. @example gt(tensor([1, 2]), 1); // [0, 1] */
export const gt = (a: TensorLike, b: TensorLike): Tensor => compare(a, b, 'gt');
/** a ≥ b as a 0/1 mask. @example ge(tensor([1, 2]), 2); // [0, 1] */
export const ge = (a: TensorLike, b: TensorLike): Tensor => compare(a, b, 'ge');
/** a < b as a 0/1 mask. @example lt(tensor([1, 2]), 2); // [1, 0] */
export const lt = (a: TensorLike, b: TensorLike): Tensor => compare(a, b, 'lt');
/** a ≤ b as a 0/1 mask. @example le(tensor([1, 2]), 1); // [1, 0] */
export const le = (a: TensorLike, b: TensorLike): Tensor => compare(a, b, 'le');

/** A copy with its own storage; the gradient passes through. @example clone(x); */
export function clone(x: Tensor): Tensor {
  assertTensor(x, 'clone');
  const out = new Tensor(x.data.slice(), x.shape);
  return record('clone', [x], out, (g) => [g], []); // d x = 1
}

/** The same values stored as `dtype`; the gradient comes back in the input's dtype. @example cast(x, 'float32'); */
export function cast(x: Tensor, dtype: DType): Tensor {
  assertTensor(x, 'cast');
  checkDType(dtype, 'cast');
  if (x.dtype === dtype) return x;
  const out = new Tensor(alloc(dtype, x.size), x.shape);
  out.data.set(x.data);
  return record('cast', [x], out, (g) => [cast(g, x.dtype)], []); // d x = 1
}
