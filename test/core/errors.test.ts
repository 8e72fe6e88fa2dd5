import { describe, expect, it } from 'vitest';
import {
  Tensor,
  Value,
  add,
  arange,
  argmax,
  cast,
  cat,
  clamp,
  clone,
  dot,
  expand,
  flatten,
  full,
  gather,
  grad,
  gradients,
  hessian,
  indexSelect,
  jacobian,
  leakyRelu,
  linspace,
  logSoftmax,
  logsumexp,
  matmul,
  max,
  mean,
  min,
  mm,
  mul,
  oneHot,
  outer,
  permute,
  rand,
  randn,
  randperm,
  reshape,
  scatterAdd,
  slice,
  softmax,
  squeeze,
  stack,
  sum,
  tensor,
  transpose,
  unsqueeze,
  variance,
  where,
  zeros,
} from '@xent/core';
import { record } from '@xent/core/extend';

// Bad input is a clear error that names the function, the argument and what was expected.
describe('shape mismatches name the op and both shapes', () => {
  it('broadcasting', () => {
    expect(() => add(zeros([2, 3]), zeros([2]))).toThrow(
      /^add: shapes \[2, 3\] and \[2\] cannot be broadcast together \(dim 1: 3 vs 2\)$/,
    );
    expect(() => zeros([4, 2, 3]).mul(zeros([3, 3]))).toThrow(
      /^mul: shapes \[4, 2, 3\] and \[3, 3\] cannot be broadcast together \(dim 1: 2 vs 3\)$/,
    );
    expect(() => where(zeros([2]), zeros([3]), 1)).toThrow(
      /^where: shapes \[2\] and \[3\] cannot be broadcast together/,
    );
    expect(() => zeros([2]).maximum(zeros([5]))).toThrow(/^maximum: shapes \[2\] and \[5\]/);
  });

  it('matmul: inner dims, vectors and batch dims', () => {
    expect(() => matmul(zeros([2, 3]), zeros([4, 5]))).toThrow(
      /^matmul: shapes \[2, 3\] and \[4, 5\] are not aligned \(3 ≠ 4\)$/,
    );
    expect(() => matmul(zeros([2, 3]), zeros([2]))).toThrow(
      /^matmul: shapes \[2, 3\] and \[2\] are not aligned \(3 ≠ 2\)$/,
    );
    expect(() => matmul(zeros([3]), zeros([4]))).toThrow(/^matmul: shapes \[3\] and \[4\] are not aligned \(3 ≠ 4\)$/);
    expect(() => matmul(zeros([2, 3, 4]), zeros([3, 4, 5]))).toThrow(
      /^matmul: the batch dims of shapes \[2, 3, 4\] and \[3, 4, 5\] cannot be broadcast together \(\[2\] vs \[3\]\)$/,
    );
    expect(() => matmul(tensor(1), zeros([2]))).toThrow(
      /^matmul: both arguments need at least one dim, got shapes \[\] and \[2\]$/,
    );
    expect(() => mm(zeros([2]), zeros([2, 2]))).toThrow(
      /^mm: both arguments need at least two dims, got shapes \[2\] and \[2, 2\]/,
    );
    expect(() => matmul(zeros([2, 2]), 3 as unknown as Tensor)).toThrow(
      /^matmul: the second argument must be a Tensor, got number 3$/,
    );
  });

  it('cat, stack, expand', () => {
    expect(() => cat([zeros([2, 3]), zeros([3, 2])])).toThrow(
      /^cat: tensor 1 has shape \[3, 2\], which does not match \[2, 3\] outside dim 0$/,
    );
    expect(() => stack([zeros([2]), zeros([3])])).toThrow(/^stack: tensor 1 has shape \[3\] but tensor 0 has \[2\]$/);
    expect(() => expand(zeros([2, 3]), [3, 3])).toThrow(
      /^expand: shape \[2, 3\] cannot be expanded to \[3, 3\] \(dim 0: 2 vs 3\)$/,
    );
    expect(() => cat([])).toThrow(/^cat: expected a non-empty list of tensors$/);
  });

  it('a gradient of the wrong shape', () => {
    const x = zeros([3], { requiresGrad: true });
    expect(() => x.mul(2).backward(zeros([2]))).toThrow(
      /^backward: gradient shape \[2\] does not match output shape \[3\]$/,
    );
  });
});

