// Small SVG plotting helpers with no dependencies: decision regions of a 2-D classifier with its
// data points, and line charts (loss and accuracy curves). Each returns a self-contained SVG string,
// usable in Node (write it to a file) or in a browser (set it as innerHTML).

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
export function esc(s: string): string {
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

/** What regionsSvg draws: the points, their labels and a classifier of grid points. */
export interface RegionsOptions {
  /** Points [n, 2] as a flat row-major array and their labels. */
  points: ArrayLike<number>;
  labels: ArrayLike<number>;
  /** Class of each point of a grid, given the grid's points as a flat [m, 2] array (row-major). */
  classify: (grid: Float64Array) => ArrayLike<number>;
  /** Cells per side (default 120). */
  resolution?: number;
  size?: number;
  title?: string;
  /** Margin around the data, as a fraction of its range (default 0.1). */
  pad?: number;
}

/**
 * The decision regions of a 2-D classifier as a grid of tinted cells (runs of one class merged
 * into one rectangle per row), with the data points on top, coloured by their true class.
 * @example writeFileSync('regions.svg', regionsSvg({ points: x.data, labels: y.data, classify }));
 */
export function regionsSvg(o: RegionsOptions): string {
  const res = o.resolution ?? 120,
    size = o.size ?? 480,
    pad = o.pad ?? 0.1,
    top = o.title ? 28 : 0;
  const p = o.points,
    n = o.labels.length;
  let x0 = Infinity,
    x1 = -Infinity,
    y0 = Infinity,
    y1 = -Infinity;
  for (let i = 0; i < n; i++) {
    x0 = Math.min(x0, p[2 * i]!);
    x1 = Math.max(x1, p[2 * i]!);
    y0 = Math.min(y0, p[2 * i + 1]!);
    y1 = Math.max(y1, p[2 * i + 1]!);
  }
  const span = Math.max(x1 - x0, y1 - y0, 1e-9) * (1 + 2 * pad);
  const cx = (x0 + x1) / 2,
    cy = (y0 + y1) / 2;
  const lo = [cx - span / 2, cy - span / 2];
  const grid = new Float64Array(res * res * 2);
  for (let r = 0; r < res; r++) {
    for (let c = 0; c < res; c++) {
      const k = (r * res + c) * 2;
      grid[k] = lo[0]! + ((c + 0.5) / res) * span;
      grid[k + 1] = lo[1]! + ((res - r - 0.5) / res) * span; // row 0 at the top
    }
  }
  const cls = o.classify(grid);
  const cell = size / res;
  const parts: string[] = [];
  for (let r = 0; r < res; r++) {
    let start = 0;
    for (let c = 1; c <= res; c++) {
      if (c < res && cls[r * res + c] === cls[r * res + start]) continue;
      const k = cls[r * res + start]!;
      parts.push(
        `<rect x="${n2(start * cell)}" y="${n2(top + r * cell)}" width="${n2((c - start) * cell + 0.3)}" height="${n2(cell + 0.3)}" fill="${tint(PALETTE[k % 10]!, 0.6)}"/>`,
      );
      start = c;
    }
  }
  const dots: string[] = [];
  for (let i = 0; i < n; i++) {
    const sx = ((p[2 * i]! - lo[0]!) / span) * size,
      sy = top + (1 - (p[2 * i + 1]! - lo[1]!) / span) * size;
    dots.push(
      `<circle cx="${n2(sx)}" cy="${n2(sy)}" r="3.2" fill="${PALETTE[o.labels[i]! % 10]}" stroke="#222" stroke-width="0.6"/>`,
    );
  }
  const title = o.title
    ? `<text x="${size / 2}" y="19" text-anchor="middle" font-family="sans-serif" font-size="15">${esc(o.title)}</text>`
    : '';
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size + top}" viewBox="0 0 ${size} ${size + top}">\n` +
    `<rect width="100%" height="100%" fill="#fff"/>${title}\n<g shape-rendering="crispEdges">${parts.join('')}</g>\n<g>${dots.join('')}</g>\n</svg>\n`
  );
}

/** One line of a chart: its label, values per epoch, colour and dash. */
export interface Series {
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
  const out: string[] = [
    `<text x="${n2(ox + L + pw / 2)}" y="${n2(oy + 17)}" text-anchor="middle" font-size="14">${esc(pn.title)}</text>`,
  ];
  for (const t of ticks(lo, hi)) {
    out.push(`<line x1="${n2(ox + L)}" x2="${n2(ox + L + pw)}" y1="${n2(Y(t))}" y2="${n2(Y(t))}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${n2(ox + L - 6)}" y="${n2(Y(t) + 4)}" text-anchor="end" font-size="11">${esc(fmt(t))}</text>`);
  }
  for (const t of ticks(1, len, 6).filter((t) => Number.isInteger(t))) {
    out.push(`<text x="${n2(X(t - 1))}" y="${n2(oy + T + ph + 16)}" text-anchor="middle" font-size="11">${t}</text>`);
  }
  out.push(
    `<rect x="${n2(ox + L)}" y="${n2(oy + T)}" width="${n2(pw)}" height="${n2(ph)}" fill="none" stroke="#888"/>`,
  );
  out.push(
    `<text x="${n2(ox + L + pw / 2)}" y="${n2(oy + h - 6)}" text-anchor="middle" font-size="12">${esc(pn.xLabel ?? 'epoch')}</text>`,
  );
  pn.series.forEach((s, k) => {
    const color = s.color ?? PALETTE[k % 10]!;
    const pts = s.values
      .map((v, i) => (Number.isFinite(v) ? `${n2(X(i))},${n2(Y(Math.min(Math.max(v, lo), hi)))}` : ''))
      .filter(Boolean);
    if (pts.length)
      out.push(
        `<polyline fill="none" stroke="${color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''} points="${pts.join(' ')}"/>`,
      );
    const ly = pn.legend === 'bottom' ? oy + T + ph - 8 - (pn.series.length - 1 - k) * 16 : oy + T + 14 + k * 16;
    out.push(
      `<line x1="${n2(ox + L + pw - 110)}" x2="${n2(ox + L + pw - 90)}" y1="${n2(ly - 4)}" y2="${n2(ly - 4)}" stroke="${color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`,
    );
    out.push(`<text x="${n2(ox + L + pw - 85)}" y="${n2(ly)}" font-size="11">${esc(s.label)}</text>`);
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
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w * panels.length}" height="${h}" viewBox="0 0 ${w * panels.length} ${h}" font-family="sans-serif">\n` +
    `<rect width="100%" height="100%" fill="#fff"/>\n${body}\n</svg>\n`
  );
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
export function historySvg(h: CurveHistory, opts: { lossTitle?: string; valLabel?: string } = {}): string {
  const both = (key: string): Series[] => {
    const s: Series[] = [{ label: 'train', values: h.train[key] ?? [] }];
    const v = h.val?.[key];
    if (v && v.length) s.push({ label: opts.valLabel ?? 'validation', values: v, dashed: true });
    return s;
  };
  const panels: Panel[] = [{ title: opts.lossTitle ?? 'loss', series: both('loss'), yMin: 0 }];
  if (h.train.accuracy)
    panels.push({
      title: 'accuracy',
      legend: 'bottom',
      series: both('accuracy'),
      yMax: 1,
      yFormat: (v) => `${Math.round(v * 100)}%`,
    });
  return curvesSvg(panels);
}
