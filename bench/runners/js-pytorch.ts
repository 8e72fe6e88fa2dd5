/* js-pytorch 0.7.2 on the CPU (nested JavaScript arrays). Its nn.Linear computes x·W + b with W
   [in, out], so the shared PyTorch-layout weights are loaded transposed. */
import { torch } from 'js-pytorch';
import { accuracy, labels, mlpBatch, mlpLayers, normals, spiralFixture, widths } from '../lib/data.js';
import { type Prepared, main } from '../lib/measure.js';
import type { Workload } from '../lib/workloads.js';

type T = InstanceType<typeof torch.Tensor>;

const nested = (data: ArrayLike<number>, rows: number, cols: number): number[][] =>
  Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => data[i * cols + j]!));
const transposed = (data: ArrayLike<number>, rows: number, cols: number): number[][] =>
  Array.from({ length: cols }, (_, j) => Array.from({ length: rows }, (_, i) => data[i * cols + j]!));

function mlpParams(layers: { inF: number; outF: number; weight: ArrayLike<number>; bias: ArrayLike<number> }[]): T[] {
  return layers.flatMap((l) => [
    torch.tensor(transposed(l.weight, l.outF, l.inF), true),
    torch.tensor(Array.from(l.bias), true),
  ]);
}

const relu = new torch.nn.ReLU();
function forward(params: T[], x: T): T {
  let h = x;
  for (let i = 0; i < params.length; i += 2) {
    h = torch.add(torch.matmul(h, params[i]!), params[i + 1]!);
    if (i + 2 < params.length) h = relu.forward(h);
  }
  return h;
}

function prepare(wl: Workload): Prepared {
  const p = wl.params;
  const lossFn = new torch.nn.CrossEntropyLoss();
  switch (wl.id) {
    case 'w1-matmul': {
      const a = torch.tensor(nested(normals(p.n! * p.n!, 1), p.n!, p.n!)),
        b = torch.tensor(nested(normals(p.n! * p.n!, 2), p.n!, p.n!));
      return { run: () => (torch.matmul(a, b), 1) };
    }
    case 'w2-xent': {
      const z = torch.tensor(nested(normals(p.batch! * p.classes!, 3), p.batch!, p.classes!), true);
      const y = torch.tensor(Array.from(labels(p.batch!, p.classes!, 4)));
      return {
        run: () => {
          const l = lossFn.forward(z, y);
          l.backward();
          z.zero_grad();
          return 1;
        },
      };
    }
    case 'w3-mlp': {
      const params = mlpParams(mlpLayers(widths(p), 5));
      const { x: xs, y: ys } = mlpBatch(p);
      const x = torch.tensor(nested(xs, p.batch!, p.in!)),
        y = torch.tensor(Array.from(ys));
      const step = (): void => {
        const l = lossFn.forward(forward(params, x), y);
        l.backward();
        // plain SGD (js-pytorch ships only Adam)
        for (const q of params) {
          q._data = q.sub(torch.tensor(q.grad).mul(p.lr!))._data;
          q.zero_grad();
        }
      };
      for (let i = 0; i < 5; i++) step();
      return {
        run: () => {
          for (let i = 0; i < p.steps!; i++) step();
          return p.steps!;
        },
      };
    }
    case 'w5-spiral': {
      const fx = spiralFixture(p);
      const x = torch.tensor(nested(fx.x, fx.y.length, 2)),
        y = torch.tensor(fx.y);
      let acc = 0;
      return {
        run: () => {
          const params = mlpParams(fx.layers);
          const opt = new torch.optim.Adam(params, p.lr!, 0, [0.9, 0.999], 1e-8);
          for (let i = 0; i < p.steps!; i++) {
            const l = lossFn.forward(forward(params, x), y);
            l.backward();
            opt.step();
            opt.zero_grad();
          }
          acc = accuracy((forward(params, x).data as number[][]).flat(), fx.y, p.classes!);
          return 1;
        },
        after: () => ({ accuracy: acc }),
      };
    }
    default:
      throw new Error('n/a: no scalar engine');
  }
}

void main(() => 'js-pytorch', prepare);
