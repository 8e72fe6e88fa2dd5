// The playground's whole set-up: one plain object, kept in the URL's hash so that a link
// reproduces it. Every field has a default, a range, and a short key in the URL.

/** The data sets, in the order the menu lists them. */
export const DATASETS = ['spiral', 'moons', 'circles', 'blobs', 'xor', 'gaussian'] as const;
/** The hidden layers' activations. */
export const ACTIVATIONS = ['relu', 'tanh', 'sigmoid', 'gelu'] as const;
/** The optimizers ('momentum': SGD with momentum 0.9). */
export const OPTIMIZERS = ['sgd', 'momentum', 'adam'] as const;
/** The losses: cross-entropy, MSE on softmax, MSE on raw outputs, binary cross-entropy with logits. */
export const LOSSES = ['ce', 'mse-softmax', 'mse-raw', 'bce'] as const;
/** Training speeds (see STEPS_PER_SECOND). */
export const SPEEDS = ['slow', 'normal', 'fast'] as const;

/** Input features the network can be given, computed from the point (x, y). */
export const FEATURES = ['x', 'y', 'x2', 'y2', 'xy', 'sinx', 'siny'] as const;
/** Regularisation of the weights (not the biases): none, L1 (rate·Σ|w|) or L2 (rate·½Σw²). */
export const REGULARISERS = ['none', 'l1', 'l2'] as const;

/** A data set's key. */
export type Dataset = (typeof DATASETS)[number];
/** An activation's key. */
type ActivationName = (typeof ACTIVATIONS)[number];
/** An optimizer's key. */
type OptimizerName = (typeof OPTIMIZERS)[number];
/** A loss's key. */
type LossName = (typeof LOSSES)[number];
/** An input feature's key. */
export type Feature = (typeof FEATURES)[number];
/** A regulariser's key. */
type Regulariser = (typeof REGULARISERS)[number];
/** A speed's key. */
export type Speed = (typeof SPEEDS)[number];

/** The playground's whole set-up: what the URL holds. */
export interface State {
  data: Dataset;
  /** Classes for spiral, blobs and gaussian (2–5); moons, circles and xor have 2. */
  classes: number;
  noise: number;
  points: number;
  /** Fraction of the points held out for testing. */
  testRatio: number;
  seed: number;
  /** Widths of the hidden layers (0–6 layers, each 1–64 wide). */
  hidden: number[];
  activation: ActivationName;
  lr: number;
  batch: number;
  optimizer: OptimizerName;
  weightDecay: number;
  labelSmoothing: number;
  loss: LossName;
  speed: Speed;
  /** The network's inputs, in FEATURES order (at least one). */
  features: Feature[];
  reg: Regulariser;
  regRate: number;
  /** Draw the test points on the map. */
  showTest: boolean;
  /** Paint the map in the likeliest class's full colour, without the paler unsure zone. */
  discretize: boolean;
}

/** The set-up of a bare link: a 3-class spiral, two hidden layers of 16, cross-entropy. */
export const DEFAULTS: Readonly<State> = Object.freeze({
  data: 'spiral',
  classes: 3,
  noise: 0.1,
  points: 300,
  testRatio: 0.3,
  seed: 1,
  hidden: [16, 16],
  activation: 'tanh',
  lr: 0.1,
  batch: 32,
  optimizer: 'momentum',
  weightDecay: 0,
  labelSmoothing: 0,
  loss: 'ce',
  speed: 'normal',
  features: ['x', 'y'],
  reg: 'none',
  regRate: 0.001,
  showTest: true,
  discretize: false,
} satisfies State);

/** What the controls show for each key. */
export const LABELS = {
  data: {
    spiral: 'spiral',
    moons: 'moons',
    circles: 'circles',
    blobs: 'blobs',
    xor: 'xor',
    gaussian: 'gaussian quantiles',
  },
  activation: { relu: 'ReLU', tanh: 'tanh', sigmoid: 'sigmoid', gelu: 'GELU' },
  optimizer: { sgd: 'SGD', momentum: 'SGD + momentum', adam: 'Adam' },
  loss: {
    ce: 'cross-entropy on softmax',
    'mse-softmax': 'MSE on softmax',
    'mse-raw': 'MSE on raw outputs',
    bce: 'binary cross-entropy with logits',
  },
  /** The loss buttons' short names (the long ones above are their tooltips). */
  lossShort: {
    ce: 'cross-entropy',
    'mse-softmax': 'MSE on softmax',
    'mse-raw': 'MSE on raw outputs',
    bce: 'binary CE',
  },
  speed: { slow: 'slow (10/s)', normal: 'normal (60/s)', fast: 'fast (no limit)' },
  features: { x: 'x', y: 'y', x2: 'x²', y2: 'y²', xy: 'x·y', sinx: 'sin x', siny: 'sin y' },
  reg: { none: 'none', l1: 'L1: rate·Σ|w|', l2: 'L2: rate·½Σw²' },
} as const;

/** Steps per second the speed setting allows (Infinity: no limit). */
export const STEPS_PER_SECOND: Record<Speed, number> = { slow: 10, normal: 60, fast: Infinity };

