// The numbers of the derivation page, all computed by xent: softmax + cross-entropy for one sample
// with label smoothing and class weights, its Jacobian, the chain rule, the fused gradient, central
// differences and the Hessian, each next to its closed form.
import { crossEntropy, hessian, jacobian, noGrad, softmax, tensor } from '@xent/core';

/** What the learner sets: logits z, the target class y, label smoothing ε, class weights w. */
export interface DeriveInput {
  logits: number[];
  target: number;
  smoothing: number;
  weights: number[];
}

/** Everything the page shows for one input. */
export interface Derivation {
  p: number[];
  /** The target distribution the loss scores p against: ((1 − ε)·w_y·[c = y] + (ε/C)·w_c) / w_y. */
  t: number[];
  loss: number;
  /** −log p_y: the loss without smoothing or weights. */
  nll: number;
  /** ∂p/∂z from jacobian(softmax), and its largest gap to diag(p) − ppᵀ. */
  jacobian: number[][];
  jacobianGap: number;
  /** ∂L/∂p = −t/p. */
  dLdp: number[];
  /** The chain rule Jᵀ·∂L/∂p. */
  chain: number[];
  /** The fused op's gradient, from crossEntropy(...).backward(): (Σt)·p − t (p − y for a plain one-hot). */
  fused: number[];
  /** Central differences of the loss, h = 1e-5. */
  numeric: number[];
  /** Largest gap between chain rule, fused op and central differences. */
  gradientGap: number;
  /** ∂²L/∂z² from hessian(), its closed form (Σt)·(diag(p) − ppᵀ), their gap, and its smallest eigenvalue. */
  hessian: number[][];
  hessianGap: number;
  minEigenvalue: number;
}

/** Smallest eigenvalue of a small symmetric matrix (Jacobi rotations). */
function minEigen(m: number[][]): number {
  const a = m.map((r) => r.slice()),
    n = a.length;
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) off += a[i]![j]! ** 2;
    if (off < 1e-24) break;
    for (let p = 0; p < n; p++)
      for (let q = p + 1; q < n; q++) {
        if (Math.abs(a[p]![q]!) < 1e-300) continue;
        const th = (a[q]![q]! - a[p]![p]!) / (2 * a[p]![q]!);
        const t = Math.sign(th || 1) / (Math.abs(th) + Math.sqrt(th * th + 1));
        const c = 1 / Math.sqrt(t * t + 1),
          s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k]![p]!,
            akq = a[k]![q]!;
          a[k]![p] = c * akp - s * akq;
          a[k]![q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p]![k]!,
            aqk = a[q]![k]!;
          a[p]![k] = c * apk - s * aqk;
          a[q]![k] = s * apk + c * aqk;
        }
      }
  }
  return Math.min(...a.map((r, i) => r[i]!));
}

const gap = (a: number[][], b: number[][]): number =>
  Math.max(0, ...a.flatMap((r, i) => r.map((v, j) => Math.abs(v - b[i]![j]!))));

/**
 * The whole derivation for one sample.
 * @example derive({ logits: [2, 1, 0.1], target: 0, smoothing: 0, weights: [1, 1, 1] }).fused; // p − onehot(0)
 */
export function derive(d: DeriveInput): Derivation {
  const C = d.logits.length,
    y = d.target,
    eps = d.smoothing,
    w = d.weights;
  if (!(y >= 0 && y < C)) throw new RangeError(`derive: target must be a class in [0, ${C}), got ${y}`);
  const opts = { labelSmoothing: eps, weight: tensor(w) };
  const L = (z: ReturnType<typeof tensor>) => crossEntropy(z.reshape([1, C]), [y], opts);
  const z = tensor(d.logits, { requiresGrad: true });
  const loss = L(z);
  loss.backward();
  const fused = Array.from(z.grad!.data);
  const p = Array.from(noGrad(() => softmax(tensor(d.logits), 0)).data);
  const t = w.map((wc, c) => ((1 - eps) * w[y]! * (c === y ? 1 : 0) + (eps / C) * wc) / w[y]!);
  const J = jacobian((x) => softmax(x, 0), tensor(d.logits)).toArray() as number[][];
  const closedJ = p.map((pi, i) => p.map((pj, j) => (i === j ? pi : 0) - pi * pj));
  const dLdp = p.map((pc, c) => -t[c]! / pc);
  const chain = p.map((_, j) => J.reduce((s, row, a) => s + row[j]! * dLdp[a]!, 0));
  const numeric = d.logits.map((_, j) => {
    const at = (h: number): number => {
      const zz = d.logits.slice();
      zz[j]! += h;
      return L(tensor(zz)).item();
    };
    return (at(1e-5) - at(-1e-5)) / 2e-5;
  });
  const H = hessian(L, tensor(d.logits)).toArray() as number[][];
  const st = t.reduce((a, b) => a + b, 0);
  const closedH = closedJ.map((r) => r.map((v) => st * v));
  return {
    p,
    t,
    loss: loss.item(),
    nll: -Math.log(p[y]!),
    jacobian: J,
    jacobianGap: gap(J, closedJ),
    dLdp,
    chain,
    fused,
    numeric,
    gradientGap: Math.max(...fused.map((v, j) => Math.max(Math.abs(v - chain[j]!), Math.abs(v - numeric[j]!)))),
    hessian: H,
    hessianGap: gap(H, closedH),
    minEigenvalue: minEigen(H),
  };
}
