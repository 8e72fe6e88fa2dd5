import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { classifier, neuron, pictures } from '../../examples/micrograd/main.js';
import { allText, findAll, parseDot, parseXml, recordFields } from './graph-xml.js';

// The lecture's neuron by hand: o = tanh(n) = 1/√2, so do/dn = 1 − o² = 0.5 and
// do/dx1 = w1·0.5 = −1.5, do/dw1 = x1·0.5 = 1, do/dx2 = w2·0.5 = 0.5, do/dw2 = x2·0.5 = 0, do/db = 0.5.
const byHand: Record<string, number> = { x1: -1.5, w1: 1, x2: 0.5, w2: 0, b: 0.5 };

describe('examples/micrograd', () => {
  it('gets the lecture neuron’s gradients, with tanh as one op or spelled out from exp', () => {
    for (const spelled of [false, true]) {
      const { o, inputs } = neuron(spelled);
      expect(o.data).toBeCloseTo(Math.SQRT1_2, 12);
      for (const [name, g] of Object.entries(byHand)) expect(inputs[name]!.grad).toBeCloseTo(g, 12);
    }
  });

  it('draws each graph as well-formed SVG showing the gradients, and as DOT', () => {
    const pics = pictures();
    expect(pics.map((p) => p.name)).toEqual(['neuron', 'neuron-exp', 'classifier', 'classifier-fused']);
    for (const p of pics) {
      const root = parseXml(p.svg);
      expect(root.name).toBe('svg');
      expect(p.dot).toMatch(/^digraph xent \{[\s\S]*\}\n$/);
      // Valid DOT (checked without Graphviz): every record label parses, every edge joins declared nodes.
      const g = parseDot(p.dot);
      for (const a of g.nodes.values())
        if (a.shape === 'record') expect(recordFields(a.label!).length).toBeGreaterThanOrEqual(2);
    }
    const neuronText = findAll(parseXml(pics[0]!.svg), 'text').map(allText);
    for (const [name, g] of Object.entries(byHand)) {
      expect(pics[0]!.dot).toContain(`{ ${name} | data `);
      expect(neuronText).toContain(`grad ${g.toFixed(4)}`);
    }
    // tanh is one op in the first graph; the spelled-out one has exp and div instead.
    expect(pics[0]!.dot).toContain('label="tanh"');
    expect(pics[1]!.dot).not.toContain('label="tanh"');
    expect(pics[1]!.dot).toContain('label="exp"');
  });

  it('shows p − y on the classifier’s logits', () => {
    // logits = x W + b = [0.1, −1.0, 1.2] (by hand); softmax = [0.2306, 0.0768, 0.6927]; y = 2.
    const { names } = classifier();
    const logits = [...names].find(([, n]) => n === 'logits')![0];
    [0.1, -1, 1.2].forEach((v, i) => expect(logits.data[i]).toBeCloseTo(v, 12));
    const [composed, fused] = [pictures()[2]!, pictures()[3]!];
    for (const p of [composed, fused])
      expect(findAll(parseXml(p.svg), 'text').map(allText)).toContain('grad 0.2306 0.0768 -0.3073');
    // Fused: one crossEntropy node where the composed graph has logSoftmax, gather, neg and the mean.
    expect(fused.dot).toContain('label="crossEntropy"');
    expect(fused.dot).not.toContain('label="logSoftmax"');
    expect(composed.dot).toContain('label="logSoftmax"');
  });

  it('the committed picture in docs/images is well-formed and shows the hand-worked gradients', () => {
    const svg = parseXml(
      readFileSync(fileURLToPath(new URL('../../docs/images/micrograd-neuron.svg', import.meta.url)), 'utf8'),
    );
    const text = findAll(svg, 'text').map(allText);
    for (const g of Object.values(byHand)) expect(text).toContain(`grad ${g.toFixed(4)}`);
  });

  it('runs from the command line and writes .dot and .svg files', () => {
    const out = mkdtempSync(join(tmpdir(), 'xent-micrograd-'));
    try {
      const stdout = execFileSync(
        process.execPath,
        ['--conditions=source', '--import', 'tsx', 'examples/micrograd/main.ts', '--out', out],
        {
          cwd: fileURLToPath(new URL('../..', import.meta.url)),
          encoding: 'utf8',
        },
      );
      expect(stdout).toContain('d o / d x1 = -1.5000');
      for (const name of ['neuron', 'neuron-exp', 'classifier', 'classifier-fused']) {
        for (const ext of ['dot', 'svg']) expect(existsSync(join(out, `${name}.${ext}`))).toBe(true);
        parseXml(readFileSync(join(out, `${name}.svg`), 'utf8'));
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
