// Values and gradients of the losses, softmax and logSoftmax against PyTorch 1.13 (float64), from
// test/core/fixtures/losses.json, which
// test/core/fixtures/gen-losses.py writes. The upstream gradient of a 'none' loss is random, so the
// scale of every position is checked too.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Tensor,
  binaryCrossEntropy,
  binaryCrossEntropyWithLogits,
  crossEntropy,
  klDiv,
  logSoftmax,
  mseLoss,
  nllLoss,
  softmax,
  tensor,
} from '@xent/core';
import { type Kernels, kernels, referenceKernels, setKernels } from '@xent/core/extend';

interface Case {
  fn: string;
  name: string;
  shape: number[];
  input: (number | string)[];
  target: unknown;
  targetKind?: string;
  opts: Record<string, unknown>;
  out: (number | string)[];
  outShape: number[];
  upstream: number[];
  grad: (number | string)[];
}
const fixture = JSON.parse(readFileSync(new URL('../fixtures/losses.json', import.meta.url), 'utf8')) as {
  torch: string;
  cases: Case[];
};
const num = (v: number | string): number =>
  typeof v === 'number' ? v : v === 'inf' ? Infinity : v === '-inf' ? -Infinity : NaN; // Python's str() of inf / nan

function call(c: Case, x: Tensor): Tensor {
  const o = { ...c.opts } as Record<string, unknown>;
  const t =
    Array.isArray(c.target) && c.targetKind !== 'index' && c.fn !== 'nllLoss'
      ? tensor(c.target as number[]).reshape(c.shape)
      : c.target;
  if (o.weight) o.weight = o.weightShape ? tensor(o.weight as number[]) : (o.weight as number[]);
  if (o.posWeight) o.posWeight = tensor(o.posWeight as number[]);
  delete o.weightShape;
  switch (c.fn) {
    case 'crossEntropy':
      return crossEntropy(x, t as number[], o);
    case 'nllLoss':
      return nllLoss(x, t as number[], o);
    case 'binaryCrossEntropy':
      return binaryCrossEntropy(x, t as Tensor, o);
    case 'binaryCrossEntropyWithLogits':
      return binaryCrossEntropyWithLogits(x, t as Tensor, o);
    case 'klDiv':
      return klDiv(x, t as Tensor, o);
    case 'mseLoss':
      return mseLoss(x, t as Tensor, o);
    case 'softmax':
      return softmax(x, o.dim as number);
    case 'logSoftmax':
      return logSoftmax(x, o.dim as number);
    default:
      throw new Error(c.fn);
  }
}

function close(a: number, b: number, tol: number): boolean {
  if (Number.isNaN(b)) return Number.isNaN(a);
  if (!Number.isFinite(b)) return a === b;
  return Math.abs(a - b) <= tol * (1 + Math.abs(b));
}

// Run once with the default kernel set and once with the reference kernels (the oracle).
for (const [kname, pick] of [
  ['default kernels', () => kernels()],
  ['reference kernels', () => referenceKernels],
] as const) {
  describe(`losses against PyTorch ${fixture.torch} (${fixture.cases.length} cases), ${kname}`, () => {
    let prev: Kernels;
    beforeAll(() => {
      prev = setKernels(pick());
    });
    afterAll(() => {
      setKernels(prev);
    });
    it('covers every function', () => {
      expect(new Set(fixture.cases.map((c) => c.fn))).toEqual(
        new Set([
          'crossEntropy',
          'nllLoss',
          'binaryCrossEntropy',
          'binaryCrossEntropyWithLogits',
          'klDiv',
          'mseLoss',
          'softmax',
          'logSoftmax',
        ]),
      );
    });
    for (const c of fixture.cases) it(`${c.fn} ${c.name}`, () => check(c));
  });
}

function check(c: Case): void {
  const x = tensor(c.input.map(num)).reshape(c.shape).requiresGrad_();
  const out = call(c, x);
  expect(out.shape).toEqual(c.outShape);
  const allIgnored = c.out.every((v) => Number.isNaN(num(v)));
  // The one deliberate difference: every target ignored with 'mean' → 0 and a zero gradient (PyTorch: NaN).
  const want = allIgnored ? c.out.map(() => 0) : c.out.map(num);
  Array.from(out.data).forEach((v, i) => expect(close(v, want[i]!, 1e-12), `out[${i}] ${v} vs ${want[i]}`).toBe(true));
  out.backward(tensor(c.upstream).reshape(c.outShape));
  const wantGrad = allIgnored ? c.grad.map(() => 0) : c.grad.map(num);
  Array.from(x.grad!.data).forEach((v, i) =>
    expect(close(v, wantGrad[i]!, 1e-10), `grad[${i}] ${v} vs ${wantGrad[i]}`).toBe(true),
  );
}
