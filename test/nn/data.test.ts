import { Generator, type Tensor, arange, reshape, tensor } from '@xent/core';
import {
  DataLoader,
  StandardScaler,
  TensorDataset,
  blobs,
  breastCancer,
  circles,
  digits,
  gaussianQuantiles,
  iris,
  moons,
  spiral,
  trainTestSplit,
  wine,
  xor,
} from '@xent/nn';
import { describe, expect, it } from 'vitest';

describe('TensorDataset and DataLoader', () => {
  const x = reshape(arange(20), [10, 2]),
    y = arange(10);
  const ds = new TensorDataset(x, y);

  it('indexes samples and batches in order', () => {
    expect(ds.length).toBe(10);
    const [xi, yi] = ds.get(3);
    expect(xi.toArray()).toEqual([6, 7]);
    expect(yi.item()).toBe(3);
    // As PyTorch's x[i]: a sample of a tensor that requires a gradient stays in the graph.
    const w = reshape(arange(20), [10, 2]).requiresGrad_();
    const [wi] = new TensorDataset(w, y).get(3);
    wi.mul(tensor([1, 10]))
      .sum()
      .backward();
    expect(Array.from(w.grad!.data)).toEqual([0, 0, 0, 0, 0, 0, 1, 10, ...Array<number>(12).fill(0)]);
    const batches = [...new DataLoader(ds, { batchSize: 4 })];
    expect(batches.map(([, b]) => Array.from(b.data))).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6, 7],
      [8, 9],
    ]);
    expect(batches[2]![0].toArray()).toEqual([
      [16, 17],
      [18, 19],
    ]);
    expect([...new DataLoader(ds, { batchSize: 4, dropLast: true })]).toHaveLength(2);
    expect(new DataLoader(ds, { batchSize: 3 }).length).toBe(4);
    expect(() => new TensorDataset(x, arange(9))).toThrow(/x has 10 samples but y has 9/);
    expect(() => ds.get(10)).toThrow(/out of range/);
    expect(() => new DataLoader(ds, { batchSize: 0 })).toThrow(/batchSize must be a positive integer/);
  });

  it('shuffles each pass differently, reproducibly from the generator, keeping x and y paired', () => {
    const order = (g: Generator): number[][] => {
      const dl = new DataLoader(ds, { batchSize: 10, shuffle: true, generator: g });
      return [0, 1].map(() => {
        const [[bx, by]] = [...dl];
        expect(
          Array.from(bx.data)
            .filter((_, i) => i % 2 === 0)
            .map((v) => v / 2),
        ).toEqual(Array.from(by.data));
        return Array.from(by.data);
      });
    };
    const a = order(new Generator(3)),
      b = order(new Generator(3));
    expect(a).toEqual(b);
    expect(a[0]).not.toEqual(a[1]);
    expect([...a[0]!].sort((p, q) => p - q)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('batches any dataset with get(i)', () => {
    const custom = { length: 3, get: (i: number): [Tensor, Tensor] => [tensor([i, i]), tensor(i * 10)] };
    const [[bx, by]] = [...new DataLoader(custom, { batchSize: 3 })];
    expect(bx.toArray()).toEqual([
      [0, 0],
      [1, 1],
      [2, 2],
    ]);
    expect(by.toArray()).toEqual([0, 10, 20]);
  });
});

describe('trainTestSplit and StandardScaler', () => {
  it('splits without losing or repeating samples, stratified on request', () => {
    const { x, y } = iris();
    const s = trainTestSplit(x, y, { testSize: 0.2, seed: 1, stratify: true });
    expect(s.xTest.shape).toEqual([30, 4]);
    expect(s.xTrain.shape).toEqual([120, 4]);
    for (let c = 0; c < 3; c++) expect(Array.from(s.yTest.data).filter((v) => v === c)).toHaveLength(10);
    const rows = (t: Tensor): string[] => (t.toArray() as number[][]).map((r) => r.join(','));
    expect([...rows(s.xTrain), ...rows(s.xTest)].sort()).toEqual(rows(x).sort());
    // Shares by largest remainder: 10 of 7, 2, 1 samples → quotas 3.5, 1, 0.5 → 4, 1, 0 (ties to the first class)
    const ys = tensor([0, 0, 0, 0, 0, 0, 0, 1, 1, 2]);
    const small = trainTestSplit(reshape(arange(10), [10, 1]), ys, { testSize: 5, stratify: true, seed: 0 });
    expect([0, 1, 2].map((c) => Array.from(small.yTest.data).filter((v) => v === c).length)).toEqual([4, 1, 0]);
    expect(trainTestSplit(x, y, { seed: 2 }).xTest.toArray()).toEqual(
      trainTestSplit(x, y, { seed: 2 }).xTest.toArray(),
    );
    expect(trainTestSplit(x, y, { testSize: 15, shuffle: false }).yTest.toArray()).toEqual(new Array(15).fill(0));
    expect(() => trainTestSplit(x, y, { testSize: 150 })).toThrow(/testSize must be a fraction/);
  });

  it('names bad input: too few samples to split, non-finite features to standardise', () => {
    expect(() => trainTestSplit(tensor([[1]]), tensor([0]))).toThrow(
      /trainTestSplit: need at least 2 samples to split, got 1/,
    );
    expect(() =>
      new StandardScaler().fit(
        tensor([
          [1, 2],
          [3, NaN],
        ]),
      ),
    ).toThrow(/StandardScaler\.fit: x holds NaN at row 1, column 1; expected finite numbers/);
    expect(() => new StandardScaler().fit(tensor([[Infinity, 2]]))).toThrow(/holds Infinity at row 0, column 0/);
  });

  it('standardises with the training part’s mean and population std', () => {
    const train = tensor([
      [1, 10],
      [3, 10],
      [5, 10],
    ]);
    const sc = new StandardScaler().fit(train);
    expect(Array.from(sc.mean!)).toEqual([3, 10]);
    expect(Array.from(sc.std!)).toEqual([Math.sqrt(8 / 3), 1]); // a constant column keeps std 1
    expect(sc.transform(tensor([[3, 11]])).toArray()).toEqual([[0, 1]]);
    const z = sc.fitTransform(train);
    expect(z.data[0]).toBeCloseTo(-2 / Math.sqrt(8 / 3), 14);
    expect(() => new StandardScaler().transform(train)).toThrow(/call fit first/);
    expect(() => sc.transform(tensor([[1, 2, 3]]))).toThrow(/expected shape \[n, 2\]/);
  });
});

describe('toy data', () => {
  const sets = { spiral, moons, circles, blobs, xor, gaussianQuantiles };
  for (const [name, make] of Object.entries(sets)) {
    it(`${name}: n points, integer labels, reproducible by seed`, () => {
      const a = make({ n: 101, seed: 3 }),
        b = make({ n: 101, seed: 3 }),
        c = make({ n: 101, seed: 4 });
      expect(a.x.shape).toEqual([101, 2]);
      expect(a.y.shape).toEqual([101]);
      expect(Array.from(a.y.data).every((v) => Number.isInteger(v) && v >= 0 && v < a.numClasses)).toBe(true);
      expect(new Set(a.y.data).size).toBe(a.numClasses);
      expect(a.x.toArray()).toEqual(b.x.toArray());
      expect(a.x.toArray()).not.toEqual(c.x.toArray());
      expect(() => make({ n: 0 })).toThrow(new RegExp(`${name}: n must be an integer`));
      expect(() => make({ noise: -1 })).toThrow(new RegExp(`${name}: noise must be`));
    });
  }

  it('have the documented geometry', () => {
    const s = spiral({ n: 300, classes: 3, noise: 0 });
    const r = (t: Tensor, i: number): number => Math.hypot(t.data[2 * i]!, t.data[2 * i + 1]!);
    expect(Math.max(...Array.from({ length: 300 }, (_, i) => r(s.x, i)))).toBeCloseTo(1, 12);
    const c = circles({ n: 100, factor: 0.5 });
    for (let i = 0; i < 100; i++) expect(r(c.x, i)).toBeCloseTo(c.y.data[i] ? 0.5 : 1, 12);
    const q = gaussianQuantiles({ n: 90, classes: 3, seed: 1 });
    const radius = (k: number): number[] =>
      Array.from({ length: 90 }, (_, i) => i)
        .filter((i) => q.y.data[i] === k)
        .map((i) => r(q.x, i));
    expect(Math.max(...radius(0))).toBeLessThan(Math.min(...radius(1)));
    expect(radius(2)).toHaveLength(30);
    const xr = xor({ n: 50, seed: 2 });
    for (let i = 0; i < 50; i++) expect(xr.y.data[i]).toBe(xr.x.data[2 * i]! * xr.x.data[2 * i + 1]! < 0 ? 1 : 0);
    const m = moons({ n: 10 });
    expect(Array.from(m.y.data).filter((v) => v === 1)).toHaveLength(5);
    const bl = blobs({
      n: 4,
      centers: [
        [0, 0],
        [100, 100],
      ],
      noise: 0,
    });
    for (let i = 0; i < 4; i++) expect(bl.x.data[2 * i]).toBe(bl.y.data[i] ? 100 : 0);
  });
});

describe('real data sets, shipped in the package', () => {
  it('match the CSVs (shapes, first row, class counts) and carry their credit', () => {
    const i = iris();
    expect(i.x.shape).toEqual([150, 4]);
    expect(i.x.toArray()).toContainEqual([5.1, 3.5, 1.4, 0.2]);
    expect(Array.from(i.x.data.slice(0, 4))).toEqual([5.1, 3.5, 1.4, 0.2]);
    expect(i.classNames).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(i.credit).toMatch(/Fisher.*CC BY 4\.0/);
    const w = wine();
    expect(w.x.shape).toEqual([178, 13]);
    expect(Array.from(w.x.data.slice(0, 3))).toEqual([14.23, 1.71, 2.43]);
    expect([0, 1, 2].map((c) => Array.from(w.y.data).filter((v) => v === c).length)).toEqual([59, 71, 48]);
    const b = breastCancer();
    expect(b.x.shape).toEqual([569, 30]);
    expect([0, 1].map((c) => Array.from(b.y.data).filter((v) => v === c).length)).toEqual([212, 357]);
    const d = digits();
    expect(d.x.shape).toEqual([1797, 64]);
    expect(Array.from(d.x.data.slice(0, 8))).toEqual([0, 0, 5, 13, 9, 1, 0, 0]);
    expect(d.y.data[0]).toBe(0);
    expect(Math.max(...d.x.data)).toBe(16);
    expect(d.featureNames).toHaveLength(64);
    expect(d.x).not.toBe(digits().x); // a fresh copy each call
  });
});
