// micrograd's neuron, drawn. Builds o = tanh(x1·w1 + x2·w2 + b) from Values (Karpathy's lecture
// example), runs backward(), and writes the computation graph with every node's data and
// gradient, as Graphviz text (.dot) and as an SVG that needs no Graphviz. Then the same neuron
// with tanh spelled out from exp (a bigger graph, the same gradients), and a tensor version: a
// softmax classifier's cross-entropy for one sample, written out from primitives and fused.
//
//   node --conditions=source --import tsx examples/micrograd/main.ts [--out dir]
//
// The default out-dir is out/micrograd/ at the repository root.
import { type Tensor, Value, crossEntropy, tensor, toDot, toSvg } from '@xent/core';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type Option, type Spec, cli } from '../lib/args.js';

/** The lecture's neuron; b is chosen so that n = 0.8814 and o = tanh(n) = 1/√2. */
export function neuron(spelledOut = false): { o: Value; inputs: Record<string, Value> } {
  const x1 = new Value(2, null, 'x1'),
    x2 = new Value(0, null, 'x2');
  const w1 = new Value(-3, null, 'w1'),
    w2 = new Value(1, null, 'w2');
  const b = new Value(6.8813735870195432, null, 'b');
  const x1w1 = x1.mul(w1);
  x1w1.label = 'x1·w1';
  const x2w2 = x2.mul(w2);
  x2w2.label = 'x2·w2';
  const sum = x1w1.add(x2w2);
  sum.label = 'x1·w1 + x2·w2';
  const n = sum.add(b);
  n.label = 'n';
  let o: Value;
  if (spelledOut) {
    // tanh n = (e²ⁿ − 1) / (e²ⁿ + 1): more nodes, the same derivative.
    const e = n.mul(2).exp();
    e.label = 'e';
    o = e.sub(1).div(e.add(1));
  } else {
    o = n.tanh();
  }
  o.label = 'o';
  o.backward();
  return { o, inputs: { x1, x2, w1, w2, b } };
}

/**
 * A softmax classifier on one 2-feature sample, 3 classes, its cross-entropy written out from
 * primitives so that every step shows: loss = −mean(logSoftmax(x W + b) gathered at y).
 */
export function classifier(): { loss: Tensor; names: Map<Tensor, string> } {
  const x = tensor([[1, -2]]);
  const W = tensor(
    [
      [0.5, -0.3, 0.1],
      [0.2, 0.4, -0.6],
    ],
    { requiresGrad: true },
  );
  const b = tensor([0, 0.1, -0.1], { requiresGrad: true });
  const y = tensor([2]);
  const logits = x.matmul(W).add(b).retainGrad();
  const logp = logits.logSoftmax(1).retainGrad();
  const loss = logp.gather(1, y.unsqueeze(1)).neg().mean();
  loss.backward();
  return {
    loss,
    names: new Map<Tensor, string>([
      [x, 'x'],
      [W, 'W'],
      [b, 'b'],
      [y, 'y'],
      [logits, 'logits'],
      [logp, 'log p'],
      [loss, 'loss'],
    ]),
  };
}

/** The same classifier with xent's fused crossEntropy: one node instead of five, the same gradient p − y. */
export function fusedClassifier(): { loss: Tensor; names: Map<Tensor, string> } {
  const x = tensor([[1, -2]]);
  const W = tensor(
    [
      [0.5, -0.3, 0.1],
      [0.2, 0.4, -0.6],
    ],
    { requiresGrad: true },
  );
  const b = tensor([0, 0.1, -0.1], { requiresGrad: true });
  const logits = x.matmul(W).add(b).retainGrad();
  const loss = crossEntropy(logits, [2]);
  loss.backward();
  return {
    loss,
    names: new Map<Tensor, string>([
      [x, 'x'],
      [W, 'W'],
      [b, 'b'],
      [logits, 'logits'],
      [loss, 'loss'],
    ]),
  };
}

/** One graph, as Graphviz text and as SVG. */
export interface Picture {
  name: string;
  dot: string;
  svg: string;
}

/** The four graphs, each as DOT text and SVG. */
export function pictures(): Picture[] {
  const a = neuron(false).o,
    b = neuron(true).o;
  const c = classifier(),
    f = fusedClassifier();
  return [
    { name: 'neuron', dot: toDot(a), svg: toSvg(a, { title: 'o = tanh(x1·w1 + x2·w2 + b), after o.backward()' }) },
    {
      name: 'neuron-exp',
      dot: toDot(b),
      svg: toSvg(b, { title: 'the same neuron with tanh spelled out: o = (e²ⁿ − 1)/(e²ⁿ + 1)' }),
    },
    {
      name: 'classifier',
      dot: toDot(c.loss, { names: c.names }),
      svg: toSvg(c.loss, { names: c.names, title: 'loss = −log softmax(x W + b)[y], after loss.backward()' }),
    },
    {
      name: 'classifier-fused',
      dot: toDot(f.loss, { names: f.names }),
      svg: toSvg(f.loss, {
        names: f.names,
        title: 'the same loss with the fused crossEntropy(x W + b, y): one node, the same p − y',
      }),
    },
  ];
}

/** Writes every picture into `outDir`; returns the paths written. */
export function writePictures(outDir: string): string[] {
  mkdirSync(outDir, { recursive: true });
  const paths: string[] = [];
  for (const p of pictures()) {
    for (const [ext, text] of [
      ['dot', p.dot],
      ['svg', p.svg],
    ] as const) {
      const path = join(outDir, `${p.name}.${ext}`);
      writeFileSync(path, text);
      paths.push(path);
    }
  }
  return paths;
}

/** The example's command line (`--help` prints it). */
export const microgradCli = {
  command: `node --conditions=source --import tsx examples/micrograd/main.ts`,
  about: "Karpathy's neuron and a softmax classifier's loss as computation graphs with every gradient (.dot and .svg).",
  options: {
    out: { kind: 'path', arg: '<dir>', help: 'where the files go (default out/micrograd/ at the repository root)' },
  },
} satisfies Spec<Record<string, Option>>;

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  await cli(microgradCli, (v) =>
    main(resolve(v.out ?? join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'out', 'micrograd'))),
  );
}

function main(outDir: string): void {
  const { o, inputs } = neuron();
  console.log(`o = tanh(x1·w1 + x2·w2 + b) = ${o.data.toFixed(4)}`);
  for (const [name, v] of Object.entries(inputs)) console.log(`  d o / d ${name.padEnd(2)} = ${v.grad.toFixed(4)}`);
  for (const path of writePictures(outDir)) console.log(`wrote ${path}`);
  console.log(
    'Open the .svg files in a browser; render the .dot files with Graphviz: dot -Tsvg neuron.dot > neuron.svg',
  );
}
