/* Training progress output. Browser-safe: no import of process; the sink is passed in or found on
   globalThis.process?.stdout when running in Node. */

/** Where progress text goes: a stream-like object (process.stdout fits). */
export interface OutputSink {
  write(text: string): unknown;
  /** True for a terminal: enables the one-line live bar. */
  isTTY?: boolean;
  columns?: number;
}

/**
 * The output sink used when none is given: Node's stdout when present, else null (silent).
 * @example fit(model, { …, output: defaultSink() });
 */
export function defaultSink(): OutputSink | null {
  const proc = (globalThis as { process?: { stdout?: OutputSink } }).process;
  return proc?.stdout && typeof proc.stdout.write === 'function' ? proc.stdout : null;
}

/** Milliseconds from a monotonic clock where there is one. @example const t0 = now(); */
function now(): number {
  const perf = (globalThis as { performance?: { now(): number } }).performance;
  return perf ? perf.now() : Date.now();
}

/** 1234 → '1.2k', for rates. */
function short(n: number): string {
  if (!Number.isFinite(n)) return '-';
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return n.toFixed(0);
}

/** Seconds as '42s', '3m05s', '1h02m'. @example duration(185); // '3m05s' */
function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '-';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/**
 * Formats a metric value: accuracy-like values in [0, 1] as percentages, others with 4 decimals.
 * @example formatValue('accuracy', 0.9731); // '97.3%'
 */
function formatValue(name: string, v: number): string {
  return /accuracy/i.test(name) && v >= 0 && v <= 1 ? `${(100 * v).toFixed(1)}%` : v.toFixed(4);
}

/**
 * What fit prints. verbose 1 on a terminal: one line, redrawn in place (epoch, bar, batch, loss, accuracy, rate, time
 * left). verbose 1 elsewhere, or verbose 2: a short line per epoch. verbose 0: nothing.
 * @example const p = new ProgressReporter(process.stdout, 1, epochs, batchesPerEpoch);
 */
export class ProgressReporter {
  private readonly live: boolean;
  private readonly start = now();
  private lastDraw = -Infinity;
  private done = 0;
  private samples = 0;
  private drawn = false;
  private last: { epoch: number; batch: number; logs: Record<string, number> } | null = null;
  /** The last epoch's validation numbers, shown on the live line. */
  private val: Record<string, number> = {};

  constructor(
    private readonly sink: OutputSink | null,
    verbose: number,
    private readonly epochs: number,
    private readonly batchesPerEpoch: number,
  ) {
    this.live = verbose === 1 && !!sink?.isTTY;
    if (verbose === 0) this.sink = null;
  }

  /** After every batch: redraws the live line at most every 100 ms (and on an epoch's last batch). */
  batch(epoch: number, batch: number, batchSize: number, running: { means(): Record<string, number> }): void {
    this.done++;
    this.samples += batchSize;
    if (!this.sink || !this.live) return;
    const t = now();
    if (t - this.lastDraw < 100 && batch + 1 < this.batchesPerEpoch) return;
    this.lastDraw = t;
    this.last = { epoch, batch, logs: running.means() };
    this.draw(t);
  }

  /** After every epoch: the per-epoch line; when live, the validation numbers join the bar instead. */
  epochEnd(epoch: number, logs: Record<string, number>): void {
    if (!this.sink) return;
    if (this.live) {
      this.val = Object.fromEntries(Object.entries(logs).filter(([k]) => k.startsWith('val')));
      if (Object.keys(this.val).length && this.last) this.draw(now());
      return;
    }
    const parts = [`epoch ${String(epoch + 1).padStart(String(this.epochs).length)}/${this.epochs}`];
    for (const [k, v] of Object.entries(logs)) if (k !== 'lr') parts.push(`${k} ${formatValue(k, v)}`);
    parts.push(duration((now() - this.start) / 1000));
    this.sink.write(parts.join('  ') + '\n');
  }

  /** Redraws the live line: epoch, bar, batch, running loss and metrics, last validation, rate, time left. */
  private draw(t: number): void {
    const { epoch, batch, logs } = this.last!;
    const elapsed = (t - this.start) / 1000;
    const total = this.epochs * this.batchesPerEpoch;
    const left = (elapsed / this.done) * (total - this.done);
    const width = 20,
      filled = Math.round((width * (batch + 1)) / this.batchesPerEpoch);
    const bar =
      '='.repeat(Math.max(filled - 1, 0)) +
      (filled > 0 ? (filled === width ? '=' : '>') : '') +
      ' '.repeat(width - filled);
    const parts = [`epoch ${epoch + 1}/${this.epochs}`, `[${bar}]`, `${batch + 1}/${this.batchesPerEpoch}`];
    for (const [k, v] of Object.entries({ ...logs, ...this.val })) parts.push(`${k} ${formatValue(k, v)}`);
    parts.push(`${short(this.samples / Math.max(elapsed, 1e-9))} samples/s`, `ETA ${duration(left)}`);
    let line = parts.join('  ');
    const cols = this.sink!.columns;
    if (cols && line.length > cols - 1) line = line.slice(0, cols - 1);
    this.sink!.write(`\r\x1b[2K${line}`);
    this.drawn = true;
  }

  /** Ends the live line so later output starts on a fresh one. */
  end(): void {
    if (this.sink && this.live && this.drawn) this.sink.write('\n');
  }
}
