// A small, strict XML well-formedness checker and tree builder for the SVG tests, and a DOT checker
// for toDot (below; no dependencies, no Graphviz needed).
// It rejects what browsers' XML parsers reject in practice: unbalanced or crossed tags, bad names,
// unquoted or duplicate attributes, raw '<' or stray '&' in text or attribute values, unknown
// entities, more than one root element, text outside the root.

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  /** The element's own text (entities decoded), children's text excluded. */
  text: string;
}

const NAME = /^[A-Za-z_:][\w.:-]*$/;
const ENTITY = /&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/g;

function decode(s: string, where: string): string {
  const stripped = s.replace(ENTITY, '');
  if (stripped.includes('&')) throw new Error(`xml: stray '&' in ${where}: ${JSON.stringify(s.slice(0, 80))}`);
  if (stripped.includes('<')) throw new Error(`xml: raw '<' in ${where}`);
  return s.replace(ENTITY, (e) => {
    const named: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&apos;': "'" };
    if (named[e]) return named[e];
    const code = e[2] === 'x' ? parseInt(e.slice(3, -1), 16) : parseInt(e.slice(2, -1), 10);
    return String.fromCodePoint(code);
  });
}

/** Parses `src` as XML, throwing on anything not well-formed; returns the root element. */
export function parseXml(src: string): XmlElement {
  let i = 0;
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  while (i < src.length) {
    if (src.startsWith('<?', i)) {
      const end = src.indexOf('?>', i);
      if (end < 0 || root || stack.length) throw new Error('xml: bad processing instruction');
      i = end + 2;
    } else if (src.startsWith('<!--', i)) {
      const end = src.indexOf('-->', i);
      if (end < 0) throw new Error('xml: unterminated comment');
      i = end + 3;
    } else if (src.startsWith('</', i)) {
      const end = src.indexOf('>', i);
      const name = src.slice(i + 2, end).trim();
      const open = stack.pop();
      if (!open || open.name !== name) throw new Error(`xml: </${name}> closes <${open?.name ?? 'nothing'}>`);
      i = end + 1;
    } else if (src[i] === '<') {
      const m = /^<([^\s/>]+)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/.exec(src.slice(i, i + 100000));
      if (!m) throw new Error(`xml: malformed tag at ${i}: ${JSON.stringify(src.slice(i, i + 60))}`);
      const [whole, name, attrText, selfClose] = m;
      if (!NAME.test(name!)) throw new Error(`xml: bad element name ${name}`);
      const attrs: Record<string, string> = {};
      for (const a of attrText!.matchAll(/([^\s=]+)\s*=\s*("([^"]*)"|'([^']*)')/g)) {
        if (!NAME.test(a[1]!)) throw new Error(`xml: bad attribute name ${a[1]}`);
        if (a[1]! in attrs) throw new Error(`xml: duplicate attribute ${a[1]} on <${name}>`);
        attrs[a[1]!] = decode(a[3] ?? a[4]!, `attribute ${a[1]}`);
      }
      const el: XmlElement = { name: name!, attrs, children: [], text: '' };
      if (stack.length) stack[stack.length - 1]!.children.push(el);
      else if (root) throw new Error('xml: more than one root element');
      else root = el;
      if (!selfClose) stack.push(el);
      i += whole.length;
    } else {
      const end = src.indexOf('<', i);
      const text = src.slice(i, end < 0 ? src.length : end);
      if (stack.length) stack[stack.length - 1]!.text += decode(text, `text of <${stack[stack.length - 1]!.name}>`);
      else if (text.trim()) throw new Error('xml: text outside the root element');
      i = end < 0 ? src.length : end;
    }
  }
  if (stack.length) throw new Error(`xml: <${stack[stack.length - 1]!.name}> is never closed`);
  if (!root) throw new Error('xml: no root element');
  return root;
}

/** Every element under `el` (itself included) with the given name. */
export function findAll(el: XmlElement, name: string): XmlElement[] {
  const out: XmlElement[] = [];
  const walk = (e: XmlElement): void => {
    if (e.name === name) out.push(e);
    e.children.forEach(walk);
  };
  walk(el);
  return out;
}

/** All text under `el`, children included. */
export function allText(el: XmlElement): string {
  return el.text + el.children.map(allText).join('');
}

// ---------- DOT ----------
// A strict checker for the subset of Graphviz's DOT language that toDot writes (and a bit more):
// digraph ID? { stmt* } stmt: ID = ID ; | (node|edge|graph) [attrs] ; | ID [attrs]? ; | ID (-> ID)+ [attrs]? ;
// IDs are names, numbers or "quoted strings" (\" inside a string is a quote, a backslash keeps the
// next character for the label's own escapes). Record labels are then parsed as Graphviz does:
// fields split by '|', nested in braces, with \{ \} \| \< \> \\ \" as literal characters.

export interface DotGraph {
  /** Node id → its attributes (label unquoted, escapes of the DOT string undone). */
  nodes: Map<string, Record<string, string>>;
  edges: [string, string][];
}

