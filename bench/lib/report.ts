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
}

const PEERS = ['tfjs-cpu', 'tfjs-wasm', 'jax-js-eager', 'jax-js-jit', 'js-pytorch', 'pytorch'];
const XENT = 'xent-float32';

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

/** The issue's targets, each measured as a ratio (or an absolute time) within this one run. */
const TARGETS: Target[] = [
  {
    what: 'W1 n=256 float32: ≥ 4.5× the GFLOP/s of tfjs-cpu',
    check: (g) => {
      const r = ratio(g('w1-matmul-256', 'tfjs-cpu'), g('w1-matmul-256', XENT));
      return { value: fmtRatio(r), met: r === null ? null : r >= 4.5 };
    },
  },
  {
    what: 'W2 [4096, 1000]: ≥ 30× faster than tfjs-cpu',
    check: (g) => {
      const r = ratio(g('w2-xent-4096x1000', 'tfjs-cpu'), g('w2-xent-4096x1000', XENT));
      return { value: fmtRatio(r), met: r === null ? null : r >= 30 };
    },
  },
  {
    what: 'W2 [4096, 1000]: ≥ 2× faster than tfjs-wasm',
    check: (g) => {
      const r = ratio(g('w2-xent-4096x1000', 'tfjs-wasm'), g('w2-xent-4096x1000', XENT));
      return { value: fmtRatio(r), met: r === null ? null : r >= 2 };
    },
  },
  {
    what: 'W3 (a): ≥ 5× faster than tfjs-cpu',
    check: (g) => {
      const r = ratio(g('w3-mlp-a', 'tfjs-cpu'), g('w3-mlp-a', XENT));
      return { value: fmtRatio(r), met: r === null ? null : r >= 5 };
    },
  },
  {
    what: 'W3 (a): faster than tfjs-wasm',
    check: (g) => {
      const r = ratio(g('w3-mlp-a', 'tfjs-wasm'), g('w3-mlp-a', XENT));
      return { value: fmtRatio(r), met: r === null ? null : r > 1 };
    },
  },
  {
    what: 'W3 (b): ≥ 3× faster than tfjs-cpu',
    check: (g) => {
      const r = ratio(g('w3-mlp-b', 'tfjs-cpu'), g('w3-mlp-b', XENT));
      return { value: fmtRatio(r), met: r === null ? null : r >= 3 };
    },
  },
  {
    what: 'W4: 2-16-16-1 Value MLP step < 30 ms (Node defaults)',
    check: (g) => {
      const r = g('w4-value-mlp', XENT),
        t = g('w4-value-mlp-gc32', XENT);
      if (!r?.ok) return { value: 'n/a', met: null };
      return {
        value: `${num(r.median!)} ms${t?.ok ? ` (${num(t.median!)} ms with --max-semi-space-size=32)` : ''}`,
        met: r.median! < 30,
      };
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
  {
    what: 'W5: faster than tfjs-cpu and tfjs-wasm, same accuracy',
    check: (g) => {
      const x = g('w5-spiral', XENT),
        c = g('w5-spiral', 'tfjs-cpu'),
        w = g('w5-spiral', 'tfjs-wasm');
      const rc = ratio(c, x),
        rw = ratio(w, x);
      if (rc === null || rw === null) return { value: 'n/a', met: null };
      const accOk = x!.accuracy! >= Math.min(c!.accuracy!, w!.accuracy!) - 0.01;
      return {
        value: `${fmtRatio(rc)} vs cpu, ${fmtRatio(rw)} vs wasm; accuracy ${pct(x!.accuracy!)} vs ${pct(c!.accuracy!)} / ${pct(w!.accuracy!)}`,
        met: rc > 1 && rw > 1 && accOk,
      };
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
  const runners = [XENT, 'xent-float64', ...PEERS].filter((n) => doc.results.some((r) => r.runner === n));
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
    "**Ratio**: the peer's time divided by xent float32's in this same run (above 1: xent is faster; for W1 this is also the GFLOP/s ratio).",
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
  lines.push('**Targets** (xent float32 against the peers in this run):');
  lines.push('');
  lines.push('| target | measured | met? |');
  lines.push('| --- | --- | --- |');
  for (const t of TARGETS) {
    const { value, met } = t.check(get);
    lines.push(`| ${t.what} | ${value} | ${met === null ? 'not measured' : met ? 'met' : '**missed**'} |`);
  }
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

/**
 * The results page (docs/benchmarks.md) with the text between its `<!-- bench:latest -->` markers replaced by
 * a full run's markdown, so that `pnpm bench` keeps the published tables equal to bench/results/latest.md.
 * @example writeFileSync(page, withLatest(readFileSync(page, 'utf8'), markdown(doc)));
 */
export function withLatest(page: string, md: string): string {
  const open = '<!-- bench:latest -->\n',
    close = '<!-- /bench:latest -->';
  const a = page.indexOf(open),
    b = page.indexOf(close);
  if (a < 0 || b < a) throw new Error(`withLatest: the page has no ${open.trim()} … ${close} block`);
  return page.slice(0, a + open.length) + md.trim() + '\n' + page.slice(b);
}
