// The spiral, trained with a hand-written loop: the five lines every PyTorch course shows
// (zero the gradients, forward, loss, backward, step), then the decision regions as an SVG and the
// trained weights as JSON.
//
//   node --conditions=source --import tsx examples/spiral/main.ts [--classes 3] [--epochs 300] [--quick] [--out dir]
//
// The default out dir is out/spiral/ at the repository root.
import { Tensor, manualSeed } from '@xent/core';
import { Adam, CrossEntropyLoss, MLP, accuracy, predict, spiral, toLabels } from '@xent/nn';
import { saveModelFile } from '@xent/nn/node';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type Option, type Spec, cli } from '../lib/args.js';
import { curvesSvg, regionsSvg } from '../lib/svg-plot.js';

/** Options of runSpiral: classes, epochs, quick mode, where the files and the report go. */
export interface SpiralOptions {
  classes?: number;
  epochs?: number;
  quick?: boolean;
  outDir?: string;
  log?: (line: string) => void;
}

/**
 * Trains the spiral with the hand-written five-line loop and writes the regions, the loss curve and the model.
 * @example const { accuracy } = await runSpiral({ classes: 5, outDir: 'out/spiral' });
 */
export async function runSpiral(
  opts: SpiralOptions = {},
): Promise<{ accuracy: number; losses: number[]; files: string[] }> {
  const say = opts.log ?? ((line: string) => console.log(line));
  const classes = opts.classes ?? 3;
  const epochs = opts.epochs ?? (opts.quick ? 80 : 300);
  if (!Number.isInteger(epochs) || epochs < 1)
    throw new RangeError(`spiral example: --epochs must be a positive integer, got ${epochs}`);
  const outDir = opts.outDir ?? resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'out', 'spiral');

  manualSeed(0);
  const { x, y } = spiral({ n: 100 * classes, classes, seed: 0 });
  const model = new MLP([2, 64, 64, classes]);
  const lossFn = new CrossEntropyLoss();
  const optimizer = new Adam(model.parameters(), { lr: 0.01 });
  say(
    `spiral: ${x.shape[0]} points, ${classes} classes; ${model.numParameters()} parameters; ${epochs} full-batch epochs`,
  );

  const losses: number[] = [];
  for (let epoch = 0; epoch < epochs; epoch++) {
    optimizer.zeroGrad(); //                      clear last step's gradients
    const loss = lossFn.forward(model.forward(x), y); // forward: logits, then cross-entropy
    loss.backward(); //                           back-propagate
    optimizer.step(); //                          update the weights in place
    losses.push(loss.item());
    if ((epoch + 1) % Math.max(1, Math.floor(epochs / 6)) === 0)
      say(`  epoch ${String(epoch + 1).padStart(4)}  loss ${loss.item().toFixed(4)}`);
  }

  const acc = accuracy(predict(model, x), y);
  say(`training accuracy: ${(100 * acc).toFixed(1)} %`);
  mkdirSync(outDir, { recursive: true });
  const files = [join(outDir, 'decision-regions.svg'), join(outDir, 'loss.svg'), join(outDir, 'model.json')];
  writeFileSync(
    files[0]!,
    regionsSvg({
      points: x.data,
      labels: y.data,
      title: `spiral, ${classes} classes: ${(100 * acc).toFixed(1)} % training accuracy`,
      classify: (grid) => toLabels(predict(model, new Tensor(grid, [grid.length / 2, 2]))),
    }),
  );
  writeFileSync(
    files[1]!,
    curvesSvg([{ title: 'training loss', series: [{ label: 'cross-entropy', values: losses }], yMin: 0 }]),
  );
  await saveModelFile(model, files[2]!, { meta: { example: 'spiral', classes, sizes: [2, 64, 64, classes] } });
  say(`wrote ${files.join(', ')}`);
  return { accuracy: acc, losses, files };
}

/** The example's command line (`--help` prints it). */
export const spiralCli = {
  command: `node --conditions=source --import tsx examples/spiral/main.ts`,
  about:
    'Trains an MLP on the spiral with the hand-written five-line loop; writes the regions, the loss curve, the model.',
  options: {
    classes: { kind: 'int', arg: '<K>', min: 2, help: 'number of classes, 100 points each (default 3)' },
    epochs: { kind: 'int', arg: '<N>', min: 1, help: 'full-batch training steps (default 300, 80 with --quick)' },
    quick: { kind: 'switch', help: 'fewer epochs' },
    out: { kind: 'path', arg: '<dir>', help: 'where the files go (default out/spiral/ at the repository root)' },
  },
} satisfies Spec<Record<string, Option>>;

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  await cli(spiralCli, (v) =>
    runSpiral({ classes: v.classes, epochs: v.epochs, quick: v.quick, outDir: v.out && resolve(v.out) }),
  );
}
