// The map: decision regions under the data points, with axis ticks; and its colour scale.
import { setupCanvas } from './chart.js';
import { EXTENT, type PlaygroundData } from './data.js';
import { CLASS_RGB, COLORS } from './palette.js';
import type { Frame } from './protocol.js';

/** Room around the picture for the axes' tick labels (CSS pixels). */
const PAD = { left: 30, right: 8, top: 8, bottom: 20 };

/** The picture's square inside a w × h canvas. */
function plotRect(w: number, h: number): { x: number; y: number; s: number } {
  const s = Math.max(10, Math.min(w - PAD.left - PAD.right, h - PAD.top - PAD.bottom));
  return { x: PAD.left, y: PAD.top, s };
}

/** Data coordinates (in [−EXTENT, EXTENT]²) to canvas pixels of a w × h canvas, y up. */
export function toPx(x: number, y: number, w: number, h: number): [number, number] {
  const r = plotRect(w, h);
  return [r.x + ((x + EXTENT) / (2 * EXTENT)) * r.s, r.y + ((EXTENT - y) / (2 * EXTENT)) * r.s];
}

/** What the map shows besides the model: the points, the selection and the two toggles. */
export interface MapView {
  data: PlaygroundData | null;
  selected: number | null;
  showTest: boolean;
  discretize: boolean;
}

const gridCanvas = document.createElement('canvas');

/** How strongly a cell is coloured: from pale at chance level to 70 % colour at certainty (or full when discrete). */
function cellAlpha(pmax: number, classes: number, discretize: boolean): number {
  if (discretize) return 0.62;
  return 0.12 + 0.58 * Math.max(0, (pmax - 1 / classes) / (1 - 1 / classes));
}

/** The decision regions as a heat map, axis ticks, the points on top, the selected one ringed. */
export function drawRegions(canvas: HTMLCanvasElement, frame: Frame | null, v: MapView): void {
  const { ctx, w, h } = setupCanvas(canvas);
  const R = plotRect(w, h);
  ctx.clearRect(0, 0, w, h);
  ctx.fillStyle = '#fff';
  ctx.fillRect(R.x, R.y, R.s, R.s);
  if (frame) {
    const { size, classes, probs } = frame.grid;
    gridCanvas.width = size;
    gridCanvas.height = size;
    const g = gridCanvas.getContext('2d')!;
    const img = g.createImageData(size, size);
    for (let i = 0; i < size * size; i++) {
      let best = 0,
        pmax = -1;
      for (let c = 0; c < classes; c++)
        if (probs[i * classes + c]! > pmax) {
          pmax = probs[i * classes + c]!;
          best = c;
        }
      const a = cellAlpha(pmax, classes, v.discretize);
      const [r, gg, b] = CLASS_RGB[best]!;
      img.data.set([255 + (r - 255) * a, 255 + (gg - 255) * a, 255 + (b - 255) * a, 255], 4 * i);
    }
    g.putImageData(img, 0, 0);
    ctx.imageSmoothingEnabled = !v.discretize;
    ctx.drawImage(gridCanvas, R.x, R.y, R.s, R.s);
  }
  // Axes: ticks every 0.5 (the data lie in [−1, 1]²), faint lines through the origin.
  ctx.font = '10px system-ui, sans-serif';
  ctx.fillStyle = '#6b7280';
  ctx.strokeStyle = '#9aa1ad';
  ctx.lineWidth = 1;
  for (const t of [-1, -0.5, 0, 0.5, 1]) {
    const [px, py] = toPx(t, t, w, h);
    ctx.beginPath();
    ctx.moveTo(px, R.y + R.s);
    ctx.lineTo(px, R.y + R.s + 4);
    ctx.moveTo(R.x - 4, py);
    ctx.lineTo(R.x, py);
    ctx.stroke();
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    ctx.fillText(String(t), px, R.y + R.s + 6);
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    ctx.fillText(String(t), R.x - 6, py);
  }
  ctx.strokeStyle = 'rgba(0,0,0,0.1)';
  const [ox, oy] = toPx(0, 0, w, h);
  ctx.beginPath();
  ctx.moveTo(ox, R.y);
  ctx.lineTo(ox, R.y + R.s);
  ctx.moveTo(R.x, oy);
  ctx.lineTo(R.x + R.s, oy);
  ctx.stroke();
  ctx.strokeStyle = '#c9ced8';
  ctx.strokeRect(R.x - 0.5, R.y - 0.5, R.s + 1, R.s + 1);
  const data = v.data;
  if (!data) return;
  ctx.save();
  ctx.beginPath();
  ctx.rect(R.x, R.y, R.s, R.s);
  ctx.clip();
  const drawSplit = (xs: Float64Array, ys: Float64Array, test: boolean): void => {
    for (let i = 0; i < ys.length; i++) {
      const [px, py] = toPx(xs[2 * i]!, xs[2 * i + 1]!, w, h);
      ctx.fillStyle = COLORS[ys[i]!]!;
      ctx.beginPath();
      if (test) {
        // Test points: diamonds with a dark edge.
        ctx.moveTo(px, py - 5.5);
        ctx.lineTo(px + 5.5, py);
        ctx.lineTo(px, py + 5.5);
        ctx.lineTo(px - 5.5, py);
        ctx.closePath();
        ctx.fill();
        ctx.strokeStyle = '#222';
        ctx.lineWidth = 1.4;
      } else {
        ctx.arc(px, py, 4, 0, 2 * Math.PI);
        ctx.fill();
        ctx.strokeStyle = '#fff';
        ctx.lineWidth = 1.2;
      }
      ctx.stroke();
    }
  };
  drawSplit(data.train.x, data.train.y, false);
  if (v.showTest) drawSplit(data.test.x, data.test.y, true);
  const p = v.selected === null ? null : pointAt(data, v.selected);
  if (p) {
    const [px, py] = toPx(p[0], p[1], w, h);
    ctx.strokeStyle = '#111';
    ctx.lineWidth = 2;
    ctx.beginPath();
    ctx.arc(px, py, 10, 0, 2 * Math.PI);
    ctx.stroke();
  }
  ctx.restore();
}

