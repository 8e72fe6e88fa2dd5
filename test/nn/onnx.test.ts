import { type DType, type Tensor, manualSeed, randn } from '@xent/core';
import {
  Dropout,
  Flatten,
  GELU,
  Identity,
  LeakyReLU,
  Linear,
  LogSoftmax,
  MLP,
  Module,
  ReLU,
  Sequential,
  Sigmoid,
  Softmax,
  Tanh,
  exportOnnx,
} from '@xent/nn';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { ProtoWriter } from '../../packages/nn/src/interop/protobuf.js';
import { onnxInitializers, onnxMetadata, onnxSummary } from './onnx-summary.js';

/* Every stock layer exported and run by ONNX Runtime (onnxruntime-node, CPU) at batch sizes 1, 7 and 256:
   float32 within 1e-5 of xent's float32 forward, float64 within 1e-12 of its float64 forward. onnxruntime has no
   float64 kernels for LeakyRelu and Erf (so none for GELU, in either form): those cases are checked to fail
   there, so that docs/interop.md stays true. */

async function run(bytes: Uint8Array, x: Tensor, names = { input: 'input', output: 'output' }) {
  const session = await ort.InferenceSession.create(bytes);
  const out = await session.run({ [names.input]: new ort.Tensor(x.dtype, x.data, x.shape.slice()) });
  const y = out[names.output]!;
  return { dims: y.dims.slice(), data: Array.from(y.data as Float32Array | Float64Array) };
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i]! - b[i]!));
  return d;
}

interface Case {
  name: string;
  make: (dtype: DType) => Module;
  /** One example's shape (default [4]). */
  sample?: number[];
  opset?: number;
  /** onnxruntime 1.31 runs it in float64. */
  float64: boolean;
}

const lin = (i: number, o: number, dtype: DType, bias = true) => new Linear(i, o, { dtype, bias });
const cases: Case[] = [
  { name: 'Linear (Gemm)', make: (d) => new Sequential(lin(4, 3, d)), float64: true },
  { name: 'Linear without bias (Transpose + MatMul)', make: (d) => new Sequential(lin(4, 3, d, false)), float64: true },
  {
    name: 'Linear on rank-3 input (MatMul + Add)',
    make: (d) => new Sequential(lin(4, 3, d)),
    sample: [5, 4],
    float64: true,
  },
  { name: 'ReLU', make: (d) => new Sequential(lin(4, 6, d), new ReLU()), float64: true },
  { name: 'LeakyReLU', make: (d) => new Sequential(lin(4, 6, d), new LeakyReLU(0.2)), float64: false },
  { name: 'Tanh', make: (d) => new Sequential(lin(4, 6, d), new Tanh()), float64: true },
  { name: 'Sigmoid', make: (d) => new Sequential(lin(4, 6, d), new Sigmoid()), float64: true },
  { name: 'GELU (Div/Erf/Add/Mul, opset 13)', make: (d) => new Sequential(lin(4, 6, d), new GELU()), float64: false },
  {
    name: 'GELU (Gelu op, opset 20)',
    make: (d) => new Sequential(lin(4, 6, d), new GELU()),
    opset: 20,
    float64: false,
  },
  { name: 'Softmax', make: (d) => new Sequential(lin(4, 6, d), new Softmax()), float64: true },
  {
    name: 'Softmax(dim 1) on rank 3',
    make: (d) => new Sequential(lin(4, 6, d), new Softmax(1)),
    sample: [3, 4],
    float64: true,
  },
  { name: 'LogSoftmax', make: (d) => new Sequential(lin(4, 6, d), new LogSoftmax()), float64: true },
  {
    name: 'Flatten (ONNX Flatten)',
    make: (d) => new Sequential(new Flatten(), lin(12, 3, d)),
    sample: [3, 4],
    float64: true,
  },
  {
    name: 'Flatten(1, 2) of rank 4 (Reshape)',
    make: (d) => new Sequential(new Flatten(1, 2), lin(4, 3, d)),
    sample: [2, 3, 4],
    float64: true,
  },
  {
    name: 'Flatten(0, −1) (Reshape, batch merged)',
    make: (d) => new Sequential(lin(4, 3, d), new Flatten(0, -1)),
    float64: true,
  },
  { name: 'Identity', make: (d) => new Sequential(lin(4, 3, d), new Identity()), float64: true },
  { name: 'Identity alone (an Identity node)', make: () => new Sequential(new Identity()), sample: [4], float64: true },
  {
    name: 'Dropout (eval mode: identity)',
    make: (d) => new Sequential(lin(4, 6, d), new Dropout(0.5), lin(6, 3, d)),
    float64: true,
  },
  {
    name: 'nested Sequential',
    make: (d) => new Sequential(new Sequential(lin(4, 6, d), new Tanh()), lin(6, 3, d)),
    float64: true,
  },
  { name: 'MLP', make: (d) => new MLP([4, 16, 16, 3], { dtype: d, activation: 'tanh', dropout: 0.1 }), float64: true },
];

