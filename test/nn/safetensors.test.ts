import { type Tensor, manualSeed, tensor, zeros } from '@xent/core';
import {
  Linear,
  MLP,
  Module,
  ReLU,
  Sequential,
  loadSafetensors,
  modelFromSafetensors,
  readSafetensors,
  saveSafetensors,
  writeSafetensors,
} from '@xent/nn';
import { loadSafetensorsFile, modelFromSafetensorsFile, saveOnnx, saveSafetensorsFile } from '@xent/nn/node';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const enc = new TextEncoder();

/** A safetensors file from its parts, written by hand: the header text as given, padding included. */
function raw(header: string, data: number[] | Uint8Array = [], lengthOverride?: bigint): Uint8Array {
  const h = enc.encode(header);
  const out = new Uint8Array(8 + h.length + data.length);
  new DataView(out.buffer).setBigUint64(0, lengthOverride ?? BigInt(h.length), true);
  out.set(h, 8);
  out.set(data, 8 + h.length);
  return out;
}
const f32bytes = (v: number[]) => new Uint8Array(Float32Array.from(v).buffer);
const f64bytes = (v: number[]) => new Uint8Array(Float64Array.from(v).buffer);

describe('writeSafetensors: byte-exact vectors', () => {
  it('the reference test vector (huggingface/safetensors test_simple.py, as F32): 4 spaces pad the header to 64', () => {
    const bytes = writeSafetensors({ test: zeros([2, 2], { dtype: 'float32' }) });
    const header = '{"test":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]}}    ';
    expect(Buffer.from(bytes).equals(Buffer.from(raw(header, new Uint8Array(16))))).toBe(true);
    expect(Array.from(bytes.subarray(0, 8))).toEqual([64, 0, 0, 0, 0, 0, 0, 0]);
    const one = writeSafetensors({
      test: tensor(
        [
          [0, 0],
          [0, 1],
        ],
        { dtype: 'float32' },
      ),
    });
    expect(Array.from(one.subarray(72 + 12))).toEqual([0x00, 0x00, 0x80, 0x3f]); // 1.0f little-endian
  });

  it('metadata first, bigger dtypes first, then names in byte order; data contiguous', () => {
    const bytes = writeSafetensors(
      { b: tensor([1.5], { dtype: 'float32' }), a: tensor([2.5], { dtype: 'float32' }), z: tensor([[-1, 0.25]]) },
      { format: 'pt' },
    );
    const header =
      '{"__metadata__":{"format":"pt"},"z":{"dtype":"F64","shape":[1,2],"data_offsets":[0,16]},' +
      '"a":{"dtype":"F32","shape":[1],"data_offsets":[16,20]},"b":{"dtype":"F32","shape":[1],"data_offsets":[20,24]}}';
    expect(header.length % 8).toBe(6);
    const want = raw(header + '  ', [...f64bytes([-1, 0.25]), ...f32bytes([2.5]), ...f32bytes([1.5])]);
    expect(Buffer.from(bytes).toString('latin1')).toBe(Buffer.from(want).toString('latin1'));
  });

  it('a header already a multiple of 8 gets no padding; scalars and empty tensors are kept', () => {
    const bytes = writeSafetensors({ s: tensor(3), e: zeros([0, 3]) });
    const { tensors } = readSafetensors(bytes);
    expect(tensors.s!.shape).toEqual([]);
    expect(Array.from(tensors.s!.data)).toEqual([3]);
    expect(tensors.e!.shape).toEqual([0, 3]);
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(n % 8).toBe(0);
    const exact = raw('{"x":{"dtype":"F64","shape":[],"data_offsets":[0,8]}}'.padEnd(56, ' '), f64bytes([1]));
    expect(Buffer.from(writeSafetensors({ x: tensor(1) })).equals(Buffer.from(exact))).toBe(true);
  });

  it('round-trips values bit for bit (float64 and float32), names with any characters', () => {
    const w = tensor([Math.PI, -0, 1e-300, 5e-324, Number.MAX_VALUE]);
    const f = tensor([Math.E, 1e-45, 3.4e38], { dtype: 'float32' });
    const { tensors, dtypes } = readSafetensors(writeSafetensors({ 'ü "q"\n.weight': w, f }));
    expect(dtypes).toEqual({ 'ü "q"\n.weight': 'F64', f: 'F32' });
    expect(Array.from(tensors['ü "q"\n.weight']!.data)).toEqual(Array.from(w.data));
    expect(Object.is(tensors['ü "q"\n.weight']!.data[1], -0)).toBe(true);
    expect(tensors.f!.data).toEqual(f.data);
  });

  it("keeps a tensor named '__proto__' or 'constructor' as a plain name", () => {
    const { tensors } = readSafetensors(
      writeSafetensors(
        new Map([
          ['__proto__', tensor([1])],
          ['constructor', tensor([2])],
        ]),
      ),
    );
    expect(Object.keys(tensors)).toEqual(['__proto__', 'constructor']);
    expect(Array.from(tensors['__proto__']!.data)).toEqual([1]);
  });

  it('refuses what the format cannot hold', () => {
    expect(() => writeSafetensors({ __metadata__: tensor([1]) })).toThrow(/'__metadata__' is reserved/);
    expect(() => writeSafetensors({ a: [1, 2] as unknown as Tensor })).toThrow(
      "writeSafetensors: 'a' must be a Tensor",
    );
    expect(() => writeSafetensors({}, { n: 1 as unknown as string })).toThrow(
      "writeSafetensors: metadata 'n' must be a string",
    );
  });
});

