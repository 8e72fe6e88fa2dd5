// A small SVG line-plot writer: panels with axes, ticks, a shaded band, lines and labels. Each panel
// records its axis mapping in data-* attributes so that a test can read the plotted values back.

/** One plotted line; `id` becomes the polyline's id (tests find it by that). */
export interface Line {
  id: string;
  label: string;
  color: string;
  dash?: string;
  xs: number[];
  ys: number[];
}

/** One panel: title, axes, ticks, an optional shaded band, lines and notes. */
export interface Panel {
  title: string;
  xLabel: string;
  yLabel: string;
  x: [number, number];
  y: [number, number];
  xTicks: number[];
  yTicks: number[];
  lines: Line[];
  /** A shaded x-range with a caption (the "confidently wrong" region). */
  band?: { from: number; to: number; label: string };
  notes?: { x: number; y: number; text: string; color: string; anchor?: 'start' | 'middle' | 'end' }[];
  /** Where the legend goes: inside, top right (default), or in a row above the plot, right-aligned. */
  legend?: 'top-right' | 'above';
}

const esc = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const r = (v: number): string => String(Math.round(v * 100) / 100);

/** One panel at (left, top) of the given size, as an SVG group. */
export function panel(p: Panel, left: number, top: number, width: number, height: number): string {
  const sx = (x: number): number => left + ((x - p.x[0]) / (p.x[1] - p.x[0])) * width;
  const sy = (y: number): number => top + (1 - (y - p.y[0]) / (p.y[1] - p.y[0])) * height;
  const out: string[] = [];
  out.push(
    `<g class="panel" data-title="${esc(p.title)}" data-left="${left}" data-top="${top}" data-width="${width}" data-height="${height}" data-x0="${p.x[0]}" data-x1="${p.x[1]}" data-y0="${p.y[0]}" data-y1="${p.y[1]}">`,
  );
  out.push(`<text x="${r(left)}" y="${r(top - 14)}" font-size="15" font-weight="bold">${esc(p.title)}</text>`);
  if (p.band) {
    out.push(
      `<rect x="${r(sx(p.band.from))}" y="${top}" width="${r(sx(p.band.to) - sx(p.band.from))}" height="${height}" fill="#fdecea"/>`,
    );
    out.push(
      `<text x="${r(sx(p.band.from) + 4)}" y="${r(top + height - 6)}" font-size="11" fill="#b42318">${esc(p.band.label)}</text>`,
    );
  }
  for (const t of p.yTicks) {
    out.push(`<line x1="${left}" x2="${left + width}" y1="${r(sy(t))}" y2="${r(sy(t))}" stroke="#e6e8ec"/>`);
    out.push(`<text x="${left - 6}" y="${r(sy(t) + 4)}" font-size="11" text-anchor="end" fill="#555">${t}</text>`);
  }
  for (const t of p.xTicks) {
    out.push(`<line x1="${r(sx(t))}" x2="${r(sx(t))}" y1="${top}" y2="${top + height}" stroke="#f0f1f4"/>`);
    out.push(
      `<text x="${r(sx(t))}" y="${top + height + 16}" font-size="11" text-anchor="middle" fill="#555">${t}</text>`,
    );
  }
  if (p.y[0] < 0 && p.y[1] > 0)
    out.push(`<line x1="${left}" x2="${left + width}" y1="${r(sy(0))}" y2="${r(sy(0))}" stroke="#888"/>`);
  out.push(`<rect x="${left}" y="${top}" width="${width}" height="${height}" fill="none" stroke="#999"/>`);
  out.push(
    `<text x="${r(left + width / 2)}" y="${top + height + 36}" font-size="12" text-anchor="middle">${esc(p.xLabel)}</text>`,
  );
  out.push(
    `<text transform="translate(${left - 44} ${r(top + height / 2)}) rotate(-90)" font-size="12" text-anchor="middle">${esc(p.yLabel)}</text>`,
  );
  out.push(
    `<clipPath id="clip-${esc(p.lines[0]?.id ?? 'x')}"><rect x="${left}" y="${top}" width="${width}" height="${height}"/></clipPath>`,
  );
  out.push(`<g clip-path="url(#clip-${esc(p.lines[0]?.id ?? 'x')})">`);
  for (const l of p.lines) {
    const pts = l.xs.map((x, i) => `${r(sx(x))},${r(sy(l.ys[i]!))}`).join(' ');
    out.push(
      `<polyline id="${esc(l.id)}" points="${pts}" fill="none" stroke="${l.color}" stroke-width="2.5"${l.dash ? ` stroke-dasharray="${l.dash}"` : ''}/>`,
    );
  }
  out.push('</g>');
  // Legend: a column inside the plot (top right), or a row above it, right-aligned.
  const widths = p.lines.map((l) => l.label.length * 7 + 44);
  let ax = left + width - widths.reduce((a, b) => a + b, 0);
  p.lines.forEach((l, i) => {
    let x = left + width - 190,
      y = top + 18 + i * 18;
    if (p.legend === 'above') {
      x = ax;
      y = top - 10;
      ax += widths[i]!;
    }
    out.push(
      `<line x1="${x}" x2="${x + 24}" y1="${y - 4}" y2="${y - 4}" stroke="${l.color}" stroke-width="2.5"${l.dash ? ` stroke-dasharray="${l.dash}"` : ''}/>`,
    );
    out.push(`<text x="${x + 30}" y="${y}" font-size="12">${esc(l.label)}</text>`);
  });
  for (const n of p.notes ?? []) {
    out.push(
      `<text x="${r(sx(n.x))}" y="${r(sy(n.y))}" font-size="12" fill="${n.color}" text-anchor="${n.anchor ?? 'start'}">${esc(n.text)}</text>`,
    );
  }
  out.push('</g>');
  return out.join('\n');
}

/** A whole SVG document around some panels. */
export function document(width: number, height: number, title: string, body: string[], caption?: string): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif">`,
    `<title>${esc(title)}</title>`,
    `<rect width="100%" height="100%" fill="white"/>`,
    ...body,
    caption
      ? `<text x="${width / 2}" y="${height - 10}" font-size="12" text-anchor="middle" fill="#555">${esc(caption)}</text>`
      : '',
    '</svg>',
    '',
  ].join('\n');
}
