import { wasmBuild } from '@xent/core';
import { describe, expect, it } from 'vitest';
import { markdown } from '../../bench/lib/report.js';
import { measure } from '../../bench/lib/measure.js';
import { type RunResult, WORKLOADS, quickWorkloads, smokeWorkloads } from '../../bench/lib/workloads.js';
import { prepare as prepareTfjs } from '../../bench/runners/tfjs.js';
import { prepare as prepareXent, runnerName } from '../../bench/runners/xent.js';

// Each workload once at a tiny size, for xent (both dtypes) and tfjs-cpu: the benchmark code runs
// and its results are well formed. Not a measurement (speed is measured only by `pnpm bench`).
const smoke = smokeWorkloads();
const results: RunResult[] = [];

describe('bench smoke: every workload once at a tiny size', () => {
  it('covers every workload id of the full run, and the quick set is a subset of it', () => {
    expect(new Set(smoke.map((w) => w.id))).toEqual(new Set(WORKLOADS.map((w) => w.id)));
    for (const q of quickWorkloads()) expect(WORKLOADS.some((w) => w.id === q.id)).toBe(true);
    expect(WORKLOADS.filter((w) => w.id === 'w1-matmul').map((w) => w.params.n)).toEqual([64, 128, 256, 512, 1024]);
    expect(WORKLOADS.every((w) => w.reps >= 5)).toBe(true);
  });

  for (const flags of [
    { dtype: 'float32', backend: 'wasm' },
    { dtype: 'float64', backend: 'ts' },
  ]) {
    for (const wl of smoke) {
      it(`${runnerName(flags)} ${wl.id}`, async () => {
        const r = await measure(runnerName(flags), wl, await prepareXent(wl, flags), 60_000);
        results.push(r);
        expect(r.ok, r.note).toBe(true);
        expect(r.times).toHaveLength(1);
        expect(r.median).toBeGreaterThan(0);
        if (wl.id === 'w1-matmul') expect(r.gflops).toBeGreaterThan(0);
        if (wl.id === 'w5-spiral') expect(r.accuracy).toBeGreaterThanOrEqual(0);
      });
    }
  }

  it('warms up for at least warmupMs (W3) before the timed repetitions, and only then', async () => {
    const starts: number[] = [];
    const slow = {
      run: () => (starts.push(performance.now()), new Promise<number>((r) => setTimeout(() => r(1), 5))),
    };
    const base = { ...smoke[0]!, warmup: 1, reps: 1, minTimeMs: 0, maxReps: 1 };
    await measure('probe', { ...base, warmupMs: 0 }, slow, 60_000);
    expect(starts).toHaveLength(2); // one warm-up, one timed
    starts.length = 0;
    await measure('probe', { ...base, warmupMs: 60 }, slow, 60_000);
    // The timed run (the last) starts once 60 ms of warm-up have passed; runs take 5 ms or more, so at most 13 warm up.
    expect(starts.at(-1)! - starts[0]!).toBeGreaterThanOrEqual(59); // 60 from the warm-up clock, started just before
    expect(starts.length).toBeLessThanOrEqual(14);
    expect(WORKLOADS.filter((w) => w.id === 'w3-mlp').every((w) => w.warmupMs >= 1000)).toBe(true);
  });

  it('xent-wasm-fma refuses to measure the plain SIMD build (started without --experimental-wasm-relaxed-simd)', async () => {
    const flags = { dtype: 'float32', backend: 'wasm', fma: '1' };
    expect(runnerName(flags)).toBe('xent-wasm-fma');
    if (wasmBuild() === 'relaxed') return; // an engine that accepts relaxed SIMD by default: nothing to refuse
    await expect(prepareXent(smoke[0]!, flags)).rejects.toThrow(/^--fma: the relaxed-SIMD build does not load here/);
  });

  for (const wl of smoke.filter((w) => !w.id.startsWith('w4'))) {
    it(`tfjs-cpu ${wl.id}`, async () => {
      const prep = await prepareTfjs(wl, { backend: 'cpu' });
      expect(typeof prep).not.toBe('string');
      const r = await measure('tfjs-cpu', wl, prep as Exclude<typeof prep, string>, 60_000);
      results.push(r);
      expect(r.ok, r.note).toBe(true);
      expect(r.median).toBeGreaterThan(0);
    });
  }

  it('the report puts every result in the tables and states each target', () => {
    const doc = {
      date: new Date().toISOString(),
      mode: 'smoke',
      machine: { cpu: 'test', cores: 2, memoryGB: 1, platform: 'test', loadavgAtStart: [0, 0, 0] },
      versions: { node: process.version },
      workloads: smoke,
      results,
    };
    // Every run above reported (xent in two dtypes for each workload, tfjs-cpu for the tensor ones), so the table is
    // not empty.
    expect(results).toHaveLength(2 * smoke.length + smoke.filter((w) => !w.id.startsWith('w4')).length);
    const md = markdown(doc);
    for (const wl of smoke) {
      const row = md.split('\n').find((l) => l.startsWith(`| ${wl.label} | `));
      expect(row, wl.label).toBeDefined();
      expect(row!.split(' | ')[1], `${wl.label}: xent-wasm time cell`).toMatch(/^[0-9.e-]+ \[[0-9.e-]+–[0-9.e-]+\]/);
    }
    expect(md).toContain('vs tfjs-cpu');
    expect(md).toMatch(/\| W1 n=256: ≥ 1\.2× the GFLOP\/s of tfjs-wasm \| n\/a \| not measured \|/); // smoke sizes are not the targets' sizes
  });
});
