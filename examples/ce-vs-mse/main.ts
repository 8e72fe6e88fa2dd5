// Why cross-entropy keeps learning when the model is confidently wrong, in one picture.
// Plots cross-entropy and MSE-on-softmax, and their gradients with respect to the true class's
// logit, against the probability p the model gives the true class. Every plotted number comes from
// xent: the loss functions themselves, and backward() for the gradients (see curves.ts).
//
//   node --conditions=source --import tsx examples/ce-vs-mse/main.ts [out.svg] [--classes K]
//
// The default output is out/ce-vs-mse/ce-vs-mse.svg at the repository root.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type CurvePoint, curves, evaluateAt } from './curves.js';
import { type Option, type Spec, cli } from '../lib/args.js';
import { document, panel } from './plot.js';

const CE = '#1f5fbf';
const MSE = '#e8710a';

/** A number with at most 3 significant digits. */
const short = (v: number): string => String(Number(v.toPrecision(3)));

/**
 * The caption of MSE's ceiling for K classes. MSE on softmax is (1/K) Σ_c (q_c − y_c)², and with
 * (1 − q_y)² ≤ 1 and Σ_{c≠y} q_c² ≤ (Σ_{c≠y} q_c)² ≤ 1 it never exceeds 2/K, reached when all the
 * probability sits on one wrong class. The plotted curve spreads 1 − p evenly over the K − 1 wrong
 * classes, so it rises only to (1 − p)²/(K − 1) → 1/(K − 1) as p → 0; both are 1 at K = 2.
 * @example mseBound(5); // ['MSE: never above 2/K = 0.4, however wrong', '(this curve → 1/(K−1) = 0.25)']
 */
export function mseBound(classes: number): string[] {
  const lines = [`MSE: never above 2/K = ${short(2 / classes)}, however wrong`];
  if (classes > 2) lines.push(`(this curve → 1/(K−1) = ${short(1 / (classes - 1))})`);
  return lines;
}

/** The figure as SVG text, from curves computed for `classes` classes. */
export function figure(classes = 2): { svg: string; points: CurvePoint[] } {
  const pts = curves({ classes });
  const ps = pts.map((c) => c.p);
  const xTicks = [0, 0.2, 0.4, 0.6, 0.8, 1];
  const lossPanel = panel(
    {
      title: 'Loss',
      xLabel: 'p = softmax(z)[true class]',
      yLabel: 'of one sample',
      x: [0, 1],
      y: [0, 5],
      xTicks,
      yTicks: [0, 1, 2, 3, 4, 5],
      band: { from: 0, to: 0.2, label: 'confidently wrong' },
      legend: 'above',
      lines: [
        { id: 'ce-loss', label: 'cross-entropy', color: CE, xs: ps, ys: pts.map((c) => c.ceLoss) },
        { id: 'mse-loss', label: 'MSE on softmax', color: MSE, dash: '7 4', xs: ps, ys: pts.map((c) => c.mseLoss) },
      ],
      notes: [
        { x: 0.05, y: 4.1, text: 'CE: a wrong answer costs', color: CE },
        { x: 0.05, y: 3.75, text: 'without bound', color: CE },
        ...mseBound(classes).map((text, i, all) => ({
          x: 0.35,
          y: 1.38 + 0.24 * (all.length - 1 - i),
          text,
          color: MSE,
        })),
      ],
    },
    70,
    60,
    400,
    280,
  );
  const gradPanel = panel(
    {
      title: 'Gradient',
      xLabel: 'p = softmax(z)[true class]',
      yLabel: '∂loss / ∂z_true',
      x: [0, 1],
      y: [-1.05, 0.05],
      xTicks,
      yTicks: [-1, -0.8, -0.6, -0.4, -0.2, 0],
      band: { from: 0, to: 0.2, label: 'confidently wrong' },
      lines: [
        { id: 'ce-grad', label: 'cross-entropy', color: CE, xs: ps, ys: pts.map((c) => c.ceGrad) },
        { id: 'mse-grad', label: 'MSE on softmax', color: MSE, dash: '7 4', xs: ps, ys: pts.map((c) => c.mseGrad) },
      ],
      legend: 'above',
      notes: [
        { x: 0.22, y: -0.93, text: '← CE: the biggest push where most wrong', color: CE },
        { x: 0.03, y: -0.4, text: '↑ MSE’s push fades to 0:', color: MSE },
        { x: 0.03, y: -0.47, text: 'a confident mistake', color: MSE },
        { x: 0.03, y: -0.54, text: 'stops learning', color: MSE },
      ],
    },
    580,
    60,
    400,
    280,
  );
  const caption = `z_true: the logit of the true class; ${classes} classes, the other logits at 0. Every number from xent: crossEntropy, mseLoss, softmax, backward().`;
  return {
    svg: document(
      1010,
      420,
      'Cross-entropy vs MSE: loss and gradient against the probability of the true class',
      [lossPanel, gradPanel],
      caption,
    ),
    points: pts,
  };
}

/** The example's command line (`--help` prints it). */
export const ceVsMseCli = {
  command: `node --conditions=source --import tsx examples/ce-vs-mse/main.ts`,
  about: 'Cross-entropy and MSE on softmax, and their gradients, against the probability of the true class (one SVG).',
  options: {
    classes: { kind: 'int', arg: '<K>', min: 2, help: 'number of classes (default 2)' },
    out: {
      kind: 'path',
      arg: '<dir>',
      help: 'where ce-vs-mse.svg goes (default out/ce-vs-mse/ at the repository root)',
    },
  },
} satisfies Spec<Record<string, Option>>;

/** Writes the figure to `<outDir>/ce-vs-mse.svg` and prints a few of its values. */
function writeFigure(classes: number, outDir: string): void {
  const out = join(outDir, 'ce-vs-mse.svg');
  const { svg } = figure(classes);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, svg);
  console.log('   p     CE loss   MSE loss   ∂CE/∂z    ∂MSE/∂z   (from xent autograd)');
  for (const p of [0.01, 0.1, 0.5, 0.9, 0.99]) {
    const c = evaluateAt(p, classes);
    // + 0 after rounding: a tiny negative gradient prints as 0.0000, not -0.0000.
    console.log(
      [c.p, c.ceLoss, c.mseLoss, c.ceGrad, c.mseGrad]
        .map((v) => (Number(v.toFixed(4)) + 0).toFixed(4).padStart(8))
        .join('  '),
    );
  }
  console.log(`wrote ${out}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  await cli(ceVsMseCli, (v) =>
    writeFigure(
      v.classes ?? 2,
      resolve(v.out ?? join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'out', 'ce-vs-mse')),
    ),
  );
}
