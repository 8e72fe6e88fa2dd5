// The playground page: controls → state (kept in the URL) → trainer; frames from the trainer → pictures.
import { drawChart } from './chart.js';
import { connect } from './connect.js';
import type { PlaygroundData } from './data.js';
import { addDownloadButtons, saveModelFile } from './download.js';
import { COLORS, fmt, renderInspector } from './inspector.js';
import type { Frame, FromTrainer } from './protocol.js';
import { drawRegions, pointAt, toPx } from './regions.js';
import { drawPointGradients, trueClassTarget } from './scatter.js';
import {
  ACTIVATIONS,
  DATASETS,
  LABELS,
  LOSSES,
  OPTIMIZERS,
  SPEEDS,
  type State,
  classCount,
  decodeState,
  encodeState,
  hasClassChoice,
  normalise,
} from './state.js';

const LR_CHOICES = [0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3];
const WD_CHOICES = [0, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1];

const LOSS_NOTES: Record<State['loss'], string> = {
  ce: 'L = −Σ y·log p with p = softmax(z). ∂L/∂z = p − y: the more confidently wrong a point is, the harder it pulls.',
  'mse-softmax':
    'L = mean (p − y)². The gradient goes through softmax’s Jacobian, which flattens when p saturates: confidently wrong points barely move.',
  'mse-raw':
    'L = mean (z − y)²: regression of the raw outputs onto one-hot targets, with no softmax; even right answers get pulled back towards 1.',
  bce: 'L = −[y·log σ(z) + (1 − y)·log(1 − σ(z))] on one logit z. ∂L/∂z = σ(z) − y: two-class cross-entropy.',
};

const $ = <T extends HTMLElement = HTMLElement>(id: string): T => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`playground: missing element #${id}`);
  return el as T;
};

let state: State = decodeState(location.hash);
let data: PlaygroundData | null = null;
let frame: Frame | null = null;
let playing = false;
let selected: number | null = null;
let drawPending = false;
const history = {
  xs: [] as number[],
  trainLoss: [] as number[],
  testLoss: [] as number[],
  trainAcc: [] as number[],
  testAcc: [] as number[],
  step: [] as number[],
};
let markers: { x: number; label: string }[] = [];

const params = new URLSearchParams(location.search);
const conn = connect(onMessage, params.get('worker') !== 'off');

// ---------- controls ----------

function fillSelect(id: string, values: readonly (string | number)[], label: (v: string | number) => string): void {
  const sel = $<HTMLSelectElement>(id);
  sel.innerHTML = '';
  for (const v of values) sel.add(new Option(label(v), String(v)));
}

function fmtNum(v: number): string {
  return v >= 0.001 || v === 0 ? String(Number(v.toPrecision(6))) : v.toExponential(0);
}

