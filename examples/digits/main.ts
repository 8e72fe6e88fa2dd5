// Handwritten digits (8×8 pixels, 10 classes) with fit(): a validation split, early stopping that
// restores the best weights, then the test accuracy, the confusion matrix and per-class precision,
// recall and F1; pictures of the learning curves and of the test digits the model gets wrong.
//
//   node --conditions=source --import tsx examples/digits/main.ts [--quick] [--out dir]
//
// The default out dir is out/digits/ at the repository root.
import { manualSeed } from '@xent/core';
import {
  Adam,
  CrossEntropyLoss,
  EarlyStopping,
  MLP,
  confusionMatrix,
  digits,
  evaluate,
  fit,
  precisionRecallF1,
  predict,
  toLabels,
  trainTestSplit,
} from '@xent/nn';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type Option, type Spec, cli } from '../lib/args.js';
import { historySvg, svgOpen, text } from '../lib/svg-plot.js';

/** Options of runDigits: fewer epochs, where the pictures go, where the report lines go. */
export interface DigitsOptions {
  quick?: boolean;
  outDir?: string;
  log?: (line: string) => void;
}

/** Up to `max` 8×8 images in a row, grey levels 0..1, each captioned. */
function digitsSvg(images: Float64Array[], captions: string[]): string {
  const cell = 8,
    scale = 6,
    w = cell * scale,
    gap = 14;
  const parts = images.map((img, k) => {
    const ox = k * (w + gap) + gap / 2;
    const px: string[] = [];
    for (let i = 0; i < 64; i++) {
      const v = Math.round(255 * (1 - img[i]!));
      // Integer pixel squares, so that no renderer anti-aliases their edges into seams.
      px.push(
        `<rect x="${ox + (i % 8) * scale}" y="${6 + Math.floor(i / 8) * scale}" width="${scale}" height="${scale}" fill="rgb(${v},${v},${v})" stroke="none"/>`,
      );
    }
    return `${px.join('')}${text(ox + w / 2, w + 22, captions[k]!, 'text-anchor="middle" font-size="11"')}`;
  });
  const width = Math.max(images.length, 1) * (w + gap);
  return `${svgOpen(width, w + 30)}${parts.join('\n')}\n</svg>\n`;
}

/**
 * Trains the digits classifier with validation and early stopping, reports test accuracy, the
 * confusion matrix and per-class precision/recall/F1, and writes the curves and the misread digits.
 * @example const { testAccuracy } = runDigits({ quick: true, outDir: 'out/digits' });
 */
export function runDigits(opts: DigitsOptions = {}): { testAccuracy: number; epochs: number; files: string[] } {
  const say = opts.log ?? ((line: string) => console.log(line));
  const outDir = opts.outDir ?? resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'out', 'digits');

  manualSeed(0);
  const data = digits();
  const x = data.x.div(16); // pixels 0..16 → 0..1
  const {
    xTrain: xRest,
    yTrain: yRest,
    xTest,
    yTest,
  } = trainTestSplit(x, data.y, { testSize: 0.2, seed: 0, stratify: true });
  const {
    xTrain,
    yTrain,
    xTest: xVal,
    yTest: yVal,
  } = trainTestSplit(xRest, yRest, { testSize: 0.15, seed: 1, stratify: true });
  say(`digits: ${xTrain.shape[0]} training, ${xVal.shape[0]} validation, ${xTest.shape[0]} test images of 8×8 pixels`);
  say(`credit: ${data.credit}`);

  const model = new MLP([64, 128, 10], { dropout: 0.1 });
  const loss = new CrossEntropyLoss();
  const stop = new EarlyStopping({ monitor: 'valLoss', patience: 4 });
  const history = fit(model, {
    data: { x: xTrain, y: yTrain },
    valData: { x: xVal, y: yVal },
    loss,
    optimizer: new Adam(model.parameters(), { lr: 0.005 }),
    epochs: opts.quick ? 8 : 40,
    batchSize: 64,
    metrics: ['accuracy'],
    callbacks: [stop],
    verbose: opts.quick ? 0 : 1,
  });
  say(
    `trained ${history.epochs} epochs; best validation loss ${stop.best.toFixed(4)} at epoch ${stop.bestEpoch + 1} (weights restored)`,
  );

  const test = evaluate(model, { x: xTest, y: yTest }, { loss });
  say(`test accuracy: ${(100 * test.accuracy!).toFixed(1)} %  (loss ${test.loss!.toFixed(4)})`);
  const pred = toLabels(predict(model, xTest));
  const cm = confusionMatrix(pred, yTest, 10);
  say('confusion matrix (rows: true digit, columns: predicted):');
  say(`      ${[...Array(10).keys()].map((d) => String(d).padStart(4)).join('')}`);
  cm.forEach((row, d) => say(`  ${d}:  ${row.map((v) => String(v).padStart(4)).join('')}`));
  const r = precisionRecallF1(pred, yTest, 10);
  say('digit  precision  recall  F1');
  for (let d = 0; d < 10; d++)
    say(`  ${d}      ${r.precision[d]!.toFixed(3)}    ${r.recall[d]!.toFixed(3)}  ${r.f1[d]!.toFixed(3)}`);

  mkdirSync(outDir, { recursive: true });
  const files = [join(outDir, 'training-curves.svg'), join(outDir, 'mistakes.svg')];
  // Mark the epoch whose weights early stopping kept (the curves go on to where it stopped).
  const kept = `kept: epoch ${stop.bestEpoch + 1}, lowest val. loss`;
  writeFileSync(
    files[0]!,
    historySvg(history, { lossTitle: 'loss (cross-entropy)', marks: [{ at: stop.bestEpoch, label: kept }] }),
  );
  const wrong: Float64Array[] = [],
    captions: string[] = [];
  let misread = 0;
  for (let i = 0; i < pred.length; i++) {
    if (pred[i] === yTest.data[i]) continue;
    misread++;
    if (wrong.length === 12) continue; // one row of pictures is enough
    wrong.push(Float64Array.from(xTest.data.subarray(i * 64, (i + 1) * 64)));
    captions.push(`${yTest.data[i]} → ${pred[i]}`);
  }
  writeFileSync(files[1]!, digitsSvg(wrong, captions));
  say(
    `wrote ${files.join(' and ')} (${wrong.length === misread ? `the ${misread}` : `${wrong.length} of the ${misread}`} misread test digits: true → predicted)`,
  );
  return { testAccuracy: test.accuracy!, epochs: history.epochs, files };
}

/** The example's command line (`--help` prints it). */
export const digitsCli = {
  command: `node --conditions=source --import tsx examples/digits/main.ts`,
  about: 'Handwritten digits with validation and early stopping; test accuracy, confusion matrix, precision/recall/F1.',
  options: {
    quick: { kind: 'switch', help: 'at most 8 epochs instead of 40' },
    out: { kind: 'path', arg: '<dir>', help: 'where the pictures go (default out/digits/ at the repository root)' },
  },
} satisfies Spec<Record<string, Option>>;

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  await cli(digitsCli, (v) => runDigits({ quick: v.quick, outDir: v.out && resolve(v.out) }));
}
