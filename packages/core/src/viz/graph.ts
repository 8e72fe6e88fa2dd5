import { fmt } from '../shape.js';
import { Tensor, describe } from '../tensor.js';
import { Value } from '../value.js';

/**
 * Options shared by `traceGraph`, `toDot` and `toSvg`.
 * @example toSvg(loss, { names: new Map([[W, 'W']]), maxValues: 6 });
 */
export interface GraphOptions {
  /** Names to print on nodes (a `Value`'s own `.label` is used when it has one). */
  names?: ReadonlyMap<Value | Tensor, string>;
  /** Refuse graphs with more nodes than this (default 400): a bigger drawing teaches nothing. */
  maxNodes?: number;
  /** Tensors with at most this many elements print their values (default 4); bigger ones print a summary. */
  maxValues?: number;
}

/**
 * One node of a traced graph: a value or tensor, the op that made it, and what to print.
 * @example const n = traceGraph(new Value(2, null, 'a').mul(3)).nodes[0]; // { op: 'leaf', name: 'a', data: '2.0000', …
 *   }
 */
export interface TracedNode {
  /** Position in `nodes`, inputs before outputs. */
  readonly id: number;
  readonly kind: 'value' | 'tensor';
  /** The op that made this node ('leaf' for an input). */
  readonly op: string;
  /** The user's name for the node, '' when it has none. */
  readonly name: string;
  /** The shape of a tensor ([] for a scalar and for a `Value`). */
  readonly shape: readonly number[];
  /** What the node holds, printed: a number, a few values, or shape and dtype. */
  readonly data: string;
  /** Its gradient, printed; null when there is none (no backward yet, or an intermediate tensor without retainGrad). */
  readonly grad: string | null;
  /** The sign of the gradient (for colouring): -1, 0, 1, or 0 when there is none or it is mixed. */
  readonly gradSign: -1 | 0 | 1;
  /** True when the node takes part in the gradient. */
  readonly requiresGrad: boolean;
  /** Ids of the nodes this one was computed from, in argument order. */
  readonly inputs: readonly number[];
  /** The original object. */
  readonly ref: Value | Tensor;
}

/**
 * A traced graph: nodes in topological order (inputs first); the root is the last node.
 * @example const g = traceGraph(y); g.nodes[g.root].ref === y; // true
 */
export interface TracedGraph {
  readonly nodes: readonly TracedNode[];
  readonly root: number;
}

/**
 * Numbers as micrograd prints them (4 decimals), or in scientific notation when very large or very small.
 * @example formatNumber(2); // '2.0000'
 */
function formatNumber(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e5 || a < 1e-3)) return v.toExponential(2);
  return v.toFixed(4);
}

function describeTensor(t: Tensor, maxValues: number): string {
  if (t.size === 1 && t.ndim === 0) return formatNumber(t.data[0]!);
  if (t.size === 0) return `${fmt(t.shape)} empty`;
  if (t.size <= maxValues) return `${fmt(t.shape)} ${Array.from(t.data, formatNumber).join(' ')}`;
  return `${fmt(t.shape)} ${t.dtype}`;
}

function describeGrad(g: Tensor, maxValues: number): string {
  if (g.size === 0) return 'empty';
  if (g.size <= maxValues) return g.ndim === 0 ? formatNumber(g.data[0]!) : Array.from(g.data, formatNumber).join(' ');
  let s = 0;
  for (let i = 0; i < g.size; i++) s += g.data[i]! * g.data[i]!;
  return `‖g‖ ${formatNumber(Math.sqrt(s))}`;
}

function signOf(values: ArrayLike<number>): -1 | 0 | 1 {
  let pos = false,
    neg = false;
  for (let i = 0; i < values.length; i++) {
    if (values[i]! > 0) pos = true;
    else if (values[i]! < 0) neg = true;
  }
  return pos && !neg ? 1 : neg && !pos ? -1 : 0;
}

/**
 * Walks the graph that produced `root` (a `Value` or a `Tensor`) and describes every node:
 * op, name, data or shape, gradient. Unlike backward it also visits inputs that take no
 * gradient (data, targets, constants), because a picture of the computation needs them.
 * @example const g = traceGraph(new Value(2).mul(3)); g.nodes.length; // 2
 */
export function traceGraph(root: Value | Tensor, opts: GraphOptions = {}, where = 'traceGraph'): TracedGraph {
  if (!(root instanceof Value) && !(root instanceof Tensor)) {
    throw new TypeError(`${where}: root must be a Value or a Tensor, got ${describe(root)}`);
  }
  const maxNodes = opts.maxNodes ?? 400;
  const maxValues = opts.maxValues ?? 4;
  for (const [k, v] of [
    ['maxNodes', maxNodes],
    ['maxValues', maxValues],
  ] as const) {
    if (!Number.isInteger(v) || v < 0) throw new RangeError(`${where}: ${k} must be a non-negative integer, got ${v}`);
  }
  // Iterative post-order DFS (deep chains must not overflow the stack); a Map of its own
  // so that tracing never disturbs the engine's visit stamps.
  const ids = new Map<Value | Tensor, number>();
  const order: (Value | Tensor)[] = [];
  const seen = new Set<Value | Tensor>([root]);
  const stack: (Value | Tensor)[] = [root];
  const next: number[] = [0];
  while (stack.length > 0) {
    const top = stack.length - 1;
    const node = stack[top]!;
    const inputs = (node._node?.inputs ?? []) as readonly (Value | Tensor)[];
    const i = next[top]!;
    if (i < inputs.length) {
      next[top] = i + 1;
      const child = inputs[i]!;
      if (!seen.has(child)) {
        seen.add(child);
        if (seen.size > maxNodes) {
          throw new RangeError(
            `${where}: the graph has more than maxNodes = ${maxNodes} nodes; pass a larger maxNodes to draw it anyway`,
          );
        }
        stack.push(child);
        next.push(0);
      }
    } else {
      stack.pop();
      next.pop();
      ids.set(node, order.length);
      order.push(node);
    }
  }
  const nodes = order.map((ref, id): TracedNode => {
    const inputs = ((ref._node?.inputs ?? []) as readonly (Value | Tensor)[]).map((x) => ids.get(x)!);
    const name = opts.names?.get(ref) ?? (ref instanceof Value ? ref.label : '');
    if (ref instanceof Value) {
      // A Value always has a gradient slot (0 before backward), as in micrograd.
      return {
        id,
        kind: 'value',
        op: ref.op,
        name,
        shape: [],
        data: formatNumber(ref.data),
        grad: formatNumber(ref.grad),
        gradSign: signOf([ref.grad]),
        requiresGrad: ref.requiresGrad,
        inputs,
        ref,
      };
    }
    const g = ref.grad;
    return {
      id,
      kind: 'tensor',
      op: ref.op,
      name,
      shape: ref.shape,
      data: describeTensor(ref, maxValues),
      grad: g ? describeGrad(g, maxValues) : null,
      gradSign: g ? signOf(g.data) : 0,
      requiresGrad: ref.requiresGrad,
      inputs,
      ref,
    };
  });
  return { nodes, root: nodes.length - 1 };
}
