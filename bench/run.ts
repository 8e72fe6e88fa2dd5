/*
 * `pnpm bench [--quick] [--only REGEX] [--runners a,b] [--render]`: every workload for xent (float32 and
 * float64) and each peer, each (runner, workload) pair in a process of its own, so that one
 * library's JIT state, caches and memory never colour another's. Results go to bench/results/.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { spiralFixture } from './lib/data.js';
import { measureColdStart } from './lib/cold-start.js';
import { type ResultsDoc, markdown, readmeTargets, withBlock } from './lib/report.js';
import { type RunResult, WORKLOADS, type Workload, quickWorkloads } from './lib/workloads.js';
import { type SoakResult, soakTable } from './soak.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const opt = (name: string): string | undefined => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const only = opt('--only') ? new RegExp(opt('--only')!) : null;

export interface Runner {
  name: string;
  /** Command and arguments before `--workload <json>`. */
  cmd: string[];
  /** Workload ids it implements. */
  supports: (wl: Workload) => boolean;
  /** Why it cannot run here (null when it can). */
  unavailable?: () => string | null;
}

const node = (file: string, ...extra: string[]): string[] => [
  process.execPath,
  '--conditions=source',
  '--import',
  'tsx',
  path.join(here, 'runners', file),
  ...extra,
];
const tensorOnly = (wl: Workload): boolean => !wl.id.startsWith('w4');

/** A python3 with `import torch` working: the one on PATH, else Debian's. Never installs anything. */
function findTorch(): { python: string; version: string } | null {
  for (const py of ['python3', '/usr/bin/python3']) {
    const r = spawnSync(py, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' });
    if (r.status === 0) return { python: py, version: r.stdout.trim() };
  }
  return null;
}
const torch = findTorch();

export const RUNNERS: Runner[] = [
  // xent float32 on the wasm kernels (the default backend) and on the pure-TypeScript ones; float64 likewise.
  { name: 'xent-wasm', cmd: node('xent.ts', '--dtype', 'float32', '--backend', 'wasm'), supports: () => true },
  { name: 'xent-ts', cmd: node('xent.ts', '--dtype', 'float32', '--backend', 'ts'), supports: () => true },
  {
    name: 'xent-wasm-float64',
    cmd: node('xent.ts', '--dtype', 'float64', '--backend', 'wasm'),
    supports: (wl) => !wl.id.startsWith('w4'),
  },
  // Two threads (setNumThreads(2)): products of 2²² multiply-adds or more split over the caller and a worker.
  {
    name: 'xent-wasm-2t',
    cmd: node('xent.ts', '--dtype', 'float32', '--backend', 'wasm', '--threads', '2'),
    supports: (wl) => !wl.id.startsWith('w4'),
  },
  // For information, never for a target: the relaxed-SIMD build (f32x4.relaxed_madd, one FMA instruction), which
  // xent chooses where the engine accepts it; Node 20 accepts it only when started with this flag.
  {
    name: 'xent-wasm-fma',
    cmd: [
      process.execPath,
      '--experimental-wasm-relaxed-simd',
      ...node('xent.ts', '--dtype', 'float32', '--backend', 'wasm', '--fma', '1').slice(1),
    ],
    supports: (wl) => !wl.id.startsWith('w4'),
  },
  {
    name: 'xent-wasm-2t-float64',
    cmd: node('xent.ts', '--dtype', 'float64', '--backend', 'wasm', '--threads', '2'),
    supports: (wl) => wl.id.startsWith('w1'),
  },
  {
    name: 'xent-ts-float64',
    cmd: node('xent.ts', '--dtype', 'float64', '--backend', 'ts'),
    supports: (wl) => !wl.id.startsWith('w4'),
  },
  { name: 'tfjs-cpu', cmd: node('tfjs.ts', '--backend', 'cpu'), supports: tensorOnly },
  { name: 'tfjs-wasm', cmd: node('tfjs.ts', '--backend', 'wasm'), supports: tensorOnly },
  {
    name: 'jax-js-eager',
    cmd: node('jax.ts', '--mode', 'eager'),
    supports: (wl) => tensorOnly(wl) && !(quick && wl.id === 'w5-spiral'),
  },
  { name: 'jax-js-jit', cmd: node('jax.ts', '--mode', 'jit'), supports: tensorOnly },
  // Nested-array tensors: seconds per run at the large sizes, so the quick set leaves those out.
  {
    name: 'js-pytorch',
    cmd: node('js-pytorch.ts'),
    supports: (wl) => tensorOnly(wl) && !(quick && (wl.id === 'w5-spiral' || wl.key === 'w2-xent-4096x1000')),
  },
  {
    name: 'pytorch',
    cmd: [torch?.python ?? 'python3', path.join(here, 'runners', 'pytorch.py')],
    supports: tensorOnly,
    unavailable: () =>
      torch ? null : "skipped: `import torch` fails in python3 (install Debian's python3-torch to include PyTorch)",
  },
];

function versions(): Record<string, string> {
  const v: Record<string, string> = { node: process.version };
  for (const pkg of ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm', '@jax-js/jax', 'js-pytorch']) {
    try {
      const dir = path.join(here, 'node_modules', pkg, 'package.json');
      v[pkg] = (JSON.parse(readFileSync(dir, 'utf8')) as { version: string }).version;
    } catch {
      v[pkg] = 'not installed';
    }
  }
  v['@xent/core'] = (
    JSON.parse(readFileSync(path.join(here, '..', 'packages', 'core', 'package.json'), 'utf8')) as { version: string }
  ).version;
  if (torch) v.torch = torch.version;
  try {
    v.xentCommit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: here, encoding: 'utf8' }).trim();
  } catch {
    /* not a clone */
  }
  return v;
}

