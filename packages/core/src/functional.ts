import { alloc } from './dtype.js';
import { type GradSpace, enableGrad, isGradEnabled, runBackward } from './engine.js';
import { zerosLike } from './ops/creation.js';
import { add, cast } from './ops/elementwise.js';
import { sumTo } from './ops/reduce.js';
import { reshape, stack } from './ops/shape.js';
import { fmt, sameShape } from './shape.js';
import { record } from './record.js';
import { Tensor, assertTensor, describe, viewOf } from './tensor.js';

/**
 * Gradients of `output` with respect to `inputs`, returned rather than stored in `.grad`
 * (PyTorch's `torch.autograd.grad`). An input the output does not depend on gets zeros.
 * @example const [gx] = gradients(x.mul(x).sum(), [x]); // 2x
 */
export function gradients(
  output: Tensor,
  inputs: readonly Tensor[],
  opts: { gradOutput?: Tensor; createGraph?: boolean } = {},
): Tensor[] {
  assertTensor(output, 'gradients', 'output');
  if (!Array.isArray(inputs))
    throw new TypeError(`gradients: inputs must be an array of Tensors, got ${describe(inputs)}`);
  inputs.forEach((x, i) => {
    assertTensor(x, 'gradients', `inputs[${i}]`);
  });
  if (opts.gradOutput !== undefined && !(opts.gradOutput instanceof Tensor))
    assertTensor(opts.gradOutput, 'gradients', 'gradOutput');
  if (!output.requiresGrad) return inputs.map((x) => zerosLike(x));
  const seed =
    opts.gradOutput ??
    (() => {
      if (output.size !== 1)
        throw new Error(
          `gradients: the output has shape ${fmt(output.shape)}; pass gradOutput for a non-scalar output`,
        );
      return new Tensor(alloc(output.dtype, 1).fill(1), output.shape);
    })();
  if (!sameShape(seed.shape, output.shape))
    throw new RangeError(
      `gradients: gradOutput shape ${fmt(seed.shape)} does not match output shape ${fmt(output.shape)}`,
    );
  const found = new Map<Tensor, Tensor>();
  const wanted = new Set(inputs);
  const space: GradSpace<Tensor, Tensor> = {
    add: (a, b) => add(a, b),
    fit: (g, input, op) => {
      // undoes broadcasting, as the engine's space
      const fitted = sameShape(g.shape, input.shape) ? g : sumTo(g, input.shape, op);
      return fitted.dtype === input.dtype ? fitted : cast(fitted, input.dtype); // as the engine's own space
    },
    deliver: (node, g) => {
      if (wanted.has(node)) found.set(node, found.has(node) ? add(found.get(node)!, g) : g);
    },
  };
  runBackward<Tensor, Tensor>(output, seed, space, opts.createGraph ?? false);
  return inputs.map((x) => found.get(x) ?? zerosLike(x));
}

/**
 * Makes `x` a graph input: a node on top of x when the caller's graph goes through x (nesting,
 * `nested`), else a fresh leaf sharing x's data. Called with recording on.
 */
function asInput(x: Tensor, nested: boolean): Tensor {
  return nested && x.requiresGrad ? record('input', [x], viewOf(x, x.shape), (g) => [g], []) : viewOf(x, x.shape, true);
}

type Fn = (...args: Tensor[]) => Tensor;

function checkFn(f: unknown, op: string): void {
  if (typeof f !== 'function')
    throw new TypeError(`${op}: the first argument must be a function of tensors, got ${describe(f)}`);
}

/**
 * The gradient function of a scalar function (of its first argument, or of those in `argnums`).
 * Nests: `grad(grad(f))` is the second derivative.
 * @example grad((x) => x.pow(3).sum())(tensor([2])); // [12]
 */
export function grad(f: Fn, opts?: { argnums?: number }): (...args: Tensor[]) => Tensor;
export function grad(f: Fn, opts: { argnums: readonly number[] }): (...args: Tensor[]) => Tensor[];
export function grad(
  f: Fn,
  opts: { argnums?: number | readonly number[] } = {},
): (...args: Tensor[]) => Tensor | Tensor[] {
  const vg = valueAndGradOf(f, opts, 'grad');
  return (...args) => vg(...args)[1];
}

