/*
 * W2 [4096, 1000] split into the op's forward, its backward and the bare kernels:
 * `node --conditions=source --import tsx bench/profile/w2-split.ts`.
 */
import { crossEntropy, tensor } from '@xent/core';
import { kernels } from '@xent/core/extend';
import { labels, normals } from '../lib/data.js';

const B = 4096,
  C = 1000;
const z = tensor(Array.from(normals(B * C, 3)), { dtype: 'float32' })
  .reshape([B, C])
  .detach();
z.requiresGrad = true;
const y = tensor(Array.from(labels(B, C, 4)));
const target = { index: Int32Array.from(labels(B, C, 4)), probs: null, weight: null, smoothing: 0 };
for (let r = 0; r < 10; r++) {
  let t = performance.now();
  z.grad = null;
  const loss = crossEntropy(z, y);
  const fwd = performance.now() - t;
  t = performance.now();
  loss.backward();
  const bwd = performance.now() - t;
  const max = new Float64Array(B),
    sum = new Float64Array(B),
    g = new Float32Array(B * C);
  t = performance.now();
  kernels().crossEntropy(z.data, B, C, 1, target, null, max, sum, new Float64Array(B), new Float64Array(B));
  const kf = performance.now() - t;
  t = performance.now();
  kernels().crossEntropyBackward(z.data, max, sum, B, C, 1, target, new Float64Array(B).fill(1 / B), g);
  const kb = performance.now() - t;
  console.log(
    `op forward ${fwd.toFixed(1)} ms, backward ${bwd.toFixed(1)} ms | kernels ${kf.toFixed(1)} + ${kb.toFixed(1)} ms`,
  );
}
