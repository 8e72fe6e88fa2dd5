import { type Tensor, grad, tensor, valueAndGrad } from '@xent/core';
import { Linear, SGD, fit } from '@xent/nn';
import { describe, expect, it } from 'vitest';

describe('consistency sweep (issue 9)', () => {
  it('an optimizer state is tagged by the name its class passes, not constructor.name (minifiers rename classes)', () => {
    const Renamed = class extends SGD {};
    const opt = new Renamed(new Linear(2, 1).parameters(), { lr: 0.1 });
    expect(Renamed.name).toBe('Renamed');
    expect(opt.stateDict().type).toBe('SGD');
    expect(() => new SGD(new Linear(2, 1).parameters(), { lr: 0.1 }).loadStateDict(opt.stateDict())).not.toThrow();
    expect(() => opt.loadStateDict({ ...opt.stateDict(), type: 'Adam' })).toThrow(
      /^SGD\.loadStateDict: the state was saved by "Adam", not SGD$/,
    );
  });

  it('fit clears gradients through the optimizer only: a zeroGrad that keeps buffers keeps them', () => {
    const model = new Linear(2, 1);
    const seen: (Tensor | null)[] = [];
    class KeepBuffers extends SGD {
      override zeroGrad(): void {
        super.zeroGrad({ setToNone: false });
      }
      override step(): void {
        seen.push(this.params[0]!.grad);
        super.step();
      }
    }
    const x = tensor([
      [1, 2],
      [3, 4],
      [5, 6],
      [7, 8],
    ]);
    const y = tensor([[1], [0], [1], [0]]);
    fit(model, {
      data: [x, y],
      loss: (out: Tensor, t: Tensor) => out.sub(t).square().mean(),
      optimizer: new KeepBuffers(model.parameters(), { lr: 0.01 }),
      epochs: 3,
      batchSize: 4,
      shuffle: false,
      verbose: 0,
    });
    expect(seen.length).toBe(3);
    expect(seen[1]).toBe(seen[0]); // the same buffer, zeroed in place: fit did not set it to null first
    expect(seen[2]).toBe(seen[0]);
  });

  it('grad(f) with one input returns a Tensor; with argnums as a list, a list', () => {
    const x = tensor([1, 2]);
    const g: Tensor = grad((t: Tensor) => t.pow(3).sum())(x);
    expect(Array.from(g.data)).toEqual([3, 12]);
    const gs: Tensor[] = grad((a: Tensor, b: Tensor) => a.mul(b).sum(), { argnums: [0, 1] })(x, tensor([3, 4]));
    expect(gs.map((t) => Array.from(t.data))).toEqual([
      [3, 4],
      [1, 2],
    ]);
    const [v, d]: [Tensor, Tensor] = valueAndGrad((t: Tensor) => t.square().sum())(x);
    expect([v.item(), Array.from(d.data)]).toEqual([5, [2, 4]]);
  });
});
