import { MLP, loadModel } from '@xent/nn';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runSpiral } from '../../examples/spiral/main.js';
import { findAll, parseXml } from './graph-xml.js';

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
    expect(findAll(regions, 'circle')).toHaveLength(300);
    expect(findAll(parseXml(readFileSync(r.files[1]!, 'utf8')), 'polyline')).toHaveLength(1);
    const meta = loadModel(new MLP([2, 64, 64, 3]), readFileSync(r.files[2]!, 'utf8'));
    expect(meta).toEqual({ example: 'spiral', classes: 3, sizes: [2, 64, 64, 3] });
  });
});
