/* eslint-disable no-sparse-arrays -- holes in arrays are what item 2 tests */
import {
  Generator,
  Tensor,
  binaryCrossEntropy,
  binaryCrossEntropyWithLogits,
  crossEntropy,
  entropy,
  klDiv,
  mseLoss,
  nllLoss,
  ones,
  randn,
  softmax,
  tensor,
  zeros,
} from '@xent/core';
import { record } from '@xent/core/extend';
import { Adam, Linear, MLP, SGD, init } from '@xent/nn';
import { describe, expect, it } from 'vitest';

/* Regression tests for the core items of issue 11 (1, 2, 9 and the core parts of 10 and 11). */

describe('item 1: version counters catch a tensor modified between forward and backward', () => {
  it("the issue's snippet: forward, optimizer.step(), then backward throws naming the op and the tensor", () => {
    const model = new MLP([2, 4, 3], { generator: new Generator(0) });
    const opt = new SGD(model.parameters(), { lr: 0.1 });
    const x = randn([5, 2], { generator: new Generator(1) }),
      y = [0, 1, 2, 0, 1];
    crossEntropy(model.forward(x), y).backward(); // gradients to step with
    const loss = crossEntropy(model.forward(x), y);
    opt.step();
    expect(() => loss.backward()).toThrow(
      /^backward: linear needs its input \d \(a leaf, shape \[\d, \d\]\) as it was when linear ran, but it was modified in place since \(version 1, was 0\)/,
    );
  });
  it('every in-place update xent performs bumps the version', () => {
    const p = new Linear(2, 2).weight;
    const v0 = p.version;
    p.grad = ones([2, 2]);
    new SGD([p]).step();
    expect(p.version).toBe(v0 + 1);
    new Adam([p]).step();
    expect(p.version).toBe(v0 + 2);
    const m = new Linear(2, 2);
    const w = m.weight.version;
    m.loadStateDict(new Linear(2, 2).stateDict());
    expect(m.weight.version).toBe(w + 1);
    const t = zeros([3]);
    init.uniform(t);
    init.normal(t);
    init.constant(t, 1);
    expect(t.version).toBe(3);
    // zeroGrad({ setToNone: false }) fills the gradient buffer in place; accumulation adds into it.
    const a = tensor([1, 2], { requiresGrad: true });
    a.mul(a).sum().backward();
    const g = a.grad!;
    const gv = g.version;
    a.mul(3).sum().backward();
    expect(g.version).toBe(gv + 1);
    a.zeroGrad({ setToNone: false });
    expect(a.grad).toBe(g);
    expect(g.version).toBe(gv + 2);
  });
  it('a graph that used a gradient buffer refuses after zeroGrad({ setToNone: false }) refilled it', () => {
    const a = tensor([1, 2], { requiresGrad: true });
    a.mul(a).sum().backward();
    const b = tensor([3, 4], { requiresGrad: true });
    const y = b.mul(a.grad!).sum(); // mul saves a.grad
    a.zeroGrad({ setToNone: false });
    expect(() => y.backward()).toThrow(/^backward: mul needs its input 1 \(a leaf, shape \[2\]\)/);
  });
  it('.data stays the untracked escape hatch', () => {
    const w = tensor([1, 2], { requiresGrad: true });
    const y = w.mul(w).sum();
    w.data[0] = 5; // not counted: the gradient uses the new value, as PyTorch's .data
    expect(w.version).toBe(0);
    y.backward();
    expect(Array.from(w.grad!.data)).toEqual([10, 4]);
  });
  it('forward after the update backwards fine', () => {
    const m = new Linear(2, 1);
    const opt = new SGD(m.parameters(), { lr: 0.1 });
    for (let i = 0; i < 3; i++) {
      opt.zeroGrad();
      mseLoss(m.forward(ones([4, 2])), zeros([4, 1])).backward();
      opt.step();
    }
    expect(m.weight.version).toBeGreaterThanOrEqual(3);
  });
});

describe('item 2: holes in arrays are a TypeError', () => {
  it('tensor, class targets, weights', () => {
    const holed = [1, , 3];
    expect(() => tensor(holed as number[])).toThrow(TypeError);
    expect(() => tensor(holed as number[])).toThrow(/^tensor: data has a hole \(an empty array slot\) at \[1\]/);
    expect(() =>
      tensor([
        [1, 2],
        [3, ,],
      ] as number[][]),
    ).toThrow(/hole .* at \[1, 1\]/);
    expect(() => crossEntropy(zeros([3, 2]), [0, , 1] as number[])).toThrow(/^crossEntropy: target has a hole/);
    expect(() => crossEntropy(zeros([2, 3]), [0, 1], { weight: [1, , 1] as number[] })).toThrow(
      /^crossEntropy: weight has a hole/,
    );
  });
  it('a value nested 100,000 deep is an error, not a stack overflow', () => {
    let v: unknown = 1;
    for (let i = 0; i < 100000; i++) v = [v];
    expect(() => tensor(v as number[])).toThrow(/^tensor: data is nested more than 64 deep/);
  });
});

