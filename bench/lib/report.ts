import type { RunResult, Workload } from './workloads.js';

export interface ResultsDoc {
  date: string;
  mode: string;
  machine: {
    cpu: string;
    cores: number;
    memoryGB: number;
    platform: string;
    loadavgAtStart: number[];
    niceness?: number;
  };
  versions: Record<string, string>;
  workloads: Workload[];
  results: RunResult[];
  /** Import of @xent/core (a bundle) plus the first 256×256 float32 matmul in a fresh process, ms, per backend. */
  coldStart?: Record<string, { median: number; min: number; max: number }>;
}

const PEERS = ['tfjs-cpu', 'tfjs-wasm', 'jax-js-eager', 'jax-js-jit', 'js-pytorch', 'pytorch'];
const XENT = 'xent-wasm'; // float32 on the default (wasm) backend
const XENT_RUNNERS = [
  XENT,
  'xent-wasm-2t',
  'xent-wasm-fma',
  'xent-ts',
  'xent-wasm-float64',
  'xent-wasm-2t-float64',
  'xent-ts-float64',
];

const num = (x: number): string =>
  x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x >= 1 ? x.toFixed(2) : x.toPrecision(2);

/** How a ratio reads: peer time / xent time, so "3.1×" means xent is 3.1 times faster. */
const ratio = (peer: RunResult | undefined, xent: RunResult | undefined): number | null =>
  peer?.ok && xent?.ok ? peer.median! / xent.median! : null;

interface Target {
  what: string;
  check: (get: (key: string, runner: string) => RunResult | undefined) => { value: string; met: boolean | null };
}

const fmtRatio = (r: number | null): string => (r === null ? 'n/a' : `${num(r)}×`);

/** Ratio of the time of `slow` to that of `fast` (above 1: `fast` is faster). */
const faster = (g: Getter, key: string, slow: string, fast: string): number | null => ratio(g(key, slow), g(key, fast));
type Getter = (key: string, runner: string) => RunResult | undefined;

const atLeast = (what: string, key: string, slow: string, fast: string, min: number): Target => ({
  what,
  check: (g) => {
    const r = faster(g, key, slow, fast);
    return { value: fmtRatio(r), met: r === null ? null : r >= min };
  },
});

/** At most `max` times PyTorch's time (PyTorch one thread). */
const nearTorch = (what: string, key: string, max: number): Target => ({
  what,
  check: (g) => {
    const r = faster(g, key, XENT, 'pytorch'); // xent's time / PyTorch's
    return { value: r === null ? 'n/a' : `${num(r)}× PyTorch's time`, met: r === null ? null : r <= max };
  },
});

