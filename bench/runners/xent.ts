/* xent's side of every workload, in float32 or float64 (--dtype). */
import * as core from '@xent/core';
import { type DType, Tensor, Value, logSoftmax, mm, noGrad, relu, tensor } from '@xent/core';
import { accuracy, labels, mlpBatch, mlpLayers, normals, spiralFixture, valuePoints, widths } from '../lib/data.js';
import { type Prepared, isMain, main } from '../lib/measure.js';
import type { Workload } from '../lib/workloads.js';

type CE = (logits: Tensor, target: Tensor) => Tensor;

/** Mean cross-entropy with class-index targets: the library's fused loss when it is there. */
function crossEntropyFn(): CE {
  const lib = (core as unknown as { crossEntropy?: CE }).crossEntropy;
  if (lib) return (z, t) => lib(z, t);
  // Fallback while the loss is not exported: the same loss composed from primitives.
  return (z, t) => logSoftmax(z, -1).gather(1, t.reshape([-1, 1])).mean().neg();
}

const make = (data: ArrayLike<number>, shape: number[], dtype: DType, requiresGrad = false): Tensor => {
  const t = tensor(Array.from(data), { dtype }).reshape(shape).detach();
  t.requiresGrad = requiresGrad;
  return t;
};

/** Parameters of an MLP in PyTorch's layout ([out, in] weights) as leaf tensors. */
function mlpParams(layers: { inF: number; outF: number; weight: ArrayLike<number>; bias: ArrayLike<number> }[], dtype: DType): Tensor[] {
  return layers.flatMap((l) => [make(l.weight, [l.outF, l.inF], dtype, true), make(l.bias, [l.outF], dtype, true)]);
}

function forward(params: Tensor[], x: Tensor): Tensor {
  let h = x;
  for (let i = 0; i < params.length; i += 2) {
    h = mm(h, params[i]!, false, true).add(params[i + 1]!); // x Wᵀ + b
    if (i + 2 < params.length) h = relu(h);
  }
  return h;
}

function sgd(params: Tensor[], lr: number): void {
  for (const p of params) {
    const d = p.data, g = p.grad!.data;
    for (let i = 0; i < d.length; i++) d[i] = d[i]! - lr * g[i]!;
    p.grad = null;
  }
}

/** Adam with PyTorch's defaults (β = 0.9, 0.999, ε = 1e-8). */
function adam(params: Tensor[], lr: number): () => void {
  const m = params.map((p) => new Float64Array(p.size)), v = params.map((p) => new Float64Array(p.size));
  let t = 0;
  return () => {
    t++;
    const bc1 = 1 - 0.9 ** t, bc2 = Math.sqrt(1 - 0.999 ** t);
    params.forEach((p, k) => {
      const d = p.data, g = p.grad!.data, mk = m[k]!, vk = v[k]!;
      for (let i = 0; i < d.length; i++) {
        mk[i] = 0.9 * mk[i]! + 0.1 * g[i]!;
        vk[i] = 0.999 * vk[i]! + 0.001 * g[i]! * g[i]!;
        d[i] = d[i]! - (lr / bc1) * (mk[i]! / (Math.sqrt(vk[i]!) / bc2 + 1e-8));
      }
      p.grad = null;
    });
  };
}

export function prepare(wl: Workload, flags: Record<string, string>): Prepared {
  const dtype = (flags.dtype ?? 'float32') as DType;
  const p = wl.params;
  const ce = crossEntropyFn();
  switch (wl.id) {
    case 'w1-matmul': {
      const a = make(normals(p.n! * p.n!, 1), [p.n!, p.n!], dtype), b = make(normals(p.n! * p.n!, 2), [p.n!, p.n!], dtype);
      return { run: () => (mm(a, b), 1) };
    }
    case 'w2-xent': {
      const z = make(normals(p.batch! * p.classes!, 3), [p.batch!, p.classes!], dtype, true);
      const y = tensor(Array.from(labels(p.batch!, p.classes!, 4)));
      return { run: () => { z.grad = null; ce(z, y).backward(); return 1; } };
    }
    case 'w3-mlp': {
      const params = mlpParams(mlpLayers(widths(p), 5), dtype);
      const { x: xs, y: ys } = mlpBatch(p);
      const x = make(xs, [p.batch!, p.in!], dtype), y = tensor(Array.from(ys));
      const step = (): void => { ce(forward(params, x), y).backward(); sgd(params, p.lr!); };
      for (let i = 0; i < 5; i++) step();
      return { run: () => { for (let i = 0; i < p.steps!; i++) step(); return p.steps!; } };
    }
    case 'w4-value-mlp': return valueMlp(p.points!);
    case 'w4-chain': {
      const n = p.length!;
      return {
        run: () => {
          const a = new Value(0), b = new Value(1);
          let x = a;
          for (let i = 0; i < n; i++) x = x.add(b);
          x.backward();
          if (b.grad !== n) throw new Error(`chain: gradient ${b.grad}, expected ${n}`);
          return 1;
        },
      };
    }
    case 'w5-spiral': {
      const fx = spiralFixture(p);
      const x = make(fx.x, [fx.y.length, 2], dtype), y = tensor(fx.y);
      let acc = 0;
      return {
        run: () => {
          const params = mlpParams(fx.layers, dtype);
          const step = adam(params, p.lr!);
          for (let i = 0; i < p.steps!; i++) { ce(forward(params, x), y).backward(); step(); }
          acc = accuracy(noGrad(() => forward(params, x)).data, fx.y, p.classes!);
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
    w: Array.from({ length: l.outF }, (_, o) => Array.from({ length: l.inF }, (_, i) => new Value(l.weight[o * l.inF + i]!))),
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

if (isMain(import.meta.url)) void main((f) => `xent-${f.dtype ?? 'float32'}`, prepare);