function buildControls(): void {
  fillSelect('data', DATASETS, (v) => LABELS.data[v as State['data']]);
  fillSelect('activation', ACTIVATIONS, (v) => LABELS.activation[v as State['activation']]);
  fillSelect('optimizer', OPTIMIZERS, (v) => LABELS.optimizer[v as State['optimizer']]);
  fillSelect('speed', SPEEDS, (v) => LABELS.speed[v as State['speed']]);
  fillSelect('weight-decay', WD_CHOICES, (v) => fmtNum(Number(v)));
  const fs = $('loss');
  for (const l of LOSSES) {
    const lab = document.createElement('label');
    lab.innerHTML = `<input type="radio" name="loss" value="${l}"> ${LABELS.loss[l]}`;
    lab.querySelector('input')!.addEventListener('change', () => setState({ loss: l }));
    fs.appendChild(lab);
  }
  const onInput = (id: string, key: keyof State, parse: (v: string) => unknown = Number): void => {
    const el = $<HTMLInputElement | HTMLSelectElement>(id);
    el.addEventListener(el instanceof HTMLInputElement && el.type === 'range' ? 'input' : 'change', () =>
      setState({ [key]: parse(el.value) } as Partial<State>),
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
  onInput('label-smoothing', 'labelSmoothing');
  onInput('speed', 'speed', String);
  $('new-data').addEventListener('click', () => setState({ seed: state.seed + 1 }));
  $('layers-plus').addEventListener('click', () =>
    setState({ hidden: [...state.hidden, state.hidden[state.hidden.length - 1] ?? 8] }),
  );
  $('layers-minus').addEventListener('click', () => setState({ hidden: state.hidden.slice(0, -1) }));
  $('play').addEventListener('click', () => setPlaying(!playing));
  $('step').addEventListener('click', () => {
    setPlaying(false);
    conn.send({ type: 'step' });
  });
  $('reset').addEventListener('click', () => {
    clearHistory();
    conn.send({ type: 'reset' });
  });
  addDownloadButtons($('share').parentElement!, (format) => conn.send({ type: 'download', format }));
  $('share').addEventListener('click', () => {
    const done = (): void => flash('Link copied: it restores this set-up.');
    // No clipboard (a page served over plain http to other machines) or no permission: show the link to copy by hand.
    const byHand = (): void => flash(`Copy this link, it restores this set-up: ${location.href}`, 15_000);
    const copying = navigator.clipboard?.writeText(location.href);
    if (copying) copying.then(done, byHand);
    else byHand();
  });
  $('regions').addEventListener('click', onRegionsClick);
  $('inspector').addEventListener('click', (e) => {
    if (selected !== null && (e.target as HTMLElement).closest('[data-action=graph]')) {
      setPlaying(false);
      conn.send({ type: 'graph', index: selected });
    }
  });
  $('graph-close').addEventListener('click', () => {
    $('graph-overlay').hidden = true;
  });
  document.addEventListener('keydown', (e) => {
    const t = e.target as HTMLElement;
    if (e.code === 'Escape') $('graph-overlay').hidden = true;
    if (e.code === 'Space' && !['INPUT', 'SELECT', 'BUTTON', 'TEXTAREA'].includes(t.tagName)) {
      e.preventDefault();
      setPlaying(!playing);
    }
  });
  // A link pasted into the open page changes only the hash: apply it like a change made by hand.
  window.addEventListener('hashchange', () => applyState(decodeState(location.hash)));
}

function flash(msg: string, ms = 3000): void {
  const s = $('status');
  s.style.color = '#1f5fbf';
  s.textContent = msg;
  setTimeout(() => {
    if (s.textContent === msg) s.textContent = '';
  }, ms);
}

/** Writes the state into every control (after a change, a link, or normalisation). */
function syncControls(): void {
  const set = (id: string, v: string | number, out?: string): void => {
    const el = $<HTMLInputElement | HTMLSelectElement>(id);
    if (el instanceof HTMLSelectElement && !Array.from(el.options).some((o) => o.value === String(v)))
      el.add(new Option(fmtNum(Number(v)), String(v)));
    el.value = String(v);
    if (out !== undefined) $(`${id}-out`).textContent = out;
  };
  set('data', state.data);
  set('classes', state.classes, hasClassChoice(state.data) ? String(state.classes) : '2 (fixed)');
  $<HTMLInputElement>('classes').disabled = !hasClassChoice(state.data);
  set('noise', state.noise, state.noise.toFixed(2));
  set('points', state.points, String(state.points));
  set('test-ratio', state.testRatio, `${Math.round(state.testRatio * 100)} %`);
  set('seed', state.seed);
  set('activation', state.activation);
  set('optimizer', state.optimizer);
  fillSelect(
    'lr',
    [...new Set([...LR_CHOICES, state.lr])].sort((a, b) => a - b),
    (v) => fmtNum(Number(v)),
  );
  set('lr', state.lr);
  set('batch', state.batch, String(state.batch));
  set('weight-decay', state.weightDecay);
  set('label-smoothing', state.labelSmoothing, state.labelSmoothing.toFixed(2));
  set('speed', state.speed);
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
      lab.querySelector('input')!.addEventListener('input', (e) => {
        const hidden = state.hidden.slice();
        hidden[i] = Number((e.target as HTMLInputElement).value);
        setState({ hidden });
      });
      widths.appendChild(lab);
    });
  }
  widths.querySelectorAll('label').forEach((lab, i) => {
    lab.querySelector('output')!.textContent = String(state.hidden[i]);
    lab.querySelector('input')!.value = String(state.hidden[i]);
  });
  const k = classCount(state);
  const sizes = [2, ...state.hidden, state.loss === 'bce' ? 1 : k];
  let nParams = 0;
  for (let i = 0; i + 1 < sizes.length; i++) nParams += (sizes[i]! + 1) * sizes[i + 1]!;
  $('architecture').textContent = `${sizes.join(' → ')} · ${nParams} parameters`;
  for (const input of Array.from($('loss').querySelectorAll<HTMLInputElement>('input[name=loss]'))) {
    input.checked = input.value === state.loss;
    const bceOff = input.value === 'bce' && k !== 2;
    input.disabled = bceOff;
    input.parentElement!.title = bceOff ? 'binary cross-entropy needs exactly two classes' : '';
  }
  $('loss-note').textContent = LOSS_NOTES[state.loss];
}