/**
 * The map's colour scale: for each class, its colour from pale (p of the likeliest class at chance, 1/k) to full
 * (p = 1); with "discretize output", one full swatch per class.
 */
export function drawScale(canvas: HTMLCanvasElement, classes: number, discretize: boolean): void {
  const { ctx, w, h } = setupCanvas(canvas);
  ctx.clearRect(0, 0, w, h);
  ctx.font = '10px system-ui, sans-serif';
  ctx.textBaseline = 'middle';
  const rowH = Math.min(14, (h - 14) / classes);
  const x0 = 56,
    x1 = w - 30;
  for (let c = 0; c < classes; c++) {
    const y = 2 + c * rowH;
    for (let x = x0; x < x1; x++) {
      const p = 1 / classes + ((x - x0) / (x1 - x0)) * (1 - 1 / classes);
      const a = cellAlpha(p, classes, discretize);
      const [r, g, b] = CLASS_RGB[c]!;
      ctx.fillStyle = `rgb(${255 + (r - 255) * a},${255 + (g - 255) * a},${255 + (b - 255) * a})`;
      ctx.fillRect(x, y, 1, rowH - 2);
    }
    ctx.fillStyle = '#374151';
    ctx.textAlign = 'right';
    ctx.fillText(`class ${c}`, x0 - 6, y + rowH / 2 - 1);
  }
  ctx.fillStyle = '#6b7280';
  ctx.textAlign = 'left';
  ctx.fillText(discretize ? 'likeliest class' : `p of the likeliest class: 1/${classes} → 1`, x0, h - 6);
}

/** Coordinates of point `index` (train points first, then test points). */
export function pointAt(data: PlaygroundData | null, index: number): [number, number] | null {
  if (!data) return null;
  const nTrain = data.train.y.length;
  const s = index < nTrain ? data.train : data.test,
    i = index < nTrain ? index : index - nTrain;
  return i < s.y.length ? [s.x[2 * i]!, s.x[2 * i + 1]!] : null;
}