/** Issue 10's targets (xent float32 on the wasm backend, one thread), each a ratio within this one run. */
const TARGETS: Target[] = [
  atLeast('W1 n=256: ≥ 1.2× the GFLOP/s of tfjs-wasm', 'w1-matmul-256', 'tfjs-wasm', XENT, 1.2),
  atLeast('W1 n=1024: ≥ 1.2× the GFLOP/s of tfjs-wasm', 'w1-matmul-1024', 'tfjs-wasm', XENT, 1.2),
  atLeast('W2 [4096, 1000]: ≥ 8× faster than tfjs-wasm', 'w2-xent-4096x1000', 'tfjs-wasm', XENT, 8),
  atLeast('W2 [4096, 1000]: ≥ 4× faster than jax-js (jit)', 'w2-xent-4096x1000', 'jax-js-jit', XENT, 4),
  nearTorch('W2 [4096, 1000]: ≤ 2× PyTorch', 'w2-xent-4096x1000', 2),
  atLeast('W3 (a): faster than jax-js (jit)', 'w3-mlp-a', 'jax-js-jit', XENT, 1),
  nearTorch('W3 (a): ≤ 2× PyTorch', 'w3-mlp-a', 2),
  atLeast('W3 (b): ≥ 1.5× faster than jax-js (jit)', 'w3-mlp-b', 'jax-js-jit', XENT, 1.5),
  nearTorch('W3 (b): ≤ 2× PyTorch', 'w3-mlp-b', 2),
  {
    what: 'W5: ≥ 2× faster than tfjs-wasm, same accuracy (within 1 point)',
    check: (g) => {
      const x = g('w5-spiral', XENT),
        w = g('w5-spiral', 'tfjs-wasm');
      const r = ratio(w, x);
      if (r === null) return { value: 'n/a', met: null };
      return {
        value: `${fmtRatio(r)}; accuracy ${pct(x!.accuracy!)} vs ${pct(w!.accuracy!)}`,
        met: r >= 2 && x!.accuracy! >= w!.accuracy! - 0.01,
      };
    },
  },
  atLeast(
    'float64 GEMM n=256: ≥ 4× the TypeScript float64 kernel',
    'w1-matmul-256',
    'xent-ts-float64',
    'xent-wasm-float64',
    4,
  ),
  atLeast(
    'float64 GEMM n=1024: ≥ 4× the TypeScript float64 kernel',
    'w1-matmul-1024',
    'xent-ts-float64',
    'xent-wasm-float64',
    4,
  ),
  atLeast(
    'float64 GEMM n=512, 2 threads: ≥ 1.6× one thread (idle machine)',
    'w1-matmul-512',
    'xent-wasm-float64',
    'xent-wasm-2t-float64',
    1.6,
  ),
  atLeast(
    'float64 GEMM n=1024, 2 threads: ≥ 1.6× one thread (idle machine)',
    'w1-matmul-1024',
    'xent-wasm-float64',
    'xent-wasm-2t-float64',
    1.6,
  ),
  {
    what: 'W4: 2-16-16-1 Value MLP step < 30 ms (Node defaults)',
    check: (g) => {
      const r = g('w4-value-mlp', XENT);
      return r?.ok ? { value: `${num(r.median!)} ms`, met: r.median! < 30 } : { value: 'n/a', met: null };
    },
  },
  {
    what: 'W4: 1,000,000-addition chain built + back-propagated < 1.5 s',
    check: (g) => {
      const r = g('w4-chain', XENT);
      return r?.ok
        ? { value: `${num(r.median!)} ms, peak ${num(r.peakMB!)} MB`, met: r.median! < 1500 }
        : { value: 'n/a', met: null };
    },
  },
];

const pct = (a: number): string => `${(a * 100).toFixed(1)}%`;

function cell(r: RunResult | undefined): string {
  if (!r) return '—';
  if (!r.ok) return r.note?.startsWith('skipped') ? 'skipped¹' : r.note?.startsWith('n/a') ? '—' : 'failed²';
  let s = `${num(r.median!)} [${num(r.min!)}–${num(r.max!)}]`;
  if (r.gflops !== undefined) s += ` · ${num(r.gflops)} GF/s`;
  if (r.accuracy !== undefined) s += ` · ${pct(r.accuracy)}`;
  return s;
}

