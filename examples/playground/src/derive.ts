// The derivation page: edit logits, target, label smoothing and class weights; see every step of
// ∂L/∂z = p − y computed by xent (derive-calc.ts) and checked three ways.
import { type DeriveInput, derive } from './derive-calc.js';
import { fmt } from './inspector.js';
import { signColor, signLegend } from './palette.js';

const $ = (id: string): HTMLElement => document.getElementById(id)!;

/** The page's set-up, kept in the URL hash so that a link reproduces it. */
function read(hash: string): DeriveInput {
  const q = new URLSearchParams(hash.replace(/^#/, ''));
  const list = (k: string): number[] | null => {
    const v = q.get(k)?.split(',').map(Number);
    return v && v.length >= 2 && v.length <= 6 && v.every(Number.isFinite) ? v : null;
  };
  const logits = list('z') ?? [2, 1, 0.1];
  const weights = list('w');
  const target = Number(q.get('y') ?? 0);
  const smoothing = Number(q.get('ls') ?? 0);
  return {
    logits,
    target: Number.isInteger(target) && target >= 0 && target < logits.length ? target : 0,
    smoothing: smoothing >= 0 && smoothing <= 0.5 ? smoothing : 0,
    weights: weights && weights.length === logits.length && weights.every((v) => v > 0) ? weights : logits.map(() => 1),
  };
}

const back = new URLSearchParams(location.hash.replace(/^#/, '')).get('back');
let input = read(location.hash);

function write(): void {
  const q = new URLSearchParams({
    z: input.logits.join(','),
    y: String(input.target),
    ls: String(input.smoothing),
    w: input.weights.join(','),
  });
  if (back) q.set('back', back);
  history.replaceState(null, '', `#${q.toString().replace(/%2C/g, ',')}`);
}

const vec = (id: string, v: readonly number[], signed = false): string =>
  `<tr id="${id}" data-value="${JSON.stringify(v)}">${v
    .map(
      (x) =>
        `<td${signed ? ` style="background:${signColor((0.6 * x) / Math.max(1e-12, ...v.map(Math.abs)))}"` : ''}>${fmt(x, 4)}</td>`,
    )
    .join('')}</tr>`;
const matrix = (id: string, m: readonly number[][]): string =>
  `<table class="matrix" id="${id}" data-value="${JSON.stringify(m)}">${m.map((r) => `<tr>${r.map((x) => `<td>${fmt(x, 4)}</td>`).join('')}</tr>`).join('')}</table>`;

function renderInputs(): void {
  const C = input.logits.length;
  $('classes').textContent = String(C);
  $('classes').dataset.value = String(C);
  (document.getElementById('smoothing') as HTMLInputElement).value = String(input.smoothing);
  $('smoothing-out').textContent = input.smoothing.toFixed(2);
  $('inputs-table').innerHTML =
    '<tr><th>class c</th><th>logit z_c</th><th>target y</th><th>weight w_c</th></tr>' +
    input.logits
      .map(
        (z, c) =>
          `<tr><td>${c}</td><td><input type="number" step="0.1" data-kind="z" data-c="${c}" value="${z}"></td>` +
          `<td><input type="radio" name="target" data-kind="y" data-c="${c}"${c === input.target ? ' checked' : ''}></td>` +
          `<td><input type="number" step="0.1" min="0.1" data-kind="w" data-c="${c}" value="${input.weights[c]}"></td></tr>`,
      )
      .join('');
}

function renderSteps(): void {
  const d = derive(input),
    C = input.logits.length,
    y = input.target;
  const plain = input.smoothing === 0 && input.weights.every((w) => w === input.weights[0]);
  const head = `<tr>${input.logits.map((_, c) => `<th>${c === y ? `<b>${c} = y</b>` : c}</th>`).join('')}</tr>`;
  const row = (title: string, body: string): string => `<div class="step"><h3>${title}</h3>${body}</div>`;
  $('derive-steps').innerHTML =
    row(
      '1. Softmax: p_c = e^{z_c} / Σ_k e^{z_k}',
      `<table class="vec">${head}${vec('p', d.p)}</table><p class="note">Σ p = ${fmt(
        d.p.reduce((a, b) => a + b, 0),
        6,
      )}: a distribution over the ${C} classes.</p>`,
    ) +
    row(
      '2. The loss: L = −Σ_c t_c log p_c',
      `<p>−log p_y = <output id="nll" data-value="${d.nll}">${fmt(d.nll, 6)}</output> (the loss of a one-hot target)</p>` +
        `<p>target t = ((1 − ε)·w_y·[c = y] + (ε/C)·w_c) / w_y:</p><table class="vec">${head}${vec('t', d.t)}</table>` +
        `<p>L = crossEntropy(z, y, { labelSmoothing: ${input.smoothing}, weight: [${input.weights.join(', ')}] }) = <output id="loss" data-value="${d.loss}">${fmt(d.loss, 6)}</output></p>`,
    ) +
    row(
      '3. The softmax Jacobian: ∂p_i/∂z_j = p_i([i = j] − p_j) = diag(p) − ppᵀ',
      `${matrix('jacobian', d.jacobian)}<p class="note">from jacobian(softmax, z); largest gap to diag(p) − ppᵀ: <output id="jacobian-gap" data-value="${d.jacobianGap}">${d.jacobianGap.toExponential(1)}</output></p>`,
    ) +
    row(
      '4. The chain rule: ∂L/∂z = Jᵀ · ∂L/∂p, with ∂L/∂p = −t / p',
      `<table class="vec">${head}${vec('dldp', d.dLdp)}${vec('chain', d.chain, true)}</table><p class="note">first row −t/p, second row Jᵀ·(−t/p) · ${signLegend('gradient')}</p>`,
    ) +
    row(
      `5. What it simplifies to: ∂L/∂z = (Σ t)·p − t${plain ? ' = p − y' : ''}`,
      `<table class="vec">${head}${vec('fused', d.fused, true)}${vec('numeric', d.numeric, true)}</table>` +
        `<p class="note">first row: the fused crossEntropy’s backward (never forms J nor divides by p); second: central differences (h = 1e-5). Largest gap between chain rule, fused and numeric: <output id="gradient-gap" data-value="${d.gradientGap}">${d.gradientGap.toExponential(1)}</output></p>`,
    ) +
    row(
      '6. The Hessian: ∂²L/∂z² = (Σ t)·(diag(p) − ppᵀ), positive semi-definite: L is convex in z',
      `${matrix('hessian', d.hessian)}<p class="note">from hessian(); gap to the closed form: <output id="hessian-gap" data-value="${d.hessianGap}">${d.hessianGap.toExponential(1)}</output>; smallest eigenvalue <output id="min-eigen" data-value="${d.minEigenvalue}">${fmt(d.minEigenvalue, 6)}</output> (0 along z + c·1: adding a constant to every logit changes nothing)</p>`,
    );
}

function render(): void {
  renderInputs();
  renderSteps();
  write();
}

$('inputs-table').addEventListener('change', (e) => {
  const el = e.target as HTMLInputElement,
    c = Number(el.dataset.c);
  if (el.dataset.kind === 'y') input.target = c;
  const v = Number(el.value);
  if (el.dataset.kind === 'z' && el.value.trim() !== '' && Number.isFinite(v)) input.logits[c] = v;
  if (el.dataset.kind === 'w' && v > 0) input.weights[c] = v;
  render();
});
$('smoothing').addEventListener('input', (e) => {
  input.smoothing = Number((e.target as HTMLInputElement).value);
  render();
});
$('classes-plus').addEventListener('click', () => {
  if (input.logits.length >= 6) return;
  input = { ...input, logits: [...input.logits, 0], weights: [...input.weights, 1] };
  render();
});
$('classes-minus').addEventListener('click', () => {
  if (input.logits.length <= 2) return;
  const C = input.logits.length - 1;
  input = {
    ...input,
    logits: input.logits.slice(0, C),
    weights: input.weights.slice(0, C),
    target: Math.min(input.target, C - 1),
  };
  render();
});
if (back) ($('playground-link') as HTMLAnchorElement).href = `index.html${location.search}${back}`;
render();
(window as unknown as Record<string, unknown>).xentDerive = {
  derive,
  get input() {
    return input;
  },
};