describe('exportOnnx runs in ONNX Runtime', () => {
  for (const c of cases) {
    for (const dtype of ['float32', 'float64'] as const) {
      const tol = dtype === 'float32' ? 1e-5 : 1e-12;
      if (dtype === 'float64' && !c.float64) {
        it(`${c.name}, float64: a valid model, but onnxruntime has no float64 kernel for it`, async () => {
          manualSeed(1);
          const bytes = exportOnnx(c.make(dtype), { dtype, opset: c.opset, inputShape: c.sample });
          await expect(ort.InferenceSession.create(bytes)).rejects.toThrow(
            /NOT_IMPLEMENTED|Could not find an implementation/,
          );
        });
        continue;
      }
      it(`${c.name}, ${dtype}: batch 1, 7 and 256 within ${tol}`, async () => {
        manualSeed(1);
        const model = c.make(dtype);
        const bytes = exportOnnx(model, { dtype, opset: c.opset, inputShape: c.sample });
        model.eval();
        for (const n of [1, 7, 256]) {
          const x = randn([n, ...(c.sample ?? [4])], { dtype });
          const want = model.forward(x);
          const got = await run(bytes, x);
          expect(got.dims).toEqual(want.shape);
          expect(maxDiff(got.data, want.data)).toBeLessThanOrEqual(tol);
        }
      });
    }
  }

  it('exports the model in eval mode without changing its mode', async () => {
    manualSeed(2);
    const model = new MLP([4, 8, 3], { dropout: 0.5, dtype: 'float32' });
    const bytes = exportOnnx(model);
    expect(model.training).toBe(true);
    model.eval();
    const x = randn([7, 4], { dtype: 'float32' });
    expect(maxDiff((await run(bytes, x)).data, model.forward(x).data)).toBeLessThanOrEqual(1e-5);
  });

  it('float64 parameters exported as float32 (the default) agree with the float64 forward to float32 precision', async () => {
    manualSeed(3);
    const model = new MLP([4, 16, 3]); // float64
    const x = randn([7, 4]);
    const got = await run(exportOnnx(model), x.to('float32'));
    expect(maxDiff(got.data, model.forward(x).data)).toBeLessThanOrEqual(1e-5);
  });

  it('every opset from 13 to 21 runs, with the IR version that fits it; Gelu is one op from opset 20', async () => {
    manualSeed(4);
    const model = new Sequential(lin(4, 8, 'float32'), new GELU(), lin(8, 3, 'float32'), new Softmax());
    const x = randn([7, 4], { dtype: 'float32' });
    const want = model.forward(x).data;
    const ir: Record<number, number> = { 13: 7, 14: 7, 15: 8, 16: 8, 17: 8, 18: 8, 19: 9, 20: 9, 21: 10 };
    for (let opset = 13; opset <= 21; opset++) {
      const bytes = exportOnnx(model, { opset });
      const s = onnxSummary(bytes);
      expect(s.irVersion).toBe(ir[opset]);
      expect(s.opset).toEqual([{ domain: '', version: opset }]);
      const ops = s.nodes.map((n) => n.op);
      expect(ops.includes('Gelu')).toBe(opset >= 20);
      expect(ops.includes('Erf')).toBe(opset < 20);
      expect(maxDiff((await run(bytes, x)).data, want)).toBeLessThanOrEqual(1e-5);
    }
  });

  it('uses the given input and output names, a fixed batch when given one, and a dynamic one by default', async () => {
    manualSeed(5);
    const model = new MLP([4, 8, 3], { dtype: 'float32' });
    const named = exportOnnx(model, { inputName: 'pixels', outputName: 'logits', batch: 'n' });
    let s = onnxSummary(named);
    expect(s.inputs).toEqual([{ name: 'pixels', elemType: 1, shape: ['n', 4] }]);
    expect(s.outputs).toEqual([{ name: 'logits', elemType: 1, shape: ['n', 3] }]);
    const x = randn([7, 4], { dtype: 'float32' });
    expect(
      maxDiff((await run(named, x, { input: 'pixels', output: 'logits' })).data, model.forward(x).data),
    ).toBeLessThan(1e-5);
    const fixed = exportOnnx(model, { batch: 7, dtype: 'float64' });
    s = onnxSummary(fixed);
    expect(s.inputs).toEqual([{ name: 'input', elemType: 11, shape: [7, 4] }]);
    await run(fixed, x.to('float64'));
    await expect(run(fixed, randn([6, 4], { dtype: 'float64' }))).rejects.toThrow(/dimension|Got invalid dimensions/i);
  });

  it('writes a parameter shared by two layers once, under its state-dict name', async () => {
    manualSeed(7);
    const a = lin(4, 4, 'float32'),
      b = lin(4, 4, 'float32');
    b.weight = a.weight; // tied weights
    const model = new Sequential(a, new Tanh(), b);
    const bytes = exportOnnx(model);
    expect(onnxSummary(bytes).initializers.map((i) => i.name)).toEqual(['0.weight', '0.bias', '2.bias']);
    expect(Object.keys(model.stateDict())).toEqual(['0.weight', '0.bias', '2.bias']);
    const x = randn([7, 4], { dtype: 'float32' });
    expect(maxDiff((await run(bytes, x)).data, model.forward(x).data)).toBeLessThanOrEqual(1e-5);
  });

  it('keeps metadata strings in metadata_props, and ONNX Runtime loads the model with them', async () => {
    const model = new MLP([2, 4, 3], { dtype: 'float32' });
    const bytes = exportOnnx(model, { metadata: { classes: 'a,b,c', inputs: 'x,y' } });
    expect(onnxMetadata(bytes)).toEqual({ classes: 'a,b,c', inputs: 'x,y' });
    expect(onnxMetadata(exportOnnx(model))).toEqual({});
    await run(bytes, randn([3, 2], { dtype: 'float32' }));
    expect(() => exportOnnx(model, { metadata: { n: 1 as unknown as string } })).toThrow(
      "exportOnnx: metadata 'n' must be a string, got number",
    );
  });

  it('initializers hold the state dict under its keys, in the chosen dtype', () => {
    manualSeed(6);
    const model = new Sequential(new Sequential(lin(4, 5, 'float64'), new ReLU()), lin(5, 3, 'float64', false));
    const inits = onnxInitializers(exportOnnx(model, { dtype: 'float64' }));
    const state = model.stateDict();
    expect(Object.keys(inits)).toEqual(Object.keys(state));
    expect(Object.keys(inits)).toEqual(['0.0.weight', '0.0.bias', '1.weight']);
    for (const [k, t] of Object.entries(state)) {
      expect(inits[k]!.dims).toEqual(t.shape);
      expect(inits[k]!.values).toEqual(Array.from(t.data));
    }
    const f32 = onnxInitializers(exportOnnx(model));
    expect(f32['1.weight']!.values).toEqual(Array.from(Float32Array.from(state['1.weight']!.data)));
  });
});

