import type { DType, Tensor } from '@xent/core';
import { GELU, LeakyReLU, LogSoftmax, ReLU, Sigmoid, Softmax, Tanh } from '../layers/activations.js';
import { Dropout, Flatten, Identity, MLP, Sequential } from '../layers/containers.js';
import { Linear } from '../layers/linear.js';
import type { Module } from '../module.js';
import { ProtoWriter } from './protobuf.js';

/* ONNX export of models made of the stock layers, written as torch.onnx.export writes them: initializers
   named by the state-dict keys, nodes named '/<module path>/<Op>', values '<node>_output_0'. The field
   numbers are onnx.proto's (ModelProto, GraphProto, NodeProto, AttributeProto, TensorProto, ValueInfoProto). */

/** exportOnnx's options. */
export interface OnnxExportOptions {
  /** Element type of the input, the initializers and the output (default 'float32', as PyTorch's default). */
  dtype?: DType;
  /** Operator set, 13 (default) to 21. `Gelu` is a single op from 20; below, its Div/Erf/Add/Mul form. */
  opset?: number;
  /** The graph input's name (default 'input'). */
  inputName?: string;
  /** The graph output's name (default 'output'). */
  outputName?: string;
  /**
   * The shape of one example, without the batch dim. Default: [inFeatures] of the first Linear when only
   * element-wise layers come before it; needed when the model starts with Flatten or has no Linear.
   */
  inputShape?: readonly number[];
  /** The batch dim: a name makes it dynamic (default 'batch'), a number fixes it. */
  batch?: string | number;
  /** Strings kept in the model's `metadata_props` (class names, what the inputs are). */
  metadata?: Record<string, string>;
}

/** The highest IR version each supported opset allows (onnx/docs/Versioning.md). */
const IR_VERSION: Record<number, number> = { 13: 7, 14: 7, 15: 8, 16: 8, 17: 8, 18: 8, 19: 9, 20: 9, 21: 10 };
const FLOAT = 1,
  INT64 = 7,
  DOUBLE = 11; // TensorProto.DataType
const ATTR_FLOAT = 1,
  ATTR_INT = 2,
  ATTR_TENSOR = 4,
  ATTR_INTS = 7; // AttributeProto.AttributeType

type Dim = number | string;
type Attr = [name: string, kind: 'float' | 'int' | 'ints' | 'tensor', value: number | number[] | ProtoWriter];
interface NodeSpec {
  name: string;
  op: string;
  inputs: string[];
  output: string;
  attrs: Attr[];
}

/** A TensorProto: dims, data type, name, little-endian raw data. */
function tensorProto(name: string, dims: readonly number[], type: number, values: ArrayLike<number>): ProtoWriter {
  const raw =
    type === INT64
      ? new Uint8Array(BigInt64Array.from(Array.from(values, (v) => BigInt(v))).buffer)
      : new Uint8Array((type === DOUBLE ? Float64Array : Float32Array).from(values).buffer);
  const t = new ProtoWriter();
  for (const d of dims) t.int(1, d);
  t.int(2, type);
  if (name) t.string(8, name);
  return t.bytes(9, raw);
}

/** A ValueInfoProto for a tensor: name, element type and shape (named dims are dynamic). */
function valueInfo(name: string, type: number, shape: readonly Dim[]): ProtoWriter {
  const dims = new ProtoWriter();
  for (const d of shape)
    dims.message(1, typeof d === 'number' ? new ProtoWriter().int(1, d) : new ProtoWriter().string(2, d));
  const tensorType = new ProtoWriter().int(1, type).message(2, dims);
  return new ProtoWriter().string(1, name).message(2, new ProtoWriter().message(1, tensorType));
}

function attribute([name, kind, value]: Attr): ProtoWriter {
  const a = new ProtoWriter().string(1, name);
  if (kind === 'float') a.float(2, value as number).int(20, ATTR_FLOAT);
  else if (kind === 'int') a.int(3, value as number).int(20, ATTR_INT);
  else if (kind === 'tensor') a.message(5, value as ProtoWriter).int(20, ATTR_TENSOR);
  else {
    for (const v of value as number[]) a.int(8, v);
    a.int(20, ATTR_INTS);
  }
  return a;
}

