// setNumThreads in Chromium: in a Web Worker of a crossOriginIsolated page (COOP + COEP headers) the pool's own
// Workers (Blob URLs) share the wasm memory and a product is bit-identical to one thread's; on the page's main
// thread, where Atomics.wait is not allowed, setNumThreads refuses with an error saying to use a Worker.
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haveChromium, launchChromium } from '../../chromium.js';

const WORKER = `
importScripts('/xent.js');
(async () => {
  const gen = new X.Generator(7);
  const a = X.randn([300, 200], { dtype: 'float32', generator: gen }), b = X.randn([200, 400], { dtype: 'float32', generator: gen });
  const a64 = X.randn([256, 256], { generator: gen }), b64 = X.randn([256, 256], { generator: gen });
  const one = X.mm(a, b).data, one64 = X.mm(a64, b64).data;
  await X.setNumThreads(2);
  const two = X.mm(a, b).data, two64 = X.mm(a64, b64).data;
  const same = (x, y) => x.length === y.length && x.every((v, i) => Object.is(v, y[i]));
  postMessage({ isolated: self.crossOriginIsolated, threads: X.getNumThreads(), same: same(one, two) && same(one64, two64), finite: one.every(Number.isFinite) });
  await X.setNumThreads(1);
})().catch((e) => postMessage({ error: String(e && e.message || e) }));
`;

const PAGE = `<!doctype html><title>xent threads</title><script src="/xent.js"></script><script>
let mainThread;
try { X.setNumThreads(2); mainThread = 'accepted'; } catch (e) { mainThread = e.message; }
window.result = new Promise((resolve) => {
  const w = new Worker('/worker.js');
  w.onmessage = (e) => resolve({ ...e.data, mainThread, pageIsolated: self.crossOriginIsolated });
  w.onerror = (e) => resolve({ error: e.message });
});
</script>`;

describe.skipIf(!haveChromium)('setNumThreads in Chromium', () => {
  let server: Server;
  let url = '';
  beforeAll(async () => {
    const { build } = await import('esbuild');
    const bundle = await build({
      stdin: {
        contents: "export * from '@xent/core';",
        resolveDir: new URL('../../..', import.meta.url).pathname,
        loader: 'ts',
      },
      bundle: true,
      write: false,
      format: 'iife',
      globalName: 'X',
      platform: 'browser',
      conditions: ['source'],
      logLevel: 'silent',
    });
    const files: Record<string, [string, string]> = {
      '/': ['text/html', PAGE],
      '/xent.js': ['text/javascript', bundle.outputFiles[0]!.text],
      '/worker.js': ['text/javascript', WORKER],
    };
    server = createServer((req, res) => {
      const f = files[req.url ?? ''];
      if (!f) return void res.writeHead(404).end();
      res.writeHead(200, {
        'content-type': f[0],
        'cross-origin-opener-policy': 'same-origin',
        'cross-origin-embedder-policy': 'require-corp',
        'cross-origin-resource-policy': 'same-origin',
      });
      res.end(f[1]);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

  it('a Worker of a crossOriginIsolated page runs products on two threads, bit-identical to one', async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.goto(url);
      const result = await page.evaluate(() => (window as unknown as { result: Promise<unknown> }).result);
      expect(result).toEqual({
        isolated: true,
        pageIsolated: true,
        threads: 2,
        same: true,
        finite: true,
        mainThread:
          "setNumThreads: threads need Atomics.wait, which a browser's main thread does not allow: run xent in a Worker",
      });
    } finally {
      await browser.close();
    }
  }, 60_000);
});
