// The examples' one command-line parser: `--name value` or `--name=value` for options, `--name` for
// switches, `--help` (or `-h`) for the usage text. Anything else (an unknown flag, a stray word, a
// missing or malformed value) is an error that names the flag and shows the usage, so a typo never
// starts a run with the defaults.

/** One option: a switch, an integer (with its least value) or a path. */
export type Option =
  | { kind: 'switch'; help: string }
  | { kind: 'int'; arg: string; help: string; min: number }
  | { kind: 'path'; arg: string; help: string };

/** What an example accepts: how it is run, one line on what it does, its options by name. */
export interface Spec<O extends Record<string, Option>> {
  command: string;
  about: string;
  options: O;
}

/** Parsed values: a switch is true when given, other options hold their value when given. */
export type Values<O extends Record<string, Option>> = {
  [K in keyof O]?: O[K] extends { kind: 'switch' } ? true : O[K] extends { kind: 'int' } ? number : string;
};

/** A command line the spec does not accept; `message` names the flag at fault. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/**
 * The usage text: the command, what it does, each option with its argument, and --help.
 * @example usage({ command: 'x.ts', about: 'does x', options: { quick: { kind: 'switch', help: 'fewer epochs' } } });
 */
export function usage<O extends Record<string, Option>>(spec: Spec<O>): string {
  const rows = Object.entries(spec.options).map(([name, o]) => [
    `--${name}${o.kind === 'switch' ? '' : ` ${o.arg}`}`,
    o.help,
  ]);
  rows.push(['--help', 'print this help and exit']);
  const w = Math.max(...rows.map((r) => r[0]!.length));
  return [
    `usage: ${spec.command}${Object.keys(spec.options).length ? ' [options]' : ''}`,
    '',
    spec.about,
    '',
    'options:',
    ...rows.map(([flag, help]) => `  ${flag!.padEnd(w)}  ${help}`),
    '',
  ].join('\n');
}

/**
 * Parses `argv` (without node and the script) against the spec: 'help' when --help or -h is among
 * them, the values otherwise; throws a UsageError naming the flag for anything it does not accept.
 * @example parseArgs(['--classes', '5'], spec); // { classes: 5 }
 */
export function parseArgs<O extends Record<string, Option>>(
  argv: readonly string[],
  spec: Spec<O>,
): Values<O> | 'help' {
  if (argv.includes('--help') || argv.includes('-h')) return 'help';
  const out: Record<string, string | number | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]!;
    if (!word.startsWith('--')) throw new UsageError(`unexpected argument "${word}" (every option is a --flag)`);
    const eq = word.indexOf('=');
    const name = word.slice(2, eq < 0 ? undefined : eq);
    const opt = Object.hasOwn(spec.options, name) ? spec.options[name] : undefined;
    if (!opt) throw new UsageError(`unknown option --${name}`);
    if (opt.kind === 'switch') {
      if (eq >= 0) throw new UsageError(`--${name} takes no value, got "${word.slice(eq + 1)}"`);
      out[name] = true;
      continue;
    }
    let text: string | undefined;
    if (eq >= 0) text = word.slice(eq + 1);
    else if (i + 1 < argv.length && !argv[i + 1]!.startsWith('--')) text = argv[++i];
    if (text === undefined || text === '') throw new UsageError(`--${name} needs a value: --${name} ${opt.arg}`);
    if (opt.kind === 'path') {
      out[name] = text;
    } else {
      const v = Number(text);
      if (!/^[+-]?\d+$/.test(text.trim()) || !Number.isSafeInteger(v) || v < opt.min)
        throw new UsageError(`--${name} must be an integer ≥ ${opt.min}, got "${text}"`);
      out[name] = v;
    }
  }
  return out as Values<O>;
}

/** Where the command line's outcome goes (the process by default; tests pass their own). */
export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
  exit: (code: number) => void;
}

const processIo: Io = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  exit: (code) => {
    process.exitCode = code;
  },
};

/**
 * Runs an example from its command line: --help prints the usage and runs nothing (exit code 0);
 * a command line the spec rejects prints the error and the usage to stderr (exit code 2);
 * otherwise `run` gets the values.
 * @example await cli(spec, (v) => runSpiral({ classes: v.classes }));
 */
export async function cli<O extends Record<string, Option>>(
  spec: Spec<O>,
  run: (values: Values<O>) => unknown,
  argv: readonly string[] = process.argv.slice(2),
  io: Io = processIo,
): Promise<void> {
  let values: Values<O> | 'help';
  try {
    values = parseArgs(argv, spec);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.err(`error: ${e.message}\n\n${usage(spec)}`);
    io.exit(2);
    return;
  }
  if (values === 'help') {
    io.out(usage(spec));
    io.exit(0);
    return;
  }
  if (io === processIo) endQuietlyWhenStdoutCloses();
  await run(values);
}

/**
 * A reader that stops early (`pnpm demo | head`) closes the pipe; the next write then fails with EPIPE, which
 * Node raises as an unhandled 'error' event with a stack trace. As other command-line tools do, the example
 * ends there, quietly, with exit code 0: nobody is reading the rest. Any other error on stdout is rethrown.
 */
function endQuietlyWhenStdoutCloses(): void {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    process.exit(0);
  });
}
