import { Generator, tensor } from '@xent/core';
import { Linear, MLP, loadModel, parseSavedModel, saveModel } from '@xent/nn';
import { loadModelFile, saveModelFile } from '@xent/nn/node';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const net = (seed: number): MLP => new MLP([3, 4, 2], { generator: new Generator(seed) });
const weights = (m: MLP): number[] => m.parameters().flatMap((p) => Array.from(p.data));

describe('saveModel / loadModel', () => {
  it('round-trips every bit, with meta', () => {
    const a = net(1),
      b = net(2);
    const json = saveModel(a, { meta: { classes: ['x', 'y'] } });
    expect(loadModel(b, json)).toEqual({ classes: ['x', 'y'] });
    expect(weights(b)).toEqual(weights(a));
    expect(b.forward(tensor([[1, 2, 3]])).toArray()).toEqual(a.forward(tensor([[1, 2, 3]])).toArray());
    const f32 = new Linear(2, 2, { dtype: 'float32' });
    const back = parseSavedModel(saveModel(f32)).state;
    expect(back['weight']!.dtype).toBe('float32');
    expect(Array.from(back['weight']!.data)).toEqual(Array.from(f32.weight.data));
  });

  const good = JSON.parse(saveModel(net(1)));
  const variant = (edit: (d: Record<string, any>) => void): string => {
    const d = structuredClone(good);
    edit(d);
    return JSON.stringify(d);
  };
  const cases: [string, string, RegExp][] = [
    ['not JSON', '{"format": "xent-model", ', /loadModel: the text is not JSON/],
    ['not an object', '[1, 2]', /expected a JSON object/],
    [
      'wrong format',
      variant((d) => {
        d.format = 'keras';
      }),
      /format must be 'xent-model', got "keras"/,
    ],
    [
      'wrong version',
      variant((d) => {
        d.version = 2;
      }),
      /version 2 is not supported/,
    ],
    [
      'wrong shape',
      variant((d) => {
        d.parameters['0.weight'].shape = [3, 4];
      }),
      /'0\.weight' has shape \[3, 4\] but the model's parameter has shape \[4, 3\]/,
    ],
    [
      'data/shape mismatch',
      variant((d) => {
        d.parameters['0.bias'].data.pop();
      }),
      /'0\.bias': shape \[4\] needs 4 values, got 3/,
    ],
    [
      'bad shape entry',
      variant((d) => {
        d.parameters['0.bias'].shape = [-4];
      }),
      /'0\.bias': shape must be a list of at most 64 non-negative integers/,
    ],
    [
      'missing key',
      variant((d) => {
        delete d.parameters['2.bias'];
      }),
      /missing keys: 2\.bias/,
    ],
    [
      'extra key',
      variant((d) => {
        d.parameters['3.weight'] = { shape: [1], dtype: 'float64', data: [0] };
      }),
      /unexpected keys: 3\.weight/,
    ],
    [
      'non-numeric value',
      variant((d) => {
        d.parameters['0.bias'].data[1] = '0.5';
      }),
      /'0\.bias': value 1 is "0.5", not a number/,
    ],
    [
      'null value',
      variant((d) => {
        d.parameters['0.bias'].data[2] = null;
      }),
      /'0\.bias': value 2 is null/,
    ],
    [
      'non-finite value',
      JSON.stringify(good).replace(/("0\.bias":\{"shape":\[4\],"dtype":"float64","data":\[)[^,]+/, '$11e999'),
      /'0\.bias': value 0 is not finite/,
    ],
    [
      'bad dtype',
      variant((d) => {
        d.parameters['0.bias'].dtype = 'int8';
      }),
      /dtype must be 'float32' or 'float64', got "int8"/,
    ],
  ];
  for (const [name, text, err] of cases) {
    it(`rejects ${name} with a clear error and leaves the model unchanged`, () => {
      const m = net(5),
        before = weights(m);
      expect(() => loadModel(m, text)).toThrow(err);
      expect(weights(m)).toEqual(before);
    });
  }

  it('a __proto__ or constructor key never reaches a prototype', () => {
    const text = JSON.stringify(good).replace(
      '"parameters":{',
      '"parameters":{"__proto__":{"shape":[1],"dtype":"float64","data":[1],"polluted":true},"constructor":{"shape":[1],"dtype":"float64","data":[2]},',
    );
    expect(text).toContain('"__proto__"');
    const { state } = parseSavedModel(text);
    expect(Object.getPrototypeOf(state)).toBe(null);
    expect(Object.keys(state)).toContain('__proto__');
    expect(Object.keys(state)).toContain('constructor');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).shape).toBeUndefined();
    expect(() => loadModel(net(1), text)).toThrow(/unexpected keys: __proto__, constructor/);
    expect(() => loadModel(net(1), '{"__proto__": {"format": "xent-model"}}')).toThrow(
      /format must be 'xent-model', got undefined/,
    );
  });

  it('refuses to save a NaN or infinite parameter (JSON would write null)', () => {
    const m = new Linear(2, 1);
    m.weight.data[1] = NaN;
    expect(() => saveModel(m)).toThrow(
      /saveModel: parameter 'weight' holds NaN at index 1; JSON can store finite numbers only/,
    );
    m.weight.data[1] = 0;
    m.bias!.data[0] = -Infinity;
    expect(() => saveModel(m)).toThrow(/parameter 'bias' holds -Infinity at index 0/);
  });

  it('file helpers in @xent/nn/node', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xent-save-'));
    try {
      const a = net(1),
        b = net(2),
        file = join(dir, 'sub', 'model.json');
      await saveModelFile(a, file, { meta: 'hi' });
      expect(JSON.parse(readFileSync(file, 'utf8')).format).toBe('xent-model');
      expect(await loadModelFile(b, file)).toBe('hi');
      expect(weights(b)).toEqual(weights(a));
      writeFileSync(join(dir, 'bad.json'), 'not json');
      await expect(loadModelFile(b, join(dir, 'bad.json'))).rejects.toThrow(/not JSON/);
      await expect(loadModelFile(b, join(dir, 'none.json'))).rejects.toThrow(/loadModelFile: cannot read/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
