import { type Tensor, randn } from '@xent/core';
import {
  type Dropout,
  Flatten,
  LeakyReLU,
  Linear,
  LogSoftmax,
  MLP,
  Module,
  Sequential,
  Softmax,
  Tanh,
  buildModel,
  describeModel,
  modelFromJson,
  saveModel,
} from '@xent/nn';
import { modelFromFile, saveModelFile } from '@xent/nn/node';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

class Custom extends Module {
  fc = new Linear(2, 2);
  forward(x: Tensor): Tensor {
    return this.fc.forward(x).mul(2);
  }
}

describe('rebuilding saved models from their architecture', () => {
  it('round-trips stock layers: same structure, names, dtypes and outputs', () => {
    const m = new Sequential(
      new Flatten(),
      new MLP([4, 6, 3], { activation: 'tanh', dropout: 0.2 }),
      new LeakyReLU(0.2),
      new Linear(3, 3, { bias: false, dtype: 'float32' }),
      new LogSoftmax(1),
      new Softmax(-1),
    );
    const { model, meta } = modelFromJson(saveModel(m, { meta: { note: 'x' } }));
    expect(meta).toEqual({ note: 'x' });
    expect(model.namedParameters().map(([n, p]) => `${n}:${p.dtype}`)).toEqual(
      m.namedParameters().map(([n, p]) => `${n}:${p.dtype}`),
    );
    expect(String(model)).toBe(String(m).replace('MLP(', 'Sequential('));
    const x = randn([5, 2, 2]);
    m.eval();
    model.eval();
    expect(model.forward(x).toArray()).toEqual(m.forward(x).toArray());
    expect(describeModel(new MLP([2, 3]))).toEqual({
      type: 'Sequential',
      layers: [{ type: 'Linear', inFeatures: 2, outFeatures: 3, bias: true, dtype: 'float64' }],
    });
    expect((buildModel({ type: 'Dropout', p: 0.3 }) as Dropout).p).toBe(0.3);
    expect(buildModel({ type: 'Tanh' })).toBeInstanceOf(Tanh);
  });

  it('custom modules save their parameters but no architecture', () => {
    const json = saveModel(new Sequential(new Custom()));
    expect(JSON.parse(json).architecture).toBeUndefined();
    expect(() => modelFromJson(json)).toThrow(
      /modelFromJson: the file has no architecture .* call loadModel\(model, json\)/,
    );
  });

  const good = JSON.parse(saveModel(new MLP([2, 4, 3])));
  const bad: [string, (d: any) => void, RegExp][] = [
    [
      'an unknown layer type',
      (d) => {
        d.architecture.layers[1].type = 'Conv2d';
      },
      /architecture\.layers\[1\]: unknown layer type "Conv2d"/,
    ],
    [
      'a __proto__ layer type',
      (d) => {
        d.architecture.layers[1].type = '__proto__';
      },
      /unknown layer type "__proto__"/,
    ],
    [
      'a constructor layer type',
      (d) => {
        d.architecture.type = 'constructor';
      },
      /architecture: unknown layer type "constructor"/,
    ],
    [
      'a bad size',
      (d) => {
        d.architecture.layers[0].inFeatures = 0;
      },
      /architecture\.layers\[0\]: inFeatures must be an integer ≥ 1, got 0/,
    ],
    [
      'a bad bias flag',
      (d) => {
        d.architecture.layers[0].bias = 'yes';
      },
      /bias must be true or false/,
    ],
    [
      'layers that are not a list',
      (d) => {
        d.architecture.layers = {};
      },
      /architecture: layers must be an array/,
    ],
    [
      'sizes that disagree with the parameters',
      (d) => {
        d.architecture.layers[2].inFeatures = 3;
      },
      /'2\.weight' has shape \[3, 4\] but the model's parameter has shape \[3, 3\]/,
    ],
    // Counted before anything is built, so a tiny file cannot make the loader allocate a huge model.
    [
      'layers larger than the values held',
      (d) => {
        d.architecture.layers[2].outFeatures = 1e6;
      },
      /modelFromJson: the architecture needs 5000012 parameter values but the file holds only 27/,
    ],
  ];
  for (const [name, edit, err] of bad) {
    it(`rejects ${name}`, () => {
      const d = structuredClone(good);
      edit(d);
      expect(() => modelFromJson(JSON.stringify(d))).toThrow(err);
    });
  }
  it('rejects absurd nesting and a dropout probability above 1', () => {
    let spec: unknown = { type: 'ReLU' };
    for (let i = 0; i < 100; i++) spec = { type: 'Sequential', layers: [spec] };
    expect(() => buildModel(spec)).toThrow(/nested too deeply/);
    expect(() => buildModel({ type: 'Dropout', p: 2 })).toThrow(/architecture: p must be a number in \[0, 1\], got 2/);
  });

  it('modelFromFile in @xent/nn/node', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xent-arch-'));
    try {
      const m = new MLP([3, 5, 2]);
      await saveModelFile(m, join(dir, 'm.json'));
      const { model } = await modelFromFile(join(dir, 'm.json'));
      const x = randn([4, 3]);
      expect(model.forward(x).toArray()).toEqual(m.forward(x).toArray());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
