import { matmul, tensor } from '@xent/core';
import { arena, wasm } from '../../packages/core/src/kernels/wasm/instance.js';
import { normals } from '../lib/data.js';
const n = 256;
const a = tensor(Array.from(normals(n * n, 1)), { dtype: 'float32' }).reshape([n, n]).detach();
const b = tensor(Array.from(normals(n * n, 2)), { dtype: 'float32' }).reshape([n, n]).detach();
const w = wasm()!.exports;
const T = [0, 0, 0, 0, 0];
const reps = 400;
for (let r = 0; r < 4; r++) {
  T.fill(0);
  let t0 = performance.now();
  for (let i = 0; i < reps; i++) matmul(a, b);
  const op = (performance.now() - t0) / reps;
  for (let i = 0; i < reps; i++) {
    let t = performance.now();
    arena.reset();
    const sc = arena.alloc(w.gemmScratch32()), pa = arena.alloc(n * n * 4), pb = arena.alloc(n * n * 4), pc = arena.alloc(n * n * 4);
    arena.f32.set(a.data as Float32Array, pa >> 2); arena.f32.set(b.data as Float32Array, pb >> 2);
    let u = performance.now(); T[0] += u - t; t = u;
    w.gemm32(pa, n, 1, pb, n, 1, n, n, n, pc, n, sc);
    u = performance.now(); T[1] += u - t; t = u;
    const o = new Float32Array(n * n);
    u = performance.now(); T[2] += u - t; t = u;
    arena.get(pc, o);
    u = performance.now(); T[3] += u - t; t = u;
  }
  console.log(`op ${op.toFixed(3)} | in ${(T[0] / reps).toFixed(3)} gemm ${(T[1] / reps).toFixed(3)} alloc ${(T[2] / reps).toFixed(3)} out ${(T[3] / reps).toFixed(3)}`);
}
