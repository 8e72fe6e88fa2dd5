import { type GradSpace, type GraphNode, type OpNode, runBackward } from './engine.js';

type Num = Value | number;

/**
 * The other operand of a binary op, checked: a Value or a finite-or-not number, never something that would turn into
 * NaN.
 */
function operand(x: unknown, op: string): Value | number {
  if (x instanceof Value || typeof x === 'number') return x;
  throw new TypeError(
    `Value.${op}: expected a Value or a number, got ${x === null ? 'null' : typeof x === 'object' ? ((x as object).constructor?.name ?? 'an object') : typeof x}`,
  );
}

/**
 * Every derivative of `Value`, in one table to hold next to micrograd's engine.py: per op, its forward
 * `f(a, b)` and its backward `df(g, a, b, out)`, which maps d(out) = g to [d(a), d(b)] exactly as
 * micrograd's `_backward` closures do (`b` is the second operand's data, or the constant; `out` the result).
 * The same rules as the Tensor ops, elementwise (relu at NaN too: NaN out, the gradient passes, as PyTorch).
 */
interface Rule {
  readonly name: string;
  readonly f: (a: number, b: number) => number;
  readonly df: (g: number, a: number, b: number, out: number) => number[];
}
type Rules = Record<string, Omit<Rule, 'name'>>;
const table = {
  add: { f: (a, b) => a + b, df: (g) => [g, g] }, // d(a + b) = da + db
  mul: { f: (a, b) => a * b, df: (g, a, b) => [g * b, g * a] }, // d(ab) = b da + a db
  pow: { f: (a, k) => a ** k, df: (g, a, k) => [k === 0 ? 0 : g * k * a ** (k - 1)] }, // d aᵏ = k aᵏ⁻¹ da
  relu: { f: (a) => (a < 0 ? 0 : a), df: (g, a) => [a <= 0 ? 0 : g] }, // d relu = [a > 0] da (NaN passes g)
  neg: { f: (a) => -a, df: (g) => [-g] }, // d(−a) = −da
  sub: { f: (a, b) => a - b, df: (g) => [g, -g] }, // d(a − b) = da − db
  div: { f: (a, b) => a / b, df: (g, a, b) => [g / b, (-g * a) / (b * b)] }, // d(a/b) = da/b − a db/b²
  exp: { f: (a) => Math.exp(a), df: (g, _a, _b, e) => [g * e] }, // d eᵃ = eᵃ da
  log: { f: (a) => Math.log(a), df: (g, a) => [g / a] }, // d log a = da / a
  tanh: { f: (a) => Math.tanh(a), df: (g, _a, _b, t) => [g * (1 - t * t)] }, // d tanh a = (1 − tanh² a) da
  sigmoid: { f: (a) => 1 / (1 + Math.exp(-a)), df: (g, _a, _b, s) => [g * s * (1 - s)] }, // d σ = σ(1 − σ) da
} satisfies Rules;
/** The table with each rule's name (a node's `op`). */
const RULES = Object.fromEntries(Object.entries(table).map(([name, r]) => [name, { name, ...r }])) as unknown as Record<
  keyof typeof table,
  Rule
>;

/**
 * A scalar that remembers how it was computed, micrograd-style: `.data`, `.grad`, `.op`.
 * It runs on the same engine as `Tensor`: an op output is its own graph node (its rule, its one or
 * two inputs), so a node costs one object, which keeps million-node graphs light.
 * @example const a = new Value(2); const b = a.mul(a).add(1); b.backward(); a.grad; // 4
 */
export class Value implements GraphNode<number>, OpNode<number, Value> {
  data: number;
  grad = 0;
  requiresGrad = true;
  _node: OpNode<number, Value> | null;
  _pending: number | undefined = undefined;
  _mark = 0;
  label: string;
  private _rule: Rule | null = null;
  private _a: Value | null = null;
  private _b: Value | null = null;
  // Tagged, not a double field: most nodes never hold a constant, so none pays for a number box.
  private _k: number | undefined = undefined;

  constructor(data: number, node: OpNode<number, Value> | null = null, label = '') {
    // A string would concatenate ('2' + 1 = '21') and undefined would turn into NaN: refuse both.
    if (typeof data !== 'number')
      throw new TypeError(`Value: data must be a number, got ${data === null ? 'null' : typeof data}`);
    this.data = data;
    this._node = node;
    this.label = label;
  }

  /** The op that made this value ('leaf' for an input). */
  get op(): string {
    const node = this._node;
    return node === null ? 'leaf' : node === this ? this._rule!.name : node.op;
  }

  /** The values this one was computed from (the engine reads them as `inputs`). */
  get inputs(): readonly Value[] {
    const node = this._node;
    if (node === null) return [];
    if (node !== this) return node.inputs;
    return this._b === null ? [this._a!] : [this._a!, this._b];
  }
  get children(): readonly Value[] {
    return this.inputs;
  }

  /** For the engine: d(this) → one gradient per input, by this op's rule. */
  vjp(g: number): number[] {
    const b = this._b;
    return this._rule!.df(g, this._a!.data, b === null ? (this._k ?? 0) : b.data, this.data);
  }

  /** Applies a rule to this value and a second operand (a Value, a number constant, or none). */
  private apply(r: Rule, other: Value | number | null): Value {
    const b = other === null ? 0 : typeof other === 'number' ? other : other.data;
    const out = new Value(r.f(this.data, b));
    out._node = out;
    out._rule = r;
    out._a = this;
    if (other instanceof Value) out._b = other;
    else if (other !== null) out._k = b;
    return out;
  }

  /**
   * A custom op: its data, name, inputs, and the rule from d(out) to one d(input) each.
   * @example Value.make(Math.sin(x.data), 'sin', [x], (g) => [g * Math.cos(x.data)]);
   */
  static make(data: number, op: string, inputs: Value[], backward: (g: number) => number[]): Value {
    return new Value(data, { op, inputs, vjp: backward });
  }

  add(other: Num): Value {
    return this.apply(RULES.add, operand(other, 'add'));
  }
  sub(other: Num): Value {
    return this.apply(RULES.sub, operand(other, 'sub'));
  }
  mul(other: Num): Value {
    return this.apply(RULES.mul, operand(other, 'mul'));
  }
  div(other: Num): Value {
    return this.apply(RULES.div, operand(other, 'div'));
  }
  pow(k: number): Value {
    if (typeof k !== 'number')
      throw new TypeError(
        `Value.pow: the exponent must be a number, got ${(k as unknown) instanceof Value ? 'a Value' : typeof k}`,
      );
    return this.apply(RULES.pow, k);
  }
  neg(): Value {
    return this.apply(RULES.neg, null);
  }
  exp(): Value {
    return this.apply(RULES.exp, null);
  }
  log(): Value {
    return this.apply(RULES.log, null);
  }
  tanh(): Value {
    return this.apply(RULES.tanh, null);
  }
  relu(): Value {
    return this.apply(RULES.relu, null);
  }
  sigmoid(): Value {
    return this.apply(RULES.sigmoid, null);
  }

  /** Back-propagates from this value (seed 1), accumulating into every `.grad` as micrograd does. */
  backward(): void {
    runBackward<number, Value>(this, 1, valueSpace);
  }

  toString(): string {
    return `Value(data=${this.data}, grad=${this.grad})`;
  }
}

const valueSpace: GradSpace<number, Value> = {
  add: (a, b) => a + b,
  fit: (g) => g,
  deliver: (node, g) => {
    node.grad += g;
  },
};
