import { Generator, type Tensor, manualSeed, randn, tensor, zeros } from '@xent/core';
import {
  Dropout,
  Flatten,
  GELU,
  Identity,
  LeakyReLU,
  Linear,
  LogSoftmax,
  MLP,
  Module,
  Parameter,
  ReLU,
  Sequential,
  Sigmoid,
  Softmax,
  Tanh,
} from '@xent/nn';
import { describe, expect, it } from 'vitest';

class Net extends Module {
  fc1 = new Linear(2, 4, { generator: new Generator(1) });
  act = new ReLU();
  fc2 = new Linear(4, 3, { generator: new Generator(2) });
  forward(x: Tensor): Tensor {
    return this.fc2.forward(this.act.forward(this.fc1.forward(x)));
  }
}

describe('Module', () => {
  it('names parameters with PyTorch dotted paths', () => {
    const seq = new Sequential(new Linear(2, 4), new ReLU(), new Linear(4, 3, { bias: false }));
    expect(seq.namedParameters().map(([n, p]) => [n, p.shape])).toEqual([
      ['0.weight', [4, 2]],
      ['0.bias', [4]],
      ['2.weight', [3, 4]],
    ]);
    const net = new Net();
    expect(net.namedParameters().map(([n]) => n)).toEqual(['fc1.weight', 'fc1.bias', 'fc2.weight', 'fc2.bias']);
    expect(net.children().map((c) => c.constructor.name)).toEqual(['Linear', 'ReLU', 'Linear']);
    expect(net.parameters()).toHaveLength(4);
    expect(net.numParameters()).toBe(2 * 4 + 4 + 4 * 3 + 3);
    const nested = new Sequential(net, new Sequential(new Linear(3, 2)));
    expect(nested.namedParameters().map(([n]) => n)).toEqual([
      '0.fc1.weight',
      '0.fc1.bias',
      '0.fc2.weight',
      '0.fc2.bias',
      '1.0.weight',
      '1.0.bias',
    ]);
  });

  it('registers arrays of modules and of parameters as field.i (ModuleList, ParameterList)', () => {
    class Stack extends Module {
      blocks = [new Linear(2, 2), new Tanh(), new Linear(2, 1)];
      scales = [new Parameter(zeros([1])), new Parameter(zeros([2]))];
      forward(x: Tensor): Tensor {
        return this.blocks.reduce((h, b) => b.forward(h), x);
      }
    }
    const m = new Stack();
    expect(m.namedParameters().map(([n]) => n)).toEqual([
      'scales.0',
      'scales.1',
      'blocks.0.weight',
      'blocks.0.bias',
      'blocks.2.weight',
      'blocks.2.bias',
    ]);
    expect(m.children()).toHaveLength(3);
    m.eval();
    expect(m.blocks[1]!.training).toBe(false);
    expect(Object.keys(m.stateDict())).toHaveLength(6);
  });

  it('lists a shared parameter once', () => {
    const a = new Linear(3, 3);
    const seq = new Sequential(a, a);
    expect(seq.parameters()).toHaveLength(2);
  });

  it('zeroGrad clears gradients; train/eval reach every module', () => {
    const net = new Net();
    net
      .forward(randn([5, 2]))
      .sum()
      .backward();
    expect(net.parameters().every((p) => p.grad !== null)).toBe(true);
    net.zeroGrad();
    expect(net.parameters().every((p) => p.grad === null)).toBe(true);
    net.eval();
    expect(net.modules().every((m) => !m.training)).toBe(true);
    net.train();
    expect(net.modules().every((m) => m.training)).toBe(true);
  });

  it('stateDict copies; loadStateDict restores and checks keys and shapes', () => {
    const a = new Net(),
      b = new Net();
    b.fc1.weight.data.fill(7);
    const sd = a.stateDict();
    expect(Object.keys(sd)).toEqual(['fc1.weight', 'fc1.bias', 'fc2.weight', 'fc2.bias']);
    a.fc1.weight.data[0] = 123;
    expect(sd['fc1.weight']!.data[0]).not.toBe(123);
    b.loadStateDict(sd);
    expect(Array.from(b.fc1.weight.data)).toEqual(Array.from(sd['fc1.weight']!.data));
    expect(b.fc1.weight).toBeInstanceOf(Parameter);

    const missing = a.stateDict();
    delete missing['fc2.bias'];
    missing['fc3.weight'] = zeros([1]);
    expect(() => b.loadStateDict(missing)).toThrow(/missing keys: fc2\.bias; unexpected keys: fc3\.weight/);
    expect(b.loadStateDict(missing, { strict: false })).toEqual({
      missingKeys: ['fc2.bias'],
      unexpectedKeys: ['fc3.weight'],
    });

    const wrong = a.stateDict();
    wrong['fc1.weight'] = zeros([2, 4]);
    const before = Array.from(b.fc1.bias!.data);
    wrong['fc1.bias'] = zeros([4]);
    expect(() => b.loadStateDict(wrong)).toThrow(
      /'fc1\.weight' has shape \[2, 4\] but the model's parameter has shape \[4, 2\]/,
    );
    expect(Array.from(b.fc1.bias!.data)).toEqual(before); // nothing changed
  });

  it('summary() lists modules with their parameter counts', () => {
    expect(new MLP([2, 16, 3]).summary()).toBe(
      [
        'module  type    parameters',
        '0       Linear          48',
        '1       ReLU             0',
        '2       Linear          51',
        'total                   99',
      ].join('\n'),
    );
  });

  it('prints a PyTorch-like tree', () => {
    expect(String(new Sequential(new Linear(2, 3), new ReLU()))).toBe(
      'Sequential(\n  (0): Linear(inFeatures=2, outFeatures=3, bias=true)\n  (1): ReLU()\n)',
    );
  });
});

