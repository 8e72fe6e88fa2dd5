import { pathToFileURL } from 'node:url';
import type { RunResult, Workload } from './workloads.js';

/** What a runner builds for one workload: one repetition, and what to report after. */
export interface Prepared {
  /** One repetition; returns how many units it covered (steps for ms/step, else 1). */
  run(): number | Promise<number>;
  /** Extra fields after the last repetition (accuracy of the last training run, …). */
  after?(): Partial<RunResult>;
  /** Frees what the workload holds (tfjs/jax-js tensors). */
  dispose?(): void;
}

/** Median of a non-empty list. */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h]! : (s[h - 1]! + s[h]!) / 2;
}

const peakMB = (): number => process.resourceUsage().maxRSS / 1024;

/**
 * Warm-up, then timed repetitions: at least `reps`, more while the total is under minTimeMs
 * (up to maxReps). A repetition whose warm-up alone exceeds `skipAfterMs` is not timed: the
 * workload is reported as skipped with that time, so a slow peer cannot stall the run.
 */
export async function measure(runner: string, wl: Workload, prep: Prepared, skipAfterMs: number): Promise<RunResult> {
  const times: number[] = [];
  const warmStart = performance.now();
  for (let i = 0; i < wl.warmup || performance.now() - warmStart < wl.warmupMs; i++) {
    const t0 = performance.now();
    await prep.run();
    const dt = performance.now() - t0;
    if (dt > skipAfterMs) {
      return {
        key: wl.key,
        runner,
        ok: false,
        peakMB: peakMB(),
        note: `skipped: one warm-up run took ${(dt / 1000).toFixed(1)} s (limit ${(skipAfterMs / 1000).toFixed(0)} s)`,
      };
    }
  }
  let total = 0;
  while (times.length < wl.reps || (total < wl.minTimeMs && times.length < wl.maxReps)) {
    const t0 = performance.now();
    const units = await prep.run();
    const dt = performance.now() - t0;
    total += dt;
    times.push(dt / units);
  }
  const med = median(times);
  const res: RunResult = {
    key: wl.key,
    runner,
    ok: true,
    times,
    median: med,
    min: Math.min(...times),
    max: Math.max(...times),
    peakMB: peakMB(),
    ...prep.after?.(),
  };
  if (wl.id === 'w1-matmul') res.gflops = (2 * wl.params.n! ** 3) / (med * 1e6);
  prep.dispose?.();
  return res;
}

/** Parses the runner's command line: `--workload <json>` and free flags like `--dtype float32`. */
function args(): { wl: Workload; flags: Record<string, string>; skipAfterMs: number } {
  const argv = process.argv.slice(2);
  const flags: Record<string, string> = {};
  for (let i = 0; i < argv.length; i += 2) flags[argv[i]!.replace(/^--/, '')] = argv[i + 1]!;
  return { wl: JSON.parse(flags.workload!) as Workload, flags, skipAfterMs: Number(flags.skipAfterMs ?? 15000) };
}

/** Prints the result as the last line of stdout (the orchestrator reads that line). */
function report(r: RunResult): void {
  process.stdout.write(`\n${JSON.stringify(r)}\n`);
}

/** Runs a runner's main with the common protocol: parse, prepare, measure, report; errors become a failed result. */
export async function main(
  runner: (flags: Record<string, string>) => string,
  prepare: (wl: Workload, flags: Record<string, string>) => Promise<Prepared | string> | Prepared | string,
): Promise<void> {
  const { wl, flags, skipAfterMs } = args();
  const name = runner(flags);
  try {
    const prep = await prepare(wl, flags);
    if (typeof prep === 'string') {
      report({ key: wl.key, runner: name, ok: false, note: prep });
      return;
    }
    report(await measure(name, wl, prep, skipAfterMs));
  } catch (e) {
    report({ key: wl.key, runner: name, ok: false, note: `failed: ${(e as Error).message?.split('\n')[0]}` });
  }
}

/** True when the module at `url` is the script node was started with (not imported by a test). */
export function isMain(url: string): boolean {
  return process.argv[1] !== undefined && url === pathToFileURL(process.argv[1]).href;
}
