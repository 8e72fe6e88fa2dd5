import { Generator, Tensor, defaultGenerator, indexSelect } from '@xent/core';
import { checkBoolean, checkGenerator, checkOptions, checkSeed, checkTensor, quote } from '../validate.js';

/** Anything with a length whose items are [input, target] pairs. */
export interface Dataset {
  readonly length: number;
  /** The i-th example. */
  get(i: number): [Tensor, Tensor];
}

function rows(t: Tensor): number {
  if (t.ndim === 0) throw new RangeError('TensorDataset: tensors need a first (sample) dim, got a 0-d tensor');
  return t.shape[0]!;
}

/**
 * Inputs and targets held as two tensors whose first dim counts the samples, as PyTorch's
 * TensorDataset; `batch` picks several rows at once (what DataLoader uses).
 * @example const ds = new TensorDataset(x, y); ds.length; ds.get(0); // [x[0], y[0]]
 */
export class TensorDataset implements Dataset {
  constructor(
    readonly x: Tensor,
    readonly y: Tensor,
  ) {
    if (!(x instanceof Tensor) || !(y instanceof Tensor)) throw new TypeError('TensorDataset: x and y must be Tensors');
    if (rows(x) !== rows(y)) throw new RangeError(`TensorDataset: x has ${rows(x)} samples but y has ${rows(y)}`);
  }

  /** Number of samples (x's first dim). */
  get length(): number {
    return this.x.shape[0]!;
  }

  /**
   * The i-th sample's input and target, without the sample dim (as PyTorch's `x[i]`: differentiable in x and y when
   * they require a gradient).
   */
  get(i: number): [Tensor, Tensor] {
    if (!Number.isInteger(i) || i < 0 || i >= this.length)
      throw new RangeError(`TensorDataset.get: index ${i} is out of range for ${this.length} samples`);
    return this.batch([i]).map((t) => t.reshape(t.shape.slice(1))) as [Tensor, Tensor];
  }

  /** The rows at `indices`, as one input batch and one target batch. */
  batch(indices: Int32Array | readonly number[]): [Tensor, Tensor] {
    return [indexSelect(this.x, 0, indices as Int32Array), indexSelect(this.y, 0, indices as Int32Array)];
  }
}

/** DataLoader's options, as PyTorch's: batchSize (default 1), shuffle, dropLast, generator. */
export interface DataLoaderOptions {
  batchSize?: number;
  /** Reshuffle the order at the start of every pass (default false). */
  shuffle?: boolean;
  /** Drop the last, smaller batch (default false). */
  dropLast?: boolean;
  /** Random stream for shuffling; the default generator when omitted. */
  generator?: Generator;
}

/**
 * Batches of a dataset, optionally reshuffled on every pass, as PyTorch's DataLoader. Iterate it
 * once per epoch.
 * @example for (const [xb, yb] of new DataLoader(ds, { batchSize: 32, shuffle: true })) { … }
 */
export class DataLoader implements Iterable<[Tensor, Tensor]> {
  readonly batchSize: number;
  readonly shuffle: boolean;
  readonly dropLast: boolean;
  private readonly generator: Generator | undefined;

  constructor(
    readonly dataset: Dataset,
    opts: DataLoaderOptions = {},
  ) {
    if (!dataset || typeof dataset.length !== 'number' || typeof dataset.get !== 'function')
      throw new TypeError(`DataLoader: dataset must have a length and get(i), got ${quote(dataset)}`);
    if (!Number.isInteger(dataset.length) || dataset.length < 0)
      throw new RangeError(
        `DataLoader: the dataset's length must be a non-negative integer, got ${quote(dataset.length)}`,
      );
    const o = checkOptions(opts, 'DataLoader', ['batchSize', 'shuffle', 'dropLast', 'generator']);
    const bs = o.batchSize ?? 1;
    if (!Number.isInteger(bs) || bs < 1)
      throw new RangeError(`DataLoader: batchSize must be a positive integer, got ${quote(bs)}`);
    this.batchSize = bs;
    this.shuffle = checkBoolean(o.shuffle, 'DataLoader', 'shuffle', false);
    this.dropLast = checkBoolean(o.dropLast, 'DataLoader', 'dropLast', false);
    this.generator = checkGenerator(o.generator, 'DataLoader');
  }

