// Takes the README's screenshot of the playground: builds it, serves it, trains the default spiral
// for a few seconds in Debian's chromium (playwright-core, no browser download), inspects a point.
//
//   node --conditions=source --import tsx examples/playground/screenshot.ts [out.png]
//
// Default output: docs/images/playground.png.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from '../../test/chromium.js';
import { buildPlayground, serveDir } from './serve.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const out = resolve(process.argv[2] ?? join(root, 'docs/images/playground.png'));
const dir = mkdtempSync(join(tmpdir(), 'xent-shot-'));
await buildPlayground(dir);
const { server, url } = await serveDir(dir, 0);
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
  await page.goto(url);
  await page.waitForFunction(
    () => (window as unknown as { xentPlayground?: { frame: unknown } }).xentPlayground?.frame != null,
  );
  await page.click('#play');
  await page.waitForFunction(() => Number(document.getElementById('test-acc')!.dataset.value) > 0.95, null, {
    timeout: 30_000,
  });
  await page.waitForTimeout(1500);
  // Inspect the test point the model is least sure about (read off the decision-region grid): it shows the most telling
  // bars.
  const target = await page.evaluate(() => {
    type Pg = {
      data: { test: { x: number[]; y: number[] } };
      frame: { grid: { size: number; classes: number; probs: number[] } };
    };
    const { data, frame } = (window as unknown as { xentPlayground: Pg }).xentPlayground;
    const { size, classes, probs } = frame.grid;
    type Split = { x: number[]; y: number[] };
    const all = [...(data as unknown as { train: Split }).train.x, ...data.test.x];
    let best = 0,
      bestP = Infinity;
    for (let i = 0; i < data.test.y.length; i++) {
      const [x, y] = [data.test.x[2 * i]!, data.test.x[2 * i + 1]!];
      // Only points with no neighbour within 10 px (0.05 units), so that the click lands on them.
      // (No helper functions in here: tsx would wrap them in a __name() the page does not have.)
      let near = 0;
      for (let j = 0; j < all.length; j += 2) if (Math.hypot(all[j]! - x, all[j + 1]! - y) < 0.05) near++;
      if (near > 1) continue;
      const c = Math.min(size - 1, Math.floor(((x + 1.2) / 2.4) * size)),
        r = Math.min(size - 1, Math.floor(((1.2 - y) / 2.4) * size));
      const p = probs[(r * size + c) * classes + data.test.y[i]!]!;
      if (p < bestP) {
        bestP = p;
        best = i;
      }
    }
    return (data as unknown as { train: Split }).train.y.length + best;
  });
  const [cx, cy] = await page.evaluate(
    (i) =>
      (
        window as unknown as { xentPlayground: { pointClient(i: number): [number, number] } }
      ).xentPlayground.pointClient(i),
    target,
  );
  await page.mouse.click(cx, cy);
  await page.waitForTimeout(800);
  mkdirSync(dirname(out), { recursive: true });
  await page.screenshot({ path: out });
  console.log(`wrote ${out}`);
} finally {
  await browser.close();
  server.close();
  rmSync(dir, { recursive: true, force: true });
}
