import { type GradSpace, type GraphNode, type OpNode, runBackward } from './engine.js';

type Num = Value | number;

/** The other operand of a binary op, checked: a Value or a finite-or-not number, never something that would turn into NaN. */
function operand(x: unknown, op: string): Value | number {
  if (x instanceof Value || typeof x === 'number') return x;
  throw new TypeError(`Value.${op}: expected a Value or a number, got ${x === null ? 'null' : typeof x === 'object' ? ((x as object).constructor?.name ?? 'an object') : typeof x}`);
}

/**
 * A scalar that remembers how it was computed, micrograd-style: `.data`, `.grad`, `.op`.
 * It runs on the same engine as `Tensor`.
 * @example const a = new Value(2); const b = a.mul(a).add(1); b.backward(); a.grad; // 4
 */
export class Value implements GraphNode<number> {
  data: number;
  grad = 0;
  requiresGrad = true;
  _node: OpNode<number, Value> | null;
  _pending: number | undefined = undefined;
  _mark = 0;
  label: string;

  constructor(data: number, node: OpNode<number, Value> | null = null, label = '') {
    // A string would concatenate ('2' + 1 = '21') and undefined would turn into NaN: refuse both.
    if (typeof data !== 'number') throw new TypeError(`Value: data must be a number, got ${data === null ? 'null' : typeof data}`);
    this.data = data;
    this._node = node;
    this.label = label;
  }

  /** The op that made this value ('leaf' for an input). */
  get op(): string {
    return this._node?.op ?? 'leaf';
  }

  /** The values this one was computed from. */
  get children(): readonly Value[] {
    return this._node?.inputs ?? [];
  }

  /** Makes an op output: the data, and the backward rule mapping d(out) to one d(input) each. */
  static make(data: number, op: string, inputs: Value[], backward: (g: number) => number[]): Value {
    return new Value(data, { op, inputs, backward });
  }

  // The four primitives (with pow and the activations), each with its derivative beside it.
  add(other: Num): Value {
    other = operand(other, 'add');
    if (typeof other === 'number') return Value.make(this.data + other, 'add', [this], (g) => [g]); // d(x+c) = dx
    const o = other;
    return Value.make(this.data + o.data, 'add', [this, o], (g) => [g, g]); // d(a+b) = da + db
  }
  mul(other: Num): Value {
    other = operand(other, 'mul');
    if (typeof other === 'number') return Value.make(this.data * other, 'mul', [this], (g) => [g * other]); // d(cx) = c dx
    const o = other;
    return Value.make(this.data * o.data, 'mul', [this, o], (g) => [g * o.data, g * this.data]); // d(ab) = b da + a db
  }
  pow(k: number): Value {
    if (typeof k !== 'number') throw new TypeError(`Value.pow: the exponent must be a number, got ${(k as unknown) instanceof Value ? 'a Value' : typeof k}`);
    return Value.make(this.data ** k, 'pow', [this], (g) => [g * k * this.data ** (k - 1)]); // d xᵏ = k xᵏ⁻¹
  }
  exp(): Value {
    const e = Math.exp(this.data);
    return Value.make(e, 'exp', [this], (g) => [g * e]); // d eˣ = eˣ
  }
  log(): Value {
    return Value.make(Math.log(this.data), 'log', [this], (g) => [g / this.data]); // d log x = 1/x
  }
  tanh(): Value {
    const t = Math.tanh(this.data);
    return Value.make(t, 'tanh', [this], (g) => [g * (1 - t * t)]); // d tanh = 1 − tanh²
  }
  relu(): Value {
    const r = this.data > 0 ? this.data : 0;
    return Value.make(r, 'relu', [this], (g) => [this.data > 0 ? g : 0]); // d relu = [x > 0]
  }
  sigmoid(): Value {
    const s = 1 / (1 + Math.exp(-this.data));
    return Value.make(s, 'sigmoid', [this], (g) => [g * s * (1 - s)]); // d σ = σ(1 − σ)
  }

  // Subtraction, negation and division are ops of their own (not sugar over add and mul),
  // so every node in a drawn graph carries the name of what the user wrote.
  sub(other: Num): Value {
    other = operand(other, 'sub');
    if (typeof other === 'number') return Value.make(this.data - other, 'sub', [this], (g) => [g]); // d(x−c) = dx
    return Value.make(this.data - other.data, 'sub', [this, other], (g) => [g, -g]); // d(a−b) = da − db
  }
  neg(): Value {
    return Value.make(-this.data, 'neg', [this], (g) => [-g]); // d(−x) = −dx
  }
  div(other: Num): Value {
    other = operand(other, 'div');
    if (typeof other === 'number') return Value.make(this.data / other, 'div', [this], (g) => [g / other]); // d(x/c) = dx/c
    const o = other;
    return Value.make(this.data / o.data, 'div', [this, o], (g) => [g / o.data, (-g * this.data) / (o.data * o.data)]); // d(a/b) = da/b − a db/b²
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
