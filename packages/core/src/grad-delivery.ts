import { type GradSpace, isGradEnabled } from './engine.js';
import { kernels } from './kernels/index.js';
import * as ew from './ops/elementwise.js';
import * as rd from './ops/reduce.js';
import { fmt, sameShape, stridesOf } from './shape.js';
import { Tensor, describe } from './tensor.js';

/*
 * How backward hands gradients to tensors (the engine's GradSpace for Tensor): gradients added, fitted to their
 * input's shape and dtype, and delivered into `.grad`. Delivery avoids copies as PyTorch's AccumulateGrad does:
 * a gradient allocated for one receiver is taken as is, and a `.grad` that backward allocated is added into in
 * place. Two sets of tensors (held weakly) say which is which.
 */

/**
 * The `.grad` tensors backward allocated itself: only these are added into in place (a `.grad` set
 * under createGraph may be a graph tensor, the seed, or one tensor shared by two leaves).
 */
const ownedGrads = new WeakSet<Tensor>();

/**
 * Gradients a backward allocated for one receiver and handed to nobody else yet (a fused backward's output,
 * an accumulated total, a broadcast summed back): the first `.grad` to receive one takes it without a copy,
 * as PyTorch's AccumulateGrad takes a gradient nothing else references. Taken once: a second receiver copies.
 */
const freshGrads = new WeakSet<Tensor>();

/**
 * Marks `t`, a tensor the caller just made and returns as one input's gradient, as free to be taken by that
 * input's `.grad`, unless its storage is that of one of `from` (a view of the incoming gradient, which others
 * may hold). Nothing while a graph is recorded: createGraph gradients are graph tensors.
 * @example return [freshGrad(sum(g, 0), g)];
 */
export function freshGrad(t: Tensor, ...from: Tensor[]): Tensor {
  if (isGradEnabled()) return t;
  for (const f of from) if (t.data.buffer === f.data.buffer) return t;
  freshGrads.add(t);
  return t;
}

/**
 * Whether backward allocated `t` as a `.grad` (so zeroGrad and the next backward may update it in place).
 * @example if (isOwnedGrad(p.grad)) p.grad.data.fill(0);
 */
export function isOwnedGrad(t: Tensor): boolean {
  return ownedGrads.has(t);
}

/**
 * Records `t`, a `.grad` just allocated for one tensor, as backward's own; returns it.
 * @example p.grad = ownGrad(new Tensor(alloc(p.dtype, p.size), p.shape));
 */
export function ownGrad(t: Tensor): Tensor {
  ownedGrads.add(t);
  return t;
}

/**
 * Takes `t` (a seed the caller passed to backward) off the fresh set: a `.grad` never takes it without a copy.
 * @example if (seed === grad) notFresh(seed);
 */
export function notFresh(t: Tensor): void {
  freshGrads.delete(t);
}

/**
 * The engine's operations on Tensor gradients (see engine.ts's GradSpace): add, check, fit and deliver.
 * @example runBackward(root, seed, tensorSpace, false);
 */
export const tensorSpace: GradSpace<Tensor, Tensor> = {
  add: (a, b) => freshGrad(ew.add(a, b), a, b),
  check(node, g) {
    // A .grad assigned by hand must fit before any gradient is delivered (all or nothing).
    const acc = node.grad as unknown;
    if (!(node.isLeaf || node.retainsGrad) || acc === null || acc === undefined) return;
    if (!(acc instanceof Tensor))
      throw new TypeError(
        `backward: the .grad of a tensor of shape ${fmt(node.shape)} is ${describe(acc)}, not a Tensor`,
      );
    if (!sameShape(acc.shape, g.shape))
      throw new RangeError(
        `backward: the .grad of a tensor of shape ${fmt(node.shape)} has shape ${fmt(acc.shape)}; set it to null or to a gradient of the tensor's shape`,
      );
  },
  fit(g, input, op) {
    // A gradient bigger than its input came from broadcasting: sum it back. Any other shape is a
    // bug in the op's backward and sumTo names it (never a silent reshape of a wrong gradient).
    let out = sameShape(g.shape, input.shape) ? g : rd.sumTo(g, input.shape, op);
    if (out.dtype !== input.dtype) out = ew.cast(out, input.dtype);
    return freshGrad(out, g);
  },
  deliver(node, g) {
    if (!(node.isLeaf || node.retainsGrad)) return;
    // createGraph: differentiable, out of place
    if (isGradEnabled()) {
      node.grad = node.grad ? ew.add(node.grad, g) : g;
      return;
    }
    const acc = node.grad;
    if (!acc && freshGrads.delete(g)) {
      node.grad = g; // allocated by this backward for this node alone: no copy
      ownedGrads.add(g);
      return;
    }
    if (acc && ownedGrads.has(acc) && acc.dtype === g.dtype && sameShape(acc.shape, g.shape)) {
      // Into the existing buffer, as PyTorch's AccumulateGrad: no allocation per backward.
      const st = stridesOf(acc.shape);
      kernels().binary('add', acc.data, st, g.data, st, acc.shape, acc.data);
      acc._version++;
      return;
    }
    // Otherwise storage of its own, so that optimizers may update it in place even when one
    // gradient tensor reached two leaves.
    node.grad = acc ? ew.add(acc, g) : ew.clone(g);
    ownedGrads.add(node.grad);
  },
};
