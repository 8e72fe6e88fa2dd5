import type { Tensor } from './tensor.js';

/** Formats numbers as PyTorch does: "1." for whole numbers, 4 decimals, or scientific for wide ranges. */
function numberFormatter(values: ArrayLike<number>): (v: number) => string {
  let maxAbs = 0, minAbs = Infinity, allInt = true;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    const a = Math.abs(v);
    if (a > maxAbs) maxAbs = a;
    if (a > 0 && a < minAbs) minAbs = a;
    if (!Number.isInteger(v)) allInt = false;
  }
  const special = (v: number): string | null => (Number.isNaN(v) ? 'nan' : v === Infinity ? 'inf' : v === -Infinity ? '-inf' : null);
  if (allInt && maxAbs < 1e8) return (v) => special(v) ?? `${v}.`;
  const sci = maxAbs >= 1e8 || (minAbs < 1e-4 && minAbs !== Infinity) || (minAbs !== Infinity && maxAbs / minAbs > 1000 && maxAbs >= 1e3);
  if (sci) return (v) => special(v) ?? v.toExponential(4).replace(/e([+-])(\d)$/, 'e$10$2');
  return (v) => special(v) ?? v.toFixed(4);
}

/** PyTorch-like text of a tensor, summarised with "..." past 1000 elements. */
export function formatTensor(t: Tensor): string {
  const fmtNum = numberFormatter(t.data);
  const summarise = t.size > 1000;
  const cells: string[] = [];
  const width = (() => {
    let w = 0;
    for (let i = 0; i < Math.min(t.size, 2000); i++) w = Math.max(w, fmtNum(t.data[i]!).length);
    return w;
  })();
  const pad = (s: string): string => s.padStart(width);
  const indent = 'tensor('.length;
  const render = (d: number, off: number): string => {
    if (d === t.ndim) return pad(fmtNum(t.data[off]!));
    const n = t.shape[d]!;
    let step = 1;
    for (let i = d + 1; i < t.ndim; i++) step *= t.shape[i]!;
    const pick = summarise && n > 6 ? [0, 1, 2, -1, n - 3, n - 2, n - 1] : Array.from({ length: n }, (_, i) => i);
    const parts = pick.map((i) => (i === -1 ? '...' : render(d + 1, off + i * step)));
    const sep = d === t.ndim - 1 ? ', ' : ',' + '\n'.repeat(t.ndim - d - 1) + ' '.repeat(indent + d + 1);
    return `[${parts.join(sep)}]`;
  };
  cells.push(t.ndim === 0 ? fmtNum(t.data[0]!) : render(0, 0));
  const extras: string[] = [];
  if (t.dtype !== 'float64') extras.push(`dtype=${t.dtype}`);
  if (t._node) extras.push(`grad_fn=<${t.op}>`);
  else if (t.requiresGrad) extras.push('requiresGrad=true');
  return `tensor(${cells[0]}${extras.map((e) => ', ' + e).join('')})`;
}
