import { Tensor } from '@xent/core';
import { modelFromSafetensors, readSafetensors } from '@xent/nn';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runExport, torchModule } from '../../examples/export/main.js';

const dir = mkdtempSync(join(tmpdir(), 'xent-export-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Debian's PyTorch, when this machine has it (the suite never needs it: that test is skipped without it). */
const haveTorch =
  existsSync('/usr/bin/python3') &&
  spawnSync('/usr/bin/python3', ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;

describe('examples/export', () => {
  let result: Awaited<ReturnType<typeof runExport>>;
  const lines: string[] = [];

  it('trains iris, writes both files, runs the ONNX file in ONNX Runtime with xent’s outputs (quick mode)', async () => {
    result = await runExport({ quick: true, outDir: dir, log: (l) => lines.push(l) });
    expect(result.testAccuracy).toBeGreaterThanOrEqual(0.9);
    expect(result.onnxAccuracy).toBe(result.testAccuracy);
    expect(result.onnxMaxDiff).toBeLessThan(1e-5);
    const text = lines.join('\n');
    expect(text).toMatch(/ONNX Runtime 1\.31\.1: test accuracy \d+\.\d %, logits within \d\.\de-\d+ of xent's/);
    expect(text).toContain(
      'model = torch.nn.Sequential(torch.nn.Linear(4, 16), torch.nn.ReLU(), torch.nn.Linear(16, 3))',
    );
    expect(text).toContain('model.load_state_dict(state)');
    // the safetensors file rebuilds the same model and carries the scaler
    const bytes = new Uint8Array(readFileSync(result.files.safetensors));
    const { metadata } = readSafetensors(bytes);
    expect(JSON.parse(metadata.mean!)).toHaveLength(4);
    expect(metadata.classes!.split(',')).toHaveLength(3);
    expect(modelFromSafetensors(bytes).model.numParameters()).toBe(4 * 16 + 16 + 16 * 3 + 3);
  });

  it('prints torch.nn expressions for every stock layer', () => {
    expect(
      torchModule({
        type: 'Sequential',
        layers: [
          { type: 'Flatten', startDim: 1, endDim: -1 },
          { type: 'Linear', inFeatures: 4, outFeatures: 2, bias: false, dtype: 'float32' },
          { type: 'LeakyReLU', negativeSlope: 0.1 },
          { type: 'Dropout', p: 0.5 },
          { type: 'GELU' },
          { type: 'LogSoftmax', dim: -1 },
        ],
      }),
    ).toBe(
      'torch.nn.Sequential(torch.nn.Flatten(1, -1), torch.nn.Linear(4, 2, bias=False), torch.nn.LeakyReLU(0.1), ' +
        'torch.nn.Dropout(0.5), torch.nn.GELU(), torch.nn.LogSoftmax(dim=-1))',
    );
  });

  it.skipIf(!haveTorch)('the printed Python loads the file into PyTorch, which computes xent’s outputs', () => {
    const x = [0.5, -1, 0.25, 2, -0.3, 0.1, 1.2, -0.7];
    const script = [
      ...result.python,
      'model.eval()',
      `print(json.dumps(model(torch.tensor(${JSON.stringify(x)}).reshape(2, 4)).reshape(-1).tolist()))`,
    ].join('\n');
    const out = JSON.parse(
      execFileSync('/usr/bin/python3', ['-c', script], { encoding: 'utf8' }).trim().split('\n').pop()!,
    );
    const { model } = modelFromSafetensors(new Uint8Array(readFileSync(result.files.safetensors)));
    const ours = model.forward(new Tensor(Float32Array.from(x), [2, 4])).data;
    expect(out).toHaveLength(6);
    out.forEach((v: number, i: number) => expect(Math.abs(v - ours[i]!)).toBeLessThan(1e-5));
  });

  it('runs from the command line with --quick and --out', () => {
    const root = resolve(__dirname, '../..');
    const out = execFileSync(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', 'examples/export/main.ts', '--quick', '--out', join(dir, 'cli')],
      { cwd: root, encoding: 'utf8' },
    );
    expect(out).toMatch(/ONNX Runtime .*test accuracy/);
    for (const f of ['iris.onnx', 'iris.safetensors']) expect(existsSync(join(dir, 'cli', f))).toBe(true);
  });
});
