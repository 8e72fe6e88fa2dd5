import { type Tensor, Value, tensor, toDot, toSvg, traceGraph, zeros } from '@xent/core';
import { describe, expect, it } from 'vitest';
import { allText, findAll, parseDot, parseXml, recordFields } from '../examples/graph-xml.js';

// L = (a·b + c)·f with a = 2, b = −3, c = 10, f = −2 (micrograd's lecture example).
// By hand: e = a·b = −6, d = e + c = 4, L = d·f = −8;
// dL/df = d = 4, dL/dd = f = −2, dL/dc = dL/de = −2, dL/da = −2·b = 6, dL/db = −2·a = −4.
function lecture(): { L: Value } {
  const a = new Value(2, null, 'a'),
    b = new Value(-3, null, 'b'),
    c = new Value(10, null, 'c'),
    f = new Value(-2, null, 'f');
  const e = a.mul(b);
  e.label = 'e';
  const d = e.add(c);
  d.label = 'd';
  const L = d.mul(f);
  L.label = 'L';
  L.backward();
  return { L };
}

const expected: Record<string, [string, string]> = {
  a: ['2.0000', '6.0000'],
  b: ['-3.0000', '-4.0000'],
  c: ['10.0000', '-2.0000'],
  e: ['-6.0000', '-2.0000'],
  d: ['4.0000', '-2.0000'],
  f: ['-2.0000', '4.0000'],
  L: ['-8.0000', '1.0000'],
};

describe('traceGraph', () => {
  it('lists every node once, inputs before outputs, with op, data and gradient', () => {
    const g = traceGraph(lecture().L);
    expect(g.nodes.map((n) => n.name).sort()).toEqual(Object.keys(expected).sort());
    for (const n of g.nodes) {
      expect([n.data, n.grad]).toEqual(expected[n.name]);
      for (const i of n.inputs) expect(i).toBeLessThan(n.id);
    }
    const L = g.nodes[g.root]!;
    expect(L.name).toBe('L');
    expect(L.op).toBe('mul');
    expect(
      g.nodes
        .filter((n) => n.op === 'leaf')
        .map((n) => n.name)
        .sort(),
    ).toEqual(['a', 'b', 'c', 'f']);
  });

  it('visits a shared input once but keeps both edges', () => {
    const a = new Value(3, null, 'a');
    const g = traceGraph(a.mul(a));
    expect(g.nodes).toHaveLength(2);
    expect(g.nodes[1]!.inputs).toEqual([0, 0]);
  });

  it('walks a chain of 20 000 ops without recursion', () => {
    let x = new Value(0.5);
    const x0 = x;
    for (let i = 0; i < 20_000; i++) x = x.mul(1);
    const g = traceGraph(x, { maxNodes: 30_000 });
    expect(g.nodes).toHaveLength(20_001);
    expect(g.nodes[0]!.ref).toBe(x0);
  });

  it('refuses graphs above maxNodes and bad roots with errors that name the function', () => {
    let x = new Value(1);
    for (let i = 0; i < 10; i++) x = x.add(1);
    expect(() => toDot(x, { maxNodes: 5 })).toThrow(/toDot: the graph has more than maxNodes = 5/);
    expect(() => toSvg(42 as unknown as Value)).toThrow(/toSvg: root must be a Value or a Tensor, got number 42/);
    expect(() => traceGraph(x, { maxValues: -1 })).toThrow(/traceGraph: maxValues must be a non-negative integer/);
  });
});

