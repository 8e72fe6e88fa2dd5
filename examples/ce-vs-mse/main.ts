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
import { document, panel } from './plot.js';

const CE = '#1f5fbf';
const MSE = '#e8710a';

/** The figure as SVG text, from curves computed for `classes` classes. */
export function figure(classes = 2): { svg: string; points: CurvePoint[] } {
  const pts = curves({ classes });
  const ps = pts.map((c) => c.p);
  const xTicks = [0, 0.2, 0.4, 0.6, 0.8, 1];
  const lossPanel = panel(
    {
      title: 'Loss',
      xLabel: 'p = softmax(z)[true class]',
      yLabel: 'loss',
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
        { x: 0.3, y: 1.35, text: 'MSE: at most 1, however wrong', color: MSE },
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

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const args = process.argv.slice(2);
  const k = args.indexOf('--classes');
  const classes = k >= 0 ? Number(args[k + 1]) : 2;
  const rest = k >= 0 ? args.filter((_, i) => i !== k && i !== k + 1) : args;
  const out = resolve(
    rest[0] ?? join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'out', 'ce-vs-mse', 'ce-vs-mse.svg'),
  );
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