describe('exportOnnx refuses what it cannot export', () => {
  class Block extends Module {
    fc = new Linear(4, 4);
    forward(x: Tensor): Tensor {
      return this.fc.forward(x);
    }
  }
  class MyLinear extends Linear {}

  it('names a custom module, nested or at the top', () => {
    expect(() => exportOnnx(new Sequential(new Linear(4, 4), new Sequential(new ReLU(), new Block())))).toThrow(
      "exportOnnx: cannot export module '1.1' (Block)",
    );
    expect(() => exportOnnx(new Block(), { inputShape: [4] })).toThrow("cannot export module '(the model)' (Block)");
    expect(() => exportOnnx(new Sequential(new MyLinear(4, 2)))).toThrow("module '0' (MyLinear)");
  });

  it('checks the options and the shapes flowing through the layers', () => {
    const m = new Sequential(new Linear(4, 3), new Softmax(2));
    expect(() => exportOnnx(new MLP([4, 3]), { opset: 12 })).toThrow(
      'exportOnnx: opset must be an integer from 13 to 21, got 12',
    );
    expect(() => exportOnnx(new MLP([4, 3]), { opset: 22 })).toThrow(/from 13 to 21, got 22/);
    expect(() => exportOnnx(new MLP([4, 3]), { dtype: 'int32' as DType })).toThrow(
      /dtype must be 'float32' or 'float64'/,
    );
    expect(() => exportOnnx(new MLP([4, 3]), { inputName: 'x', outputName: 'x' })).toThrow(/both 'x'/);
    expect(() => exportOnnx(new MLP([4, 3]), { batch: 0 })).toThrow(/batch must be a positive integer or a dim name/);
    expect(() => exportOnnx(m)).toThrow(
      "exportOnnx: layer '1' (Softmax): dim 2 is out of range for input shape [batch, 3]",
    );
    expect(() => exportOnnx(new MLP([4, 3]), { inputShape: [5] })).toThrow(
      "exportOnnx: layer '0' (Linear): expects inputs with last dim 4, got shape [batch, 5]",
    );
    expect(() => exportOnnx(new Sequential(new Flatten(), new Linear(4, 3)))).toThrow(/pass inputShape/);
    expect(() => exportOnnx(new Sequential(new Flatten(2, 1), new Linear(4, 3)), { inputShape: [2, 2] })).toThrow(
      /startDim 2 and endDim 1 do not fit input shape \[batch, 2, 2\]/,
    );
  });
});

describe('ProtoWriter', () => {
  it('writes varints, negative int64s, floats, doubles, strings and nested messages as protobuf does', () => {
    const hex = (w: ProtoWriter) => Buffer.from(w.finish()).toString('hex');
    expect(hex(new ProtoWriter().int(1, 150))).toBe('089601'); // the protobuf docs' example
    expect(hex(new ProtoWriter().int(3, 300))).toBe('18ac02');
    expect(hex(new ProtoWriter().int(3, -1))).toBe('18ffffffffffffffffff01'); // ten bytes
    expect(hex(new ProtoWriter().float(2, 0.2))).toBe('15cdcc4c3e');
    expect(hex(new ProtoWriter().double(10, 1))).toBe('51000000000000f03f');
    expect(hex(new ProtoWriter().string(2, 'testing'))).toBe('120774657374696e67');
    expect(hex(new ProtoWriter().message(3, new ProtoWriter().int(1, 150)))).toBe('1a03089601');
    expect(() => new ProtoWriter().int(1, 0.5)).toThrow(/not an integer/);
  });
});
