import type { Tensor } from '../tensor.js';
import type { Value } from '../value.js';
import { type GraphOptions, type TracedNode, traceGraph } from './graph.js';

/** Escapes text for a Graphviz record field (braces, bars, angle brackets, quotes, backslashes). */
function recordEscape(s: string): string {
  return s.replace(/[\\{}|<>"]/g, (c) => `\\${c}`);
}

/**
 * The fields of a node's record: name, data (value or shape), gradient.
 * @example nodeFields(traceGraph(v).nodes[0]); // ['a', 'data 2.0000', 'grad 0.0000']
 */
export function nodeFields(n: TracedNode): string[] {
  const fields: string[] = [];
  if (n.name) fields.push(n.name);
  fields.push(n.kind === 'value' ? `data ${n.data}` : n.data);
  fields.push(n.grad !== null ? `grad ${n.grad}` : n.requiresGrad ? 'grad —' : 'no grad');
  return fields;
}

/**
 * The graph that produced `root` as Graphviz DOT text, drawn the micrograd way: a record per
 * value or tensor (name | data or shape | grad) and an ellipse per op feeding into it.
 * Render with `dot -Tsvg graph.dot > graph.svg`, or use `toSvg` which needs no Graphviz.
 * @example const a = new Value(2, null, 'a'); const b = a.mul(a); b.backward(); toDot(b); // 'digraph xent { ... }'
 */
export function toDot(root: Value | Tensor, opts: GraphOptions & { rankdir?: 'LR' | 'TB' } = {}): string {
  const g = traceGraph(root, opts, 'toDot');
  const lines = ['digraph xent {', `  rankdir=${opts.rankdir ?? 'LR'};`, '  node [fontname="monospace", fontsize=11];'];
  for (const n of g.nodes) {
    const style =
      n.id === g.root
        ? ', penwidth=2'
        : !n.requiresGrad
          ? ', style="dashed,filled", fillcolor="#f2f2f2"'
          : n.op === 'leaf'
            ? ', style=filled, fillcolor="#e8f1ff"'
            : '';
    lines.push(`  n${n.id} [shape=record, label="{ ${nodeFields(n).map(recordEscape).join(' | ')} }"${style}];`);
    if (n.op !== 'leaf') {
      lines.push(`  n${n.id}_op [shape=ellipse, label="${n.op.replace(/["\\]/g, (c) => `\\${c}`)}"];`);
      lines.push(`  n${n.id}_op -> n${n.id};`);
      for (const i of n.inputs) lines.push(`  n${i} -> n${n.id}_op;`);
    }
  }
  lines.push('}');
  return lines.join('\n') + '\n';
}