describe('Linear', () => {
  it('computes y = x Wᵀ + b with weight [out, in]', () => {
    const fc = new Linear(3, 2);
    fc.weight.data.set([1, 2, 3, 4, 5, 6]);
    fc.bias!.data.set([0.5, -1]);
    expect(
      fc
        .forward(
          tensor([
            [1, 0, -1],
            [2, 1, 0],
          ]),
        )
        .toArray(),
    ).toEqual([
      [1 - 3 + 0.5, 4 - 6 - 1],
      [2 + 2 + 0.5, 8 + 5 - 1],
    ]);
    expect(fc.forward(tensor([1, 1, 1])).toArray()).toEqual([6.5, 14]);
    expect(fc.forward(zeros([2, 5, 3])).shape).toEqual([2, 5, 2]);
    expect(() => fc.forward(zeros([4, 2]))).toThrow(
      /Linear\.forward: expected input with last dim 3, got shape \[4, 2\]/,
    );
    expect(() => new Linear(0, 2)).toThrow(/inFeatures must be a positive integer/);
  });

  it("uses PyTorch's default initialisation U(−1/√in, 1/√in) for weight and bias", () => {
    const fc = new Linear(100, 200, { generator: new Generator(3) });
    const b = 1 / Math.sqrt(100);
    const w = Array.from(fc.weight.data);
    expect(Math.max(...w)).toBeLessThanOrEqual(b);
    expect(Math.min(...w)).toBeGreaterThanOrEqual(-b);
    const v = w.reduce((s, x) => s + x * x, 0) / w.length;
    expect(v).toBeCloseTo((b * b) / 3, 4); // variance of U(−b, b)
    expect(Array.from(fc.bias!.data).every((x) => Math.abs(x) <= b)).toBe(true);
  });

  it('is reproducible through manualSeed and gets gradients', () => {
    manualSeed(5);
    const a = new Linear(3, 3);
    manualSeed(5);
    const c = new Linear(3, 3);
    expect(Array.from(a.weight.data)).toEqual(Array.from(c.weight.data));
    const x = randn([4, 3]);
    a.forward(x).sum().backward();
    // d Σ(xWᵀ + b)/dW[o, i] = Σₙ x[n, i]; d/db = N
    for (let i = 0; i < 3; i++)
      expect(a.weight.grad!.data[i]).toBeCloseTo(
        [0, 1, 2, 3].reduce((s, n) => s + x.data[n * 3 + i]!, 0),
        12,
      );
    expect(Array.from(a.bias!.grad!.data)).toEqual([4, 4, 4]);
  });
});

describe('layers', () => {
  const x = tensor([[-2, -0.5, 0, 1.5]]);
  it('activations match their formulas', () => {
    expect(new ReLU().forward(x).toArray()).toEqual([[0, 0, 0, 1.5]]);
    expect(new LeakyReLU(0.1).forward(x).toArray()).toEqual([[-0.2, -0.05, 0, 1.5]]);
    (new Tanh().forward(x).data as Float64Array).forEach((v, i) => expect(v).toBeCloseTo(Math.tanh(x.data[i]!), 14));
    (new Sigmoid().forward(x).data as Float64Array).forEach((v, i) =>
      expect(v).toBeCloseTo(1 / (1 + Math.exp(-x.data[i]!)), 14),
    );
    expect(new GELU().forward(tensor([0, 1])).data[1]).toBeCloseTo(0.8413447460685429, 12); // 1·Φ(1)
    const s = new Softmax().forward(x);
    const z = [-2, -0.5, 0, 1.5].reduce((a, v) => a + Math.exp(v), 0);
    expect(s.data[3]).toBeCloseTo(Math.exp(1.5) / z, 14);
    expect(new LogSoftmax().forward(x).data[0]).toBeCloseTo(-2 - Math.log(z), 14);
    expect(new Identity().forward(x)).toBe(x);
    expect(new Flatten().forward(zeros([2, 3, 4])).shape).toEqual([2, 12]);
  });

  it('Dropout zeroes about p of the inputs and scales the rest by 1/(1 − p) in training only', () => {
    const d = new Dropout(0.25, { generator: new Generator(0) });
    const ones = zeros([10000]).add(1);
    const y = d.forward(ones);
    const kept = Array.from(y.data).filter((v) => v !== 0);
    expect(kept.every((v) => v === 1 / 0.75)).toBe(true);
    expect(Math.abs(1 - kept.length / 10000 - 0.25)).toBeLessThan(0.02);
    d.eval();
    expect(d.forward(ones)).toBe(ones);
    expect(() => new Dropout(1.5)).toThrow(/p must be a probability/);
  });

  it('MLP builds Linear/activation/dropout stacks', () => {
    const m = new MLP([4, 8, 8, 3], { activation: 'tanh', dropout: 0.1 });
    expect(m.layers.map((l) => l.constructor.name)).toEqual([
      'Linear',
      'Tanh',
      'Dropout',
      'Linear',
      'Tanh',
      'Dropout',
      'Linear',
    ]);
    expect(m.namedParameters().map(([n]) => n)).toEqual([
      '0.weight',
      '0.bias',
      '3.weight',
      '3.bias',
      '6.weight',
      '6.bias',
    ]);
    expect(m.forward(randn([5, 4])).shape).toEqual([5, 3]);
    expect(new MLP([2, 3], { activation: () => new GELU() }).length).toBe(1);
    expect(() => new MLP([2])).toThrow(/at least the input and output sizes/);
    expect(() => new MLP([2, 3, 1], { activation: 'swish' as 'relu' })).toThrow(/unknown activation "swish"/);
  });
});
