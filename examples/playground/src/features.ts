// Engineered input features (TensorFlow Playground's x², y², xy, sin x, sin y) and the network's inner
// pictures: what every neuron outputs over the map, for the network diagram.
import { Linear, type MLP } from '@xent/nn';
import { Tensor, noGrad } from '@xent/core';
import { EXTENT } from './data.js';
import type { Feature } from './state.js';

const FN: Record<Feature, (x: number, y: number) => number> = {
  x: (x) => x,
  y: (_, y) => y,
  x2: (x) => x * x,
  y2: (_, y) => y * y,
  xy: (x, y) => x * y,
  sinx: (x) => Math.sin(Math.PI * x),
  siny: (_, y) => Math.sin(Math.PI * y),
};

/**
 * The chosen features of each point: [n, 2] coordinates in, [n, features.length] out. sin uses πx, so that one
 * period spans the map's [−1, 1].
 * @example featurize(tensor([[0.5, 2]]), ['x', 'xy']); // [[0.5, 1]]
 */
export function featurize(points: Tensor, features: readonly Feature[]): Tensor {
  const n = points.shape[0]!,
    f = features.length,
    out = new Float64Array(n * f),
    p = points.data;
  for (let i = 0; i < n; i++) for (let j = 0; j < f; j++) out[i * f + j] = FN[features[j]!](p[2 * i]!, p[2 * i + 1]!);
  return new Tensor(out, [n, f]);
}

/** Cells per side of each neuron's little map. */
const NEURON_GRID = 20;

/** Every neuron's output over the map, layer by layer (inputs first, logits last), and the weights between. */
export interface NetworkPicture {
  size: number;
  /** Per layer: units × size × size outputs, row-major from the top-left, and each unit's largest |output|. */
  layers: { units: number; maps: Float32Array; scale: Float32Array }[];
  /** Per Linear layer: weight [out, in] row-major, and bias [out]. */
  weights: { out: number; in: number; w: Float64Array; b: Float64Array }[];
}

let cells: Tensor | null = null;
function lattice(): Tensor {
  if (cells) return cells;
  const g = NEURON_GRID,
    d = new Float64Array(g * g * 2);
  for (let r = 0; r < g; r++)
    for (let c = 0; c < g; c++) {
      d[2 * (r * g + c)] = -EXTENT + ((c + 0.5) * 2 * EXTENT) / g;
      d[2 * (r * g + c) + 1] = EXTENT - ((r + 0.5) * 2 * EXTENT) / g;
    }
  return (cells = new Tensor(d, [g * g, 2]));
}

function layerPicture(t: Tensor): { units: number; maps: Float32Array; scale: Float32Array } {
  const [m, u] = t.shape as [number, number];
  const maps = new Float32Array(u * m),
    scale = new Float32Array(u);
  for (let j = 0; j < u; j++)
    for (let i = 0; i < m; i++) {
      const v = t.data[i * u + j]!;
      maps[j * m + i] = v;
      scale[j] = Math.max(scale[j]!, Math.abs(v));
    }
  return { units: u, maps, scale };
}

/** The picture of `model` fed with `features`: each layer's outputs (after its activation) over the map. */
export function networkPicture(model: MLP, features: readonly Feature[]): NetworkPicture {
  return noGrad(() => {
    let h = featurize(lattice(), features);
    const layers = [layerPicture(h)];
    const weights: NetworkPicture['weights'] = [];
    const mods = model.layers;
    mods.forEach((m, i) => {
      h = (m as unknown as { forward(x: Tensor): Tensor }).forward(h);
      if (m instanceof Linear)
        weights.push({
          out: m.outFeatures,
          in: m.inFeatures,
          w: Float64Array.from(m.weight.data),
          b: Float64Array.from(m.bias!.data),
        });
      // A layer's picture is taken after its activation (or, for the last Linear, its logits).
      if (!(m instanceof Linear) || i === mods.length - 1) layers.push(layerPicture(h));
    });
    return { size: NEURON_GRID, layers, weights };
  });
}
