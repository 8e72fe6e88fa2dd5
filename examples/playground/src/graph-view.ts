// The graph view: xent's toSvg picture of one point's loss, opened fitted to the window (or, when fitting would make
// it unreadable, scrolled to the loss), and the backprop stepper that walks it forward op by op, then backward node
// by node: the node, the gradient it gathered, its local rule, and what it passes to each input.
import type { GraphTrace, TraceNode } from './graph-trace.js';
import { fmt } from './inspector.js';

/** Smallest scale at which the fitted picture is still readable; below it the view scrolls instead. */
const MIN_SCALE = 0.5;

const vec = (v: readonly number[], max = 8): string =>
  v.length <= max
    ? `[${v.map((x) => fmt(x)).join(', ')}]`
    : `[${v
        .slice(0, max)
        .map((x) => fmt(x))
        .join(', ')}, … ${v.length} in all]`;

const label = (n: TraceNode): string => n.name || `${n.op} #${n.id}`;

/** The stepper's place: 0 before any op, then one per forward op, then one per backward step, then the end. */
export class GraphView {
  private trace: GraphTrace | null = null;
  private forward: TraceNode[] = [];
  private pos = 0;
  /** 'auto': fitted when readable, else actual size scrolled to the loss; or what the user asked for. */
  private mode: 'auto' | 'fit' | 'actual' = 'auto';

  constructor(
    private readonly box: HTMLElement,
    private readonly panel: HTMLElement,
    private readonly fitButton: HTMLButtonElement,
  ) {
    fitButton.addEventListener('click', () => {
      this.mode = this.box.dataset.fit === 'true' ? 'actual' : 'fit';
      this.layout();
    });
    panel.addEventListener('click', (e) => {
      const a = (e.target as HTMLElement).closest<HTMLElement>('[data-step]')?.dataset.step;
      if (!a || !this.trace) return;
      const last = this.forward.length + this.trace.backward.length + 1;
      this.go(a === 'start' ? 0 : a === 'end' ? last : a === 'back' ? this.pos - 1 : this.pos + 1);
    });
  }

  /** Shows a new trace, fitted, at the start of the stepper. */
  show(trace: GraphTrace): void {
    this.trace = trace;
    this.forward = trace.nodes.filter((n) => n.op !== 'leaf');
    // The SVG is xent's own output (names and numbers escaped by toSvg), so it goes in as markup.
    this.box.innerHTML = trace.svg;
    this.mode = 'auto';
    this.layout();
    this.go(0);
  }

  /** Fits the picture to the box when it stays readable; otherwise actual size, scrolled to the loss (right end). */
  layout(): void {
    const svg = this.box.querySelector('svg');
    if (!svg) return;
    const w = Number(svg.getAttribute('width')),
      h = Number(svg.getAttribute('height'));
    const scale = Math.min(1, (this.box.clientWidth - 2) / w);
    const fit = this.mode === 'fit' || (this.mode === 'auto' && scale >= MIN_SCALE);
    svg.style.width = `${fit ? w * scale : w}px`;
    svg.style.height = `${fit ? h * scale : h}px`;
    this.box.dataset.fit = String(fit);
    this.fitButton.textContent = fit ? 'actual size' : 'fit to window';
    if (!fit) this.box.scrollLeft = this.box.scrollWidth;
  }

  private go(pos: number): void {
    if (!this.trace) return;
    const last = this.forward.length + this.trace.backward.length + 1;
    this.pos = Math.max(0, Math.min(last, pos));
    this.render();
  }

  private mark(id: number, cls: string): void {
    this.box.querySelectorAll(`[data-node="${id}"]`).forEach((el) => el.classList.add(cls));
  }