function dotTokens(src: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '"') {
      let s = '',
        j = i + 1;
      for (; j < src.length && src[j] !== '"'; j++) {
        if (src[j] === '\\' && j + 1 < src.length) {
          s += src[j + 1] === '"' ? '"' : src[j]! + src[j + 1]!;
          j++;
        } else s += src[j];
      }
      if (j >= src.length) throw new Error(`dot: unterminated string at ${i}`);
      out.push('"' + s);
      i = j + 1;
      continue;
    }
    if (src.startsWith('->', i)) {
      out.push('->');
      i += 2;
      continue;
    }
    if ('{}[]=;,'.includes(c)) {
      out.push(c);
      i++;
      continue;
    }
    const m = /^(?:[A-Za-z_\u0080-\uffff][\w\u0080-\uffff]*|-?(?:\.\d+|\d+(?:\.\d*)?))/.exec(src.slice(i));
    if (!m) throw new Error(`dot: unexpected ${JSON.stringify(src.slice(i, i + 20))}`);
    out.push(m[0]);
    i += m[0].length;
  }
  return out;
}

const isId = (t: string | undefined): t is string =>
  t !== undefined && (t.startsWith('"') || /^[\w.\-\u0080-\uffff]+$/.test(t)) && t !== '->';
const unq = (t: string): string => (t.startsWith('"') ? t.slice(1) : t);

/** Parses DOT text, throwing on anything Graphviz would reject in the subset above. */
export function parseDot(src: string): DotGraph {
  const t = dotTokens(src);
  let i = 0;
  const expect = (v: string): void => {
    if (t[i] !== v) throw new Error(`dot: expected '${v}' at token ${i}, got ${JSON.stringify(t[i])}`);
    i++;
  };
  const id = (): string => {
    if (!isId(t[i])) throw new Error(`dot: expected an ID at token ${i}, got ${JSON.stringify(t[i])}`);
    return unq(t[i++]!);
  };
  const attrs = (): Record<string, string> => {
    const a: Record<string, string> = {};
    expect('[');
    while (t[i] !== ']') {
      const k = id();
      expect('=');
      a[k] = id();
      if (t[i] === ',' || t[i] === ';') i++;
    }
    i++;
    return a;
  };
  const g: DotGraph = { nodes: new Map(), edges: [] };
  expect('digraph');
  if (t[i] !== '{') id();
  expect('{');
  while (t[i] !== '}') {
    if (i >= t.length) throw new Error('dot: missing closing brace');
    if (['node', 'edge', 'graph'].includes(t[i]!)) {
      i++;
      attrs();
    } else {
      const a = id();
      if (t[i] === '=') {
        i++;
        id();
      } else if (t[i] === '->') {
        let from = a;
        while (t[i] === '->') {
          i++;
          const to = id();
          g.edges.push([from, to]);
          from = to;
        }
        if (t[i] === '[') attrs();
      } else g.nodes.set(a, t[i] === '[' ? attrs() : {});
    }
    if (t[i] === ';') i++;
  }
  i++;
  if (i !== t.length) throw new Error('dot: text after the closing brace');
  for (const [from, to] of g.edges)
    for (const n of [from, to])
      if (!g.nodes.has(n)) throw new Error(`dot: edge ${from} -> ${to} names an undeclared node ${n}`);
  return g;
}

/** A record label's fields (nesting flattened), escapes undone and outer spaces trimmed, as Graphviz shows them. */
export function recordFields(label: string): string[] {
  const fields: string[] = [];
  let cur = '',
    depth = 0;
  for (let i = 0; i < label.length; i++) {
    const c = label[i]!;
    if (c === '\\' && i + 1 < label.length && '{}|<>\\"'.includes(label[i + 1]!)) {
      cur += label[++i];
      continue;
    }
    if (c === '<' || c === '>') throw new Error(`record: unescaped '${c}' in ${JSON.stringify(label)}`);
    if (c === '{' || c === '}' || c === '|') {
      if (cur.trim()) fields.push(cur.trim());
      cur = '';
      depth += c === '{' ? 1 : c === '}' ? -1 : 0;
      if (depth < 0) throw new Error(`record: unbalanced '}' in ${JSON.stringify(label)}`);
      continue;
    }
    cur += c;
  }
  if (depth !== 0) throw new Error(`record: unbalanced braces in ${JSON.stringify(label)}`);
  if (cur.trim()) fields.push(cur.trim());
  return fields;
}

/** The plotted lines of a chart from examples/lib/svg-plot.ts (paths of class "series"). */
export function seriesPaths(svg: XmlElement): XmlElement[] {
  return findAll(svg, 'path').filter((p) => p.attrs['data-role'] === 'series');
}

/** The points of a path of M/L commands, as [x, y] pairs. @example pathPoints('M0 0L1 2'); // [[0, 0], [1, 2]] */
export function pathPoints(d: string): [number, number][] {
  return [...d.matchAll(/[ML]\s*(-?[\d.]+)[ ,](-?[\d.]+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
}
