import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Generator, mseLoss, oneHot, rand, softmax, tensor } from '@xent/core';
import { describe, expect, it } from 'vitest';
import { evaluateAt } from '../../examples/ce-vs-mse/curves.js';
import { figure, mseBound } from '../../examples/ce-vs-mse/main.js';
import { type XmlElement, allText, findAll, parseXml, pathPoints } from './graph-xml.js';

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
    (g) => g.attrs['data-role'] === 'panel' && findAll(g, 'path').some((l) => l.attrs.id === id),
  )!;
  const a = (k: string): number => Number(panelOf.attrs[`data-${k}`]);
  const line = findAll(panelOf, 'path').find((l) => l.attrs.id === id)!;
  return pathPoints(line.attrs.d!).map(([px, py]) => {
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
    const committed = readFileSync(join(ROOT, 'docs/images/ce-vs-mse.svg'), 'utf8');
    checkPicture(committed, 2);
    // What the example draws today (regenerate: --out docs/images).
    expect(committed).toBe(figure(2).svg);
  });

  it('runs from the command line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'xent-ce-vs-mse-'));
    try {
      const out = join(dir, 'k2', 'ce-vs-mse.svg');
      const stdout = execFileSync(
        process.execPath,
        ['--conditions=source', '--import', 'tsx', 'examples/ce-vs-mse/main.ts', '--out', join(dir, 'k2')],
        { cwd: ROOT, encoding: 'utf8' },
      );
      expect(stdout).toContain(`wrote ${out}`);
      expect(existsSync(out)).toBe(true);
      checkPicture(readFileSync(out, 'utf8'), 2);
      // The table it prints: five rows of numbers for p = 0.01 … 0.99; MSE's gradient at p = 0.99 with
      // 5 classes is −2·0.99·0.01²/4 ≈ −5e-5, which rounds to zero and must not print as "-0.0000".
      const five = execFileSync(
        process.execPath,
        [
          '--conditions=source',
          '--import',
          'tsx',
          'examples/ce-vs-mse/main.ts',
          '--out',
          join(dir, 'k5'),
          '--classes',
          '5',
        ],
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
      checkPicture(readFileSync(join(dir, 'k5', 'ce-vs-mse.svg'), 'utf8'), 5);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects probabilities outside (0, 1)', () => {
    expect(() => evaluateAt(0, 2)).toThrow(/logitsFor: p must be in \(0, 1\), got 0/);
    expect(() => evaluateAt(0.5, 1)).toThrow(/logitsFor: classes must be an integer ≥ 2, got 1/);
  });

  it('states MSE’s ceiling for K classes: 2/K for any prediction, 1/(K − 1) along the plotted curve', () => {
    const g = new Generator(7);
    for (const k of [2, 3, 5, 10]) {
      // Any prediction: random logits, some of them extreme, never pass 2/K (checked with xent's mseLoss).
      const logits = rand([4000, k], { generator: g }).mul(40).sub(20);
      const target = oneHot(tensor(Array.from({ length: 4000 }, (_, i) => i % k)), k);
      const perRow = mseLoss(softmax(logits, 1), target, { reduction: 'none' }).mean(1);
      expect(Math.max(...perRow.data)).toBeLessThanOrEqual(2 / k + 1e-12);
      // All the mass on one wrong class reaches it.
      const worst = mseLoss(
        tensor([[0, 1, ...Array<number>(k - 2).fill(0)]]),
        tensor([[1, ...Array<number>(k - 1).fill(0)]]),
      );
      expect(worst.item()).toBeCloseTo(2 / k, 12);
      // The plotted curve spreads 1 − p over the wrong classes: it rises to 1/(K − 1) as p → 0.
      expect(evaluateAt(1e-9, k).mseLoss).toBeCloseTo(1 / (k - 1), 8);
      expect(Math.max(...figure(k).points.map((c) => c.mseLoss))).toBeLessThanOrEqual(1 / (k - 1));
    }
    expect(mseBound(2)).toEqual(['MSE: never above 2/K = 1, however wrong']);
    expect(mseBound(5)).toEqual(['MSE: never above 2/K = 0.4, however wrong', '(this curve → 1/(K−1) = 0.25)']);
    expect(mseBound(3)).toEqual(['MSE: never above 2/K = 0.667, however wrong', '(this curve → 1/(K−1) = 0.5)']);
    const five = allText(parseXml(figure(5).svg));
    expect(five).toContain('2/K = 0.4');
    expect(five).not.toContain('at most 1');
  });

  it('keeps every label inside a panel off the curves, for 2 to 6 classes', () => {
    for (const k of [2, 3, 4, 5, 6]) {
      const svg = parseXml(figure(k).svg);
      for (const panel of findAll(svg, 'g').filter((g) => g.attrs['data-role'] === 'panel')) {
        const lines = findAll(panel, 'path')
          .filter((p) => p.attrs.id)
          .map((p) => pathPoints(p.attrs.d!));
        const labels = findAll(panel, 'text').filter((t) =>
          ['note', 'band-label'].includes(t.attrs['data-role'] ?? ''),
        );
        expect(labels.some((l) => l.attrs['data-role'] === 'band-label')).toBe(true);
        for (const label of labels) {
          const size = Number(label.attrs['font-size']);
          const x0 = Number(label.attrs.x),
            y = Number(label.attrs.y);
          // The text's box: a DejaVu Sans character is at most about 0.65 em wide on average here.
          const x1 = x0 + allText(label).length * size * 0.65;
          const hit = lines.some((pts) =>
            pts.slice(1).some(([bx, by], i) => {
              const [ax, ay] = pts[i]!;
              return Array.from({ length: 11 }, (_, s) => [ax + ((bx - ax) * s) / 10, ay + ((by - ay) * s) / 10]).some(
                ([px, py]) => px! >= x0 && px! <= x1 && py! >= y - size * 0.8 && py! <= y + size * 0.25,
              );
            }),
          );
          expect(hit, `K = ${k}, ${panel.attrs['data-title']}: "${allText(label)}"`).toBe(false);
        }
      }
    }
  });
});
