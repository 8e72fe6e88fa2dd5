// A small PNG reader for the rendering tests (not a test file itself): 8-bit greyscale, RGB, grey +
// alpha or RGBA, not interlaced, which is what rsvg-convert, ImageMagick's PNG32 and Chromium's
// screenshots write. Pixels come back as RGB over white.
import { inflateSync } from 'node:zlib';

/** A decoded image: width, height and RGB bytes, row-major. */
export interface Image {
  width: number;
  height: number;
  rgb: Uint8Array;
}

/** Decodes a PNG file's bytes. @example const img = readPng(readFileSync('a.png')); */
export function readPng(bytes: Uint8Array): Image {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0) !== 0x89504e47) throw new Error('readPng: not a PNG');
  let width = 0,
    height = 0,
    colourType = 0;
  const idat: Uint8Array[] = [];
  for (let at = 8; at < bytes.length;) {
    const len = view.getUint32(at),
      type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
    const data = bytes.subarray(at + 8, at + 8 + len);
    if (type === 'IHDR') {
      const d = new DataView(data.buffer, data.byteOffset, data.byteLength);
      width = d.getUint32(0);
      height = d.getUint32(4);
      colourType = data[9]!;
      if (data[8] !== 8 || data[12] !== 0)
        throw new Error(`readPng: bit depth ${data[8]}, interlace ${data[12]} not supported`);
    } else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') break;
    at += 12 + len;
  }
  const channels = ({ 0: 1, 2: 3, 4: 2, 6: 4 } as Record<number, number>)[colourType];
  if (!channels) throw new Error(`readPng: colour type ${colourType} not supported`);
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const px = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const src = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const row = px.subarray(y * stride, (y + 1) * stride);
    const up = y ? px.subarray((y - 1) * stride, y * stride) : new Uint8Array(stride);
    for (let i = 0; i < stride; i++) {
      const a = i >= channels ? row[i - channels]! : 0,
        b = up[i]!,
        c = i >= channels ? up[i - channels]! : 0;
      let pred = 0;
      if (filter === 1) pred = a;
      else if (filter === 2) pred = b;
      else if (filter === 3) pred = (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c,
          pa = Math.abs(p - a),
          pb = Math.abs(p - b),
          pc = Math.abs(p - c);
        pred = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      row[i] = (src[i]! + pred) & 255;
    }
  }
  const rgb = new Uint8Array(width * height * 3);
  for (let i = 0; i < width * height; i++) {
    const s = px.subarray(i * channels, (i + 1) * channels);
    const grey = channels < 3;
    const alpha = channels === 2 ? s[1]! : channels === 4 ? s[3]! : 255;
    for (let c = 0; c < 3; c++) {
      const v = grey ? s[0]! : s[c]!;
      rgb[i * 3 + c] = Math.round((v * alpha + 255 * (255 - alpha)) / 255); // over white
    }
  }
  return { width, height, rgb };
}

/** The RGB of the pixel at (x, y), rounded to the nearest pixel. */
export function pixel(img: Image, x: number, y: number): [number, number, number] {
  const i = (Math.round(y) * img.width + Math.round(x)) * 3;
  return [img.rgb[i]!, img.rgb[i + 1]!, img.rgb[i + 2]!];
}

/** Largest channel difference between two colours (#rrggbb or RGB). */
export function colourDistance(a: string | readonly number[], b: string | readonly number[]): number {
  const rgb = (c: string | readonly number[]): readonly number[] =>
    typeof c === 'string' ? [1, 3, 5].map((i) => parseInt(c.slice(i, i + 2), 16)) : c;
  const [p, q] = [rgb(a), rgb(b)];
  return Math.max(...p.map((v, i) => Math.abs(v - q[i]!)));
}
