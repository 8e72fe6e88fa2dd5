import { describe, expect, it } from 'vitest';
import { Generator, Value, tensor } from '@xent/core';

// micrograd's own test programs (test/test_engine.py), with the numbers PyTorch gives there.
describe('Value: micrograd test programs', () => {
  it('sanity check: y = -20, dy/dx = 46', () => {
    const x = new Value(-4);
    const z = x.mul(2).add(2).add(x);
    const q = z.relu().add(z.mul(x));
    const h = z.mul(z).relu();
    const y = h.add(q).add(q.mul(x));
    y.backward();
    expect(y.data).toBe(-20);
    expect(x.grad).toBe(46);
  });

  it('more ops: g = 24.70408163265306, dg/da = 138.83381924198252, dg/db = 645.5772594752186', () => {
    const a = new Value(-4);
    const b = new Value(2);
    let c = a.add(b);
    let d = a.mul(b).add(b.pow(3));
    c = c.add(c.add(1));
    c = c.add(c.add(1).add(a.neg())); // c += 1 + c + (-a)
    d = d.add(d.mul(2).add(b.add(a).relu()));
    d = d.add(d.mul(3).add(b.sub(a).relu()));
    const e = c.sub(d);
    const f = e.pow(2);
    let g = f.div(2.0);
    g = g.add(new Value(10.0).div(f)); // 10.0 / f
    g.backward();
    expect(Math.abs(g.data - 24.70408163265306)).toBeLessThan(1e-12);
    expect(Math.abs(a.grad - 138.83381924198252)).toBeLessThan(1e-12);
    expect(Math.abs(b.grad - 645.5772594752186)).toBeLessThan(1e-12);
  });
});

describe('Value: each op, value and derivative against the formula', () => {
  const x0 = 0.7;
  const cases: [string, (x: Value) => Value, number, number][] = [
    ['add', (x) => x.add(3), x0 + 3, 1],
    ['sub', (x) => x.sub(3), x0 - 3, 1],
    ['mul', (x) => x.mul(3), 3 * x0, 3],
    ['div', (x) => x.div(4), x0 / 4, 0.25],
    ['pow', (x) => x.pow(3), x0 ** 3, 3 * x0 ** 2],
    ['neg', (x) => x.neg(), -x0, -1],
    ['exp', (x) => x.exp(), Math.exp(x0), Math.exp(x0)],
    ['log', (x) => x.log(), Math.log(x0), 1 / x0],
    ['tanh', (x) => x.tanh(), Math.tanh(x0), 1 / Math.cosh(x0) ** 2],
    ['relu', (x) => x.relu(), x0, 1],
    ['sigmoid', (x) => x.sigmoid(), 1 / (1 + Math.exp(-x0)), Math.exp(-x0) / (1 + Math.exp(-x0)) ** 2],
  ];
  for (const [op, f, value, deriv] of cases) {
    it(`${op}: value, derivative and op name`, () => {
      const x = new Value(x0);
      const y = f(x);
      y.backward();
      expect(y.op).toBe(op);
      expect(y.data).toBeCloseTo(value, 14);
      expect(x.grad).toBeCloseTo(deriv, 13);
    });
  }

  it('two-Value operands: d(a−b), d(a/b), d(ab) by the quotient and product rules', () => {
    const a = new Value(3),
      b = new Value(-2);
    a.sub(b).backward();
    expect([a.grad, b.grad]).toEqual([1, -1]);
    const a2 = new Value(3),
      b2 = new Value(-2);
    const q = a2.div(b2);
    q.backward();
    expect(q.data).toBe(-1.5);
    expect(a2.grad).toBe(-0.5); // 1/b
    expect(b2.grad).toBe(-0.75); // −a/b²
    const a3 = new Value(3),
      b3 = new Value(-2);
    a3.mul(b3).backward();
    expect([a3.grad, b3.grad]).toEqual([-2, 3]);
  });

  it('relu has derivative 0 for x ≤ 0', () => {
    const x = new Value(-1.5);
    const y = x.relu();
    y.backward();
    expect([y.data, x.grad]).toEqual([0, 0]);
  });

  it('numbers as operands make no node: a number leaves only the Value as input', () => {
    const x = new Value(2);
    const y = x.mul(5);
    expect(y.children).toEqual([x]);
    expect(y.op).toBe('mul');
    expect(x.op).toBe('leaf');
  });

  it('a value used twice accumulates: d(a + a)/da = 2, d(a·a)/da = 2a', () => {
    const a = new Value(3);
    a.add(a).backward();
    expect(a.grad).toBe(2);
    const b = new Value(3);
    b.mul(b).backward();
    expect(b.grad).toBe(6);
  });

  it('backward accumulates into .grad across calls, as micrograd', () => {
    const a = new Value(3);
    a.mul(4).backward();
    a.mul(4).backward();
    expect(a.grad).toBe(8);
  });

  it('a bad operand is a clear error, not NaN', () => {
    const a = new Value(1);
    expect(() => a.add('2' as unknown as number)).toThrow(/Value\.add: expected a Value or a number, got string/);
    expect(() => a.mul(tensor([1]) as unknown as number)).toThrow(
      /Value\.mul: expected a Value or a number, got Tensor/,
    );
    expect(() => a.pow(new Value(2) as unknown as number)).toThrow(
      /Value\.pow: the exponent must be a number, got a Value/,
    );
  });

  it('toString shows data and grad', () => {
    const a = new Value(1.5);
    expect(String(a)).toBe('Value(data=1.5, grad=0)');
  });
});

