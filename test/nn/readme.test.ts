import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/* The README's quick start must run exactly as printed: each ```ts block of the quickstart section is
   written to a file and run as the examples are; every `console.log(…); // value…` line must print
   what its comment says (… stands for more digits). */

const root = resolve(__dirname, '../..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const section = readme.slice(
  readme.indexOf('<!-- section:quickstart -->'),
  readme.indexOf('<!-- /section:quickstart -->'),
);
const blocks = [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
// Inside the repository, so that '@xent/nn' resolves as it does for the examples (node_modules/.cache:
// ignored by git and by tsc, should a run be interrupted before the clean-up).
mkdirSync(join(root, 'node_modules', '.cache'), { recursive: true });
const dir = mkdtempSync(join(root, 'node_modules', '.cache', 'xent-readme-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('README quick start', () => {
  it('has code blocks that import what they use', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(2);
    for (const code of blocks) expect(code).toMatch(/^import .* from '@xent\/nn';$/m);
  });

  blocks.forEach((code, i) => {
    it(`block ${i + 1} runs as printed and prints what its comments say`, () => {
      const file = join(dir, `block-${i + 1}.ts`);
      writeFileSync(file, code);
      const out = execFileSync(process.execPath, ['--conditions=source', '--import', 'tsx', file], {
        cwd: root,
        encoding: 'utf8',
      });
      // "0.933…" stands for 0.933 and more digits.
      const promised = [...code.matchAll(/console\.log\(.*\);\s*\/\/ (.+)$/gm)].map(
        (m) =>
          new RegExp(
            m[1]!
              .trim()
              .split('…')
              .map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
              .join('\\S*'),
          ),
      );
      expect(promised.length).toBeGreaterThan(0);
      for (const p of promised) expect(out).toMatch(p);
    });
  });
});
