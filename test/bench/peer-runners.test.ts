import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { spiralFixture } from '../../bench/lib/data.js';
import { type RunResult, smokeWorkloads } from '../../bench/lib/workloads.js';

// The peers' runners as `pnpm bench` starts them: each (runner, workload) pair in a process of its
// own, with the workload as JSON on the command line and the result as the last line of stdout.
// Each tensor workload once at its tiny smoke size, so that a runner broken by an upgrade (or a
// protocol change) fails here instead of silently becoming a "failed" cell in the next table.
// Not a measurement (speed is measured only by `pnpm bench`).

const run = promisify(execFile);
const benchDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bench');
const node = (file: string, ...flags: string[]): string[] => [
  process.execPath,
  '--conditions=source',
  '--import',
  'tsx',
  path.join(benchDir, 'runners', file),
  ...flags,
];

/** A python3 with torch, as bench/run.ts looks for it (never installed by the tests). */
function torchPython(): string | null {
  for (const py of ['python3', '/usr/bin/python3'])
    if (spawnSync(py, ['-c', 'import torch'], { encoding: 'utf8' }).status === 0) return py;
  return null;
}
const py = torchPython();

const runners: [string, string[]][] = [
  ['xent-wasm', node('xent.ts', '--dtype', 'float32', '--backend', 'wasm')], // the same protocol, and the accuracy the peers must match
  ['tfjs-wasm', node('tfjs.ts', '--backend', 'wasm')],
  ['jax-js-eager', node('jax.ts', '--mode', 'eager')],
  ['jax-js-jit', node('jax.ts', '--mode', 'jit')],
  ['js-pytorch', node('js-pytorch.ts')],
  ...(py ? [['pytorch', [py, path.join(benchDir, 'runners', 'pytorch.py')]] as [string, string[]]] : []),
];

const tensorWorkloads = smokeWorkloads().filter((w) => !w.id.startsWith('w4'));
const dir = mkdtempSync(path.join(os.tmpdir(), 'xent-bench-smoke-'));
const fixture = path.join(dir, 'spiral.json');
writeFileSync(fixture, JSON.stringify(spiralFixture(tensorWorkloads.find((w) => w.id === 'w5-spiral')!.params)));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const accuracies = new Map<string, number>();

describe('bench runners (xent and the peers): each tensor workload once at a tiny size, in a process of its own', () => {
  it('covers W1, W2, W3 and W5', () => {
    expect(tensorWorkloads.map((w) => w.id).sort()).toEqual(['w1-matmul', 'w2-xent', 'w3-mlp', 'w5-spiral']);
  });

  for (const [name, cmd] of runners) {
    for (const wl of tensorWorkloads) {
      it(`${name} ${wl.id}`, async () => {
        const { stdout } = await run(
          cmd[0]!,
          [...cmd.slice(1), '--workload', JSON.stringify(wl), '--skipAfterMs', '60000', '--fixture', fixture],
          {
            cwd: benchDir,
            timeout: 60_000,
            maxBuffer: 16 << 20,
            env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '3' },
          },
        );
        const r = JSON.parse(stdout.trim().split('\n').pop()!) as RunResult;
        expect(r.note ?? '', `${name} ${wl.id}`).not.toMatch(/failed|skipped/);
        expect(r).toMatchObject({ key: wl.key, runner: name, ok: true });
        expect(r.times).toHaveLength(1);
        expect(r.median).toBeGreaterThan(0);
        expect(r.peakMB).toBeGreaterThan(0);
        if (wl.id === 'w1-matmul') expect(r.gflops).toBeGreaterThan(0);
        if (wl.id === 'w5-spiral') {
          expect(r.accuracy).toBeGreaterThanOrEqual(0);
          expect(r.accuracy).toBeLessThanOrEqual(1);
          accuracies.set(name, r.accuracy!);
        }
      });
    }
  }

  it('W5: every runner, trained from the same data and initial weights, reaches the same accuracy', () => {
    expect(accuracies.size).toBe(runners.length);
    const values = [...accuracies.values()];
    // 30 points, barely trained: one point is 3.3%. float32 sums in different orders (the wasm GEMM adds
    // in float32 lanes, the TS kernel in float64, the peers each their own way) may flip two borderline
    // points at this size; the full-size W5 in `pnpm bench` compares the accuracies reached.
    expect(
      Math.max(...values) - Math.min(...values),
      JSON.stringify(Object.fromEntries(accuracies)),
    ).toBeLessThanOrEqual(0.067);
  });
});
