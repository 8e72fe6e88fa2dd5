// Measures the playground's training speed (steps/s) on the TypeScript and the WebAssembly kernels, in one run:
//   1. Node: the playground's Trainer (the class its Web Worker runs) with the default set-up (spiral, 3 classes,
//      2-16-16-3 tanh, batch 32, SGD with momentum), trainStep() in a loop, nothing drawn: the training loop alone.
//   2. Headless Chromium: the built playground itself at "as fast as it goes", training in its Web Worker with
//      `?kernels=ts` and `?kernels=wasm`, steps/s as the page shows it (frames of the map included).
// Rounds alternate between the backends so that a change in the machine's load hits both alike. Not a test: run it
//   node --conditions=source --import tsx examples/playground/measure-speed.ts [--seconds S] [--rounds R]
import { type Backend, getBackend, setBackend } from '@xent/core';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchChromium } from '../../test/chromium.js';
import { buildPlayground, serveDir } from './serve.js';
import { DEFAULTS } from './src/state.js';
import { Trainer } from './src/trainer.js';

const arg = (name: string, dflt: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const seconds = arg('seconds', 3),
  rounds = arg('rounds', 3);
const BACKENDS: Backend[] = ['ts', 'wasm'];
const median = (xs: number[]): number => xs.slice().sort((a, b) => a - b)[xs.length >> 1]!;

/** Steps/s of Trainer.trainStep() on `backend` over `seconds` (after a short warm-up). */
function nodeRate(backend: Backend): number {
  setBackend(backend);
  const trainer = new Trainer(() => {});
  trainer.handle({
    type: 'init',
    state: { ...DEFAULTS, hidden: [...DEFAULTS.hidden], features: [...DEFAULTS.features] },
  });
  for (let i = 0; i < 200; i++) trainer.trainStep();
  let steps = 0;
  const t0 = performance.now(),
    end = t0 + seconds * 1000;
  while (performance.now() < end) {
    for (let i = 0; i < 50; i++) trainer.trainStep();
    steps += 50;
  }
  return (steps * 1000) / (performance.now() - t0);
}

/** Steps/s the playground page shows while training at full speed in its Worker on `backend`. */
async function browserRates(): Promise<Record<Backend, number[]>> {
  const dir = mkdtempSync(join(tmpdir(), 'xent-playground-speed-'));
  await buildPlayground(dir);
  const { server, url } = await serveDir(dir, 0);
  const browser = await launchChromium();
  const out: Record<Backend, number[]> = { ts: [], wasm: [] };
  try {
    for (let r = 0; r < rounds; r++)
      for (const backend of BACKENDS) {
        const page = await browser.newPage();
        await page.goto(`${url}?kernels=${backend}`);
        await page.waitForFunction(
          () => (window as unknown as { xentPlayground?: { frame: unknown } }).xentPlayground?.frame != null,
        );
        const where = await page.evaluate(() => {
          const p = (window as unknown as { xentPlayground: { mode: string; frame: { backend: string } } })
            .xentPlayground;
          return { mode: p.mode, backend: p.frame.backend };
        });
        if (where.mode !== 'worker' || where.backend !== backend)
          throw new Error(`expected training in the worker on ${backend}, got ${JSON.stringify(where)}`);
        await page.selectOption('#speed', 'fast');
        await page.click('#play');
        await page.waitForTimeout(1500); // warm-up; the page's steps/s is over the last 2 s
        const s0 = Number(await page.$eval('#steps', (e) => (e as HTMLElement).dataset.value));
        const t0 = Date.now();
        await page.waitForTimeout(seconds * 1000);
        const s1 = Number(await page.$eval('#steps', (e) => (e as HTMLElement).dataset.value));
        out[backend].push(((s1 - s0) * 1000) / (Date.now() - t0));
        await page.close();
      }
  } finally {
    await browser.close();
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

const initial = getBackend();
const load = loadavg()[0]!.toFixed(2);
const node: Record<Backend, number[]> = { ts: [], wasm: [] };
for (let r = 0; r < rounds; r++) for (const b of BACKENDS) node[b].push(nodeRate(b));
setBackend(initial);
const browser = await browserRates();
const line = (what: string, x: Record<Backend, number[]>): string =>
  `${what}: ts ${median(x.ts).toFixed(0)} steps/s, wasm ${median(x.wasm).toFixed(0)} steps/s, ` +
  `wasm/ts ${(median(x.wasm) / median(x.ts)).toFixed(2)}× (medians of ${rounds} rounds of ${seconds} s; ` +
  `ts ${x.ts.map((v) => v.toFixed(0)).join('/')}, wasm ${x.wasm.map((v) => v.toFixed(0)).join('/')})`;
console.log(`playground default set-up (spiral, 2-16-16-3 tanh, batch 32, SGD momentum), 1-min load ${load} at start`);
console.log(line('Node, Trainer.trainStep() loop', node));
console.log(line('Chromium, the page at full speed, training in its Worker', browser));
