import { Generator, Tensor } from '@xent/core';
import { checkOptions, checkSeed, quote } from '../validate.js';

/* Toy classification sets in 2-D (gaussianQuantiles: any dim). Each takes n (points in total),
   noise and a seed, and returns x [n, d] and integer labels y [n] (float64), shuffled. */

/** A toy set: points x [n, d], integer labels y [n] and the number of classes. */
export interface ToyData {
  x: Tensor;
  y: Tensor;
  numClasses: number;
}

/** Options every toy generator takes: n, noise and seed. */
export interface ToyOptions {
  /** Points in total. */
  n?: number;
  /** Standard deviation of the Gaussian noise (what it perturbs is said per set). */
  noise?: number;
  /** Seed of the random stream (default 0): the same seed gives the same points. */
  seed?: number;
}

function checkN(n: number, where: string, min = 1): number {
  if (!Number.isInteger(n) || n < min) throw new RangeError(`${where}: n must be an integer ≥ ${min}, got ${quote(n)}`);
  return n;
}

const TOY_KEYS = ['n', 'noise', 'seed'] as const;

/** Checks a toy generator's options (strict keys: the common ones and `extra`) and returns its seeded stream. */
function start(opts: object, where: string, extra: readonly string[] = []): Generator {
  const o = checkOptions(opts as ToyOptions, where, [...TOY_KEYS, ...extra]);
  return new Generator(checkSeed(o.seed ?? 0, where));
}

function checkNoise(v: number, where: string): number {
  if (typeof v !== 'number' || !(v >= 0) || !Number.isFinite(v))
    throw new RangeError(`${where}: noise must be a finite number ≥ 0, got ${quote(v)}`);
  return v;
}

