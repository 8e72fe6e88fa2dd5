/* jax-js 0.1.25 on its wasm device, eager or under jit (--mode). jax-js arrays are reference
   counted: every call consumes its arguments, `.ref` adds a reference, `dataSync()` consumes. */
import { type Array as JArray, defaultDevice, init, jit, nn, numpy as np, valueAndGrad } from '@jax-js/jax';
import { accuracy, labels, mlpBatch, mlpLayers, normals, spiralFixture, widths } from '../lib/data.js';
import { type Prepared, main } from '../lib/measure.js';
import type { Workload } from '../lib/workloads.js';

type Params = JArray[];

const arr = (data: ArrayLike<number>, shape: number[]): JArray => np.array(Float32Array.from(data)).reshape(shape);
const ints = (data: ArrayLike<number>): JArray => np.array(Int32Array.from(data), { dtype: np.int32 });

function mlpParams(
  layers: { inF: number; outF: number; weight: ArrayLike<number>; bias: ArrayLike<number> }[],
): Params {
  return layers.flatMap((l) => [arr(l.weight, [l.outF, l.inF]), arr(l.bias, [l.outF])]);
}

/** Consumes params and x. */
function forward(params: Params, x: JArray): JArray {
  let h = x;
  for (let i = 0; i < params.length; i += 2) {
    h = np.matmul(h, params[i]!.transpose()).add(params[i + 1]!); // x Wᵀ + b
    if (i + 2 < params.length) h = nn.relu(h);
  }
  return h;
}

/**
 * Mean cross-entropy with class indices: −mean Σ oneHot(y) ⊙ logSoftmax(z) (jax-js has no loss module). Consumes z and
 * y.
 */
function ce(z: JArray, y: JArray, classes: number): JArray {
  const n = z.shape[0]!;
  return nn
    .logSoftmax(z, -1)
    .mul(nn.oneHot(y, classes))
    .sum()
    .mul(-1 / n);
}

function prepare(wl: Workload, flags: Record<string, string>): Promise<Prepared> {
  return (async () => {
    await init('wasm');
    defaultDevice('wasm');
    const useJit = flags.mode === 'jit';
    const maybeJit = <F extends (...a: never[]) => unknown>(f: F): F =>
      useJit ? (jit(f as never) as unknown as F) : f;
    const p = wl.params;
    switch (wl.id) {
      case 'w1-matmul': {
        const a = arr(normals(p.n! * p.n!, 1), [p.n!, p.n!]),
          b = arr(normals(p.n! * p.n!, 2), [p.n!, p.n!]);
        const f = maybeJit((x: JArray, y: JArray) => np.matmul(x, y));
        return {
          run: () => {
            f(a.ref, b.ref).dataSync();
            return 1;
          },
        };
      }
      case 'w2-xent': {
        const z = arr(normals(p.batch! * p.classes!, 3), [p.batch!, p.classes!]),
          y = ints(labels(p.batch!, p.classes!, 4));
        const vg = maybeJit(
          valueAndGrad((logits: JArray, t: JArray) => ce(logits, t, p.classes!)) as (
            a: JArray,
            b: JArray,
          ) => [JArray, JArray],
        );
        return {
          run: () => {
            const [v, g] = vg(z.ref, y.ref);
            g.dataSync();
            v.dispose();
            return 1;
          },
        };
      }
      case 'w3-mlp': {
        let params = mlpParams(mlpLayers(widths(p), 5));
        const { x: xs, y: ys } = mlpBatch(p);
        const x = arr(xs, [p.batch!, p.in!]),
          y = ints(ys);
        const lr = p.lr!;
        const step = maybeJit((ps: Params, xb: JArray, yb: JArray): [JArray, Params] => {
          const [l, g] = valueAndGrad((q: Params) => ce(forward(q, xb), yb, p.out!))(ps.map((t) => t.ref)) as [
            JArray,
            Params,
          ];
          return [l, ps.map((t, i) => t.sub(g[i]!.mul(lr)))];
        });
        const one = (): void => {
          const [l, next] = step(params, x.ref, y.ref);
          l.dataSync();
          params = next;
        };
        for (let i = 0; i < 5; i++) one();
        return {
          run: () => {
            for (let i = 0; i < p.steps!; i++) one();
            return p.steps!;
          },
        };
      }
      case 'w5-spiral': {
        const fx = spiralFixture(p);
        const x = arr(fx.x, [fx.y.length, 2]),
          y = ints(fx.y);
        const [b1, b2, eps, lr] = [0.9, 0.999, 1e-8, p.lr!];
        // Adam written out (the optimizers live in a separate package, @jax-js/optax).
        const step = maybeJit(
          (ps: Params, m: Params, v: Params, t: JArray, xb: JArray, yb: JArray): [JArray, Params, Params, Params] => {
            const [l, g] = valueAndGrad((q: Params) => ce(forward(q, xb), yb, p.classes!))(ps.map((u) => u.ref)) as [
              JArray,
              Params,
            ];
            const bc1 = np.subtract(1, np.power(b1, t.ref)),
              bc2 = np.sqrt(np.subtract(1, np.power(b2, t)));
            const m2 = m.map((mi, i) => mi.mul(b1).add(g[i]!.ref.mul(1 - b1)));
            const v2 = v.map((vi, i) => vi.mul(b2).add(g[i]!.ref.mul(g[i]!).mul(1 - b2)));
            const p2 = ps.map((pi, i) =>
              pi.sub(m2[i]!.ref.div(bc1.ref).mul(lr).div(np.sqrt(v2[i]!.ref).div(bc2.ref).add(eps))),
            );
            bc1.dispose();
            bc2.dispose();
            return [l, p2, m2, v2];
          },
        );
        let acc = 0;
        return {
          run: () => {
            let params = mlpParams(fx.layers);
            let m = params.map((q) => np.zerosLike(q.ref)),
              v = params.map((q) => np.zerosLike(q.ref));
            for (let i = 1; i <= p.steps!; i++) {
              const [l, p2, m2, v2] = step(params, m, v, np.array(i), x.ref, y.ref);
              l.dataSync(); // a teacher's loop reads the loss every step
              params = p2;
              m = m2;
              v = v2;
            }
            acc = accuracy(forward(params, x.ref).dataSync(), fx.y, p.classes!);
            m.forEach((q) => q.dispose());
            v.forEach((q) => q.dispose());
            return 1;
          },
          after: () => ({ accuracy: acc }),
        };
      }
      default:
        throw new Error('n/a: no scalar engine');
    }
  })();
}

void main((f) => `jax-js-${f.mode ?? 'eager'}`, prepare);