describe('a bad dim names the dim and the rank', () => {
  const t = zeros([2, 3]);
  it.each([
    ['sum', () => sum(t, 2)],
    ['max', () => max(t, -3)],
    ['mean', () => t.mean([0, 5])],
    ['softmax-free ops: logsumexp', () => t.logsumexp(2)],
    ['transpose', () => t.transpose(0, 2)],
    ['slice', () => t.slice(2, 0, 1)],
    ['cat', () => cat([t, t], 2)],
    ['indexSelect', () => indexSelect(t, 2, [0])],
    ['gather', () => gather(t, -3, [[0]])],
    ['argmax', () => t.argmax(2)],
    ['squeeze', () => t.squeeze(-3)],
  ] as [string, () => unknown][])('%s', (_, f) => {
    expect(f).toThrow(/dim -?\d+ is out of range for a tensor of rank 2 \(expected an integer in \[-2, 1\]\)/);
  });

  it('unsqueeze and stack count the new dim', () => {
    expect(() => t.unsqueeze(3)).toThrow(
      /^unsqueeze: dim 3 is out of range for a tensor of rank 2 \(expected an integer in \[-3, 2\]\)$/,
    );
    expect(() => stack([t, t], -4)).toThrow(
      /^stack: dim -4 is out of range for tensors of rank 2 \(expected an integer in \[-3, 2\]\)$/,
    );
  });

  it('the op is named', () => {
    expect(() => sum(t, 2)).toThrow(/^sum: dim 2/);
    expect(() => t.transpose(0, 5)).toThrow(/^transpose: dim 5/);
    expect(() => t.mean([0, 0])).toThrow(/^mean: dim \[0,0\] repeats a dim$/);
    expect(() => t.permute(0, 0)).toThrow(/^permute: dims \[0,0\] repeat a dim$/);
    expect(() => t.permute(0)).toThrow(/^permute: expected 2 dims for a tensor of rank 2, got \[0\]$/);
  });
});