  /** Batches per pass. */
  get length(): number {
    const n = this.dataset.length;
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  /** The sample order of one pass: 0 … n − 1, or a Fisher–Yates shuffle of it. */
  private order(): Int32Array {
    const n = this.dataset.length;
    const idx = new Int32Array(n);
    for (let i = 0; i < n; i++) idx[i] = i;
    if (this.shuffle) {
      const g = this.generator ?? defaultGenerator();
      for (let i = n - 1; i > 0; i--) {
        const j = g.int(0, i + 1);
        const t = idx[i]!;
        idx[i] = idx[j]!;
        idx[j] = t;
      }
    }
    return idx;
  }

  *[Symbol.iterator](): Iterator<[Tensor, Tensor]> {
    const idx = this.order();
    const ds = this.dataset;
    const count = this.length;
    for (let b = 0; b < count; b++) {
      const part = idx.subarray(b * this.batchSize, Math.min((b + 1) * this.batchSize, idx.length));
      if (ds instanceof TensorDataset) yield ds.batch(part);
      else yield stackItems(Array.from(part, (i) => ds.get(i)));
    }
  }
}

function stackItems(items: [Tensor, Tensor][]): [Tensor, Tensor] {
  const join = (k: 0 | 1): Tensor => {
    const first = items[0]![k];
    const out = new Tensor(
      first.data instanceof Float32Array
        ? new Float32Array(first.size * items.length)
        : new Float64Array(first.size * items.length),
      [items.length, ...first.shape],
    );
    items.forEach((it, i) => out.data.set(it[k].data, i * first.size));
    return out;
  };
  return [join(0), join(1)];
}

/** trainTestSplit's options (scikit-learn's names in camelCase): testSize, shuffle, stratify, seed or generator. */
export interface SplitOptions {
  /** Fraction (0 < f < 1) or number of samples in the test part; default 0.25. */
  testSize?: number;
  /** Shuffle before splitting (default true). */
  shuffle?: boolean;
  /** Keep each class's share equal in both parts (y must hold class labels). */
  stratify?: boolean;
  /** Seed for the shuffle (default 0), or pass a generator. */
  seed?: number;
  generator?: Generator;
}

/**
 * Splits samples into a training and a test part (scikit-learn's train_test_split).
 * @example const { xTrain, yTrain, xTest, yTest } = trainTestSplit(x, y, { testSize: 0.2, seed: 0 });
 */
export function trainTestSplit(
  x: Tensor,
  y: Tensor,
  opts: SplitOptions = {},
): { xTrain: Tensor; yTrain: Tensor; xTest: Tensor; yTest: Tensor } {
  if (!(x instanceof Tensor) || !(y instanceof Tensor))
    throw new TypeError(`trainTestSplit: x and y must be Tensors, got ${quote(x)} and ${quote(y)}`);
  const o = checkOptions(opts, 'trainTestSplit', ['testSize', 'shuffle', 'stratify', 'seed', 'generator']);
  const n = rows(x);
  if (rows(y) !== n) throw new RangeError(`trainTestSplit: x has ${n} samples but y has ${rows(y)}`);
  if (n < 2) throw new RangeError(`trainTestSplit: need at least 2 samples to split, got ${n}`);
  const ts = o.testSize ?? 0.25;
  const nTest = typeof ts === 'number' && ts > 0 && ts < 1 ? Math.ceil(ts * n) : ts;
  if (!Number.isInteger(nTest) || nTest < 1 || nTest >= n)
    throw new RangeError(
      `trainTestSplit: testSize must be a fraction in (0, 1) or a count in [1, ${n - 1}], got ${quote(ts)}`,
    );
  const shuffle = checkBoolean(o.shuffle, 'trainTestSplit', 'shuffle', true);
  const stratify = checkBoolean(o.stratify, 'trainTestSplit', 'stratify', false);
  const seed = checkSeed(o.seed ?? 0, 'trainTestSplit');
  const g = checkGenerator(o.generator, 'trainTestSplit') ?? new Generator(seed); // a generator wins over a seed
  const perm = (k: number): number[] => {
    const a = Array.from({ length: k }, (_, i) => i);
    if (shuffle)
      for (let i = k - 1; i > 0; i--) {
        const j = g.int(0, i + 1);
        [a[i], a[j]] = [a[j]!, a[i]!];
      }
    return a;
  };
  let test: number[], train: number[];
  if (stratify) {
    if (y.size !== n) throw new RangeError('trainTestSplit: stratify needs one label per sample');
    const byClass = new Map<number, number[]>();
    for (let i = 0; i < n; i++) {
      const c = y.data[i]!;
      if (!byClass.has(c)) byClass.set(c, []);
      byClass.get(c)!.push(i);
    }
    test = [];
    train = [];
    const classes = [...byClass.keys()].sort((a, b) => a - b);
    // Each class's share of the test part is nTest·(its size)/n, rounded by largest remainder so the
    // shares add up to nTest exactly.
    const quota = classes.map((c) => (nTest * byClass.get(c)!.length) / n);
    const shares = quota.map(Math.floor);
    const byRemainder = classes
      .map((_, i) => i)
      .sort((a, b) => quota[b]! - shares[b]! - (quota[a]! - shares[a]!) || a - b);
    for (let r = nTest - shares.reduce((a, b) => a + b, 0), i = 0; r > 0; r--, i++) shares[byRemainder[i]!]!++;
    classes.forEach((c, ci) => {
      const members = byClass.get(c)!;
      const order = perm(members.length).map((i) => members[i]!);
      for (let i = 0; i < order.length; i++) (i < shares[ci]! ? test : train).push(order[i]!);
    });
    const mix = (a: number[]): number[] => perm(a.length).map((i) => a[i]!);
    test = mix(test);
    train = mix(train);
  } else {
    const order = perm(n);
    test = order.slice(0, nTest);
    train = order.slice(nTest);
  }
  return {
    xTrain: indexSelect(x, 0, train),
    yTrain: indexSelect(y, 0, train),
    xTest: indexSelect(x, 0, test),
    yTest: indexSelect(y, 0, test),
  };
}

/**
 * Standardisation fitted on training data: each feature (column) → (x − mean) / std, with the
 * population std (as scikit-learn's StandardScaler); a constant feature keeps std 1.
 * @example const sc = new StandardScaler().fit(xTrain); const xs = sc.transform(xTest);
 */
export class StandardScaler {
  mean: Float64Array | null = null;
  std: Float64Array | null = null;

