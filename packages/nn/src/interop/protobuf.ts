/* A minimal protocol-buffers writer: the four wire types ONNX needs (varint, 64-bit, length-delimited,
   32-bit), enough to write ModelProto and its parts by field number. Writing only, no schema: onnx.ts
   names the fields. See https://protobuf.dev/programming-guides/encoding/. */

const encoder = new TextEncoder();

/** Wire types: the low three bits of a field's tag. */
const VARINT = 0,
  I64 = 1,
  LEN = 2,
  I32 = 5;

/**
 * Builds one protobuf message field by field; `finish()` returns its bytes. Fields are written in the
 * order the calls are made (parsers accept any order; we follow the field numbers, as protoc does).
 * @example new ProtoWriter().int(1, 7).string(2, 'xent').finish(); // 08 07 12 04 78 65 6e 74
 */
export class ProtoWriter {
  private readonly parts: Uint8Array[] = [];
  private readonly pending: number[] = [];

  private flush(): void {
    if (this.pending.length) this.parts.push(Uint8Array.from(this.pending.splice(0)));
  }

  /** Base-128 varint, low groups first; a negative int64 is its two's complement, so 10 bytes. */
  private varint(v: number | bigint): this {
    if (typeof v === 'number' && !Number.isSafeInteger(v))
      throw new RangeError(`ProtoWriter: ${v} is not an integer that a varint can hold exactly`);
    let x = BigInt.asUintN(64, BigInt(v));
    while (x >= 0x80n) {
      this.pending.push(Number(x & 0x7fn) | 0x80);
      x >>= 7n;
    }
    this.pending.push(Number(x));
    return this;
  }

  private tag(field: number, wire: number): this {
    return this.varint(field * 8 + wire);
  }

  /** An int32/int64/enum/bool field (negative values take 10 bytes, as int64 on the wire). */
  int(field: number, v: number | bigint): this {
    return this.tag(field, VARINT).varint(v);
  }

  /** A `float` field: IEEE single, little-endian. */
  float(field: number, v: number): this {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, v, true);
    this.tag(field, I32);
    this.pending.push(...b);
    return this;
  }

  /** A `double` field: IEEE double, little-endian. */
  double(field: number, v: number): this {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setFloat64(0, v, true);
    this.tag(field, I64);
    this.pending.push(...b);
    return this;
  }

  /** A `bytes` field (the length, then the bytes, not copied until finish). */
  bytes(field: number, b: Uint8Array): this {
    this.tag(field, LEN).varint(b.length);
    this.flush();
    this.parts.push(b);
    return this;
  }

  /** A `string` field, UTF-8. */
  string(field: number, s: string): this {
    return this.bytes(field, encoder.encode(s));
  }

  /** An embedded message field. */
  message(field: number, m: ProtoWriter): this {
    return this.bytes(field, m.finish());
  }

  /** The message's bytes. */
  finish(): Uint8Array {
    this.flush();
    const n = this.parts.reduce((s, p) => s + p.length, 0);
    const out = new Uint8Array(n);
    let at = 0;
    for (const p of this.parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }
}
