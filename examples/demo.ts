// The main demo: trains a softmax classifier on three quarters of the spiral with a live progress
// bar, prints its accuracy on those points and on the held-out quarter, checks the fused
// softmax–cross-entropy gradient on the trained model's logits against the same loss composed from
// primitives and against central differences, and draws two pictures.
//
//   pnpm demo                 (node --conditions=source --import tsx examples/demo.ts)
//   pnpm demo --quick         fewer epochs (used by the tests)
//   pnpm demo --out <dir>     where the SVGs go (default out/demo/ at the repository root)
import { Tensor, crossEntropy, exp, log, manualSeed, max, mean, mul, neg, noGrad, oneHot, sub, sum } from '@xent/core';
import {
  Adam,
  CosineAnnealingLR,
  CrossEntropyLoss,
  MLP,
  type OutputSink,
  accuracy,
  fit,
  predict,
  spiral,
  toLabels,
  trainTestSplit,
} from '@xent/nn';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type Option, type Spec, cli } from './lib/args.js';
import { historySvg, regionsSvg } from './lib/svg-plot.js';

/** Options of runDemo: quick mode, where the pictures and the output go. */
export interface DemoOptions {
  quick?: boolean;
  outDir?: string;
  /** Progress bar / per-epoch lines (default: stdout). */
  output?: OutputSink | null;
  /** Where the report lines go (default console.log). */
  log?: (line: string) => void;
}

/** What runDemo measured and wrote. */
export interface DemoResult {
  /** Accuracy on the training points and on the held-out quarter the model never saw. */
  accuracy: number;
  testAccuracy: number;
  maxDiffComposed: number;
  maxDiffNumeric: number;
  files: string[];
}

/**
 * The loss written from primitives only: −mean over rows of Σ_c onehot · (z − m − log Σ e^(z − m)).
 * @example composedCrossEntropy(logits, labels).item(); // = crossEntropy(logits, labels).item()
 */
export function composedCrossEntropy(z: Tensor, y: Tensor): Tensor {
  const m = max(z, 1, true).detach(); // a constant shift: changes nothing but the range of exp
  const logProbs = sub(sub(z, m), log(sum(exp(sub(z, m)), 1, true)));
  return neg(mean(sum(mul(logProbs, oneHot(y, z.shape[1]!)), 1)));
}

/**
 * Largest difference between the fused gradient and (a) the composed twin's, (b) central differences.
 * @example const { maxDiffComposed, maxDiffNumeric } = checkGradient(predict(model, x), y);
 */
export function checkGradient(
  logits: Tensor,
  y: Tensor,
  eps = 1e-6,
): { maxDiffComposed: number; maxDiffNumeric: number } {
  const z1 = new Tensor(logits.data.slice(), logits.shape, true);
  crossEntropy(z1, y).backward();
  const z2 = new Tensor(logits.data.slice(), logits.shape, true);
  composedCrossEntropy(z2, y).backward();
  const fused = z1.grad!.data,
    composed = z2.grad!.data;
  let maxDiffComposed = 0,
    maxDiffNumeric = 0;
  const z = new Tensor(logits.data.slice(), logits.shape);
  noGrad(() => {
    for (let i = 0; i < z.size; i++) {
      const keep = z.data[i]!;
      z.data[i] = keep + eps;
      const plus = crossEntropy(z, y).item();
      z.data[i] = keep - eps;
      const minus = crossEntropy(z, y).item();
      z.data[i] = keep;
      maxDiffNumeric = Math.max(maxDiffNumeric, Math.abs((plus - minus) / (2 * eps) - fused[i]!));
      maxDiffComposed = Math.max(maxDiffComposed, Math.abs(composed[i]! - fused[i]!));
    }
  });
  return { maxDiffComposed, maxDiffNumeric };
}

/**
 * The main demo: trains the spiral classifier, checks the fused gradient, writes the two SVGs.
 * @example const { accuracy, files } = runDemo({ quick: true, outDir: 'out' });
 */
