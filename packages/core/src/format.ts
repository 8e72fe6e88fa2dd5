import type { Tensor } from './tensor.js';

/* PyTorch's printing rules (torch/_tensor_str.py, default options): 4 decimals, whole numbers as
   "1.", scientific notation when the nonzero finite magnitudes span more than 1000× or pass 1e8
   (or, with fractions, go below 1e-4); rows wrapped at 80 columns; past 1000 elements only the
   first and last 3 entries of each dim. Differences: xent's default dtype is float64, so float32
   is the one flagged, and the suffixes are named `dtype=float32`, `grad_fn=<op>`, `requiresGrad=true`. */

const PRECISION = 4,
  THRESHOLD = 1000,
  EDGE = 3,
  LINEWIDTH = 80;

/**
 * Python rounds an exact tie to even; JS's toFixed/toExponential round it away from zero. `tail`
 * holds the exact digits after the kept ones: a tie is a 5 then only zeros, and then an odd last
 * kept digit (never 0, so no borrow) steps down by one.
 */
function halfEven(s: string, tail: string): string {
  if (!/^50*$/.test(tail)) return s;
  const at = (s.includes('e') ? s.indexOf('e') : s.length) - 1;
  const d = Number(s[at]);
  return d % 2 === 1 ? s.slice(0, at) + String(d - 1) + s.slice(at + 1) : s;
}

const sign = (v: number): string => (v < 0 || Object.is(v, -0) ? '-' : '');
const special = (v: number): string => (Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf');

/** `{:.4f}` in Python. */
function pyFixed(v: number): string {
  if (!Number.isFinite(v)) return special(v);
  const a = Math.abs(v);
  const exact = a.toFixed(100); // every digit of a double below 1e21 that could make a tie
  return sign(v) + halfEven(a.toFixed(PRECISION), exact.slice(exact.indexOf('.') + 1 + PRECISION));
}

/** `{:.4e}` in Python (two-digit exponent at least). */
function pySci(v: number): string {
  if (!Number.isFinite(v)) return special(v);
  const a = Math.abs(v);
  let s = a.toExponential(PRECISION);
  if (a !== 0) {
    const digits = a.toPrecision(100).split('e')[0]!.replace('.', '').replace(/^0+/, '');
    s = halfEven(s, digits.slice(PRECISION + 1));
  }
  return sign(v) + s.replace(/e([+-])(\d)$/, 'e$10$2');
}

/** `{:.0f}` in Python for a whole number (sign of −0 kept). */
function pyInt(v: number): string {
  if (!Number.isFinite(v)) return special(v);
  return (Object.is(v, -0) ? '-' : '') + v.toFixed(0);
}

interface Formatter {
  width: number;
  format(v: number): string;
}

/** Chooses the notation and the column width from the values that will be shown. */
function makeFormatter(values: readonly number[]): Formatter {
  const shown = values.filter((v) => Number.isFinite(v) && v !== 0);
  if (shown.length === 0) return { width: 1, format: (v) => (Number.isFinite(v) ? `${pyInt(v)}.` : pyInt(v)) };
  const abs = shown.map(Math.abs);
  const lo = Math.min(...abs),
    hi = Math.max(...abs);
  const intMode = shown.every(Number.isInteger);
  const sci = hi / lo > 1000 || hi > 1e8 || (!intMode && lo < 1e-4);
  const text = sci ? pySci : intMode ? (v: number) => (Number.isFinite(v) ? `${pyInt(v)}.` : pyInt(v)) : pyFixed;
  const width = Math.max(1, ...shown.map((v) => text(v).length));
  return { width, format: (v) => text(v).padStart(width) };
}

/** Entries of dim 0 to show: all, or the first and last EDGE with a gap (-1) between. */
function picks(n: number, summarise: boolean): number[] {
  if (summarise && n > 2 * EDGE) return [0, 1, 2, -1, n - 3, n - 2, n - 1];
  return Array.from({ length: n }, (_, i) => i);
}

/** PyTorch-like text of a tensor. @example formatTensor(tensor([1, 2.5])); // 'tensor([1.0000, 2.5000])' */
export function formatTensor(t: Tensor): string {
  const prefix = 'tensor(';
  const indent = prefix.length;
  const summarise = t.size > THRESHOLD;
  const strides: number[] = [];
  for (let d = t.ndim - 1, acc = 1; d >= 0; d--) {
    strides[d] = acc;
    acc *= t.shape[d]!;
  }

  // The formatter sees only the values that will be printed, as PyTorch's summarised data.
  const collect = (d: number, off: number, out: number[]): void => {
    if (d === t.ndim) {
      out.push(t.data[off]!);
      return;
    }
    for (const i of picks(t.shape[d]!, summarise)) if (i >= 0) collect(d + 1, off + i * strides[d]!, out);
  };
  const values: number[] = [];
  if (t.size > 0) collect(0, 0, values);
  const f = makeFormatter(values);

  const render = (d: number, off: number, ind: number): string => {
    if (d === t.ndim) return f.format(t.data[off]!);
    const n = t.shape[d]!;
    if (d === t.ndim - 1) {
      const items = picks(n, summarise).map((i) => (i < 0 ? ' ...' : f.format(t.data[off + i * strides[d]!]!)));
      const perLine = Math.max(1, Math.floor((LINEWIDTH - ind) / (f.width + 2)));
      const lines: string[] = [];
      for (let i = 0; i < items.length; i += perLine) lines.push(items.slice(i, i + perLine).join(', '));
      return `[${lines.join(',\n' + ' '.repeat(ind + 1))}]`;
    }
    const parts = picks(n, summarise).map((i) => (i < 0 ? '...' : render(d + 1, off + i * strides[d]!, ind + 1)));
    return `[${parts.join(',' + '\n'.repeat(t.ndim - d - 1) + ' '.repeat(ind + 1))}]`;
  };

  const suffixes: string[] = [];
  let body: string;
  if (t.size === 0) {
    body = '[]';
    if (t.ndim !== 1) suffixes.push(`size=(${t.shape.join(', ')}${t.ndim === 1 ? ',' : ''})`);
  } else body = render(0, 0, indent);
  if (t.dtype !== 'float64') suffixes.push(`dtype=${t.dtype}`);
  if (t._node) suffixes.push(`grad_fn=<${t.op}>`);
  else if (t.requiresGrad) suffixes.push('requiresGrad=true');

  // Suffixes go on the last line, or on a new one when they would pass the line width.
  let out = prefix + body;
  let lastLine = out.length - out.lastIndexOf('\n') + 1;
  for (const s of suffixes) {
    if (lastLine + s.length + 2 > LINEWIDTH) {
      out += ',\n' + ' '.repeat(indent) + s;
      lastLine = indent + s.length;
    } else {
      out += ', ' + s;
      lastLine += s.length + 2;
    }
  }
  return out + ')';
}
