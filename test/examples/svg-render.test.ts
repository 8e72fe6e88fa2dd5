import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { figure } from '../../examples/ce-vs-mse/main.js';
import { PALETTE, historySvg, regionsSvg, tint } from '../../examples/lib/svg-plot.js';
import { haveChromium, launchChromium } from '../chromium.js';
import { findAll, parseXml, pathPoints, seriesPaths } from './graph-xml.js';
import { type Image, colourDistance, pixel, readPng } from './png.js';

/* The examples' pictures are for slides: they must come out the same in a browser (Chromium), in
   librsvg's rsvg-convert and in ImageMagick's own SVG renderer (MSVG: what `convert` uses when it has
   no librsvg delegate). Each picture is rasterised by the three and checked pixel by pixel at places
   whose colour the SVG's own geometry fixes: on every curve, off the chord a broken renderer draws,
   inside the decision regions and across the seams between their cells; then the three renders
   are compared with each other. Debian packages all three (.ci/run installs them). */

const RSVG = '/usr/bin/rsvg-convert';
const CONVERT = '/usr/bin/convert'; // ImageMagick itself, not a wrapper earlier on the PATH
const haveMsvg =
  existsSync(CONVERT) && /^\s*MSVG\b/m.test(execFileSync(CONVERT, ['-list', 'format'], { encoding: 'utf8' }));
const ready = existsSync(RSVG) && haveMsvg && haveChromium;
if (!ready)
  console.warn(
    `svg-render: skipped, needs ${RSVG}, ImageMagick with its MSVG coder at ${CONVERT} and /usr/bin/chromium ` +
      '(apt-get install librsvg2-bin imagemagick libmagickcore-6.q16-6-extra chromium; .ci/run does)',
  );

