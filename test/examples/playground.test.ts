// The playground in a real browser: Debian's chromium driven by playwright-core (never a browser
// download). One browser for every test here; the page is built once into a temporary folder and
// served on a free port.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { haveChromium, launchChromium } from '../chromium.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPlayground, serveDir } from '../../examples/playground/serve.js';
import type { PlaygroundData } from '../../examples/playground/src/data.js';
import type { State } from '../../examples/playground/src/state.js';

const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));
const title = haveChromium
  ? 'playground in Chromium'
  : 'playground in Chromium — SKIPPED: /usr/bin/chromium is not installed (apt-get install chromium; .ci/run installs it)';

interface Row {
  p: number;
  target: number;
  grad: number;
}

/** Console errors and uncaught exceptions of a page. */
function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

const num = (page: Page, id: string): Promise<number> =>
  page.$eval(`#${id}`, (el) => Number((el as HTMLElement).dataset.value));

async function inspectorRows(page: Page): Promise<Row[]> {
  return page.$$eval('#inspector tr[data-class]', (trs) =>
    trs.map((tr) => {
      const v = (sel: string): number => Number((tr.querySelector(sel) as HTMLElement).dataset.value);
      return { p: v('.p'), target: v('.target'), grad: v('.grad') };
    }),
  );
}

/** How far the training points' ∂loss/∂z_true lie from cross-entropy's line p − 1, at most. */
function pullOffLine(page: Page): Promise<number> {
  return page.evaluate(() => {
    const { points } = (
      window as unknown as { xentPlayground: { frame: { points: { p: Float32Array; grad: Float32Array } } } }
    ).xentPlayground.frame;
    let worst = 0;
    for (let i = 0; i < points.p.length; i++) worst = Math.max(worst, Math.abs(points.grad[i]! - (points.p[i]! - 1)));
    return worst;
  });
}

async function firstFrame(page: Page): Promise<void> {
  await page.waitForFunction(
    () => (window as unknown as { xentPlayground?: { frame: unknown } }).xentPlayground?.frame != null,
    null,
    { timeout: 15_000 },
  );
}

