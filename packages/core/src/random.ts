/**
 * A small seedable generator (xoshiro128**, seeded through splitmix32). Integer maths only,
 * so Node and every browser give the same stream for the same seed.
 * @example randn([2, 3], { generator: new Generator(42) });
 */
export class Generator {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  private spare: number | null = null;

  /** @example const g = new Generator(42); g.random(); */
  constructor(seed = 0) {
    if (typeof seed !== 'number' || !Number.isFinite(seed))
      throw new TypeError(`Generator: the seed must be a finite number, got ${String(seed).slice(0, 40)}`);
    this.manualSeed(seed);
  }

  /**
   * Restarts the stream from `seed` (a finite number; integers are the usual choice). The low
   * 32 bits seed a splitmix32 stream that fills the state; bits above 2³² (or a negative sign)
   * feed a second splitmix32 stream mixed in, so seeds up to 2⁵³ all give different streams.
   */
  manualSeed(seed: number): this {
    if (typeof seed !== 'number' || !Number.isFinite(seed))
      throw new RangeError(`manualSeed: the seed must be a finite number, got ${String(seed)}`);
    const whole = Math.trunc(seed);
    const hi = Math.floor(whole / 4294967296) >>> 0;
    const lo = splitmix32(whole >>> 0),
      high = splitmix32(hi ^ 0x6a09e667);
    const word = (): number => (hi === 0 ? lo() : (lo() ^ rotl(high(), 16)) >>> 0);
    this.s0 = word();
    this.s1 = word();
    this.s2 = word();
    this.s3 = word();
    this.spare = null;
    return this;
  }

  /** The next 32 random bits as an unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  random(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /**
   * Standard normal, by Marsaglia's polar method (pairs, the second one kept): with u, v uniform
   * on (−1, 1) and s = u² + v² < 1, u·√(−2 ln s / s) and v·√(−2 ln s / s) are independent normals.
   * `ln` is computed with + − × ÷ only (`Math.log` may differ in the last bit between engines;
   * √ is exact in IEEE arithmetic), so every engine gives the same numbers.
   */
  normal(): number {
    if (this.spare !== null) {
      const s = this.spare;
      this.spare = null;
      return s;
    }
    let u: number, v: number, s: number;
    do {
      u = 2 * this.random() - 1;
      v = 2 * this.random() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * portableLog(s)) / s);
    this.spare = v * f;
    return u * f;
  }

  /** Uniform integer in [low, high). */
  int(low: number, high: number): number {
    if (!(Number.isSafeInteger(low) && Number.isSafeInteger(high) && low < high))
      throw new RangeError(`Generator.int: expected integers low < high, got ${String(low)} and ${String(high)}`);
    return low + Math.floor(this.random() * (high - low));
  }

  /**
   * Snapshot of the state (four unsigned 32-bit words and the kept normal, NaN for none), so a stream can be resumed.
   */
  getState(): number[] {
    return [this.s0 >>> 0, this.s1 >>> 0, this.s2 >>> 0, this.s3 >>> 0, this.spare ?? NaN];
  }

  /** Resumes from a `getState()` snapshot (or sets the four xoshiro words directly). @example g.setState(snapshot); */
  setState(state: readonly number[]): this {
    const ok =
      Array.isArray(state) &&
      (state.length === 4 || state.length === 5) &&
      state.slice(0, 4).every((v) => Number.isInteger(v) && v >= 0 && v < 2 ** 32) &&
      state.slice(0, 4).some((v) => v !== 0) && // xoshiro's all-zero state is stuck at 0
      (state.length === 4 || typeof state[4] === 'number');
    if (!ok)
      throw new TypeError(
        'Generator.setState: expected a getState() snapshot: four integers in [0, 2³²), not all 0, and optionally the kept normal (a number or NaN)',
      );
    [this.s0, this.s1, this.s2, this.s3] = state.map((v) => v >>> 0) as [number, number, number, number];
    this.spare = Number.isNaN(state[4]) || state[4] === undefined ? null : state[4];
    return this;
  }
}

const LN2 = 0.6931471805599453;
const SQRT2 = 1.4142135623730951;

/**
 * Natural log of a positive finite number with basic arithmetic only, so it is bit-identical on
 * every IEEE-754 engine: x = m·2ᵉ with m in [√½, √2) (scaling by 2 is exact), then
 * ln m = 2·atanh z = 2(z + z³/3 + z⁵/5 + …), z = (m − 1)/(m + 1), |z| < 0.172, 16 terms.
 * @example portableLog(Math.E); // 1 (to about 1e-16)
 */
export function portableLog(x: number): number {
  let m = x,
    e = 0;
  while (m >= SQRT2) {
    m /= 2;
    e++;
  }
  while (m < SQRT2 / 2) {
    m *= 2;
    e--;
  }
  const z = (m - 1) / (m + 1),
    z2 = z * z;
  let series = 0;
  for (let k = 31; k >= 1; k -= 2) series = 1 / k + z2 * series;
  return e * LN2 + 2 * z * series;
}

/** splitmix32: a stream of well-mixed 32-bit words from a 32-bit counter start. */
function splitmix32(start: number): () => number {
  let x = start >>> 0;
  return () => {
    x = (x + 0x9e3779b9) >>> 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

let defaultGen = new Generator(0);

/** Seeds the default generator used when no `generator` option is given. @example manualSeed(0); */
export function manualSeed(seed: number): Generator {
  if (typeof seed !== 'number' || !Number.isFinite(seed))
    throw new TypeError(`manualSeed: the seed must be a finite number, got ${String(seed).slice(0, 40)}`);
  defaultGen = new Generator(seed);
  return defaultGen;
}

/**
 * The generator used when no `generator` option is given (reseeded by `manualSeed`).
 * @example defaultGenerator().random();
 */
export function defaultGenerator(): Generator {
  return defaultGen;
}