const shapeText = (s: readonly Dim[]): string => `[${s.join(', ')}]`;

/** Builds the graph: walks the layers, tracks the value name and shape, names everything as PyTorch does. */
class GraphBuilder {
  readonly nodes: NodeSpec[] = [];
  readonly initializers: ProtoWriter[] = [];
  private readonly counts = new Map<string, number>();
  private readonly written = new Map<Tensor, string>();
  value: string;

  constructor(
    input: string,
    public shape: Dim[],
    private readonly type: number,
    private readonly opset: number,
  ) {
    this.value = input;
  }

  /** Adds a node in module `scope` ('' or '0' or '1.2'); returns its output name. */
  node(scope: string, op: string, inputs: string[], attrs: Attr[] = []): string {
    const base = `/${scope ? scope.split('.').join('/') + '/' : ''}${op}`;
    const k = this.counts.get(base) ?? 0;
    this.counts.set(base, k + 1);
    const name = k ? `${base}_${k}` : base,
      output = `${name}_output_0`;
    this.nodes.push({ name, op, inputs, output, attrs });
    return output;
  }

  /** A Constant node holding a scalar of the model's dtype (or int64 values with their dims). */
  constant(scope: string, values: number[], dims: number[] = [], type = this.type): string {
    return this.node(scope, 'Constant', [], [['value', 'tensor', tensorProto('', dims, type, values)]]);
  }

  /** The initializer of parameter `p`, named `name` (a parameter shared by two layers is written once, first name). */
  initializer(name: string, p: Tensor): string {
    const seen = this.written.get(p);
    if (seen !== undefined) return seen;
    this.written.set(p, name);
    this.initializers.push(tensorProto(name, p.shape, this.type, p.data));
    return name;
  }

  /** Applies one stock layer at module path `scope` to the current value. */
  layer(scope: string, m: Module): void {
    const c = m.constructor;
    const fail = (msg: string): never => {
      throw new RangeError(`exportOnnx: layer '${scope}' (${c.name}): ${msg}`);
    };
    const unary = (op: string, attrs: Attr[] = []) => (this.value = this.node(scope, op, [this.value], attrs));
    const axis = (dim: number): number => {
      const r = this.shape.length;
      if (!Number.isInteger(dim) || dim < -r || dim >= r)
        fail(`dim ${dim} is out of range for input shape ${shapeText(this.shape)}`);
      return dim;
    };
    if (c === Linear) {
      const l = m as Linear,
        r = this.shape.length;
      if (r === 0 || this.shape[r - 1] !== l.inFeatures)
        fail(`expects inputs with last dim ${l.inFeatures}, got shape ${shapeText(this.shape)}`);
      const w = this.initializer(`${scope ? scope + '.' : ''}weight`, l.weight);
      const b = l.bias && this.initializer(`${scope ? scope + '.' : ''}bias`, l.bias);
      if (r === 2 && b) {
        this.value = this.node(
          scope,
          'Gemm',
          [this.value, w, b],
          [
            ['alpha', 'float', 1],
            ['beta', 'float', 1],
            ['transB', 'int', 1],
          ],
        );
      } else {
        // The weight stays [out, in] under its state-dict name; a Transpose (folded by runtimes at load) feeds MatMul.
        const wt = this.node(scope, 'Transpose', [w], [['perm', 'ints', [1, 0]]]);
        this.value = this.node(scope, 'MatMul', [this.value, wt]);
        if (b) this.value = this.node(scope, 'Add', [b, this.value]);
      }
      this.shape = [...this.shape.slice(0, -1), l.outFeatures];
    } else if (c === ReLU) unary('Relu');
    else if (c === Tanh) unary('Tanh');
    else if (c === Sigmoid) unary('Sigmoid');
    else if (c === LeakyReLU) unary('LeakyRelu', [['alpha', 'float', (m as LeakyReLU).negativeSlope]]);
    else if (c === Softmax) unary('Softmax', [['axis', 'int', axis((m as Softmax).dim)]]);
    else if (c === LogSoftmax) unary('LogSoftmax', [['axis', 'int', axis((m as LogSoftmax).dim)]]);
    else if (c === GELU) {
      if (this.opset >= 20) unary('Gelu');
      else {
        // x · ½(1 + erf(x / √2)), in the order and with the constants torch.onnx.export writes
        const x = this.value;
        const d = this.node(scope, 'Div', [x, this.constant(scope, [Math.SQRT2])]);
        const e = this.node(scope, 'Erf', [d]);
        const a = this.node(scope, 'Add', [e, this.constant(scope, [1])]);
        const p = this.node(scope, 'Mul', [x, a]);
        this.value = this.node(scope, 'Mul', [p, this.constant(scope, [0.5])]);
      }
    } else if (c === Flatten) this.flatten(scope, m as Flatten, fail);
    else if (c === Identity || c === Dropout) {
      // Identity: nothing to compute. Dropout: the export is of the model in eval mode, where it is the identity.
    } else if (c === Sequential || c === MLP) {
      for (const [name, child] of m.namedChildren()) this.layer(scope ? `${scope}.${name}` : name, child);
    } else refuse(scope, m);
  }

