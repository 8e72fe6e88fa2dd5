import { describe, expect, it } from 'vitest';
import { Generator, defaultGenerator, manualSeed, rand, randint, randn, randperm } from '@xent/core';
import { portableLog } from '../../packages/core/src/random.js';

describe('Generator: the xoshiro128** core', () => {
  it('matches hand-stepped xoshiro128** from state [1, 2, 3, 4]', () => {
    // result = rotl(s1·5, 7)·9: s1 = 2 gives 11520; then s1 = 0 gives 0; then s1 = 1029 gives 5927040.
    const g = new Generator().setState([1, 2, 3, 4]);
    expect([g.nextUint32(), g.nextUint32(), g.nextUint32()]).toEqual([11520, 0, 5927040]);
  });

  it('matches the C reference implementation (test vectors of an independent port)', () => {
    const g = new Generator().setState([0x964d4a0c, 0xd40ab895, 0xad7fdecb, 0x3006f0f0]);
    const out = [g.nextUint32(), g.nextUint32(), g.nextUint32(), g.nextUint32()];
    expect(out).toEqual([0xf1391922, 0x6fe53806, 0xa5be2840, 0xf510ee70]);
    expect(g.getState().slice(0, 4)).toEqual([0xfc65379c, 0x52006d70, 0x87487639, 0xf1908343]);
  });
});

describe('Generator: fixed first values for a seed (a change in the stream fails here)', () => {
  it('seed 42', () => {
    const g = new Generator(42);
    expect(g.nextUint32()).toBe(2837322924);
    expect(g.nextUint32()).toBe(544945897);
    expect(g.random()).toBe(0.1117019639532224);
    expect(g.normal()).toBe(0.15178267621950975);
    expect(g.normal()).toBe(-0.12624145471928355);
  });

  it('manualSeed(0) drives rand, randn, randint and randperm', () => {
    manualSeed(0);
    expect(Array.from(rand([4]).data)).toEqual([
      0.8868539502021594, 0.012474988946590604, 0.032522145755498943, 0.024408060085556516,
    ]);
    expect(Array.from(randn([4]).data)).toEqual([
      0.12177618600477014, 0.49342493394909925, -0.5381877552332646, 1.6753298369058043,
    ]);
    expect(Array.from(randint(0, 10, [6]).data)).toEqual([4, 6, 5, 9, 2, 2]);
    expect(Array.from(randperm(6).data)).toEqual([3, 1, 0, 2, 4, 5]);
  });

  it('float32 draws are the float64 draws rounded', () => {
    const r = rand([2], { dtype: 'float32', generator: new Generator(7) });
    const r64 = rand([2], { generator: new Generator(7) });
    expect(r.dtype).toBe('float32');
    expect(Array.from(r.data)).toEqual(Array.from(r64.data).map(Math.fround));
  });
});

describe('Generator: seeding and state', () => {
  it('the same seed gives the same stream; manualSeed restarts the default one', () => {
    manualSeed(3);
    const a = randn([5]).toArray();
    manualSeed(3);
    expect(randn([5]).toArray()).toEqual(a);
    expect(randn([5]).toArray()).not.toEqual(a);
  });

  it('an explicit generator leaves the default stream alone', () => {
    manualSeed(11);
    const expected = rand([3]).toArray();
    manualSeed(11);
    rand([100], { generator: new Generator(5) });
    expect(rand([3]).toArray()).toEqual(expected);
    expect(defaultGenerator()).toBeInstanceOf(Generator);
  });

  it('getState / setState resume a stream, including a kept normal', () => {
    const g = new Generator(9);
    g.normal(); // leaves the pair's second value kept
    const snap = g.getState();
    const next = [g.normal(), g.normal(), g.random()];
    const h = new Generator(0).setState(snap);
    expect([h.normal(), h.normal(), h.random()]).toEqual(next);
  });

  it('different seeds, including ones above 2³², give different streams', () => {
    const firsts = [0, 1, 2, 2 ** 32, 2 ** 32 + 1, 2 ** 52 + 1, -1].map((s) => new Generator(s).nextUint32());
    expect(new Set(firsts).size).toBe(firsts.length);
  });
});

describe('distributions', () => {
  it('rand is uniform on [0, 1): range, mean 1/2, variance 1/12', () => {
    const x = rand([20000], { generator: new Generator(1) });
    let s = 0,
      s2 = 0,
      lo = Infinity,
      hi = -Infinity;
    for (const v of x.data) {
      s += v;
      s2 += v * v;
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    const n = x.size,
      m = s / n;
    expect(lo).toBeGreaterThanOrEqual(0);
    expect(hi).toBeLessThan(1);
    expect(Math.abs(m - 0.5)).toBeLessThan(0.01); // σ/√n ≈ 0.002
    expect(Math.abs(s2 / n - m * m - 1 / 12)).toBeLessThan(0.003);
  });

  it('randn is standard normal: mean 0, variance 1, kurtosis 3, P(|x| < 1) ≈ 0.6827', () => {
    const x = randn([40000], { generator: new Generator(2) });
    let s = 0,
      s2 = 0,
      s4 = 0,
      inside = 0;
    for (const v of x.data) {
      s += v;
      s2 += v * v;
      s4 += v ** 4;
      if (Math.abs(v) < 1) inside++;
    }
    const n = x.size;
    expect(Math.abs(s / n)).toBeLessThan(0.02);
    expect(Math.abs(s2 / n - 1)).toBeLessThan(0.03);
    expect(Math.abs(s4 / n - 3)).toBeLessThan(0.2);
    expect(Math.abs(inside / n - 0.6827)).toBeLessThan(0.01);
  });

  it('randint covers [low, high) with integers, about evenly', () => {
    const x = randint(-2, 3, [5000], { generator: new Generator(4) });
    const counts = new Map<number, number>();
    for (const v of x.data) counts.set(v, (counts.get(v) ?? 0) + 1);
    expect([...counts.keys()].sort((a, b) => a - b)).toEqual([-2, -1, 0, 1, 2]);
    for (const c of counts.values()) expect(Math.abs(c - 1000)).toBeLessThan(150);
  });

  it('randperm is a permutation', () => {
    const p = randperm(50, { generator: new Generator(8) });
    expect(Array.from(p.data).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('rand/randn/randint take shape, dtype and requiresGrad', () => {
    const x = randn([2, 3], { dtype: 'float32', requiresGrad: true });
    expect([x.shape, x.dtype, x.requiresGrad]).toEqual([[2, 3], 'float32', true]);
    expect(() => randint(3, 3, [2])).toThrow(/randint: expected integers low < high, got 3 and 3/);
  });
});

describe('portableLog (engine-independent ln used by randn)', () => {
  it('agrees with Math.log to a few ulps across magnitudes', () => {
    const g = new Generator(12);
    for (let i = 0; i < 5000; i++) {
      const x = g.random() * 10 ** g.int(-300, 300);
      if (x === 0) continue;
      const want = Math.log(x);
      expect(Math.abs(portableLog(x) - want)).toBeLessThanOrEqual(4e-16 * Math.max(1, Math.abs(want)));
    }
    expect(portableLog(1)).toBe(0);
    expect(portableLog(2)).toBeCloseTo(Math.LN2, 16);
    expect(portableLog(Number.MIN_VALUE)).toBeCloseTo(-744.4400719213812, 12);
  });
});

describe('seed checks', () => {
  it('a non-finite seed is an error', () => {
    expect(() => manualSeed(NaN)).toThrow(/manualSeed: the seed must be a finite number, got NaN/);
    expect(() => new Generator(Infinity)).toThrow(/finite number/);
  });
});
