// Breast Cancer Wisconsin (Diagnostic): a binary classifier with one logit and BCEWithLogitsLoss.
// The test part is held out from everything until the end: training watches a validation part split
// from the training data, and features are standardised with statistics of the training part only.
// The model and the scaler are saved to JSON, loaded back into a fresh model, and checked to predict
// the same.
//
//   node --conditions=source --import tsx examples/breast-cancer/main.ts [--quick] [--out dir]
//
// The default out dir is out/breast-cancer/ at the repository root.
import { manualSeed, reshape } from '@xent/core';
import {
  AdamW,
  BCEWithLogitsLoss,
  MLP,
  StandardScaler,
  breastCancer,
  confusionMatrix,
  evaluate,
  fit,
  precisionRecallF1,
  predict,
  toLabels,
  trainTestSplit,
} from '@xent/nn';
import { loadModelFile, saveModelFile } from '@xent/nn/node';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type Option, type Spec, cli } from '../lib/args.js';
import { historySvg } from '../lib/svg-plot.js';

/** Options of runBreastCancer: quick mode, where the files and the report go. */
export interface BreastCancerOptions {
  quick?: boolean;
  outDir?: string;
  log?: (line: string) => void;
}

/**
 * Trains the one-logit breast-cancer classifier, reports its test scores, saves it with its scaler and reloads it.
 * @example const { testAccuracy, reloadedSame } = await runBreastCancer({ quick: true });
 */
export async function runBreastCancer(
  opts: BreastCancerOptions = {},
): Promise<{ testAccuracy: number; reloadedSame: boolean; files: string[] }> {
  const say = opts.log ?? ((line: string) => console.log(line));
  const outDir = opts.outDir ?? resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'out', 'breast-cancer');

  manualSeed(0);
  const data = breastCancer();
  const y = reshape(data.y, [-1, 1]); // one target per logit: [N, 1]
  const split = trainTestSplit(data.x, y, { testSize: 0.25, seed: 0, stratify: true });
  const fitPart = trainTestSplit(split.xTrain, split.yTrain, { testSize: 0.15, seed: 1, stratify: true });
  const scaler = new StandardScaler().fit(fitPart.xTrain); // statistics of the training part only
  const xTrain = scaler.transform(fitPart.xTrain),
    xVal = scaler.transform(fitPart.xTest),
    xTest = scaler.transform(split.xTest);
  say(
    `breast cancer: ${xTrain.shape[0]} training, ${xVal.shape[0]} validation and ${xTest.shape[0]} test tumours, ${data.featureNames.length} features; 0 = ${data.classNames[0]}, 1 = ${data.classNames[1]}`,
  );
  say(`credit: ${data.credit}`);

  const model = new MLP([30, 16, 1]);
  const loss = new BCEWithLogitsLoss();
  const history = fit(model, {
    data: { x: xTrain, y: fitPart.yTrain },
    valData: { x: xVal, y: fitPart.yTest }, // never the test part: it would leak into choices made while training
    loss,
    optimizer: new AdamW(model.parameters(), { lr: 0.01, weightDecay: 0.01 }),
    epochs: opts.quick ? 20 : 60,
    batchSize: 64,
    metrics: ['accuracy'],
    verbose: opts.quick ? 0 : 1,
  });
  const test = evaluate(model, { x: xTest, y: split.yTest }, { loss });
  say(`test accuracy: ${(100 * test.accuracy!).toFixed(1)} %  (loss ${test.loss!.toFixed(4)})`);

  const pred = toLabels(predict(model, xTest), { threshold: 0 }); // a logit above 0 means benign
  const [[tn, fp], [fn, tp]] = confusionMatrix(pred, split.yTest, 2) as [[number, number], [number, number]];
  say(
    `confusion matrix: ${tn} malignant found, ${fp} malignant called benign, ${fn} benign called malignant, ${tp} benign found`,
  );
  const r = precisionRecallF1(pred, split.yTest, 2);
  data.classNames.forEach((name, c) =>
    say(
      `  ${name.padEnd(9)}  precision ${r.precision[c]!.toFixed(3)}  recall ${r.recall[c]!.toFixed(3)}  F1 ${r.f1[c]!.toFixed(3)}`,
    ),
  );

  mkdirSync(outDir, { recursive: true });
  const files = [join(outDir, 'training-curves.svg'), join(outDir, 'model.json')];
  writeFileSync(files[0]!, historySvg(history, { lossTitle: 'loss (binary cross-entropy)' }));
  await saveModelFile(model, files[1]!, {
    meta: { sizes: [30, 16, 1], mean: Array.from(scaler.mean!), std: Array.from(scaler.std!) },
  });

  // Load into a fresh model, rebuild the scaler from the saved statistics, and compare predictions.
  const fresh = new MLP([30, 16, 1]);
  const meta = (await loadModelFile(fresh, files[1]!)) as { mean: number[]; std: number[] };
  const again = new StandardScaler();
  again.mean = Float64Array.from(meta.mean);
  again.std = Float64Array.from(meta.std);
  const a = predict(model, xTest),
    b = predict(fresh, again.transform(split.xTest));
  const reloadedSame = a.data.every((v, i) => v === b.data[i]);
  say(`saved ${files[1]} and loaded it back: ${reloadedSame ? 'identical' : 'DIFFERENT'} predictions on the test part`);
  say(`wrote ${files[0]}`);
  return { testAccuracy: test.accuracy!, reloadedSame, files };
}

/** The example's command line (`--help` prints it). */
export const breastCancerCli = {
  command: `node --conditions=source --import tsx examples/breast-cancer/main.ts`,
  about: 'Breast cancer with one logit and BCEWithLogitsLoss; saves the model and scaler, loads them back, compares.',
  options: {
    quick: { kind: 'switch', help: '20 epochs instead of 60' },
    out: { kind: 'path', arg: '<dir>', help: 'where the files go (default out/breast-cancer/ at the repository root)' },
  },
} satisfies Spec<Record<string, Option>>;

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  await cli(breastCancerCli, (v) => runBreastCancer({ quick: v.quick, outDir: v.out && resolve(v.out) }));
}
