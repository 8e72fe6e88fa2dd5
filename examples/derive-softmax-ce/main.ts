// Deriving the gradient of softmax + cross-entropy, step by step, as numbers.
//   node --conditions=source --import tsx examples/derive-softmax-ce/main.ts
//
// For logits z, p = softmax(z) and a target distribution t (a one-hot, smoothed, or weighted):
//   L = −Σ_c t_c log p_c
//   ∂L/∂p_c = −t_c / p_c                      (the loss as a function of the probabilities)
//   ∂p_i/∂z_j = p_i([i = j] − p_j)            (the softmax Jacobian diag(p) − ppᵀ)
//   ∂L/∂z = (∂p/∂z)ᵀ ∂L/∂p = (Σ t)·p − t      (the chain rule; p − t when t sums to 1)
// The fused crossEntropy op computes the last line directly; central differences check it all.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Option, type Spec, cli } from '../lib/args.js';
import { type CrossEntropyOptions, type Tensor, crossEntropy, jacobian, noGrad, softmax, tensor } from '@xent/core';

/** Everything one section of the walkthrough computes, per row of the batch. */
export interface Step {
  title: string;
  logits: number[][];
  targets: number[];
  opts: CrossEntropyOptions;
  /** The target distribution t each row is scored against, times the row's share of the mean. */
  t: number[][];
  p: number[][];
  loss: number;
  jacobian: number[][][];
  jacobianFormulaGap: number;
  dLdp: number[][];
  chain: number[][];
  fused: number[][];
  numeric: number[][];
  /** Largest |difference| between the chain rule, the fused op and central differences. */
  disagreement: number;
}

const rows = (t: Tensor): number[][] => t.toArray() as number[][];

/** Runs the derivation on one batch of logits with class-index targets and crossEntropy options. */
export function derive(title: string, logits: number[][], targets: number[], opts: CrossEntropyOptions = {}): Step {
  const C = logits[0]!.length,
    eps = opts.labelSmoothing ?? 0;
  const w = (opts.weight as number[] | undefined) ?? new Array<number>(C).fill(1);
  const W = targets.reduce((s, y) => s + w[y]!, 0); // 'mean' divides by Σ w_y
  // t for row i: the smoothed, weighted target times 1/W, so that L = −Σ_i Σ_c t_ic log p_ic.
  const t = targets.map((y) => w.map((wc, c) => ((1 - eps) * w[y]! * (c === y ? 1 : 0) + (eps / C) * wc) / W));
  const z = tensor(logits, { requiresGrad: true });
  const p = rows(noGrad(() => softmax(z, 1)));
  const loss = crossEntropy(z, targets, opts);
  loss.backward();
  const fused = rows(z.grad!);
  const jac: number[][][] = [];
  let gap = 0;
  const dLdp: number[][] = [],
    chain: number[][] = [];
  p.forEach((pr, i) => {
    const J = rows(jacobian((x) => softmax(x), tensor(logits[i]!)));
    jac.push(J);
    J.forEach((r, a) =>
      r.forEach((v, b) => (gap = Math.max(gap, Math.abs(v - ((a === b ? pr[a]! : 0) - pr[a]! * pr[b]!))))),
    );
    const g = pr.map((pc, c) => -t[i]![c]! / pc); // ∂L/∂p = −t/p
    dLdp.push(g);
    chain.push(pr.map((_, j) => J.reduce((s, r, a) => s + r[j]! * g[a]!, 0))); // (∂p/∂z)ᵀ ∂L/∂p
  });
  const numeric = logits.map((r, i) =>
    r.map((_, j) => {
      const h = 1e-5;
      const at = (d: number): number => {
        const zz = logits.map((rr) => rr.slice());
        zz[i]![j]! += d;
        return crossEntropy(tensor(zz), targets, opts).item();
      };
      return (at(h) - at(-h)) / (2 * h);
    }),
  );
  let dis = 0;
  fused.forEach((r, i) =>
    r.forEach((v, j) => (dis = Math.max(dis, Math.abs(v - chain[i]![j]!), Math.abs(v - numeric[i]![j]!)))),
  );
  return {
    title,
    logits,
    targets,
    opts,
    t,
    p,
    loss: loss.item(),
    jacobian: jac,
    jacobianFormulaGap: gap,
    dLdp,
    chain,
    fused,
    numeric,
    disagreement: dis,
  };
}

