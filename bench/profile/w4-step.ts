/* Times the W4 Value MLP step: `node --conditions=source --import tsx bench/profile/w4-step.ts`. */
import { prepare } from '../runners/xent.js';
import { WORKLOADS } from '../lib/workloads.js';
const wl = WORKLOADS.find((w) => w.id === 'w4-value-mlp')!;
const prep = await prepare(wl, { dtype: 'float64' });
for (let r = 0; r < 8; r++) {
  const t = performance.now();
  for (let i = 0; i < 10; i++) await prep.run();
  console.log(((performance.now() - t) / 10).toFixed(2), 'ms/step');
}
