/* TensorFlow.js 4.22, on its cpu (plain JavaScript) or wasm (XNNPACK, SIMD) backend (--backend). */
import { createRequire } from 'node:module';
import path from 'node:path';
import { accuracy, labels, mlpBatch, mlpLayers, normals, spiralFixture, widths } from '../lib/data.js';
import { type Prepared, isMain, main } from '../lib/measure.js';
import type { Workload } from '../lib/workloads.js';

// The union package's CommonJS bundle registers the gradients (tfjs-core's alone does not).
const require = createRequire(import.meta.url);
type TF = typeof import('@tensorflow/tfjs');
const tf = require('@tensorflow/tfjs') as TF;
type T = import('@tensorflow/tfjs').Tensor;
type V = import('@tensorflow/tfjs').Variable;

async function setup(backend: string): Promise<void> {
  // PROD only silences tfjs's console warnings (here the cpu backend's "install our node backend"
  // banner, printed into every benchmark and test run); it changes no computation.
  tf.env().set('PROD', true);
  if (backend === 'wasm') {
    const wasm = require('@tensorflow/tfjs-backend-wasm') as typeof import('@tensorflow/tfjs-backend-wasm');
    // Point at the .wasm files in node_modules; the threaded build does not start under Node, SIMD does.
    wasm.setWasmPaths(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')) + '/dist/');
  } else {
    require('@tensorflow/tfjs-backend-cpu');
  }
  if (!(await tf.setBackend(backend))) throw new Error(`tfjs backend ${backend} did not start`);
  await tf.ready();
}

/** MLP parameters as variables, weights [out, in] as PyTorch. */
function mlpVars(layers: { inF: number; outF: number; weight: ArrayLike<number>; bias: ArrayLike<number> }[]): V[] {
  return layers.flatMap((l) => [
    tf.variable(tf.tensor2d(Float32Array.from(l.weight), [l.outF, l.inF])),
    tf.variable(tf.tensor1d(Float32Array.from(l.bias))),
  ]);
}

function forward(vars: V[], x: T): T {
  let h = x;
  for (let i = 0; i < vars.length; i += 2) {
    h = tf.add(tf.matMul(h, vars[i]!, false, true), vars[i + 1]!);
    if (i + 2 < vars.length) h = tf.relu(h);
  }
  return h;
}

/** The built-in loss: softmaxCrossEntropy on one-hot targets (tfjs has no class-index variant), mean over the batch. */
const loss = (logits: T, y: T, classes: number): T => tf.losses.softmaxCrossEntropy(tf.oneHot(y, classes), logits) as T;

export async function prepare(wl: Workload, flags: Record<string, string>): Promise<Prepared | string> {
  await setup(flags.backend ?? 'cpu');
  const p = wl.params;
  switch (wl.id) {
    case 'w1-matmul': {
      const a = tf.tensor2d(Float32Array.from(normals(p.n! * p.n!, 1)), [p.n!, p.n!]);
      const b = tf.tensor2d(Float32Array.from(normals(p.n! * p.n!, 2)), [p.n!, p.n!]);
      return {
        run: () => {
          const c = tf.matMul(a, b);
          c.dataSync();
          c.dispose();
          return 1;
        },
      };
    }
    case 'w2-xent': {
      const z = tf.tensor2d(Float32Array.from(normals(p.batch! * p.classes!, 3)), [p.batch!, p.classes!]);
      const y = tf.tensor1d(labels(p.batch!, p.classes!, 4), 'int32');
      const vg = tf.valueAndGrad((logits: T) => loss(logits, y, p.classes!));
      return {
        run: () => {
          const { value, grad } = vg(z);
          grad.dataSync();
          value.dispose();
          grad.dispose();
          return 1;
        },
      };
    }
    case 'w3-mlp': {
      const vars = mlpVars(mlpLayers(widths(p), 5));
      const { x: xs, y: ys } = mlpBatch(p);
      const x = tf.tensor2d(Float32Array.from(xs), [p.batch!, p.in!]),
        y = tf.tensor1d(ys, 'int32');
      const opt = tf.train.sgd(p.lr!);
      const step = (): void => {
        const l = opt.minimize(
          () => loss(forward(vars, x), y, p.out!) as import('@tensorflow/tfjs').Scalar,
          true,
          vars,
        );
        l!.dataSync();
        l!.dispose();
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
      const x = tf.tensor2d(Float32Array.from(fx.x), [fx.y.length, 2]),
        y = tf.tensor1d(Int32Array.from(fx.y), 'int32');
      let acc = 0;
      return {
        run: () => {
          const vars = mlpVars(fx.layers);
          const opt = tf.train.adam(p.lr!);
          for (let i = 0; i < p.steps!; i++) {
            const l = opt.minimize(
              () => loss(forward(vars, x), y, p.classes!) as import('@tensorflow/tfjs').Scalar,
              true,
              vars,
            );
            l!.dataSync(); // a teacher's loop reads the loss every step
            l!.dispose();
          }
          const out = tf.tidy(() => forward(vars, x));
          acc = accuracy(out.dataSync(), fx.y, p.classes!);
          out.dispose();
          opt.dispose();
          vars.forEach((v) => v.dispose());
          return 1;
        },
        after: () => ({ accuracy: acc }),
      };
    }
    default:
      return `n/a: no scalar engine`;
  }
}

if (isMain(import.meta.url)) void main((f) => `tfjs-${f.backend ?? 'cpu'}`, prepare);
