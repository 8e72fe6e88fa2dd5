// The map: decision regions under the data points.
import { setupCanvas } from './chart.js';
import { EXTENT, type PlaygroundData } from './data.js';
import { COLORS } from './inspector.js';
import type { Frame } from './protocol.js';

const RGB = COLORS.map((c) => [1, 3, 5].map((i) => parseInt(c.slice(i, i + 2), 16)) as [number, number, number]);

/** Data coordinates (in [−EXTENT, EXTENT]²) to canvas pixels of a w × h picture, y up. */
export const toPx = (x: number, y: number, w: number, h: number): [number, number] => [
  ((x + EXTENT) / (2 * EXTENT)) * w,
  ((EXTENT - y) / (2 * EXTENT)) * h,
];

const gridCanvas = document.createElement('canvas');

/**
 * The decision regions as a heat map (colour of the likeliest class, paler where unsure), the points on top, the
 * selected one ringed.
 */
export function drawRegions(
  canvas: HTMLCanvasElement,
  frame: Frame | null,
  data: PlaygroundData | null,
  selected: number | null,
): void {
  const { ctx, w, h } = setupCanvas(canvas);
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, w, h);
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
      // Paler where the model is unsure: from white at chance level to 70 % colour at certainty.
      const a = 0.12 + 0.58 * Math.max(0, (pmax - 1 / classes) / (1 - 1 / classes));
      const [r, gg, b] = RGB[best]!;
      img.data[4 * i] = 255 + (r - 255) * a;
      img.data[4 * i + 1] = 255 + (gg - 255) * a;
      img.data[4 * i + 2] = 255 + (b - 255) * a;
      img.data[4 * i + 3] = 255;
    }
    g.putImageData(img, 0, 0);
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(gridCanvas, 0, 0, w, h);
  }
  // Axes through the origin, faint.
  ctx.strokeStyle = 'rgba(0,0,0,0.08)';
  ctx.beginPath();
  ctx.moveTo(w / 2, 0);
  ctx.lineTo(w / 2, h);
  ctx.moveTo(0, h / 2);
  ctx.lineTo(w, h / 2);
  ctx.stroke();
  if (!data) return;
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
  drawSplit(data.test.x, data.test.y, true);
  if (selected !== null) {
    const p = pointAt(data, selected);
    if (p) {
      const [px, py] = toPx(p[0], p[1], w, h);
      ctx.strokeStyle = '#111';
      ctx.lineWidth = 2;
      ctx.beginPath();
      ctx.arc(px, py, 10, 0, 2 * Math.PI);
      ctx.stroke();
    }
  }
}

/** Coordinates of point `index` (train points first, then test points). */
export function pointAt(data: PlaygroundData | null, index: number): [number, number] | null {
  if (!data) return null;
  const nTrain = data.train.y.length;
  const s = index < nTrain ? data.train : data.test,
    i = index < nTrain ? index : index - nTrain;
  return i < s.y.length ? [s.x[2 * i]!, s.x[2 * i + 1]!] : null;
}
