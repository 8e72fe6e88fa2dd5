// A small line chart on a canvas: a few series against epochs, optional log scale, segments
// (one per loss trained on) named at their start, lines broken where one ends. No library: the
// picture is simple and must redraw fast.

/** One line of a chart. */
interface Series {
  color: string;
  dash?: number[];
  /** Values aligned with the chart's x values (NaN for a gap). */
  ys: number[];
}

/** What `drawChart` draws: x values, the series, and how to scale and label the y axis. */
export interface ChartOptions {
  xs: number[];
  series: Series[];
  log?: boolean;
  /** Fixed y range; otherwise fitted to the data. */
  yRange?: [number, number];
  /**
   * Segments of the x values (index of the first point, and a name), e.g. one per loss: each one named at its
   * start, a dashed line between them, and the series not joined across (different losses are different scales).
   */
  segments?: { from: number; label: string }[];
  yFormat?: (v: number) => string;
  xLabel?: string;
}

/** Prepares a canvas for crisp drawing at the device's pixel ratio; returns its CSS size. */
export function setupCanvas(canvas: HTMLCanvasElement): { ctx: CanvasRenderingContext2D; w: number; h: number } {
  const w = canvas.clientWidth || canvas.width,
    h = canvas.clientHeight || canvas.height;
  const dpr = (typeof devicePixelRatio === 'number' && devicePixelRatio) || 1;
  if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(h * dpr)) {
    canvas.width = Math.round(w * dpr);
    canvas.height = Math.round(h * dpr);
  }
  const ctx = canvas.getContext('2d')!;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  return { ctx, w, h };
}

function niceTicks(lo: number, hi: number, count: number): number[] {
  const span = hi - lo || 1;
  const raw = span / count,
    mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => span / s <= count) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + 1e-12; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

/** Ticks for a log axis spanning 10^lo … 10^hi: 1-2-5 steps when few decades, powers of ten otherwise. */
function logTicks(lo: number, hi: number): number[] {
  const out: number[] = [];
  const decades = hi - lo;
  for (let e = Math.floor(lo); e <= Math.ceil(hi); e++) {
    for (const m of decades > 2.5 ? [1] : decades > 1 ? [1, 3] : [1, 2, 5]) {
      const v = m * 10 ** e;
      if (Math.log10(v) >= lo && Math.log10(v) <= hi) out.push(Number(v.toPrecision(3)));
    }
  }
  return out;
}

/** Draws the chart, replacing what the canvas held. */
export function drawChart(canvas: HTMLCanvasElement, o: ChartOptions): void {
  const { ctx, w, h } = setupCanvas(canvas);
  const L = 42,
    R = 8,
    T = 8,
    B = 20;
  ctx.clearRect(0, 0, w, h);
  ctx.font = '10px system-ui, sans-serif';
  const f = (v: number): number => (o.log ? Math.log10(Math.max(v, 1e-12)) : v);
  let lo = Infinity,
    hi = -Infinity;
  if (o.yRange) [lo, hi] = o.yRange.map(f) as [number, number];
  else {
    for (const s of o.series)
      for (const v of s.ys)
        if (Number.isFinite(v) && (!o.log || v > 0)) {
          lo = Math.min(lo, f(v));
          hi = Math.max(hi, f(v));
        }
    if (!Number.isFinite(lo)) [lo, hi] = [0, 1];
    if (hi - lo < 1e-9) {
      lo -= 0.5;
      hi += 0.5;
    }
    const pad = (hi - lo) * 0.05;
    lo -= pad;
    hi += pad;
  }
  // At least one epoch wide, so that an empty or just-started chart gets ticks 0 … 1, not 0, 2e-10, …
  const x0 = o.xs[0] ?? 0,
    x1 = Math.max(o.xs[o.xs.length - 1] ?? 1, x0 + 1);
  const px = (x: number): number => L + ((x - x0) / (x1 - x0)) * (w - L - R);
  const py = (v: number): number => T + (1 - (f(v) - lo) / (hi - lo)) * (h - T - B);

  // Grid and y labels.
  ctx.strokeStyle = '#eceef2';
  ctx.fillStyle = '#6b7280';
  ctx.lineWidth = 1;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  const yTicks = o.log ? logTicks(lo, hi) : niceTicks(lo, hi, 4);
  for (const t of yTicks) {
    const y = py(t);
    ctx.beginPath();
    ctx.moveTo(L, y);
    ctx.lineTo(w - R, y);
    ctx.stroke();
    ctx.fillText(o.yFormat ? o.yFormat(t) : String(t), L - 4, y);
  }
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  const xTicks = niceTicks(x0, x1, 5);
  for (const t of xTicks) ctx.fillText(String(t), px(t), h - B + 4);
  // What was drawn, readable by tests and tools: the x ticks and where each segment's name sits.
  canvas.dataset.xticks = JSON.stringify(xTicks);
  const placed: { label: string; left: number; right: number }[] = [];
  if (o.xLabel) {
    ctx.textAlign = 'right';
    ctx.fillText(o.xLabel, w - R, h - B + 4 - 12);
  }
  ctx.strokeStyle = '#c9ced8';
  ctx.strokeRect(L, T, w - L - R, h - T - B);

  const segs = o.segments ?? [];
  const starts = new Set(segs.map((s) => s.from));
  segs.forEach((m, k) => {
    const mx = o.xs[m.from];
    if (mx === undefined) return;
    const x = px(mx);
    if (k > 0) {
      ctx.save();
      ctx.setLineDash([3, 3]);
      ctx.strokeStyle = '#9aa1ad';
      ctx.beginPath();
      ctx.moveTo(x, T);
      ctx.lineTo(x, h - B);
      ctx.stroke();
      ctx.restore();
    }
    // The name right of its line, or left of it when it would run past the right edge.
    ctx.fillStyle = '#4b5563';
    const tw = ctx.measureText(m.label).width;
    const right = x + 3 + tw <= w - R;
    ctx.textAlign = right ? 'left' : 'right';
    ctx.fillText(m.label, right ? x + 3 : x - 3, T + 2);
    placed.push({ label: m.label, left: right ? x + 3 : x - 3 - tw, right: right ? x + 3 + tw : x - 3 });
  });
  canvas.dataset.labels = JSON.stringify(placed);

  ctx.save();
  ctx.beginPath();
  ctx.rect(L, T, w - L - R, h - T - B);
  ctx.clip();
  for (const s of o.series) {
    ctx.strokeStyle = s.color;
    ctx.lineWidth = 1.6;
    ctx.setLineDash(s.dash ?? []);
    ctx.beginPath();
    let pen = false;
    for (let i = 0; i < o.xs.length; i++) {
      const v = s.ys[i]!;
      if (!Number.isFinite(v) || (o.log && v <= 0) || starts.has(i)) pen = false;
      if (!Number.isFinite(v) || (o.log && v <= 0)) {
        pen = false;
        continue;
      }
      if (pen) ctx.lineTo(px(o.xs[i]!), py(v));
      else ctx.moveTo(px(o.xs[i]!), py(v));
      pen = true;
    }
    ctx.stroke();
  }
  ctx.restore();
}