/** Applies a change: normalise, show, put in the URL, tell the trainer. */
function setState(patch: Partial<State>): void {
  const next = normalise({ ...state, ...patch });
  // Binary cross-entropy needs two classes: normalise falls back to cross-entropy, and the user is told.
  if (state.loss === 'bce' && next.loss !== 'bce' && patch.loss === undefined) {
    flash(`Binary cross-entropy needs exactly two classes: the loss is now ${LABELS.loss[next.loss]}.`);
  }
  applyState(next);
}

/** Makes `next` (already normalised) the set-up: controls, URL (rewritten in canonical form), trainer. */
function applyState(next: State): void {
  const prev = state;
  if (encodeState(next) !== location.hash) writeUrl(next);
  if (encodeState(next) === encodeState(prev)) return;
  state = next;
  if (prev.loss !== next.loss && history.xs.length)
    markers.push({ x: history.xs[history.xs.length - 1]!, label: shortLoss(next.loss) });
  syncControls();
  conn.send({ type: 'update', state });
}

function writeUrl(s: State = state): void {
  try {
    window.history.replaceState(null, '', encodeState(s));
  } catch {
    location.hash = encodeState(s);
  }
}

function shortLoss(l: State['loss']): string {
  return { ce: 'CE', 'mse-softmax': 'MSE(p)', 'mse-raw': 'MSE(z)', bce: 'BCE' }[l];
}

function setPlaying(on: boolean): void {
  playing = on;
  if (on) $('status').textContent = '';
  const b = $('play');
  b.textContent = on ? '❚❚ pause' : '▶ play';
  b.dataset.playing = String(on);
  conn.send({ type: on ? 'play' : 'pause' });
}

function clearHistory(): void {
  for (const a of Object.values(history)) a.length = 0;
  markers = [];
}

// ---------- messages from the trainer ----------

function onMessage(msg: FromTrainer): void {
  if (msg.type === 'error') {
    const s = $('status');
    s.style.color = '';
    s.textContent = `Trainer: ${msg.message}`;
    setPlaying(false);
    return;
  }
  if (msg.type === 'download') return saveModelFile(msg.file);
  if (msg.type === 'graph') {
    // The SVG is xent's own output (names and numbers escaped by toSvg), so it goes in as markup.
    $('graph-svg').innerHTML = msg.svg;
    $('graph-overlay').hidden = false;
    return;
  }
  if (msg.type === 'data') {
    data = msg.data;
    selected = null;
    clearHistory();
    renderInspector($('inspector'), null, state.loss);
    requestDraw();
    return;
  }
  const prevStep = history.step[history.step.length - 1];
  if (prevStep !== undefined && msg.step < prevStep) clearHistory();
  if (history.step[history.step.length - 1] === msg.step) {
    const i = history.xs.length - 1;
    history.trainLoss[i] = msg.trainLoss;
    history.testLoss[i] = msg.testLoss;
    history.trainAcc[i] = msg.trainAcc;
    history.testAcc[i] = msg.testAcc;
  } else {
    history.xs.push(msg.epoch);
    history.step.push(msg.step);
    history.trainLoss.push(msg.trainLoss);
    history.testLoss.push(msg.testLoss);
    history.trainAcc.push(msg.trainAcc);
    history.testAcc.push(msg.testAcc);
    if (history.xs.length > 3000)
      for (const a of Object.values(history)) {
        const kept = a.filter((_, i) => i % 2 === 0 || i === a.length - 1);
        a.length = 0;
        a.push(...kept);
      }
  }
  frame = msg;
  if (!Number.isFinite(msg.trainLoss) && playing) {
    // Never a silent NaN: say what happened and stop.
    setPlaying(false);
    const st = $('status');
    st.style.color = '';
    st.textContent = `The training loss became ${msg.trainLoss} at step ${msg.step}: the steps are too big. Lower the learning rate and press reset.`;
  }
  requestDraw();
}

