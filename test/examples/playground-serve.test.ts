// `pnpm playground` and `pnpm playground build`: the command builds, serves on 127.0.0.1 and prints
// the address; the build mode writes a static folder. No browser needed here.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { serveDir } from '../../examples/playground/serve.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const NODE_ARGS = ['--conditions=source', '--import', 'tsx', 'examples/playground/serve.ts'];

describe('examples/playground/serve.ts', () => {
  const cleanup: (() => void)[] = [];
  afterAll(() => cleanup.forEach((f) => f()));

  it('build mode writes index.html, style.css and one classic script with the worker inlined', () => {
    const out = mkdtempSync(join(tmpdir(), 'xent-pg-build-'));
    cleanup.push(() => rmSync(out, { recursive: true, force: true }));
    const stdout = execFileSync(process.execPath, [...NODE_ARGS, 'build', out], { cwd: ROOT, encoding: 'utf8' });
    expect(stdout).toContain(`Built the playground into ${out}`);
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    // A classic script (module scripts do not load from file://) and nothing fetched from elsewhere.
    expect(html).toContain('<script src="app.js"></script>');
    expect(html).not.toMatch(/type="module"|https?:\/\//);
    expect(existsSync(join(out, 'style.css'))).toBe(true);
    const app = readFileSync(join(out, 'app.js'), 'utf8');
    expect(app.length).toBeGreaterThan(10_000);
    expect(app).not.toMatch(/\bimport\s*\(|^import /m);
  });

  it('serve mode builds, serves on 127.0.0.1 and prints the address', async () => {
    const child: ChildProcess = spawn(process.execPath, [...NODE_ARGS, '--port', '0'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    cleanup.push(() => child.kill());
    const url = await new Promise<string>((ok, fail) => {
      let text = '';
      const timer = setTimeout(() => fail(new Error(`no address printed; output so far: ${text}`)), 30_000);
      child.stdout!.on('data', (d: Buffer) => {
        text += d.toString();
        const m = /xent playground: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(text);
        if (m) {
          clearTimeout(timer);
          ok(m[1]!);
        }
      });
      child.on('exit', (code) => fail(new Error(`serve.ts exited with ${code}: ${text}`)));
    });
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('xent playground');
    const js = await fetch(url + 'app.js');
    expect(js.headers.get('content-type')).toContain('text/javascript');
    expect((await fetch(url + 'nope.js')).status).toBe(404);
    child.kill();
  });

  it('serves only inside its folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xent-pg-serve-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const { server, url } = await serveDir(dir, 0);
    try {
      const res = await fetch(url + '..%2F..%2Fetc%2Fpasswd');
      expect([403, 404]).toContain(res.status);
    } finally {
      server.close();
    }
  });
});
