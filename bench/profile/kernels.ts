/*
 * Per-kernel time of one xent workload:
 * `node --conditions=source --import tsx bench/profile/kernels.ts w5-spiral [float32|float64]`.
 */
import { type Kernels, kernels, setKernels } from '@xent/core/extend';
import { WORKLOADS } from '../lib/workloads.js';
import { prepare } from '../runners/xent.js';

const wl = WORKLOADS.find((w) => w.key === (process.argv[2] ?? 'w3-mlp-a'))!;
// prepare() chooses the backend (setBackend replaces the active set), so the wrappers go in after it.
const prep = await prepare(wl, { dtype: process.argv[3] ?? 'float32' });
const base = kernels();
const acc = new Map<string, [number, number]>();
const wrapped: Partial<Kernels> = {};
for (const [name, fn] of Object.entries(base)) {
  (wrapped as Record<string, unknown>)[name] = (...args: unknown[]) => {
    const key =
      name === 'matmul'
        ? `matmul m${args[6]} k${args[7]} n${args[8]} tA${+!!args[2]} tB${+!!args[5]}`
        : ['binary', 'unary', 'reduce', 'unaryParam'].includes(name)
          ? `${name} ${String(args[0])}`
          : name;
    const t = performance.now();
    (fn as (...a: unknown[]) => void)(...args);
    const e = acc.get(key) ?? [0, 0];
    e[0] += performance.now() - t;
    e[1]++;
    acc.set(key, e);
  };
}
setKernels(wrapped);
const reps = 3;
const t0 = performance.now();
for (let i = 0; i < reps; i++) await prep.run();
const total = performance.now() - t0;
let inKernels = 0;
for (const [, [t]] of acc) inKernels += t;
console.log(`${wl.key}: ${(total / reps).toFixed(1)} ms per run, ${(inKernels / reps).toFixed(1)} ms of it in kernels`);
for (const [k, [t, n]] of [...acc.entries()].sort((a, b) => b[1][0] - a[1][0]).slice(0, 20)) {
  console.log(`${(t / reps).toFixed(2).padStart(9)} ms  ${String(n / reps).padStart(6)} calls  ${k}`);
}
