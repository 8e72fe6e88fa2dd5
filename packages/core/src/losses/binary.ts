import { sigmoid, softplus } from '../ops/activation.js';
import { add, clamp, div, log, mul, neg, sub } from '../ops/elementwise.js';
import { noGrad } from '../engine.js';
import { broadcastShapes, fmt, sameShape } from '../shape.js';
import { record } from '../record.js';
import { type Tensor, assertTensor } from '../tensor.js';
import { reduceLoss } from './reduction.js';
import { type Reduction, at, checkOptionKeys, checkReduction } from './targets.js';

/** PyTorch's floor for x(1 − x) in the gradient: 1e-12 held as a float32 (9.99999996e-13). */
const EPS = Math.fround(1e-12);

/** Options of the binary cross-entropies. */
export interface BinaryOptions {
  /** A weight per element, broadcast to the input's shape. */
  weight?: Tensor | null;
  reduction?: Reduction;
}

function checkPair(fn: string, input: Tensor, target: Tensor, opts: BinaryOptions): void {
  checkOptionKeys(
    opts,
    fn,
    fn === 'binaryCrossEntropy' ? ['weight', 'reduction'] : ['weight', 'reduction', 'posWeight'],
  );
  assertTensor(input, fn, 'input');
  assertTensor(target, fn, 'target');
  checkReduction(opts.reduction ?? 'mean', fn);
  if (!sameShape(input.shape, target.shape))
    throw new RangeError(`${fn}: target shape ${fmt(target.shape)} must equal input shape ${fmt(input.shape)}`);
  // A NaN target would give a NaN loss silently (crossEntropy rejects NaN targets too).
  for (let i = 0; i < target.size; i++)
    if (Number.isNaN(target.data[i]))
      throw new RangeError(
        `${fn}: target holds NaN at ${at(target.shape, i)}; expected numbers (probabilities of class 1)`,
      );
  for (const [name, w] of [
    ['weight', opts.weight],
    ['posWeight', (opts as { posWeight?: Tensor | null }).posWeight],
  ] as const) {
    if (w === undefined || w === null) continue;
    assertTensor(w, fn, name);
    let b: number[] | null = null;
    try {
      b = broadcastShapes(w.shape, input.shape, fn);
    } catch {
      /* named below */
    }
    if (!b || !sameShape(b, input.shape))
      throw new RangeError(
        `${fn}: ${name} of shape ${fmt(w.shape)} does not broadcast to the input shape ${fmt(input.shape)}`,
      );
  }
}

/**
 * Binary cross-entropy of probabilities, as PyTorch's `F.binary_cross_entropy`:
 *   −w · (t · log x + (1 − t) · log(1 − x)), each log clamped at −100 (so x = 0 or 1 stays finite).
 * Gradient as PyTorch: w · (x − t) / max(x(1 − x), 1e-12); the target's: −w·(log x − log(1 − x)) with the
 * logs clamped as in the loss (PyTorch: −w·logit(x), infinite at 0 and 1). The input must lie in [0, 1];
 * the weight gets no gradient.
 * @example binaryCrossEntropy(tensor([0.8]), tensor([1])); // 0.2231 = −log 0.8
 */
export function binaryCrossEntropy(input: Tensor, target: Tensor, opts: BinaryOptions = {}): Tensor {
  const fn = 'binaryCrossEntropy';
  checkPair(fn, input, target, opts);
  for (let i = 0; i < input.size; i++) {
    const v = input.data[i]!;
    if (!(v >= 0 && v <= 1))
      throw new RangeError(`${fn}: input must hold probabilities in [0, 1], found ${v} at ${at(input.shape, i)}`);
  }
  const w = opts.weight ?? null;
  const values = noGrad(() => {
    const l = neg(add(mul(target, clamp(log(input), -100)), mul(sub(1, target), clamp(log(sub(1, input)), -100))));
    return w ? mul(l, w) : l;
  });
  const elems = record(
    fn,
    [input, target],
    values,
    (g) => {
      const d = div(sub(input, target), clamp(mul(input, sub(1, input)), EPS)); // (x − t) / max(x(1 − x), ε)
      // ∂/∂t = −(log x − log(1 − x)), with the forward's clamps at −100 (PyTorch: −logit(x), unclamped)
      const dt = target.requiresGrad ? neg(sub(clamp(log(input), -100), clamp(log(sub(1, input)), -100))) : null;
      return scaled(g, w, d, dt);
    },
    [input, target, w],
  );
  return reduceLoss(elems, opts.reduction ?? 'mean');
}

/** g·w·d for the input and g·w·dt for the target (w: the optional weight; dt null when the target needs none). */
function scaled(g: Tensor, w: Tensor | null, d: Tensor, dt: Tensor | null): (Tensor | null)[] {
  const gw = w ? mul(g, w) : g;
  return [mul(gw, d), dt && mul(gw, dt)];
}

/**
 * Binary cross-entropy on logits, as PyTorch's `F.binary_cross_entropy_with_logits`:
 *   w · ((1 − t)·x + (1 + (posWeight − 1)·t) · softplus(−x)),
 * finite for every finite x (softplus(−x) = max(−x, 0) + log1p(e^−|x|)). posWeight broadcasts
 * along the last dim (one per class). Gradient: w · ((1 − t) − (1 + (posWeight − 1)·t)·σ(−x)),
 * which is σ(x) − t without posWeight; the target's: w · (−x + (posWeight − 1)·softplus(−x)), as PyTorch.
 * @example binaryCrossEntropyWithLogits(tensor([0]), tensor([1])); // 0.6931
 */
export function binaryCrossEntropyWithLogits(
  input: Tensor,
  target: Tensor,
  opts: BinaryOptions & { posWeight?: Tensor | null } = {},
): Tensor {
  const fn = 'binaryCrossEntropyWithLogits';
  checkPair(fn, input, target, opts);
  const w = opts.weight ?? null,
    pw = opts.posWeight ?? null;
  const lw = (): Tensor | number => (pw ? add(mul(sub(pw, 1), target), 1) : 1); // 1 + (posWeight − 1)·t
  const values = noGrad(() => {
    const l = add(mul(sub(1, target), input), mul(lw(), softplus(neg(input))));
    return w ? mul(l, w) : l;
  });
  const elems = record(
    fn,
    [input, target],
    values,
    (g) => {
      const d = sub(sub(1, target), mul(lw(), sigmoid(neg(input)))); // d/dx = (1 − t) − lw·σ(−x)
      // d/dt = −x + (posWeight − 1)·softplus(−x)
      const dt = !target.requiresGrad ? null : pw ? sub(mul(sub(pw, 1), softplus(neg(input))), input) : neg(input);
      return scaled(g, w, d, dt);
    },
    [input, target, w, pw],
  );
  return reduceLoss(elems, opts.reduction ?? 'mean');
}
