/*
 * Cold start: a fresh Node process imports @xent/core as a user's bundle (esbuild, one ESM file, no tsx) and runs
 * its first 256×256 float32 matmul; the time from before the import to after the product, median of n processes,
 * for each backend (the wasm one decodes, compiles and instantiates its module in there).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import { median } from './measure.js';

const here = path.dirname(fileURLToPath(import.meta.url));

export interface ColdStart {
  median: number;
  min: number;
  max: number;
}

export function measureColdStart(n: number): Record<'wasm' | 'ts', ColdStart> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'xent-cold-'));
  try {
    buildSync({
      entryPoints: [path.join(here, '../../packages/core/src/index.ts')],
      bundle: true,
      format: 'esm',
      platform: 'neutral',
      outfile: path.join(dir, 'xent.mjs'),
      logLevel: 'silent',
    });
    const driver = path.join(dir, 'driver.mjs');
    writeFileSync(
      driver,
      `const t0 = performance.now();
const X = await import('./xent.mjs');
if (process.argv[2] === 'ts') X.setBackend('ts');
const a = X.ones([256, 256], { dtype: 'float32' }), b = X.ones([256, 256], { dtype: 'float32' });
const c = X.mm(a, b);
const dt = performance.now() - t0;
if (c.data[0] !== 256 || X.getBackend() !== process.argv[2]) throw new Error('cold start: wrong result or backend');
console.log(dt);
`,
    );
    const out = {} as Record<'wasm' | 'ts', ColdStart>;
    for (const backend of ['wasm', 'ts'] as const) {
      const times: number[] = [];
      for (let i = 0; i < n; i++) {
        const r = spawnSync(process.execPath, [driver, backend], { encoding: 'utf8' });
        if (r.status !== 0) throw new Error(`cold start (${backend}) failed: ${r.stderr}`);
        times.push(Number(r.stdout.trim()));
      }
      out[backend] = { median: median(times), min: Math.min(...times), max: Math.max(...times) };
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
