import { Generator, crossEntropy, randint, randn } from '@xent/core';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkGradient, composedCrossEntropy, runDemo } from '../../examples/demo.js';
import { historySvg, regionsSvg, ticks } from '../../examples/lib/svg-plot.js';
import { allText, findAll, parseXml, pathPoints, seriesPaths } from './graph-xml.js';

const root = resolve(__dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'xent-demo-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('main demo', () => {
  it('trains the spiral, checks the gradient three ways and writes two well-formed SVGs (quick mode, in process)', () => {
    const lines: string[] = [];
    let progress = '';
    const r = runDemo({
      quick: true,
      outDir: join(dir, 'a'),
      output: {
        isTTY: false,
        write: (s: string) => {
          progress += s;
        },
      },
      log: (l) => lines.push(l),
    });
    expect(r.accuracy).toBeGreaterThanOrEqual(0.97);
    expect(r.testAccuracy).toBeGreaterThanOrEqual(0.9);
    expect(r.maxDiffComposed).toBeLessThan(1e-12);
    expect(r.maxDiffNumeric).toBeLessThan(1e-7);
    expect(progress.trimEnd().split('\n')).toHaveLength(40);
    expect(lines.join('\n')).toMatch(/final training accuracy: (9[7-9]|100)\.\d %/);
    expect(lines.join('\n')).toMatch(/held-out accuracy: +\d+\.\d % \(75 points not trained on\)/);
    expect(lines.join('\n')).toMatch(
      /largest \|fused − composed from primitives\| = \d\.\d\de-\d+\n {2}largest \|fused − central differences\| += \d\.\d\de-\d+/,
    );

    const regions = parseXml(readFileSync(r.files[0]!, 'utf8'));
    expect(regions.name).toBe('svg');
    expect(findAll(regions, 'circle').filter((c) => c.attrs['data-role'] === 'point')).toHaveLength(225);
    expect(findAll(regions, 'path').filter((c) => c.attrs['data-role'] === 'test')).toHaveLength(75);
    const fills = new Set(
      findAll(regions, 'rect')
        .filter((e) => e.attrs['data-role'] === 'region')
        .map((e) => e.attrs.fill),
    );
    expect(fills.size).toBe(3); // three decision regions
    expect(allText(regions)).toMatch(/training \d+\.\d %, held out \d+\.\d %/);
    expect(allText(regions)).toMatch(/class 0.*class 1.*class 2.*training.*held out/s); // the legend
    const curves = parseXml(readFileSync(r.files[1]!, 'utf8'));
    expect(seriesPaths(curves)).toHaveLength(2);
    expect(pathPoints(seriesPaths(curves)[0]!.attrs.d!)).toHaveLength(40);
    expect(allText(curves)).toContain('accuracy');
  });

  it('the composed twin agrees with the fused loss, and checkGradient measures real differences', () => {
    const g = new Generator(3);
    const z = randn([7, 4], { generator: g }),
      y = randint(0, 4, [7], { generator: g });
    expect(composedCrossEntropy(z, y).item()).toBeCloseTo(crossEntropy(z, y).item(), 14);
    const { maxDiffComposed, maxDiffNumeric } = checkGradient(z, y);
    expect(maxDiffComposed).toBeLessThan(1e-15);
    expect(maxDiffNumeric).toBeGreaterThan(0); // finite differences are never exact
    expect(maxDiffNumeric).toBeLessThan(1e-8);
  });

  it('svg-plot escapes text, merges region runs and picks round ticks', () => {
    const svg = regionsSvg({
      points: [0, 0, 1, 1],
      labels: [0, 1],
      title: 'a < b & "c"',
      resolution: 10,
      classify: (g) => Array.from({ length: g.length / 2 }, (_, i) => (g[2 * i]! < 0.5 ? 0 : 1)),
    });
    const root = parseXml(svg);
    expect(allText(root)).toContain('a < b & "c"');
    expect(findAll(root, 'rect').filter((e) => e.attrs['data-role'] === 'region')).toHaveLength(10 * 2); // two runs per row
    expect(ticks(0, 1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(ticks(0.013, 0.9)).toEqual([0.2, 0.4, 0.6, 0.8]);
    const curves = parseXml(
      historySvg({
        train: { loss: [3, 2, 1], accuracy: [0.1, 0.5, 0.9] },
        val: { loss: [3, 2.5, 2], accuracy: [0, 0.4, 0.8] },
      }),
    );
    expect(seriesPaths(curves).map((p) => p.attrs['stroke-dasharray'] ?? 'solid')).toEqual([
      'solid',
      '6 4',
      'solid',
      '6 4',
    ]);
  });

  it('runs as the command behind `pnpm demo`', () => {
    const out = execFileSync(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', 'examples/demo.ts', '--quick', '--out', join(dir, 'cli')],
      { cwd: root, encoding: 'utf8' },
    );
    expect(out).toMatch(/^xent demo: a softmax classifier on the spiral/);
    expect(out).toMatch(/epoch 40\/40 {2}loss/); // not a terminal: a line per epoch
    expect(out).toMatch(/final training accuracy: \d+\.\d %/);
    expect(out).toMatch(/done in [\d.]+ s/);
    for (const f of ['decision-regions.svg', 'training-curves.svg']) expect(existsSync(join(dir, 'cli', f))).toBe(true);
  });
});