describe('toDot', () => {
  it('draws records with data and grad, an ellipse per op, and edges input → op → output', () => {
    const dot = toDot(lecture().L);
    expect(dot.startsWith('digraph xent {')).toBe(true);
    expect(dot.trimEnd().endsWith('}')).toBe(true);
    for (const [name, [data, grad]] of Object.entries(expected)) {
      expect(dot).toContain(`{ ${name} | data ${data} | grad ${grad} }`);
    }
    expect(dot.match(/shape=record/g)).toHaveLength(7);
    expect(dot.match(/shape=ellipse, label="mul"/g)).toHaveLength(2);
    expect(dot.match(/shape=ellipse, label="add"/g)).toHaveLength(1);
    // Three binary ops: 6 input edges and 3 op → output edges.
    expect(dot.match(/ -> /g)).toHaveLength(9);
  });

  it('prints a tensor node by shape (or its few values) and its gradient; data that takes no gradient says so', () => {
    // y = Σ (x W), x = [[1, 2]]: dy/dW = xᵀ 1 = [[1, 1], [2, 2]] (by hand).
    const x = tensor([[1, 2]]);
    const W = tensor(
      [
        [0.5, -1],
        [2, 0],
      ],
      { requiresGrad: true },
    );
    const big = tensor(
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
      { requiresGrad: true },
    );
    const y = x.matmul(W).sum().add(big.sum());
    y.backward();
    const dot = toDot(y, {
      names: new Map<Tensor, string>([
        [x, 'x'],
        [W, 'W'],
        [big, 'B'],
      ]),
    });
    expect(dot).toContain('{ W | [2, 2] 0.5000 -1.0000 2.0000 0.0000 | grad 1.0000 1.0000 2.0000 2.0000 }');
    expect(dot).toContain('{ x | [1, 2] 1.0000 2.0000 | no grad }');
    // Six ones: ‖g‖ = √6 = 2.4495.
    expect(dot).toContain('{ B | [2, 3] float64 | grad ‖g‖ 2.4495 }');
    expect(dot).toContain('label="matmul"');
    // An intermediate tensor keeps no gradient unless asked to.
    expect(dot).toMatch(/\{ -?\d\.\d{4} \| grad — \}/);
  });

  it('is valid DOT: every node declared, every record label parses back to its fields (checked without Graphviz)', () => {
    const g = parseDot(toDot(lecture().L));
    const records = [...g.nodes.values()].filter((a) => a.shape === 'record');
    expect(records).toHaveLength(7);
    const fields = records.map((a) => recordFields(a.label!));
    for (const [name, [data, grad]] of Object.entries(expected))
      expect(fields).toContainEqual([name, `data ${data}`, `grad ${grad}`]);
    expect(g.edges).toHaveLength(9);
    // Tensors: shapes, values and ‖g‖ survive too.
    const W = tensor(
      [
        [0.5, -1],
        [2, 0],
      ],
      { requiresGrad: true },
    );
    const y = tensor([[1, 2]])
      .matmul(W)
      .tanh()
      .sum();
    y.backward();
    const tg = parseDot(toDot(y, { names: new Map([[W, 'W']]) }));
    expect(
      [...tg.nodes.values()].map((a) => (a.label && a.shape === 'record' ? recordFields(a.label) : null)),
    ).toContainEqual(['W', '[2, 2] 0.5000 -1.0000 2.0000 0.0000', expect.stringMatching(/^grad /)]);
    // The checker itself refuses broken text.
    expect(() => parseDot('digraph xent {\n  n0 [label="x];\n}')).toThrow(/unterminated/);
    expect(() => parseDot('digraph xent { n0 -> n1; }')).toThrow(/undeclared/);
    expect(() => recordFields('{ a | b')).toThrow(/unbalanced/);
  });

  it('names with any character come back whole from a record label, and the op ellipses parse', () => {
    const names = ['a"b', 'c{d}|e', '<f>', 'g\\', 'h\\"i', 'end\\', '\\N', 'x\\l', 'tab\tx', 'amp&lt;', 'uni ‖é—'];
    let v = new Value(1, null, 'first');
    for (const n of names) v = v.mul(new Value(2, null, n));
    v.backward();
    const g = parseDot(toDot(v));
    const firsts = [...g.nodes.values()].filter((a) => a.shape === 'record').map((a) => recordFields(a.label!)[0]);
    for (const n of names) expect(firsts).toContain(n);
    expect([...g.nodes.values()].filter((a) => a.shape === 'ellipse').map((a) => a.label)).toEqual(
      names.map(() => 'mul'),
    );
  });

  it('says "empty" for a tensor with no elements and for its gradient (not a blank field)', () => {
    const e = zeros([0, 3], { requiresGrad: true });
    const s = e.sum();
    s.backward();
    const fields = [...parseDot(toDot(s)).nodes.values()]
      .filter((a) => a.shape === 'record')
      .map((a) => recordFields(a.label!));
    expect(fields).toContainEqual(['[0, 3] empty', 'grad empty']);
  });

  it('escapes names that would break a record label', () => {
    const a = new Value(1, null, 'x{1}|<y>"');
    const dot = toDot(a.mul(2));
    expect(dot).toContain('x\\{1\\}\\|\\<y\\>\\"');
  });
});

