/* Where a wasm matmul's time goes (m k n, then 1 to transpose A or B):
 * `node --conditions=source --import tsx bench/profile/gemm-parts.ts 256 256 256 [tA tB]`. */
import { matmul, tensor } from '@xent/core';
import { arena, wasm } from '../../packages/core/src/kernels/wasm/instance.js';
const [m, k, n] = process.argv.slice(2, 5).map(Number) as [number, number, number];
const tA = process.argv[5] === '1',
  tB = process.argv[6] === '1';
const rnd = (s: number) => Float32Array.from({ length: s }, () => Math.random() - 0.5);
const a = tensor(Array.from(rnd(m * k)), { dtype: 'float32' }).reshape(tA ? [k, m] : [m, k]);
const b = tensor(Array.from(rnd(k * n)), { dtype: 'float32' }).reshape(tB ? [n, k] : [k, n]);
const A = tA ? a.transpose(0, 1) : a,
  B = tB ? b.transpose(0, 1) : b;
const w = wasm()!.exports;
/** Best of 5 rounds, ms per call (printed in µs). */
const time = (label: string, f: () => void, reps = 2000): number => {
  for (let i = 0; i < 300; i++) f();
  let best = Infinity;
  for (let r = 0; r < 5; r++) {
    const t = performance.now();
    for (let i = 0; i < reps; i++) f();
    best = Math.min(best, (performance.now() - t) / reps);
  }
  console.log(`${(best * 1000).toFixed(1).padStart(8)} µs  ${label}`);
  return best;
};
const reps = Math.max(50, Math.round(2e8 / (m * k * n)));
time('matmul (whole op)', () => void matmul(A, B), reps);
arena.reset();
const scratch = arena.alloc(w.gemmScratch32()),
  pa = arena.alloc(m * k * 4),
  pb = arena.alloc(k * n * 4),
  pc = arena.alloc(m * n * 4);
arena.f32.set(a.data as Float32Array, pa >> 2);
arena.f32.set(b.data as Float32Array, pb >> 2);
const ars = tA ? 1 : k,
  acs = tA ? m : 1,
  brs = tB ? 1 : n,
  bcs = tB ? k : 1;
const kernel = time('gemm32 alone', () => w.gemm32(pa, ars, acs, pb, brs, bcs, m, k, n, pc, n, scratch), reps);
time(
  'copy A + B in',
  () => {
    arena.f32.set(a.data as Float32Array, pa >> 2);
    arena.f32.set(b.data as Float32Array, pb >> 2);
  },
  reps,
);
const out = new Float32Array(m * n);
time('copy C out (same array)', () => out.set(arena.f32.subarray(pc >> 2, (pc >> 2) + m * n)), reps);
time('new Float32Array(m·n)', () => void new Float32Array(m * n), reps);
time('new + copy C out', () => new Float32Array(m * n).set(arena.f32.subarray(pc >> 2, (pc >> 2) + m * n)), reps);
time(
  'copy in + gemm32 + new + copy out',
  () => {
    arena.f32.set(a.data as Float32Array, pa >> 2);
    arena.f32.set(b.data as Float32Array, pb >> 2);
    w.gemm32(pa, ars, acs, pb, brs, bcs, m, k, n, pc, n, scratch);
    new Float32Array(m * n).set(arena.f32.subarray(pc >> 2, (pc >> 2) + m * n));
  },
  reps,
);
time(
  'gemm32 + new Float32Array',
  () => {
    w.gemm32(pa, ars, acs, pb, brs, bcs, m, k, n, pc, n, scratch);
    void new Float32Array(m * n);
  },
  reps,
);
console.log(`gemm32 alone: ${((2 * m * k * n) / kernel / 1e6).toFixed(1)} GFLOP/s`);
{
  const f0 = process.resourceUsage().minorPageFault;
  const N = 2000;
  for (let i = 0; i < N; i++) matmul(A, B);
  console.log('minor faults per matmul:', ((process.resourceUsage().minorPageFault - f0) / N).toFixed(1));
}