describe('item 9: a backward that throws half-way leaves every .grad as it was', () => {
  it('a vjp that throws after some leaves were reached', () => {
    const a = tensor([1, 2], { requiresGrad: true }),
      b = tensor([3, 4], { requiresGrad: true });
    a.grad = tensor([10, 10]);
    // bad(a) is reached after b's gradient was computed: b must still get nothing.
    const bad = record('bad', [a], a.mul(1).detach(), () => {
      throw new Error('bad: backward failed');
    });
    const y = bad.add(b.mul(2)).sum();
    expect(() => y.backward()).toThrow(/bad: backward failed/);
    expect(b.grad).toBeNull();
    expect(Array.from(a.grad!.data)).toEqual([10, 10]);
  });
  it('a modified saved tensor: no leaf receives a partial gradient', () => {
    const w = tensor([1, 2], { requiresGrad: true }),
      c = tensor([5, 6], { requiresGrad: true });
    const y = w.mul(w).sum().add(c.mul(3).sum());
    w._bumpVersion();
    expect(() => y.backward()).toThrow(/^backward: mul needs/);
    expect(w.grad).toBeNull();
    expect(c.grad).toBeNull();
  });
  it('a .grad of the wrong shape is named before anything is delivered', () => {
    const w = tensor([[1, 2]], { requiresGrad: true }),
      c = tensor([5], { requiresGrad: true });
    w.grad = ones([3]);
    expect(() => w.sum().add(c).sum().backward()).toThrow(
      /^backward: the \.grad of a tensor of shape \[1, 2\] has shape \[3\]/,
    );
    expect(c.grad).toBeNull();
  });
});

describe('items 10 and 11 (core): clear errors and strict options', () => {
  it('zeros([1e9, 1e9]) names the function and the size', () => {
    expect(() => zeros([1e9, 1e9])).toThrow(
      /^zeros: shape \[1000000000, 1000000000\] has 1000000000000000000 elements, more than a typed array can hold/,
    );
  });
  it("softmax(x, '1') says dim must be an integer", () => {
    expect(() => softmax(zeros([2, 2]), '1' as never)).toThrow(/^softmax: dim must be an integer, got "1"/);
  });
  it('unknown option keys are rejected, listing the valid ones', () => {
    const x = zeros([2, 3]);
    expect(() => crossEntropy(x, [0, 1], { labelSmoothin: 0.5 } as never)).toThrow(
      /^crossEntropy: unknown option "labelSmoothin"; valid options are weight, ignoreIndex, labelSmoothing, reduction$/,
    );
    expect(() => nllLoss(x, [0, 1], { reductio: 'sum' } as never)).toThrow(/^nllLoss: unknown option "reductio"/);
    const p = tensor([0.5]);
    expect(() => binaryCrossEntropy(p, p, { posWeight: null } as never)).toThrow(
      /^binaryCrossEntropy: unknown option "posWeight"/,
    );
    expect(() => binaryCrossEntropyWithLogits(p, p, { pos_weight: p } as never)).toThrow(/unknown option "pos_weight"/);
    expect(() => klDiv(x, x, { log_target: true } as never)).toThrow(/^klDiv: unknown option "log_target"/);
    expect(() => mseLoss(x, x, { reduce: 'sum' } as never)).toThrow(/^mseLoss: unknown option "reduce"/);
    expect(() => entropy(softmax(x, 1), { bas: 2 } as never)).toThrow(/^entropy: unknown option "bas"/);
  });
  it('a class weight of Infinity is rejected as NaN is', () => {
    expect(() => crossEntropy(zeros([2, 3]), [0, 1], { weight: [1, Infinity, 1] })).toThrow(
      /^crossEntropy: weight\[1\] is Infinity; expected a finite number/,
    );
    expect(() => nllLoss(zeros([2, 3]), [0, 1], { weight: tensor([1, 1, -Infinity]) })).toThrow(
      /weight\[2\] is -Infinity/,
    );
  });
  it('a NaN binaryCrossEntropy target is rejected as crossEntropy rejects NaN targets', () => {
    expect(() => binaryCrossEntropy(tensor([0.5, 0.5]), tensor([1, NaN]))).toThrow(
      /^binaryCrossEntropy: target holds NaN at \[1\]/,
    );
    expect(() => binaryCrossEntropyWithLogits(tensor([0.5]), tensor([NaN]))).toThrow(
      /^binaryCrossEntropyWithLogits: target holds NaN/,
    );
  });
  it('Tensor.version is read-only data, not an option', () => {
    expect(new Tensor(new Float64Array(1), [1]).version).toBe(0);
  });
});
