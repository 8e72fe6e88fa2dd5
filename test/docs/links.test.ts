import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type ResultsDoc, readmeTargets, withBlock } from '../../bench/lib/report.js';

/* The README and the pages under docs/ link to each other and to files of the repository: every
   relative link must lead to a file that exists, and an anchor to a heading of that page. The
   benchmark page's results block is what `pnpm bench` last wrote to bench/results/latest.md. */

const root = resolve(__dirname, '../..');
const pages = [
  'README.md',
  ...readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];
const text = (page: string): string => readFileSync(join(root, page), 'utf8');
// GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens.
const anchors = (md: string): string[] =>
  [...md.matchAll(/^#+ (.+)$/gm)].map((m) =>
    m[1]!
      .toLowerCase()
      .replace(/[^\p{L}\p{N} _-]/gu, '')
      .replace(/ /g, '-'),
  );

describe('README and docs/ pages', () => {
  it('link only to files and headings that exist', () => {
    const broken: string[] = [];
    for (const page of pages) {
      const md = text(page).replace(/```[\s\S]*?```/g, '');
      for (const m of md.matchAll(/\]\(([^)\s]+)\)/g)) {
        const href = m[1]!;
        if (/^[a-z]+:/.test(href)) continue; // http(s), mailto
        const [file, anchor] = href.split('#') as [string, string | undefined];
        const target = file ? join(root, dirname(page), file) : join(root, page);
        if (!existsSync(target)) broken.push(`${page}: ${href} (no such file)`);
        else if (anchor && target.endsWith('.md') && !anchors(readFileSync(target, 'utf8')).includes(anchor))
          broken.push(`${page}: ${href} (no such heading)`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('list every example directory in the README', () => {
    const readme = text('README.md');
    const examples = readdirSync(join(root, 'examples'), { withFileTypes: true })
      .filter((d) => d.isDirectory() && !['lib', 'node_modules'].includes(d.name))
      .map((d) => d.name);
    expect(examples.length).toBeGreaterThanOrEqual(7);
    for (const name of examples) expect(readme).toMatch(new RegExp(`^\\| ${name} \\|`, 'm'));
  });

  it('show in docs/benchmarks.md the results bench/results/latest.md holds, and its targets in the README', () => {
    const page = text('docs/benchmarks.md');
    const latest = text('bench/results/latest.md');
    expect(withBlock(page, 'latest', latest)).toBe(page);
    expect(page).toContain(latest.trim().split('\n')[0]!);
    const readme = text('README.md');
    const doc = JSON.parse(text('bench/results/latest.json')) as ResultsDoc;
    expect(withBlock(readme, 'targets', readmeTargets(doc))).toBe(readme);
    expect(withBlock('a\n<!-- bench:latest -->\nold\n<!-- /bench:latest -->\nb', 'latest', 'new\n')).toBe(
      'a\n<!-- bench:latest -->\nnew\n<!-- /bench:latest -->\nb',
    );
    expect(() => withBlock('no block', 'latest', 'x')).toThrow(/withBlock: the page has no <!-- bench:latest -->/);
  });
});
