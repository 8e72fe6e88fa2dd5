import { afterEach, describe, expect, it, vi } from 'vitest';
import { smokeWorkloads } from '../../bench/lib/workloads.js';
import { prepare } from '../../bench/runners/tfjs.js';

// TensorFlow.js's cpu backend prints an "install our node backend" banner on first use in Node; the
// runner silences it, so that neither `pnpm bench` nor the test output carries it. (A file of its
// own: the banner comes once per process, at the backend's first tensor.)
afterEach(() => vi.restoreAllMocks());

describe('bench tfjs runner', () => {
  it('prints no TensorFlow.js banner on its first tensor', async () => {
    const warn = vi.spyOn(console, 'warn');
    const log = vi.spyOn(console, 'log');
    const wl = smokeWorkloads().find((w) => w.id === 'w1-matmul')!;
    const prep = await prepare(wl, { backend: 'cpu' });
    if (typeof prep === 'string') throw new Error(prep);
    prep.run();
    const printed = [...warn.mock.calls, ...log.mock.calls].flat().join('\n');
    expect(printed).not.toMatch(/TensorFlow\.js in Node\.js/);
  });
});
