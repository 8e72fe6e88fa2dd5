/**
 * The workloads, their sizes in a full and a quick run, and how each is repeated. Every runner
 * (xent, tfjs, jax-js, js-pytorch, PyTorch) implements the same ids with the same parameters.
 */

type WorkloadId = 'w1-matmul' | 'w2-xent' | 'w3-mlp' | 'w4-value-mlp' | 'w4-chain' | 'w5-spiral';

export interface Workload {
  /** Unique key of this instance, e.g. "w1-matmul-256". */
  key: string;
  id: WorkloadId;
  /** Human-readable name for the table. */
  label: string;
  /** Sizes and other parameters, passed to the runner as JSON. */
  params: Record<string, number>;
  /** What one timed repetition measures and how the table shows it. */
  unit: 'ms' | 'ms/step';
  /** Untimed repetitions first (JIT warm-up, caches, lazy init). */
  warmup: number;
  /** More untimed repetitions after those while the warm-up has taken less than this (ms); 0 by default. */
  warmupMs: number;
  /** Timed repetitions (at least 5 in a full run); more are added for short ones up to minTimeMs. */
  reps: number;
  minTimeMs: number;
  maxReps: number;
  /** In the quick set. */
  quick: boolean;
  /** Extra flags for the Node processes that run it (a GC setting, say); none by default. */
  nodeFlags?: string[];
}

const w = (
  key: string,
  id: WorkloadId,
  label: string,
  params: Record<string, number>,
  over: Partial<Workload> = {},
): Workload => ({
  key,
  id,
  label,
  params,
  unit: 'ms',
  warmup: 2,
  warmupMs: 0,
  reps: 5,
  minTimeMs: 1000,
  maxReps: 100,
  quick: false,
  ...over,
});

// V8 takes a few hundred steps to optimise a training step's JavaScript (xent's, tfjs's, jax-js's): a second of
// warm-up times the steady state a long training run sees, for every runner alike.
const W3_REPS: Partial<Workload> = {
  unit: 'ms/step',
  warmup: 1,
  warmupMs: 1000,
  reps: 5,
  minTimeMs: 0,
  maxReps: 5,
  quick: true,
};

/** The full list (`pnpm bench`). */
export const WORKLOADS: Workload[] = [
  ...[64, 128, 256, 512, 1024].map((n) =>
    w(`w1-matmul-${n}`, 'w1-matmul', `W1 matmul n=${n}`, { n }, { quick: n === 256, maxReps: n <= 128 ? 200 : 50 }),
  ),
  w('w2-xent-256x10', 'w2-xent', 'W2 softmax CE fwd+bwd [256, 10]', { batch: 256, classes: 10 }, { maxReps: 200 }),
  w(
    'w2-xent-4096x1000',
    'w2-xent',
    'W2 softmax CE fwd+bwd [4096, 1000]',
    { batch: 4096, classes: 1000 },
    { quick: true, maxReps: 30 },
  ),
  w(
    'w3-mlp-a',
    'w3-mlp',
    'W3a train step 2-64-64-3, batch 256',
    { in: 2, hidden: 64, layers: 2, out: 3, batch: 256, steps: 50, lr: 0.1 },
    W3_REPS,
  ),
  w(
    'w3-mlp-b',
    'w3-mlp',
    'W3b train step 784-256-10, batch 128',
    { in: 784, hidden: 256, layers: 1, out: 10, batch: 128, steps: 50, lr: 0.1 },
    W3_REPS,
  ),
  w(
    'w4-value-mlp',
    'w4-value-mlp',
    'W4 Value MLP 2-16-16-1 step, 100 points',
    { points: 100 },
    { unit: 'ms/step', warmup: 3, quick: true, maxReps: 50 },
  ),
  w(
    'w4-value-mlp-gc32',
    'w4-value-mlp',
    'W4 Value MLP step, Node --max-semi-space-size=32',
    { points: 100 },
    { unit: 'ms/step', warmup: 3, quick: true, maxReps: 50, nodeFlags: ['--max-semi-space-size=32'] },
  ),
  w(
    'w4-chain',
    'w4-chain',
    'W4 chain of 1,000,000 additions + backward',
    { length: 1_000_000 },
    { warmup: 1, minTimeMs: 0, maxReps: 5, quick: true },
  ),
  w(
    'w5-spiral',
    'w5-spiral',
    'W5 spiral 2-64-64-3, Adam, 500 steps',
    { points: 300, classes: 3, hidden: 64, steps: 500, lr: 0.01 },
    { warmup: 1, minTimeMs: 0, maxReps: 5, quick: true },
  ),
];

/** The quick set: the headline sizes, fewer steps, fewer repetitions. */
export function quickWorkloads(): Workload[] {
  return WORKLOADS.filter((x) => x.quick).map((x) => ({
    ...x,
    warmup: Math.min(x.warmup, 2),
    warmupMs: Math.min(x.warmupMs, 300),
    reps: 3,
    minTimeMs: Math.min(x.minTimeMs, 100),
    maxReps: Math.min(x.maxReps, 5),
    params:
      x.id === 'w3-mlp' ? { ...x.params, steps: 10 } : x.id === 'w5-spiral' ? { ...x.params, steps: 100 } : x.params,
    label: x.id === 'w5-spiral' ? x.label.replace('500 steps', '100 steps (quick)') : x.label,
  }));
}

/** The smoke set: every workload once at a tiny size (used by the test suite, not a measurement). */
export function smokeWorkloads(): Workload[] {
  const tiny: Record<WorkloadId, Record<string, number>> = {
    'w1-matmul': { n: 8 },
    'w2-xent': { batch: 4, classes: 3 },
    'w3-mlp': { in: 2, hidden: 4, layers: 2, out: 3, batch: 8, steps: 2, lr: 0.1 },
    'w4-value-mlp': { points: 4 },
    'w4-chain': { length: 1000 },
    'w5-spiral': { points: 30, classes: 3, hidden: 8, steps: 5, lr: 0.01 },
  };
  const seen = new Set<WorkloadId>();
  return WORKLOADS.filter((x) => !seen.has(x.id) && seen.add(x.id)).map((x) => ({
    ...x,
    key: `${x.id}-smoke`,
    params: tiny[x.id],
    warmup: 0,
    warmupMs: 0,
    reps: 1,
    minTimeMs: 0,
    maxReps: 1,
  }));
}

/** One runner's answer for one workload, as printed on its last stdout line. */
export interface RunResult {
  key: string;
  runner: string;
  ok: boolean;
  /** Per repetition, in the workload's unit. */
  times?: number[];
  median?: number;
  min?: number;
  max?: number;
  /** Peak resident memory of the runner's process (MiB). */
  peakMB?: number;
  /** W1: GFLOP/s at the median; W5: training accuracy reached. */
  gflops?: number;
  accuracy?: number;
  /** Why it was skipped or failed, or what to know about it. */
  note?: string;
}