  /** Flatten(1, −1) is ONNX's Flatten(axis 1), as PyTorch writes it; other dims: a Reshape to a constant shape. */
  private flatten(scope: string, f: Flatten, fail: (msg: string) => never): void {
    const r = this.shape.length;
    const s = f.startDim < 0 ? f.startDim + r : f.startDim,
      e = f.endDim < 0 ? f.endDim + r : f.endDim;
    if (!(s >= 0 && s < r && e >= 0 && e < r && s <= e))
      fail(`startDim ${f.startDim} and endDim ${f.endDim} do not fit input shape ${shapeText(this.shape)}`);
    const merged = this.shape.slice(s, e + 1);
    const known = merged.every((d) => typeof d === 'number');
    const size: Dim = known ? (merged as number[]).reduce((x, y) => x * y, 1) : merged.join('*');
    const out = [...this.shape.slice(0, s), size, ...this.shape.slice(e + 1)];
    if (s === 1 && e === r - 1) {
      this.value = this.node(scope, 'Flatten', [this.value], [['axis', 'int', 1]]);
    } else if (s !== e) {
      // 0 copies the input's dim at that index (the dynamic batch before startDim), −1 is inferred (a merge with it)
      const target = out.map((d, i) => (typeof d === 'number' ? d : i === s ? -1 : 0));
      this.value = this.node(scope, 'Reshape', [this.value, this.constant(scope, target, [target.length], INT64)]);
    }
    this.shape = out;
  }
}

const STOCK = new Set<unknown>([
  Linear,
  ReLU,
  LeakyReLU,
  Tanh,
  Sigmoid,
  GELU,
  Softmax,
  LogSoftmax,
  Flatten,
  Identity,
  Dropout,
  Sequential,
  MLP,
]);

function refuse(path: string, m: Module): never {
  throw new TypeError(
    `exportOnnx: cannot export module '${path || '(the model)'}' (${m.constructor.name}): only Sequential/MLP of the stock layers ` +
      '(Linear, ReLU, LeakyReLU, Tanh, Sigmoid, GELU, Softmax, LogSoftmax, Flatten, Identity, Dropout) can be exported',
  );
}

/** The input shape of one example: the first Linear's inFeatures when only element-wise layers precede it. */
function inferInputShape(model: Module): number[] | null {
  for (const m of model.modules()) {
    const c = m.constructor;
    if (c === Linear) return [(m as Linear).inFeatures];
    if (c === Flatten) return null;
  }
  return null;
}

