import { alloc } from './dtype.js';
import { gradients } from './functional.js';
import { fmt } from './shape.js';
import { Tensor, assertTensor, describe } from './tensor.js';

/** Options of `gradcheck`: the step and the tolerances (a mismatch is |analytic − numeric| > atol + rtol·|numeric|). */
export interface GradcheckOptions {
  /** Step of the central difference. */
  eps?: number;
  atol?: number;
  rtol?: number;
  /** Throw (the default) or return false on a mismatch. */
  raiseException?: boolean;
}

/**
 * Compares the analytic Jacobian of `f` with central differences (f(x + ε) − f(x − ε)) / 2ε in
 * float64, for every input element and every output element. A mismatch beyond atol + rtol·|numeric|
 * names the worst one: the input, its index, both values.
 * @example gradcheck((x) => x.tanh(), [randn([3])]); // true
 */
export function gradcheck(
  f: (...inputs: Tensor[]) => Tensor,
  inputs: readonly Tensor[],
  opts: GradcheckOptions = {},
): boolean {
  const { eps = 1e-6, atol = 1e-5, rtol = 1e-3, raiseException = true } = opts;
  if (typeof f !== 'function') throw new TypeError(`gradcheck: f must be a function of tensors, got ${describe(f)}`);
  if (!Array.isArray(inputs))
    throw new TypeError(`gradcheck: inputs must be an array of Tensors, got ${describe(inputs)}`);
  const xs = inputs.map((x, i) => {
    assertTensor(x, 'gradcheck', `inputs[${i}]`);
    if (x.dtype !== 'float64')
      throw new TypeError(`gradcheck: inputs must be float64 for central differences to be accurate, got ${x.dtype}`);
    return new Tensor(x.data.slice(), x.shape, true);
  });
  const y = f(...xs);
  if (!(y instanceof Tensor)) throw new TypeError(`gradcheck: f must return a Tensor, got ${describe(y)}`);
  const base = y.data.slice();
  let worst = { excess: 0, input: -1, index: -1, output: -1, analytic: 0, numeric: 0 };
  // Analytic: one backward pass per output element, giving a row of each input's Jacobian.
  const rows: Float64Array[][] = [];
  for (let o = 0; o < y.size; o++) {
    const e = new Tensor(alloc('float64', y.size), y.shape);
    e.data[o] = 1;
    const gs = y.requiresGrad
      ? gradients(y, xs, { gradOutput: e })
      : xs.map((x) => new Tensor(alloc('float64', x.size), x.shape));
    rows.push(gs.map((g) => Float64Array.from(g.data)));
  }
  // The perturbed evaluations run in the caller's grad mode (not under noGrad), so that an `f` that
  // differentiates inside (`gradients(...)`, a gradient of a gradient) evaluates the same function.
  xs.forEach((x, k) => {
    for (let i = 0; i < x.size; i++) {
      const keep = x.data[i]!;
      x.data[i] = keep + eps;
      const plus = f(...xs).data.slice();
      x.data[i] = keep - eps;
      const minus = f(...xs).data.slice();
      x.data[i] = keep;
      for (let o = 0; o < base.length; o++) {
        const numeric = (plus[o]! - minus[o]!) / (2 * eps);
        const analytic = rows[o]![k]![i]!;
        // Equal values (∞ = ∞, NaN with NaN) agree; otherwise a NaN or ∞ on either side is a mismatch
        // (the tolerance formula would give NaN there and let it pass).
        const same = Object.is(analytic, numeric) || analytic === numeric;
        const bad = !same && !(Number.isFinite(analytic) && Number.isFinite(numeric));
        const excess = same ? 0 : bad ? Infinity : Math.abs(analytic - numeric) - (atol + rtol * Math.abs(numeric));
        if (excess > worst.excess || (bad && worst.excess !== Infinity))
          worst = { excess, input: k, index: i, output: o, analytic, numeric };
      }
    }
  });
  if (worst.excess <= 0) return true;
  const at = (t: Tensor, flat: number): string => {
    const idx: number[] = [];
    let r = flat;
    for (let d = t.ndim - 1; d >= 0; d--) {
      idx.unshift(r % t.shape[d]!);
      r = Math.floor(r / t.shape[d]!);
    }
    return fmt(idx);
  };
  const msg =
    `gradcheck: the gradient of output ${at(y, worst.output)} with respect to input ${worst.input} at ${at(xs[worst.input]!, worst.index)} ` +
    `is ${worst.analytic} analytically but ${worst.numeric} by central differences (eps ${eps}); ` +
    (worst.excess === Infinity
      ? Number.isNaN(worst.analytic) !== Number.isNaN(worst.numeric)
        ? 'only one of them is NaN'
        : 'they differ and one of them is infinite'
      : `the difference ${Math.abs(worst.analytic - worst.numeric)} exceeds atol ${atol} + rtol ${rtol} × |numeric|`) +
    ` (op of the output: ${y.op})`;
  if (raiseException) throw new Error(msg);
  return false;
}