describe('readSafetensors rejects malformed files with a clear error', () => {
  const ok = '{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}';
  const cases: [string, Uint8Array, string | RegExp][] = [
    [
      'fewer than 8 bytes',
      new Uint8Array(5),
      'readSafetensors: the file is truncated: 5 bytes, but the header length alone takes 8',
    ],
    [
      'a header length past the end',
      raw(ok, f32bytes([1, 2]), 1000n),
      /the header length 1000 runs past the end of the file \(62 bytes after the length\)/,
    ],
    [
      'a header length of 2⁶⁴ − 1',
      raw(ok, [], 0xffffffffffffffffn),
      /header length 18446744073709551615 runs past the end/,
    ],
    ['a header that is not JSON', raw('{"a":', []), /the header is not valid JSON/],
    [
      'a header that is not UTF-8',
      raw('{"a":1}', []).map((b, i) => (i === 12 ? 0xff : b)),
      /the header is not valid UTF-8/,
    ],
    [
      'a header that is an array',
      raw('[1, 2]  ', []),
      "readSafetensors: the header must be a JSON object starting with '{'",
    ],
    [
      'metadata that is not strings',
      raw('{"__metadata__":{"n":1}}', []),
      `readSafetensors: __metadata__ 'n' must be a string, got 1`,
    ],
    [
      'an entry that is not an object',
      raw('{"a":7}', []),
      "readSafetensors: tensor 'a': expected { dtype, shape, data_offsets }",
    ],
    [
      'an unknown dtype',
      raw('{"a":{"dtype":"F33","shape":[2],"data_offsets":[0,8]}}', f32bytes([1, 2])),
      `readSafetensors: tensor 'a': unknown dtype "F33" (expected one of F64, F32, F16, BF16)`,
    ],
    [
      'an integer dtype',
      raw('{"a":{"dtype":"I64","shape":[1],"data_offsets":[0,8]}}', new Uint8Array(8)),
      "readSafetensors: tensor 'a': dtype I64 is not supported (xent reads F64, F32, F16 and BF16)",
    ],
    [
      'a negative dim',
      raw('{"a":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}}', f32bytes([1, 2])),
      /shape must be a list of non-negative integers, got \[-2\]/,
    ],
    [
      'offsets that are not a pair',
      raw('{"a":{"dtype":"F32","shape":[2],"data_offsets":[0]}}', f32bytes([1, 2])),
      /data_offsets must be \[begin, end\]/,
    ],
    [
      'offsets that end before they begin',
      raw('{"a":{"dtype":"F32","shape":[0],"data_offsets":[8,0]}}', f32bytes([1, 2])),
      /data_offsets \[8, 0\] end before they begin/,
    ],
    [
      'a shape that does not match the bytes',
      raw('{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}', f32bytes([1, 2])),
      "readSafetensors: tensor 'a': shape [3] of F32 needs 12 bytes but data_offsets [0, 8] hold 8",
    ],
    [
      'overlapping tensors',
      raw(
        '{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}',
        f32bytes([1, 2]),
      ),
      "readSafetensors: tensor 'b' overlaps the previous tensor (data_offsets begin at 4, before 8)",
    ],
    [
      'a gap between tensors',
      raw(
        '{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}',
        f32bytes([1, 2, 3]),
      ),
      "readSafetensors: the data are not contiguous: a gap of 4 bytes before tensor 'b'",
    ],
    [
      'data not starting at 0',
      raw('{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}', f32bytes([1, 2])),
      /a gap of 4 bytes before tensor 'a'/,
    ],
    [
      'truncated data',
      raw(ok, f32bytes([1])),
      'readSafetensors: the file is truncated: the tensors need 8 bytes of data but 4 follow the header',
    ],
    [
      'bytes no tensor covers',
      raw(ok, f32bytes([1, 2, 3])),
      'readSafetensors: 4 bytes after the last tensor are not covered by any data_offsets',
    ],
    [
      'a NaN',
      raw(ok, f32bytes([1, NaN])),
      "readSafetensors: tensor 'a' holds NaN at index 1; pass { allowNonFinite: true } to accept it",
    ],
    ['an infinity', raw(ok, f32bytes([-Infinity, 1])), "readSafetensors: tensor 'a' holds -Infinity at index 0"],
  ];
  for (const [what, bytes, message] of cases)
    it(what, () => {
      expect(() => readSafetensors(bytes)).toThrow(message);
    });

  it('non-finite values pass with allowNonFinite', () => {
    const { tensors } = readSafetensors(raw(ok, f32bytes([Infinity, NaN])), { allowNonFinite: true });
    expect(Array.from(tensors.a!.data)).toEqual([Infinity, NaN]);
  });

  it('reads from a Node Buffer that shares its pool (unaligned) and from an ArrayBuffer', () => {
    const file = writeSafetensors({ w: tensor([1, 2, 3]) });
    const pooled = Buffer.alloc(file.length + 3);
    pooled.set(file, 3);
    expect(Array.from(readSafetensors(pooled.subarray(3)).tensors.w!.data)).toEqual([1, 2, 3]);
    expect(Array.from(readSafetensors(file.slice().buffer).tensors.w!.data)).toEqual([1, 2, 3]);
  });
});

