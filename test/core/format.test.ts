import { describe, expect, it } from 'vitest';
import { arange, tensor, zeros } from '@xent/core';

// Expected strings are what PyTorch prints for the same values with dtype=torch.float64
// (whose "dtype=torch.float64" suffix xent leaves out: float64 is xent's default).
describe('toString prints like PyTorch', () => {
  it('whole numbers as "1.", fractions with 4 decimals, 0-d tensors', () => {
    expect(String(tensor([1, 2]))).toBe('tensor([1., 2.])');
    expect(String(tensor([1, 2.5]))).toBe('tensor([1.0000, 2.5000])');
    expect(String(tensor(3))).toBe('tensor(3.)');
    expect(String(tensor(-0.5))).toBe('tensor(-0.5000)');
    expect(String(tensor([0, 0]))).toBe('tensor([0., 0.])');
  });

  it('columns padded to the widest entry', () => {
    expect(String(tensor([-1, 10, 100]))).toBe('tensor([ -1.,  10., 100.])');
    expect(String(tensor([0.5, -12.25]))).toBe('tensor([  0.5000, -12.2500])');
  });

  it('2-D and 3-D layout: aligned rows, a blank line between blocks', () => {
    expect(
      String(
        tensor([
          [1, 2],
          [3, 4],
        ]),
      ),
    ).toBe('tensor([[1., 2.],\n        [3., 4.]])');
    expect(String(arange(8).reshape(2, 2, 2))).toBe(
      'tensor([[[0., 1.],\n         [2., 3.]],\n\n        [[4., 5.],\n         [6., 7.]]])',
    );
  });

  it('scientific notation when magnitudes span more than 1000×, pass 1e8, or (fractions) go below 1e-4', () => {
    expect(String(tensor([0.001, 2]))).toBe('tensor([1.0000e-03, 2.0000e+00])');
    expect(String(tensor([1, 2000]))).toBe('tensor([1.0000e+00, 2.0000e+03])');
    expect(String(tensor([1e-5, 1]))).toBe('tensor([1.0000e-05, 1.0000e+00])');
    expect(String(tensor([123456789, 1]))).toBe('tensor([1.2346e+08, 1.0000e+00])');
    expect(String(tensor([0.001, 0.5]))).toBe('tensor([0.0010, 0.5000])'); // 500×: fixed
  });

  it('nan, inf, −0 and exact ties rounded to even (Python formatting)', () => {
    expect(String(tensor([NaN, 1, -Infinity]))).toBe('tensor([nan, 1., -inf])');
    expect(String(tensor([-0, 1]))).toBe('tensor([-0., 1.])');
    expect(String(tensor([0.03125, 0.5]))).toBe('tensor([0.0312, 0.5000])'); // '{:.4f}'.format(0.03125)
    expect(String(tensor([0.09375, 0.5]))).toBe('tensor([0.0938, 0.5000])'); // tie, 7 is odd: up to 8
    expect(String(tensor([12500.5, 1]))).toBe('tensor([1.2500e+04, 1.0000e+00])');
  });

  it('long rows wrap at 80 columns', () => {
    expect(String(arange(30))).toBe(
      'tensor([ 0.,  1.,  2.,  3.,  4.,  5.,  6.,  7.,  8.,  9., 10., 11., 12., 13.,\n' +
        '        14., 15., 16., 17., 18., 19., 20., 21., 22., 23., 24., 25., 26., 27.,\n' +
        '        28., 29.])',
    );
  });

  it('more than 1000 elements: the first and last 3 of each dim', () => {
    expect(String(arange(2000))).toBe(
      'tensor([0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 1.9970e+03, 1.9980e+03,\n        1.9990e+03])',
    );
    // Only the shown values choose the format: 5 … 554.5 spans less than 1000×, so fixed notation.
    expect(String(arange(1100).reshape(100, 11).add(10).mul(0.5))).toBe(
      'tensor([[  5.0000,   5.5000,   6.0000,  ...,   9.0000,   9.5000,  10.0000],\n' +
        '        [ 10.5000,  11.0000,  11.5000,  ...,  14.5000,  15.0000,  15.5000],\n' +
        '        [ 16.0000,  16.5000,  17.0000,  ...,  20.0000,  20.5000,  21.0000],\n' +
        '        ...,\n' +
        '        [538.5000, 539.0000, 539.5000,  ..., 542.5000, 543.0000, 543.5000],\n' +
        '        [544.0000, 544.5000, 545.0000,  ..., 548.0000, 548.5000, 549.0000],\n' +
        '        [549.5000, 550.0000, 550.5000,  ..., 553.5000, 554.0000, 554.5000]])',
    );
  });

  it('empty tensors', () => {
    expect(String(tensor([]))).toBe('tensor([])');
    expect(String(zeros([2, 0]))).toBe('tensor([], size=(2, 0))');
  });

  it('suffixes: dtype for float32, grad_fn for op outputs, requiresGrad for leaves', () => {
    expect(String(tensor([1, 2], { dtype: 'float32' }))).toBe('tensor([1., 2.], dtype=float32)');
    expect(String(tensor([1.5, 2], { requiresGrad: true }))).toBe('tensor([1.5000, 2.0000], requiresGrad=true)');
    expect(String(tensor([1.5, 2], { requiresGrad: true }).mul(2))).toBe('tensor([3., 4.], grad_fn=<mul>)');
    expect(`${tensor(0.1, { dtype: 'float32' })}`).toBe('tensor(0.1000, dtype=float32)');
  });

  it('a suffix that would pass 80 columns goes on its own line', () => {
    // PyTorch counts the last line as its length + 2: 79 + 2 + 2 + 13 > 80.
    expect(String(arange(8, undefined, 1, { dtype: 'float32' }).mul(1.5))).toBe(
      'tensor([ 0.0000,  1.5000,  3.0000,  4.5000,  6.0000,  7.5000,  9.0000, 10.5000],\n' + '       dtype=float32)',
    );
    expect(String(arange(13, undefined, 1, { dtype: 'float32' }).mul(1.5))).toBe(
      'tensor([ 0.0000,  1.5000,  3.0000,  4.5000,  6.0000,  7.5000,  9.0000, 10.5000,\n' +
        '        12.0000, 13.5000, 15.0000, 16.5000, 18.0000], dtype=float32)',
    );
  });
});
