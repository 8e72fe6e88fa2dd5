// The playground page: controls → state (kept in the URL) → trainer; frames from the trainer → pictures.
import { drawChart } from './chart.js';
import { $, buildControls, syncControls } from './controls.js';
import { connect } from './connect.js';
import type { PlaygroundData } from './data.js';
import { addDownloadButtons, saveModelFile } from './download.js';
import { GraphView } from './graph-view.js';
import { fmt, renderInspector } from './inspector.js';
import { type Link, drawNetwork, linkAt } from './network.js';
import { COLORS, signLegend } from './palette.js';
import type { Frame, FromTrainer } from './protocol.js';
import { drawRegions, drawScale, pointAt, toPx } from './regions.js';
import { drawPointGradients, trueClassTarget } from './scatter.js';
import { LABELS, type State, decodeState, encodeState, normalise } from './state.js';

let state: State = decodeState(location.hash);
let data: PlaygroundData | null = null;
let frame: Frame | null = null;
let playing = false;
let selected: number | null = null;
let drawPending = false;
let links: Link[] = [];
const history = {
  xs: [] as number[],
  trainLoss: [] as number[],
  testLoss: [] as number[],
  trainAcc: [] as number[],
  testAcc: [] as number[],
  step: [] as number[],
  loss: [] as string[],
};

const params = new URLSearchParams(location.search);
const conn = connect(onMessage, params.get('worker') !== 'off');
const graphView = new GraphView($('graph-svg'), $('stepper'), $<HTMLButtonElement>('graph-fit'));

function wire(): void {
  buildControls(() => state, setState);
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
  $('network').addEventListener('click', onNetworkClick);
  $('inspector').addEventListener('click', (e) => {
    if (selected !== null && (e.target as HTMLElement).closest('[data-action=graph]')) {
      setPlaying(false);
      conn.send({ type: 'graph', index: selected });
    }
  });
  $('graph-close').addEventListener('click', () => ($('graph-overlay').hidden = true));
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
  window.addEventListener('resize', () => {
    requestDraw();
    if (!$('graph-overlay').hidden) graphView.layout();
  });
  // The derivation page keeps the playground's set-up to come back to.
  $<HTMLAnchorElement>('derive-link').addEventListener('click', (e) => {
    (e.currentTarget as HTMLAnchorElement).href =
      `derive.html${location.search}#back=${encodeURIComponent(location.hash)}`;
  });
  $('network-note').innerHTML =
    `${signLegend('neuron output, weight')}<br>Each square: what that neuron outputs over the map. Links: the weights (width ∝ |w|); click one to set it.`;
}

function flash(msg: string, ms = 3000): void {
  const s = $('status');
  s.style.color = '#1f5fbf';
  s.textContent = msg;
  setTimeout(() => {
    if (s.textContent === msg) s.textContent = '';
  }, ms);
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
  syncControls(state, setState);
  conn.send({ type: 'update', state });
  requestDraw();
}

function writeUrl(s: State = state): void {
  try {
    window.history.replaceState(null, '', encodeState(s));
  } catch {
    location.hash = encodeState(s);
  }
}

