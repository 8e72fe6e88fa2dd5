import type { Tensor } from '../tensor.js';
import type { Value } from '../value.js';
import { nodeFields } from './dot.js';
import { type GraphOptions, type TracedGraph, traceGraph } from './graph.js';

const CHAR = 7.2; // width of one character of 12px monospace, the only font the drawing uses
const PAD = 8; // padding inside a record cell
const H = 26; // height of a record
const OP_H = 26;
const COL_GAP = 36;
const ROW_GAP = 14;
const MARGIN = 16;
const LEGEND_H = 22;
/**
 * Gradient signs: one diverging pair, teal above zero and brown below (ColorBrewer BrBG), chosen to be no class colour
 * of the usual palettes (blue, orange, red, green).
 */
const POS = '#018571';
const NEG = '#a6611a';

/** Escapes text for SVG (XML) content and attributes. @example xmlEscape('a<b'); // 'a&lt;b' */
function xmlEscape(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

interface Box {
  key: string;
  kind: 'record' | 'op';
  node: number; // the traced node it belongs to
  rank: number;
  w: number;
  h: number;
  x: number;
  y: number;
  cells: string[];
  order: number;
}

/**
 * A self-contained SVG drawing of the graph that produced `root` (a `Value` or a `Tensor`):
 * no Graphviz needed. Same picture as `toDot`: records (name | data or shape | grad), an
 * ellipse per op; laid out in layers from the inputs (left) to the root (right), nodes in a
 * layer ordered by the barycentre of their neighbours to keep edges short.
 * Gradients are teal when positive and brown when negative (a legend under the graph says so).
 * @example const a = new Value(2, null, 'a'); const b = a.mul(a); b.backward(); const svg = toSvg(b); // '<svg ...'
 */
export function toSvg(root: Value | Tensor, opts: GraphOptions & { title?: string } = {}): string {
  const g = traceGraph(root, opts, 'toSvg');
  const { boxes, edges } = layout(g);
  let width = 0,
    height = 0;
  for (const b of boxes) {
    width = Math.max(width, b.x + b.w + MARGIN);
    height = Math.max(height, b.y + b.h + MARGIN);
  }
  const titleH = opts.title ? 24 : 0;
  const H_ALL = height + titleH + LEGEND_H;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${r(width)}" height="${r(H_ALL)}" viewBox="0 0 ${r(width)} ${r(H_ALL)}" font-family="monospace" font-size="12">`,
  );
  out.push(`<title>${xmlEscape(opts.title ?? 'computation graph')}</title>`);
  out.push(
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#555"/></marker></defs>',
  );
  out.push('<rect width="100%" height="100%" fill="white"/>');
  if (opts.title)
    out.push(`<text x="${MARGIN}" y="18" font-size="14" font-weight="bold">${xmlEscape(opts.title)}</text>`);
  out.push(`<g transform="translate(0 ${titleH})">`);
  for (const [a, b] of edges) {
    const x1 = a.x + a.w,
      y1 = a.y + a.h / 2,
      x2 = b.x,
      y2 = b.y + b.h / 2,
      mx = (x1 + x2) / 2;
    out.push(
      `<path d="M${r(x1)},${r(y1)} C${r(mx)},${r(y1)} ${r(mx)},${r(y2)} ${r(x2)},${r(y2)}" fill="none" stroke="#555" stroke-width="1.2" marker-end="url(#arrow)"/>`,
    );
  }
  for (const b of boxes) out.push(drawBox(b, g));
  out.push('</g>');
  const y = r(H_ALL - 8);
  out.push(
    `<g class="legend"><text x="${MARGIN}" y="${y}" fill="#333">grad colour:</text>` +
      `<text x="${MARGIN + 13 * CHAR}" y="${y}" fill="${POS}">&gt; 0</text>` +
      `<text x="${MARGIN + 19 * CHAR}" y="${y}" fill="${NEG}">&lt; 0</text>` +
      `<text x="${MARGIN + 25 * CHAR}" y="${y}" fill="#333">mixed signs or 0</text></g>`,
  );
  out.push('</svg>');
  return out.join('\n') + '\n';
}

function r(v: number): string {
  return String(Math.round(v * 10) / 10);
}

