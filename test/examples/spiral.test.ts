import { MLP, loadModel } from '@xent/nn';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runSpiral } from '../../examples/spiral/main.js';
import { allText, findAll, parseXml, seriesPaths } from './graph-xml.js';

const dir = mkdtempSync(join(tmpdir(), 'xent-spiral-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('examples/spiral', () => {
  it('trains with the hand-written loop and writes regions, curve and model (quick mode)', async () => {
    const lines: string[] = [];
    const r = await runSpiral({ quick: true, outDir: dir, log: (l) => lines.push(l) });
    expect(r.losses).toHaveLength(80);
    expect(r.losses.at(-1)!).toBeLessThan(r.losses[0]! / 5);
    expect(r.accuracy).toBeGreaterThan(0.9);
    expect(lines[0]).toBe('spiral: 300 points, 3 classes; 4547 parameters; 80 full-batch epochs');
    expect(lines.join('\n')).toMatch(/training accuracy: \d+\.\d %/);
    const regions = parseXml(readFileSync(r.files[0]!, 'utf8'));
    expect(findAll(regions, 'circle').filter((c) => c.attrs['data-role'] === 'point')).toHaveLength(300);
    expect(allText(regions)).toMatch(/class 0.*class 1.*class 2/s); // the legend
    expect(seriesPaths(parseXml(readFileSync(r.files[1]!, 'utf8')))).toHaveLength(1);
    const meta = loadModel(new MLP([2, 64, 64, 3]), readFileSync(r.files[2]!, 'utf8'));
    expect(meta).toEqual({ example: 'spiral', classes: 3, sizes: [2, 64, 64, 3] });
    await expect(runSpiral({ epochs: Number('x'), outDir: dir, log: () => {} })).rejects.toThrow(
      /--epochs must be a positive integer, got NaN/,
    );
    await expect(runSpiral({ classes: 1, outDir: dir, log: () => {} })).rejects.toThrow(
      /spiral: classes must be an integer ≥ 2, got 1/,
    );
  });

  it('runs with the command the README lists (plus its documented flags)', () => {
    const root = resolve(__dirname, '../..');
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const command = readme.match(/`(node [^`]*examples\/spiral\/main\.ts)`/)?.[1];
    expect(command).toBeDefined();
    const [, ...args] = command!.split(' ');
    const out = execFileSync(
      process.execPath,
      [...args, '--classes', '4', '--epochs', '30', '--out', join(dir, 'cli')],
      { cwd: root, encoding: 'utf8' },
    );
    expect(out).toMatch(/^spiral: 400 points, 4 classes; \d+ parameters; 30 full-batch epochs$/m);
    for (const f of ['decision-regions.svg', 'loss.svg', 'model.json'])
      expect(existsSync(join(dir, 'cli', f))).toBe(true);
  });
});