function requestDraw(): void {
  if (drawPending) return;
  drawPending = true;
  requestAnimationFrame(() => {
    drawPending = false;
    draw();
  });
}

// ---------- drawing ----------

function onRegionsClick(e: MouseEvent): void {
  if (!data) return;
  const canvas = e.currentTarget as HTMLCanvasElement;
  const r = canvas.getBoundingClientRect();
  const mx = e.clientX - r.left,
    my = e.clientY - r.top;
  let best = -1,
    bestD = 14 * 14;
  const n = data.train.y.length + data.test.y.length;
  for (let i = 0; i < n; i++) {
    const [px, py] = toPx(...pointAt(data, i)!, r.width, r.height);
    const d = (px - mx) ** 2 + (py - my) ** 2;
    if (d < bestD) {
      bestD = d;
      best = i;
    }
  }
  selected = best >= 0 ? best : null;
  conn.send({ type: 'inspect', index: selected });
  if (selected === null) renderInspector($('inspector'), null, state.loss);
  requestDraw();
}

function draw(): void {
  drawRegions($<HTMLCanvasElement>('regions'), frame, data, selected);
  if (!frame) return;
  const setOut = (id: string, v: number, text: string): void => {
    const el = $(id);
    el.dataset.value = String(v);
    el.textContent = text;
  };
  setOut('epoch', frame.epoch, frame.epoch < 10 ? frame.epoch.toFixed(1) : String(Math.floor(frame.epoch)));
  setOut('steps', frame.step, String(frame.step));
  setOut('steps-per-second', frame.stepsPerSecond, String(Math.round(frame.stepsPerSecond)));
  setOut('train-loss', frame.trainLoss, fmt(frame.trainLoss, 4));
  setOut('test-loss', frame.testLoss, fmt(frame.testLoss, 4));
  setOut('train-acc', frame.trainAcc, `${(frame.trainAcc * 100).toFixed(1)} %`);
  setOut('test-acc', frame.testAcc, `${(frame.testAcc * 100).toFixed(1)} %`);
  drawChart($<HTMLCanvasElement>('loss-chart'), {
    xs: history.xs,
    log: true,
    markers,
    xLabel: 'epoch',
    series: [
      { color: '#0877bd', ys: history.trainLoss },
      { color: '#f59322', ys: history.testLoss, dash: [4, 3] },
    ],
    yFormat: (v) => (v >= 1e-3 ? String(v) : v.toExponential(0)),
  });
  drawChart($<HTMLCanvasElement>('acc-chart'), {
    xs: history.xs,
    yRange: [0, 1],
    markers,
    xLabel: 'epoch',
    series: [
      { color: '#0877bd', ys: history.trainAcc },
      { color: '#f59322', ys: history.testAcc, dash: [4, 3] },
    ],
    yFormat: (v) => `${Math.round(v * 100)}%`,
  });
  if (selected !== null && frame.inspect && frame.inspect.index === selected)
    renderInspector($('inspector'), frame.inspect, frame.loss);
  if (data)
    drawPointGradients(
      $<HTMLCanvasElement>('grad-chart'),
      frame.points,
      data.train.y,
      COLORS,
      trueClassTarget(data.classes, state.labelSmoothing),
    );
}

// ---------- start ----------

buildControls();
syncControls();
writeUrl();
document.body.dataset.trainer = conn.mode;
conn.send({ type: 'init', state });
(window as unknown as Record<string, unknown>).xentPlayground = {
  get state() {
    return state;
  },
  get mode() {
    return conn.mode;
  },
  get frame() {
    return frame;
  },
  get data() {
    return data;
  },
};
