// Defects 2, 4 and 5 of issue 13 in Chromium: the page from a phone to a projector, the graph view opening on the
// loss, and the charts' axes and loss segments.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haveChromium } from '../chromium.js';
import { type Served, clickPoint, firstFrame, servePlayground, watchErrors } from './playground-page.js';

/** Where an element sits against the window, and how wide the page is. */
function place(page: Page, sel: string): Promise<{ top: number; bottom: number; left: number; right: number }> {
  return page.$eval(sel, (el) => {
    const r = el.getBoundingClientRect();
    return { top: r.top, bottom: r.bottom, left: r.left, right: r.right };
  });
}
const pageWidth = (page: Page): Promise<{ scroll: number; inner: number }> =>
  page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: innerWidth }));

describe.skipIf(!haveChromium)('playground layouts, graph view and charts in Chromium', () => {
  let s: Served;
  beforeAll(async () => {
    s = await servePlayground();
  });
  afterAll(() => s?.close());

  for (const [w, h] of [
    [1024, 768],
    [1440, 900],
  ] as const) {
    it(`at ${w}×${h} the map, loss choice, curves and inspector are all in view without scrolling`, async () => {
      const page = await s.browser.newPage({ viewport: { width: w, height: h } });
      const errors = watchErrors(page);
      await page.goto(s.url);
      await firstFrame(page);
      await clickPoint(page, 0);
      await page.waitForFunction(() => document.getElementById('inspector')!.dataset.index === '0');
      expect((await pageWidth(page)).scroll).toBeLessThanOrEqual(w);
      // Signs in the inspector: teal above zero, brown below (as in toSvg), never a class colour, with a legend.
      const bars = await page.$$eval('#inspector td.grad', (tds) =>
        tds.map((td) => ({
          g: Number((td as HTMLElement).dataset.value),
          colour: getComputedStyle(td.querySelector('.bar i')!).backgroundColor,
        })),
      );
      for (const b of bars) expect(b.colour).toBe(b.g >= 0 ? 'rgb(1, 133, 113)' : 'rgb(166, 97, 26)');
      expect(await page.$eval('#inspector .sign-legend', (el) => el.textContent)).toMatch(/gradient:\s+< 0.*> 0/);
      for (const sel of ['#play', '#speed', '#regions', '#loss', '#loss-chart', '#acc-chart', '#inspector']) {
        const r = await place(page, sel);
        expect(r.top, sel).toBeGreaterThanOrEqual(0);
        expect(r.left, sel).toBeGreaterThanOrEqual(0);
        expect(r.bottom, sel).toBeLessThanOrEqual(h);
        expect(r.right, sel).toBeLessThanOrEqual(w);
      }
      if (w === 1440) for (const sel of ['#controls', '#network']) expect((await place(page, sel)).top).toBeLessThan(h);
      expect(errors).toEqual([]);
      await page.close();
    });
  }

  it('at 390×844 (a phone) nothing overflows sideways, the map fits the width, every panel is reachable', async () => {
    const page = await s.browser.newPage({ viewport: { width: 390, height: 844 } });
    const errors = watchErrors(page);
    await page.goto(s.url);
    await firstFrame(page);
    expect(await pageWidth(page)).toEqual({ scroll: 390, inner: 390 });
    const map = await place(page, '#regions');
    expect(map.right - map.left).toBeGreaterThan(300);
    expect(map.bottom).toBeLessThanOrEqual(844); // the map is in the first screen
    // The set-up starts folded on a phone and opens on a tap.
    expect(await page.$eval('#data-details', (d) => (d as HTMLDetailsElement).open)).toBe(false);
    await page.click('#data-details summary');
    expect(await page.$eval('#data-details', (d) => (d as HTMLDetailsElement).open)).toBe(true);
    for (const sel of [
      '#loss',
      '#regions',
      '#loss-chart',
      '#inspector',
      '#grad-chart',
      '#network',
      '#controls',
      '#data',
    ]) {
      await page.$eval(sel, (el) => el.scrollIntoView({ block: 'center' }));
      const r = await place(page, sel);
      expect(r.left, sel).toBeGreaterThanOrEqual(0);
      expect(r.right, sel).toBeLessThanOrEqual(390);
      expect(r.top, sel).toBeLessThan(844);
      expect(r.bottom, sel).toBeGreaterThan(0);
    }
    expect((await pageWidth(page)).scroll).toBe(390);
    await page.goto(`${s.url}derive.html`);
    await page.waitForSelector('#fused');
    expect((await pageWidth(page)).scroll).toBe(390);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('the graph view opens with the loss in view, every gradient shown, y drawn into crossEntropy', async () => {
    const page = await s.browser.newPage({ viewport: { width: 1024, height: 768 } });
    const errors = watchErrors(page);
    await page.goto(`${s.url}#hidden=16,16`);
    await firstFrame(page);
    await clickPoint(page, 3);
    await page.click('[data-action=graph]');
    await page.waitForSelector('#graph-overlay:not([hidden]) #graph-svg svg');
    const box = await place(page, '#graph-svg');
    const nodes = await page.$$eval('#graph-svg g.node', (gs) =>
      gs.map((g) => {
        const r = g.getBoundingClientRect();
        return {
          id: Number(g.getAttribute('data-node')),
          texts: Array.from(g.querySelectorAll('text'), (t) => t.textContent ?? ''),
          left: r.left,
          right: r.right,
          top: r.top,
          bottom: r.bottom,
        };
      }),
    );
    const loss = nodes.find((n) => n.texts[0] === 'loss')!;
    expect(loss.left).toBeGreaterThanOrEqual(box.left);
    expect(loss.right).toBeLessThanOrEqual(box.right);
    expect(loss.bottom).toBeLessThanOrEqual(box.bottom);
    const logits = nodes.find((n) => n.texts[0] === 'logits')!;
    expect(logits.right).toBeLessThanOrEqual(box.right);
    expect(nodes.flatMap((n) => n.texts)).not.toContain('grad —');
    expect(nodes.map((n) => n.texts[0])).toContain('y (one-hot)');
    // The caption has the sign legend, in the same two colours as the picture.
    expect(await page.$eval('#graph-caption', (el) => el.textContent)).toMatch(/< 0.*> 0/);
    expect(await page.$eval('#graph-svg g.legend', (el) => el.textContent)).toContain('> 0');
    await page.click('#graph-close');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('charts: an empty chart ticks 0 … 1, each loss segment is named, names stay inside the chart', async () => {
    const page = await s.browser.newPage({ viewport: { width: 1440, height: 900 } });
    const errors = watchErrors(page);
    await page.goto(`${s.url}#speed=fast`);
    await firstFrame(page);
    const ticks = JSON.parse(await page.$eval('#loss-chart', (c) => (c as HTMLElement).dataset.xticks!)) as number[];
    expect(ticks[0]).toBe(0);
    expect(ticks.at(-1)).toBe(1);
    expect(ticks.every((t) => t === 0 || t >= 0.1)).toBe(true);
    await page.click('#play');
    await page.waitForFunction(() => Number(document.getElementById('epoch')!.dataset.value) > 3);
    await page.click('label:has(input[value="mse-softmax"])');
    await page.waitForTimeout(1500);
    await page.click('#play');
    await page.waitForTimeout(300);
    expect(JSON.parse(await page.$eval('#loss-chart', (c) => (c as HTMLElement).dataset.segments!))).toEqual([
      'CE',
      'MSE(p)',
    ]);
    const width = await page.$eval('#loss-chart', (c) => c.clientWidth);
    const labels = JSON.parse(await page.$eval('#loss-chart', (c) => (c as HTMLElement).dataset.labels!)) as {
      left: number;
      right: number;
    }[];
    expect(labels).toHaveLength(2);
    for (const l of labels) {
      expect(l.left).toBeGreaterThanOrEqual(0);
      expect(l.right).toBeLessThanOrEqual(width);
    }
    expect(errors).toEqual([]);
    await page.close();
  });
});
