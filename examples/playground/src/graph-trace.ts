// One point's loss as a computation graph, for the graph view and its backprop stepper: xent's toSvg picture
// (every gradient backward computed kept on its tensor), and the same graph as steps: forward op by op, then
// backward node by node, each node's vector–Jacobian product applied to the gradient gathered so far.
import { Tensor, noGrad, toSvg, traceGraph } from '@xent/core';
import { localRule } from './rules.js';

/** One node of the traced graph, as the stepper shows it. */
export interface TraceNode {
  id: number;
  op: string;
  name: string;
  shape: number[];
  value: number[];
  inputs: number[];
  requiresGrad: boolean;
}

/** One backward step: the node's gathered gradient, its rule, and what it passes to each input. */
interface BackStep {
  node: number;
  gradIn: number[];
  rule: string;
  outs: { input: number; grad: number[] | null }[];
}

/** The graph view's content: the picture and the steps. */
export interface GraphTrace {
  svg: string;
  nodes: TraceNode[];
  root: number;
  backward: BackStep[];
  /** The parameters' gradients from loss.backward(), by name: what the optimizer would use. */
  reference: { name: string; node: number; grad: number[] }[];
}

/**
 * Draws `loss` (built with the graph recorded) and lays out its steps. Intermediate tensors keep their
 * gradient (retainGrad) so that the picture shows every one backward computed; `params` names the
 * parameters whose `.grad` is read after backward.
 */
export function traceLoss(
  loss: Tensor,
  names: Map<Tensor, string>,
  params: Map<string, Tensor>,
  title: string,
): GraphTrace {
  const g = traceGraph(loss, { names, maxNodes: 400 });
  for (const n of g.nodes) if (n.op !== 'leaf' && n.requiresGrad) (n.ref as Tensor).retainGrad();
  const tensors = g.nodes.map((n) => n.ref as Tensor);
  const id = new Map(tensors.map((t, i) => [t, i]));
  // The stepper's own walk, before backward() and independent of it: root seeded with 1, nodes from the
  // root back (reverse topological order, so each node's gradient is complete when it is reached).
  const gathered = new Map<number, Tensor>([[g.root, new Tensor(new Float64Array([1]), loss.shape)]]);
  const steps: BackStep[] = [];
  noGrad(() => {
    for (let k = g.nodes.length - 1; k >= 0; k--) {
      const t = tensors[k]!,
        grad = gathered.get(k);
      if (!t._node || !grad) continue;
      const outs = t._node.vjp(grad);
      const step: BackStep = { node: k, gradIn: Array.from(grad.data), rule: localRule(t._node.op), outs: [] };
      t._node.inputs.forEach((input, j) => {
        const gi = input.requiresGrad ? outs[j] : null;
        const i = id.get(input)!;
        if (!gi) return step.outs.push({ input: i, grad: null });
        if (gi.size !== input.size) throw new RangeError(`stepper: ${t._node!.op} gave a gradient of the wrong size`);
        step.outs.push({ input: i, grad: Array.from(gi.data) });
        const prev = gathered.get(i);
        gathered.set(i, prev ? prev.add(gi) : gi.reshape(input.shape));
      });
      steps.push(step);
    }
  });
  loss.backward();
  const reference = [...params].map(([name, p]) => ({ name, node: id.get(p)!, grad: Array.from(p.grad!.data) }));
  return {
    svg: toSvg(loss, { names, title }),
    nodes: g.nodes.map((n) => ({
      id: n.id,
      op: n.op,
      name: n.name,
      shape: [...n.shape],
      value: Array.from((n.ref as Tensor).data),
      inputs: [...n.inputs],
      requiresGrad: n.requiresGrad,
    })),
    root: g.root,
    backward: steps,
    reference,
  };
}
