// The teaching features of issue 13 in Chromium: the backprop stepper, the network diagram, engineered features,
// regularisation and the map's toggles, and the derivation page.
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Frame } from '../../examples/playground/src/protocol.js';
import type { State } from '../../examples/playground/src/state.js';
import { haveChromium } from '../chromium.js';
import { type Served, clickPoint, firstFrame, servePlayground, watchErrors } from './playground-page.js';

type Pg = { xentPlayground: { frame: Frame; state: State } };
const frameOf = (page: Page): Promise<Frame> => page.evaluate(() => (window as unknown as Pg).xentPlayground.frame);

describe.skipIf(!haveChromium)('playground teaching features in Chromium', () => {
  let s: Served;
  beforeAll(async () => {
    s = await servePlayground();
  });
  afterAll(() => s?.close());

  it('the backprop stepper walks a 2-layer network forward, then backward to backward()’s parameter gradients', async () => {
    const page = await s.browser.newPage({ viewport: { width: 1440, height: 900 } });
    const errors = watchErrors(page);
    await page.goto(`${s.url}#hidden=5,4&k=3`);
    await firstFrame(page);
    await clickPoint(page, 7);
    await page.waitForFunction(() => document.getElementById('inspector')!.dataset.index === '7');
    const pMinusY = await page.$$eval('#inspector tr[data-class] .grad', (tds) =>
      tds.map((td) => Number((td as HTMLElement).dataset.value)),
    );
    await page.click('[data-action=graph]');
    await page.waitForSelector('#graph-overlay:not([hidden]) #stepper [data-step=next]');
    const phase = (): Promise<string> => page.$eval('#stepper', (el) => (el as HTMLElement).dataset.phase!);
    expect(await phase()).toBe('start');
    const seen: string[] = [];
    let backward = 0;
    for (let i = 0; i < 100 && (await phase()) !== 'done'; i++) {
      await page.click('#stepper [data-step=next]');
      const now = await phase();
      // Every step highlights its node in the picture.
      if (now !== 'done') expect(await page.$$eval('#graph-svg .current', (els) => els.length)).toBeGreaterThan(0);
      if (now === 'backward') {
        backward++;
        const title = await page.$eval('#stepper .step-title', (el) => el.textContent ?? '');
        const rule = await page.$eval('#stepper .rule', (el) => el.textContent ?? '');
        seen.push(`${title} | ${rule}`);
        if (title.includes('crossEntropy')) {
          // The loss's own step: softmax + CE, the rule p − y, g = 1 coming in, p − y going out to the logits.
          expect(title).toContain('crossEntropy');
          expect(rule).toContain('p − y');
          expect(JSON.parse(await page.$eval('#stepper .grad-in', (el) => (el as HTMLElement).dataset.value!))).toEqual(
            [1],
          );
          const out = await page.$eval('#stepper .outs li', (el) => el.textContent ?? '');
          expect(out).toContain('∂loss/∂logits');
          pMinusY.forEach((g) => expect(out).toContain(g.toFixed(3)));
        }
      } else if (now === 'forward')
        expect(await page.$eval('#stepper .step-title', (el) => el.textContent)).toContain('forward');
    }
    expect(await phase()).toBe('done');
    // The loss (crossEntropy, and its reduction where the op records one apart), two tanh and three linear layers.
    expect(seen.filter((x) => x.includes('crossEntropy'))).toHaveLength(1);
    expect(backward).toBe(6 + seen.filter((x) => x.includes('backward through mean')).length);
    expect(seen.filter((x) => x.includes('backward through linear'))).toHaveLength(3);
    expect(seen.some((x) => x.includes('tanh') && x.includes('1 − out²'))).toBe(true);
    const params = await page.$$eval('#step-params tr[data-name]', (trs) =>
      trs.map((tr) => ({
        name: (tr as HTMLElement).dataset.name!,
        stepper: JSON.parse((tr as HTMLElement).dataset.stepper!) as number[],
        backward: JSON.parse((tr as HTMLElement).dataset.backward!) as number[],
      })),
    );
    expect(params.map((p) => p.name)).toEqual(['0.weight', '0.bias', '2.weight', '2.bias', '4.weight', '4.bias']);
    expect(params.map((p) => p.stepper.length)).toEqual([10, 5, 20, 4, 12, 3]);
    for (const p of params) p.stepper.forEach((v, j) => expect(v).toBeCloseTo(p.backward[j]!, 12));
    // And back: one step back leaves the end, ⏮ returns to the start.
    await page.click('#stepper [data-step=back]');
    expect(await phase()).toBe('backward');
    await page.click('#stepper [data-step=start]');
    expect(await phase()).toBe('start');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('network diagram: one map per neuron, a link per weight; a click on a link sets that weight', async () => {
    const page = await s.browser.newPage({ viewport: { width: 1440, height: 900 } });
    const errors = watchErrors(page);
    await page.goto(`${s.url}#hidden=4,3`);
    await firstFrame(page);
    const f = await frameOf(page);
    expect(f.network.layers.map((l) => l.units)).toEqual([2, 4, 3, 3]);
    expect(f.network.layers[1]!.maps.length).toBe(4 * f.network.size ** 2);
    type L = { layer: number; out: number; in: number; w: number; cx: number; cy: number };
    const links = await page.evaluate(() =>
      (window as unknown as { xentPlayground: { links(): L[] } }).xentPlayground.links(),
    );
    expect(links).toHaveLength(2 * 4 + 4 * 3 + 3 * 3);
    const target = links.find((l) => l.layer === 1 && l.out === 0 && l.in === 0)!;
    await page.mouse.click(target.cx, target.cy);
    const editor = page.locator('.weight-editor input');
    await editor.waitFor();
    const which = await editor.evaluate((el) => ({ ...(el as HTMLElement).dataset }));
    await editor.fill('2.5');
    await editor.press('Enter');
    await page.waitForFunction((w) => {
      const fr = (window as unknown as Pg).xentPlayground.frame;
      const W = fr.network.weights[Number(w.layer)]!;
      return W.w[Number(w.out) * W.in + Number(w.in)] === 2.5;
    }, which);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('engineered features, L1/L2, show test data and discretize output: in the model, the map and the URL', async () => {
    const page = await s.browser.newPage({ viewport: { width: 1440, height: 900 } });
    const errors = watchErrors(page);
    await page.goto(`${s.url}#data=circles&n=20`); // few points: the map's own colours dominate
    await firstFrame(page);
    await page.check('#features input[value="x2"]');
    await page.check('#features input[value="y2"]');
    await page.waitForFunction(() => (window as unknown as Pg).xentPlayground.frame.network.layers[0]!.units === 4);
    expect(await page.$eval('#architecture', (el) => el.textContent)).toMatch(/^4 → 16 → 16 → 2/);
    await page.selectOption('#reg', 'l2');
    await page.selectOption('#reg-rate', '0.01');
    expect(await page.evaluate(() => location.hash)).toMatch(/feat=x,y,x2,y2&reg=l2&rr=0.01/);
    // Colours on the map, sampled on a lattice inside the picture away from the points: with "discretize output"
    // only the two classes' colours are left.
    const colours = (): Promise<number> =>
      page.evaluate(() => {
        const pg = (window as unknown as { xentPlayground: { pointClient(i: number): [number, number] } })
          .xentPlayground;
        const cv = document.getElementById('regions') as HTMLCanvasElement,
          r = cv.getBoundingClientRect(),
          k = cv.width / r.width;
        const pts = Array.from({ length: 20 }, (_, i) => pg.pointClient(i));
        const side = Math.min(r.width - 38, r.height - 28);
        const ctx = cv.getContext('2d')!;
        const set = new Set<string>();
        for (let i = 1; i < 40; i++)
          for (let j = 1; j < 40; j++) {
            const x = r.left + 30 + (i * side) / 40,
              y = r.top + 8 + (j * side) / 40;
            if (pts.some(([px, py]) => Math.hypot(px - x, py - y) < 12)) continue;
            const d = ctx.getImageData(Math.round((x - r.left) * k), Math.round((y - r.top) * k), 1, 1).data;
            set.add(`${d[0]},${d[1]},${d[2]}`);
          }
        return set.size;
      });
    await page.click('#play');
    await page.waitForFunction(() => Number(document.getElementById('steps')!.dataset.value) > 40);
    await page.click('#play');
    await page.waitForTimeout(300);
    expect(await colours()).toBeGreaterThan(20);
    await page.check('#discretize');
    await page.waitForTimeout(300);
    // Two classes, each also under the faint axes through the origin (and where they cross).
    expect(await colours()).toBeLessThanOrEqual(6);
    // Test points off: the map has no test diamonds' dark edges at a test point.
    const atTest = async (): Promise<number[]> => {
      const [x, y] = await page.evaluate(() => {
        const pg = (
          window as unknown as {
            xentPlayground: { data: { train: { y: unknown[] } }; pointClient(i: number): [number, number] };
          }
        ).xentPlayground;
        return pg.pointClient(pg.data.train.y.length);
      });
      return page.$eval(
        '#regions',
        (c, [cx, cy]) => {
          const cv = c as HTMLCanvasElement,
            r = cv.getBoundingClientRect(),
            k = cv.width / r.width;
          return Array.from(
            cv.getContext('2d')!.getImageData(Math.round((cx! - r.left) * k), Math.round((cy! - r.top - 5.5) * k), 1, 1)
              .data,
          );
        },
        [x, y],
      );
    };
    const withTest = await atTest();
    await page.uncheck('#show-test');
    await page.waitForTimeout(300);
    expect(await atTest()).not.toEqual(withTest);
    const link = await page.evaluate(() => location.href);
    expect(link).toContain('showtest=0&disc=1');
    const other = await s.browser.newPage({ viewport: { width: 1440, height: 900 } });
    await other.goto(link);
    await firstFrame(other);
    expect(await other.evaluate(() => (window as unknown as Pg).xentPlayground.state)).toMatchObject({
      features: ['x', 'y', 'x2', 'y2'],
      reg: 'l2',
      regRate: 0.01,
      showTest: false,
      discretize: true,
    });
    expect(await other.$eval('#discretize', (el) => (el as HTMLInputElement).checked)).toBe(true);
    await other.close();
    expect(errors).toEqual([]);
    await page.close();
  });

  it('the derivation page computes every step with xent, live, from a link and from disk', async () => {
    const page = await s.browser.newPage({ viewport: { width: 1440, height: 900 } });
    const errors = watchErrors(page);
    await page.goto(s.url);
    await firstFrame(page);
    await page.click('#derive-link');
    await page.waitForSelector('#fused');
    const vec = (id: string): Promise<number[]> =>
      page.$eval(`#${id}`, (el) => JSON.parse((el as HTMLElement).dataset.value!) as number[]);
    const val = (id: string): Promise<number> =>
      page.$eval(`#${id}`, (el) => Number((el as HTMLElement).dataset.value));
    // Default: z = [2, 1, 0.1], y = 0. p and −log p_y worked out here, independently.
    const e = [2, 1, 0.1].map(Math.exp),
      Z = e[0]! + e[1]! + e[2]!;
    const p = e.map((v) => v / Z);
    (await vec('p')).forEach((v, i) => expect(v).toBeCloseTo(p[i]!, 12));
    expect(await val('nll')).toBeCloseTo(-Math.log(p[0]!), 12);
    expect(await val('loss')).toBeCloseTo(-Math.log(p[0]!), 12);
    (await vec('fused')).forEach((v, i) => expect(v).toBeCloseTo(p[i]! - (i === 0 ? 1 : 0), 12));
    (await vec('numeric')).forEach((v, i) => expect(v).toBeCloseTo(p[i]! - (i === 0 ? 1 : 0), 7));
    const J = (await vec('jacobian')) as unknown as number[][];
    J.forEach((r, i) => r.forEach((v, j) => expect(v).toBeCloseTo((i === j ? p[i]! : 0) - p[i]! * p[j]!, 12)));
    expect(await val('gradient-gap')).toBeLessThan(1e-8);
    expect(await val('hessian-gap')).toBeLessThan(1e-12);
    expect(await val('min-eigen')).toBeGreaterThan(-1e-12);
    // Live: a new logit, a new target, smoothing and a weight; the gradient is (Σt)·p − t.
    await page.fill('input[data-kind=z][data-c="2"]', '3');
    await page.press('input[data-kind=z][data-c="2"]', 'Enter');
    await page.check('input[data-kind=y][data-c="1"]');
    await page.fill('input[data-kind=w][data-c="1"]', '2');
    await page.press('input[data-kind=w][data-c="1"]', 'Enter');
    await page.locator('#smoothing').fill('0.2');
    await page.waitForFunction(() => location.hash.includes('ls=0.2'));
    const e2 = [2, 1, 3].map(Math.exp),
      Z2 = e2[0]! + e2[1]! + e2[2]!;
    const p2 = e2.map((v) => v / Z2);
    const w = [1, 2, 1],
      eps = 0.2;
    const t = w.map((wc, c) => ((1 - eps) * w[1]! * (c === 1 ? 1 : 0) + (eps / 3) * wc) / w[1]!);
    const st = t.reduce((a, b) => a + b, 0);
    (await vec('p')).forEach((v, i) => expect(v).toBeCloseTo(p2[i]!, 12));
    expect(await val('loss')).toBeCloseTo(-t.reduce((a, tc, c) => a + tc * Math.log(p2[c]!), 0), 12);
    (await vec('fused')).forEach((v, i) => expect(v).toBeCloseTo(st * p2[i]! - t[i]!, 12));
    (await vec('chain')).forEach((v, i) => expect(v).toBeCloseTo(st * p2[i]! - t[i]!, 10));
    expect(await val('hessian-gap')).toBeLessThan(1e-12);
    // A link keeps it, and the way back leads to the same playground set-up.
    const link = await page.evaluate(() => location.href);
    const other = await s.browser.newPage();
    await other.goto(link);
    await other.waitForSelector('#fused');
    expect(await other.$eval('#loss', (el) => Number((el as HTMLElement).dataset.value))).toBeCloseTo(
      await val('loss'),
      15,
    );
    await other.close();
    await page.click('#playground-link');
    await firstFrame(page);
    expect(await page.evaluate(() => location.hash)).toContain('data=spiral');
    // From disk, as the file:// build.
    const disk = await s.browser.newPage();
    await disk.goto(pathToFileURL(join(s.outDir, 'derive.html')).href);
    await disk.waitForSelector('#fused');
    expect(await disk.$eval('#nll', (el) => Number((el as HTMLElement).dataset.value))).toBeCloseTo(
      -Math.log(p[0]!),
      12,
    );
    await disk.close();
    expect(errors).toEqual([]);
    await page.close();
  });
});