/**
 * The environment of a runner's process. PyTorch's gets OpenBLAS's own CPU detection and cache sizes: the machine's
 * OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE (set for other tools) are removed for that process only, and it runs one thread.
 */
function runnerEnv(r: Runner): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, TF_CPP_MIN_LOG_LEVEL: '3' };
  if (r.name === 'pytorch') {
    delete env.OPENBLAS_CORETYPE;
    delete env.OPENBLAS_L2_SIZE;
    env.OPENBLAS_NUM_THREADS = '1'; // one thread, as xent's default (the runner also sets torch's to 1)
  }
  return env;
}

function runOne(r: Runner, wl: Workload, fixture: string): RunResult {
  const na = r.unavailable?.();
  if (na) return { key: wl.key, runner: r.name, ok: false, note: na };
  const skipAfterMs = quick ? 4000 : 20000;
  const [exe, ...rest] = r.cmd;
  const cmd = exe === process.execPath ? [exe, ...(wl.nodeFlags ?? []), ...rest] : r.cmd;
  const res = spawnSync(
    cmd[0]!,
    [...cmd.slice(1), '--workload', JSON.stringify(wl), '--skipAfterMs', String(skipAfterMs), '--fixture', fixture],
    {
      encoding: 'utf8',
      timeout: (quick ? 60 : 300) * 1000,
      maxBuffer: 64 << 20,
      cwd: here,
      env: runnerEnv(r),
    },
  );
  const last = res.stdout?.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(last) as RunResult;
  } catch {
    const why = res.error ? res.error.message : (res.stderr || '').trim().split('\n').slice(-1)[0];
    return { key: wl.key, runner: r.name, ok: false, note: `failed: ${why || `exit ${res.status}`}` };
  }
}

function fmtLine(r: RunResult): string {
  if (!r.ok) return `${r.runner.padEnd(14)} ${r.note}`;
  const extra = [
    r.gflops !== undefined ? `${r.gflops.toFixed(2)} GFLOP/s` : '',
    r.accuracy !== undefined ? `acc ${(r.accuracy * 100).toFixed(1)}%` : '',
  ]
    .filter(Boolean)
    .join(', ');
  return `${r.runner.padEnd(14)} ${r.median!.toFixed(3)} [${r.min!.toFixed(3)}–${r.max!.toFixed(3)}]  peak ${r.peakMB!.toFixed(0)} MB ${extra}`;
}

/**
 * Raises this process's priority (the runners inherit it) so that other work on a shared machine
 * disturbs the timings less; needs root (or CAP_SYS_NICE), and is skipped without it.
 */
function raisePriority(): number {
  try {
    os.setPriority(-10);
  } catch {
    /* not permitted: run at normal priority */
  }
  return os.getPriority();
}

/** A full run replaces the tables published in docs/benchmarks.md and the targets in the README. */
function publish(doc: ResultsDoc, md: string): void {
  const page = path.join(here, '..', 'docs', 'benchmarks.md'),
    readme = path.join(here, '..', 'README.md');
  writeFileSync(page, withBlock(readFileSync(page, 'utf8'), 'latest', md));
  writeFileSync(readme, withBlock(readFileSync(readme, 'utf8'), 'targets', readmeTargets(doc)));
}

/** `pnpm bench --render`: rewrites latest.md, docs/benchmarks.md and the README from latest.json (no run). */
function render(): void {
  const outDir = path.join(here, 'results');
  const doc = JSON.parse(readFileSync(path.join(outDir, 'latest.json'), 'utf8')) as ResultsDoc;
  const md = markdown(doc);
  writeFileSync(path.join(outDir, 'latest.md'), md);
  publish(doc, md);
  console.log('rendered bench/results/latest.md, docs/benchmarks.md and README.md from bench/results/latest.json');
}

