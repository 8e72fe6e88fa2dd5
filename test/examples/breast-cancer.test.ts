import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runBreastCancer } from '../../examples/breast-cancer/main.js';
import { parseXml, seriesPaths } from './graph-xml.js';

const dir = mkdtempSync(join(tmpdir(), 'xent-bc-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('examples/breast-cancer', () => {
  it('trains a one-logit classifier, saves and reloads it with identical predictions (quick mode)', async () => {
    const lines: string[] = [];
    const r = await runBreastCancer({ quick: true, outDir: dir, log: (l) => lines.push(l) });
    expect(r.testAccuracy).toBeGreaterThanOrEqual(0.94);
    expect(r.reloadedSame).toBe(true);
    const text = lines.join('\n');
    expect(text).toMatch(/test accuracy: \d+\.\d %/);
    expect(text).toMatch(
      /confusion matrix: (\d+) malignant found, (\d+) malignant called benign, (\d+) benign called malignant, (\d+) benign found/,
    );
    const [, a, b, c, d] = text.match(/confusion matrix: (\d+) .*?, (\d+) .*?, (\d+) .*?, (\d+) /)!.map(Number);
    expect(a! + b! + c! + d!).toBe(143);
    expect(text).toMatch(/malignant {2}precision \d\.\d{3} {2}recall \d\.\d{3} {2}F1 \d\.\d{3}/);
    expect(text).toContain('identical predictions');
    expect(seriesPaths(parseXml(readFileSync(r.files[0]!, 'utf8'))).map((p) => p.attrs['data-label'])).toEqual([
      'train',
      'validation',
      'train',
      'validation',
    ]);
    // The test part (a quarter, 143 tumours) stays out of training: validation is split from the rest.
    const [, nTrain, nVal] = text.match(/(\d+) training, (\d+) validation and 143 test tumours/)!.map(Number);
    expect(nTrain! + nVal!).toBe(569 - 143);
    expect(nVal).toBe(64);
    const saved = JSON.parse(readFileSync(r.files[1]!, 'utf8'));
    expect(Object.keys(saved.parameters)).toEqual(['0.weight', '0.bias', '2.weight', '2.bias']);
    expect(saved.meta.mean).toHaveLength(30);
  });

  it('runs with the command the README lists (plus its documented flags)', () => {
    const root = resolve(__dirname, '../..');
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const command = readme.match(/`(node [^`]*examples\/breast-cancer\/main\.ts)`/)?.[1];
    expect(command).toBeDefined();
    const [, ...args] = command!.split(' ');
    const out = execFileSync(process.execPath, [...args, '--quick', '--out', join(dir, 'cli')], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(out).toMatch(/loaded it back: identical predictions/);
    for (const f of ['training-curves.svg', 'model.json']) expect(existsSync(join(dir, 'cli', f))).toBe(true);
  });
});
