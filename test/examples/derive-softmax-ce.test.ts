// Runs the derivation example as the README says and checks its printed numbers against values
// worked out here from Math.exp alone.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { walkthrough } from '../../examples/derive-softmax-ce/main.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
let sections: string[] = [];

const softmaxRow = (z: number[]): number[] => {
  const e = z.map(Math.exp);
  const s = e.reduce((a, b) => a + b);
  return e.map((v) => v / s);
};
const numbers = (line: string): number[] =>
  (
    line
      .split(':')
      .slice(1)
      .join(':')
      .match(/-?\d+\.\d+(e[-+]\d+)?/g) ?? []
  ).map(Number);
const lines = (sec: string, label: string): string[] => sec.split('\n').filter((l) => l.trimStart().startsWith(label));
const near = (got: number[], want: number[], tol = 1e-6): void => {
  expect(got.length).toBe(want.length);
  got.forEach((g, i) => expect(Math.abs(g - want[i]!), `${g} vs ${want[i]}`).toBeLessThanOrEqual(tol));
};

describe('examples/derive-softmax-ce', () => {
  beforeAll(() => {
    const out = execFileSync(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', 'examples/derive-softmax-ce/main.ts'],
      { cwd: root, encoding: 'utf8' },
    );
    sections = out.split(/\n(?=\d\. )/).slice(1);
  }, 120_000);

  const z0 = [2, 1, 0.1],
    z1 = [0.5, -1, 1.5];
  const p0 = softmaxRow(z0),
    p1 = softmaxRow(z1);
  const nl0 = p0.map((v) => -Math.log(v)),
    nl1 = p1.map((v) => -Math.log(v));

  it('prints three sections: plain, label smoothing, class weights', () => {
    expect(sections).toHaveLength(3);
    expect(sections[1]).toMatch(/label smoothing ε = 0.1/);
    expect(sections[2]).toMatch(/class weights w = \[1, 2, 0.5\]/);
  });

  it('every section walks forward then backward, in the order of the derivation', () => {
    const order = [
      'logits z',
      'softmax p',
      'loss L',
      'target t',
      'softmax Jacobian',
      '∂L/∂p',
      'chain rule',
      'fused op',
      'central differences',
      'largest disagreement',
    ];
    for (const s of sections) {
      const at = order.map((label) => s.split('\n').findIndex((l) => l.trimStart().startsWith(label)));
      expect(at.every((v) => v >= 0)).toBe(true);
      expect(at).toEqual([...at].sort((a, b) => a - b));
    }
    const first = sections[0]!.split('\n').map((l) => l.trimStart());
    expect(first.findIndex((l) => l.startsWith('−log p_y'))).toBeLessThan(
      first.findIndex((l) => l.startsWith('softmax Jacobian')),
    );
  });

  it('section 1: logits, softmax, −log p_y, the Jacobian diag(p) − ppᵀ, −y/p, p − y', () => {
    const s = sections[0]!;
    near(numbers(lines(s, 'logits z')[0]!), z0);
    near(numbers(lines(s, 'softmax p')[0]!), p0);
    near(numbers(lines(s, 'loss L')[0]!), [nl0[0]!]);
    near(numbers(lines(s, '−log p_y')[0]!), [nl0[0]!]);
    const J = s
      .split('\n')
      .filter((l) => /^ {6}\[/.test(l))
      .map((l) => (l.match(/-?\d+\.\d+/g) ?? []).map(Number));
    near(
      J.flat(),
      p0.flatMap((a, i) => p0.map((b, j) => (i === j ? a : 0) - a * b)),
    );
    near(numbers(lines(s, '∂L/∂p')[0]!), [-1 / p0[0]!, 0, 0]);
    const pMinusY = [p0[0]! - 1, p0[1]!, p0[2]!];
    for (const label of ['chain rule', 'fused op', 'central differences']) near(numbers(lines(s, label)[0]!), pMinusY);
  });

  it('section 2: smoothed target (1 − ε)·onehot + ε/C and p − t', () => {
    const s = sections[1]!,
      t = [0.9 + 0.1 / 3, 0.1 / 3, 0.1 / 3];
    near(numbers(lines(s, 'target t')[0]!), t);
    near(numbers(lines(s, 'loss L')[0]!), [0.9 * nl0[0]! + (0.1 / 3) * (nl0[0]! + nl0[1]! + nl0[2]!)]);
    near(
      numbers(lines(s, '∂L/∂p')[0]!),
      t.map((v, c) => -v / p0[c]!),
    );
    for (const label of ['chain rule', 'fused op', 'central differences'])
      near(
        numbers(lines(s, label)[0]!),
        p0.map((v, c) => v - t[c]!),
      );
  });

  it('section 3: class weights, mean over Σ w_y = 3', () => {
    const s = sections[2]!;
    near(numbers(lines(s, 'loss L')[0]!), [(1 * nl0[0]! + 2 * nl1[1]!) / 3]);
    const want = [p0.map((v, c) => (v - (c === 0 ? 1 : 0)) / 3), p1.map((v, c) => (2 * (v - (c === 1 ? 1 : 0))) / 3)];
    for (const label of ['chain rule', 'fused op', 'central differences']) {
      const ls = lines(s, label);
      expect(ls).toHaveLength(2);
      ls.forEach((l, i) => near(numbers(l), want[i]!));
    }
  });

  it('every section reports a tiny largest disagreement and an exact Jacobian', () => {
    for (const s of sections) {
      expect(numbers(lines(s, 'largest disagreement')[0]!)[0]!).toBeLessThan(1e-9);
      expect(numbers(lines(s, 'Jacobian vs')[0]!)[0]!).toBeLessThan(1e-15);
    }
    // and at full precision through the exported function
    for (const step of walkthrough()) expect(step.disagreement).toBeLessThan(1e-9);
  });
});
