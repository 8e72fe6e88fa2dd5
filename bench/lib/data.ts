/**
 * Seeded data shared by every JavaScript runner (the PyTorch runner reads the W5 fixture from a
 * JSON file the orchestrator writes with `spiralFixture`). mulberry32 + Box–Muller: tiny, and
 * independent of every framework under test.
 */

function rng(seed: number): { uniform(): number; normal(): number } {
  let s = seed >>> 0;
  const uniform = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = (): number => {
    const u = 1 - uniform(),
      v = uniform();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
  return { uniform, normal };
}

/** n standard-normal numbers. */
export function normals(n: number, seed: number): Float64Array {
  const g = rng(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = g.normal();
  return out;
}

/** n class indices in [0, classes). */
export function labels(n: number, classes: number, seed: number): Int32Array {
  const g = rng(seed);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.floor(g.uniform() * classes);
  return out;
}

/** One dense layer in PyTorch's layout: weight [out, in] row-major, bias [out]; U(±1/√in) as torch.nn.Linear. */
export interface Layer {
  inF: number;
  outF: number;
  weight: Float64Array;
  bias: Float64Array;
}

/** Initial layers of an MLP with the given widths (e.g. [2, 64, 64, 3]). */
export function mlpLayers(widths: readonly number[], seed: number): Layer[] {
  const g = rng(seed);
  const layers: Layer[] = [];
  for (let l = 0; l + 1 < widths.length; l++) {
    const inF = widths[l]!,
      outF = widths[l + 1]!,
      bound = 1 / Math.sqrt(inF);
    const weight = new Float64Array(outF * inF).map(() => (2 * g.uniform() - 1) * bound);
    const bias = new Float64Array(outF).map(() => (2 * g.uniform() - 1) * bound);
    layers.push({ inF, outF, weight, bias });
  }
  return layers;
}

/** Widths of a W3/W5 MLP from its params. */
export function widths(p: Record<string, number>): number[] {
  return [p.in!, ...Array.from({ length: p.layers! }, () => p.hidden!), p.out!];
}

/** The W3 batch: inputs [batch, in] and class targets. */
export function mlpBatch(p: Record<string, number>): { x: Float64Array; y: Int32Array } {
  return { x: normals(p.batch! * p.in!, 11), y: labels(p.batch!, p.out!, 12) };
}

/**
 * CS231n's spiral (as the demo's): class j has points at radius r ∈ [0, 1] and angle
 * 4j + 4r + 0.2·noise; plus the initial 2-h-h-classes layers. The same for every runner.
 */
export function spiralFixture(p: Record<string, number>): {
  x: number[];
  y: number[];
  layers: { inF: number; outF: number; weight: number[]; bias: number[] }[];
} {
  const n = p.points!,
    k = p.classes!,
    g = rng(7);
  const x: number[] = [],
    y: number[] = [];
  for (let j = 0; j < k; j++) {
    const m = Math.floor(n / k) + (j < n % k ? 1 : 0);
    for (let i = 0; i < m; i++) {
      const r = m > 1 ? i / (m - 1) : 0;
      const t = 4 * j + 4 * r + 0.2 * g.normal();
      x.push(r * Math.sin(t), r * Math.cos(t));
      y.push(j);
    }
  }
  const layers = mlpLayers([2, p.hidden!, p.hidden!, k], 8).map((l) => ({
    inF: l.inF,
    outF: l.outF,
    weight: [...l.weight],
    bias: [...l.bias],
  }));
  return { x, y, layers };
}

/** Fraction of rows of `logits` [n, k] whose argmax is the target. */
export function accuracy(logits: ArrayLike<number>, y: ArrayLike<number>, k: number): number {
  let hit = 0;
  for (let i = 0; i < y.length; i++) {
    let best = 0;
    for (let j = 1; j < k; j++) if (logits[i * k + j]! > logits[i * k + best]!) best = j;
    if (best === y[i]) hit++;
  }
  return hit / y.length;
}

/** W4: 100 points in the plane with targets ±1 (inside or outside the unit circle). */
export function valuePoints(n: number): { x: number[][]; y: number[] } {
  const g = rng(21);
  const x: number[][] = [],
    y: number[] = [];
  for (let i = 0; i < n; i++) {
    const a = 2 * g.uniform() - 1,
      b = 2 * g.uniform() - 1;
    x.push([a, b]);
    y.push(a * a + b * b < 0.5 ? 1 : -1);
  }
  return { x, y };
}