export function runDemo(opts: DemoOptions = {}): DemoResult {
  const say = opts.log ?? ((line: string) => console.log(line));
  const outDir = opts.outDir ?? resolve(dirname(fileURLToPath(import.meta.url)), '..', 'out', 'demo');
  const epochs = opts.quick ? 40 : 120;

  manualSeed(0);
  const spiralData = spiral({ n: 300, classes: 3, noise: 0.2, seed: 0 });
  // A quarter of the points is held out: the model never trains on them.
  const {
    xTrain: x,
    yTrain: y,
    xTest,
    yTest,
  } = trainTestSplit(spiralData.x, spiralData.y, { testSize: 0.25, stratify: true, seed: 0 });
  const model = new MLP([2, 64, 64, 3]);
  const optimizer = new Adam(model.parameters(), { lr: 0.02 });
  say(
    `xent demo: a softmax classifier on the spiral (300 points, 3 classes; ${x.shape[0]} to train on, ${xTest.shape[0]} held out)`,
  );
  say(
    `model: MLP 2 → 64 → 64 → 3 (${model.numParameters()} parameters), Adam with cosine annealing, cross-entropy, ${epochs} epochs`,
  );
  const history = fit(model, {
    data: { x, y },
    loss: new CrossEntropyLoss(),
    optimizer,
    scheduler: new CosineAnnealingLR(optimizer, { tMax: epochs }),
    epochs,
    batchSize: 30,
    metrics: ['accuracy'],
    output: opts.output,
  });

  const logits = predict(model, x);
  const acc = accuracy(logits, y);
  const testAcc = accuracy(predict(model, xTest), yTest);
  say(`final training accuracy: ${(100 * acc).toFixed(1)} %`);
  say(`held-out accuracy:       ${(100 * testAcc).toFixed(1)} % (${xTest.shape[0]} points not trained on)`);

  const { maxDiffComposed, maxDiffNumeric } = checkGradient(logits, y);
  say(
    `gradient of the fused softmax–cross-entropy at the trained logits [${logits.shape.join(', ')}], mean over rows:`,
  );
  say(`  largest |fused − composed from primitives| = ${maxDiffComposed.toExponential(2)}`);
  say(`  largest |fused − central differences|      = ${maxDiffNumeric.toExponential(2)}`);

  mkdirSync(outDir, { recursive: true });
  const regions = join(outDir, 'decision-regions.svg'),
    curves = join(outDir, 'training-curves.svg');
  writeFileSync(
    regions,
    regionsSvg({
      points: x.data,
      labels: y.data,
      testPoints: xTest.data,
      testLabels: yTest.data,
      title: `spiral: training ${(100 * acc).toFixed(1)} %, held out ${(100 * testAcc).toFixed(1)} %`,
      classify: (grid) => toLabels(predict(model, new Tensor(grid, [grid.length / 2, 2]))),
    }),
  );
  writeFileSync(curves, historySvg(history, { lossTitle: 'loss (cross-entropy)' }));
  const shown = (f: string): string => relative(process.cwd(), f) || f;
  say(`wrote ${shown(regions)} and ${shown(curves)}`);
  return { accuracy: acc, testAccuracy: testAcc, maxDiffComposed, maxDiffNumeric, files: [regions, curves] };
}

/** The demo's command line (`pnpm demo --help` prints it). */
export const demoCli = {
  command: `pnpm demo  (node --conditions=source --import tsx examples/demo.ts)`,
  about:
    'Trains a softmax classifier on the spiral, checks the fused softmax–cross-entropy gradient, draws two pictures.',
  options: {
    quick: { kind: 'switch', help: 'fewer epochs (40 instead of 120)' },
    out: { kind: 'path', arg: '<dir>', help: 'where the SVGs go (default out/demo/ at the repository root)' },
  },
} satisfies Spec<Record<string, Option>>;

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  await cli(demoCli, (v) => {
    const t0 = Date.now();
    runDemo({ quick: v.quick, outDir: v.out && resolve(v.out) });
    console.log(`done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  });
}
