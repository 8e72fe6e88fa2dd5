// The inspector: one point's logits, p, target, loss and ∂loss/∂logits as numbers and bars.
import type { Inspection } from './protocol.js';
import { COLORS, NEG, POS, signLegend } from './palette.js';
import type { State } from './state.js';

/** A number for display: fixed digits, or scientific notation when very small or very large. */
export function fmt(v: number, digits = 3): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e4) ? v.toExponential(2) : v.toFixed(digits);
}

function bar(v: number, signed: boolean, color: string, max = 1): string {
  const f = Math.max(-1, Math.min(1, v / max));
  const style = signed
    ? f >= 0
      ? `left:50%;width:${(f * 50).toFixed(1)}%`
      : `left:${(50 + f * 50).toFixed(1)}%;width:${(-f * 50).toFixed(1)}%`
    : `left:0;width:${(Math.max(0, f) * 100).toFixed(1)}%`;
  return `<span class="bar${signed ? ' signed' : ''}"><i style="${style};background:${color}"></i></span>`;
}

/** Fills `el` with the inspector's table for `ins` (or the hint when nothing is selected). */
export function renderInspector(el: HTMLElement, ins: Inspection | null, loss: State['loss'] | undefined): void {
  if (!ins) {
    el.dataset.index = '';
    el.innerHTML =
      '<p class="note">Click a point on the map to see its logits, softmax p, the target y, its loss and the gradient ∂loss/∂logits (p − y for cross-entropy), live while training.</p>';
    return;
  }
  el.dataset.index = String(ins.index);
  const oneLogit = ins.logits.length === 1;
  const gmax = Math.max(1, ...ins.grad.map(Math.abs));
  const rows = ins.p.map((p, c) => {
    const z = oneLogit ? (c === 1 ? ins.logits[0]! : NaN) : ins.logits[c]!;
    const g = oneLogit ? (c === 1 ? ins.grad[0]! : NaN) : ins.grad[c]!;
    return (
      `<tr data-class="${c}"><td><span class="cls" style="background:${COLORS[c]}"></span> ${c}</td>` +
      `<td class="logit" data-value="${z}">${Number.isNaN(z) ? '' : fmt(z, 2)}</td>` +
      `<td class="p" data-value="${p}">${bar(p, false, COLORS[c]!)}<span class="num">${fmt(p)}</span></td>` +
      `<td class="target" data-value="${ins.target[c]}">${fmt(ins.target[c]!, 2)}</td>` +
      `<td class="grad" data-value="${g}">${Number.isNaN(g) ? '' : bar(g, true, g >= 0 ? POS : NEG, gmax) + `<span class="num">${fmt(g)}</span>`}</td></tr>`
    );
  });
  const gradName = loss === 'ce' || loss === 'bce' ? '∂L/∂z = p − y' : '∂L/∂z';
  el.innerHTML =
    `<p class="head">point #${ins.index} · <b>${ins.split}</b> · class <b>${ins.label}</b> · at (${fmt(ins.x[0], 2)}, ${fmt(ins.x[1], 2)})</p>` +
    `<table><tr><th>class</th><th>z</th><th>p = ${oneLogit ? 'σ(z)' : 'softmax(z)'}</th><th>y</th><th>${gradName}</th></tr>${rows.join('')}</table>` +
    `<p class="note">${signLegend('gradient')}</p>` +
    `<p class="head">loss of this point: <output id="inspect-loss" data-value="${ins.loss}">${fmt(ins.loss, 4)}</output></p>` +
    `<button type="button" data-action="graph" title="Draw this point's loss as a computation graph (xent's toSvg), with every gradient">computation graph of this loss ›</button>`;
}