/**
 * Like `grad`, and returns the function's value too: [value, gradient].
 * @example valueAndGrad((x) => x.square().sum())(tensor([3])); // [9, [6]]
 */
export function valueAndGrad(f: Fn, opts?: { argnums?: number }): (...args: Tensor[]) => [Tensor, Tensor];
export function valueAndGrad(f: Fn, opts: { argnums: readonly number[] }): (...args: Tensor[]) => [Tensor, Tensor[]];
export function valueAndGrad(
  f: Fn,
  opts: { argnums?: number | readonly number[] } = {},
): (...args: Tensor[]) => [Tensor, Tensor | Tensor[]] {
  return valueAndGradOf(f, opts, 'valueAndGrad');
}

/** valueAndGrad, its errors named for `op` (grad or valueAndGrad). */
function valueAndGradOf(
  f: Fn,
  opts: { argnums?: number | readonly number[] },
  op: string,
): (...args: Tensor[]) => [Tensor, Tensor | Tensor[]] {
  checkFn(f, op);
  if (opts === null || typeof opts !== 'object')
    throw new TypeError(`${op}: the options must be an object { argnums? }, got ${describe(opts)}`);
  const argnums = opts.argnums ?? 0;
  const list = typeof argnums === 'number' ? [argnums] : argnums;
  return (...args) => {
    args.forEach((a, i) => {
      assertTensor(a, op, `argument ${i}`);
    });
    // The gradient is itself differentiable when the caller records a graph through the inputs
    // (grad of grad); the function always runs with recording on, even inside noGrad.
    const nested = isGradEnabled() && args.some((a) => a.requiresGrad);
    return enableGrad(() => {
      const xs = args.map((a, i) => (list.includes(i) ? asInput(a, nested) : a));
      const y = f(...xs);
      if (!(y instanceof Tensor) || y.size !== 1)
        throw new Error(
          `${op}: the function must return a one-element tensor, got ${y instanceof Tensor ? `shape ${fmt(y.shape)}` : describe(y)}`,
        );
      const gs = gradients(
        y,
        list.map((i) => xs[i]!),
        { createGraph: nested },
      );
      return [nested ? y : y.detach(), typeof argnums === 'number' ? gs[0]! : gs] as [Tensor, Tensor | Tensor[]];
    });
  };
}

/**
 * The Jacobian of f at x: shape [...f(x).shape, ...x.shape], one backward pass per output element.
 * @example jacobian((x) => x.mul(2), tensor([1, 2])); // [[2, 0], [0, 2]]
 */
export function jacobian(f: (x: Tensor) => Tensor, x: Tensor): Tensor {
  checkFn(f, 'jacobian');
  assertTensor(x, 'jacobian', 'x');
  const nested = x.requiresGrad && isGradEnabled();
  return enableGrad(() => jacobianAt(f, x, nested));
}

function jacobianAt(f: (x: Tensor) => Tensor, x: Tensor, nested: boolean): Tensor {
  const xi = asInput(x, nested);
  const y = f(xi);
  if (!(y instanceof Tensor)) throw new TypeError(`jacobian: the function must return a Tensor, got ${describe(y)}`);
  const rows: Tensor[] = [];
  for (let i = 0; i < y.size; i++) {
    const e = new Tensor(alloc(y.dtype, y.size), y.shape);
    e.data[i] = 1;
    rows.push(gradients(y, [xi], { gradOutput: e, createGraph: nested })[0]!);
  }
  if (rows.length === 0) return new Tensor(alloc(x.dtype, 0), [...y.shape, ...x.shape]);
  return reshape(stack(rows), [...y.shape, ...x.shape]);
}

/**
 * The Hessian of a scalar function: the Jacobian of its gradient, shape [...x.shape, ...x.shape].
 * @example hessian((x) => x.pow(3).sum(), tensor([1])); // [[6]]
 */
export function hessian(f: (x: Tensor) => Tensor, x: Tensor): Tensor {
  checkFn(f, 'hessian');
  assertTensor(x, 'hessian', 'x');
  const g = valueAndGradOf(f, {}, 'hessian');
  return jacobian((z) => g(z)[1] as Tensor, x);
}
