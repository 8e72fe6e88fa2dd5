// A protobuf reader written for the tests, independent of the exporter's writer: decodes an ONNX ModelProto
// into the summary that test/nn/fixtures/gen-interop.py makes of torch.onnx.export's models with the onnx
// package (node names, types, inputs, outputs and attributes; initializer names, dims and types; graph inputs
// and outputs with their shapes).

interface Field {
  no: number;
  wire: number;
  int: bigint;
  bytes: Uint8Array;
}

function fields(b: Uint8Array): Field[] {
  const out: Field[] = [];
  let at = 0;
  const varint = (): bigint => {
    let v = 0n,
      shift = 0n;
    for (;;) {
      if (at >= b.length) throw new Error('onnx-summary: truncated varint');
      const byte = b[at++]!;
      v |= BigInt(byte & 0x7f) << shift;
      shift += 7n;
      if (!(byte & 0x80)) return v;
    }
  };
  while (at < b.length) {
    const tag = Number(varint());
    const no = tag >> 3,
      wire = tag & 7;
    let int = 0n,
      bytes = new Uint8Array(0);
    if (wire === 0) int = varint();
    else if (wire === 1 || wire === 5) {
      bytes = b.slice(at, at + (wire === 1 ? 8 : 4));
      at += bytes.length;
    } else if (wire === 2) {
      const n = Number(varint());
      bytes = b.slice(at, at + n);
      at += n;
    } else throw new Error(`onnx-summary: wire type ${wire}`);
    out.push({ no, wire, int, bytes });
  }
  if (at !== b.length) throw new Error('onnx-summary: message overruns its bytes');
  return out;
}

const text = (f: Field) => new TextDecoder().decode(f.bytes);
const all = (fs: Field[], no: number) => fs.filter((f) => f.no === no);
const one = (fs: Field[], no: number) => all(fs, no)[0];
const int = (f: Field | undefined) => (f ? Number(BigInt.asIntN(64, f.int)) : 0);

function tensor(b: Uint8Array) {
  const fs = fields(b);
  const dims = all(fs, 1).map(int),
    dataType = int(one(fs, 2)),
    raw = one(fs, 9)?.bytes ?? new Uint8Array(0);
  const copy = raw.slice().buffer;
  const values =
    dataType === 1
      ? Array.from(new Float32Array(copy))
      : dataType === 11
        ? Array.from(new Float64Array(copy))
        : Array.from(new BigInt64Array(copy), Number);
  return { name: one(fs, 8) ? text(one(fs, 8)!) : '', dims, dataType, values };
}

function attr(b: Uint8Array): [string, unknown] {
  const fs = fields(b);
  const name = text(one(fs, 1)!),
    type = int(one(fs, 20));
  if (type === 1) return [name, new DataView(one(fs, 2)!.bytes.buffer).getFloat32(0, true)];
  if (type === 2) return [name, int(one(fs, 3))];
  if (type === 7) return [name, all(fs, 8).map(int)];
  if (type === 4) {
    const { dims, dataType, values } = tensor(one(fs, 5)!.bytes);
    return [name, { dims, dataType, values }];
  }
  throw new Error(`onnx-summary: attribute type ${type}`);
}

function valueInfo(b: Uint8Array) {
  const fs = fields(b);
  const tt = fields(one(fields(one(fs, 2)!.bytes), 1)!.bytes);
  const dims = all(fields(one(tt, 2)!.bytes), 1).map((d) => {
    const df = fields(d.bytes);
    return one(df, 2) ? text(one(df, 2)!) : int(one(df, 1));
  });
  return { name: text(one(fs, 1)!), elemType: int(one(tt, 1)), shape: dims };
}

/** The same summary as gen-interop.py's summary(). */
export function onnxSummary(bytes: Uint8Array) {
  const m = fields(bytes);
  const g = fields(one(m, 7)!.bytes);
  return {
    irVersion: int(one(m, 1)),
    opset: all(m, 8).map((o) => {
      const fs = fields(o.bytes);
      return { domain: one(fs, 1) ? text(one(fs, 1)!) : '', version: int(one(fs, 2)) };
    }),
    nodes: all(g, 1).map((n) => {
      const fs = fields(n.bytes);
      return {
        name: text(one(fs, 3)!),
        op: text(one(fs, 4)!),
        inputs: all(fs, 1).map(text),
        outputs: all(fs, 2).map(text),
        attrs: Object.fromEntries(all(fs, 5).map((a) => attr(a.bytes))),
      };
    }),
    initializers: all(g, 5).map((t) => {
      const { name, dims, dataType } = tensor(t.bytes);
      return { name, dims, dataType };
    }),
    inputs: all(g, 11).map((v) => valueInfo(v.bytes)),
    outputs: all(g, 12).map((v) => valueInfo(v.bytes)),
  };
}

/** The initializers' values by name (for checking they hold the state dict). */
export function onnxInitializers(bytes: Uint8Array): Record<string, { dims: number[]; values: number[] }> {
  const g = fields(one(fields(bytes), 7)!.bytes);
  return Object.fromEntries(
    all(g, 5).map((t) => {
      const { name, dims, values } = tensor(t.bytes);
      return [name, { dims, values }];
    }),
  );
}

/** The model's metadata_props. */
export function onnxMetadata(bytes: Uint8Array): Record<string, string> {
  return Object.fromEntries(
    all(fields(bytes), 14).map((e) => {
      const fs = fields(e.bytes);
      return [text(one(fs, 1)!), text(one(fs, 2)!)];
    }),
  );
}