const dir = mkdtempSync(join(tmpdir(), 'xent-svg-render-'));
let browser: Browser | undefined;
beforeAll(async () => {
  if (ready) browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

type Renderer = 'chromium' | 'rsvg' | 'imagemagick';
const RENDERERS: Renderer[] = ['chromium', 'rsvg', 'imagemagick'];

/** The picture rasterised at 1 px per SVG unit by one renderer. */
async function render(svg: string, name: string, by: Renderer): Promise<Image> {
  const src = join(dir, `${name}.svg`),
    png = join(dir, `${name}-${by}.png`);
  writeFileSync(src, svg);
  if (by === 'rsvg') execFileSync(RSVG, ['-o', png, src]);
  else if (by === 'imagemagick') execFileSync(CONVERT, [`msvg:${src}`, `png32:${png}`]);
  else {
    const root = parseXml(svg);
    const [width, height] = [Number(root.attrs.width), Number(root.attrs.height)];
    const page = await browser!.newPage({ viewport: { width, height } });
    await page.setContent(`<!doctype html><body style="margin:0">${svg}</body>`);
    writeFileSync(png, await page.screenshot({ clip: { x: 0, y: 0, width, height } }));
    await page.close();
  }
  return readPng(readFileSync(png));
}

/** Renders with all three; each image has the SVG's size. */
async function renderAll(svg: string, name: string): Promise<Record<Renderer, Image>> {
  const out = {} as Record<Renderer, Image>;
  for (const by of RENDERERS) out[by] = await render(svg, name, by);
  const root = parseXml(svg);
  for (const by of RENDERERS) {
    expect([out[by].width, out[by].height], by).toEqual([Number(root.attrs.width), Number(root.attrs.height)]);
  }
  return out;
}

/** Whether a pixel within `r` px of (x, y) has the colour (within tolerance). */
function near(img: Image, x: number, y: number, colour: string, r = 2, tol = 60): boolean {
  for (let dy = -r; dy <= r; dy++)
    for (let dx = -r; dx <= r; dx++) if (colourDistance(pixel(img, x + dx, y + dy), colour) <= tol) return true;
  return false;
}

/** Distance from a point to a polyline. */
function distanceToLine(pts: [number, number][], x: number, y: number): number {
  let best = Infinity;
  for (let i = 0; i + 1 < pts.length; i++) {
    const [ax, ay] = pts[i]!,
      [bx, by] = pts[i + 1]!;
    const len2 = (bx - ax) ** 2 + (by - ay) ** 2;
    const t = len2 ? Math.min(1, Math.max(0, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / len2)) : 0;
    best = Math.min(best, Math.hypot(x - ax - t * (bx - ax), y - ay - t * (by - ay)));
  }
  return best;
}

/** Share of pixels whose colours differ by more than `tol` in some channel. */
function differing(a: Image, b: Image, tol = 64): number {
  let n = 0;
  for (let i = 0; i < a.rgb.length; i += 3)
    if (Math.max(...[0, 1, 2].map((c) => Math.abs(a.rgb[i + c]! - b.rgb[i + c]!))) > tol) n++;
  return n / (a.width * a.height);
}

/** Checks a solid line's pixels: on the curve everywhere, and never on the chord from point 2 to the end. */
function checkSolidLine(img: Image, pts: [number, number][], colour: string, by: string): void {
  for (let i = 1; i + 1 < pts.length; i++) {
    const [[ax, ay], [bx, by2]] = [pts[i]!, pts[i + 1]!];
    expect(near(img, (ax + bx) / 2, (ay + by2) / 2, colour), `${by}: segment ${i} of the curve drawn`).toBe(true);
  }
  const [x2, y2] = pts[1]!,
    [xn, yn] = pts.at(-1)!;
  for (const t of [0.2, 0.35, 0.5, 0.65, 0.8]) {
    const x = x2 + t * (xn - x2),
      y = y2 + t * (yn - y2);
    if (distanceToLine(pts, x, y) < 8) continue; // the chord meets the curve here
    expect(near(img, x, y, colour, 1, 40), `${by}: no straight line from point 2 to the last, at t = ${t}`).toBe(false);
  }
}

/** The three renders agree: text aside (ImageMagick draws glyphs a little bolder), pixel for pixel. */
function agree(images: Record<Renderer, Image>): void {
  expect(differing(images.rsvg, images.chromium), 'rsvg-convert vs Chromium').toBeLessThan(0.02);
  expect(differing(images.rsvg, images.imagemagick), 'rsvg-convert vs ImageMagick').toBeLessThan(0.05);
}

describe.skipIf(!ready)('example SVGs render alike in Chromium, rsvg-convert and ImageMagick', () => {
  it('training curves: every segment of every solid curve, nothing on the chord, the marker, dashed lines', async () => {
    const n = 30;
    const loss = Array.from({ length: n }, (_, i) => 1.5 * Math.exp(-i / 4) + 0.1 + (i === 1 ? 0.4 : 0));
    const svg = historySvg(
      {
        train: { loss, accuracy: loss.map((v) => 1 - v / 2) },
        val: { loss: loss.map((v) => v + 0.15), accuracy: loss.map((v) => 0.95 - v / 2) },
      },
      { lossTitle: 'loss', marks: [{ at: 12, label: 'kept: epoch 13' }] },
    );
    const images = await renderAll(svg, 'curves');
    const paths = seriesPaths(parseXml(svg));
    const mark = findAll(parseXml(svg), 'path').find((p) => p.attrs['data-role'] === 'mark')!;
    for (const by of RENDERERS) {
      const img = images[by];
      for (const p of paths.filter((p) => !p.attrs['stroke-dasharray']))
        checkSolidLine(img, pathPoints(p.attrs.d!), p.attrs.stroke!, by);
      for (const p of paths.filter((p) => p.attrs['stroke-dasharray'])) {
        const pts = pathPoints(p.attrs.d!);
        const drawn = pts
          .slice(1)
          .filter(([x, y], i) => near(img, (x + pts[i]![0]) / 2, (y + pts[i]![1]) / 2, p.attrs.stroke!, 3));
        expect(drawn.length, `${by}: the dashed curve is there`).toBeGreaterThan(pts.length / 3);
      }
      const [[mx, my0], [, my1]] = pathPoints(mark.attrs.d!) as [[number, number], [number, number]];
      const onMark = Array.from({ length: 20 }, (_, k) => my0 + ((my1 - my0) * (k + 0.5)) / 20).filter((y) =>
        near(img, mx, y, '#555555', 1, 70),
      );
      expect(onMark.length, `${by}: the early-stopping marker`).toBeGreaterThan(4);
    }
    agree(images);
  });

  it('decision regions: each cell its class’s tint, no seam between cells, the axes and legend drawn', async () => {
    // Three classes by angle around the origin, at the examples' resolution (120 cells a side). As
    // many points as the demo draws (300; ImageMagick once gave up on that many) sit in the bottom-left
    // corner, and one at (1, 1): they fix the extent to [−1.2, 1.2]².
    const classOf = (x: number, y: number): number =>
      Math.floor(((Math.atan2(y, x) + Math.PI) / (2 * Math.PI)) * 3) % 3;
    const corner = Array.from({ length: 299 }, (_, i) => [-1 + (i % 15) * 0.01, -1 + Math.floor(i / 15) * 0.0075]);
    const svg = regionsSvg({
      points: [...corner.flat(), 1, 1],
      labels: [...Array<number>(299).fill(0), 2],
      title: 'three sectors',
      classify: (g) => Array.from({ length: g.length / 2 }, (_, i) => classOf(g[2 * i]!, g[2 * i + 1]!)),
    });
    const images = await renderAll(svg, 'regions');
    const frame = findAll(parseXml(svg), 'rect').find((r) => r.attrs.stroke === '#666')!;
    const [L, T, size] = [Number(frame.attrs.x), Number(frame.attrs.y), Number(frame.attrs.width)];
    const cell = size / 120,
      lo = -1.2,
      span = 2.4;
    const classAt = (px: number, py: number): number => {
      const c = Math.min(119, Math.floor((px - L) / cell)),
        r = Math.min(119, Math.floor((py - T) / cell));
      return classOf(lo + ((c + 0.5) / 120) * span, lo + ((120 - r - 0.5) / 120) * span);
    };
    for (const by of RENDERERS) {
      const img = images[by];
      let checked = 0;
      // Every pixel away from class boundaries and from the points: cell edges included, where seams
      // would show.
      for (let py = T + 2; py < T + size - 2; py++) {
        for (let px = L + 2; px < L + size - 2; px++) {
          const k = classAt(px, py);
          const around = [-3, 3].flatMap((d) => [classAt(px + d, py), classAt(px, py + d)]);
          if (around.some((c) => c !== k)) continue; // next to a class boundary
          const [dx, dy] = [lo + ((px - L) / size) * span, lo + (1 - (py - T) / size) * span]; // data units
          if ((dx < -0.75 && dy < -0.75) || Math.hypot(dx - 1, dy - 1) < 0.06) continue; // under the points
          const d = colourDistance(pixel(img, px, py), tint(PALETTE[k]!, 0.6));
          if (d > 6) expect(d, `${by} at (${px}, ${py})`).toBeLessThanOrEqual(6); // (one expect per failure: fast)
          checked++;
        }
      }
      expect(checked).toBeGreaterThan(150_000);
      // The legend's three swatches.
      for (const sw of findAll(parseXml(svg), 'rect').filter((r) => r.attrs['data-role'] === 'legend')) {
        const [x, y] = [Number(sw.attrs.x) + 3, Number(sw.attrs.y) + 3];
        expect(colourDistance(pixel(img, x, y), sw.attrs.fill!), `${by}: legend swatch`).toBeLessThanOrEqual(6);
      }
    }
    agree(images);
  });

  for (const k of [2, 5]) {
    it(`ce-vs-mse (K = ${k}): both curves in both panels`, async () => {
      const { svg } = figure(k);
      const images = await renderAll(svg, `ce-vs-mse-${k}`);
      const lines = findAll(parseXml(svg), 'path').filter((p) =>
        ['ce-loss', 'mse-loss', 'ce-grad', 'mse-grad'].includes(p.attrs.id ?? ''),
      );
      expect(lines).toHaveLength(4);
      for (const by of RENDERERS) {
        for (const l of lines) {
          const pts = pathPoints(l.attrs.d!);
          if (l.attrs['stroke-dasharray']) {
            const drawn = pts.filter(([x, y]) => near(images[by], x, y, l.attrs.stroke!, 3));
            expect(drawn.length, `${by}: ${l.attrs.id} (dashed)`).toBeGreaterThan(pts.length / 3);
          } else checkSolidLine(images[by], pts, l.attrs.stroke!, `${by} ${l.attrs.id}`);
        }
      }
      agree(images);
    });
  }
});
