// The playground's "download model" module in headless Chromium: its two buttons, a click making the file
// from a model, and the browser's download of it; the downloaded ONNX runs in ONNX Runtime with the model's
// outputs, the downloaded safetensors loads into the same model.
import { manualSeed, randn } from '@xent/core';
import { MLP, loadSafetensors, modelFromSafetensors, readSafetensors } from '@xent/nn';
import { build } from 'esbuild';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { buildPlayground, serveDir } from '../../examples/playground/serve.js';
import { haveChromium, launchChromium } from '../chromium.js';

const root = resolve(__dirname, '../..');

/** In the page: a model, the buttons in #bar, a click making and saving the file (as the trainer and page will). */
const ENTRY = `
  import { manualSeed } from '@xent/core';
  import { MLP } from '@xent/nn';
  import { addDownloadButtons, modelFile, saveModelFile } from './examples/playground/src/download.ts';
  manualSeed(5);
  const model = new MLP([2, 8, 3], { activation: 'tanh' });
  addDownloadButtons(document.getElementById('bar'), (format) =>
    saveModelFile(modelFile(model, format, { inputs: 'x,y', outputs: '3 logits' })));
`;

describe('playground: download model buttons', () => {
  it.skipIf(!haveChromium)('download the model as ONNX and as safetensors from the page', async () => {
    const bundle = await build({
      stdin: { contents: ENTRY, resolveDir: root, loader: 'ts' },
      bundle: true,
      write: false,
      format: 'iife',
      platform: 'browser',
      conditions: ['source'],
      logLevel: 'silent',
    });
    manualSeed(5);
    const model = new MLP([2, 8, 3], { activation: 'tanh' }); // the page's model, made the same way
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ acceptDownloads: true });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.setContent('<!doctype html><title>xent</title><header id="bar"></header>');
      await page.addScriptTag({ content: bundle.outputFiles[0]!.text });
      expect(await page.$$eval('#bar button', (bs) => bs.map((b) => [b.id, b.textContent]))).toEqual([
        ['download-onnx', '⤓ ONNX'],
        ['download-safetensors', '⤓ safetensors'],
      ]);
      const grab = async (id: string) => {
        const [download] = await Promise.all([page.waitForEvent('download'), page.click(`#${id}`)]);
        return { name: download.suggestedFilename(), bytes: new Uint8Array(readFileSync((await download.path())!)) };
      };

      const onnx = await grab('download-onnx');
      expect(onnx.name).toBe('xent-playground.onnx');
      const session = await ort.InferenceSession.create(onnx.bytes);
      const x = randn([7, 2]);
      const out = await session.run({ input: new ort.Tensor('float32', Float32Array.from(x.data), [7, 2]) });
      const want = model.forward(x).data;
      (out.output!.data as Float32Array).forEach((v, i) => expect(Math.abs(v - want[i]!)).toBeLessThan(1e-5));

      const st = await grab('download-safetensors');
      expect(st.name).toBe('xent-playground.safetensors');
      const { metadata, dtypes } = readSafetensors(st.bytes);
      expect(metadata).toMatchObject({ format: 'pt', producer: 'xent playground', inputs: 'x,y', outputs: '3 logits' });
      expect(Object.values(dtypes)).toEqual(['F32', 'F32', 'F32', 'F32']);
      const copy = new MLP([2, 8, 3], { activation: 'tanh' });
      loadSafetensors(copy, st.bytes);
      const got = copy.forward(x).data;
      want.forEach((v, i) => expect(Math.abs(v - got[i]!)).toBeLessThan(1e-5)); // float32 weights
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  it.skipIf(!haveChromium)(
    'the playground page has both buttons; its downloads hold the network it trained',
    async () => {
      const outDir = mkdtempSync(join(tmpdir(), 'xent-playground-download-'));
      let server: Server | undefined;
      const browser = await launchChromium();
      try {
        await buildPlayground(outDir);
        let url: string;
        ({ server, url } = await serveDir(outDir, 0));
        const page = await browser.newPage({ acceptDownloads: true, viewport: { width: 1400, height: 1000 } });
        const errors: string[] = [];
        page.on('pageerror', (e) => errors.push(e.message));
        page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
        await page.goto(url);
        await page.waitForFunction(
          () => (window as unknown as { xentPlayground?: { frame: unknown } }).xentPlayground?.frame != null,
        );
        for (let i = 0; i < 5; i++) await page.click('#step'); // trained a little, and paused
        await page.waitForFunction(() => document.getElementById('steps')!.dataset.value === '5');
        const grab = async (id: string) => {
          const [download] = await Promise.all([page.waitForEvent('download'), page.click(`#${id}`)]);
          return { name: download.suggestedFilename(), bytes: new Uint8Array(readFileSync((await download.path())!)) };
        };
        const st = await grab('download-safetensors');
        expect(st.name).toBe('xent-playground.safetensors');
        const { model, metadata } = modelFromSafetensors(st.bytes); // the architecture is in the file
        expect(metadata).toMatchObject({ inputs: 'x,y', classes: '3', data: 'spiral' });
        expect(metadata.outputs).toMatch(/^3 logits/);
        const onnx = await grab('download-onnx');
        expect(onnx.name).toBe('xent-playground.onnx');
        const session = await ort.InferenceSession.create(onnx.bytes);
        const x = randn([7, 2]);
        const out = await session.run({ input: new ort.Tensor('float32', Float32Array.from(x.data), [7, 2]) });
        const want = model.forward(x).data; // the same weights: both files were taken while paused
        expect(want).toHaveLength(21);
        (out.output!.data as Float32Array).forEach((v, i) => expect(Math.abs(v - want[i]!)).toBeLessThan(1e-5));
        expect(errors).toEqual([]);
      } finally {
        await browser.close();
        await new Promise((ok) => (server ? server.close(ok) : ok(undefined)));
        rmSync(outDir, { recursive: true, force: true });
      }
    },
  );
});