/** Data sets whose class count the user chooses; the others always have two classes. */
export function hasClassChoice(d: Dataset): boolean {
  return d === 'spiral' || d === 'blobs' || d === 'gaussian';
}

/** Number of classes the data set will actually have. */
export function classCount(s: State): number {
  return hasClassChoice(s.data) ? s.classes : 2;
}

const KEYS: Record<keyof State, string> = {
  data: 'data',
  classes: 'k',
  noise: 'noise',
  points: 'n',
  testRatio: 'test',
  seed: 'seed',
  hidden: 'hidden',
  activation: 'act',
  lr: 'lr',
  batch: 'batch',
  optimizer: 'opt',
  weightDecay: 'wd',
  labelSmoothing: 'ls',
  loss: 'loss',
  speed: 'speed',
  features: 'feat',
  reg: 'reg',
  regRate: 'rr',
  showTest: 'showtest',
  discretize: 'disc',
};

const clampNum = (v: number, lo: number, hi: number, int: boolean): number => {
  const x = int ? Math.round(v) : v;
  return Math.min(hi, Math.max(lo, x));
};

/** Puts every field into its range (out-of-range or unknown values fall back to the default). */
export function normalise(s: Partial<State>): State {
  const d = DEFAULTS;
  const num = (v: unknown, dflt: number, lo: number, hi: number, int = false): number =>
    typeof v === 'number' && Number.isFinite(v) ? clampNum(v, lo, hi, int) : dflt;
  const pick = <T extends string>(v: unknown, all: readonly T[], dflt: T): T =>
    all.includes(v as T) ? (v as T) : dflt;
  const hidden = Array.isArray(s.hidden) ? s.hidden.slice(0, 6).map((w) => num(w, 8, 1, 64, true)) : d.hidden.slice();
  const out: State = {
    data: pick(s.data, DATASETS, d.data),
    classes: num(s.classes, d.classes, 2, 5, true),
    noise: num(s.noise, d.noise, 0, 0.5),
    points: num(s.points, d.points, 20, 1000, true),
    testRatio: num(s.testRatio, d.testRatio, 0.1, 0.9),
    seed: num(s.seed, d.seed, 0, 2 ** 31 - 1, true),
    hidden,
    activation: pick(s.activation, ACTIVATIONS, d.activation),
    lr: num(s.lr, d.lr, 1e-5, 10),
    batch: num(s.batch, d.batch, 1, 128, true), // the slider's range: a link cannot ask for more than the page can show
    optimizer: pick(s.optimizer, OPTIMIZERS, d.optimizer),
    weightDecay: num(s.weightDecay, d.weightDecay, 0, 1),
    labelSmoothing: num(s.labelSmoothing, d.labelSmoothing, 0, 0.5),
    loss: pick(s.loss, LOSSES, d.loss),
    speed: pick(s.speed, SPEEDS, d.speed),
    features: Array.isArray(s.features) ? FEATURES.filter((f) => s.features!.includes(f)) : d.features.slice(),
    reg: pick(s.reg, REGULARISERS, d.reg),
    regRate: num(s.regRate, d.regRate, 0, 10),
    showTest: typeof s.showTest === 'boolean' ? s.showTest : d.showTest,
    discretize: typeof s.discretize === 'boolean' ? s.discretize : d.discretize,
  };
  if (out.features.length === 0) out.features = d.features.slice();
  // Binary cross-entropy needs exactly two classes.
  if (out.loss === 'bce' && classCount(out) !== 2) out.loss = 'ce';
  return out;
}

/** The state as a URL hash ("#data=spiral&k=3&…"), every field written so a link never depends on defaults changing. */
export function encodeState(s: State): string {
  const parts: string[] = [];
  for (const key of Object.keys(KEYS) as (keyof State)[]) {
    const v = s[key];
    const text = Array.isArray(v) ? v.join(',') : typeof v === 'boolean' ? (v ? '1' : '0') : String(v);
    parts.push(`${KEYS[key]}=${encodeURIComponent(text).replace(/%2C/g, ',')}`);
  }
  return '#' + parts.join('&');
}

/** Reads a state from a URL hash (or query); missing or bad fields take their defaults. */
export function decodeState(hash: string): State {
  const p = new URLSearchParams(hash.replace(/^[#?]/, ''));
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(KEYS) as (keyof State)[]) {
    const v = p.get(KEYS[key]);
    if (v === null) continue;
    if (key === 'hidden') raw.hidden = v === '' ? [] : v.split(',').map(Number);
    else if (key === 'features') raw.features = v.split(',');
    else if (typeof DEFAULTS[key] === 'boolean')
      raw[key] = v === '1' || v === 'true' ? true : v === '0' || v === 'false' ? false : undefined;
    else if (typeof DEFAULTS[key] === 'number') raw[key] = v.trim() === '' ? NaN : Number(v);
    else raw[key] = v;
  }
  return normalise(raw as Partial<State>);
}

/** Changes that need new data (and so a fresh model). */
export const DATA_FIELDS: readonly (keyof State)[] = ['data', 'classes', 'noise', 'points', 'testRatio', 'seed'];
/** Changes that need a fresh model on the same data. */
export const MODEL_FIELDS: readonly (keyof State)[] = ['hidden', 'activation', 'features'];