/** Builds the tensors from per-point coordinates and labels, in a shuffled order. */
function finish(pts: number[][], labels: number[], k: number, g: Generator): ToyData {
  const n = labels.length,
    d = pts[0]?.length ?? 2;
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = g.int(0, i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const x = new Float64Array(n * d),
    y = new Float64Array(n);
  order.forEach((src, i) => {
    for (let c = 0; c < d; c++) x[i * d + c] = pts[src]![c]!;
    y[i] = labels[src]!;
  });
  return { x: new Tensor(x, [n, d]), y: new Tensor(y, [n]), numClasses: k };
}

/** Splits n into k near-equal counts. */
function counts(n: number, k: number): number[] {
  return Array.from({ length: k }, (_, j) => Math.floor(n / k) + (j < n % k ? 1 : 0));
}

/**
 * k interleaved spiral arms (CS231n): arm j has radius r from 0 to 1 and angle 4j + 4r plus noise.
 * noise perturbs the angle (default 0.2); `classes` (or `k`) arms, 3 by default.
 * @example const { x, y } = spiral({ n: 300, classes: 3, seed: 0 });
 */
export function spiral(opts: ToyOptions & { classes?: number; k?: number } = {}): ToyData {
  const g = start(opts, 'spiral', ['classes', 'k']);
  const n = checkN(opts.n ?? 300, 'spiral'),
    k = opts.classes ?? opts.k ?? 3,
    noise = checkNoise(opts.noise ?? 0.2, 'spiral');
  if (!Number.isInteger(k) || k < 2) throw new RangeError(`spiral: classes must be an integer ≥ 2, got ${k}`);
  const pts: number[][] = [],
    labels: number[] = [];
  counts(n, k).forEach((m, j) => {
    for (let i = 0; i < m; i++) {
      const r = m > 1 ? i / (m - 1) : 0;
      const t = j * 4 + 4 * r + g.normal() * noise;
      pts.push([r * Math.sin(t), r * Math.cos(t)]);
      labels.push(j);
    }
  });
  return finish(pts, labels, k, g);
}

/**
 * Two interleaving half circles (scikit-learn's make_moons); noise is added to both coordinates.
 * @example const { x, y } = moons({ n: 200, noise: 0.2, seed: 0 });
 */
export function moons(opts: ToyOptions = {}): ToyData {
  const g = start(opts, 'moons');
  const n = checkN(opts.n ?? 200, 'moons', 2),
    noise = checkNoise(opts.noise ?? 0, 'moons');
  const nOut = Math.floor(n / 2),
    nIn = n - nOut;
  const pts: number[][] = [],
    labels: number[] = [];
  for (let i = 0; i < nOut; i++) {
    const a = (Math.PI * i) / Math.max(nOut - 1, 1);
    pts.push([Math.cos(a), Math.sin(a)]);
    labels.push(0);
  }
  for (let i = 0; i < nIn; i++) {
    const a = (Math.PI * i) / Math.max(nIn - 1, 1);
    pts.push([1 - Math.cos(a), 1 - Math.sin(a) - 0.5]);
    labels.push(1);
  }
  for (const p of pts) {
    p[0] += noise * g.normal();
    p[1] += noise * g.normal();
  }
  return finish(pts, labels, 2, g);
}

/**
 * A circle inside a larger one (scikit-learn's make_circles); factor is the inner radius (0.8 by
 * default), noise is added to both coordinates. Label 1 is the inner circle.
 * @example const { x, y } = circles({ n: 200, noise: 0.05, seed: 0 });
 */
export function circles(opts: ToyOptions & { factor?: number } = {}): ToyData {
  const g = start(opts, 'circles', ['factor']);
  const n = checkN(opts.n ?? 200, 'circles', 2),
    noise = checkNoise(opts.noise ?? 0, 'circles'),
    factor = opts.factor ?? 0.8;
  if (!(factor > 0 && factor < 1)) throw new RangeError(`circles: factor must be in (0, 1), got ${factor}`);
  const nOut = Math.floor(n / 2),
    nIn = n - nOut;
  const pts: number[][] = [],
    labels: number[] = [];
  for (let i = 0; i < nOut; i++) {
    const a = (2 * Math.PI * i) / nOut;
    pts.push([Math.cos(a), Math.sin(a)]);
    labels.push(0);
  }
  for (let i = 0; i < nIn; i++) {
    const a = (2 * Math.PI * i) / nIn;
    pts.push([factor * Math.cos(a), factor * Math.sin(a)]);
    labels.push(1);
  }
  for (const p of pts) {
    p[0] += noise * g.normal();
    p[1] += noise * g.normal();
  }
  return finish(pts, labels, 2, g);
}

/**
 * Gaussian blobs around k centres (scikit-learn's make_blobs): centres drawn uniformly in
 * [−10, 10]² unless given; noise is each blob's standard deviation (default 1).
 * @example const { x, y } = blobs({ n: 300, centers: 3, seed: 0 });
 */
export function blobs(opts: ToyOptions & { centers?: number | number[][] } = {}): ToyData {
  const g = start(opts, 'blobs', ['centers']);
  const n = checkN(opts.n ?? 300, 'blobs'),
    noise = checkNoise(opts.noise ?? 1, 'blobs');
  const c = opts.centers ?? 3;
  const centres =
    typeof c === 'number'
      ? Array.from({ length: c }, () => [g.random() * 20 - 10, g.random() * 20 - 10])
      : c.map((p) => p.slice());
  if (
    centres.length < 1 ||
    centres.some((p) => p.length !== centres[0]!.length || p.some((v) => !Number.isFinite(v)))
  ) {
    throw new RangeError('blobs: centers must be a positive count or a list of points of one dimension');
  }
  const pts: number[][] = [],
    labels: number[] = [];
  counts(n, centres.length).forEach((m, j) => {
    for (let i = 0; i < m; i++) {
      pts.push(centres[j]!.map((v) => v + noise * g.normal()));
      labels.push(j);
    }
  });
  return finish(pts, labels, centres.length, g);
}

/**
 * The XOR pattern: points uniform in [−1, 1]², label 1 where the two coordinates have different
 * signs; noise (default 0) is added to the coordinates after labelling.
 * @example const { x, y } = xor({ n: 200, noise: 0.05, seed: 0 });
 */
export function xor(opts: ToyOptions = {}): ToyData {
  const g = start(opts, 'xor');
  const n = checkN(opts.n ?? 200, 'xor'),
    noise = checkNoise(opts.noise ?? 0, 'xor');
  const pts: number[][] = [],
    labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const a = g.random() * 2 - 1,
      b = g.random() * 2 - 1;
    labels.push(a * b < 0 ? 1 : 0);
    pts.push([a + noise * g.normal(), b + noise * g.normal()]);
  }
  return finish(pts, labels, 2, g);
}

/**
 * Concentric classes cut from one Gaussian by quantiles of the distance to its centre
 * (scikit-learn's make_gaussian_quantiles): class 0 is the innermost shell. noise is the Gaussian's
 * standard deviation (default 1).
 * @example const { x, y } = gaussianQuantiles({ n: 300, classes: 3, seed: 0 });
 */
export function gaussianQuantiles(opts: ToyOptions & { classes?: number; dim?: number } = {}): ToyData {
  const g = start(opts, 'gaussianQuantiles', ['classes', 'dim']);
  const n = checkN(opts.n ?? 300, 'gaussianQuantiles'),
    std = checkNoise(opts.noise ?? 1, 'gaussianQuantiles');
  const k = opts.classes ?? 3,
    dim = opts.dim ?? 2;
  if (!Number.isInteger(k) || k < 2 || k > n)
    throw new RangeError(`gaussianQuantiles: classes must be an integer in [2, n], got ${k}`);
  if (!Number.isInteger(dim) || dim < 1)
    throw new RangeError(`gaussianQuantiles: dim must be a positive integer, got ${dim}`);
  const pts = Array.from({ length: n }, () => Array.from({ length: dim }, () => std * g.normal()));
  const byRadius = pts.map((p, i) => [p.reduce((s, v) => s + v * v, 0), i] as const).sort((a, b) => a[0] - b[0]);
  const labels = new Array<number>(n);
  let at = 0;
  counts(n, k).forEach((m, j) => {
    for (let i = 0; i < m; i++) labels[byRadius[at++]![1]] = j;
  });
  return finish(pts, labels, k, g);
}
