import { crossEntropy, tensor } from '@xent/core';
import { Adam, Linear, ReLU, SGD, Sequential } from '@xent/nn';
import { describe, expect, it } from 'vitest';

/* zeroGrad on a module and on the optimizers: null by default (PyTorch 2's set_to_none), or with
   { setToNone: false } the same buffers zeroed, which the next backward adds into with no new tensor. */

const setup = () => {
  const model = new Sequential(new Linear(3, 4), new ReLU(), new Linear(4, 2));
  const x = tensor([
      [1, -2, 0.5],
      [0.3, 0.1, -1],
    ]),
    y = tensor([0, 1]);
  const backward = (): void => crossEntropy(model.forward(x), y).backward();
  return { model, backward };
};

describe.each([
  ['Module', (m: Sequential) => (o?: { setToNone?: boolean }) => m.zeroGrad(o)],
  [
    'SGD',
    (m: Sequential) => {
      const opt = new SGD(m.parameters(), { lr: 0.1 });
      return (o?: { setToNone?: boolean }) => opt.zeroGrad(o);
    },
  ],
  [
    'Adam',
    (m: Sequential) => {
      const opt = new Adam(m.parameters(), { lr: 0.1 });
      return (o?: { setToNone?: boolean }) => opt.zeroGrad(o);
    },
  ],
] as const)('%s.zeroGrad', (_, make) => {
  it('sets every gradient to null by default', () => {
    const { model, backward } = setup();
    const zeroGrad = make(model);
    backward();
    zeroGrad();
    for (const p of model.parameters()) expect(p.grad).toBeNull();
  });

  it('{ setToNone: false } keeps each buffer, zeroed; the next backward refills the same buffers with the same values', () => {
    const { model, backward } = setup();
    const zeroGrad = make(model);
    backward();
    const buffers = model.parameters().map((p) => p.grad!);
    const values = buffers.map((g) => Array.from(g.data));
    zeroGrad({ setToNone: false });
    model.parameters().forEach((p, i) => {
      expect(p.grad).toBe(buffers[i]);
      expect(Array.from(p.grad!.data).every((v) => v === 0)).toBe(true);
    });
    backward();
    model.parameters().forEach((p, i) => {
      expect(p.grad).toBe(buffers[i]);
      expect(Array.from(p.grad!.data)).toEqual(values[i]!.map((v) => 0 + v)); // 0 + g: −0 becomes +0, as PyTorch
    });
  });
});
