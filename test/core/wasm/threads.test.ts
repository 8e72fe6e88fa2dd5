// setNumThreads: large products split over worker threads sharing the wasm memory give the bit-identical result
// of one thread, for every shape class, transpose, batch and dtype; the pool shuts down and never keeps Node up.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getBackend, getNumThreads, setNumThreads } from '@xent/core';
import { kernels, threadLimits, wasmLimits } from '@xent/core/extend';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const wasmOn = getBackend() === 'wasm';

/** Deterministic operands with every special value the contract tests use, now and then. */
function fill(x: Float32Array | Float64Array, seed: number, specials: boolean): void {
  let s = seed;
  const sp = [NaN, Infinity, -Infinity, -0, 0, 1e-310, -1e-42];
  for (let i = 0; i < x.length; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    x[i] = specials && s % 97 === 0 ? sp[s % sp.length]! : ((s >>> 8) / 2 ** 24) * 2 - 1;
  }
}

/** C for one call of the active matmul kernel, its output prefilled with NaN (stray writes show). */
function product(
  Ctor: Float32ArrayConstructor | Float64ArrayConstructor,
  [batch, m, k, n]: number[],
  transA: boolean,
  transB: boolean,
  broadcastB: boolean,
  specials: boolean,
  threads: boolean,
): Float32Array | Float64Array {
  const a = new Ctor(batch! * m! * k!),
    b = new Ctor((broadcastB ? 1 : batch!) * k! * n!);
  fill(a, m! * 7 + k!, specials);
  fill(b, n! * 13 + k!, specials);
  const out = new Ctor(batch! * m! * n!).fill(NaN);
  const aOff = Array.from({ length: batch! }, (_, t) => t * m! * k!);
  const bOff = Array.from({ length: batch! }, (_, t) => (broadcastB ? 0 : t * k! * n!));
  const saved = threadLimits.matmul;
  threadLimits.matmul = threads ? 0 : Infinity;
  try {
    kernels().matmul(a, aOff, transA, b, bOff, transB, m!, k!, n!, out);
  } finally {
    threadLimits.matmul = saved;
  }
  return out;
}

const same = (x: ArrayLike<number>, y: ArrayLike<number>): boolean => {
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) return false;
  return true;
};

describe.skipIf(!wasmOn)('setNumThreads (wasm backend)', () => {
  const savedMin = wasmLimits.matmul;
  beforeAll(async () => {
    wasmLimits.matmul = 0;
    await setNumThreads(2);
  });
  afterAll(async () => {
    await setNumThreads(1);
    wasmLimits.matmul = savedMin;
  });

  it('reports the threads once ready', () => {
    expect(getNumThreads()).toBe(2);
  });

  const shapes = [
    [1, 1, 1, 1],
    [1, 1, 7, 1],
    [1, 3, 5, 7],
    [1, 17, 33, 9],
    [1, 64, 1, 64],
    [1, 1, 300, 130],
    [1, 130, 70, 1],
    [1, 130, 70, 260],
    [1, 256, 256, 256],
    [1, 5, 300, 1030],
    [3, 37, 19, 45],
  ];
  for (const Ctor of [Float32Array, Float64Array]) {
    for (const shape of shapes) {
      for (const [tA, tB] of [
        [false, false],
        [true, false],
        [false, true],
        [true, true],
      ] as const) {
        it(`${Ctor.name.replace('Array', '')} [batch, m, k, n] = [${shape}], transA ${tA}, transB ${tB}: bit-identical to one thread`, () => {
          for (const specials of [false, true]) {
            const one = product(Ctor, shape, tA, tB, false, specials, false);
            const two = product(Ctor, shape, tA, tB, false, specials, true);
            expect(same(one, two)).toBe(true);
          }
        });
      }
    }
    it(`${Ctor.name.replace('Array', '')} batch with a broadcast B (copied once)`, () => {
      const one = product(Ctor, [4, 40, 50, 60], false, true, true, false, false);
      expect(same(one, product(Ctor, [4, 40, 50, 60], false, true, true, false, true))).toBe(true);
    });
  }

  it('a large product after small ones (the shared memory grows) is still right', () => {
    const shape = [1, 700, 600, 900];
    const one = product(Float64Array, shape, false, false, false, false, false);
    const two = product(Float64Array, shape, false, false, false, false, true);
    expect(same(one, two)).toBe(true);
    expect(Number.isNaN(two[two.length - 1]!)).toBe(false);
  });

  it('a later call replaces an earlier one still starting', async () => {
    const first = setNumThreads(3);
    const second = setNumThreads(2);
    await Promise.all([first, second]);
    expect(getNumThreads()).toBe(2);
  });
});

describe('setNumThreads errors and lifetime', () => {
  it('rejects a bad n at once, naming the function', () => {
    for (const bad of [0, -1, 1.5, NaN, Infinity, 65, '2', null, undefined])
      expect(() => setNumThreads(bad as number), String(bad)).toThrow(
        /^setNumThreads: n must be an integer from 1 to 64/,
      );
  });

  it('1 is the default and setNumThreads(1) shuts the pool down', async () => {
    await setNumThreads(1);
    expect(getNumThreads()).toBe(1);
  });

  it.skipIf(!wasmOn)('a Node process with a pool still exits on its own, after products on it', () => {
    const script = `
      import { setNumThreads, getNumThreads, mm, ones } from '@xent/core';
      await setNumThreads(2);
      const c = mm(ones([300, 300], { dtype: 'float32' }), ones([300, 300], { dtype: 'float32' }));
      console.log(getNumThreads(), c.data[0], c.data[300 * 300 - 1]);
    `;
    const r = spawnSync(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', '--input-type=module', '-e', script],
      { cwd: root, encoding: 'utf8', timeout: 60_000 },
    );
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe('2 300 300');
  });
});
