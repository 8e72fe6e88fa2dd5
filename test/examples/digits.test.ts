import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runDigits } from '../../examples/digits/main.js';
import { allText, findAll, parseXml, pathPoints, seriesPaths } from './graph-xml.js';

const dir = mkdtempSync(join(tmpdir(), 'xent-digits-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('examples/digits', () => {
  it('trains with validation and early stopping, reports per-class scores and writes two SVGs (quick mode)', () => {
    const lines: string[] = [];
    const r = runDigits({ quick: true, outDir: dir, log: (l) => lines.push(l) });
    expect(r.testAccuracy).toBeGreaterThanOrEqual(0.93);
    const text = lines.join('\n');
    expect(text).toMatch(/test accuracy: \d+\.\d %/);
    expect(text).toContain('CC BY 4.0');
    const cm = lines.slice(lines.indexOf('confusion matrix (rows: true digit, columns: predicted):') + 2).slice(0, 10);
    expect(
      cm
        .map((l) =>
          l
            .trim()
            .split(/\s+/)
            .slice(1)
            .map(Number)
            .reduce((a, b) => a + b, 0),
        )
        .reduce((a, b) => a + b, 0),
    ).toBe(360);
    expect(lines.filter((l) => /^ {2}\d {6}\d\.\d{3} {4}\d\.\d{3} {2}\d\.\d{3}$/.test(l))).toHaveLength(10);
    const curves = parseXml(readFileSync(r.files[0]!, 'utf8'));
    expect(seriesPaths(curves)).toHaveLength(4);
    expect(pathPoints(seriesPaths(curves)[0]!.attrs.d!)).toHaveLength(r.epochs);
    // The epoch early stopping kept is marked on both panels, at its x position.
    const best = Number(text.match(/best validation loss [\d.]+ at epoch (\d+)/)![1]);
    const marks = findAll(curves, 'path').filter((p) => p.attrs['data-role'] === 'mark');
    expect(marks).toHaveLength(2);
    expect(allText(curves)).toContain(`kept: epoch ${best}, lowest val. loss`);
    const xs = pathPoints(seriesPaths(curves)[0]!.attrs.d!).map(([x]) => x);
    expect(pathPoints(marks[0]!.attrs.d!)[0]![0]).toBeCloseTo(xs[best - 1]!, 1);
    const mistakes = parseXml(readFileSync(r.files[1]!, 'utf8'));
    const shown = findAll(mistakes, 'text').length;
    expect(shown).toBeGreaterThan(0);
    expect(findAll(mistakes, 'rect')).toHaveLength(1 + 64 * shown);
    expect(allText(mistakes)).toMatch(/\d → \d/);
    // The report counts every misread digit (the confusion matrix's off-diagonal), not just the ones drawn.
    const offDiagonal = cm.reduce(
      (n, l, d) =>
        n +
        l
          .trim()
          .split(/\s+/)
          .slice(1)
          .map(Number)
          .reduce((a, v, c) => a + (c === d ? 0 : v), 0),
      0,
    );
    expect(text).toMatch(new RegExp(`\\((the ${offDiagonal}|${shown} of the ${offDiagonal}) misread test digits`));
    expect(shown).toBe(Math.min(offDiagonal, 12));
  });

  it('runs with the command the README lists (plus its documented flags)', () => {
    const root = resolve(__dirname, '../..');
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const command = readme.match(/`(node [^`]*examples\/digits\/main\.ts)`/)?.[1];
    expect(command).toBeDefined();
    const [, ...args] = command!.split(' ');
    const out = execFileSync(process.execPath, [...args, '--quick', '--out', join(dir, 'cli')], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(out).toMatch(/test accuracy: \d+\.\d %/);
    for (const f of ['training-curves.svg', 'mistakes.svg']) expect(existsSync(join(dir, 'cli', f))).toBe(true);
  });
});
