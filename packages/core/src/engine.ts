/**
 * The one backward engine, shared by scalars (`Value`) and tensors (`Tensor`).
 *
 * Every op output carries a node: the op's name, its inputs, and a backward function that maps
 * the gradient of the output to one gradient per input (null where there is none). The engine
 * sorts the graph iteratively (no recursion, so a million-node chain is fine), walks it from the
 * output back, lets a "grad space" fit each gradient to its input (tensors undo broadcasting
 * there, once) and accumulates.
 */

/** What an op output remembers: the op's name, its inputs and the rule from d(output) to one d(input) each. */
export interface OpNode<G, N> {
  readonly op: string;
  readonly inputs: readonly N[];
  /** The vector–Jacobian product: d(output) in, one d(input) out per input (null: none). */
  vjp(grad: G): readonly (G | null | undefined)[];
}

/** Anything the engine can walk: a `Value` or a `Tensor`. */
export interface GraphNode<G> {
  _node: OpNode<G, GraphNode<G>> | null;
  requiresGrad: boolean;
  /** Gradient waiting to be passed on while the engine runs. */
  _pending: G | undefined;
  /** Visit stamp of the last sort that reached this node (cheaper than a Set for huge graphs). */
  _mark: number;
}

let epoch = 0;

/** How gradients of one kind (numbers, tensors) are added, fitted to an input and stored. */
export interface GradSpace<G, N extends GraphNode<G>> {
  add(a: G, b: G): G;
  fit(grad: G, input: N, op: string): G;
  /** Called with each node's total gradient: leaves store it, others may (retainGrad, Value). */
  deliver(node: N, grad: G): void;
  /**
   * Called for every staged delivery before any is made: throws when one cannot be made (a `.grad`
   * of the wrong shape), so that a backward either delivers everything or nothing.
   */
  check?(node: N, grad: G): void;
}

let gradEnabled = true;

/**
 * True while operations record the graph (the default; false inside `noGrad`).
 * @example noGrad(() => isGradEnabled()); // false
 */
export function isGradEnabled(): boolean {
  return gradEnabled;
}

/**
 * Runs `fn` with graph recording switched on or off, restoring the mode after.
 * @example withGradMode(false, () => x.mul(2));
 */
function withGradMode<T>(enabled: boolean, fn: () => T, op = 'withGradMode'): T {
  if (typeof fn !== 'function') throw new TypeError(`${op}: expected a function to run, got ${typeof fn}`);
  const prev = gradEnabled;
  gradEnabled = enabled;
  try {
    return fn();
  } finally {
    gradEnabled = prev;
  }
}

/** Runs `fn` without recording the graph, as PyTorch's `torch.no_grad()`. @example const y = noGrad(() => x.mul(2)); */
export function noGrad<T>(fn: () => T): T {
  return withGradMode(false, fn, 'noGrad');
}

/** Runs `fn` with recording on, even inside `noGrad`. @example enableGrad(() => x.mul(2)); */
export function enableGrad<T>(fn: () => T): T {
  return withGradMode(true, fn, 'enableGrad');
}

/**
 * Nodes reachable from `root` that take part in the gradient, inputs before outputs.
 * Iterative post-order depth-first search: an explicit stack of nodes and child positions.
 * @example topoSort(loss).map((n) => n.op); // ['leaf', 'mul', …, 'sum']
 */
export function topoSort<G, N extends GraphNode<G>>(root: N): N[] {
  const order: N[] = [];
  const stamp = ++epoch;
  root._mark = stamp;
  const none: readonly N[] = [];
  const nodes: N[] = [root];
  const kids: (readonly N[])[] = [(root._node?.inputs ?? none) as readonly N[]];
  const next: number[] = [0];
  while (nodes.length > 0) {
    const top = nodes.length - 1;
    const inputs = kids[top]!;
    const i = next[top]!;
    if (i < inputs.length) {
      next[top] = i + 1;
      const child = inputs[i]!;
      if (child.requiresGrad && child._mark !== stamp) {
        child._mark = stamp;
        nodes.push(child);
        kids.push((child._node?.inputs ?? none) as readonly N[]);
        next.push(0);
      }
    } else {
      order.push(nodes.pop()!);
      kids.pop();
      next.pop();
    }
  }
  return order;
}

/**
 * Back-propagates `seed` from `root` through the graph. With `createGraph` the backward
 * functions run with recording on, so the gradients are themselves differentiable.
 *
 * All or nothing for the leaves (what an optimizer reads): the walk leaves each leaf's total in its
 * `_pending`, and these totals are delivered (to `.grad`) only once the whole walk succeeded and every
 * one passed `check`. A backward that throws half-way (a modified saved tensor, a throwing vjp, a `.grad`
 * of the wrong shape) leaves every leaf's `.grad` as it was, and no stale partial gradient behind.
 * An intermediate node's total (Value's `.grad`, a Tensor's `retainGrad`) is delivered as the walk
 * reaches it, while the node is still in cache: keeping those to the end cost the Value MLP step 15%.
 * @example runBackward(y, 1, valueSpace); // what Value.backward() does
 */
export function runBackward<G, N extends GraphNode<G>>(
  root: N,
  seed: G,
  space: GradSpace<G, N>,
  createGraph = false,
): void {
  const order = topoSort<G, N>(root);
  root._pending = seed;
  withGradMode(createGraph, () => {
    const leaves: N[] = [];
    try {
      propagate(order, space, leaves);
      if (space.check) for (const leaf of leaves) space.check(leaf, leaf._pending!);
      for (const leaf of leaves) {
        const grad = leaf._pending!;
        leaf._pending = undefined;
        space.deliver(leaf, grad);
      }
    } catch (e) {
      for (let k = 0; k < order.length; k++) order[k]!._pending = undefined;
      throw e;
    }
  });
}

/**
 * Walks `order` (inputs before outputs) from the end: each node passes its total gradient on to its
 * inputs' `_pending` (every node that adds to a total comes later in `order`, so a total is complete
 * when the walk reaches its node). Intermediate totals are delivered there; leaves are collected in
 * `leaves`, their totals left in `_pending` for `runBackward` to deliver after the walk.
 */
function propagate<G, N extends GraphNode<G>>(order: readonly N[], space: GradSpace<G, N>, leaves: N[]): void {
  for (let k = order.length - 1; k >= 0; k--) {
    const node = order[k]!;
    const grad = node._pending;
    if (grad === undefined) continue;
    const op = node._node;
    if (op === null) {
      leaves.push(node);
      continue;
    }
    node._pending = undefined;
    space.check?.(node, grad);
    space.deliver(node, grad);
    const grads = op.vjp(grad);
    const inputs = op.inputs as readonly N[];
    for (let j = 0; j < inputs.length; j++) {
      const input = inputs[j]!;
      const g = grads[j];
      if (g === null || g === undefined || !input.requiresGrad) continue;
      const fitted = space.fit(g, input, op.op);
      input._pending = input._pending === undefined ? fitted : space.add(input._pending, fitted);
    }
  }
}