  private render(): void {
    const t = this.trace!,
      F = this.forward.length,
      B = t.backward.length,
      p = this.pos;
    this.box
      .querySelectorAll('[data-node]')
      .forEach((el) => el.classList.remove('current', 'input', 'pending', 'done'));
    const phase = p === 0 ? 'start' : p <= F ? 'forward' : p <= F + B ? 'backward' : 'done';
    this.panel.dataset.phase = phase;
    this.panel.dataset.pos = String(p);
    const nav =
      '<div class="step-nav"><button type="button" data-step="start" title="back to the start">« start</button>' +
      `<button type="button" data-step="back"${p === 0 ? ' disabled' : ''}>◀ back</button>` +
      `<button type="button" data-step="next" class="primary"${phase === 'done' ? ' disabled' : ''}>step ▶</button>` +
      '<button type="button" data-step="end" title="to the parameters’ gradients">end »</button>' +
      `<span class="note">${phase === 'backward' ? `backward ${p - F} / ${B}` : phase === 'forward' ? `forward ${p} / ${F}` : ''}</span></div>`;
    let body: string;
    if (phase === 'start' || phase === 'forward') {
      // Nodes not yet computed are faded; the current op and its inputs are highlighted.
      for (const n of this.forward.slice(p)) this.mark(n.id, 'pending');
      if (phase === 'start')
        body =
          '<p>Step through this loss: first <b>forward</b>, op by op, from the inputs to the loss; then <b>backward</b>, node by node, the chain rule on these numbers.</p>';
      else {
        const n = this.forward[p - 1]!;
        this.mark(n.id, 'current');
        n.inputs.forEach((i) => this.mark(i, 'input'));
        body =
          `<p class="step-title">forward: <b>${n.op}</b>(${n.inputs.map((i) => label(t.nodes[i]!)).join(', ')}) → <b>${label(n)}</b></p>` +
          `<p>value ${vec(n.value)}${n.shape.length ? ` (shape [${n.shape.join(', ')}])` : ''}</p>`;
      }
    } else if (phase === 'backward') {
      const s = t.backward[p - F - 1]!,
        n = t.nodes[s.node]!;
      for (const b of t.backward.slice(0, p - F - 1)) this.mark(b.node, 'done');
      this.mark(n.id, 'current');
      s.outs.forEach((o) => this.mark(o.input, 'input'));
      body =
        `<p class="step-title">backward through <b>${n.op}</b> → <b>${label(n)}</b></p>` +
        `<p>incoming gradient g = ∂loss/∂${label(n)} = <span class="grad-in" data-value="${JSON.stringify(s.gradIn)}">${vec(s.gradIn)}</span></p>` +
        `<p class="rule">local rule: ${s.rule}</p><ul class="outs">` +
        s.outs
          .map((o) => {
            const inp = t.nodes[o.input]!;
            return o.grad
              ? `<li>∂loss/∂${label(inp)} += ${vec(o.grad)}</li>`
              : `<li class="note">${label(inp)}: no gradient (data or target)</li>`;
          })
          .join('') +
        '</ul>';
    } else {
      for (const b of t.backward) this.mark(b.node, 'done');
      const total = this.gathered();
      body =
        '<p class="step-title">done: the parameters’ gradients, as gathered by the steps above, next to <code>loss.backward()</code>’s (what the optimizer uses)</p><table id="step-params"><tr><th>parameter</th><th>stepper</th><th>backward()</th></tr>' +
        t.reference
          .map((r) => {
            const g = total.get(r.node) ?? r.grad.map(() => 0);
            return `<tr data-name="${r.name}" data-stepper="${JSON.stringify(g)}" data-backward="${JSON.stringify(r.grad)}"><td>${r.name}</td><td>${vec(g, 4)}</td><td>${vec(r.grad, 4)}</td></tr>`;
          })
          .join('') +
        '</table>';
    }
    this.panel.innerHTML = nav + body;
    const cur = this.box.querySelector<SVGGElement>('.node.current');
    if (cur && this.box.dataset.fit === 'false') cur.scrollIntoView({ block: 'nearest', inline: 'center' });
  }

  /** Each node's gradient, added up from the backward steps taken so far (the page's own sum, step by step). */
  private gathered(): Map<number, number[]> {
    const total = new Map<number, number[]>();
    const F = this.forward.length;
    for (const s of this.trace!.backward.slice(0, Math.max(0, this.pos - F)))
      for (const o of s.outs) {
        if (!o.grad) continue;
        const prev = total.get(o.input);
        total.set(o.input, prev ? prev.map((v, j) => v + o.grad![j]!) : o.grad.slice());
      }
    return total;
  }
}