describe('bad data, dtypes and sizes say what was expected', () => {
  it('a non-rectangular nested array', () => {
    expect(() => tensor([[1, 2], [3]])).toThrow(
      /^tensor: data is not rectangular: expected length 2 but found length 1 at \[1\]$/,
    );
    expect(() => tensor([[1, 2], 3] as unknown as number[][])).toThrow(
      /^tensor: data is not rectangular: expected an array of length 2 at \[1\]$/,
    );
    expect(() =>
      tensor([
        [[1], [2]],
        [[3], [4, 5]],
      ]),
    ).toThrow(/expected length 1 but found length 2 at \[1, 1\]/);
  });

  it('non-numbers in the data', () => {
    expect(() => tensor([1, 'a'] as unknown as number[])).toThrow(
      /^tensor: data must hold numbers, found string at \[1\]$/,
    );
    expect(() => tensor({} as unknown as number[])).toThrow(
      /^tensor: data must be a number, a nested array or a typed array, got Object$/,
    );
    expect(() => add(tensor([1]), 'a' as unknown as number)).toThrow(
      /^add: expected a Tensor or a number, got string a$/,
    );
  });

  it('an unknown dtype', () => {
    expect(() => tensor([1], { dtype: 'int32' as 'float32' })).toThrow(
      /^tensor: unknown dtype "int32"; expected 'float32' or 'float64'$/,
    );
    expect(() => zeros([2], { dtype: 'float16' as 'float32' })).toThrow(/^zeros: unknown dtype "float16"/);
  });

  it('a reshape to an incompatible size', () => {
    expect(() => reshape(zeros([2, 3]), [4])).toThrow(
      /^reshape: cannot reshape a tensor of shape \[2, 3\] \(6 elements\) to \[4\] \(4 elements\)$/,
    );
    expect(() => zeros([5]).reshape(2, -1)).toThrow(
      /^reshape: cannot reshape a tensor of shape \[5\] \(5 elements\) to \[2, -1\]$/,
    );
    expect(() => zeros([4]).reshape(-1, -1)).toThrow(/^reshape: only one dim may be -1, got \[-1, -1\]$/);
    expect(() => tensor([1, 2, 3], { shape: [2, 2] })).toThrow(
      /^tensor: 3 values do not fill shape \[2, 2\] \(4 elements\)$/,
    );
  });

  it('bad shapes and ranges for creation', () => {
    expect(() => zeros([2, -1])).toThrow(/^zeros: shape must be a list of non-negative integers, got \[2,-1\]$/);
    expect(() => arange(0, 1, 0)).toThrow(/^arange: step must be a finite non-zero number, got 0$/);
    expect(() => linspace(0, 1, 2.5)).toThrow(/^linspace: steps must be a non-negative integer, got 2.5$/);
    expect(() => linspace(0, NaN, 3)).toThrow(/^linspace: start and end must be finite numbers, got 0 and NaN$/);
    expect(() => arange(Infinity)).toThrow(/^arange: start and end must be finite numbers, got 0 and Infinity$/);
    expect(() => zeros([2]).leakyRelu('0.1' as unknown as number)).toThrow(
      /^leakyRelu: slope must be a number, got string$/,
    );
    expect(() => zeros([2]).clamp(0, '1' as unknown as number)).toThrow(
      /^clamp: max must be a number or null, got string$/,
    );
    expect(() => new Tensor(new Float64Array(3), [2, 2])).toThrow(
      /^Tensor: data has 3 elements but shape \[2, 2\] needs 4$/,
    );
  });

  it('indices: integers, in range, right rank', () => {
    expect(() => indexSelect(zeros([3]), 0, [1.5])).toThrow(
      /^indexSelect: index must hold integers, found 1.5 at flat position 0$/,
    );
    expect(() => gather(zeros([2, 3]), 1, [[3]])).toThrow(
      /^gather: index 3 at flat position 0 is out of range for a dim of size 3 \(expected 0 ≤ index < 3\)$/,
    );
    expect(() => scatterAdd(zeros([2]), 0, [[0]], tensor([1]))).toThrow(
      /^scatterAdd: index has rank 2 but input has rank 1$/,
    );
    expect(() => oneHot([3], 2)).toThrow(/^oneHot: label 3 at flat position 0 is outside \[0, 2\)$/);
  });

  it('0-d tensors where a dim is needed; a non-number fill value', () => {
    expect(() => tensor(1).slice(0, 0, 1)).toThrow(/^slice: a 0-d tensor has no dim to slice$/);
    expect(() => cat([tensor(1), tensor(2)])).toThrow(/^cat: 0-d tensors cannot be joined along a dim; use stack$/);
    expect(stack([tensor(1), tensor(2)]).toArray()).toEqual([1, 2]);
    expect(() => full([2], '1' as unknown as number)).toThrow(/^full: value must be a number, got string 1$/);
  });

  it('empty reductions and item', () => {
    expect(() => max(zeros([0]))).toThrow(/^max: cannot reduce an empty tensor$/);
    expect(() => zeros([2]).item()).toThrow(/^item: only a one-element tensor converts to a number, got shape \[2\]$/);
    expect(() => zeros([2]).argmax()).not.toThrow();
  });

  it('no silent NaN from a bad operand type', () => {
    expect(() =>
      zeros([2], { requiresGrad: true })
        .mul(2)
        .backward([1, 1] as unknown as number),
    ).toThrow(/^backward: the gradient must be a Tensor or a number, got an array$/);
    expect(() => zeros([2, 2]).sum('1' as unknown as number)).toThrow(
      /^sum: dim must be a number or a list of numbers, got "1"$/,
    );
    expect(() => mul(zeros([2]), null as unknown as number)).toThrow(/^mul: expected a Tensor or a number, got null$/);
    expect(() => arange(3).add([1, 2, 3] as unknown as number)).toThrow(
      /^add: expected a Tensor or a number, got an array$/,
    );
  });
});

