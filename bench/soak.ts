/*
 * The soak (issue 11): 10,000 training steps of three loops, reporting heap growth, not time.
 * `node --expose-gc --conditions=source --import tsx bench/soak.ts [--steps N] [--json]`, or as part
 * of `pnpm bench` (which runs it in a process of its own). A loop that keeps a reference per step
 * (a graph, a saved tensor, a pending gradient) grows by bytes per step times 10,000 and shows here.
 */
import { Generator, Value, crossEntropy, gradients, noGrad, randn, tensor } from '@xent/core';
import { Adam, MLP, spiral } from '@xent/nn';
// The wasm module's memory (the same module instance as @xent/core's under the source condition).
import { arena } from '../packages/core/src/kernels/wasm/instance.js';

/** One workload: a setup and a step, run `steps` times. */
interface Soak {
  id: string;
  label: string;
  make: () => () => void;
}

/** Heap after a full collection (needs --expose-gc; without it the figure is noisier). */
function heapMB(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    gc();
  }
  return process.memoryUsage().heapUsed / 2 ** 20;
}

export const SOAKS: Soak[] = [
  {
    id: 'tensor-mlp',
    label: 'tensor MLP [2, 32, 32, 3], batch 64, Adam: zeroGrad, forward, crossEntropy, backward, step',
    make: () => {
      const { x, y } = spiral({ n: 64, seed: 0 });
      const model = new MLP([2, 32, 32, 3], { generator: new Generator(0) });
      const opt = new Adam(model.parameters(), { lr: 1e-3 });
      return () => {
        opt.zeroGrad();
        crossEntropy(model.forward(x), y).backward();
        opt.step();
      };
    },
  },
  {
    id: 'value-engine',
    label: 'Value engine: a 2-8-1 tanh MLP of scalars on 8 points, backward, SGD by hand',
    make: () => {
      const g = new Generator(1);
      const w1 = Array.from({ length: 16 }, () => new Value(g.normal() * 0.5));
      const b1 = Array.from({ length: 8 }, () => new Value(0));
      const w2 = Array.from({ length: 8 }, () => new Value(g.normal() * 0.5));
      const params = [...w1, ...b1, ...w2];
      const pts = Array.from({ length: 8 }, () => [g.normal(), g.normal(), g.random() < 0.5 ? -1 : 1] as const);
      return () => {
        let loss = new Value(0);
        for (const [a, b, t] of pts) {
          let out = new Value(0);
          for (let j = 0; j < 8; j++)
            out = out.add(
              w1[2 * j]!.mul(a)
                .add(w1[2 * j + 1]!.mul(b))
                .add(b1[j]!)
                .tanh()
                .mul(w2[j]!),
            );
          loss = loss.add(out.sub(t).pow(2));
        }
        for (const p of params) p.grad = 0;
        loss.backward();
        for (const p of params) p.data -= 0.01 * p.grad;
      };
    },
  },
  {
    id: 'double-backward',
    label: 'double backward: g = ∂L/∂x with createGraph, then ‖g‖² backward (a gradient penalty)',
    make: () => {
      const x = randn([16, 8], { generator: new Generator(2) }).requiresGrad_();
      const w = randn([8, 4], { generator: new Generator(3) }).requiresGrad_();
      const labels = tensor(Array.from({ length: 16 }, (_, i) => i % 4));
      return () => {
        const loss = crossEntropy(x.matmul(w).tanh(), labels);
        const [g] = gradients(loss, [x], { createGraph: true });
        w.grad = null;
        g!.square().sum().backward();
        noGrad(() => w.data.forEach((v, i) => (w.data[i] = v - 0.01 * w.grad!.data[i]!)));
      };
    },
  },
];

export interface SoakResult {
  id: string;
  label: string;
  steps: number;
  /** Heap after warm-up (100 steps) and after the last step, both after a full GC, in MB. */
  startMB: number;
  endMB: number;
  growthMB: number;
  /** Least-squares slope of the heap over the checkpoints (every tenth of the run), bytes per step. */
  bytesPerStep: number;
  checkpointsMB: number[];
  seconds: number;
  /** The wasm module's memory (memory.buffer.byteLength) after warm-up and at the end, MB (0 on the TS backend). */
  wasmStartMB: number;
  wasmEndMB: number;
}

/** Runs one soak: 100 warm-up steps, then `steps` steps with the heap read at every tenth. */
export function runSoak(s: Soak, steps: number): SoakResult {
  const step = s.make();
  for (let i = 0; i < 100; i++) step();
  const startMB = heapMB(),
    wasmStart = arena.size();
  const every = Math.max(1, Math.floor(steps / 10));
  const at: number[] = [],
    mb: number[] = [];
  const t0 = performance.now();
  for (let i = 1; i <= steps; i++) {
    step();
    if (i % every === 0) {
      at.push(i);
      mb.push(heapMB());
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  const endMB = heapMB();
  const n = at.length,
    mx = at.reduce((a, b) => a + b, 0) / n,
    my = mb.reduce((a, b) => a + b, 0) / n;
  let num = 0,
    den = 0;
  for (let i = 0; i < n; i++) {
    num += (at[i]! - mx) * (mb[i]! - my);
    den += (at[i]! - mx) ** 2;
  }
  return {
    id: s.id,
    label: s.label,
    steps,
    startMB: +startMB.toFixed(3),
    endMB: +endMB.toFixed(3),
    growthMB: +(endMB - startMB).toFixed(3),
    bytesPerStep: den > 0 ? +((num / den) * 2 ** 20).toFixed(1) : 0,
    checkpointsMB: mb.map((v) => +v.toFixed(3)),
    seconds: +seconds.toFixed(2),
    wasmStartMB: +(wasmStart / 2 ** 20).toFixed(3),
    wasmEndMB: +(arena.size() / 2 ** 20).toFixed(3),
  };
}

/** The results as a markdown table. */
export function soakTable(results: SoakResult[]): string {
  const rows = results.map(
    (r) =>
      `| ${r.id} | ${r.steps} | ${r.startMB.toFixed(2)} | ${r.endMB.toFixed(2)} | ${r.growthMB >= 0 ? '+' : ''}${r.growthMB.toFixed(2)} | ${r.bytesPerStep.toFixed(0)} | ${r.wasmStartMB.toFixed(2)} → ${r.wasmEndMB.toFixed(2)} |`,
  );
  return [
    '| workload | steps | heap after warm-up (MB) | heap at the end (MB) | growth (MB) | trend (bytes/step) | wasm memory (MB) |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...rows,
  ].join('\n');
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  const i = process.argv.indexOf('--steps');
  const steps = i >= 0 ? Number(process.argv[i + 1]) : 10000;
  if (!Number.isInteger(steps) || steps < 10) throw new RangeError(`soak: --steps must be an integer ≥ 10`);
  const gc = typeof (globalThis as { gc?: unknown }).gc === 'function';
  const results = SOAKS.map((s) => runSoak(s, steps));
  if (process.argv.includes('--json')) console.log(JSON.stringify({ gc, results }));
  else {
    console.log(`soak: ${steps} steps each, heap after a full GC${gc ? '' : ' (no --expose-gc: figures are noisier)'}`);
    console.log(soakTable(results));
  }
}