describe('Value and Tensor give the same gradients', () => {
  it('a small expression: f(a, b) = tanh(a·b + a²) / (1 + σ(b)) − log(b) + relu(a − b)', () => {
    const [av, bv] = [0.3, 1.7];
    const a = new Value(av),
      b = new Value(bv);
    const fv = a.mul(b).add(a.pow(2)).tanh().div(b.sigmoid().add(1)).sub(b.log()).add(a.sub(b).relu().exp());
    fv.backward();

    const at = tensor(av, { requiresGrad: true }),
      bt = tensor(bv, { requiresGrad: true });
    const ft = at.mul(bt).add(at.pow(2)).tanh().div(bt.sigmoid().add(1)).sub(bt.log()).add(at.sub(bt).relu().exp());
    ft.backward();

    expect(ft.item()).toBeCloseTo(fv.data, 14);
    expect(at.grad!.item()).toBeCloseTo(a.grad, 13);
    expect(bt.grad!.item()).toBeCloseTo(b.grad, 13);
    // And against the hand-derived partials: u = ab + a², t = tanh u, s = σ(b), f = t/(1+s) − log b + e^relu(a−b)
    const u = av * bv + av * av,
      t = Math.tanh(u),
      s = 1 / (1 + Math.exp(-bv));
    const dfda = ((1 - t * t) * (bv + 2 * av)) / (1 + s); // a − b < 0: the relu branch is constant
    const dfdb = ((1 - t * t) * av) / (1 + s) - (t * s * (1 - s)) / (1 + s) ** 2 - 1 / bv;
    expect(a.grad).toBeCloseTo(dfda, 13);
    expect(b.grad).toBeCloseTo(dfdb, 13);
  });

  it('a vector expression element by element matches a tensor expression', () => {
    const xs = [0.5, -1.2, 2.0];
    const ws = [1.5, 0.25, -0.75];
    const xv = xs.map((v) => new Value(v));
    const wv = ws.map((v) => new Value(v));
    let acc: Value = new Value(0);
    for (let i = 0; i < 3; i++) acc = acc.add(xv[i]!.mul(wv[i]!));
    const lv = acc.tanh().mul(acc).exp();
    lv.backward();

    const xt = tensor(xs, { requiresGrad: true }),
      wt = tensor(ws, { requiresGrad: true });
    const s = xt.mul(wt).sum();
    const lt = s.tanh().mul(s).exp();
    lt.backward();
    expect(lt.item()).toBeCloseTo(lv.data, 13);
    xv.forEach((v, i) => expect(xt.grad!.data[i]).toBeCloseTo(v.grad, 12));
    wv.forEach((v, i) => expect(wt.grad!.data[i]).toBeCloseTo(v.grad, 12));
  });
});

