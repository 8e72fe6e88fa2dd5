// Builds the package in the current directory: an ESM bundle per entry (esbuild) and .d.ts files (tsc).
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkgDir = process.cwd();
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
const entries = Object.values(pkg.exports).map((e) => e.source);
rmSync(join(pkgDir, 'dist'), { recursive: true, force: true });

await build({
  entryPoints: entries.map((e) => join(pkgDir, e)),
  outdir: join(pkgDir, 'dist'),
  outbase: join(pkgDir, 'src'),
  bundle: true,
  format: 'esm',
  // Entries share modules (the active kernel set, grad mode): one chunk each, not one copy per entry.
  splitting: true,
  platform: 'neutral',
  target: 'es2022',
  conditions: ['source'],
  external: [...Object.keys(pkg.dependencies ?? {}), 'node:*'],
  sourcemap: true,
  logLevel: 'warning',
});

// Declarations: tsc over this package's sources only, emitting into dist/.
const tsconfig = join(pkgDir, 'tsconfig.build.json');
mkdirSync(join(pkgDir, 'dist'), { recursive: true });
writeFileSync(
  tsconfig,
  JSON.stringify(
    {
      extends: relative(pkgDir, join(root, 'tsconfig.base.json')),
      compilerOptions: {
        rootDir: 'src',
        outDir: 'dist',
        emitDeclarationOnly: true,
        declaration: true,
        noEmit: false,
        customConditions: ['source'],
        types: [],
      },
      include: ['src'],
    },
    null,
    2,
  ),
);
try {
  execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', tsconfig], { stdio: 'inherit' });
} finally {
  rmSync(tsconfig, { force: true });
}
console.log(`built ${pkg.name}: ${entries.join(', ')} -> dist/`);
