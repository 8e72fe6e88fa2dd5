/*
 * Where two threads start to pay: `node --conditions=source --import tsx bench/profile/threads.ts`. Times one
 * product [m, k] · [k, n] on one thread and on two (setNumThreads(2), the size limit lowered to 0), float32 and
 * float64, median of repetitions, and prints the speed-up; run it on an idle machine. The limit shipped in
 * defaultThreadLimits (docs/backends.md) comes from this.
 */
import { type DType, mm, randn, setNumThreads } from '@xent/core';
import { threadLimits } from '@xent/core/extend';

const shapes = [
  [64, 64, 64],
  [96, 96, 96],
  [128, 128, 128],
  [160, 160, 160],
  [192, 192, 192],
  [256, 256, 256],
  [512, 512, 512],
  [1024, 1024, 1024],
  [128, 784, 256], // W3b's first layer
  [256, 64, 64], // W3a's hidden layer
];

function time(f: () => void, budgetMs: number): number {
  for (let i = 0; i < 3; i++) f();
  const ts: number[] = [];
  const end = performance.now() + budgetMs;
  while (ts.length < 7 || (performance.now() < end && ts.length < 200)) {
    const t = performance.now();
    f();
    ts.push(performance.now() - t);
  }
  return ts.sort((a, b) => a - b)[ts.length >> 1]!;
}

await setNumThreads(2);
console.log('| dtype | m × k × n | multiply-adds | 1 thread (ms) | 2 threads (ms) | speed-up |');
console.log('|---|---|---|---|---|---|');
for (const dtype of ['float32', 'float64'] as DType[]) {
  for (const [m, k, n] of shapes) {
    const a = randn([m!, k!], { dtype }),
      b = randn([k!, n!], { dtype });
    threadLimits.matmul = Infinity;
    const one = time(() => mm(a, b), 300);
    threadLimits.matmul = 0;
    const two = time(() => mm(a, b), 300);
    console.log(
      `| ${dtype} | ${m} × ${k} × ${n} | ${(m! * k! * n!).toExponential(2)} | ${one.toFixed(3)} | ${two.toFixed(3)} | ${(one / two).toFixed(2)}× |`,
    );
  }
}
await setNumThreads(1);
