// Gradients with respect to the targets against PyTorch 1.13 (float64), from test/core/fixtures/target-grads.json,
// which test/core/fixtures/gen-target-grads.py writes: probability targets of crossEntropy, and the targets of
// binaryCrossEntropy, binaryCrossEntropyWithLogits and klDiv. Values too, and the fused path against createGraph.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  type Tensor,
  binaryCrossEntropy,
  binaryCrossEntropyWithLogits,
  crossEntropy,
  gradients,
  klDiv,
  tensor,
} from '@xent/core';

interface Case {
  fn: string;
  shape: number[];
  input: number[];
  target: number[];
  opts: Record<string, unknown>;
  out: (number | string)[];
  upstream: number[];
  targetGrad: (number | string)[];
}
const fixture = JSON.parse(readFileSync(new URL('../fixtures/target-grads.json', import.meta.url), 'utf8')) as {
  torch: string;
  cases: Case[];
};
const num = (v: number | string): number =>
  typeof v === 'number' ? v : v === 'inf' ? Infinity : v === '-inf' ? -Infinity : NaN;

function call(c: Case, x: Tensor, t: Tensor): Tensor {
  const o = { ...c.opts } as Record<string, unknown>;
  if (c.fn === 'crossEntropy') return crossEntropy(x, t, o);
  if (o.weight) o.weight = tensor(o.weight as number[]);
  if (o.posWeight) o.posWeight = tensor(o.posWeight as number[]);
  if (c.fn === 'binaryCrossEntropy') return binaryCrossEntropy(x, t, o);
  if (c.fn === 'binaryCrossEntropyWithLogits') return binaryCrossEntropyWithLogits(x, t, o);
  return klDiv(x, t, o);
}

describe(`target gradients against PyTorch ${fixture.torch} (${fixture.cases.length} cases)`, () => {
  it('the fixture covers every loss', () => {
    expect(new Set(fixture.cases.map((c) => c.fn))).toEqual(
      new Set(['crossEntropy', 'binaryCrossEntropy', 'binaryCrossEntropyWithLogits', 'klDiv']),
    );
  });
  fixture.cases.forEach((c, i) => {
    it(`${i}: ${c.fn} ${JSON.stringify(c.opts).replace(/\[[^\]]*\]/g, '[…]')}`, () => {
      const x = tensor(c.input).reshape(c.shape);
      for (const createGraph of [false, true]) {
        const t = tensor(c.target).reshape(c.shape).requiresGrad_();
        const y = call(c, x, t);
        y.data.forEach((v, k) =>
          expect(Math.abs(v - num(c.out[k]!))).toBeLessThanOrEqual(1e-12 * (1 + Math.abs(num(c.out[k]!)))),
        );
        const up = y.ndim === 0 ? tensor(1) : tensor(c.upstream).reshape(y.shape as number[]);
        const [g] = gradients(y, [t], { gradOutput: up, createGraph });
        g!.data.forEach((v, k) => {
          const want = num(c.targetGrad[k]!);
          expect(Math.abs(v - want), `createGraph=${createGraph} [${k}]: ${v} vs ${want}`).toBeLessThanOrEqual(
            1e-12 * (1 + Math.abs(want)),
          );
        });
      }
    });
  });
});
