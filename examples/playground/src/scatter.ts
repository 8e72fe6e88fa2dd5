// "Where the points sit on the gradient curve": every training point at (p of its true class,
// ∂loss/∂z_true). Cross-entropy puts them all on the line p − y_true (drawn dashed for reference;
// p − 1 without label smoothing); MSE on softmax bends it back to 0 at the left, where the
// confidently wrong points are.
import { setupCanvas } from './chart.js';

/**
 * The target of the true class, y_true = 1 − ε + ε/k with label smoothing ε over k classes (binary
 * cross-entropy's smoothed target 1 − ε/2 is the same with k = 2): cross-entropy's pull is p − y_true.
 * @example trueClassTarget(3, 0); // 1
 */
export function trueClassTarget(classes: number, smoothing: number): number {
  return 1 - smoothing + smoothing / classes;
}

/**
 * Draws every training point at (p of its true class, ∂loss/∂z_true), with cross-entropy's line p − `target` dashed.
 */
export function drawPointGradients(
  canvas: HTMLCanvasElement,
  pts: { p: Float32Array; grad: Float32Array },
  labels: Float64Array,
  colors: readonly string[],
  target = 1,
): void {
  const { ctx, w, h } = setupCanvas(canvas);
  const L = 46,
    R = 10,
    T = 10,
    B = 30;
  ctx.clearRect(0, 0, w, h);
  let lo = -1.05,
    hi = 0.1;
  for (const g of pts.grad)
    if (Number.isFinite(g)) {
      lo = Math.min(lo, g);
      hi = Math.max(hi, g);
    }
  lo = Math.max(lo, -4);
  hi = Math.min(hi, 4);
  const px = (p: number): number => L + p * (w - L - R);
  const py = (g: number): number => T + ((hi - Math.max(lo, Math.min(hi, g))) / (hi - lo)) * (h - T - B);

  ctx.fillStyle = '#fdecea';
  ctx.fillRect(px(0), T, px(0.2) - px(0), h - T - B);
  ctx.font = '10px system-ui, sans-serif';
  ctx.fillStyle = '#b42318';
  ctx.textAlign = 'left';
  ctx.textBaseline = 'bottom';
  ctx.fillText('confidently wrong', px(0) + 3, h - B - 2);

  ctx.strokeStyle = '#eceef2';
  ctx.fillStyle = '#6b7280';
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  const step = hi - lo > 3 ? 1 : 0.5;
  for (let t = Math.ceil(lo / step) * step; t <= hi + 1e-9; t += step) {
    ctx.beginPath();
    ctx.moveTo(L, py(t));
    ctx.lineTo(w - R, py(t));
    ctx.stroke();
    ctx.fillText(String(Number(t.toFixed(2))), L - 4, py(t));
  }
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  for (const t of [0, 0.2, 0.4, 0.6, 0.8, 1]) ctx.fillText(String(t), px(t), h - B + 3);
  ctx.fillText('p = probability of the true class', (L + w - R) / 2, h - 13);
  ctx.save();
  ctx.translate(11, (T + h - B) / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.fillText('∂loss/∂z_true', 0, -6);
  ctx.restore();
  ctx.strokeStyle = '#9aa1ad';
  ctx.beginPath();
  ctx.moveTo(L, py(0));
  ctx.lineTo(w - R, py(0));
  ctx.stroke();
  ctx.strokeStyle = '#c9ced8';
  ctx.strokeRect(L, T, w - L - R, h - T - B);

  // Cross-entropy's line, for reference whatever the loss.
  ctx.save();
  ctx.setLineDash([5, 4]);
  ctx.strokeStyle = '#374151';
  ctx.lineWidth = 1.2;
  ctx.beginPath();
  ctx.moveTo(px(0), py(-target));
  ctx.lineTo(px(1), py(1 - target));
  ctx.stroke();
  ctx.restore();
  ctx.fillStyle = '#374151';
  ctx.textAlign = 'right';
  ctx.textBaseline = 'bottom';
  ctx.fillText(`cross-entropy: p − ${target === 1 ? '1' : Number(target.toFixed(3))}`, px(1) - 4, py(-0.04) - 8);

  ctx.globalAlpha = 0.75;
  for (let i = 0; i < pts.p.length; i++) {
    ctx.fillStyle = colors[labels[i]!] ?? '#333';
    ctx.beginPath();
    ctx.arc(px(pts.p[i]!), py(pts.grad[i]!), 2.6, 0, 2 * Math.PI);
    ctx.fill();
  }
  ctx.globalAlpha = 1;
}