describe('Value and Tensor agree on random expressions', () => {
  // Random expression trees over the ops both have; the same tree is built twice.
  type Node = { op: string; args: Node[]; leaf?: number; k?: number };
  const unary = ['exp', 'tanh', 'sigmoid', 'relu', 'neg', 'square', 'logabs'];
  const binary = ['add', 'sub', 'mul', 'div'];

  function randomTree(g: Generator, depth: number): Node {
    if (depth === 0 || g.random() < 0.2) return { op: 'leaf', args: [], leaf: g.int(0, 3) };
    if (g.random() < 0.45) return { op: unary[g.int(0, unary.length)]!, args: [randomTree(g, depth - 1)] };
    if (g.random() < 0.15) return { op: 'powk', args: [randomTree(g, depth - 1)], k: g.int(2, 4) };
    return { op: binary[g.int(0, binary.length)]!, args: [randomTree(g, depth - 1), randomTree(g, depth - 1)] };
  }

  // The ops Value and Tensor share by name, so one evaluator builds the tree with either.
  interface Ops<T> {
    tanh(): T;
    exp(): T;
    sigmoid(): T;
    relu(): T;
    neg(): T;
    log(): T;
    pow(k: number): T;
    add(o: T | number): T;
    sub(o: T): T;
    mul(o: T): T;
    div(o: T): T;
  }
  function evaluate<T extends Ops<T>>(n: Node, xs: T[]): T {
    if (n.op === 'leaf') return xs[n.leaf!]!;
    const [a, b] = n.args.map((c) => evaluate(c, xs)) as [T, T];
    switch (n.op) {
      case 'exp':
        return a.tanh().exp(); // keep magnitudes tame
      case 'tanh':
        return a.tanh();
      case 'sigmoid':
        return a.sigmoid();
      case 'relu':
        return a.relu();
      case 'neg':
        return a.neg();
      case 'square':
        return a.mul(a);
      case 'logabs':
        return a.mul(a).add(1).log();
      case 'powk':
        return a.tanh().pow(n.k!);
      case 'add':
        return a.add(b);
      case 'sub':
        return a.sub(b);
      case 'mul':
        return a.mul(b);
      default:
        return a.div(b.mul(b).add(1));
    }
  }

  it('60 random expressions of depth ≤ 6: same value, same gradients', () => {
    const g = new Generator(123);
    for (let trial = 0; trial < 60; trial++) {
      const tree = randomTree(g, 6);
      const inputs = [g.normal(), g.normal(), g.normal()];
      const vs = inputs.map((v) => new Value(v));
      const out = evaluate(tree, vs);
      if (out.children.length === 0 && out.op === 'leaf') continue;
      out.backward();
      const ts = inputs.map((v) => tensor(v, { requiresGrad: true }));
      const outT = evaluate(tree, ts);
      if (!outT.requiresGrad) continue;
      outT.backward();
      expect(outT.item()).toBeCloseTo(out.data, 12);
      ts.forEach((t, i) => expect(t.grad?.item() ?? 0).toBeCloseTo(vs[i]!.grad, 11));
    }
  });
});

describe('Value and Tensor agree elementwise', () => {
  it('relu at NaN, ±0 and ±∞: the same value and the same derivative (NaN out, the gradient passes at NaN)', () => {
    for (const v of [NaN, 0, -0, Infinity, -Infinity, 2, -2]) {
      const a = new Value(v);
      const y = a.relu();
      y.backward();
      const t = tensor([v], { requiresGrad: true });
      const r = t.relu();
      r.backward(tensor([1]));
      expect(Object.is(y.data, r.data[0]), `relu(${v})`).toBe(true);
      expect(a.grad, `relu'(${v})`).toBe(t.grad!.data[0]);
    }
  });

  it('pow with exponent 0 has derivative 0 everywhere, 0 included, as Tensor.pow', () => {
    const a = new Value(0);
    a.pow(0).backward();
    const t = tensor([0], { requiresGrad: true });
    t.pow(0).sum().backward();
    expect(a.grad).toBe(0);
    expect(t.grad!.data[0]).toBe(0);
  });
});