/** The Markdown report: times, ratios of xent (float32) to each peer, peak memory, targets. */
export function markdown(doc: ResultsDoc): string {
  const runners = [...XENT_RUNNERS, ...PEERS].filter((n) => doc.results.some((r) => r.runner === n));
  const get = (key: string, runner: string): RunResult | undefined =>
    doc.results.find((r) => r.key === key && r.runner === runner);
  const lines: string[] = [];
  const m = doc.machine;
  lines.push(
    `Run of ${doc.date.slice(0, 16).replace('T', ' ')} UTC (${doc.mode}), ${m.cpu}, ${m.cores} cores, ${m.memoryGB} GB, ${m.platform}, load average at start ${m.loadavgAtStart.join(' / ')}${m.niceness ? `, runners at niceness ${m.niceness}` : ''}.`,
  );
  lines.push(
    `Versions: ${Object.entries(doc.versions)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}.`,
  );
  lines.push('');
  lines.push(
    '**Time**, median [min–max] over the timed repetitions, in ms (ms per step for W3 and the W4 Value MLP); W1 adds GFLOP/s, W5 the training accuracy reached.',
  );
  lines.push('');
  lines.push(`| workload | ${runners.join(' | ')} |`);
  lines.push(`| --- | ${runners.map(() => '---').join(' | ')} |`);
  for (const wl of doc.workloads)
    lines.push(`| ${wl.label} | ${runners.map((r) => cell(get(wl.key, r))).join(' | ')} |`);
  lines.push('');
  const peers = runners.filter((r) => r !== XENT);
  lines.push(
    "**Ratio**: the peer's time divided by xent-wasm's (float32, the default backend) in this same run (above 1: xent-wasm is faster; for W1 this is also the GFLOP/s ratio).",
  );
  lines.push('');
  lines.push(`| workload | ${peers.map((p) => `vs ${p}`).join(' | ')} |`);
  lines.push(`| --- | ${peers.map(() => '---').join(' | ')} |`);
  for (const wl of doc.workloads)
    lines.push(`| ${wl.label} | ${peers.map((p) => fmtRatio(ratio(get(wl.key, p), get(wl.key, XENT)))).join(' | ')} |`);
  lines.push('');
  lines.push(
    '**Peak memory** (MB): the peak resident set of the process that ran the workload (runtime and library included).',
  );
  lines.push('');
  lines.push(`| workload | ${runners.join(' | ')} |`);
  lines.push(`| --- | ${runners.map(() => '---').join(' | ')} |`);
  for (const wl of doc.workloads)
    lines.push(
      `| ${wl.label} | ${runners
        .map((r) => {
          const x = get(wl.key, r);
          return x?.peakMB !== undefined && x.ok ? num(x.peakMB) : '—';
        })
        .join(' | ')} |`,
    );
  lines.push('');
  if (doc.coldStart) {
    lines.push(
      `**Cold start** (a fresh process imports @xent/core bundled by esbuild and runs its first 256×256 float32 matmul; median [min–max] ms): ${Object.entries(
        doc.coldStart,
      )
        .map(([b, c]) => `${b} ${num(c.median)} [${num(c.min)}–${num(c.max)}]`)
        .join(', ')}; target under 50 ms.`,
    );
    lines.push('');
  }
  lines.push('**Targets** (xent-wasm, float32, one thread, against the peers in this run):');
  lines.push('');
  lines.push(...targetRows(doc));
  const notes = doc.results.filter((r) => !r.ok && !r.note?.startsWith('n/a'));
  if (notes.length) {
    lines.push('');
    for (const r of notes)
      lines.push(`- ${r.note?.startsWith('skipped') ? '¹' : '²'} ${r.runner}, ${r.key}: ${r.note}`);
  }
  lines.push('');
  lines.push(
    'W4 measures the scalar engine (Value), which the peers do not have: it runs for xent only, against absolute targets.',
  );
  return lines.join('\n') + '\n';
}

/** The targets table of a run (issue 10's, and the cold start's), met or missed, as Markdown lines. */
function targetRows(doc: ResultsDoc): string[] {
  const get = (key: string, runner: string): RunResult | undefined =>
    doc.results.find((r) => r.key === key && r.runner === runner);
  const rows = ['| target | measured | met? |', '| --- | --- | --- |'];
  const met = (m: boolean | null): string => (m === null ? 'not measured' : m ? 'met' : '**missed**');
  for (const t of TARGETS) {
    const { value, met: m } = t.check(get);
    rows.push(`| ${t.what} | ${value} | ${met(m)} |`);
  }
  const cold = doc.coldStart?.wasm;
  rows.push(
    `| Cold start (import @xent/core, first 256×256 float32 matmul, wasm) < 50 ms | ${cold ? `${num(cold.median)} ms` : 'n/a'} | ${met(cold ? cold.median < 50 : null)} |`,
  );
  return rows;
}

/** The README's block: the run's first line and its targets table. */
export function readmeTargets(doc: ResultsDoc): string {
  const m = doc.machine;
  return [
    `From \`pnpm bench\` of ${doc.date.slice(0, 16).replace('T', ' ')} UTC (full run, ${m.cpu}, ${m.cores} cores, load average at start ${m.loadavgAtStart.join(' / ')}); every figure is a ratio within that one run. The whole tables: [docs/benchmarks.md](docs/benchmarks.md).`,
    '',
    ...targetRows(doc),
  ].join('\n');
}

/**
 * `page` with the text between its `<!-- bench:NAME -->` and `<!-- /bench:NAME -->` markers replaced by `md`,
 * so that a full `pnpm bench` keeps docs/benchmarks.md equal to bench/results/latest.md and the README's targets.
 * @example writeFileSync(page, withBlock(readFileSync(page, 'utf8'), 'latest', markdown(doc)));
 */
export function withBlock(page: string, name: string, md: string): string {
  const open = `<!-- bench:${name} -->\n`,
    close = `<!-- /bench:${name} -->`;
  const a = page.indexOf(open),
    b = page.indexOf(close);
  if (a < 0 || b < a) throw new Error(`withBlock: the page has no ${open.trim()} … ${close} block`);
  return page.slice(0, a + open.length) + md.trim() + '\n' + page.slice(b);
}
