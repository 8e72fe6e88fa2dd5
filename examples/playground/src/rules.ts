// The local derivative rule of each op, as a learner would write it: what the backprop stepper shows
// next to the numbers when it passes a gradient through that op.

const RULES: Record<string, string> = {
  linear: 'out = x·Wᵀ + b  ⇒  ∂x = g·W,  ∂W = gᵀ·x,  ∂b = Σ_rows g',
  matmul: 'out = A·B  ⇒  ∂A = g·Bᵀ,  ∂B = Aᵀ·g',
  mul: 'out = a·b  ⇒  ∂a = g·b,  ∂b = g·a',
  add: 'out = a + b  ⇒  ∂a = g,  ∂b = g',
  sub: 'out = a − b  ⇒  ∂a = g,  ∂b = −g',
  div: 'out = a / b  ⇒  ∂a = g / b,  ∂b = −g·a / b²',
  tanh: 'out = tanh(a)  ⇒  ∂a = g·(1 − out²)',
  relu: 'out = max(a, 0)  ⇒  ∂a = g·[a > 0]',
  sigmoid: 'out = σ(a)  ⇒  ∂a = g·out·(1 − out)',
  gelu: 'out = a·Φ(a)  ⇒  ∂a = g·(Φ(a) + a·φ(a))',
  softmax: 'p = softmax(a)  ⇒  ∂a = p ⊙ (g − Σ g·p)   (the Jacobian diag(p) − ppᵀ, applied)',
  crossEntropy: 'L = −Σ y·log softmax(z)  ⇒  ∂z = g·(p − y)   (softmax + CE fused: p − y)',
  binaryCrossEntropyWithLogits: 'L = −[y·log σ(z) + (1 − y)·log(1 − σ(z))]  ⇒  ∂z = g·(σ(z) − y)',
  mseLoss: 'L = (a − t)² per element  ⇒  ∂a = g·2(a − t)   (a mean after it brings its 1/n in g)',
  reshape: 'a reshaped  ⇒  ∂a = g reshaped back',
  mean: 'out = mean(a) = Σ a / n  ⇒  ∂a = g / n in every place',
  batchmean: 'out = Σ a / batch size  ⇒  ∂a = g / batch size in every place',
  sum: 'out = Σ a  ⇒  ∂a = g in every place',
};

/**
 * The rule for `op`, or a plain sentence when the table has none.
 * @example localRule('mul'); // 'out = a·b  ⇒  ∂a = g·b,  ∂b = g·a'
 */
export function localRule(op: string): string {
  return RULES[op] ?? `${op}: its vector–Jacobian product maps g to one gradient per input`;
}
