// A small, strict XML well-formedness checker and tree builder for the SVG tests (no dependencies).
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
