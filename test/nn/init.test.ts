import { Generator, type Tensor, zeros } from '@xent/core';
import { init } from '@xent/nn';
import { describe, expect, it } from 'vitest';

const stats = (t: Tensor): { mean: number; variance: number; maxAbs: number } => {
  const d = Array.from(t.data),
    mean = d.reduce((a, b) => a + b, 0) / d.length;
  return {
    mean,
    variance: d.reduce((a, b) => a + (b - mean) ** 2, 0) / d.length,
    maxAbs: Math.max(...d.map(Math.abs)),
  };
};

describe('init', () => {
  const g = (): Generator => new Generator(11);
  it("gains and fans follow PyTorch's definitions", () => {
    expect(init.calculateGain('relu')).toBe(Math.SQRT2);
    expect(init.calculateGain('tanh')).toBe(5 / 3);
    expect(init.calculateGain('leakyRelu', Math.sqrt(5))).toBeCloseTo(Math.sqrt(1 / 3), 15);
    expect(init.fans(zeros([6, 4, 3]))).toEqual({ fanIn: 12, fanOut: 18 });
    expect(() => init.fans(zeros([3]))).toThrow(/at least 2 dims/);
  });

  it('xavierUniform: U(−a, a), a = gain·√(6/(in + out))', () => {
    const w = init.xavierUniform(zeros([300, 200]), { generator: g(), gain: 2 });
    const a = 2 * Math.sqrt(6 / 500),
      s = stats(w);
    expect(s.maxAbs).toBeLessThanOrEqual(a);
    expect(s.maxAbs).toBeGreaterThan(0.99 * a);
    expect(s.variance).toBeCloseTo((a * a) / 3, 3);
  });

  it('xavierNormal, kaimingNormal: the documented standard deviations', () => {
    expect(
      Math.sqrt(stats(init.xavierNormal(zeros([300, 200]), { generator: g() })).variance) / Math.sqrt(2 / 500),
    ).toBeCloseTo(1, 1);
    expect(
      Math.sqrt(stats(init.kaimingNormal(zeros([300, 200]), { generator: g(), nonlinearity: 'relu' })).variance) /
        Math.sqrt(2 / 200),
    ).toBeCloseTo(1, 1);
    expect(
      Math.sqrt(
        stats(init.kaimingNormal(zeros([300, 200]), { generator: g(), nonlinearity: 'relu', mode: 'fanOut' })).variance,
      ) / Math.sqrt(2 / 300),
    ).toBeCloseTo(1, 1);
  });

  it('kaimingUniform: U(−b, b), b = gain·√(3/fanIn)', () => {
    const b = Math.SQRT2 * Math.sqrt(3 / 200);
    const s = stats(init.kaimingUniform(zeros([300, 200]), { generator: g(), nonlinearity: 'relu' }));
    expect(s.maxAbs).toBeLessThanOrEqual(b);
    expect(s.maxAbs).toBeGreaterThan(0.99 * b);
  });

  it('is reproducible from the generator; zeros and constant fill', () => {
    expect(init.kaimingUniform(zeros([4, 4]), { generator: g() }).toArray()).toEqual(
      init.kaimingUniform(zeros([4, 4]), { generator: g() }).toArray(),
    );
    expect(init.constant(zeros([2]), 0.5).toArray()).toEqual([0.5, 0.5]);
    expect(init.zeros(init.constant(zeros([2]), 3)).toArray()).toEqual([0, 0]);
    expect(() => init.kaimingUniform(zeros([2, 2]), { mode: 'fan' as 'fanIn' })).toThrow(
      /mode must be 'fanIn' or 'fanOut'/,
    );
  });
});
