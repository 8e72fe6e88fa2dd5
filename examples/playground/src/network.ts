// The network diagram, as in TensorFlow Playground: a small map per neuron (what it outputs over the
// data's square, brown < 0 < teal) and the weights as links whose width and colour show their value.
// Click a link to set its weight by hand.
import { setupCanvas } from './chart.js';
import type { NetworkPicture } from './features.js';
import { COLORS, signColor, signRgb } from './palette.js';

/** One drawn link: which weight, and where it runs on the canvas (CSS pixels). */
export interface Link {
  layer: number;
  out: number;
  in: number;
  w: number;
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

const tile = document.createElement('canvas');

/** Distance from (px, py) to the segment of `l`. */
function distance(l: Link, px: number, py: number): number {
  const dx = l.x2 - l.x1,
    dy = l.y2 - l.y1;
  const t = Math.max(0, Math.min(1, ((px - l.x1) * dx + (py - l.y1) * dy) / (dx * dx + dy * dy || 1)));
  return Math.hypot(px - (l.x1 + t * dx), py - (l.y1 + t * dy));
}

/** Draws the diagram and returns its links (for clicks). `labels`: the input features' names. */
export function drawNetwork(canvas: HTMLCanvasElement, net: NetworkPicture, labels: readonly string[]): Link[] {
  const maxUnits = Math.max(...net.layers.map((l) => l.units));
  // Tall enough for every neuron at a readable size, within reason.
  canvas.style.height = `${Math.round(Math.max(200, Math.min(460, maxUnits * 30 + 30)))}px`;
  const { ctx, w, h } = setupCanvas(canvas);
  ctx.clearRect(0, 0, w, h);
  const L = net.layers.length,
    left = 34,
    right = 12,
    top = 16;
  const size = Math.max(6, Math.min(34, Math.floor((h - top - 6) / maxUnits) - 4));
  const colX = (k: number): number => left + (k * (w - left - right - size)) / Math.max(1, L - 1);
  const rowY = (k: number, j: number): number => {
    const units = net.layers[k]!.units,
      step = (h - top - 6) / units;
    return top + step * j + (step - size) / 2;
  };
  // Links under the neurons, scaled by the largest |w| of their layer.
  const links: Link[] = [];
  net.weights.forEach((W, k) => {
    let big = 1e-9;
    for (const v of W.w) big = Math.max(big, Math.abs(v));
    for (let o = 0; o < W.out; o++)
      for (let i = 0; i < W.in; i++) {
        const v = W.w[o * W.in + i]!;
        const l: Link = {
          layer: k,
          out: o,
          in: i,
          w: v,
          x1: colX(k) + size,
          y1: rowY(k, i) + size / 2,
          x2: colX(k + 1),
          y2: rowY(k + 1, o) + size / 2,
        };
        links.push(l);
        ctx.strokeStyle = signColor(v / big);
        ctx.lineWidth = 0.4 + 3.2 * Math.min(1, Math.abs(v) / Math.max(1, big));
        ctx.beginPath();
        ctx.moveTo(l.x1, l.y1);
        ctx.lineTo(l.x2, l.y2);
        ctx.stroke();
      }
  });
  // A neuron's map: its output over the square, divided by its largest |output|.
  const g = net.size;
  tile.width = g;
  tile.height = g;
  const tctx = tile.getContext('2d')!;
  const img = tctx.createImageData(g, g);
  ctx.imageSmoothingEnabled = false;
  ctx.font = '10px system-ui, sans-serif';
  net.layers.forEach((layer, k) => {
    for (let j = 0; j < layer.units; j++) {
      const s = layer.scale[j]! || 1;
      for (let c = 0; c < g * g; c++) {
        const [r, gg, b] = signRgb(layer.maps[j * g * g + c]! / s);
        img.data.set([r, gg, b, 255], 4 * c);
      }
      tctx.putImageData(img, 0, 0);
      const x = colX(k),
        y = rowY(k, j);
      ctx.drawImage(tile, x, y, size, size);
      const out = k === L - 1;
      ctx.strokeStyle = out && layer.units > 1 ? COLORS[j]! : '#777';
      ctx.lineWidth = out ? 2 : 1;
      ctx.strokeRect(x - 0.5, y - 0.5, size + 1, size + 1);
      if (k === 0) {
        ctx.fillStyle = '#374151';
        ctx.textAlign = 'right';
        ctx.textBaseline = 'middle';
        ctx.fillText(labels[j] ?? '', x - 4, y + size / 2);
      }
    }
    ctx.fillStyle = '#6b7280';
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    const name = k === 0 ? 'inputs' : k === L - 1 ? 'outputs' : `layer ${k}`;
    ctx.fillText(name, Math.min(w - 20, Math.max(20, colX(k) + size / 2)), 2);
  });
  return links;
}

/** The link nearest to (x, y) within `tolerance` pixels, or null. */
export function linkAt(links: readonly Link[], x: number, y: number, tolerance = 4): Link | null {
  let best: Link | null = null,
    bestD = tolerance;
  for (const l of links) {
    const d = distance(l, x, y);
    if (d <= bestD) {
      bestD = d;
      best = l;
    }
  }
  return best;
}
