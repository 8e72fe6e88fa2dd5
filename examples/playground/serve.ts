// Builds the playground with esbuild and serves it on 127.0.0.1, or writes it as a static folder.
//
//   pnpm playground                 build, serve, print the address (PORT=… or --port … to choose; default 8080)
//   pnpm playground build [dir]     write a static folder (default examples/playground/dist) that also
//                                   works opened from disk (file://): one classic script, the worker inlined
import { type BuildOptions, type Plugin, build } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const src = join(here, 'src');
/** Where `pnpm playground build` writes by default (examples/playground/dist, git-ignored). */
export const DEFAULT_OUT = join(here, 'dist');

const common: BuildOptions = {
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: 'es2022',
  conditions: ['source'],
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
  write: false,
};

/**
 * Bundles the pages into `outDir`: index.html, style.css and app.js, and the derivation page (derive.html and
 * derive.js). The worker is bundled first
 * and handed to the page as text (module 'playground:worker-source'), so the page starts it from a
 * Blob: no second file to fetch and no module worker, which is what keeps file:// working.
 */
export async function buildPlayground(outDir = DEFAULT_OUT): Promise<string> {
  const worker = await build({ ...common, entryPoints: [join(src, 'worker.ts')] });
  const workerCode = worker.outputFiles![0]!.text;
  const inlineWorker: Plugin = {
    name: 'inline-worker',
    setup(b) {
      b.onResolve({ filter: /^playground:worker-source$/ }, (a) => ({ path: a.path, namespace: 'inline-worker' }));
      b.onLoad({ filter: /.*/, namespace: 'inline-worker' }, () => ({
        contents: `export default ${JSON.stringify(workerCode)};`,
        loader: 'js',
      }));
    },
  };
  mkdirSync(outDir, { recursive: true });
  await build({
    ...common,
    write: true,
    entryPoints: [join(src, 'main.ts')],
    outfile: join(outDir, 'app.js'),
    plugins: [inlineWorker],
  });
  // The derivation page beside the playground: a second classic script (it needs no worker).
  await build({ ...common, write: true, entryPoints: [join(src, 'derive.ts')], outfile: join(outDir, 'derive.js') });
  for (const f of ['index.html', 'derive.html', 'style.css', 'layout.css', 'views.css'])
    copyFileSync(join(src, f), join(outDir, f));
  return outDir;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
};

/** Serves `dir` on host:port (port 0: any free port; a busy port moves on to the next few). */
export function serveDir(dir: string, port = 8080, host = '127.0.0.1'): Promise<{ server: Server; url: string }> {
  const root = resolve(dir);
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    let file = normalize(join(root, path));
    if (file !== root && !file.startsWith(root + sep)) {
      res.writeHead(403).end('forbidden');
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-store',
    });
    res.end(readFileSync(file));
  });
  return new Promise((ok, fail) => {
    let tries = 0;
    const listen = (p: number): void => {
      server.once('error', (e: NodeJS.ErrnoException) => {
        if (e.code === 'EADDRINUSE' && p !== 0 && tries++ < 20) listen(p + 1);
        else fail(e);
      });
      server.listen(p, host, () => {
        const addr = server.address();
        const actual = typeof addr === 'object' && addr ? addr.port : p;
        ok({ server, url: `http://${host}:${actual}/` });
      });
    };
    listen(port);
  });
}

async function main(argv: string[]): Promise<void> {
  if (argv[0] === 'build') {
    const out = await buildPlayground(resolve(argv[1] ?? DEFAULT_OUT));
    console.log(`Built the playground into ${out}`);
    console.log(`Open ${pathToFileURL(join(out, 'index.html')).href} in a browser (no server needed).`);
    return;
  }
  const i = argv.indexOf('--port');
  const port = i >= 0 ? Number(argv[i + 1]) : Number(process.env.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new RangeError(`playground: --port must be an integer in [0, 65535], got ${argv[i + 1] ?? process.env.PORT}`);
  const out = await buildPlayground();
  const { url } = await serveDir(out, port);
  console.log(`xent playground: ${url}`);
  console.log('(Ctrl+C to stop)');
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
