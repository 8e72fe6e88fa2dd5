// The committed wasm module is what the AssemblyScript sources build to, byte for byte, and it loads.
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { RELAXED_WASM, SIMD_WASM } from '../../../packages/core/src/kernels/wasm/generated/wasm-bytes.js';
import { decodeBase64 } from '../../../packages/core/src/kernels/wasm/instance.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');

describe('the generated wasm module', () => {
  it('is a fresh build of packages/core/wasm (pnpm build:wasm --check)', () => {
    const out = execFileSync(process.execPath, [join(root, 'scripts/build-wasm.mjs'), '--check'], {
      encoding: 'utf8',
    });
    expect(out).toContain('up to date');
  });

  it('decodes to the same bytes as Buffer, and the SIMD build validates in Node 20', () => {
    for (const text of [SIMD_WASM, RELAXED_WASM]) {
      const bytes = decodeBase64(text);
      expect(Buffer.from(bytes).equals(Buffer.from(text, 'base64'))).toBe(true);
      expect([...bytes.subarray(0, 4)]).toEqual([0, 0x61, 0x73, 0x6d]); // \0asm
    }
    expect(WebAssembly.validate(decodeBase64(SIMD_WASM))).toBe(true);
  });

  it('decodes base64 of every length (padding 0, 1, 2) as Buffer does', () => {
    for (let n = 0; n < 20; n++) {
      const b = Buffer.from(Array.from({ length: n }, (_, i) => (i * 37 + 11) & 255));
      expect(Buffer.from(decodeBase64(b.toString('base64'))).equals(b)).toBe(true);
    }
  });
});
