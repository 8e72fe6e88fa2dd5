/*
 * Where the wasm kernels start to pay for their copies: small matmuls and elementwise maps, the TypeScript ('ts')
 * kernel against the wasm one with its size limits at 0, best of 5 rounds, µs per call.
 * `node --conditions=source --import tsx bench/profile/small-kernels.ts` (defaultWasmLimits come from this).
 */
import { type Kernels, fastKernels, wasmKernels, wasmLimits } from '@xent/core/extend';

wasmLimits.matmul = 0;
wasmLimits.min = 0;

/** µs per call of f(K) for the TypeScript and the wasm set. */
function both(f: (K: Kernels) => void, reps = 3000): [number, number] {
  return [fastKernels, wasmKernels].map((K) => {
    for (let i = 0; i < reps; i++) f(K);
    let best = Infinity;
    for (let r = 0; r < 5; r++) {
      const t = performance.now();
      for (let i = 0; i < reps; i++) f(K);
      best = Math.min(best, ((performance.now() - t) / reps) * 1000);
    }
    return best;
  }) as [number, number];
}
const cell = ([ts, wasm]: [number, number]): string => `${ts.toFixed(2)}/${wasm.toFixed(2)}${wasm < ts ? ' w' : '  '}`;
const rnd = (T: Float32ArrayConstructor | Float64ArrayConstructor, n: number): Float32Array | Float64Array => {
  const x = new T(n);
  for (let i = 0; i < n; i++) x[i] = Math.random() - 0.5;
  return x;
};

console.log('µs per call, ts/wasm (w: wasm faster)');
for (const T of [Float64Array, Float32Array]) {
  console.log(`\nmatmul ${T.name}: m×k×n, then A·B, Aᵀ·B, A·Bᵀ`);
  for (const [m, k, n] of [
    [4, 4, 4],
    [4, 4, 8],
    [8, 4, 8],
    [6, 6, 6],
    [8, 8, 8],
    [16, 8, 8],
    [32, 2, 16],
    [16, 32, 2],
    [32, 16, 3],
    [32, 16, 16],
  ] as const) {
    const a = rnd(T, m * k),
      b = rnd(T, k * n),
      out = new T(m * n);
    const cells = [
      [false, false],
      [true, false],
      [false, true],
    ].map(([tA, tB]) => cell(both((K) => K.matmul(a, [0], tA!, b, [0], tB!, m, k, n, out))));
    console.log(`${m}×${k}×${n} (${m * k * n})`.padEnd(16), cells.join('  '));
  }
  console.log(`\nelementwise ${T.name}: add, add a row, exp, log, tanh, neg, tanh backward`);
  for (const n of [16, 32, 64, 128, 256, 512]) {
    const a = rnd(T, n),
      b = rnd(T, n),
      row = rnd(T, 8),
      out = new T(n);
    const cells = [
      (K: Kernels) => K.binary('add', a, [1], b, [1], [n], out),
      (K: Kernels) => K.binary('add', a, [8, 1], row, [0, 1], [n / 8, 8], out),
      (K: Kernels) => K.unary('exp', a, out),
      (K: Kernels) => K.unary('log', a, out),
      (K: Kernels) => K.unary('tanh', a, out),
      (K: Kernels) => K.unary('neg', a, out),
      (K: Kernels) => K.activationGrad('tanh', a, b, 0, out),
    ].map((f) => cell(both(f)));
    console.log(String(n).padEnd(16), cells.join('  '));
  }
}
