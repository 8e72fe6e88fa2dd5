// The wasm optimizer updates against the reference kernels, bit for bit (both compute in float64 and round once
// per stored value): SGD plain, with momentum (first step and later), dampening, Nesterov, weight decay; Adam, AdamW,
// AMSGrad; odd lengths, one below a block and one over several blocks (the wrapper copies 32 KB per array at a
// time); NaN, ±0, ±∞ and subnormal gradients.
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { Storage } from '../../../packages/core/src/dtype.js';
import { referenceKernels } from '../../../packages/core/src/kernels/reference.js';
import type { AdamStep, SgdStep } from '../../../packages/core/src/kernels/types.js';
import { wasmKernels, wasmLimits } from '../../../packages/core/src/kernels/wasm/wasm-kernels.js';
import { CTORS, expectSame, rand, specials, wasmOnly, withValues } from './helpers.js';

const saved = { ...wasmLimits };
beforeAll(() => Object.assign(wasmLimits, { min: 0, matmul: 0 }));
afterAll(() => Object.assign(wasmLimits, saved));

const copy = (x: Storage): Storage => x.slice();

describe.each(CTORS)('wasm optimizer updates, %s', (_, T) => {
  const sgd: SgdStep[] = [
    { lr: 0.1, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, first: true },
    { lr: 0.05, momentum: 0, dampening: 0, weightDecay: 0.01, nesterov: false, first: false },
    { lr: 0.1, momentum: 0.9, dampening: 0, weightDecay: 0, nesterov: false, first: true },
    { lr: 0.1, momentum: 0.9, dampening: 0.1, weightDecay: 1e-4, nesterov: false, first: false },
    { lr: 0.01, momentum: 0.8, dampening: 0, weightDecay: 0.1, nesterov: true, first: false },
  ];
  for (const [n, o] of [37, 20_005].flatMap((n) => sgd.map((o) => [n, o] as const))) {
    it(`sgdUpdate, n = ${n}, ${JSON.stringify(o)}`, () => {
      for (const g of [rand(T, n, 2), withValues(T, n, specials(T), 5)]) {
        const p = rand(T, n, 1),
          b = rand(T, n, 3);
        const [p1, b1, p2, b2] = [copy(p), copy(b), copy(p), copy(b)];
        wasmOnly('sgdUpdate', () => wasmKernels.sgdUpdate(p1, g, o.momentum ? b1 : null, o));
        referenceKernels.sgdUpdate(p2, g, o.momentum ? b2 : null, o);
        expectSame(p1, p2, 'parameter');
        expectSame(b1, b2, 'momentum buffer');
      }
    });
  }
  const adam: [string, AdamStep, boolean][] = [
    [
      'Adam',
      { stepSize: 0.001 / 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8, bc2Sqrt: Math.sqrt(0.001), l2: 0, decay: 1 },
      false,
    ],
    ['Adam, L2', { stepSize: 0.01, beta1: 0.8, beta2: 0.99, eps: 1e-6, bc2Sqrt: 0.5, l2: 0.01, decay: 1 }, false],
    [
      'AdamW',
      { stepSize: 0.002, beta1: 0.9, beta2: 0.999, eps: 1e-8, bc2Sqrt: 0.3, l2: 0, decay: 1 - 0.001 * 0.01 },
      false,
    ],
    ['AMSGrad', { stepSize: 0.001, beta1: 0.9, beta2: 0.999, eps: 1e-8, bc2Sqrt: 0.9, l2: 0, decay: 1 }, true],
  ];
  for (const [n, [name, o, ams]] of [37, 20_005].flatMap((n) => adam.map((a) => [n, a] as const))) {
    it(`adamUpdate, n = ${n}, ${name}`, () => {
      for (const g of [rand(T, n, 2), withValues(T, n, specials(T), 6)]) {
        const p = rand(T, n, 1),
          m = rand(T, n, 3),
          v = rand(T, n, 4).map(Math.abs) as Storage,
          vm = rand(T, n, 7).map(Math.abs) as Storage;
        const a = [copy(p), copy(m), copy(v), copy(vm)] as const,
          r = [copy(p), copy(m), copy(v), copy(vm)] as const;
        wasmOnly('adamUpdate', () => wasmKernels.adamUpdate(a[0], g, a[1], a[2], ams ? a[3] : null, o));
        referenceKernels.adamUpdate(r[0], g, r[1], r[2], ams ? r[3] : null, o);
        ['parameter', 'first moment', 'second moment', 'max second moment'].forEach((what, i) =>
          expectSame(a[i]!, r[i]!, what),
        );
      }
    });
  }
});