/**
 * An ONNX model (ModelProto bytes) of a Sequential/MLP of stock layers, in eval mode, as torch.onnx.export
 * would write it: Linear → Gemm (transB = 1), or Transpose + MatMul (+ Add) for inputs of rank ≠ 2 and
 * Linear without bias; initializers named by the state-dict keys ('0.weight'), a dynamic batch dim.
 * @example const bytes = exportOnnx(new MLP([4, 16, 3]), { opset: 13 }); // run it with onnxruntime
 */
export function exportOnnx(model: Module, opts: OnnxExportOptions = {}): Uint8Array {
  const opset = opts.opset ?? 13;
  if (!Number.isInteger(opset) || !(opset in IR_VERSION))
    throw new RangeError(`exportOnnx: opset must be an integer from 13 to 21, got ${opset}`);
  const dtype = opts.dtype ?? 'float32';
  if (dtype !== 'float32' && dtype !== 'float64')
    throw new RangeError(`exportOnnx: dtype must be 'float32' or 'float64', got ${JSON.stringify(dtype)}`);
  const inputName = opts.inputName ?? 'input',
    outputName = opts.outputName ?? 'output';
  for (const [k, v] of [
    ['inputName', inputName],
    ['outputName', outputName],
  ] as const)
    if (typeof v !== 'string' || v === '') throw new TypeError(`exportOnnx: ${k} must be a non-empty string`);
  if (inputName === outputName) throw new RangeError(`exportOnnx: inputName and outputName are both '${inputName}'`);
  const batch = opts.batch ?? 'batch';
  if (typeof batch === 'number' ? !(Number.isInteger(batch) && batch > 0) : typeof batch !== 'string' || batch === '')
    throw new RangeError(`exportOnnx: batch must be a positive integer or a dim name, got ${JSON.stringify(batch)}`);
  // Custom modules first: no other error should hide that one.
  for (const [path, m] of model.namedModules()) if (!STOCK.has(m.constructor)) refuse(path, m);
  const sample = opts.inputShape ?? inferInputShape(model);
  if (!sample)
    throw new RangeError(
      'exportOnnx: the input shape cannot be inferred (the model starts with Flatten or has no Linear): pass inputShape, the shape of one example',
    );
  if (!sample.every((d) => Number.isInteger(d) && d > 0))
    throw new RangeError(`exportOnnx: inputShape must list positive integers, got ${JSON.stringify(sample)}`);

  const type = dtype === 'float64' ? DOUBLE : FLOAT;
  const inShape: Dim[] = [batch, ...sample];
  const g = new GraphBuilder(inputName, inShape.slice(), type, opset);
  g.layer('', model);
  // The last node's output takes the graph output's name; a model that computes nothing gets an Identity node.
  if (g.value === inputName) g.value = g.node('', 'Identity', [inputName]);
  g.nodes[g.nodes.length - 1]!.output = outputName;

  const graph = new ProtoWriter();
  for (const n of g.nodes) {
    const p = new ProtoWriter();
    for (const i of n.inputs) p.string(1, i);
    p.string(2, n.output).string(3, n.name).string(4, n.op);
    for (const a of n.attrs) p.message(5, attribute(a));
    graph.message(1, p);
  }
  graph.string(2, 'xent');
  for (const t of g.initializers) graph.message(5, t);
  graph.message(11, valueInfo(inputName, type, inShape));
  graph.message(12, valueInfo(outputName, type, g.shape));
  const proto = new ProtoWriter()
    .int(1, IR_VERSION[opset]!)
    .string(2, 'xent')
    .message(7, graph)
    .message(8, new ProtoWriter().string(1, '').int(2, opset));
  for (const [k, v] of Object.entries(opts.metadata ?? {})) {
    if (typeof v !== 'string') throw new TypeError(`exportOnnx: metadata '${k}' must be a string, got ${typeof v}`);
    proto.message(14, new ProtoWriter().string(1, k).string(2, v)); // StringStringEntryProto
  }
  return proto.finish();
}
