// A small SVG line-plot writer: panels with axes, ticks, a shaded band, lines and labels. Each panel
// records its axis mapping in data-* attributes so that a test can read the plotted values back.
// Drawn with what every renderer agrees on (see examples/lib/svg-plot.ts): lines are paths, values
// are clamped to the axes rather than clipped, fills and texts are never stroked.
import { pathD, svgOpen } from '../lib/svg-plot.js';

/** One plotted line; `id` becomes the path's id (tests find it by that). */
interface Line {
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

/** Approximate width in px of a text at a font size (DejaVu Sans averages about 0.6 em a character). */
const textWidth = (s: string, size: number): number => s.length * size * 0.62;

/** Whether any segment of a line (screen points) passes through the box [x0, x1] × [y0, y1]. */
function crosses(pts: readonly (readonly [number, number])[], x0: number, x1: number, y0: number, y1: number): boolean {
  for (let i = 0; i + 1 < pts.length; i++) {
    const [ax, ay] = pts[i]!,
      [bx, by] = pts[i + 1]!;
    for (let s = 0; s <= 8; s++) {
      const x = ax + ((bx - ax) * s) / 8,
        y = ay + ((by - ay) * s) / 8;
      if (x >= x0 && x <= x1 && y >= y0 && y <= y1) return true;
    }
  }
  return false;
}

/** One panel at (left, top) of the given size, as an SVG group. */
export function panel(p: Panel, left: number, top: number, width: number, height: number): string {
  const sx = (x: number): number => left + ((x - p.x[0]) / (p.x[1] - p.x[0])) * width;
  const sy = (y: number): number => top + (1 - (y - p.y[0]) / (p.y[1] - p.y[0])) * height;
  const out: string[] = [];
  out.push(
    `<g data-role="panel" data-title="${esc(p.title)}" data-left="${left}" data-top="${top}" data-width="${width}" data-height="${height}" data-x0="${p.x[0]}" data-x1="${p.x[1]}" data-y0="${p.y[0]}" data-y1="${p.y[1]}">`,
  );
  // Title and the y axis's name on one row above the legend; horizontal, because ImageMagick turns
  // rotated text the wrong way.
  out.push(
    `<text x="${r(left)}" y="${r(top - 32)}" font-size="15" font-weight="bold" stroke="none">${esc(p.title)}</text>`,
    `<text x="${r(left + textWidth(p.title, 15) + 12)}" y="${r(top - 32)}" font-size="12" fill="#333" stroke="none">${esc(p.yLabel)}</text>`,
  );
  // Screen points of each line, clamped to the panel (no clip path: ImageMagick would drop the line).
  const clampY = (y: number): number => Math.min(Math.max(y, Math.min(...p.y)), Math.max(...p.y));
  const screen = p.lines.map((l) => l.xs.map((x, i) => [sx(x), sy(clampY(l.ys[i]!))] as const));
  if (p.band) {
    out.push(
      `<rect x="${r(sx(p.band.from))}" y="${top}" width="${r(sx(p.band.to) - sx(p.band.from))}" height="${height}" fill="#fdecea" stroke="none"/>`,
    );
    // The band's caption goes at the lowest height, in steps of 14 px, where no line and no note crosses it.
    const x = sx(p.band.from) + 4,
      w = textWidth(p.band.label, 11);
    const notes = (p.notes ?? []).map((n) => [sx(n.x), sy(n.y), textWidth(n.text, 12)] as const);
    let y = top + height - 6;
    for (let c = top + height - 6; c > top + 16; c -= 14) {
      const clear =
        !screen.some((pts) => crosses(pts, x - 2, x + w + 2, c - 11, c + 4)) &&
        !notes.some(([nx, ny, nw]) => nx < x + w && nx + nw > x && ny + 4 > c - 11 && ny - 12 < c + 4);
      if (clear) {
        y = c;
        break;
      }
    }
    out.push(
      `<text data-role="band-label" x="${r(x)}" y="${r(y)}" font-size="11" fill="#b42318" stroke="none">${esc(p.band.label)}</text>`,
    );
  }
  for (const t of p.yTicks) {
    out.push(`<path d="M${left} ${r(sy(t))}L${left + width} ${r(sy(t))}" stroke="#e6e8ec" fill="none"/>`);
    out.push(
      `<text x="${left - 6}" y="${r(sy(t) + 4)}" font-size="11" text-anchor="end" fill="#555" stroke="none">${t}</text>`,
    );
  }
  for (const t of p.xTicks) {
    out.push(`<path d="M${r(sx(t))} ${top}L${r(sx(t))} ${top + height}" stroke="#f0f1f4" fill="none"/>`);
    out.push(
      `<text x="${r(sx(t))}" y="${top + height + 16}" font-size="11" text-anchor="middle" fill="#555" stroke="none">${t}</text>`,
    );
  }
  if (p.y[0] < 0 && p.y[1] > 0)
    out.push(`<path d="M${left} ${r(sy(0))}L${left + width} ${r(sy(0))}" stroke="#888" fill="none"/>`);
  out.push(`<rect x="${left}" y="${top}" width="${width}" height="${height}" fill="none" stroke="#999"/>`);
  out.push(
    `<text x="${r(left + width / 2)}" y="${top + height + 36}" font-size="12" text-anchor="middle" stroke="none">${esc(p.xLabel)}</text>`,
  );
  p.lines.forEach((l, i) => {
    out.push(
      `<path id="${esc(l.id)}" d="${pathD(screen[i]!)}" fill="none" stroke="${l.color}" stroke-width="2.5" stroke-linejoin="round"${l.dash ? ` stroke-dasharray="${l.dash}"` : ''}/>`,
    );
  });
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
      `<path d="M${x} ${y - 4}L${x + 24} ${y - 4}" fill="none" stroke="${l.color}" stroke-width="2.5"${l.dash ? ` stroke-dasharray="${l.dash}"` : ''}/>`,
    );
    out.push(`<text x="${x + 30}" y="${y}" font-size="12" stroke="none">${esc(l.label)}</text>`);
  });
  for (const n of p.notes ?? []) {
    out.push(
      `<text data-role="note" x="${r(sx(n.x))}" y="${r(sy(n.y))}" font-size="12" fill="${n.color}" text-anchor="${n.anchor ?? 'start'}" stroke="none">${esc(n.text)}</text>`,
    );
  }
  out.push('</g>');
  return out.join('\n');
}

/** A whole SVG document around some panels. */
export function document(width: number, height: number, title: string, body: string[], caption?: string): string {
  return [
    svgOpen(width, height) + `<title>${esc(title)}</title>`,
    ...body,
    caption
      ? `<text x="${width / 2}" y="${height - 10}" font-size="12" text-anchor="middle" fill="#555" stroke="none">${esc(caption)}</text>`
      : '',
    '</svg>',
    '',
  ].join('\n');
}
