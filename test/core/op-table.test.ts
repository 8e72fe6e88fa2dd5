import * as core from '@xent/core';
import { Tensor, gradcheck, gradients, mul, sum } from '@xent/core';
import * as extend from '@xent/core/extend';
import { referenceKernels, setKernels } from '@xent/core/extend';
import { describe, expect, it } from 'vitest';
import { NOT_OPS, OP_TABLE, type Sample } from './op-table.js';

/* Tests generated from the op table (test/core/op-table.ts), as PyTorch's OpInfo tests: for every
   op and sample, first- and second-order gradcheck in float64, fast kernels against the reference
   kernels, float32 against float64, the method against the free function, and a clear error on bad
   dims. The last block fails when an export is neither in the table nor declared not an op. */

/** Fresh leaves holding the sample's values, in `dtype`. */
function leaves(sample: Sample, dtype: 'float32' | 'float64' = 'float64'): Tensor[] {
  return sample.inputs.map((x) => {
    const data = dtype === 'float64' ? Float64Array.from(x.data) : Float32Array.from(x.data);
    return new Tensor(data, x.shape, true);
  });
}

/** Fixed weights for the output, so that a backward reaches every output element with a distinct factor. */
function weights(y: Tensor, salt = 0): Tensor {
  const w = new Tensor(new Float64Array(y.size), y.shape);
  for (let i = 0; i < y.size; i++) w.data[i] = 0.5 + (((i + salt) * 7) % 11) / 10 - salt / 10;
  return y.dtype === 'float32' ? w.to('float32') : w;
}

/** The output and the gradients of ⟨output, w⟩ w.r.t. every input. */
function run(sample: Sample, dtype: 'float32' | 'float64' = 'float64'): { y: Tensor; grads: Tensor[] } {
  const xs = leaves(sample, dtype);
  const y = sample.f(...xs);
  const grads = y.requiresGrad ? gradients(sum(mul(y, weights(y))), xs) : xs.map((x) => x.detach().mul(0));
  return { y, grads };
}

function expectNear(a: Tensor, b: Tensor, rtol: number, what: string): void {
  expect(a.shape, `${what}: shape`).toEqual(b.shape);
  for (let i = 0; i < a.size; i++) {
    const x = a.data[i]!,
      y = b.data[i]!;
    if (Object.is(x, y) || (Number.isNaN(x) && Number.isNaN(y))) continue;
    expect(Math.abs(x - y), `${what}[${i}]: ${x} vs ${y}`).toBeLessThanOrEqual(rtol * (1 + Math.abs(y)));
  }
}

describe.each(OP_TABLE)('$name', (op) => {
  describe.each(op.samples)('$label', (sample) => {
    const opts = sample.eps ? { eps: sample.eps } : {};

    it('first-order gradcheck (float64)', () => {
      expect(gradcheck(sample.f, sample.inputs, opts)).toBe(true);
    });

    it('second-order gradcheck (float64): the gradient is differentiable and right', () => {
      // h(x) = ⟨∇⟨f(x), w⟩, v⟩: its gradient is the Hessian–vector product, checked by central differences.
      const h = (...xs: Tensor[]): Tensor => {
        const y = sample.f(...xs);
        const gs = gradients(sum(mul(y, weights(y))), xs, { createGraph: true });
        return gs.map((g, i) => sum(mul(g, weights(g, i + 1)))).reduce((a, b) => a.add(b));
      };
      expect(gradcheck(h, sample.inputs, { ...opts, atol: 1e-4, rtol: 1e-3 })).toBe(true);
    });

    for (const dtype of ['float64', 'float32'] as const) {
      it(`fast kernels agree with the reference kernels (${dtype})`, () => {
        const fast = run(sample, dtype);
        const prev = setKernels(referenceKernels);
        let ref: ReturnType<typeof run>;
        try {
          ref = run(sample, dtype);
        } finally {
          setKernels(prev);
        }
        const tol = dtype === 'float64' ? 1e-12 : 1e-5;
        expectNear(fast.y, ref.y, tol, 'output');
        fast.grads.forEach((g, i) => expectNear(g, ref.grads[i]!, tol, `gradient ${i}`));
      });
    }

    it('float32 agrees with float64 and stays float32', () => {
      const f64 = run(sample),
        f32 = run(sample, 'float32');
      const tol = op.f32tol ?? 2e-4;
      expect(f32.y.dtype).toBe(sample.eps ? 'float64' : 'float32');
      expectNear(f32.y.to('float64'), f64.y, tol, 'output');
      f32.grads.forEach((g, i) => {
        expect(g.dtype).toBe('float32');
        expectNear(g.to('float64'), f64.grads[i]!, tol, `gradient ${i}`);
      });
    });

    if (sample.method) {
      const method = sample.method;
      it('the method gives what the free function gives', () => {
        const a = sample.f(...leaves(sample)),
          b = method(...leaves(sample));
        expectNear(a, b, 0, 'method vs function');
        expect(b.op).toBe(a.op);
      });
    }
  });

  it('a bad dim, shape or argument is an error naming the op', () => {
    expect(op.bad).toThrow(new RegExp(`^${op.errorName ?? op.name}: `));
  });
});

describe('the op table covers every differentiable export', () => {
  const listed = new Set(OP_TABLE.map((o) => o.name));

  it('every function exported by @xent/core or @xent/core/extend is a row or declared not an op', () => {
    const missing = [...Object.entries(core), ...Object.entries(extend)]
      .filter(([, v]) => typeof v === 'function')
      .map(([k]) => k)
      .filter((k) => !listed.has(k) && !(k in NOT_OPS));
    expect(missing, 'exports with no row in test/core/op-table.ts').toEqual([]);
  });

  it('every row names an export of its entry, and no export is both a row and not an op', () => {
    for (const o of OP_TABLE) {
      const entry: Record<string, unknown> = o.extend ? extend : core;
      expect(typeof entry[o.name], o.name).toBe('function');
      expect(o.name in NOT_OPS, o.name).toBe(false);
      expect(o.samples.length, o.name).toBeGreaterThan(0);
    }
  });

  it('the declared non-ops are exports, and they record no node', () => {
    const all: Record<string, unknown> = { ...core, ...extend };
    for (const name of Object.keys(NOT_OPS)) expect(all[name], name).toBeDefined();
    const x = core.tensor([1, -2, 3], { requiresGrad: true });
    for (const f of [core.sign, core.eq, core.gt, core.argmax, core.argmin] as ((a: Tensor, b?: number) => Tensor)[])
      expect(f(x, 0).requiresGrad).toBe(false);
  });
});
