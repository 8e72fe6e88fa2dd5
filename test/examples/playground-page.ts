// Shared by the playground's browser tests (not a test file itself): builds the page once per file into a temporary
// folder, serves it on a free port, and opens pages in Debian's chromium (playwright-core, never a browser download).
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { buildPlayground, serveDir } from '../../examples/playground/serve.js';
import { launchChromium } from '../chromium.js';

/** A built and served playground with one browser. */
export interface Served {
  browser: Browser;
  url: string;
  outDir: string;
  close(): Promise<void>;
}

/** Builds the playground, serves it and starts the browser. @example const s = await servePlayground(); */
export async function servePlayground(): Promise<Served> {
  const outDir = mkdtempSync(join(tmpdir(), 'xent-playground-'));
  await buildPlayground(outDir);
  const { server, url }: { server: Server; url: string } = await serveDir(outDir, 0);
  const browser = await launchChromium();
  return {
    browser,
    url,
    outDir,
    async close() {
      await browser.close();
      await new Promise((ok) => server.close(ok));
      rmSync(outDir, { recursive: true, force: true });
    },
  };
}

/** Console errors and uncaught exceptions of a page, collected as they come. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

/** The number an `<output>` (or any element) carries in data-value. */
export const num = (page: Page, id: string): Promise<number> =>
  page.$eval(`#${id}`, (el) => Number((el as HTMLElement).dataset.value));

/** Waits for the trainer's first frame. */
export async function firstFrame(page: Page): Promise<void> {
  await page.waitForFunction(
    () => (window as unknown as { xentPlayground?: { frame: unknown } }).xentPlayground?.frame != null,
    null,
    { timeout: 15_000 },
  );
}

/** Clicks data point `index` (train first, then test) on the map, wherever the map is drawn. */
export async function clickPoint(page: Page, index: number): Promise<void> {
  const [x, y] = await page.evaluate(
    (i) =>
      (
        window as unknown as { xentPlayground: { pointClient(i: number): [number, number] } }
      ).xentPlayground.pointClient(i),
    index,
  );
  await page.mouse.click(x, y);
}
