/* Times a W3 training step (xent float32): `node --conditions=source --import tsx bench/profile/w3-step.ts [a|b]`. */
import { type Tensor, crossEntropy, linear, relu, tensor } from '@xent/core';
import { SGD } from '@xent/nn';
import { mlpBatch, mlpLayers, widths } from '../lib/data.js';
const p =
  process.argv[2] === 'b'
    ? { in: 784, hidden: 256, layers: 1, out: 10, batch: 128, steps: 50, lr: 0.1 }
    : { in: 2, hidden: 64, layers: 2, out: 3, batch: 256, steps: 50, lr: 0.1 };
const dtype = 'float32';
const mk = (d: ArrayLike<number>, s: number[], g = false): Tensor => {
  const t = tensor(Array.from(d), { dtype }).reshape(s).detach();
  t.requiresGrad = g;
  return t;
};
const params = mlpLayers(widths(p), 5).flatMap((l) => [
  mk(l.weight, [l.outF, l.inF], true),
  mk(l.bias, [l.outF], true),
]);
const { x: xs, y: ys } = mlpBatch(p);
const x = mk(xs, [p.batch, p.in]),
  y = tensor(Array.from(ys));
const opt = new SGD(params, { lr: p.lr });
const step = () => {
  opt.zeroGrad();
  let h = x;
  for (let i = 0; i < params.length; i += 2) {
    h = linear(h, params[i]!, params[i + 1]!);
    if (i + 2 < params.length) h = relu(h);
  }
  crossEntropy(h, y).backward();
  opt.step();
};
for (let r = 0; r < 6; r++) {
  const t = performance.now();
  for (let i = 0; i < 100; i++) step();
  console.log(((performance.now() - t) / 100).toFixed(3), 'ms/step');
}