function main(): void {
  if (argv.includes('--render')) return render();
  const started = new Date();
  const niceness = raisePriority();
  const wls = (quick ? quickWorkloads() : WORKLOADS).filter((w) => !only || only.test(w.key));
  const runnerNames = opt('--runners')?.split(',');
  const runners = RUNNERS.filter((r) => !runnerNames || runnerNames.includes(r.name));
  const outDir = path.join(here, 'results');
  mkdirSync(outDir, { recursive: true });
  // The W5 data and initial weights, written once for the PyTorch runner (the JS runners build the same in memory).
  const fixture = path.join(os.tmpdir(), `xent-bench-spiral-${process.pid}.json`);
  const w5 = WORKLOADS.find((w) => w.id === 'w5-spiral')!;
  writeFileSync(fixture, JSON.stringify(spiralFixture(w5.params)));

  const results: RunResult[] = [];
  console.log(
    `xent benchmarks (${quick ? 'quick' : 'full'}): ${wls.length} workloads × ${runners.length} runners, one process each\n`,
  );
  for (const wl of wls) {
    console.log(`${wl.label} (${wl.unit}, median [min–max])`);
    for (const r of runners) {
      if (!r.supports(wl)) continue;
      const res = runOne(r, wl, fixture);
      results.push(res);
      console.log(`  ${fmtLine(res)}`);
    }
  }
  const coldStart = !only && !runnerNames ? measureColdStart(quick ? 3 : 7) : undefined;
  if (coldStart) console.log(`\ncold start (import + first 256×256 float32 matmul, ms): ${JSON.stringify(coldStart)}`);
  const machine = {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    memoryGB: Math.round(os.totalmem() / 2 ** 30),
    platform: `${os.platform()} ${os.release()}`,
    loadavgAtStart: os.loadavg().map((x) => +x.toFixed(2)),
    niceness,
  };
  const doc = {
    date: started.toISOString(),
    finished: new Date().toISOString(),
    mode: quick ? 'quick' : 'full',
    machine,
    versions: versions(),
    workloads: wls,
    results,
    ...(coldStart ? { coldStart } : {}),
  };
  const stamp = started.toISOString().replace(/[:.]/g, '-');
  // A filtered run (--only, --runners) never replaces the full run's latest results.
  const base = only || runnerNames ? 'latest-partial' : quick ? 'latest-quick' : 'latest';
  writeFileSync(path.join(outDir, `${base}.json`), JSON.stringify(doc, null, 2) + '\n');
  const kind = base === 'latest-partial' ? 'partial' : doc.mode;
  writeFileSync(path.join(outDir, `${stamp}-${kind}.json`), JSON.stringify(doc, null, 2) + '\n');
  const md = markdown(doc);
  writeFileSync(path.join(outDir, `${base}.md`), md);
  if (base === 'latest') publish(doc, md);
  console.log(
    `\n${md}\nwritten: bench/results/${base}.json, bench/results/${base}.md, bench/results/${stamp}-${kind}.json` +
      (base === 'latest' ? ', docs/benchmarks.md (its results block), README.md (its targets block)' : ''),
  );
  if (!only && !runnerNames) soak(outDir);
}

/**
 * The heap soak (bench/soak.ts, issue 11) in a process of its own with --expose-gc: 10,000 steps of
 * three loops (2,000 with --quick), heap growth rather than time, written to bench/results/soak*.
 */
function soak(outDir: string): void {
  const steps = quick ? 2000 : 10000;
  console.log(`
soak: ${steps} steps each of a tensor MLP, the Value engine and a double-backward loop (heap, not time)`);
  const res = spawnSync(
    process.execPath,
    [
      '--expose-gc',
      '--conditions=source',
      '--import',
      'tsx',
      path.join(here, 'soak.ts'),
      '--steps',
      String(steps),
      '--json',
    ],
    { encoding: 'utf8', cwd: here, timeout: 1800 * 1000, maxBuffer: 16 << 20 },
  );
  const last = res.stdout?.trim().split('\n').pop() ?? '';
  let doc: { gc: boolean; results: SoakResult[] };
  try {
    doc = JSON.parse(last) as typeof doc;
  } catch {
    console.log(
      `  failed: ${(res.stderr || res.error?.message || `exit ${res.status}`).trim().split('\n').slice(-1)[0]}`,
    );
    return;
  }
  const table = soakTable(doc.results);
  console.log(table);
  const base = quick ? 'soak-quick' : 'soak';
  const when = new Date().toISOString();
  writeFileSync(
    path.join(outDir, `${base}.json`),
    JSON.stringify({ date: when, node: process.version, ...doc }, null, 2) + '\n',
  );
  writeFileSync(path.join(outDir, `${base}.md`), `Heap soak, ${when}, Node ${process.version}\n\n${table}\n`);
}

main();
