/* Per-kernel time of a W3 step: `node --conditions=source --import tsx bench/profile/kernels.ts [a|b]`. */
import { kernels, setKernels, type Kernels } from '@xent/core';
// Wraps every kernel with a timer, then runs the W3 profile script's step.
const base = kernels();
const acc = new Map<string, [number, number]>();
const wrapped: Partial<Kernels> = {};
for (const [name, fn] of Object.entries(base)) {
  (wrapped as Record<string, unknown>)[name] = (...args: unknown[]) => {
    const key = name === 'matmul' ? `matmul m${args[6]} k${args[7]} n${args[8]} tA${+!!args[2]} tB${+!!args[5]}` : name === 'binary' || name === 'unary' || name === 'reduce' ? `${name} ${args[0]}` : name;
    const t = performance.now();
    (fn as (...a: unknown[]) => void)(...args);
    const dt = performance.now() - t;
    const e = acc.get(key) ?? [0, 0]; e[0] += dt; e[1]++; acc.set(key, e);
  };
}
setKernels(wrapped);
process.on('exit', () => {
  const rows = [...acc.entries()].sort((a, b) => b[1][0] - a[1][0]);
  const steps = 600;
  for (const [k, [t, n]] of rows.slice(0, 25)) console.log(`${(t / steps * 1000).toFixed(1).padStart(7)} µs/step  ${String(n / steps).padStart(4)} calls  ${k}`);
});
await import('./w3-step.js');
