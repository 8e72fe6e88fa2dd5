// Shared by the browser tests (not a test file itself): Debian's chromium driven by playwright-core,
// never a browser download.
import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

/** Debian's chromium, which .ci/run installs when it is missing. */
const CHROMIUM = '/usr/bin/chromium';
export const haveChromium = existsSync(CHROMIUM);

/** Headless, sandbox-free (root), and quiet on a machine whose network is closed. */
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-dev-shm-usage',
];

/** Starts the browser. @example const browser = await launchChromium(); */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}

/**
 * Loads `script` (an IIFE bundle defining the global X) into a blank page and returns what the
 * function body `program` returns there.
 * @example await evaluateInChromium(iife, 'return X.tensor([1]).item();'); // 1
 */
export async function evaluateInChromium(script: string, program: string): Promise<Record<string, unknown>> {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.setContent('<!doctype html><title>xent</title>');
    await page.addScriptTag({ content: script });
    return (await page.evaluate(`(() => { ${program} })()`)) as Record<string, unknown>;
  } finally {
    await browser.close();
  }
}

/**
 * Runs `program` (the body of a function of `X`, the main entries of @xent/core and @xent/nn) in headless
 * Chromium on their browser bundle and in Node on the sources; returns both results.
 */
export async function inBrowserAndNode(
  program: string,
): Promise<{ inBrowser: Record<string, unknown>; inNode: Record<string, unknown> }> {
  const { build } = await import('esbuild');
  const iife = await build({
    stdin: {
      contents: "export * from '@xent/core'; export * from '@xent/nn';",
      resolveDir: new URL('..', import.meta.url).pathname,
      loader: 'ts',
    },
    bundle: true,
    write: false,
    format: 'iife',
    globalName: 'X',
    platform: 'browser',
    conditions: ['source'],
    logLevel: 'silent',
  });
  const inBrowser = await evaluateInChromium(iife.outputFiles[0]!.text, program);
  const X = { ...(await import('@xent/core')), ...(await import('@xent/nn')) };
  const inNode = new Function('X', program)(X) as Record<string, unknown>;
  return { inBrowser, inNode };
}
