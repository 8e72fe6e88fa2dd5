import { build } from 'esbuild';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { haveChromium, inBrowserAndNode } from '../chromium.js';

/** Trains, saves and reloads a model; in a browser fit's default output finds no process and stays silent. */
const PROGRAM = `
  const { manualSeed, spiral, MLP, Adam, CrossEntropyLoss, fit, predict, accuracy, saveModel, loadModel, iris } = X;
  manualSeed(0);
  const { x, y } = spiral({ n: 150, classes: 3, seed: 1 });
  const model = new MLP([2, 16, 3], { dropout: 0.1 });
  const h = fit(model, { data: { x, y }, loss: new CrossEntropyLoss(), optimizer: new Adam(model.parameters(), { lr: 0.02 }),
    epochs: 10, batchSize: 32, metrics: ['accuracy'], verbose: typeof process === 'undefined' ? 1 : 0 });
  const copy = new MLP([2, 16, 3], { dropout: 0.1 }); // same layers, so the same names
  loadModel(copy, saveModel(model));
  return { loss: h.train.loss, weights: model.parameters().flatMap((p) => Array.from(p.data)), accuracy: accuracy(predict(copy, x), y), irisRows: iris().x.shape[0] };
`;

/* @xent/nn's main entry must run unchanged in a browser: bundled for the browser with nothing
   external, it may not import node builtins nor touch fs, require, or process except through
   globalThis.process?.… (the progress sink's optional default). */
describe('@xent/nn is browser-safe', () => {
  it('bundles for the browser without node builtins, fs, require, the DOM or a bare process', async () => {
    const out = await build({
      entryPoints: [resolve(__dirname, '../../packages/nn/src/index.ts')],
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'browser',
      conditions: ['source'],
      logLevel: 'silent',
    });
    const code = out.outputFiles[0]!.text;
    expect(code.length).toBeGreaterThan(100_000); // the data sets are inside
    expect(code).not.toMatch(/from\s*["']node:|require\(|["']fs["']/);
    expect(code).not.toMatch(/\bdocument\.|\bwindow\./);
    const bare = code.match(/(?<![.\w])process\b/g) ?? [];
    expect(bare).toEqual([]);
  });

  it('the node entry is separate and does use node:fs', async () => {
    const out = await build({
      entryPoints: [resolve(__dirname, '../../packages/nn/src/node.ts')],
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'node',
      conditions: ['source'],
      logLevel: 'silent',
      external: ['@xent/core'],
    });
    expect(out.outputFiles[0]!.text).toMatch(/from "node:fs\/promises"/);
  });

  // Not bit for bit: Chromium's V8 rounds Math.exp, Math.log, ** differently from Node 20's in the last
  // bit (a few % of arguments), so runs agree to ~1e-12 across engines and exactly within one engine.
  it.skipIf(!haveChromium)(
    'trains, saves and loads in headless Chromium with the same results as in Node',
    async () => {
      const { inBrowser, inNode } = await inBrowserAndNode(PROGRAM);
      const close = (a: number[], b: number[]): void => {
        expect(a).toHaveLength(b.length);
        a.forEach((v, i) => expect(v).toBeCloseTo(b[i]!, 10));
      };
      close(inBrowser.loss as number[], inNode.loss as number[]);
      close(inBrowser.weights as number[], inNode.weights as number[]);
      expect(inBrowser.accuracy).toBe(inNode.accuracy);
      expect(inBrowser.irisRows).toBe(150);
      expect(inNode.irisRows).toBe(150);
      expect((inNode.loss as number[]).at(-1)).toBeLessThan((inNode.loss as number[])[0]!);
    },
  );
});
