// The set-up panel: fills the menus once, and writes a state into every control.
import {
  ACTIVATIONS,
  DATASETS,
  FEATURES,
  LABELS,
  LOSSES,
  OPTIMIZERS,
  REGULARISERS,
  SPEEDS,
  type State,
  classCount,
  hasClassChoice,
} from './state.js';

const LR_CHOICES = [0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3];
const WD_CHOICES = [0, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1];
const REG_RATES = [0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3];

const LOSS_NOTES: Record<State['loss'], string> = {
  ce: 'L = −Σ y·log p with p = softmax(z). ∂L/∂z = p − y: the more confidently wrong a point is, the harder it pulls.',
  'mse-softmax':
    'L = mean (p − y)². The gradient goes through softmax’s Jacobian, which flattens when p saturates: confidently wrong points barely move.',
  'mse-raw':
    'L = mean (z − y)²: regression of the raw outputs onto one-hot targets, with no softmax; even right answers get pulled back towards 1.',
  bce: 'L = −[y·log σ(z) + (1 − y)·log(1 − σ(z))] on one logit z. ∂L/∂z = σ(z) − y: two-class cross-entropy.',
};

/** The element with id `id` (it must exist). */
export const $ = <T extends HTMLElement = HTMLElement>(id: string): T => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`playground: missing element #${id}`);
  return el as T;
};

function fillSelect(id: string, values: readonly (string | number)[], label: (v: string | number) => string): void {
  const sel = $<HTMLSelectElement>(id);
  sel.innerHTML = '';
  for (const v of values) sel.add(new Option(label(v), String(v)));
}

/** A number as the menus show it. @example fmtNum(0.0001); // '1e-4' */
function fmtNum(v: number): string {
  return v >= 0.001 || v === 0 ? String(Number(v.toPrecision(6))) : v.toExponential(0);
}

/** Fills the menus and hooks every control to `set` (a partial state change). */
export function buildControls(get: () => State, set: (patch: Partial<State>) => void): void {
  fillSelect('data', DATASETS, (v) => LABELS.data[v as State['data']]);
  fillSelect('activation', ACTIVATIONS, (v) => LABELS.activation[v as State['activation']]);
  fillSelect('optimizer', OPTIMIZERS, (v) => LABELS.optimizer[v as State['optimizer']]);
  fillSelect('speed', SPEEDS, (v) => LABELS.speed[v as State['speed']]);
  fillSelect('weight-decay', WD_CHOICES, (v) => fmtNum(Number(v)));
  fillSelect('reg', REGULARISERS, (v) => LABELS.reg[v as State['reg']]);
  fillSelect('reg-rate', REG_RATES, (v) => fmtNum(Number(v)));
  const fs = $('loss');
  for (const l of LOSSES) {
    const lab = document.createElement('label');
    lab.innerHTML = `<input type="radio" name="loss" value="${l}"> ${LABELS.lossShort[l]}`;
    lab.dataset.title = LABELS.loss[l];
    lab.querySelector('input')!.addEventListener('change', () => set({ loss: l }));
    fs.appendChild(lab);
  }
  const feats = $('features');
  for (const f of FEATURES) {
    const lab = document.createElement('label');
    lab.innerHTML = `<input type="checkbox" value="${f}"> ${LABELS.features[f]}`;
    lab.querySelector('input')!.addEventListener('change', (e) => {
      const on = (e.target as HTMLInputElement).checked;
      const now = get().features;
      set({ features: FEATURES.filter((x) => (x === f ? on : now.includes(x))) });
    });
    feats.appendChild(lab);
  }
  const onInput = (id: string, key: keyof State, parse: (v: string) => unknown = Number): void => {
    const el = $<HTMLInputElement | HTMLSelectElement>(id);
    el.addEventListener(el instanceof HTMLInputElement && el.type === 'range' ? 'input' : 'change', () =>
      set({ [key]: parse(el.value) } as Partial<State>),
    );
  };
  onInput('data', 'data', String);
  onInput('classes', 'classes');
  onInput('noise', 'noise');
  onInput('points', 'points');
  onInput('test-ratio', 'testRatio');
  onInput('seed', 'seed');
  onInput('activation', 'activation', String);
  onInput('optimizer', 'optimizer', String);
  onInput('lr', 'lr');
  onInput('batch', 'batch');
  onInput('weight-decay', 'weightDecay');
  onInput('reg', 'reg', String);
  onInput('reg-rate', 'regRate');
  onInput('label-smoothing', 'labelSmoothing');
  onInput('speed', 'speed', String);
  for (const [id, key] of [
    ['show-test', 'showTest'],
    ['discretize', 'discretize'],
  ] as const)
    $<HTMLInputElement>(id).addEventListener('change', (e) => set({ [key]: (e.target as HTMLInputElement).checked }));
  $('new-data').addEventListener('click', () => set({ seed: get().seed + 1 }));
  $('layers-plus').addEventListener('click', () => {
    const h = get().hidden;
    set({ hidden: [...h, h[h.length - 1] ?? 8] });
  });
  $('layers-minus').addEventListener('click', () => set({ hidden: get().hidden.slice(0, -1) }));
  // On a phone the set-up starts folded, so that the map and the results come first.
  if (matchMedia('(max-width: 700px)').matches)
    for (const d of Array.from(document.querySelectorAll<HTMLDetailsElement>('#controls details'))) d.open = false;
}

