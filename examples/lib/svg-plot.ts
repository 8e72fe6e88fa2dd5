// Small SVG plotting helpers with no dependencies: decision regions of a 2-D classifier with its
// data points, and line charts (loss and accuracy curves). Each returns a self-contained SVG string,
// usable in Node (write it to a file) or in a browser (set it as innerHTML).
//
// The SVG keeps to what Chromium, librsvg (rsvg-convert) and ImageMagick's own renderer (MSVG) all
// draw the same way (test/examples/svg-render.test.ts rasterises with the three): lines are <path>s
// of M/L commands with round joins (MSVG's miter joins draw a spurious straight line from the second
// point to the last), every filled shape and text says stroke="none" (MSVG strokes them in black
// otherwise), no class attributes (MSVG nests a class for each and gives up after a few hundred;
// tests find elements by data-role instead), no clip paths (MSVG drops what they clip: values are
// clamped to the axes instead), no rotated text (MSVG turns it the wrong way), explicit sizes
// instead of percentages, and one font family as an attribute (MSVG takes no list and fails on a
// missing font) with the fallback list in a <style> that the others apply.

/** A qualitative palette (Tableau 10); class k uses PALETTE[k % 10]. */
export const PALETTE = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#bab0ac',
];

/** Escapes text for XML content and attribute values. @example esc('a < b'); // 'a &lt; b' */
function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A number with at most 2 decimals, for compact coordinates. */
const n2 = (v: number): string => String(Math.round(v * 100) / 100);

/**
 * Mixes a #rrggbb colour with white: c + (255 − c)·t per channel (t = 0 the colour, t = 1 white).
 * @example tint('#000000', 0.5); // '#808080'
 */
export function tint(hex: string, t: number): string {
  const c = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  return `#${c
    .map((v) =>
      Math.round(v + (255 - v) * t)
        .toString(16)
        .padStart(2, '0'),
    )
    .join('')}`;
}

/** The font attribute MSVG reads, and the list that CSS-aware renderers apply instead. */
const FONT = 'font-family="DejaVu Sans"';
const FONT_STYLE = "<style>svg { font-family: 'DejaVu Sans', Helvetica, Arial, sans-serif; }</style>";

/**
 * The opening of a document: its size, the fonts and a white background.
 * @example svgOpen(400, 300) + body + '</svg>\n';
 */
