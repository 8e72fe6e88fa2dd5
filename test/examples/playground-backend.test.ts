// The playground trains on the WebAssembly kernels in its Web Worker (issue 10): the bundled worker's getBackend()
// is 'wasm' by default, `?kernels=ts` switches it to the TypeScript kernels, and the page-side fallback
// (`?worker=off`) runs wasm too. The trainer reports getBackend() where it runs, in every frame.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haveChromium } from '../chromium.js';
import { type Served, firstFrame, num, servePlayground, watchErrors } from './playground-page.js';

interface Where {
  mode: string;
  backend: string;
  shown: string | undefined;
}

describe.skipIf(!haveChromium)('the playground kernel backend in Chromium', () => {
  let s: Served;
  beforeAll(async () => {
    s = await servePlayground();
  });
  afterAll(() => s?.close());

  /** Opens the page with `query`, trains a few steps, and says where and on what the trainer ran. */
  async function open(query: string): Promise<Where> {
    const page: Page = await s.browser.newPage();
    const errors = watchErrors(page);
    try {
      await page.goto(`${s.url}${query}`);
      await firstFrame(page);
      for (let i = 0; i < 5; i++) await page.click('#step');
      await page.waitForFunction(() => Number(document.getElementById('steps')!.dataset.value) >= 5, null, {
        timeout: 10_000,
      });
      expect(await num(page, 'steps')).toBe(5);
      expect(errors).toEqual([]);
      return await page.evaluate(() => {
        const p = (window as unknown as { xentPlayground: { mode: string; frame: { backend: string } } })
          .xentPlayground;
        return {
          mode: p.mode,
          backend: p.frame.backend,
          shown: document.getElementById('steps-per-second')!.dataset.backend,
        };
      });
    } finally {
      await page.close();
    }
  }

  it("trains in its Web Worker on the wasm kernels by default, getBackend() === 'wasm' inside the worker", async () => {
    expect(await open('')).toEqual({ mode: 'worker', backend: 'wasm', shown: 'wasm' });
  });
  it('?kernels=ts trains in the worker on the TypeScript kernels', async () => {
    expect(await open('?kernels=ts')).toEqual({ mode: 'worker', backend: 'ts', shown: 'ts' });
  });
  it('the page-side fallback (?worker=off) trains on the wasm kernels too', async () => {
    expect(await open('?worker=off')).toEqual({ mode: 'page', backend: 'wasm', shown: 'wasm' });
  });
});
