import { Tensor } from '@xent/core';
import {
  Dropout,
  Flatten,
  GELU,
  Identity,
  LeakyReLU,
  Linear,
  LogSoftmax,
  MLP,
  ReLU,
  Sequential,
  Sigmoid,
  Softmax,
  Tanh,
  exportOnnx,
  loadSafetensors,
  modelFromSafetensors,
  readSafetensors,
  saveSafetensors,
} from '@xent/nn';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { onnxSummary } from './onnx-summary.js';

/* Both directions with PyTorch 1.13, from the files and JSON that test/nn/fixtures/gen-interop.py made (see its
   docstring for how to regenerate them); no Python needed here. */

const dir = join(__dirname, 'fixtures', 'interop');
const file = (name: string) => new Uint8Array(readFileSync(join(dir, name)));
const fx = JSON.parse(readFileSync(join(dir, 'interop.json'), 'utf8'));

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i]! - b[i]!));
  return d;
}

describe('PyTorch → xent (safetensors written by PyTorch)', () => {
  it('an F32 torch.nn.Sequential state dict loads into the same Sequential, with the same outputs', () => {
    const c = fx.fromTorchF32;
    const model = new Sequential(
      new Linear(4, 16, { dtype: 'float32' }),
      new GELU(),
      new Linear(16, 3, { dtype: 'float32' }),
    );
    loadSafetensors(model, file('from-torch-f32.safetensors'));
    const x = new Tensor(Float32Array.from(c.input), c.inputShape);
    expect(maxDiff(model.forward(x).data, c.output)).toBeLessThan(1e-5);
    // into a float64 model: the float32 weights widen exactly, the forward agrees to float32 precision
    const m64 = new MLP([4, 16, 3], { activation: 'gelu' });
    loadSafetensors(m64, file('from-torch-f32.safetensors'));
    expect(maxDiff(m64.forward(x.to('float64')).data, c.output)).toBeLessThan(1e-5);
  });

  it('an F64 model with named fields (fc1, act, fc2) loads into a Sequential through rename, to 1e-12', () => {
    const c = fx.fromTorchNamedF64;
    expect(Object.keys(readSafetensors(file('from-torch-named-f64.safetensors')).tensors).sort()).toEqual(
      [...c.keys].sort(),
    );
    const model = new Sequential(new Linear(4, 8), new Tanh(), new Linear(8, 3));
    const bytes = file('from-torch-named-f64.safetensors');
    expect(() => loadSafetensors(model, bytes)).toThrow(
      'loadSafetensors: the state dict does not match the model (missing keys: 0.weight, 0.bias, 2.weight, 2.bias; unexpected keys: fc1.bias, fc1.weight, fc2.bias, fc2.weight)',
    );
    loadSafetensors(model, bytes, { rename: (k) => k.replace(/^fc1\./, '0.').replace(/^fc2\./, '2.') });
    const x = new Tensor(Float64Array.from(c.input), c.inputShape);
    expect(maxDiff(model.forward(x).data, c.output)).toBeLessThan(1e-12);
    const table = new Sequential(new Linear(4, 8), new Tanh(), new Linear(8, 3));
    loadSafetensors(table, bytes, {
      rename: { 'fc1.weight': '0.weight', 'fc1.bias': '0.bias', 'fc2.weight': '2.weight', 'fc2.bias': '2.bias' },
    });
    expect(Array.from(table.forward(x).data)).toEqual(Array.from(model.forward(x).data));
  });

  it('F16 and BF16 tensors widen to the values PyTorch widens them to', () => {
    const { tensors, dtypes } = readSafetensors(file('from-torch-half.safetensors'));
    expect(dtypes).toEqual({ b: 'BF16', h: 'F16' });
    for (const k of ['h', 'b']) {
      expect(tensors[k]!.dtype).toBe('float32');
      expect(tensors[k]!.shape).toEqual(fx.fromTorchHalf[k].shape);
      expect(Array.from(tensors[k]!.data)).toEqual(fx.fromTorchHalf[k].values);
    }
  });
});

