import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { breastCancerCli } from '../../examples/breast-cancer/main.js';
import { ceVsMseCli } from '../../examples/ce-vs-mse/main.js';
import { demoCli } from '../../examples/demo.js';
import { deriveCli } from '../../examples/derive-softmax-ce/main.js';
import { digitsCli } from '../../examples/digits/main.js';
import { type Io, type Option, type Spec, UsageError, cli, parseArgs, usage } from '../../examples/lib/args.js';
import { microgradCli } from '../../examples/micrograd/main.js';
import { exportCli } from '../../examples/export/main.js';
import { spiralCli } from '../../examples/spiral/main.js';

const root = resolve(__dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'xent-args-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const spec = {
  command: 'node x.ts',
  about: 'Does x.',
  options: {
    classes: { kind: 'int', arg: '<K>', min: 2, help: 'number of classes' },
    quick: { kind: 'switch', help: 'fewer epochs' },
    out: { kind: 'path', arg: '<dir>', help: 'where files go' },
  },
} satisfies Spec<Record<string, Option>>;

/** Runs cli() with a recording io; returns what it printed, the exit code and what run() got. */
async function run(argv: string[]): Promise<{ out: string; err: string; code: number | null; got: unknown }> {
  let out = '',
    err = '',
    code: number | null = null,
    got: unknown = undefined;
  const io: Io = { out: (s) => (out += s), err: (s) => (err += s), exit: (c) => (code = c) };
  await cli(spec, (v) => (got = v), argv, io);
  return { out, err, code, got };
}

describe('examples/lib/args: the examples’ one command-line parser', () => {
  it('parses options, switches and --name=value', () => {
    expect(parseArgs([], spec)).toEqual({});
    expect(parseArgs(['--classes', '5', '--quick', '--out', 'a b'], spec)).toEqual({
      classes: 5,
      quick: true,
      out: 'a b',
    });
    expect(parseArgs(['--classes=4', '--out=x'], spec)).toEqual({ classes: 4, out: 'x' });
  });

  it('rejects what it does not know, naming the flag', () => {
    const bad: [string[], RegExp][] = [
      [['--bogus'], /^unknown option --bogus$/],
      [['--classes', 'abc'], /^--classes must be an integer ≥ 2, got "abc"$/],
      [['--classes', '1'], /^--classes must be an integer ≥ 2, got "1"$/],
      [['--classes', '2.5'], /--classes must be an integer/],
      [['--classes'], /^--classes needs a value: --classes <K>$/],
      [['--out', '--quick'], /^--out needs a value/],
      [['--quick=yes'], /^--quick takes no value, got "yes"$/],
      [['out.svg'], /^unexpected argument "out.svg"/],
      [['--constructor'], /^unknown option --constructor$/], // no prototype keys
    ];
    for (const [argv, message] of bad) {
      expect(() => parseArgs(argv, spec), argv.join(' ')).toThrow(UsageError);
      expect(() => parseArgs(argv, spec), argv.join(' ')).toThrow(message);
    }
  });

  it('--help (or -h) wins over everything else, even bad flags', () => {
    expect(parseArgs(['--help'], spec)).toBe('help');
    expect(parseArgs(['--bogus', '-h'], spec)).toBe('help');
  });

  it('prints the usage on --help and runs nothing; prints error and usage on bad input, exit code 2', async () => {
    const help = await run(['--help']);
    expect(help).toEqual({ out: usage(spec), err: '', code: 0, got: undefined });
    expect(help.out).toBe(
      [
        'usage: node x.ts [options]',
        '',
        'Does x.',
        '',
        'options:',
        '  --classes <K>  number of classes',
        '  --quick        fewer epochs',
        '  --out <dir>    where files go',
        '  --help         print this help and exit',
        '',
      ].join('\n'),
    );
    const bad = await run(['--classes', 'abc']);
    expect(bad).toEqual({
      out: '',
      err: `error: --classes must be an integer ≥ 2, got "abc"\n\n${usage(spec)}`,
      code: 2,
      got: undefined,
    });
    expect(await run(['--classes', '3'])).toEqual({ out: '', err: '', code: null, got: { classes: 3 } });
  });
});

// Every example, as a teacher would run it: --help prints its usage and trains nothing; an unknown
// flag is refused with the usage. The processes run side by side.
const exec = promisify(execFile);
const examples: [string, Spec<Record<string, Option>>][] = [
  ['demo.ts', demoCli],
  ['spiral/main.ts', spiralCli],
  ['digits/main.ts', digitsCli],
  ['breast-cancer/main.ts', breastCancerCli],
  ['ce-vs-mse/main.ts', ceVsMseCli],
  ['derive-softmax-ce/main.ts', deriveCli],
  ['micrograd/main.ts', microgradCli],
  ['export/main.ts', exportCli],
];
type Outcome = { code: number; stdout: string; stderr: string };
const node = (args: string[]): Promise<Outcome> =>
  exec(process.execPath, ['--conditions=source', '--import', 'tsx', ...args], { cwd: root, encoding: 'utf8' }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );

describe('every example’s command line', () => {
  it('--help prints the usage and exits 0 without training or writing; unknown flags exit 2 with the usage', async () => {
    const runs = await Promise.all(
      examples.flatMap(([ex, spec]) => {
        const out = join(dir, ex.replace(/\W/g, '-'));
        return [
          node([`examples/${ex}`, '--out', out, '--help']).then((r) => ({ ex, spec, kind: 'help', r, out })),
          // The refusal goes through the same cli() call: two examples show it end to end.
          ...(['spiral/main.ts', 'ce-vs-mse/main.ts'].includes(ex)
            ? [node([`examples/${ex}`, '--bogus']).then((r) => ({ ex, spec, kind: 'bogus', r, out }))]
            : []),
        ];
      }),
    );
    for (const { ex, spec, kind, r, out } of runs) {
      expect(spec.command, ex).toContain(`examples/${ex}`);
      if (kind === 'help') {
        expect(r.code, ex).toBe(0);
        expect(r.stdout, ex).toBe(usage(spec)); // the usage and nothing else: no training output
        expect(r.stderr, ex).toBe('');
        expect(existsSync(out), ex).toBe(false);
      } else {
        expect(r.code, ex).toBe(2);
        expect(r.stdout, ex).toBe('');
        expect(r.stderr, ex).toBe(`error: unknown option --bogus\n\n${usage(spec)}`);
      }
    }
  }, 180_000);

  it('spiral --classes abc blames --classes, not a data-set argument', async () => {
    const r = await node(['examples/spiral/main.ts', '--classes', 'abc']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: --classes must be an integer ≥ 2, got "abc"/);
    expect(r.stderr).not.toMatch(/\bn\b must/);
  });
});

it('an example whose reader stops early (`pnpm demo | head -1`) ends quietly with exit code 0, no EPIPE trace', async () => {
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', 'examples/micrograd/main.ts'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  // Read the first chunk, then close the pipe as `head -1` does; the example goes on writing.
  await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
  child.stdout.destroy();
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  expect(stderr).not.toContain('EPIPE');
  expect(stderr).toBe('');
  expect(code).toBe(0);
}, 60_000);
