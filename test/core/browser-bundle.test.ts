import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Generator, randn } from '@xent/core';
import { evaluateInChromium, haveChromium } from '../chromium.js';

// @xent/core must run anywhere: no runtime dependencies, no Node built-ins, no DOM.
const entry = resolve(__dirname, '../../packages/core/src/index.ts');
let dir = '';
let esm = '';

/** The program both runtimes run: micrograd's "more ops", a tensor gradient, a seeded randn stream. */
const PROGRAM = `
  const { Value, tensor, randn, Generator, gradcheck } = X;
  const a = new Value(-4), b = new Value(2);
  let c = a.add(b); let d = a.mul(b).add(b.pow(3));
  c = c.add(c.add(1)); c = c.add(c.add(1).add(a.neg()));
  d = d.add(d.mul(2).add(b.add(a).relu())); d = d.add(d.mul(3).add(b.sub(a).relu()));
  const e = c.sub(d), f = e.pow(2); let g = f.div(2); g = g.add(new Value(10).div(f)); g.backward();
  const x = tensor([[1, 2], [3, 4]], { requiresGrad: true });
  x.matmul(x).tanh().sum().backward();
  return {
    g: g.data, da: a.grad, db: b.grad, xgrad: x.grad.toArray(),
    randn: Array.from(randn([64], { generator: new Generator(2024) }).data),
    gradcheck: gradcheck((t) => t.exp().mul(t), [tensor([0.5, -1])]),
    text: String(tensor([[1, 2.5], [3, 4]])),
  };
`;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'xent-bundle-'));
  const out = await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    write: false,
    logLevel: 'silent',
  });
  esm = out.outputFiles[0]!.text;
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('browser bundle of packages/core/src/index.ts', () => {
  it('esbuild bundles it for the browser with nothing external', async () => {
    const out = await build({
      entryPoints: [entry],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.keys(out.metafile!.inputs);
    expect(inputs.every((p) => p.startsWith('packages/core/src/'))).toBe(true);
    expect(Object.values(out.metafile!.outputs)[0]!.imports).toEqual([]);
  });

  it("has no reference to 'fs', 'process' or 'document' (nor require or other Node built-ins)", () => {
    expect(esm).not.toMatch(/\bfs\b/);
    // Threads look for Node's worker_threads through globalThis.process only (in the pool and in the
    // worker's text): no bare reference for a bundler to polyfill.
    expect(esm.match(/(?<![.\w])process\b/g) ?? []).toEqual([]);
    expect(esm).not.toMatch(/\bdocument\b/);
    expect(esm).not.toMatch(/\brequire\s*\(/);
    expect(esm).not.toMatch(/from\s*["']node:/);
    expect(esm).not.toMatch(/\bwindow\b/);
  });

  it('runs when imported from a file in Node, and gives the same numbers as the sources', async () => {
    const file = join(dir, 'xent.mjs');
    writeFileSync(file, esm);
    const X = await import(pathToFileURL(file).href);
    const run = new Function('X', PROGRAM) as (x: unknown) => Record<string, unknown>;
    const r = run(X);
    expect(r.g).toBeCloseTo(24.70408163265306, 12);
    expect(r.da).toBeCloseTo(138.83381924198252, 12);
    expect(r.db).toBeCloseTo(645.5772594752186, 12);
    expect(r.gradcheck).toBe(true);
    expect(r.text).toBe('tensor([[1.0000, 2.5000],\n        [3.0000, 4.0000]])');
    expect(r.randn).toEqual(Array.from(randn([64], { generator: new Generator(2024) }).data));
  });

  it('runs from a data: URL', async () => {
    const X = await import(`data:text/javascript;base64,${Buffer.from(esm).toString('base64')}`);
    expect(new X.Value(3).mul(2).data).toBe(6);
  });

  it.skipIf(!haveChromium)(
    'runs in headless Chromium: the same random stream bit for bit, the same results to rounding',
    async () => {
      const iife = await build({
        entryPoints: [entry],
        bundle: true,
        platform: 'browser',
        format: 'iife',
        globalName: 'X',
        write: false,
        logLevel: 'silent',
      });
      const r = await evaluateInChromium(iife.outputFiles[0]!.text, PROGRAM);
      const node = new Function('X', PROGRAM)(await import('@xent/core')) as Record<string, unknown>;
      // The random stream is bit for bit the same (integer maths, and a log of + − × ÷ only).
      expect(r.randn).toEqual(node.randn);
      // Math.exp/log/pow/… may differ in the last bit between engines (they do between Node 20
      // and Debian's Chromium), so results that go through them agree to rounding only.
      for (const k of ['g', 'da', 'db'] as const) expect(r[k] as number).toBeCloseTo(node[k] as number, 12);
      (node.xgrad as number[][]).flat().forEach((v, i) => expect((r.xgrad as number[][]).flat()[i]).toBeCloseTo(v, 13));
      expect([r.gradcheck, r.text]).toEqual([node.gradcheck, node.text]);
    },
  );
});