function drawBox(b: Box, g: TracedGraph): string {
  const n = g.nodes[b.node]!;
  if (b.kind === 'op') {
    return (
      `<g class="op" data-node="${n.id}"><ellipse cx="${r(b.x + b.w / 2)}" cy="${r(b.y + b.h / 2)}" rx="${r(b.w / 2)}" ry="${r(b.h / 2)}" fill="#fff7e0" stroke="#c90"/>` +
      `<text x="${r(b.x + b.w / 2)}" y="${r(b.y + b.h / 2 + 4)}" text-anchor="middle">${xmlEscape(n.op)}</text></g>`
    );
  }
  const fill = !n.requiresGrad ? '#f2f2f2' : n.op === 'leaf' ? '#e8f1ff' : '#ffffff';
  const stroke = n.id === g.root ? ' stroke-width="2.5"' : ' stroke-width="1"';
  const dash = n.requiresGrad ? '' : ' stroke-dasharray="4 3"';
  const parts = [
    `<g class="node" data-node="${n.id}"><rect x="${r(b.x)}" y="${r(b.y)}" width="${r(b.w)}" height="${r(b.h)}" rx="3" fill="${fill}" stroke="#333"${stroke}${dash}/>`,
  ];
  let x = b.x;
  b.cells.forEach((cell, i) => {
    const w = cell.length * CHAR + 2 * PAD;
    if (i > 0) parts.push(`<line x1="${r(x)}" y1="${r(b.y)}" x2="${r(x)}" y2="${r(b.y + b.h)}" stroke="#333"/>`);
    const isGrad = i === b.cells.length - 1;
    const color =
      isGrad && n.grad !== null
        ? n.gradSign > 0
          ? POS
          : n.gradSign < 0
            ? NEG
            : '#333'
        : i === 0 && n.name
          ? '#000'
          : '#333';
    const weight = i === 0 && n.name ? ' font-weight="bold"' : '';
    parts.push(
      `<text x="${r(x + PAD)}" y="${r(b.y + b.h / 2 + 4)}" fill="${color}"${weight}>${xmlEscape(cell)}</text>`,
    );
    x += w;
  });
  parts.push('</g>');
  return parts.join('');
}

/** Layered layout: ranks by longest path from the inputs, barycentre ordering, columns left to right. */
function layout(g: TracedGraph): { boxes: Box[]; edges: [Box, Box][] } {
  const rec: Box[] = [];
  const ops: (Box | null)[] = [];
  const edges: [Box, Box][] = [];
  // Nodes come inputs-first, so one pass settles every rank.
  for (const n of g.nodes) {
    const cells = nodeFields(n);
    const w = cells.reduce((s, c) => s + c.length * CHAR + 2 * PAD, 0);
    let rank = 0;
    let op: Box | null = null;
    if (n.op !== 'leaf') {
      const opRank = Math.max(0, ...n.inputs.map((i) => rec[i]!.rank)) + 1;
      op = {
        key: `op${n.id}`,
        kind: 'op',
        node: n.id,
        rank: opRank,
        w: Math.max(40, n.op.length * CHAR + 22),
        h: OP_H,
        x: 0,
        y: 0,
        cells: [],
        order: 0,
      };
      for (const i of n.inputs) edges.push([rec[i]!, op]);
      rank = opRank + 1;
    }
    const box: Box = { key: `n${n.id}`, kind: 'record', node: n.id, rank, w, h: H, x: 0, y: 0, cells, order: 0 };
    if (op) edges.push([op, box]);
    rec.push(box);
    ops.push(op);
  }
  // Leaves sit one column before their first use rather than all at the far left.
  const firstUse = new Map<Box, number>();
  for (const [a, b] of edges) if (a.kind === 'record') firstUse.set(a, Math.min(firstUse.get(a) ?? Infinity, b.rank));
  for (const b of rec) if (g.nodes[b.node]!.op === 'leaf' && firstUse.has(b)) b.rank = firstUse.get(b)! - 1;

  const boxes = [...rec, ...ops.filter((b): b is Box => b !== null)];
  const maxRank = Math.max(...boxes.map((b) => b.rank));
  const layers: Box[][] = Array.from({ length: maxRank + 1 }, () => []);
  for (const b of boxes) layers[b.rank]!.push(b);
  layers.forEach((layer) => layer.forEach((b, i) => (b.order = i)));
  const preds = new Map<Box, Box[]>(),
    succs = new Map<Box, Box[]>();
  for (const [a, b] of edges) {
    (succs.get(a) ?? succs.set(a, []).get(a)!).push(b);
    (preds.get(b) ?? preds.set(b, []).get(b)!).push(a);
  }
  const sweep = (layer: Box[], nbrs: Map<Box, Box[]>): void => {
    const key = new Map<Box, number>();
    for (const b of layer) {
      const ns = nbrs.get(b);
      key.set(b, ns && ns.length ? ns.reduce((s, n) => s + n.order, 0) / ns.length : b.order);
    }
    layer.sort((a, b) => key.get(a)! - key.get(b)! || a.order - b.order);
    layer.forEach((b, i) => (b.order = i));
  };
  for (let it = 0; it < 4; it++) {
    for (let k = 1; k <= maxRank; k++) sweep(layers[k]!, preds);
    for (let k = maxRank - 1; k >= 0; k--) sweep(layers[k]!, succs);
  }
  // Columns: x from the widest box of each layer; y stacked and centred on the tallest column.
  const colH = layers.map((l) => l.reduce((s, b) => s + b.h, 0) + Math.max(0, l.length - 1) * ROW_GAP);
  const maxH = Math.max(...colH);
  let x = MARGIN;
  layers.forEach((layer, k) => {
    const colW = Math.max(0, ...layer.map((b) => b.w));
    let y = MARGIN + (maxH - colH[k]!) / 2;
    for (const b of layer) {
      b.x = x + (colW - b.w) / 2;
      b.y = y;
      y += b.h + ROW_GAP;
    }
    x += colW + (layer.length ? COL_GAP : 0);
  });
  return { boxes, edges };
}