/** Writes the state into every control (after a change, a link, or normalisation). */
export function syncControls(state: State, set: (patch: Partial<State>) => void): void {
  const put = (id: string, v: string | number, out?: string): void => {
    const el = $<HTMLInputElement | HTMLSelectElement>(id);
    if (el instanceof HTMLSelectElement && !Array.from(el.options).some((o) => o.value === String(v)))
      el.add(new Option(fmtNum(Number(v)), String(v)));
    el.value = String(v);
    if (out !== undefined) $(`${id}-out`).textContent = out;
  };
  put('data', state.data);
  put('classes', state.classes, hasClassChoice(state.data) ? String(state.classes) : '2 (fixed)');
  $<HTMLInputElement>('classes').disabled = !hasClassChoice(state.data);
  put('noise', state.noise, state.noise.toFixed(2));
  put('points', state.points, String(state.points));
  put('test-ratio', state.testRatio, `${Math.round(state.testRatio * 100)} %`);
  put('seed', state.seed);
  put('activation', state.activation);
  put('optimizer', state.optimizer);
  fillSelect(
    'lr',
    [...new Set([...LR_CHOICES, state.lr])].sort((a, b) => a - b),
    (v) => fmtNum(Number(v)),
  );
  put('lr', state.lr);
  put('batch', state.batch, String(state.batch));
  put('weight-decay', state.weightDecay);
  put('reg', state.reg);
  put('reg-rate', state.regRate);
  $<HTMLSelectElement>('reg-rate').disabled = state.reg === 'none';
  put('label-smoothing', state.labelSmoothing, state.labelSmoothing.toFixed(2));
  put('speed', state.speed);
  $<HTMLInputElement>('show-test').checked = state.showTest;
  $<HTMLInputElement>('discretize').checked = state.discretize;
  for (const box of Array.from($('features').querySelectorAll<HTMLInputElement>('input'))) {
    box.checked = state.features.includes(box.value as State['features'][number]);
    // The last feature left cannot be taken away: the network needs an input.
    box.disabled = box.checked && state.features.length === 1;
  }
  const layers = $('layers');
  layers.textContent = String(state.hidden.length);
  layers.dataset.value = String(state.hidden.length);
  $<HTMLButtonElement>('layers-minus').disabled = state.hidden.length === 0;
  $<HTMLButtonElement>('layers-plus').disabled = state.hidden.length >= 6;
  const widths = $('widths');
  // Rebuilt only when the layer count changes, so that a slider being dragged keeps its grip.
  if (widths.querySelectorAll('input').length !== state.hidden.length) {
    widths.innerHTML = '';
    state.hidden.forEach((_, i) => {
      const lab = document.createElement('label');
      lab.innerHTML = `layer ${i + 1} width <output></output><input type="range" min="1" max="64" step="1" data-layer="${i}">`;
      lab
        .querySelector('input')!
        .addEventListener('input', () =>
          set({ hidden: Array.from(widths.querySelectorAll('input'), (el) => Number(el.value)) }),
        );
      widths.appendChild(lab);
    });
  }
  widths.querySelectorAll('label').forEach((lab, i) => {
    lab.querySelector('output')!.textContent = String(state.hidden[i]);
    lab.querySelector('input')!.value = String(state.hidden[i]);
  });
  const k = classCount(state);
  const sizes = [state.features.length, ...state.hidden, state.loss === 'bce' ? 1 : k];
  let nParams = 0;
  for (let i = 0; i + 1 < sizes.length; i++) nParams += (sizes[i]! + 1) * sizes[i + 1]!;
  $('architecture').textContent = `${sizes.join(' → ')} · ${nParams} parameters`;
  for (const input of Array.from($('loss').querySelectorAll<HTMLInputElement>('input[name=loss]'))) {
    input.checked = input.value === state.loss;
    const bceOff = input.value === 'bce' && k !== 2;
    input.disabled = bceOff;
    const lab = input.parentElement!;
    lab.title = bceOff ? 'binary cross-entropy needs exactly two classes' : (lab.dataset.title ?? '');
  }
  $('loss-note').textContent = LOSS_NOTES[state.loss];
}
