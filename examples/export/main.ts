// Take a model elsewhere: train the iris classifier, export it as ONNX (run here with ONNX Runtime from
// Node, as on a server, a phone or in a browser) and as safetensors (load_state_dict in PyTorch), and print
// the Python lines that load it into torch.nn.Sequential.
//
//   node --conditions=source --import tsx examples/export/main.ts [--quick] [--out dir]
//
// The default out dir is out/export/ at the repository root.
import { Tensor, manualSeed } from '@xent/core';
import {
  Adam,
  CrossEntropyLoss,
  type LayerSpec,
  MLP,
  StandardScaler,
  accuracy,
  describeModel,
  evaluate,
  fit,
  iris,
  predict,
  trainTestSplit,
} from '@xent/nn';
import { saveOnnx, saveSafetensorsFile } from '@xent/nn/node';
import * as ort from 'onnxruntime-node';
import { type Option, type Spec, cli } from '../lib/args.js';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Options of runExport: fewer epochs, where the files go, where the report lines go. */
export interface ExportOptions {
  quick?: boolean;
  outDir?: string;
  log?: (line: string) => void;
}

/** The torch.nn module expression of a stock layer description (what describeModel wrote in the file). */
export function torchModule(spec: LayerSpec): string {
  switch (spec.type) {
    case 'Sequential':
      return `torch.nn.Sequential(${spec.layers.map(torchModule).join(', ')})`;
    case 'Linear':
      return `torch.nn.Linear(${spec.inFeatures}, ${spec.outFeatures}${spec.bias ? '' : ', bias=False'})`;
    case 'LeakyReLU':
      return `torch.nn.LeakyReLU(${spec.negativeSlope})`;
    case 'Softmax':
    case 'LogSoftmax':
      return `torch.nn.${spec.type}(dim=${spec.dim})`;
    case 'Dropout':
      return `torch.nn.Dropout(${spec.p})`;
    case 'Flatten':
      return `torch.nn.Flatten(${spec.startDim}, ${spec.endDim})`;
    default:
      return `torch.nn.${spec.type}()`;
  }
}

/**
 * Trains iris, writes iris.onnx and iris.safetensors, runs the ONNX file with ONNX Runtime and compares it with
 * xent's own forward, and prints the Python that loads the safetensors file into PyTorch.
 * @example const { onnxMaxDiff } = await runExport({ quick: true, outDir: 'out/export' });
 */
export async function runExport(opts: ExportOptions = {}): Promise<{
  testAccuracy: number;
  onnxAccuracy: number;
  onnxMaxDiff: number;
  files: { onnx: string; safetensors: string };
  python: string[];
}> {
  const say = opts.log ?? ((line: string) => console.log(line));
  const outDir = opts.outDir ?? resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'out', 'export');

  manualSeed(0);
  const data = iris();
  const split = trainTestSplit(data.x, data.y, { testSize: 0.3, seed: 0, stratify: true });
  const scaler = new StandardScaler().fit(split.xTrain);
  const xTrain = scaler.transform(split.xTrain),
    xTest = scaler.transform(split.xTest);
  const model = new MLP([4, 16, 3], { dtype: 'float32' }); // float32: what ONNX Runtime and PyTorch use by default
  const loss = new CrossEntropyLoss();
  fit(model, {
    data: { x: xTrain.to('float32'), y: split.yTrain },
    loss,
    optimizer: new Adam(model.parameters(), { lr: 0.02 }),
    epochs: opts.quick ? 40 : 150,
    batchSize: 16,
    verbose: 0,
  });
  const x = xTest.to('float32');
  const test = evaluate(model, { x, y: split.yTest }, { loss });
  say(`iris: an MLP 4 → 16 → 3 in float32, test accuracy ${(100 * test.accuracy!).toFixed(1)} %`);

  const files = { onnx: join(outDir, 'iris.onnx'), safetensors: join(outDir, 'iris.safetensors') };
  await saveOnnx(model, files.onnx, { inputName: 'features', outputName: 'logits' });
  const meta = {
    classes: data.classNames.join(','),
    mean: JSON.stringify(Array.from(scaler.mean!)),
    std: JSON.stringify(Array.from(scaler.std!)),
  };
  await saveSafetensorsFile(model, files.safetensors, { metadata: meta });
  say(`wrote ${files.onnx} and ${files.safetensors} (with the scaler's mean and std in its metadata)`);

  // ONNX Runtime: the same logits as xent's forward, to float32 precision.
  const session = await ort.InferenceSession.create(files.onnx);
  const out = await session.run({ features: new ort.Tensor('float32', x.data as Float32Array, x.shape.slice()) });
  const logits = out.logits!.data as Float32Array;
  const ours = predict(model, x).data;
  let onnxMaxDiff = 0;
  for (let i = 0; i < ours.length; i++) onnxMaxDiff = Math.max(onnxMaxDiff, Math.abs(ours[i]! - logits[i]!));
  const onnxAccuracy = accuracy(new Tensor(Float32Array.from(logits), out.logits!.dims.slice()), split.yTest);
  say(
    `ONNX Runtime ${ort.env.versions.common}: test accuracy ${(100 * onnxAccuracy).toFixed(1)} %, logits within ${onnxMaxDiff.toExponential(1)} of xent's`,
  );

  // PyTorch: the model rebuilt from the architecture, then load_state_dict from the safetensors file.
  const arch = describeModel(model)!;
  const path = files.safetensors;
  const python = [
    'import json, struct, torch',
    `model = ${torchModule(arch)}`,
    `# with the safetensors package: from safetensors.torch import load_file; state = load_file(${JSON.stringify(path)})`,
    `b = open(${JSON.stringify(path)}, 'rb').read(); n = struct.unpack('<Q', b[:8])[0]; header = json.loads(b[8:8 + n])`,
    "state = {k: torch.frombuffer(bytearray(b[8 + n + v['data_offsets'][0]:8 + n + v['data_offsets'][1]]), dtype=torch.float32).reshape(v['shape']) for k, v in header.items() if k != '__metadata__'}",
    'model.load_state_dict(state)',
  ];
  say('load it in PyTorch:');
  for (const l of python) say(`  ${l}`);
  return { testAccuracy: test.accuracy!, onnxAccuracy, onnxMaxDiff, files, python };
}

/** The example's command line (`--help` prints it). */
export const exportCli = {
  command: `node --conditions=source --import tsx examples/export/main.ts`,
  about: 'Trains iris, exports ONNX and safetensors, runs the ONNX file with ONNX Runtime, prints the PyTorch lines.',
  options: {
    quick: { kind: 'switch', help: 'fewer epochs' },
    out: { kind: 'path', arg: '<dir>', help: 'where the files go (default out/export/ at the repository root)' },
  },
} satisfies Spec<Record<string, Option>>;

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  await cli(exportCli, (v) => runExport({ quick: v.quick, outDir: v.out && resolve(v.out) }));
}
