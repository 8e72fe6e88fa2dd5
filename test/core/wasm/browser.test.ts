// The wasm backend in the browser: the esbuild bundle of @xent/core loads its embedded module in headless
// Chromium, on the page and in a Web Worker, and computes what Node computes.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as core from '@xent/core';
import { evaluateInChromium, haveChromium } from '../../chromium.js';

const entry = fileURLToPath(new URL('../../../packages/core/src/index.ts', import.meta.url));

// A float32 matmul and softmax cross-entropy big enough for the wasm kernels; returns the backend and results.
const WORK = `
  const v = (n, s) => Array.from({ length: n }, (_, i) => Math.sin(i * s));
  const a = X.tensor(v(96 * 80, 0.37), { dtype: 'float32' }).reshape([96, 80]);
  const b = X.tensor(v(80 * 72, 0.11), { dtype: 'float32' }).reshape([80, 72]);
  const z = X.mm(a, b); z.requiresGrad = true;
  const loss = X.crossEntropy(z, X.tensor(v(96, 1).map((t, i) => i % 72)));
  loss.backward();
  return { backend: X.getBackend(), build: X.wasmBuild(), loss: loss.item(), g: Array.from(z.grad.data.slice(0, 5)) };
`;

describe.skipIf(!haveChromium)('the wasm backend in headless Chromium', () => {
  it('loads on the page and in a Web Worker, and agrees with Node', async () => {
    const iife = (
      await build({
        entryPoints: [entry],
        bundle: true,
        platform: 'browser',
        format: 'iife',
        globalName: 'X',
        write: false,
      })
    ).outputFiles[0]!.text;
    const program = `
      const page = (() => { ${WORK} })();
      const src = ${JSON.stringify(iife)} + ';\\nself.onmessage = () => self.postMessage((() => {' + ${JSON.stringify(WORK)} + '})());';
      const worker = new Worker(URL.createObjectURL(new Blob([src], { type: 'text/javascript' })));
      return new Promise((resolve) => {
        worker.onmessage = (e) => resolve({ page, worker: e.data });
        worker.postMessage(0);
      });
    `;
    const r = (await evaluateInChromium(iife, program)) as Record<string, Record<string, unknown>>;
    const node = new Function('X', WORK)(core) as Record<string, unknown>;
    expect(node.backend).toBe(process.env.XENT_BACKEND === 'ts' ? 'ts' : 'wasm');
    for (const where of ['page', 'worker'] as const) {
      expect(r[where]!.backend, where).toBe('wasm');
      expect(r[where]!.build, where).toMatch(/^(simd|relaxed)$/);
      expect(r[where]!.loss as number).toBeCloseTo(node.loss as number, 5);
      (node.g as number[]).forEach((v, i) => expect((r[where]!.g as number[])[i]).toBeCloseTo(v, 6));
    }
  });
});
