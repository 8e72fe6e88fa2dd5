import { describe, expect, it } from 'vitest';
import { Tensor, gradcheck, gradients, mul, noGrad, tensor } from '@xent/core';
import { record } from '@xent/core/extend';

/** A deliberately wrong op: y = x² with the derivative written as 3x instead of 2x. */
function badSquare(x: Tensor): Tensor {
  const out = new Tensor(
    Float64Array.from(x.data, (v) => v * v),
    x.shape,
  );
  return record('badSquare', [x], out, (g) => [mul(g, mul(x, 3))]);
}

/** Right except at one element: d/dx of x·w with the gradient of element 2 of input 1 scaled by 1.5. */
function badAt(x: Tensor, w: Tensor): Tensor {
  const out = new Tensor(
    Float64Array.from(x.data, (v, i) => v * w.data[i]!),
    x.shape,
  );
  const skew = new Tensor(
    Float64Array.from(w.data, (_, i) => (i === 2 ? 1.5 : 1)),
    w.shape,
  );
  return record('badAt', [x, w], out, (g) => [mul(g, w), mul(mul(g, x), skew)]);
}

describe('gradcheck', () => {
  it('passes a correct op, several inputs', () => {
    expect(
      gradcheck(
        (a, b) => a.mul(b).tanh().sum(1),
        [
          tensor([
            [0.1, 0.2],
            [0.3, 0.4],
          ]),
          tensor([
            [1.5, -2],
            [0.5, 1],
          ]),
        ],
      ),
    ).toBe(true);
  });

  it('fails a wrong op and names the worst element in words: input, index, analytic and numeric values', () => {
    // At x = [1, 2, 3] the analytic gradient is 3x, the numeric one 2x: the worst is x = 3 (9 vs 6).
    expect(() => gradcheck(badSquare, [tensor([1, 2, 3])])).toThrow(
      /^gradcheck: the gradient of output \[2\] with respect to input 0 at \[2\] is 9 analytically but (5\.9999\d*|6\.0000\d*) by central differences \(eps 0\.000001\); the difference (2\.9999\d*|3\.0000\d*) exceeds atol 0\.00001 \+ rtol 0\.001 × \|numeric\| \(op of the output: badSquare\)$/,
    );
  });

  it('finds the bad element among several inputs and reports its multi-dim index', () => {
    const x = tensor([
        [1, 2],
        [3, 4],
      ]),
      w = tensor([
        [0.5, -1],
        [2, 1],
      ]);
    // Input 1 (w) element flat 2 = [1, 0]: analytic 1.5·x = 4.5, numeric x = 3, for output [1, 0].
    expect(() => gradcheck(badAt, [x, w])).toThrow(
      /output \[1, 0\] with respect to input 1 at \[1, 0\] is 4\.5 analytically but (2\.9999\d*|3\.0000\d*) by central differences/,
    );
  });

  it('raiseException: false returns false instead of throwing', () => {
    expect(gradcheck(badSquare, [tensor([1, 2, 3])], { raiseException: false })).toBe(false);
  });

  it('tolerances are honoured: a wrong gradient within atol passes', () => {
    // 3x vs 2x at x = 0.001: the difference is 0.001, below atol 0.01.
    expect(gradcheck(badSquare, [tensor([0.001])], { atol: 0.01 })).toBe(true);
    expect(gradcheck(badSquare, [tensor([0.001])], { atol: 1e-5, rtol: 0, raiseException: false })).toBe(false);
    // rtol: |3x − 2x| = x ≤ rtol·|2x| needs rtol ≥ 0.5
    expect(gradcheck(badSquare, [tensor([5])], { atol: 0, rtol: 0.51 })).toBe(true);
    expect(gradcheck(badSquare, [tensor([5])], { atol: 0, rtol: 0.49, raiseException: false })).toBe(false);
  });

  it('eps is the central-difference step', () => {
    // For x³ at 1, the central difference is 3 + eps²: a big eps gives a big error.
    expect(gradcheck((x) => x.pow(3), [tensor([1])], { eps: 0.1, atol: 0.001, rtol: 0, raiseException: false })).toBe(
      false,
    );
    expect(gradcheck((x) => x.pow(3), [tensor([1])], { eps: 1e-4, atol: 1e-6, rtol: 0 })).toBe(true);
  });

  it('does not modify the inputs it is given', () => {
    const x = tensor([1, 2]);
    gradcheck((t) => t.exp(), [x]);
    expect(x.toArray()).toEqual([1, 2]);
    expect(x.requiresGrad).toBe(false);
  });

  it('NaN on one side only is a failure', () => {
    const nanGrad = (x: Tensor): Tensor =>
      record('nanGrad', [x], new Tensor(x.data.slice(), x.shape), (g) => [mul(g, NaN)]);
    expect(() => gradcheck(nanGrad, [tensor([1])])).toThrow(
      /is NaN analytically but (0\.9999\d*|1\.0000\d*) by central differences \(eps 0\.000001\); only one of them is NaN/,
    );
  });

  it('∞ against a finite value, or +∞ against −∞, is a failure (the tolerance formula would give NaN and pass)', () => {
    // y = x with its derivative written as +∞ (numerically 1).
    const infGrad = (x: Tensor): Tensor =>
      record('infGrad', [x], new Tensor(x.data.slice(), x.shape), (g) => [mul(g, Infinity)]);
    expect(() => gradcheck(infGrad, [tensor([1])])).toThrow(
      /is Infinity analytically but (0\.9999\d*|1\.0000\d*) by central differences .*they differ and one of them is infinite/,
    );
    // f(x) = 1e300·x² at x = 1e10: central differences overflow to +∞; the analytic gradient written as −∞.
    const negInf = (x: Tensor): Tensor =>
      record(
        'negInf',
        [x],
        noGrad(() => x.mul(x).mul(1e300)),
        (g) => [mul(g, -Infinity)],
      );
    expect(gradcheck(negInf, [tensor([1e10])], { raiseException: false })).toBe(false);
  });

  it('the perturbed evaluations run with recording on, so f may differentiate inside (gradients of gradients)', () => {
    // f(x) = ∂(Σ x³)/∂x = 3x², computed with gradients(): its Jacobian is diag(6x).
    const f = (x: Tensor): Tensor => gradients(x.pow(3).sum(), [x], { createGraph: true })[0]!;
    expect(gradcheck(f, [tensor([0.5, -1, 2])])).toBe(true);
  });

  it('bad arguments are named: f, the inputs, what f returns', () => {
    expect(() => gradcheck(3 as never, [tensor([1])])).toThrow(
      /^gradcheck: f must be a function of tensors, got number 3$/,
    );
    expect(() => gradcheck((x) => x, tensor([1]) as never)).toThrow(
      /^gradcheck: inputs must be an array of Tensors, got Tensor$/,
    );
    expect(() => gradcheck((x) => x, [[1, 2]] as never)).toThrow(
      /^gradcheck: inputs\[0\] must be a Tensor, got an array$/,
    );
    expect(() => gradcheck(() => 5 as never, [tensor([1])])).toThrow(
      /^gradcheck: f must return a Tensor, got number 5$/,
    );
  });

  it('rejects float32 inputs', () => {
    expect(() => gradcheck((x) => x, [tensor([1], { dtype: 'float32' })])).toThrow(
      /gradcheck: inputs must be float64 for central differences to be accurate, got float32/,
    );
  });
});