/** mulberry32: a small seeded generator, so the fuzz cases are the same on every run. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('readSafetensors under fuzzing (fixed seed)', () => {
  it('mutated files either read consistently or fail with a readSafetensors error, nothing else', () => {
    const random = rng(12);
    manualSeed(12);
    const seeds = [
      writeSafetensors({ a: tensor([1, 2, 3]), b: tensor([[4, 5]], { dtype: 'float32' }) }, { format: 'pt' }),
      saveSafetensors(new MLP([3, 4, 2])),
      raw(
        '{"h":{"dtype":"F16","shape":[2],"data_offsets":[0,4]},"b":{"dtype":"BF16","shape":[1],"data_offsets":[4,6]}}',
        [0, 60, 0, 188, 128, 63],
      ),
    ];
    let accepted = 0,
      rejected = 0;
    for (let iter = 0; iter < 3000; iter++) {
      const src = seeds[iter % seeds.length]!;
      let b = src.slice();
      const kind = Math.floor(random() * 5);
      if (kind === 0)
        b = b.slice(0, Math.floor(random() * b.length)); // truncate
      else if (kind === 1)
        for (let k = 0; k < 1 + random() * 4; k++) b[Math.floor(random() * b.length)] = Math.floor(random() * 256);
      else if (kind === 2) {
        // flip one header character among those that matter to the structure
        const n = Number(new DataView(b.buffer).getBigUint64(0, true));
        const at = 8 + Math.floor(random() * n);
        b[at] = '{}[],:"0123456789- eFB'.charCodeAt(Math.floor(random() * 22));
      } else if (kind === 3) new DataView(b.buffer).setUint8(Math.floor(random() * 8), Math.floor(random() * 256));
      else {
        const extra = new Uint8Array(b.length + 1 + Math.floor(random() * 16));
        extra.set(b);
        b = extra; // trailing bytes
      }
      let result;
      try {
        result = readSafetensors(b);
      } catch (e) {
        expect(e).toBeInstanceOf(Error);
        expect((e as Error).message).toMatch(/^readSafetensors: /);
        rejected++;
        continue;
      }
      accepted++;
      for (const t of Object.values(result.tensors)) {
        expect(t.size).toBe(t.shape.reduce((x, y) => x * y, 1));
        for (const v of t.data) expect(Number.isFinite(v)).toBe(true);
      }
    }
    expect(rejected).toBeGreaterThan(1000);
    expect(accepted).toBeGreaterThan(50); // data-byte changes that keep the values finite
  });
});

describe('saveSafetensors / loadSafetensors / modelFromSafetensors', () => {
  it('round-trips a model and keeps format and architecture in the metadata', () => {
    manualSeed(7);
    const model = new MLP([4, 8, 3], { activation: 'tanh', dropout: 0.2 });
    const bytes = saveSafetensors(model, { metadata: { classes: 'a,b,c' } });
    const { metadata, dtypes } = readSafetensors(bytes);
    expect(metadata.format).toBe('pt');
    expect(metadata.classes).toBe('a,b,c');
    expect(JSON.parse(metadata['xent.architecture']!).layers.map((l: { type: string }) => l.type)).toEqual([
      'Linear',
      'Tanh',
      'Dropout',
      'Linear',
    ]);
    expect(Object.values(dtypes)).toEqual(['F64', 'F64', 'F64', 'F64']);
    const copy = new MLP([4, 8, 3], { activation: 'tanh', dropout: 0.2 });
    expect(loadSafetensors(copy, bytes)).toMatchObject({ missingKeys: [], unexpectedKeys: [] });
    expect(copy.stateDict()).toEqual(model.stateDict());
    const rebuilt = modelFromSafetensors(bytes).model;
    expect(rebuilt.toString()).toBe(model.toString().replace(/^MLP/, 'Sequential'));
    expect(rebuilt.stateDict()).toEqual(model.stateDict());
  });

  it('writes float32 on request (architecture too), and a float32 file loads into a float64 model', () => {
    manualSeed(8);
    const model = new MLP([4, 8, 3]);
    const bytes = saveSafetensors(model, { dtype: 'float32' });
    expect(Object.values(readSafetensors(bytes).dtypes)).toEqual(['F32', 'F32', 'F32', 'F32']);
    const { model: m32 } = modelFromSafetensors(bytes);
    expect(m32.parameters().map((p) => p.dtype)).toEqual(['float32', 'float32', 'float32', 'float32']);
    const m64 = new MLP([4, 8, 3]);
    loadSafetensors(m64, bytes);
    expect(Array.from(m64.parameters()[0]!.data)).toEqual(Array.from(Float32Array.from(model.parameters()[0]!.data)));
  });

  it('is all or nothing: a bad shape, a missing key or a bad value leaves every parameter as it was', () => {
    manualSeed(9);
    const model = new Sequential(new Linear(3, 3), new ReLU(), new Linear(3, 2));
    const before = model.stateDict();
    const good = model.stateDict();
    const state = {
      ...good,
      '0.weight': tensor([
        [9, 9, 9],
        [9, 9, 9],
        [9, 9, 9],
      ]),
    };
    const badShape = writeSafetensors({ ...state, '2.bias': tensor([1, 2, 3]) });
    expect(() => loadSafetensors(model, badShape)).toThrow(
      "loadSafetensors: '2.bias' has shape [3] but the model's parameter has shape [2]",
    );
    const missing = writeSafetensors({ '0.weight': state['0.weight']!, '0.bias': good['0.bias']! });
    expect(() => loadSafetensors(model, missing)).toThrow(/missing keys: 2\.weight, 2\.bias/);
    const nan = raw(
      '{"0.weight":{"dtype":"F64","shape":[3,3],"data_offsets":[0,72]}}',
      f64bytes([9, 9, 9, 9, 9, 9, 9, 9, NaN]),
    );
    expect(() => loadSafetensors(model, nan, { strict: false })).toThrow(/holds NaN at index 8/);
    expect(model.stateDict()).toEqual(before);
    // strict: false loads what is there and reports the rest
    const r = loadSafetensors(model, writeSafetensors({ '0.weight': state['0.weight']!, extra: tensor([1]) }), {
      strict: false,
    });
    expect(r.missingKeys).toEqual(['0.bias', '2.weight', '2.bias']);
    expect(r.unexpectedKeys).toEqual(['extra']);
    expect(Array.from(model.parameters()[0]!.data)).toEqual(Array(9).fill(9));
  });

  it('a square weight is matched by name, never by shape; rename collisions are refused', () => {
    const model = new Sequential(new Linear(2, 2), new Linear(2, 2));
    const file = writeSafetensors({
      'fc.weight': tensor([
        [1, 2],
        [3, 4],
      ]),
    });
    expect(() => loadSafetensors(model, file)).toThrow(/unexpected keys: fc\.weight/);
    expect(() =>
      loadSafetensors(model, writeSafetensors({ a: tensor([1, 2]), b: tensor([1, 2]) }), {
        rename: () => '0.bias',
        strict: false,
      }),
    ).toThrow("loadSafetensors: rename maps two file keys to '0.bias'");
  });

  it('modelFromSafetensors explains a file without architecture, and refuses huge layers before building them', () => {
    class Custom extends Module {
      fc = new Linear(2, 2);
      forward(x: Tensor) {
        return this.fc.forward(x);
      }
    }
    const custom = saveSafetensors(new Custom());
    expect(readSafetensors(custom).metadata['xent.architecture']).toBeUndefined();
    expect(() => modelFromSafetensors(custom)).toThrow(
      /no 'xent.architecture'.*build the model in code and call loadSafetensors/,
    );
    const huge = writeSafetensors(
      { '0.weight': tensor([[1]]) },
      {
        'xent.architecture': JSON.stringify({
          type: 'Sequential',
          layers: [{ type: 'Linear', inFeatures: 1e6, outFeatures: 1e6, bias: false, dtype: 'float64' }],
        }),
      },
    );
    expect(() => modelFromSafetensors(huge)).toThrow(
      'modelFromSafetensors: the architecture needs 1000000000000 parameter values but the file holds 1',
    );
    const broken = writeSafetensors({}, { 'xent.architecture': '{"type":"Conv2d"}' });
    expect(() => modelFromSafetensors(broken)).toThrow(
      /modelFromSafetensors: architecture: unknown layer type "Conv2d"/,
    );
  });
});

describe('@xent/nn/node file helpers', () => {
  const dir = mkdtempSync(join(tmpdir(), 'xent-interop-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('saveSafetensorsFile, loadSafetensorsFile, modelFromSafetensorsFile and saveOnnx write and read real files', async () => {
    manualSeed(10);
    const model = new MLP([4, 8, 3]);
    const path = join(dir, 'sub', 'model.safetensors');
    await saveSafetensorsFile(model, path);
    expect(Buffer.from(readFileSync(path)).equals(Buffer.from(saveSafetensors(model)))).toBe(true);
    const copy = new MLP([4, 8, 3]);
    await loadSafetensorsFile(copy, path);
    expect(copy.stateDict()).toEqual(model.stateDict());
    expect((await modelFromSafetensorsFile(path)).model.stateDict()).toEqual(model.stateDict());
    await saveOnnx(model, join(dir, 'onnx', 'model.onnx'), { opset: 17 });
    expect(readFileSync(join(dir, 'onnx', 'model.onnx')).length).toBeGreaterThan(4 * 8 * 4);
    await expect(loadSafetensorsFile(copy, join(dir, 'nope.safetensors'))).rejects.toThrow(
      /loadSafetensorsFile: cannot read .*nope\.safetensors/,
    );
  });
});