  /** Learns each column's mean and population std from x [samples, features]; returns this. */
  fit(x: Tensor): this {
    checkTensor(x, 'StandardScaler.fit', 'x');
    if (x.ndim !== 2)
      throw new RangeError(
        `StandardScaler.fit: expected a 2-D tensor [samples, features], got shape [${x.shape.join(', ')}]`,
      );
    const [n, f] = x.shape as [number, number];
    if (n === 0) throw new RangeError('StandardScaler.fit: no samples');
    const mean = new Float64Array(f),
      sq = new Float64Array(f),
      d = x.data;
    for (let i = 0; i < d.length; i++) {
      if (!Number.isFinite(d[i]!))
        throw new RangeError(
          `StandardScaler.fit: x holds ${d[i]} at row ${Math.floor(i / f)}, column ${i % f}; expected finite numbers`,
        );
    }
    for (let i = 0; i < n; i++) for (let j = 0; j < f; j++) mean[j] += d[i * f + j]!;
    for (let j = 0; j < f; j++) mean[j] /= n;
    for (let i = 0; i < n; i++)
      for (let j = 0; j < f; j++) {
        const v = d[i * f + j]! - mean[j]!;
        sq[j] += v * v;
      }
    for (let j = 0; j < f; j++) {
      const s = Math.sqrt(sq[j]! / n);
      sq[j] = s > 0 ? s : 1;
    }
    this.mean = mean;
    this.std = sq;
    return this;
  }

  /** (x − mean) / std per column, as a new tensor of x's dtype. */
  transform(x: Tensor): Tensor {
    if (!this.mean || !this.std) throw new Error('StandardScaler.transform: call fit first');
    checkTensor(x, 'StandardScaler.transform', 'x');
    const f = this.mean.length;
    if (x.ndim !== 2 || x.shape[1] !== f)
      throw new RangeError(`StandardScaler.transform: expected shape [n, ${f}], got [${x.shape.join(', ')}]`);
    const out = new Tensor(x.data.slice(), x.shape);
    const d = out.data;
    for (let i = 0; i < d.length; i++) {
      const j = i % f;
      d[i] = (d[i]! - this.mean[j]!) / this.std[j]!;
    }
    return out;
  }

  /** fit(x), then transform(x). */
  fitTransform(x: Tensor): Tensor {
    return this.fit(x).transform(x);
  }
}