describe('xent → PyTorch (safetensors written by xent)', () => {
  const bytes = file('from-xent.safetensors');

  it('today’s writer gives the committed file byte for byte (so what PyTorch loaded is what we write)', () => {
    const { model } = modelFromSafetensors(bytes);
    expect(Buffer.from(saveSafetensors(model)).equals(Buffer.from(bytes))).toBe(true);
  });

  it('PyTorch rebuilt it from the architecture metadata, loaded it strictly and computed our outputs to 1e-12', () => {
    const c = fx.fromXent;
    const { model, metadata } = modelFromSafetensors(bytes);
    expect(c.metadata).toEqual({ ...metadata });
    expect(c.torchModel).toContain('(2): Linear(in_features=8, out_features=8, bias=False)');
    const x = new Tensor(Float64Array.from(c.input), c.inputShape);
    expect(maxDiff(model.forward(x).data, c.output)).toBeLessThan(1e-12);
  });
});

describe('ONNX: ours against torch.onnx.export and onnx’s checker', () => {
  const stock = (lin: (i: number, o: number) => Linear) =>
    new Sequential(
      lin(4, 8),
      new ReLU(),
      lin(8, 8),
      new GELU(),
      lin(8, 6),
      new LeakyReLU(0.2),
      new Tanh(),
      new Sigmoid(),
      new Dropout(0.5),
      new Identity(),
      lin(6, 3),
      new Softmax(-1),
    );
  const f32 = (i: number, o: number) => new Linear(i, o, { dtype: 'float32' });

  it('an MLP: the same graph as torch.onnx.export (nodes, attributes, initializers, inputs, outputs)', () => {
    const ours = onnxSummary(exportOnnx(new MLP([4, 16, 16, 3], { dtype: 'float32' })));
    expect(ours).toEqual(fx.torchOnnx.mlp13);
  });

  it('every stock layer at opsets 13 and 17: the same graph as PyTorch’s, GELU decomposed as it does it', () => {
    for (const opset of [13, 17]) {
      const ours = onnxSummary(exportOnnx(stock(f32), { opset }));
      expect(ours).toEqual(fx.torchOnnx[`stock${opset}`]);
    }
  });

  it('Flatten and LogSoftmax(dim 1) as PyTorch writes them', () => {
    const m = new Sequential(new Flatten(), f32(12, 3), new LogSoftmax(1));
    const ours = onnxSummary(exportOnnx(m, { inputShape: [3, 4] }));
    expect(ours).toEqual(fx.torchOnnx.logSoftmax13);
  });

  it('Linear without bias: PyTorch pre-transposes into an unnamed initializer, we keep 0.weight and Transpose it', () => {
    const torch = fx.torchOnnx.noBias13;
    expect(torch.nodes.map((n: { op: string }) => n.op)).toEqual(['MatMul']);
    expect(torch.initializers).toEqual([
      { name: expect.stringMatching(/^onnx::MatMul_\d+$/), dims: [4, 3], dataType: 1 },
    ]);
    const ours = onnxSummary(exportOnnx(new Sequential(new Linear(4, 3, { bias: false }))));
    expect(ours.initializers).toEqual([{ name: '0.weight', dims: [3, 4], dataType: 1 }]);
    expect(ours.nodes.map((n) => [n.name, n.op, n.inputs, n.outputs])).toEqual([
      ['/0/Transpose', 'Transpose', ['0.weight'], ['/0/Transpose_output_0']],
      ['/0/MatMul', 'MatMul', ['input', '/0/Transpose_output_0'], ['output']],
    ]);
    expect(ours.inputs).toEqual(torch.inputs);
    expect(ours.outputs).toEqual(torch.outputs);
  });

  it('our exports of the fixture model passed onnx.checker (full check) and strict shape inference', () => {
    const { model } = modelFromSafetensors(file('from-xent.safetensors'));
    for (const opset of [13, 17]) {
      const bytes = exportOnnx(model, { opset });
      expect(Buffer.from(bytes).equals(Buffer.from(file(`from-xent-opset${opset}.onnx`)))).toBe(true);
      const checked = fx.xentOnnxChecked[String(opset)];
      expect(checked.checker).toBe('ok');
      expect(onnxSummary(bytes)).toEqual(checked.summary);
      expect(checked.inferredOutputs).toEqual([['batch', 3]]);
    }
  });
});
