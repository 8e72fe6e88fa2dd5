import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/* Every ```ts block of the README (all sections; test/nn/readme.test.ts also checks the quick
   start's printed values) must type-check under the project's strict settings, unused imports
   included, and run to completion as the examples do. */

const root = resolve(__dirname, '../..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
// Inside the repository so that '@xent/*' resolve as for the examples (node_modules/.cache is
// ignored by git and tsc, should a run be interrupted before the clean-up).
mkdirSync(join(root, 'node_modules', '.cache'), { recursive: true });
const dir = mkdtempSync(join(root, 'node_modules', '.cache', 'xent-readme-blocks-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
// Each block is a module of its own (a trailing export keeps top-level names apart).
const files = blocks.map((code, i) => {
  const file = join(dir, `block-${i + 1}.ts`);
  writeFileSync(file, `${code}\nexport {};\n`);
  return file;
});

describe('README code blocks', () => {
  it('are there, each importing what it uses from a xent package', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(5);
    for (const code of blocks) expect(code).toMatch(/^import .* from '@xent\/(core|nn)';$/m);
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
    expect(output).toBe('');
  });

  files.forEach((file, i) => {
    it(`block ${i + 1} runs to completion`, () => {
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
