import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/* Every ```ts block of the README and of every page under docs/ (test/nn/readme.test.ts also checks
   the quick start's printed values) must type-check under the project's strict settings, unused
   imports included, and run to completion as the examples do. */

const root = resolve(__dirname, '../..');
const pages = [
  'README.md',
  ...readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];
const blocks = pages.flatMap((page) =>
  [...readFileSync(join(root, page), 'utf8').matchAll(/```ts\n([\s\S]*?)```/g)].map((m, i) => ({
    page,
    n: i + 1,
    code: m[1]!,
  })),
);
// Inside the repository so that '@xent/*' resolve as for the examples (node_modules/.cache is
// ignored by git and tsc, should a run be interrupted before the clean-up).
mkdirSync(join(root, 'node_modules', '.cache'), { recursive: true });
const dir = mkdtempSync(join(root, 'node_modules', '.cache', 'xent-readme-blocks-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
// Each block is a module of its own (a trailing export keeps top-level names apart).
const files = blocks.map(({ code }, i) => {
  const file = join(dir, `block-${i + 1}.ts`);
  writeFileSync(file, `${code}\nexport {};\n`);
  return file;
});

describe('README and docs/ code blocks', () => {
  it('are there, each importing what it uses from a xent package', () => {
    expect(blocks.filter((b) => b.page === 'README.md').length).toBeGreaterThanOrEqual(2);
    for (const page of ['docs/core.md', 'docs/losses.md', 'docs/nn.md', 'docs/teaching.md'])
      expect(blocks.some((b) => b.page === page)).toBe(true);
    for (const { code } of blocks) expect(code).toMatch(/^import .* from '@xent\/(core|nn)(\/[a-z]+)?';$/m);
  });

  it('type-check with the strict project settings (no unused names)', () => {
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        extends: join(root, 'tsconfig.base.json'),
        compilerOptions: {
          noEmit: true,
          customConditions: ['source'],
          types: ['node'],
          typeRoots: [join(root, 'node_modules/@types')],
        },
        files,
      }),
    );
    let output = '';
    try {
      execFileSync(
        process.execPath,
        [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(dir, 'tsconfig.json')],
        { cwd: root, encoding: 'utf8' },
      );
    } catch (e) {
      output = String((e as { stdout?: string }).stdout ?? e);
    }
    // Name the page and block of each error rather than the temporary file.
    expect(
      output.replace(/block-(\d+)\.ts/g, (_, k: string) => `${blocks[+k - 1]!.page} block ${blocks[+k - 1]!.n}`),
    ).toBe('');
  });

  files.forEach((file, i) => {
    it(`${blocks[i]!.page} block ${blocks[i]!.n} runs to completion`, () => {
      expect(() =>
        execFileSync(process.execPath, ['--conditions=source', '--import', 'tsx', file], {
          cwd: root,
          encoding: 'utf8',
          stdio: 'pipe',
        }),
      ).not.toThrow();
    });
  });
});
