import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { evaluateAt } from '../../examples/ce-vs-mse/curves.js';
import { figure } from '../../examples/ce-vs-mse/main.js';
import { type XmlElement, findAll, parseXml } from './graph-xml.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

// Worked out by hand for logits [z, 0, …, 0] with softmax(z)₀ = p and K classes, true class 0:
// the other classes get q = (1 − p)/(K − 1) each.
//   CE = −log p;                ∂CE/∂z₀ = p − 1
//   MSE = (1/K)[(1 − p)² + (K − 1) q²] = (1 − p)²/(K − 1)
//   ∂MSE/∂z₀ = Σ_j (2/K)(p_j − y_j) p_j([j = 0] − p) = −2p(1 − p)²/(K − 1)
const byHand = {
  ceLoss: (p: number) => -Math.log(p),
  ceGrad: (p: number) => p - 1,
  mseLoss: (p: number, k: number) => (1 - p) ** 2 / (k - 1),
  mseGrad: (p: number, k: number) => (-2 * p * (1 - p) ** 2) / (k - 1),
};

/** The (x, y) values a polyline plots, read back through its panel's axis mapping. */
function plotted(svg: XmlElement, id: string): [number, number][] {
  const panelOf = findAll(svg, 'g').find(
    (g) => g.attrs.class === 'panel' && findAll(g, 'polyline').some((l) => l.attrs.id === id),
  )!;
  const a = (k: string): number => Number(panelOf.attrs[`data-${k}`]);
  const line = findAll(panelOf, 'polyline').find((l) => l.attrs.id === id)!;
  return line.attrs
    .points!.trim()
    .split(/\s+/)
    .map((pair) => {
      const [px, py] = pair.split(',').map(Number) as [number, number];
      return [
        a('x0') + ((px - a('left')) / a('width')) * (a('x1') - a('x0')),
        a('y1') - ((py - a('top')) / a('height')) * (a('y1') - a('y0')),
      ];
    });
}

function checkPicture(src: string, k: number): void {
  const svg = parseXml(src);
  expect(svg.name).toBe('svg');
  expect(svg.attrs.xmlns).toBe('http://www.w3.org/2000/svg');
  const curves = {
    'ce-loss': byHand.ceLoss,
    'mse-loss': byHand.mseLoss,
    'ce-grad': byHand.ceGrad,
    'mse-grad': byHand.mseGrad,
  };
  for (const [id, f] of Object.entries(curves)) {
    const pts = plotted(svg, id);
    expect(pts.length).toBeGreaterThan(100);
    // A few points across the range, including the confidently wrong end.
    for (const i of [0, 10, Math.floor(pts.length / 2), pts.length - 1]) {
      const [p, v] = pts[i]!;
      // Coordinates are rounded to 0.01 px: about 2e-4 in these units.
      expect(v).toBeCloseTo(f(p, k), 3);
    }
  }
}

describe('examples/ce-vs-mse', () => {
  it('computes both losses and their gradients with xent, matching the formulas worked out by hand', () => {
    for (const k of [2, 5]) {
      for (const p of [0.01, 0.1, 0.5, 0.9]) {
        const c = evaluateAt(p, k);
        expect(c.p).toBeCloseTo(p, 12);
        expect(c.ceLoss).toBeCloseTo(byHand.ceLoss(p), 12);
        expect(c.ceGrad).toBeCloseTo(byHand.ceGrad(p), 12);
        expect(c.mseLoss).toBeCloseTo(byHand.mseLoss(p, k), 12);
        expect(c.mseGrad).toBeCloseTo(byHand.mseGrad(p, k), 12);
      }
    }
    // The point of the picture: confidently wrong (p = 0.01), CE's push is 50× MSE's.
    const c = evaluateAt(0.01, 2);
    expect(Math.abs(c.ceGrad) / Math.abs(c.mseGrad)).toBeGreaterThan(50);
  });

  it('draws well-formed SVG whose plotted values match the loss functions', () => {
    checkPicture(figure(2).svg, 2);
    checkPicture(figure(4).svg, 4);
  });

  it('the committed picture in docs/images is well-formed and right', () => {
    checkPicture(readFileSync(join(ROOT, 'docs/images/ce-vs-mse.svg'), 'utf8'), 2);
  });

  it('runs from the command line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'xent-ce-vs-mse-'));
    try {
      const out = join(dir, 'x.svg');
      const stdout = execFileSync(
        process.execPath,
        ['--conditions=source', '--import', 'tsx', 'examples/ce-vs-mse/main.ts', out],
        { cwd: ROOT, encoding: 'utf8' },
      );
      expect(stdout).toContain(`wrote ${out}`);
      expect(existsSync(out)).toBe(true);
      checkPicture(readFileSync(out, 'utf8'), 2);
      // The table it prints: five rows of numbers for p = 0.01 … 0.99; MSE's gradient at p = 0.99 with
      // 5 classes is −2·0.99·0.01²/4 ≈ −5e-5, which rounds to zero and must not print as "-0.0000".
      const five = execFileSync(
        process.execPath,
        ['--conditions=source', '--import', 'tsx', 'examples/ce-vs-mse/main.ts', join(dir, 'k5.svg'), '--classes', '5'],
        { cwd: ROOT, encoding: 'utf8' },
      );
      const rows = five.split('\n').filter((l) => /^\s+0\.\d{4}\s/.test(l));
      expect(rows).toHaveLength(5);
      expect(rows[4]!.trim().split(/\s+/).map(Number)).toEqual([
        0.99,
        Number((-Math.log(0.99)).toFixed(4)),
        0,
        -0.01,
        0,
      ]);
      expect(five).not.toContain('-0.0000');
      checkPicture(readFileSync(join(dir, 'k5.svg'), 'utf8'), 5);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects probabilities outside (0, 1)', () => {
    expect(() => evaluateAt(0, 2)).toThrow(/logitsFor: p must be in \(0, 1\), got 0/);
    expect(() => evaluateAt(0.5, 1)).toThrow(/logitsFor: classes must be an integer ≥ 2, got 1/);
  });
});
