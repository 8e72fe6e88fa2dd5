import * as core from '@xent/core';
import * as extend from '@xent/core/extend';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/* The main entry holds what users call; engine and kernel internals live on `@xent/core/extend`. */
const internals = ['record', 'topoSort', 'runBackward', 'sumTo', 'kernels', 'setKernels', 'referenceKernels'];

describe('public surface', () => {
  it('the main entry exports no engine or kernel internals', () => {
    for (const name of [...internals, 'fastKernels', 'asTensor', 'alloc', 'var'])
      expect(Object.keys(core), name).not.toContain(name);
  });

  it('@xent/core/extend exports them', () => {
    for (const name of internals) expect((extend as Record<string, unknown>)[name], name).toBeDefined();
    expect(extend.kernels()).toBeTypeOf('object');
  });

  it('the package exports map names both entries with the source condition', () => {
    const pkg = JSON.parse(readFileSync(resolve(__dirname, '../../packages/core/package.json'), 'utf8'));
    expect(pkg.exports['.'].source).toBe('./src/index.ts');
    expect(pkg.exports['./extend']).toEqual({
      source: './src/extend.ts',
      types: './dist/extend.d.ts',
      import: './dist/extend.js',
    });
  });

  it('setKernels on the extend entry changes what the main entry computes (one shared module state)', () => {
    const prev = extend.setKernels({
      unary: (op, x, out) => {
        extend.referenceKernels.unary(op, x, out);
        out.fill(42);
      },
    });
    try {
      expect(core.exp(core.tensor([0])).item()).toBe(42);
    } finally {
      extend.setKernels(prev);
    }
    expect(core.exp(core.tensor([0])).item()).toBe(1);
  });
});