export function svgOpen(width: number, height: number): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ${FONT}>\n` +
    `${FONT_STYLE}\n<rect x="0" y="0" width="${width}" height="${height}" fill="#fff" stroke="none"/>\n`
  );
}

/** A text element that no renderer outlines. */
export function text(x: number, y: number, s: string, attrs = ''): string {
  return `<text x="${n2(x)}" y="${n2(y)}" stroke="none"${attrs ? ' ' + attrs : ''}>${esc(s)}</text>`;
}

/** A polyline as a path of M/L commands (renderers agree on paths). @example pathD([[0, 0], [1, 2]]); // 'M0 0L1 2' */
export function pathD(pts: readonly (readonly [number, number])[]): string {
  return pts.map(([x, y], i) => `${i ? 'L' : 'M'}${n2(x)} ${n2(y)}`).join('');
}

/** What regionsSvg draws: the points, their labels and a classifier of grid points. */
export interface RegionsOptions {
  /** Points [n, 2] as a flat row-major array and their labels. */
  points: ArrayLike<number>;
  labels: ArrayLike<number>;
  /** Held-out points and labels, drawn as diamonds (the map's extent covers them too). */
  testPoints?: ArrayLike<number>;
  testLabels?: ArrayLike<number>;
  /** Class of each point of a grid, given the grid's points as a flat [m, 2] array (row-major). */
  classify: (grid: Float64Array) => ArrayLike<number>;
  /** Names in the legend (default 'class 0', 'class 1', …). */
  classNames?: readonly string[];
  /** Axis labels (default x₁, x₂). */
  xLabel?: string;
  yLabel?: string;
  /** Cells per side (default 120). */
  resolution?: number;
  /** Side of the map in px (default 480). */
  size?: number;
  title?: string;
  /** Margin around the data, as a fraction of its range (default 0.1). */
  pad?: number;
}

/**
 * The decision regions of a 2-D classifier as a grid of tinted cells (runs of one class merged
 * into one rectangle per row), with axes, the data points on top coloured by their true class
 * (held-out points as diamonds) and a legend of the classes.
 * @example writeFileSync('regions.svg', regionsSvg({ points: x.data, labels: y.data, classify }));
 */
export function regionsSvg(o: RegionsOptions): string {
  const res = o.resolution ?? 120,
    size = o.size ?? 480,
    pad = o.pad ?? 0.1;
  const L = 52,
    T = o.title ? 34 : 10,
    B = 44,
    R = 130;
  const tp = o.testPoints ?? [],
    tl = o.testLabels ?? [];
  const all = [...Array.from(o.points), ...Array.from(tp)];
  let x0 = Infinity,
    x1 = -Infinity,
    y0 = Infinity,
    y1 = -Infinity;
  for (let i = 0; i + 1 < all.length; i += 2) {
    x0 = Math.min(x0, all[i]!);
    x1 = Math.max(x1, all[i]!);
    y0 = Math.min(y0, all[i + 1]!);
    y1 = Math.max(y1, all[i + 1]!);
  }
  const span = Math.max(x1 - x0, y1 - y0, 1e-9) * (1 + 2 * pad);
  const lo = [(x0 + x1) / 2 - span / 2, (y0 + y1) / 2 - span / 2] as const;
  const grid = new Float64Array(res * res * 2);
  for (let r = 0; r < res; r++) {
    for (let c = 0; c < res; c++) {
      const k = (r * res + c) * 2;
      grid[k] = lo[0] + ((c + 0.5) / res) * span;
      grid[k + 1] = lo[1] + ((res - r - 0.5) / res) * span; // row 0 at the top
    }
  }
  const cls = o.classify(grid);
  const cell = size / res;
  const sx = (v: number): number => L + ((v - lo[0]) / span) * size;
  const sy = (v: number): number => T + (1 - (v - lo[1]) / span) * size;
  const out: string[] = [svgOpen(L + size + R, T + size + B)];
  if (o.title) out.push(text((L + size) / 2 + L / 2, 22, o.title, 'text-anchor="middle" font-size="15"'));
  // One rectangle per run of a class in a row. Each reaches one cell right and down under the runs
  // drawn after it, so that at any scale an edge is anti-aliased against its neighbour's colour,
  // never against the white page (no seams).
  const classes = new Set<number>();
  for (let r = 0; r < res; r++) {
    let start = 0;
    for (let c = 1; c <= res; c++) {
      if (c < res && cls[r * res + c] === cls[r * res + start]) continue;
      const k = cls[r * res + start]!;
      classes.add(k);
      const w = (c - start + (c < res ? 1 : 0)) * cell,
        h = (r + 1 < res ? 2 : 1) * cell;
      out.push(
        `<rect data-role="region" x="${n2(L + start * cell)}" y="${n2(T + r * cell)}" width="${n2(w)}" height="${n2(h)}" fill="${tint(PALETTE[k % 10]!, 0.6)}" stroke="none"/>`,
      );
      start = c;
    }
  }
  for (let i = 0; i < o.labels.length; i++) {
    const k = o.labels[i]!;
    classes.add(k);
    out.push(
      `<circle data-role="point" cx="${n2(sx(o.points[2 * i]!))}" cy="${n2(sy(o.points[2 * i + 1]!))}" r="3.2" fill="${PALETTE[k % 10]}" stroke="#222" stroke-width="0.6"/>`,
    );
  }
  for (let i = 0; i < tl.length; i++) {
    const k = tl[i]!,
      x = sx(tp[2 * i]!),
      y = sy(tp[2 * i + 1]!);
    classes.add(k);
    out.push(
      `<path data-role="test" d="M${n2(x)} ${n2(y - 4.5)}L${n2(x + 4.5)} ${n2(y)}L${n2(x)} ${n2(y + 4.5)}L${n2(x - 4.5)} ${n2(y)}Z" fill="${PALETTE[k % 10]}" stroke="#000" stroke-width="1"/>`,
    );
  }
  // Axes: a frame, ticks in data units on both sides, labels.
  out.push(`<rect x="${L}" y="${T}" width="${size}" height="${size}" fill="none" stroke="#666"/>`);
  for (const v of ticks(lo[0], lo[0] + span, 6)) {
    out.push(`<path d="M${n2(sx(v))} ${T + size}L${n2(sx(v))} ${T + size + 5}" stroke="#666" fill="none"/>`);
    out.push(text(sx(v), T + size + 18, fmtTick(v), 'text-anchor="middle" font-size="11"'));
  }
  for (const v of ticks(lo[1], lo[1] + span, 6)) {
    out.push(`<path d="M${L - 5} ${n2(sy(v))}L${L} ${n2(sy(v))}" stroke="#666" fill="none"/>`);
    out.push(text(L - 8, sy(v) + 4, fmtTick(v), 'text-anchor="end" font-size="11"'));
  }
  out.push(text(L + size / 2, T + size + 38, o.xLabel ?? 'x₁', 'text-anchor="middle" font-size="12"'));
  out.push(text(L - 8, T - 8, o.yLabel ?? 'x₂', 'text-anchor="end" font-size="12"'));
  // Legend: one swatch per class (region tint behind the point colour), then the markers.
  const lx = L + size + 14;
  let ly = T + 14;
  out.push(text(lx, ly, 'class', 'font-size="12" font-weight="bold"'));
  for (const k of [...classes].sort((a, b) => a - b)) {
    ly += 20;
    out.push(
      `<rect data-role="legend" x="${lx}" y="${ly - 11}" width="16" height="14" fill="${tint(PALETTE[k % 10]!, 0.6)}" stroke="none"/>`,
    );
    out.push(
      `<circle cx="${lx + 8}" cy="${ly - 4}" r="3.2" fill="${PALETTE[k % 10]}" stroke="#222" stroke-width="0.6"/>`,
    );
    out.push(text(lx + 22, ly, o.classNames?.[k] ?? `class ${k}`, 'font-size="12"'));
  }
  if (tl.length) {
    ly += 30;
    out.push(`<circle cx="${lx + 8}" cy="${ly - 4}" r="3.2" fill="#999" stroke="#222" stroke-width="0.6"/>`);
    out.push(text(lx + 22, ly, 'training', 'font-size="12"'));
    ly += 20;
    out.push(
      `<path d="M${lx + 8} ${ly - 8.5}L${lx + 12.5} ${ly - 4}L${lx + 8} ${ly + 0.5}L${lx + 3.5} ${ly - 4}Z" fill="#999" stroke="#000" stroke-width="1"/>`,
    );
    out.push(text(lx + 22, ly, 'held out', 'font-size="12"'));
  }
  out.push('</svg>\n');
  return out.join('\n');
}

/** A tick label: at most 3 significant decimals, no "-0". */
const fmtTick = (v: number): string => String(Number(v.toPrecision(3)) + 0);

/** One line of a chart: its label, values per epoch, colour and dash. */
interface Series {
  label: string;
  values: readonly number[];
  color?: string;
  /** Dashed line (e.g. validation). */
  dashed?: boolean;
}

/** One chart: a title, its lines and the y axis's range and format. */
export interface Panel {
  title: string;
  series: Series[];
  /** Fixed y range (default: the data's, with a little room). */
  yMin?: number;
  yMax?: number;
  /** Label of the x axis (default 'epoch'). */
  xLabel?: string;
  /** Format of y tick labels. */
  yFormat?: (v: number) => string;
  /** Legend corner (default 'top'; 'bottom' for curves that rise to the top, like accuracy). */
  legend?: 'top' | 'bottom';
  /** Vertical markers at 0-based positions (e.g. the epoch early stopping kept), with a label. */
  marks?: { at: number; label: string }[];
}

/** 'Nice' tick values (1, 2, 5 × 10ᵏ steps) covering [lo, hi]. @example ticks(0, 1); // [0, 0.2, 0.4, 0.6, 0.8, 1] */
export function ticks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count,
    mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw)!;
  const out: number[] = [];
  // Integer multiples of the step, rounded to 12 digits so 3 × 0.2 prints as 0.6.
  for (let k = Math.ceil(lo / step - 1e-9); k * step <= hi + step * 1e-9; k++)
    out.push(Number((k * step).toPrecision(12)));
  return out;
}

function panelSvg(pn: Panel, ox: number, oy: number, w: number, h: number): string {
  const L = 52,
    R = 12,
    T = 26,
    B = 40;
  const pw = w - L - R,
    ph = h - T - B;
  const all = pn.series.flatMap((s) => s.values.filter(Number.isFinite));
  let lo = pn.yMin ?? Math.min(...all),
    hi = pn.yMax ?? Math.max(...all);
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) {
    lo = 0;
    hi = 1;
  }
  if (hi - lo < 1e-12) {
    hi += 0.5;
    lo -= 0.5;
  }
  if (pn.yMin === undefined) lo -= (hi - lo) * 0.05;
  if (pn.yMax === undefined) hi += (hi - lo) * 0.05;
  const len = Math.max(...pn.series.map((s) => s.values.length), 2);
  const X = (i: number): number => ox + L + (i / (len - 1)) * pw;
  const Y = (v: number): number => oy + T + (1 - (v - lo) / (hi - lo)) * ph;
  const fmt = pn.yFormat ?? ((v: number) => String(Math.round(v * 1000) / 1000));
  const out: string[] = [text(ox + L + pw / 2, oy + 17, pn.title, 'text-anchor="middle" font-size="14"')];
  for (const t of ticks(lo, hi)) {
    out.push(`<path d="M${n2(ox + L)} ${n2(Y(t))}L${n2(ox + L + pw)} ${n2(Y(t))}" stroke="#e5e5e5" fill="none"/>`);
    out.push(text(ox + L - 6, Y(t) + 4, fmt(t), 'text-anchor="end" font-size="11"'));
  }
  for (const t of ticks(1, len, 6).filter((t) => Number.isInteger(t))) {
    out.push(text(X(t - 1), oy + T + ph + 16, String(t), 'text-anchor="middle" font-size="11"'));
  }
  out.push(
    `<rect x="${n2(ox + L)}" y="${n2(oy + T)}" width="${n2(pw)}" height="${n2(ph)}" fill="none" stroke="#888"/>`,
  );
  out.push(text(ox + L + pw / 2, oy + h - 6, pn.xLabel ?? 'epoch', 'text-anchor="middle" font-size="12"'));
  for (const m of pn.marks ?? []) {
    const x = X(Math.min(Math.max(m.at, 0), len - 1));
    out.push(
      `<path data-role="mark" d="M${n2(x)} ${n2(oy + T)}L${n2(x)} ${n2(oy + T + ph)}" stroke="#555" stroke-width="1" stroke-dasharray="2 3" fill="none"/>`,
    );
    // The label reads leftwards from the line when the line is in the right half.
    const right = x > ox + L + pw / 2;
    out.push(
      text(
        right ? x - 4 : x + 4,
        oy + T + ph / 2,
        m.label,
        `font-size="10" fill="#333"${right ? ' text-anchor="end"' : ''}`,
      ),
    );
  }
  pn.series.forEach((s, k) => {
    const color = s.color ?? PALETTE[k % 10]!;
    const dash = s.dashed ? ' stroke-dasharray="6 4"' : '';
    // A run of finite values is one path; a NaN or ∞ breaks the line rather than bridging it.
    const runs: [number, number][][] = [[]];
    s.values.forEach((v, i) => {
      if (Number.isFinite(v)) runs[runs.length - 1]!.push([X(i), Y(Math.min(Math.max(v, lo), hi))]);
      else if (runs[runs.length - 1]!.length) runs.push([]);
    });
    const d = runs
      .filter((r) => r.length)
      .map(pathD)
      .join('');
    if (d)
      out.push(
        `<path data-role="series" data-label="${esc(s.label)}" d="${d}" fill="none" stroke="${color}" stroke-width="2" stroke-linejoin="round"${dash}/>`,
      );
    const ly = pn.legend === 'bottom' ? oy + T + ph - 8 - (pn.series.length - 1 - k) * 16 : oy + T + 14 + k * 16;
    out.push(
      `<path d="M${n2(ox + L + pw - 110)} ${n2(ly - 4)}L${n2(ox + L + pw - 90)} ${n2(ly - 4)}" fill="none" stroke="${color}" stroke-width="2"${dash}/>`,
    );
    out.push(text(ox + L + pw - 85, ly, s.label, 'font-size="11"'));
  });
  return out.join('\n');
}

/**
 * Line charts side by side, one panel per entry (e.g. loss and accuracy per epoch).
 * @example curvesSvg([{ title: 'loss', series: [{ label: 'train', values: h.train.loss }] }]);
 */
export function curvesSvg(panels: Panel[], opts: { width?: number; height?: number } = {}): string {
  const w = opts.width ?? 420,
    h = opts.height ?? 300;
  const body = panels.map((p, i) => panelSvg(p, i * w, 0, w, h)).join('\n');
  return `${svgOpen(w * panels.length, h)}${body}\n</svg>\n`;
}

/** The part of a training history the curves need (fit's History fits). */
export interface CurveHistory {
  train: Record<string, readonly number[] | undefined>;
  val?: Record<string, readonly number[] | undefined>;
}

/**
 * Loss and accuracy per epoch, training solid and validation dashed, as two panels.
 * @example writeFileSync('curves.svg', historySvg(fit(model, { … }), { lossTitle: 'loss (cross-entropy)' }));
 */
export function historySvg(
  h: CurveHistory,
  opts: { lossTitle?: string; valLabel?: string; marks?: { at: number; label: string }[] } = {},
): string {
  const both = (key: string): Series[] => {
    const s: Series[] = [{ label: 'train', values: h.train[key] ?? [] }];
    const v = h.val?.[key];
    if (v && v.length) s.push({ label: opts.valLabel ?? 'validation', values: v, dashed: true });
    return s;
  };
  const panels: Panel[] = [{ title: opts.lossTitle ?? 'loss', series: both('loss'), yMin: 0, marks: opts.marks }];
  if (h.train.accuracy)
    panels.push({
      title: 'accuracy',
      legend: 'bottom',
      series: both('accuracy'),
      yMax: 1,
      yFormat: (v) => `${Math.round(v * 100)}%`,
      marks: opts.marks,
    });
  return curvesSvg(panels);
}
