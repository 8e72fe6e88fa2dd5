import { describe, expect, it } from 'vitest';
import { Generator } from '@xent/core';
import { kernels, referenceKernels } from '@xent/core/extend';
import type { Storage } from '../../../packages/core/src/dtype.js';
import { fastActivationGrad } from '../../../packages/core/src/kernels/fast-elementwise.js';

// The fused activation backward (relu, leakyRelu, tanh, sigmoid) against (1) the formula worked element by
// element here, (2) the composed kernels it replaces (le + where for relu, leakyReluGrad + mul for leakyRelu,
// square, sub and mul for tanh, sub and two mul for sigmoid), (3) the fast kernel and the active set against the
// reference, bit for bit (−0 and NaN count).

type Ctor = Float32ArrayConstructor | Float64ArrayConstructor;
const specials = [NaN, 0, -0, Infinity, -Infinity, 1, -1, 2.5, -2.5, 5e-324, -5e-324, 1e-40, -1e-40, 3.4e38, -3.4e38];
const gen = new Generator(29);

/** Every (x, g) pair of the specials, then random normals: x and g as arrays of type T. */
function inputs(T: Ctor): { x: Storage; g: Storage } {
  const xs: number[] = [],
    gs: number[] = [];
  for (const a of specials)
    for (const b of specials) {
      xs.push(a);
      gs.push(b);
    }
  for (let i = 0; i < 1000; i++) {
    xs.push(gen.normal());
    gs.push(gen.normal());
  }
  return { x: T.from(xs), g: T.from(gs) };
}

const same = (a: Storage, b: Storage, what: string): void => {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < b.length; i++) if (!Object.is(a[i], b[i])) throw new Error(`${what} at ${i}: ${a[i]} ≠ ${b[i]}`);
};

const impls = {
  reference: referenceKernels.activationGrad,
  fast: fastActivationGrad,
  active: (...a: Parameters<typeof fastActivationGrad>) => kernels().activationGrad(...a),
};

describe.each([Float32Array, Float64Array] as Ctor[])('activationGrad %s', (T) => {
  const { x, g } = inputs(T);
  const n = x.length;

  describe.each(Object.entries(impls))('%s', (_, k) => {
    it('relu: g where x > 0 or NaN, +0 where x ≤ 0 (by hand per element)', () => {
      const out = new T(n);
      k('relu', x, g, 0, out);
      const want = new T(n);
      for (let i = 0; i < n; i++) want[i] = Number.isNaN(x[i]!) || x[i]! > 0 ? g[i]! : 0;
      same(out, want, 'relu');
      // Spot checks written out: x = NaN passes g, x = −0 gives +0 even for g = −1, x = +∞ passes g.
      const o = new T(3);
      k('relu', T.from([NaN, -0, Infinity]), T.from([7, -1, -0]), 0, o);
      same(o, T.from([7, 0, -0]), 'relu spot');
    });

    it('relu: equals the composed le + where it replaces', () => {
      const mask = new T(n),
        composed = new T(n),
        out = new T(n);
      referenceKernels.binary('le', x, [1], new T(1), [0], [n], mask);
      referenceKernels.where(mask, [1], new T(1), [0], g, [1], [n], composed);
      k('relu', x, g, 0, out);
      same(out, composed, 'relu vs composed');
    });

    it.each([0.01, 0.1, -0.5, 0, 3])(
      'leakyRelu slope %s: equals g × the mask [x > 0 ? 1 : slope], and the formula',
      (slope) => {
        const mask = new T(n),
          composed = new T(n),
          out = new T(n);
        for (let i = 0; i < n; i++) mask[i] = x[i]! > 0 ? 1 : slope;
        referenceKernels.binary('mul', g, [1], mask, [1], [n], composed);
        k('leakyRelu', x, g, slope, out);
        same(out, composed, 'leakyRelu vs composed');
        const a = T === Float32Array ? Math.fround(slope) : slope;
        const want = new T(n);
        for (let i = 0; i < n; i++) want[i] = x[i]! > 0 ? g[i]! : a * g[i]!;
        same(out, want, 'leakyRelu formula');
      },
    );

    it('tanh: equals the composed square, sub from 1, mul it replaces, and g·(1 − y²) near y = ±1 and 0', () => {
      const sq = new T(n),
        oneMinus = new T(n),
        composed = new T(n),
        out = new T(n);
      referenceKernels.unary('square', x, sq);
      referenceKernels.binary('sub', T.from([1]), [0], sq, [1], [n], oneMinus);
      referenceKernels.binary('mul', g, [1], oneMinus, [1], [n], composed);
      k('tanh', x, g, 0, out);
      same(out, composed, 'tanh vs composed');
      // Written out: y = 0 passes g, y = ±1 gives 0 (and −0 for g < 0 at y = 1), y = 0.5 scales by 0.75.
      const o = new T(4);
      k('tanh', T.from([0, 1, -1, 0.5]), T.from([3, 2, -2, 4]), 0, o);
      same(o, T.from([3, 0, -0, 3]), 'tanh spot');
    });

    it('sigmoid: equals the composed sub from 1, mul, mul it replaces, and g·y(1 − y) at 0, 1/2 and 1', () => {
      const oneMinus = new T(n),
        yy = new T(n),
        composed = new T(n),
        out = new T(n);
      referenceKernels.binary('sub', T.from([1]), [0], x, [1], [n], oneMinus);
      referenceKernels.binary('mul', x, [1], oneMinus, [1], [n], yy);
      referenceKernels.binary('mul', g, [1], yy, [1], [n], composed);
      k('sigmoid', x, g, 0, out);
      same(out, composed, 'sigmoid vs composed');
      const o = new T(4);
      k('sigmoid', T.from([0, 0.5, 1, 0.25]), T.from([3, 2, -2, 16]), 0, o);
      same(o, T.from([0, 0.5, -0, 3]), 'sigmoid spot');
    });

    it('out may be g', () => {
      for (const op of ['relu', 'leakyRelu', 'tanh', 'sigmoid'] as const) {
        const out = new T(n),
          inPlace = T.from(g);
        k(op, x, g, 0.2, out);
        k(op, x, inPlace, 0.2, inPlace);
        same(inPlace, out, `${op} in place`);
      }
    });
  });

  it('the fast relu kernel agrees with the reference bit for bit', () => {
    const a = new T(n),
      b = new T(n);
    fastActivationGrad('relu', x, g, 0, a);
    referenceKernels.activationGrad('relu', x, g, 0, b);
    expect(new Uint8Array(a.buffer)).toEqual(new Uint8Array(b.buffer));
  });
});

it('activationGrad: relu with x of another float type than g (mask read, g copied as words)', () => {
  const x = Float64Array.from([1, -1, NaN, 0]),
    g = Float32Array.from([2, 3, 4, 5]);
  const a = new Float32Array(4),
    b = new Float32Array(4);
  fastActivationGrad('relu', x, g, 0, a);
  referenceKernels.activationGrad('relu', x, g, 0, b);
  same(a, Float32Array.from([2, 0, 4, 0]), 'fast');
  same(b, a, 'reference');
});