const SHORT_LOSS: Record<State['loss'], string> = {
  ce: 'CE',
  'mse-softmax': 'MSE(p)',
  'mse-raw': 'MSE(z)',
  bce: 'BCE',
};

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
    $('graph-overlay').hidden = false;
    graphView.show(msg.trace);
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
  const last = history.xs.length - 1;
  if (history.step[last] === msg.step && history.loss[last] === msg.loss) {
    history.trainLoss[last] = msg.trainLoss;
    history.testLoss[last] = msg.testLoss;
    history.trainAcc[last] = msg.trainAcc;
    history.testAcc[last] = msg.testAcc;
  } else {
    history.xs.push(msg.epoch);
    history.step.push(msg.step);
    history.trainLoss.push(msg.trainLoss);
    history.testLoss.push(msg.testLoss);
    history.trainAcc.push(msg.trainAcc);
    history.testAcc.push(msg.testAcc);
    history.loss.push(msg.loss);
    if (history.xs.length > 3000) {
      // Thin out, keeping every segment's first point and the last one.
      const keep = history.xs.map(
        (_, i) => i % 2 === 0 || i === history.xs.length - 1 || history.loss[i] !== history.loss[i - 1],
      );
      for (const a of Object.values(history) as unknown[][]) {
        const kept = a.filter((_, i) => keep[i]);
        a.length = 0;
        a.push(...kept);
      }
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

// ---------- clicks ----------

function onRegionsClick(e: MouseEvent): void {
  if (!data) return;
  const canvas = e.currentTarget as HTMLCanvasElement;
  const r = canvas.getBoundingClientRect();
  const mx = e.clientX - r.left,
    my = e.clientY - r.top;
  let best = -1,
    bestD = 14 * 14;
  const nTrain = data.train.y.length,
    n = nTrain + (state.showTest ? data.test.y.length : 0);
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

function onNetworkClick(e: MouseEvent): void {
  const canvas = ($('network').querySelector('canvas') as HTMLCanvasElement | null) ?? null;
  if (!canvas || e.target !== canvas) return;
  const r = canvas.getBoundingClientRect();
  const l = linkAt(links, e.clientX - r.left, e.clientY - r.top);
  $('network').querySelector('.weight-editor')?.remove();
  if (!l) return;
  const ed = document.createElement('label');
  ed.className = 'weight-editor';
  ed.style.left = `${Math.min(r.width - 170, Math.max(0, e.clientX - r.left - 60))}px`;
  ed.style.top = `${e.clientY - r.top + canvas.offsetTop + 8}px`;
  const name = `w[${l.layer}][${l.out}][${l.in}]`;
  ed.innerHTML = `${name} <input type="number" step="0.1" value="${Number(l.w.toPrecision(4))}" data-layer="${l.layer}" data-out="${l.out}" data-in="${l.in}">`;
  $('network').appendChild(ed);
  const input = ed.querySelector('input')!;
  input.focus();
  input.select();
  input.addEventListener('change', () => {
    const value = Number(input.value);
    if (input.value.trim() === '' || !Number.isFinite(value)) return;
    conn.send({ type: 'setWeight', layer: l.layer, out: l.out, in: l.in, value });
    ed.remove();
  });
  input.addEventListener('keydown', (k) => {
    if (k.key === 'Escape') ed.remove();
  });
}

// ---------- drawing ----------

function draw(): void {
  const view = { data, selected, showTest: state.showTest, discretize: state.discretize };
  drawRegions($<HTMLCanvasElement>('regions'), frame, view);
  drawScale($<HTMLCanvasElement>('map-scale'), data?.classes ?? 2, state.discretize);
  if (!frame) return;
  const setOut = (id: string, v: number, text: string): void => {
    const el = $(id);
    el.dataset.value = String(v);
    el.textContent = text;
  };
  setOut('epoch', frame.epoch, frame.epoch < 10 ? frame.epoch.toFixed(1) : String(Math.floor(frame.epoch)));
  setOut('steps', frame.step, String(frame.step));
  setOut('steps-per-second', frame.stepsPerSecond, String(Math.round(frame.stepsPerSecond)));
  const sps = $('steps-per-second');
  sps.dataset.backend = frame.backend;
  const kind = frame.backend === 'wasm' ? 'WebAssembly SIMD' : 'TypeScript';
  sps.title = `training on the ${kind} kernels, ${conn.mode === 'worker' ? 'in a Web Worker' : 'on the page'}`;
  setOut('train-loss', frame.trainLoss, fmt(frame.trainLoss, 4));
  setOut('test-loss', frame.testLoss, fmt(frame.testLoss, 4));
  setOut('train-acc', frame.trainAcc, `${(frame.trainAcc * 100).toFixed(1)} %`);
  setOut('test-acc', frame.testAcc, `${(frame.testAcc * 100).toFixed(1)} %`);
  const segments = history.loss.flatMap((l, i) =>
    i === 0 || l !== history.loss[i - 1] ? [{ from: i, label: SHORT_LOSS[l as State['loss']] }] : [],
  );
  drawChart($<HTMLCanvasElement>('loss-chart'), {
    xs: history.xs,
    log: true,
    segments,
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
    segments,
    xLabel: 'epoch',
    series: [
      { color: '#0877bd', ys: history.trainAcc },
      { color: '#f59322', ys: history.testAcc, dash: [4, 3] },
    ],
    yFormat: (v) => `${Math.round(v * 100)}%`,
  });
  $('loss-chart').dataset.segments = JSON.stringify(segments.map((s) => s.label));
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
  const netBox = $('network');
  let netCanvas = netBox.querySelector('canvas');
  if (!netCanvas) netCanvas = netBox.insertBefore(document.createElement('canvas'), netBox.firstChild);
  links = drawNetwork(
    netCanvas,
    frame.network,
    state.features.map((f) => LABELS.features[f]),
  );
}

// ---------- start ----------

wire();
syncControls(state, setState);
writeUrl();
renderInspector($('inspector'), null, state.loss);
document.body.dataset.trainer = conn.mode;
// ?kernels=ts|wasm picks the trainer's kernel set (to compare them); by default @xent/core's (wasm where SIMD
// validates).
const kernels = params.get('kernels');
conn.send({ type: 'init', state, ...(kernels === 'ts' || kernels === 'wasm' ? { backend: kernels } : {}) });
requestDraw();
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
  /** Where point `i` is drawn, in client coordinates (for tests and tools that click points). */
  pointClient(i: number): [number, number] {
    const r = $('regions').getBoundingClientRect();
    const [px, py] = toPx(...pointAt(data, i)!, r.width, r.height);
    return [r.left + px, r.top + py];
  },
  /** Where each weight's link is drawn, in client coordinates, with its value. */
  links() {
    const r = $('network').querySelector('canvas')!.getBoundingClientRect();
    return links.map((l) => ({ ...l, cx: r.left + (l.x1 + l.x2) / 2, cy: r.top + (l.y1 + l.y2) / 2 }));
  },
};