describe('more bad input: every argument checked, no silent NaN or silent default', () => {
  it('an unknown dtype in cast, to and oneHot', () => {
    expect(() => cast(zeros([2]), 'int8' as 'float32')).toThrow(
      /^cast: unknown dtype "int8"; expected 'float32' or 'float64'$/,
    );
    expect(() => zeros([2], { dtype: 'float32' }).to('float16' as 'float32')).toThrow(/^cast: unknown dtype "float16"/);
    expect(() => oneHot([0], 2, { dtype: 'int32' as 'float32' })).toThrow(/^oneHot: unknown dtype "int32"/);
  });

  it('randperm, oneHot and the random functions check their sizes and generator', () => {
    expect(() => randperm(2.5)).toThrow(/^randperm: n must be a non-negative integer, got 2.5$/); // was [NaN, 1, NaN]
    expect(() => randperm(-1)).toThrow(/^randperm: n must be a non-negative integer, got -1$/);
    expect(() => oneHot([0], 2.5)).toThrow(
      /^oneHot: numClasses must be a non-negative integer or -1 \(one more than the largest label\), got 2.5$/,
    );
    expect(() => oneHot([0], -2)).toThrow(/^oneHot: numClasses must be/);
    expect(() => rand([2], { generator: {} as never })).toThrow(
      /^rand: generator must be a Generator \(new Generator\(seed\)\), got Object$/,
    );
    expect(() => randn([2], { generator: 7 as never })).toThrow(/^randn: generator must be a Generator/);
    expect(() => randperm(3, { generator: 'x' as never })).toThrow(/^randperm: generator must be a Generator/);
  });

  it('a NaN bound or slope is an error, not a silent pass-through or NaN', () => {
    expect(() => clamp(zeros([2]), NaN)).toThrow(/^clamp: min must be a number or null, got NaN$/);
    expect(() => clamp(zeros([2]), 0, NaN)).toThrow(/^clamp: max must be a number or null, got NaN$/);
    expect(() => leakyRelu(zeros([2]), NaN)).toThrow(/^leakyRelu: slope must be a number, got NaN$/);
  });

  it('Value refuses data that is not a number (a string would concatenate)', () => {
    expect(() => new Value('2' as unknown as number)).toThrow(/^Value: data must be a number, got string$/);
    expect(() => new Value(undefined as unknown as number)).toThrow(/^Value: data must be a number, got undefined$/);
  });

  it('non-tensors in lists and tensor arguments are named', () => {
    expect(() => cat([zeros([2]), 1 as unknown as Tensor])).toThrow(
      /^cat: entry 1 of the list must be a Tensor, got number 1$/,
    );
    expect(() => stack([null as unknown as Tensor])).toThrow(/^stack: entry 0 of the list must be a Tensor, got null$/);
    expect(() => scatterAdd(zeros([3]), 0, [0], [1] as unknown as Tensor)).toThrow(
      /^scatterAdd: src must be a Tensor, got an array$/,
    );
    expect(() => dot(zeros([2]), [1, 2] as unknown as Tensor)).toThrow(
      /^dot: the second argument must be a Tensor, got an array$/,
    );
    expect(() => jacobian(3 as never, zeros([2]))).toThrow(
      /^jacobian: the first argument must be a function of tensors, got number 3$/,
    );
    expect(() => jacobian((x) => x, [1, 2] as never)).toThrow(/^jacobian: x must be a Tensor, got an array$/);
    expect(() => grad('f' as never)).toThrow(/^grad: the first argument must be a function of tensors/);
    expect(() => hessian(null as never, zeros([2]))).toThrow(
      /^hessian: the first argument must be a function of tensors, got null$/,
    );
    const y = zeros([2], { requiresGrad: true }).mul(2);
    expect(() => gradients(y, [y], { gradOutput: [1, 1] as never })).toThrow(
      /^gradients: gradOutput must be a Tensor, got an array$/,
    );
    expect(() => gradients(y, y as never)).toThrow(/^gradients: inputs must be an array of Tensors, got Tensor$/);
    expect(() => gradients(y, [y, 3 as never])).toThrow(/^gradients: inputs\[1\] must be a Tensor, got number 3$/);
    expect(() => gradients(5 as never, [y])).toThrow(/^gradients: output must be a Tensor, got number 5$/);
  });

  it('every op that takes a tensor names it when given something else (a plain array is the usual slip)', () => {
    const arr = [
      [1, 2],
      [3, 4],
    ] as unknown as Tensor;
    const ops: [string, () => unknown][] = [
      ['sum', () => sum(arr)],
      ['mean', () => mean(arr)],
      ['max', () => max(arr)],
      ['min', () => min(arr)],
      ['argmax', () => argmax(arr)],
      ['logsumexp', () => logsumexp(arr)],
      ['var', () => variance(arr)],
      ['reshape', () => reshape(arr, [4])],
      ['flatten', () => flatten(arr)],
      ['permute', () => permute(arr, [1, 0])],
      ['transpose', () => transpose(arr)],
      ['squeeze', () => squeeze(arr)],
      ['unsqueeze', () => unsqueeze(arr, 0)],
      ['expand', () => expand(arr, [2, 2])],
      ['slice', () => slice(arr, 0, 0, 1)],
      ['indexSelect', () => indexSelect(arr, 0, [0])],
      ['gather', () => gather(arr, 0, [[0]])],
      ['scatterAdd', () => scatterAdd(arr, 0, [[0]], zeros([1, 1]))],
      ['softmax', () => softmax(arr)],
      ['logSoftmax', () => logSoftmax(arr)],
      ['clone', () => clone(arr)],
      ['cast', () => cast(arr, 'float32')],
    ];
    for (const [name, f] of ops) expect(f, name).toThrow(new RegExp(`^${name}: input must be a Tensor, got an array$`));
  });

  it('outer takes vectors only, as PyTorch (it used to flatten matrices silently)', () => {
    expect(() => outer(zeros([2, 2]), zeros([2]))).toThrow(
      /^outer: expected two 1-D tensors, got shapes \[2, 2\] and \[2\]$/,
    );
  });

  it('max/min/argmax over a non-empty dim of a tensor with another empty dim give an empty result (PyTorch)', () => {
    expect(max(zeros([2, 0]), 0).shape).toEqual([0]);
    expect(min(zeros([0, 3, 2]), [1, 2]).shape).toEqual([0]);
    expect(argmax(zeros([2, 0]), 0).shape).toEqual([0]);
    expect(() => max(zeros([2, 0]), 1)).toThrow(/^max: cannot reduce dim 1 of size 0$/);
    expect(() => argmax(zeros([2, 0]), 1)).toThrow(/^argmax: cannot reduce dim 1 of size 0$/);
  });

  it('an op whose backward returns a gradient of the wrong shape is an error, not silently reshaped', () => {
    // A buggy op: the output has x's shape [2, 3] but the backward hands back a transposed [3, 2] gradient.
    const bad = (x: Tensor): Tensor =>
      record('badOp', [x], new Tensor(x.data.slice(), x.shape), (g) => [g.transpose(0, 1)]);
    const x = zeros([2, 3], { requiresGrad: true });
    expect(() => bad(x).sum().backward()).toThrow(
      /^badOp: gradient of shape \[3, 2\] does not reduce to the input shape \[2, 3\]$/,
    );
    expect(() => grad((z) => bad(z).sum())(zeros([2, 3]))).toThrow(
      /^badOp: gradient of shape \[3, 2\] does not reduce to the input shape \[2, 3\]$/,
    );
  });
});