describe('toSvg', () => {
  it('is well-formed SVG with one record per node, one ellipse per op and the gradients as text', () => {
    const svg = toSvg(lecture().L, { title: 'L = (a·b + c)·f' });
    const root = parseXml(svg);
    expect(root.name).toBe('svg');
    expect(root.attrs.xmlns).toBe('http://www.w3.org/2000/svg');
    const groups = root.children.flatMap((c) => findAll(c, 'g'));
    expect(groups.filter((g) => g.attrs.class === 'node')).toHaveLength(7);
    expect(findAll(root, 'ellipse')).toHaveLength(3);
    const text = findAll(root, 'text').map(allText);
    for (const [, [data, grad]] of Object.entries(expected)) {
      expect(text).toContain(`data ${data}`);
      expect(text).toContain(`grad ${grad}`);
    }
    expect(text).toContain('L = (a·b + c)·f');
  });

  it('lays the graph out left to right: every edge starts left of where it ends, boxes do not overlap', () => {
    const x = tensor([[1, -1]]);
    const W1 = tensor(
      [
        [0.1, 0.2],
        [0.3, -0.4],
      ],
      { requiresGrad: true },
    );
    const W2 = tensor([[1], [-1]], { requiresGrad: true });
    const h = x.matmul(W1).tanh();
    const y = h.matmul(W2).add(h.sum()).sum();
    y.backward();
    const root = parseXml(toSvg(y));
    const paths = findAll(root, 'path').filter((p) => p.attrs['marker-end']);
    // Six ops (matmul, tanh, matmul, sum, add, sum) with 9 inputs in all: 9 edges in, 6 out.
    expect(paths.length).toBe(15);
    for (const p of paths) {
      const nums = p.attrs.d!.match(/-?\d+(\.\d+)?/g)!.map(Number);
      expect(nums[0]!).toBeLessThan(nums[nums.length - 2]!);
    }
    const rects = findAll(root, 'rect')
      .filter((r) => r.attrs.rx)
      .map((r) => ['x', 'y', 'width', 'height'].map((k) => Number(r.attrs[k])));
    for (let i = 0; i < rects.length; i++) {
      for (let j = i + 1; j < rects.length; j++) {
        const [ax, ay, aw, ah] = rects[i]!,
          [bx, by, bw, bh] = rects[j]!;
        const overlap = ax! < bx! + bw! && bx! < ax! + aw! && ay! < by! + bh! && by! < ay! + ah!;
        expect(overlap).toBe(false);
      }
    }
  });

  it('colours gradients with one diverging pair (teal > 0, brown < 0), says so in a legend, and tags nodes by id', () => {
    const a = new Value(2, null, 'a'),
      b = new Value(-3, null, 'b');
    const L = a.mul(b);
    L.backward(); // dL/da = -3 (brown), dL/db = 2 (teal)
    const root = parseXml(toSvg(L));
    const fillOf = (label: string): string | undefined =>
      findAll(root, 'text').find((t) => allText(t) === `grad ${label}`)?.attrs.fill;
    expect(fillOf('-3.0000')).toBe('#a6611a');
    expect(fillOf('2.0000')).toBe('#018571');
    const legend = findAll(root, 'g').find((g) => g.attrs.class === 'legend')!;
    const texts = findAll(legend, 'text');
    expect(texts.map(allText)).toEqual(['grad colour:', '> 0', '< 0', 'mixed signs or 0']);
    expect(texts.map((t) => t.attrs.fill)).toEqual(['#333', '#018571', '#a6611a', '#333']);
    const g = traceGraph(L);
    const ids = findAll(root, 'g')
      .filter((x) => x.attrs.class === 'node')
      .map((x) => Number(x.attrs['data-node']));
    expect(ids.sort()).toEqual(g.nodes.map((n) => n.id));
  });

  it('escapes XML in names', () => {
    const a = new Value(1, null, '<a & b>');
    const root = parseXml(toSvg(a.add(1)));
    expect(findAll(root, 'text').map(allText)).toContain('<a & b>');
  });
});