describe.skipIf(!haveChromium)(title, () => {
  let browser: Browser;
  let server: Server;
  let url: string;
  let outDir: string;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    outDir = mkdtempSync(join(tmpdir(), 'xent-playground-'));
    await buildPlayground(outDir);
    ({ server, url } = await serveDir(outDir, 0));
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    errors = watchErrors(page);
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((ok) => (server ? server.close(ok) : ok(undefined)));
    if (outDir) rmSync(outDir, { recursive: true, force: true });
  });

  it('loads with no console errors and trains in a Web Worker', async () => {
    await page.goto(url);
    await firstFrame(page);
    expect(
      await page.evaluate(() => (window as unknown as { xentPlayground: { mode: string } }).xentPlayground.mode),
    ).toBe('worker');
    expect(await page.$eval('#data', (el) => (el as HTMLSelectElement).value)).toBe('spiral');
    expect(await num(page, 'steps')).toBe(0);
    expect(await page.evaluate(() => location.hash)).toContain('data=spiral');
    expect(errors).toEqual([]);
  });

  it('play on the default spiral raises the test accuracy above 90 % within 20 s, at 30 steps/s or more', async () => {
    const t0 = Date.now();
    await page.click('#play');
    await page.waitForFunction(() => Number(document.getElementById('test-acc')!.dataset.value) > 0.9, null, {
      timeout: 20_000,
      polling: 100,
    });
    expect(Date.now() - t0).toBeLessThan(20_000);
    expect(await num(page, 'steps-per-second')).toBeGreaterThanOrEqual(30);
    expect(await num(page, 'steps')).toBeGreaterThan(0);
    expect(errors).toEqual([]);
  });

  it('clicking a point shows its logits, p, y, loss and p − y, live while training', async () => {
    const data = await page.evaluate(
      () => (window as unknown as { xentPlayground: { data: PlaygroundData } }).xentPlayground.data,
    );
    const [cx, cy] = await page.evaluate(() =>
      (
        window as unknown as { xentPlayground: { pointClient(i: number): [number, number] } }
      ).xentPlayground.pointClient(0),
    );
    await page.mouse.click(cx, cy);
    await page.waitForFunction(() => document.getElementById('inspector')!.dataset.index === '0');
    const rows = await inspectorRows(page);
    expect(rows).toHaveLength(3);
    expect(rows.reduce((s, r) => s + r.p, 0)).toBeCloseTo(1, 9);
    expect(rows.map((r) => r.target)).toEqual([0, 1, 2].map((c) => (c === data.train.y[0] ? 1 : 0)));
    for (const r of rows) expect(r.grad).toBeCloseTo(r.p - r.target, 9);
    expect(Number.isFinite(await num(page, 'inspect-loss'))).toBe(true);
    // Live: the numbers move while training goes on.
    await page.waitForFunction(
      (before) => {
        const el = document.querySelector('#inspector tr[data-class] .p') as HTMLElement | null;
        return el !== null && Number(el.dataset.value) !== before;
      },
      rows[0]!.p,
      { timeout: 10_000 },
    );
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'playground.png') });
    expect(existsSync(join(ARTIFACTS, 'playground.png'))).toBe(true);
  });

  it('switches the loss to MSE on softmax while training, and back', async () => {
    const stepsBefore = await num(page, 'steps');
    await page.click('label:has(input[value="mse-softmax"])');
    await page.waitForFunction(() => location.hash.includes('loss=mse-softmax'));
    expect(await page.$eval('#loss-note', (el) => el.textContent)).toContain('(p − y)²');
    // Training goes on, and the inspector's gradient is no longer p − y but runs through softmax's Jacobian.
    await page.waitForFunction((s) => Number(document.getElementById('steps')!.dataset.value) > s + 20, stepsBefore);
    await page.waitForFunction(() => {
      const trs = Array.from(document.querySelectorAll('#inspector tr[data-class]'));
      return trs.some((tr) => {
        const v = (sel: string): number => Number((tr.querySelector(sel) as HTMLElement).dataset.value);
        return Math.abs(v('.grad') - (v('.p') - v('.target'))) > 1e-6;
      });
    });
    // The per-point pull chart: off cross-entropy's line p − 1 now.
    expect(await pullOffLine(page)).toBeGreaterThan(0.01);
    const mse = await inspectorRows(page);
    const K = mse.length;
    mse.forEach((r, c) => {
      const want = mse.reduce((a, rj, j) => a + (2 / K) * (rj.p - rj.target) * rj.p * ((j === c ? 1 : 0) - r.p), 0);
      expect(r.grad).toBeCloseTo(want, 6);
    });

    await page.click('label:has(input[value="ce"])');
    await page.waitForFunction(() => location.hash.includes('loss=ce'));
    await page.waitForFunction(() => {
      const trs = Array.from(document.querySelectorAll('#inspector tr[data-class]'));
      return (
        trs.length > 0 &&
        trs.every((tr) => {
          const v = (sel: string): number => Number((tr.querySelector(sel) as HTMLElement).dataset.value);
          return Math.abs(v('.grad') - (v('.p') - v('.target'))) < 1e-9;
        })
      );
    });
    const steps = await num(page, 'steps');
    await page.waitForFunction((s) => Number(document.getElementById('steps')!.dataset.value) > s, steps);
    await page.waitForFunction(
      () => (window as unknown as { xentPlayground: { frame: { loss: string } } }).xentPlayground.frame.loss === 'ce',
    );
    expect(await pullOffLine(page)).toBeLessThan(1e-5);
    expect(errors).toEqual([]);
  });

  it('draws the computation graph of the inspected point’s loss, with the logits’ gradient p − y', async () => {
    await page.click('[data-action=graph]');
    await page.waitForSelector('#graph-overlay:not([hidden]) #graph-svg svg');
    expect(await page.$eval('#play', (b) => (b as HTMLElement).dataset.playing)).toBe('false');
    const graph = await page.$$eval('#graph-svg g.node', (gs) =>
      gs.map((g) => Array.from(g.querySelectorAll('text')).map((t) => t.textContent ?? '')),
    );
    const ops = await page.$$eval('#graph-svg g.op text', (ts) => ts.map((t) => t.textContent));
    expect(ops).toContain('crossEntropy');
    expect(graph.map((cells) => cells[0])).toEqual(
      expect.arrayContaining(['x', '0.weight', '0.bias', 'logits', 'loss']),
    );
    const logits = graph.find((cells) => cells[0] === 'logits')!;
    const shown = logits[logits.length - 1]!.replace(/^grad /, '')
      .split(' ')
      .map(Number);
    // Training is paused, so the inspector shows the same state: its p − y are the graph's logit gradients.
    await page.waitForTimeout(300);
    const rows = await inspectorRows(page);
    rows.forEach((r, c) => expect(shown[c]).toBeCloseTo(r.grad, 3));
    await page.click('#graph-close');
    expect(await page.$eval('#graph-overlay', (el) => (el as HTMLElement).hidden)).toBe(true);
    expect(errors).toEqual([]);
  });

  it('a shared URL restores the same set-up', async () => {
    // pause
    if ((await page.$eval('#play', (b) => (b as HTMLElement).dataset.playing)) === 'true') await page.click('#play');
    await page.selectOption('#data', 'moons');
    await page.click('#layers-plus');
    await page.selectOption('#activation', 'gelu');
    await page.selectOption('#optimizer', 'adam');
    await page.selectOption('#lr', '0.03');
    await page.locator('#seed').fill('7');
    await page.locator('#seed').dispatchEvent('change');
    await page.click('label:has(input[value="bce"])');
    const link = await page.evaluate(() => location.href);
    const setUp = await page.evaluate(
      () => (window as unknown as { xentPlayground: { state: State } }).xentPlayground.state,
    );
    expect(setUp).toMatchObject({
      data: 'moons',
      hidden: [16, 16, 16],
      activation: 'gelu',
      optimizer: 'adam',
      lr: 0.03,
      seed: 7,
      loss: 'bce',
    });

    const other = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const otherErrors = watchErrors(other);
    await other.goto(link);
    await firstFrame(other);
    const got = await other.evaluate(() => {
      const pg = (window as unknown as { xentPlayground: { state: State; data: PlaygroundData } }).xentPlayground;
      return { state: pg.state, train: Array.from(pg.data.train.x), test: Array.from(pg.data.test.x) };
    });
    expect(got.state).toEqual(setUp);
    const here = await page.evaluate(() => {
      const pg = (window as unknown as { xentPlayground: { data: PlaygroundData } }).xentPlayground;
      return { train: Array.from(pg.data.train.x), test: Array.from(pg.data.test.x) };
    });
    expect(got.train).toEqual(here.train);
    expect(got.test).toEqual(here.test);
    expect(await other.$eval('#data', (el) => (el as HTMLSelectElement).value)).toBe('moons');
    expect(await other.$eval('#layers', (el) => el.textContent)).toBe('3');
    expect(await other.$eval('input[value="bce"]', (el) => (el as HTMLInputElement).checked)).toBe(true);
    expect(otherErrors).toEqual([]);
    await other.close();
  });

  it('a link pasted into the open page (only the hash changes) applies, is written back in canonical form, and leaving two classes under BCE says so', async () => {
    await page.evaluate(() => {
      location.hash = '#data=xor&loss=bce&opt=sgd&lr=abc&hidden=5';
    });
    await page.waitForFunction(
      () => (window as unknown as { xentPlayground: { state: State } }).xentPlayground.state.data === 'xor',
    );
    const st = await page.evaluate(
      () => (window as unknown as { xentPlayground: { state: State } }).xentPlayground.state,
    );
    expect(st).toMatchObject({ data: 'xor', loss: 'bce', optimizer: 'sgd', lr: 0.1, hidden: [5] });
    // The bad lr is gone from the address: it now says what the page runs.
    const hash = await page.evaluate(() => location.hash);
    expect(hash).toContain('lr=0.1&');
    expect(hash).toContain('speed=');
    expect(await page.$eval('#optimizer', (el) => (el as HTMLSelectElement).value)).toBe('sgd');
    expect(await page.$eval('input[value="bce"]', (el) => (el as HTMLInputElement).checked)).toBe(true);
    await page.waitForFunction(
      () =>
        (window as unknown as { xentPlayground: { frame: { outputs: number } } }).xentPlayground.frame.outputs === 1,
    );

    // Three classes: binary cross-entropy no longer applies, and the page says what it did.
    await page.selectOption('#data', 'spiral');
    expect(await page.$eval('input[value="ce"]', (el) => (el as HTMLInputElement).checked)).toBe(true);
    expect(await page.$eval('input[value="bce"]', (el) => (el as HTMLInputElement).disabled)).toBe(true);
    expect(await page.$eval('#status', (el) => el.textContent)).toContain(
      'Binary cross-entropy needs exactly two classes',
    );
    // Seen wherever the page is scrolled: inside the window even when the window is short.
    await page.setViewportSize({ width: 1400, height: 500 });
    await page.evaluate(() => window.scrollTo(0, 0));
    expect(
      await page.$eval('#status', (el) => {
        const r = el.getBoundingClientRect();
        return r.height > 0 && r.top >= 0 && r.bottom <= innerHeight;
      }),
    ).toBe(true);
    await page.setViewportSize({ width: 1400, height: 1000 });

    // Copy link where there is no clipboard (plain http from another machine): the link is shown to copy by hand.
    await page.evaluate(() =>
      Object.defineProperty(Navigator.prototype, 'clipboard', { get: () => undefined, configurable: true }),
    );
    await page.click('#share');
    const href = await page.evaluate(() => location.href);
    expect(await page.$eval('#status', (el) => el.textContent)).toContain(href);
    await page.waitForFunction(
      () =>
        (window as unknown as { xentPlayground: { frame: { outputs: number } } }).xentPlayground.frame.outputs === 3,
    );
    expect(errors).toEqual([]);
  });

  it('on a narrow screen (a projector) each heading of the results stays on top of its own content', async () => {
    const narrow = await browser.newPage({ viewport: { width: 1024, height: 768 } });
    const narrowErrors = watchErrors(narrow);
    await narrow.goto(url);
    await firstFrame(narrow);
    const pairs = await narrow.$$eval('#results h2', (hs) =>
      hs.map((h) => {
        const a = h.getBoundingClientRect(),
          b = h.nextElementSibling!.getBoundingClientRect();
        return { heading: h.textContent, dx: Math.abs(a.left - b.left), gap: b.top - a.bottom };
      }),
    );
    expect(pairs.map((p) => p.heading)).toEqual(['Training', 'Inspector', 'How hard each training point pulls']);
    for (const p of pairs) {
      expect(p.dx).toBeLessThan(2);
      expect(p.gap).toBeGreaterThanOrEqual(0);
      expect(p.gap).toBeLessThan(30);
    }
    expect(narrowErrors).toEqual([]);
    await narrow.close();
  });

  it('without a worker (?worker=off) it trains on the page in time slices', async () => {
    const p = await browser.newPage();
    const pErrors = watchErrors(p);
    await p.goto(`${url}?worker=off#speed=fast`);
    await firstFrame(p);
    expect(
      await p.evaluate(() => (window as unknown as { xentPlayground: { mode: string } }).xentPlayground.mode),
    ).toBe('page');
    await p.click('#play');
    await p.waitForFunction(() => Number(document.getElementById('steps')!.dataset.value) > 100);
    // The page still answers between slices: a click on pause takes effect.
    await p.click('#play');
    await p.waitForTimeout(300);
    const a = await num(p, 'steps');
    await p.waitForTimeout(400);
    expect(await num(p, 'steps')).toBe(a);
    expect(pErrors).toEqual([]);
    await p.close();
  });

  it('the static build works opened from disk (file://)', async () => {
    const disk = await browser.newPage();
    const diskErrors = watchErrors(disk);
    await disk.goto(pathToFileURL(join(outDir, 'index.html')).href);
    await firstFrame(disk);
    await disk.click('#step');
    await disk.waitForFunction(() => Number(document.getElementById('steps')!.dataset.value) === 1);
    expect(
      await disk.evaluate(() => (window as unknown as { xentPlayground: { mode: string } }).xentPlayground.mode),
    ).toBe('worker');
    expect(diskErrors).toEqual([]);
    await disk.close();
  });
});