/** The three sections of the walkthrough, each with a line on what its target t is. */
export function walkthrough(): Step[] {
  return [
    derive('1. One sample, C = 3 classes, target class y = 0', [[2, 1, 0.1]], [0]),
    derive('2. The same sample with label smoothing ε = 0.1', [[2, 1, 0.1]], [0], { labelSmoothing: 0.1 }),
    derive(
      '3. Two samples with class weights w = [1, 2, 0.5], reduction mean',
      [
        [2, 1, 0.1],
        [0.5, -1, 1.5],
      ],
      [0, 1],
      { weight: [1, 2, 0.5] },
    ),
  ];
}

const NOTES = [
  't is the one-hot y, so ∂L/∂p = −y/p and the chain rule gives p − y.',
  't = (1 − ε)·onehot(y) + ε/C: every class keeps a little mass, and the gradient is p − t.',
  "row i's t = w_{y_i}·onehot(y_i) / Σ_k w_{y_k}: 'mean' divides by the sum of the weights of the targets.",
];

const num = (v: number): string => (v < 0 ? '' : ' ') + (v === 0 ? 0 : v).toFixed(6);
const vec = (v: number[]): string => `[${v.map(num).join(', ')}]`;

/** The printed walkthrough. */
export function report(steps: Step[] = walkthrough()): string {
  const out: string[] = ['Deriving ∂L/∂z for softmax + cross-entropy, step by step', ''];
  steps.forEach((s, k) => {
    out.push(s.title, `  (${NOTES[k] ?? ''})`, '');
    const many = s.logits.length > 1;
    // Forward first (logits → p → loss), then the backward, step by step, for each row.
    s.logits.forEach((z, i) => {
      out.push(
        `  logits z${many ? ` (row ${i}, target class ${s.targets[i]})` : ` (target class ${s.targets[i]})`}: ${vec(z)}`,
      );
      out.push(`  softmax p = e^z / Σ e^z: ${vec(s.p[i]!)}`);
      if (!many && !s.opts.labelSmoothing) out.push(`  −log p_y: ${num(-Math.log(s.p[i]![s.targets[i]!]!))}`);
    });
    out.push(`  loss L = −Σ t log p (crossEntropy): ${s.loss.toFixed(6)}`, '');
    s.logits.forEach((_, i) => {
      if (many) out.push(`  row ${i}:`);
      out.push(`  target t: ${vec(s.t[i]!)}`);
      out.push('  softmax Jacobian ∂p/∂z, from jacobian(softmax, z):');
      for (const r of s.jacobian[i]!) out.push(`      ${vec(r)}`);
      out.push(`  ∂L/∂p = −t/p: ${vec(s.dLdp[i]!)}`);
      out.push(`  chain rule (∂p/∂z)ᵀ·∂L/∂p: ${vec(s.chain[i]!)}`);
      out.push(`  fused op, (Σt)·p − t: ${vec(s.fused[i]!)}`);
      out.push(`  central differences: ${vec(s.numeric[i]!)}`, '');
    });
    out.push(`  Jacobian vs diag(p) − ppᵀ: largest difference ${s.jacobianFormulaGap.toExponential(1)}`);
    out.push(`  largest disagreement (chain rule, fused, central differences): ${s.disagreement.toExponential(1)}`, '');
  });
  return out.join('\n');
}

/** The example's command line (`--help` prints it): no options. */
export const deriveCli = {
  command: `node --conditions=source --import tsx examples/derive-softmax-ce/main.ts`,
  about:
    'Derives the gradient of softmax + cross-entropy step by step in numbers: p, −log p_y, the Jacobian, the chain rule, p − y, central differences.',
  options: {},
} satisfies Spec<Record<string, Option>>;

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href)
  await cli(deriveCli, () => console.log(report()));
