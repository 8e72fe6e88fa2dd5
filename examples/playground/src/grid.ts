// The decision-region picture: class probabilities on a GRID × GRID lattice over the map. Painted
// all at once (in the Web Worker), or a band of rows at a time (on the page, when no worker can
// start), so that no single piece of work on the page runs long enough to freeze it.
import { Tensor, noGrad, sigmoid, softmax } from '@xent/core';
import { EXTENT } from './data.js';

/** Grid cells per side of the decision-region picture. */
export const GRID = 64;
/** Rows per band when painting a little at a time (4 rows: 256 forward passes). */
export const BAND = 4;

const now = (): number => (typeof performance !== 'undefined' ? performance.now() : Date.now());

/** A picture: `classes` probabilities per cell, size × size cells, row-major from the top-left. */
/** What the painter runs: anything with a forward from [n, 2] points to logits. */
export interface Model {
  forward(x: Tensor): Tensor;
}

export interface GridPicture {
  size: number;
  classes: number;
  probs: Float32Array;
}

/**
 * softmax over k logits, or [1 − σ(z), σ(z)] for one logit.
 * @example probabilities(tensor([[0]])); // [[0.5, 0.5]]
 */
export function probabilities(z: Tensor): Tensor {
  if (z.shape[1] === 1) {
    const s = sigmoid(z);
    return new Tensor(
      Float64Array.from({ length: 2 * s.size }, (_, i) => (i % 2 ? s.data[i >> 1]! : 1 - s.data[i >> 1]!)),
      [s.size, 2],
    );
  }
  return softmax(z, 1);
}

/** The cells' centres in data coordinates, [GRID·GRID, 2], row-major from the top-left (y up). */
function lattice(): Float64Array {
  const g = new Float64Array(GRID * GRID * 2);
  for (let r = 0; r < GRID; r++) {
    for (let c = 0; c < GRID; c++) {
      g[2 * (r * GRID + c)] = -EXTENT + ((c + 0.5) * 2 * EXTENT) / GRID;
      g[2 * (r * GRID + c) + 1] = EXTENT - ((r + 0.5) * 2 * EXTENT) / GRID;
    }
  }
  return g;
}

/** Paints the picture of a model, whole or band by band. */
export class GridPainter {
  private readonly cells = lattice();
  private pending: { model: Model; row: number; classes: number; probs: Float32Array | null } | null = null;

  /** The whole picture of `model`, now. */
  paint(model: Model): GridPicture {
    this.pending = null; // a picture in bands would now be older than this one
    const probs = noGrad(() => probabilities(model.forward(new Tensor(this.cells, [GRID * GRID, 2]))));
    return { size: GRID, classes: probs.shape[1]!, probs: Float32Array.from(probs.data) };
  }

  /**
   * Paints bands of BAND rows, at least one, until `budgetMs` has passed; returns the picture once
   * its last row is done (training may go on between calls, so one picture spans a few steps), null
   * before. A different model (a new one, or a new output layer) starts the picture over.
   */
  paintSome(model: Model, budgetMs: number): GridPicture | null {
    const t0 = now();
    if (this.pending?.model !== model) this.pending = { model, row: 0, classes: 0, probs: null };
    const p = this.pending;
    do {
      const rows = Math.min(BAND, GRID - p.row);
      const x = new Tensor(this.cells.slice(p.row * GRID * 2, (p.row + rows) * GRID * 2), [rows * GRID, 2]);
      const probs = noGrad(() => probabilities(model.forward(x)));
      if (!p.probs) {
        p.classes = probs.shape[1]!;
        p.probs = new Float32Array(GRID * GRID * p.classes);
      }
      p.probs.set(probs.data, p.row * GRID * p.classes);
      p.row += rows;
    } while (p.row < GRID && now() - t0 < budgetMs);
    if (p.row < GRID) return null;
    this.pending = null;
    return { size: GRID, classes: p.classes, probs: p.probs! };
  }
}
