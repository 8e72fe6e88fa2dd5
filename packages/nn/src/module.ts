import { Tensor, noGrad } from '@xent/core';
import { checkBoolean, checkOptions, quote } from './validate.js';
import { formatShape } from '@xent/core/extend';

/** Up to 10 keys, quoted and cut, then how many more: a message stays short whatever the state dict holds. */
function keyList(keys: readonly string[]): string {
  const shown = keys.slice(0, 10).map((k) => (k.length > 60 ? quote(k, 60) : k));
  return keys.length > 10 ? `${shown.join(', ')} and ${keys.length - 10} more` : shown.join(', ');
}

/**
 * A trainable tensor: a leaf that requires a gradient and that a `Module` finds among its fields.
 * @example this.weight = new Parameter(zeros([3, 2]));
 */
export class Parameter extends Tensor {
  /** Wraps a copy of `t`'s values (so initialisers may fill `t` freely), as PyTorch's nn.Parameter. */
  constructor(t: Tensor, requiresGrad = true) {
    super(t.data.slice(), t.shape, requiresGrad);
  }
}

/** A state dict: parameter name (PyTorch's dotted path) → tensor. Has no prototype, so any key is safe. */
export type StateDict = Record<string, Tensor>;

/**
 * The base of every layer and model. Fields holding a `Module` are its children and fields holding a
 * `Parameter` its parameters, found in declaration order, as PyTorch's attribute registration.
 * @example
 * class Net extends Module {
 *   fc1 = new Linear(2, 16); act = new ReLU(); fc2 = new Linear(16, 3);
 *   forward(x: Tensor) { return this.fc2.forward(this.act.forward(this.fc1.forward(x))); }
 * }
 */
export abstract class Module {
  /** True in training mode (Dropout drops), false after `eval()`. */
  training = true;

  /** The computation: input to output (losses take (input, target)). */
  abstract forward(x: Tensor, ...rest: Tensor[]): Tensor;

  /** Short name shown by `toString()`; layers add their settings. */
  extraRepr(): string {
    return '';
  }

  /**
   * Direct sub-modules with their field names, in declaration order. A field holding an array of
   * modules registers each as 'field.i' (what PyTorch's ModuleList does).
   */
  namedChildren(): [string, Module][] {
    return this.fields(Module);
  }

  /** Direct sub-modules. */
  children(): Module[] {
    return this.namedChildren().map(([, m]) => m);
  }

  /** This module and every module below it, depth-first, with dotted names ('' for this one). */
  namedModules(prefix = ''): [string, Module][] {
    // An explicit stack, no recursion and no spread: a tree of any width or depth is fine.
    const out: [string, Module][] = [];
    const stack: [string, Module][] = [[prefix, this]];
    while (stack.length > 0) {
      const [path, m] = stack.pop()!;
      out.push([path, m]);
      const kids = m.namedChildren();
      for (let i = kids.length - 1; i >= 0; i--) {
        const [name, child] = kids[i]!;
        stack.push([path ? `${path}.${name}` : name, child]);
      }
    }
    return out;
  }

  /** Every module in the tree, this one first. */
  modules(): Module[] {
    return this.namedModules().map(([, m]) => m);
  }

  /** Fields (and elements of array fields, named 'field.i') that are instances of `kind`. */
  private fields<T>(kind: abstract new (...args: never[]) => T): [string, T][] {
    const out: [string, T][] = [];
    for (const key of Object.keys(this)) {
      const v = (this as unknown as Record<string, unknown>)[key];
      if (v instanceof kind) out.push([key, v]);
      else if (Array.isArray(v))
        v.forEach((e, i) => {
          if (e instanceof kind) out.push([`${key}.${i}`, e]);
        });
    }
    return out;
  }

  /** Parameters held directly by this module (not its children); arrays of them are named 'field.i'. */
  private ownParameters(): [string, Parameter][] {
    return this.fields(Parameter);
  }

  /**
   * Every parameter with PyTorch's dotted name ('0.weight', 'fc1.bias'); a parameter shared by two
   * modules is listed once, under its first name.
   */
  namedParameters(): [string, Parameter][] {
    const seen = new Set<Parameter>();
    const out: [string, Parameter][] = [];
    for (const [path, m] of this.namedModules()) {
      for (const [name, p] of m.ownParameters()) {
        if (seen.has(p)) continue;
        seen.add(p);
        out.push([path ? `${path}.${name}` : name, p]);
      }
    }
    return out;
  }

  /** Every parameter, in the order of `namedParameters()`: what an optimizer takes. */
  parameters(): Parameter[] {
    return this.namedParameters().map(([, p]) => p);
  }

  /** Number of trainable numbers. */
  numParameters(): number {
    return this.parameters().reduce((n, p) => n + p.size, 0);
  }

