import { build } from 'esbuild';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/* @xent/nn's main entry must run unchanged in a browser: bundled for the browser with nothing
   external, it may not import node builtins nor touch fs, require, or process except through
   globalThis.process?.… (the progress sink's optional default). */
describe('@xent/nn is browser-safe', () => {
  it('bundles for the browser without node builtins, fs, require, the DOM or a bare process', async () => {
    const out = await build({
      entryPoints: [resolve(__dirname, '../../packages/nn/src/index.ts')],
      bundle: true, write: false, format: 'esm', platform: 'browser', conditions: ['source'], logLevel: 'silent',
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
      bundle: true, write: false, format: 'esm', platform: 'node', conditions: ['source'], logLevel: 'silent', external: ['@xent/core'],
    });
    expect(out.outputFiles[0]!.text).toMatch(/from "node:fs\/promises"/);
  });
});
