/*
 * xent's side of every workload, in float32 or float64 (--dtype), on the wasm or TypeScript kernels (--backend),
 * on one thread or more (--threads n: setNumThreads, wasm only); --fma asserts the relaxed-SIMD (FMA) build runs
 * (the process started with node's --experimental-wasm-relaxed-simd, which Node 20 needs for it).
 */
import {
  type DType,
  type Tensor,
  Value,
  crossEntropy,
  linear,
  mm,
  noGrad,
  relu,
  setBackend,
  setNumThreads,
  tensor,
  wasmBuild,
} from '@xent/core';
import { Adam, Linear, ReLU, SGD, Sequential } from '@xent/nn';
import { accuracy, labels, mlpBatch, mlpLayers, normals, spiralFixture, valuePoints, widths } from '../lib/data.js';
import { type Prepared, isMain, main } from '../lib/measure.js';
import type { Workload } from '../lib/workloads.js';

const make = (data: ArrayLike<number>, shape: number[], dtype: DType, requiresGrad = false): Tensor => {
  const t = tensor(Array.from(data), { dtype }).reshape(shape).detach();
  t.requiresGrad = requiresGrad;
  return t;
};

/** Parameters of an MLP in PyTorch's layout ([out, in] weights) as leaf tensors. */
function mlpParams(
  layers: { inF: number; outF: number; weight: ArrayLike<number>; bias: ArrayLike<number> }[],
  dtype: DType,
): Tensor[] {
  return layers.flatMap((l) => [make(l.weight, [l.outF, l.inF], dtype, true), make(l.bias, [l.outF], dtype, true)]);
}

function forward(params: Tensor[], x: Tensor): Tensor {
  let h = x;
  for (let i = 0; i < params.length; i += 2) {
    h = linear(h, params[i]!, params[i + 1]!); // x Wᵀ + b, the bias added in place: one allocation per layer
    if (i + 2 < params.length) h = relu(h);
  }
  return h;
}

export async function prepare(wl: Workload, flags: Record<string, string>): Promise<Prepared> {
  const dtype = (flags.dtype ?? 'float32') as DType;
  setBackend(flags.backend === 'ts' ? 'ts' : 'wasm');
  if (flags.threads) await setNumThreads(Number(flags.threads));
  if (flags.fma && wasmBuild() !== 'relaxed')
    throw new Error(`--fma: the relaxed-SIMD build does not load here (wasmBuild() is ${wasmBuild()})`);
  const p = wl.params;
  const ce = (z: Tensor, t: Tensor): Tensor => crossEntropy(z, t); // the fused loss, mean over the batch
  switch (wl.id) {
    case 'w1-matmul': {
      const a = make(normals(p.n! * p.n!, 1), [p.n!, p.n!], dtype),
        b = make(normals(p.n! * p.n!, 2), [p.n!, p.n!], dtype);
      return { run: () => (mm(a, b), 1) };
    }
    case 'w2-xent': {
      const z = make(normals(p.batch! * p.classes!, 3), [p.batch!, p.classes!], dtype, true);
      const y = tensor(Array.from(labels(p.batch!, p.classes!, 4)));
      return {
        run: () => {
          z.grad = null;
          ce(z, y).backward();
          return 1;
        },
      };
    }
    case 'w3-mlp': {
      const params = mlpParams(mlpLayers(widths(p), 5), dtype);
      const { x: xs, y: ys } = mlpBatch(p);
      const x = make(xs, [p.batch!, p.in!], dtype),
        y = tensor(Array.from(ys));
      // @xent/nn's SGD, as the peers use theirs (torch.optim.SGD, tf.train.sgd): one kernel pass per parameter.
      const opt = new SGD(params, { lr: p.lr! });
      const step = (): void => {
        opt.zeroGrad();
        ce(forward(params, x), y).backward();
        opt.step();
      };
      for (let i = 0; i < 5; i++) step();
      return {
        run: () => {
          for (let i = 0; i < p.steps!; i++) step();
          return p.steps!;
        },
      };
    }
    case 'w4-value-mlp':
      return valueMlp(p.points!);
    case 'w4-chain': {
      const n = p.length!;
      return {
        run: () => {
          const a = new Value(0),
            b = new Value(1);
          let x = a;
          for (let i = 0; i < n; i++) x = x.add(b);
          x.backward();
          if (b.grad !== n) throw new Error(`chain: gradient ${b.grad}, expected ${n}`);
          return 1;
        },
      };
    }
    case 'w5-spiral': {
      // What the demo does: @xent/nn's Linear/ReLU/Sequential, its Adam, the library's crossEntropy.
      const fx = spiralFixture(p);
      const x = make(fx.x, [fx.y.length, 2], dtype),
        y = tensor(fx.y);
      let acc = 0;
      return {
        run: () => {
          const linears = fx.layers.map((l) => {
            const lin = new Linear(l.inF, l.outF, { dtype });
            lin.weight.data.set(l.weight); // the shared initial weights, so every runner starts alike
            lin.bias!.data.set(l.bias);
            return lin;
          });
          const model = new Sequential(linears[0]!, new ReLU(), linears[1]!, new ReLU(), linears[2]!);
          const opt = new Adam(model.parameters(), { lr: p.lr! });
          for (let i = 0; i < p.steps!; i++) {
            opt.zeroGrad();
            const loss = ce(model.forward(x), y);
            loss.backward();
            loss.item(); // a teacher's loop reads the loss every step
            opt.step();
          }
          acc = accuracy(noGrad(() => model.forward(x)).data, fx.y, p.classes!);
          return 1;
        },
        after: () => ({ accuracy: acc }),
      };
    }
  }
}

/** micrograd's MLP of Values: 2-16-16-1, ReLU hidden, linear output, squared error, plain SGD. */
function valueMlp(points: number): Prepared {
  const { x, y } = valuePoints(points);
  const layers = mlpLayers([2, 16, 16, 1], 6).map((l) => ({
    w: Array.from({ length: l.outF }, (_, o) =>
      Array.from({ length: l.inF }, (_, i) => new Value(l.weight[o * l.inF + i]!)),
    ),
    b: Array.from(l.bias, (v) => new Value(v)),
  }));
  const params = layers.flatMap((l) => [...l.w.flat(), ...l.b]);
  const net = (inp: (Value | number)[]): Value => {
    let h: (Value | number)[] = inp;
    layers.forEach((l, li) => {
      h = l.w.map((row, o) => {
        let s = l.b[o]!;
        for (let i = 0; i < row.length; i++) s = s.add(row[i]!.mul(h[i]!));
        return li + 1 < layers.length ? s.relu() : s;
      });
    });
    return h[0] as Value;
  };
  return {
    run: () => {
      let loss = new Value(0);
      for (let k = 0; k < x.length; k++) loss = loss.add(net(x[k]!).sub(y[k]!).pow(2));
      loss = loss.mul(1 / x.length);
      for (const q of params) q.grad = 0;
      loss.backward();
      for (const q of params) q.data -= 0.05 * q.grad;
      return 1;
    },
  };
}

/** The runner's name: xent-wasm, xent-ts, xent-wasm-float64, xent-ts-float64, -2t for two threads, -fma for FMA. */
export const runnerName = (f: Record<string, string>): string =>
  `xent-${f.backend === 'ts' ? 'ts' : 'wasm'}${f.fma ? '-fma' : ''}${f.threads && f.threads !== '1' ? `-${f.threads}t` : ''}${f.dtype === 'float64' ? '-float64' : ''}`;

if (isMain(import.meta.url)) void main(runnerName, prepare);