  /**
   * Clears every parameter's gradient: sets it to null (`setToNone`, the default, as PyTorch 2), or
   * with `{ setToNone: false }` fills it with zeros in place so the next backward reuses the buffer.
   * @example model.zeroGrad({ setToNone: false });
   */
  zeroGrad(options: { setToNone?: boolean } = {}): void {
    checkOptions(options, 'zeroGrad', ['setToNone']);
    for (const p of this.parameters()) p.zeroGrad(options);
  }

  /** Sets training mode on this module and all below it. */
  train(mode = true): this {
    for (const m of this.modules()) m.training = mode;
    return this;
  }

  /** Sets evaluation mode (Dropout passes inputs through). */
  eval(): this {
    return this.train(false);
  }

  /**
   * A copy of every parameter by dotted name. Unlike PyTorch the tensors are copies, so a saved
   * state dict does not change as training goes on (what early stopping needs).
   */
  stateDict(): StateDict {
    const out: StateDict = Object.create(null) as StateDict;
    for (const [name, p] of this.namedParameters()) out[name] = new Tensor(p.data.slice(), p.shape);
    return out;
  }

  /**
   * Copies values into the parameters, in place. Every key and shape is checked first: nothing is
   * changed unless everything fits. With `strict: false` missing and unexpected keys are allowed.
   */
  loadStateDict(
    state: StateDict | Map<string, Tensor>,
    opts: { strict?: boolean } = {},
  ): { missingKeys: string[]; unexpectedKeys: string[] } {
    const o = checkOptions(opts, 'loadStateDict', ['strict']);
    const strict = checkBoolean(o.strict, 'loadStateDict', 'strict', true);
    if (state === null || typeof state !== 'object')
      throw new TypeError(`loadStateDict: state must be an object of tensors by name, got ${quote(state)}`);
    const entries =
      state instanceof Map
        ? [...state.entries()]
        : Object.keys(state).map((k) => [k, (state as StateDict)[k]] as [string, unknown]);
    const given = new Map<string, unknown>(entries);
    const own = new Map(this.namedParameters());
    const missingKeys = [...own.keys()].filter((k) => !given.has(k));
    const unexpectedKeys = [...given.keys()].filter((k) => !own.has(k));
    if (strict && (missingKeys.length || unexpectedKeys.length)) {
      const parts: string[] = [];
      if (missingKeys.length) parts.push(`missing keys: ${keyList(missingKeys)}`);
      if (unexpectedKeys.length) parts.push(`unexpected keys: ${keyList(unexpectedKeys)}`);
      throw new Error(`loadStateDict: the state dict does not match the model (${parts.join('; ')})`);
    }
    for (const [name, p] of own) {
      if (!given.has(name)) continue;
      const t = given.get(name);
      if (!(t instanceof Tensor)) throw new TypeError(`loadStateDict: '${name}' must be a Tensor, got ${quote(t)}`);
      if (t.ndim !== p.ndim || t.shape.some((d, i) => d !== p.shape[i])) {
        throw new RangeError(
          `loadStateDict: '${name}' has shape ${formatShape(t.shape)} but the model's parameter has shape ${formatShape(p.shape)}`,
        );
      }
      // A finite float64 value past float32's range would be stored as ±Infinity: refuse it.
      if (p.data instanceof Float32Array && !(t.data instanceof Float32Array)) {
        const d = t.data;
        for (let i = 0; i < d.length; i++)
          if (Number.isFinite(d[i]) && !Number.isFinite(Math.fround(d[i]!)))
            throw new RangeError(
              `loadStateDict: '${name}' holds ${d[i]} at index ${i}, which overflows the float32 parameter`,
            );
      }
    }
    noGrad(() => {
      for (const [name, p] of own)
        if (given.has(name)) {
          p.data.set((given.get(name) as Tensor).data);
          p._bumpVersion(); // an in-place update: graphs made before refuse to backward
        }
    });
    return { missingKeys, unexpectedKeys };
  }

  /**
   * A table of the modules below this one with their own parameter counts, and the total (Keras's summary()).
   * @example console.log(new MLP([2, 16, 3]).summary());
   */
  summary(): string {
    const rows = this.namedModules()
      .filter(([name]) => name !== '')
      .map(([name, m]) => [name, m.constructor.name, String(m.ownParameters().reduce((n, [, p]) => n + p.size, 0))]);
    rows.unshift(['module', 'type', 'parameters']);
    rows.push(['total', '', String(this.numParameters())]);
    const w = [0, 1].map((c) => rows.reduce((m, r) => Math.max(m, r[c]!.length), 0));
    return rows
      .map((r) => `${r[0]!.padEnd(w[0]!)}  ${r[1]!.padEnd(w[1]!)}  ${r[2]!.padStart(10)}`.trimEnd())
      .join('\n');
  }

  /** PyTorch-like printout of the module tree. */
  toString(): string {
    const kids = this.namedChildren();
    const head = `${this.constructor.name}(${this.extraRepr()}`;
    if (kids.length === 0) return `${head})`;
    const lines = kids.map(([n, m]) => `  (${n}): ${m.toString().split('\n').join('\n  ')}`);
    return `${head}\n${lines.join('\n')}\n)`;
  }
}
