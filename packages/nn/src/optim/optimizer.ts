import { type Storage, Tensor } from '@xent/core';
import { checkOptions, quote, shapeText } from '../validate.js';

/** An optimizer's saved state: plain numbers and arrays, so it survives JSON. */
export interface OptimizerState {
  type: string;
  hyper: Record<string, number | boolean | number[]>;
  /** Per parameter, in order: step count and named buffers (null when not created yet). */
  state: { step: number; buffers: Record<string, number[] | null> }[];
}

/**
 * Zeroed storage of the same kind (float32 or float64) as `like`.
 * @example bufferLike(p.data); // Float64Array of p.size zeros
 */
function bufferLike(like: Storage): Storage {
  return like instanceof Float32Array ? new Float32Array(like.length) : new Float64Array(like.length);
}

/**
 * The base of the optimizers: a list of parameters, a learning rate a scheduler may change, and
 * per-parameter state. Updates happen in place on `p.data`, outside any graph, as PyTorch.
 * Differences from PyTorch: one parameter group (no per-group options).
 * @example class SignSGD extends Optimizer { step() { … p.data[i] -= this.lr * Math.sign(g[i]) … } }
 */
export abstract class Optimizer {
  readonly params: Tensor[];
  /** Learning rate; schedulers write it. */
  lr: number;
  /** Steps taken per parameter (a parameter without a gradient is skipped and not counted). */
  protected steps: number[];
  /**
   * The optimizer's name, as its constructor passes it ('SGD', 'Adam', 'AdamW'): the tag of its state
   * dict and the name in its messages (not `constructor.name`, which a minifier renames).
   */
  readonly kind: string;
  /** Named per-parameter buffers, created on first use. */
  protected buffers: Record<string, (Storage | null)[]> = Object.create(null) as Record<string, (Storage | null)[]>;

  constructor(params: Iterable<Tensor>, lr: number, name: string, bufferNames: readonly string[]) {
    if (params === null || typeof (params as { [Symbol.iterator]?: unknown })?.[Symbol.iterator] !== 'function')
      throw new TypeError(`${name}: params must be an iterable of Tensors (model.parameters()), got ${quote(params)}`);
    const list: Tensor[] = [];
    for (const p of params) {
      if (!(p instanceof Tensor)) throw new TypeError(`${name}: parameter ${list.length} is ${quote(p)}, not a Tensor`);
      list.push(p);
    }
    if (list.length === 0) throw new RangeError(`${name}: got an empty parameter list`);
    if (new Set(list).size !== list.length) throw new RangeError(`${name}: a parameter appears more than once`);
    checkNumber(lr, name, 'lr', 0);
    this.params = list;
    this.kind = name;
    this.lr = lr;
    this.steps = list.map(() => 0);
    for (const b of bufferNames) this.buffers[b] = list.map(() => null);
  }

  /** Applies one update to every parameter that has a gradient (after `checkStep()`). */
  abstract step(): void;

  /** Hyper-parameters, for the state dict. */
  protected abstract hyper(): Record<string, number | boolean | number[]>;

  /**
   * Checks a complete set of hyper-parameters with the constructor's rules (throws, naming `where`
   * and the field). The constructor, loadStateDict and step all use it, so the three agree.
   */
  protected abstract checkHyper(h: Record<string, unknown>, where: string): void;

  /** Sets the hyper-parameters (already checked by checkHyper). */
  protected abstract setHyper(h: Record<string, unknown>): void;

  /**
   * What step() checks before it changes anything: the hyper-parameters (a scheduler or the user may
   * have set `lr` or `momentum` by hand) and every gradient, which must be a Tensor of its parameter's
   * shape. Nothing is updated when one is wrong, and the error names the parameter. When all is well
   * it bumps the version of each parameter step() is about to update in place.
   */
  protected checkStep(): void {
    const where = `${this.kind}.step`;
    this.checkHyper(this.hyper(), where);
    for (let k = 0; k < this.params.length; k++) {
      const p = this.params[k]!;
      const g = p.grad as unknown;
      if (g === null || g === undefined) continue;
      if (!(g instanceof Tensor))
        throw new TypeError(`${where}: parameter ${k} (shape ${shapeText(p.shape)}) has a .grad that is ${quote(g)}`);
      if (g.size !== p.size || g.ndim !== p.ndim || g.shape.some((d, i) => d !== p.shape[i]))
        throw new RangeError(
          `${where}: parameter ${k} has shape ${shapeText(p.shape)} but its .grad has shape ${shapeText(g.shape)}`,
        );
    }
    // Everything is valid, so step() will update every parameter that has a gradient: count that
    // in-place update now (version counters), so a graph made before the step refuses to backward.
    for (const p of this.params) if (p.grad) p._bumpVersion();
  }

  /**
   * Clears the gradients of the parameters: sets them to null (`setToNone`, the default, as PyTorch 2),
   * or with `{ setToNone: false }` fills them with zeros in place so the next backward reuses the
   * buffers. A zero gradient is not a missing one: the optimizer steps a parameter that has one.
   * @example opt.zeroGrad({ setToNone: false });
   */
  zeroGrad(options: { setToNone?: boolean } = {}): void {
    checkOptions(options, `${this.kind}.zeroGrad`, ['setToNone']);
    for (const p of this.params) p.zeroGrad(options);
  }

  /** The buffer `name` of parameter i, created zeroed when missing. */
  protected buffer(name: string, i: number): Storage {
    const list = this.buffers[name]!;
    return (list[i] ??= bufferLike(this.params[i]!.data));
  }

  /** Everything needed to resume training: hyper-parameters, step counts and buffers, as plain data. */
  stateDict(): OptimizerState {
    return {
      type: this.kind,
      hyper: this.hyper(),
      state: this.params.map((_, i) => {
        const buffers: Record<string, number[] | null> = {};
        for (const name of Object.keys(this.buffers)) {
          const b = this.buffers[name]![i];
          buffers[name] = b ? Array.from(b) : null;
        }
        return { step: this.steps[i]!, buffers };
      }),
    };
  }

  /**
   * Restores a state dict made by the same kind of optimizer over parameters of the same sizes. All
   * or nothing: every field is checked first (hyper-parameters with the constructor's rules, unknown
   * ones rejected), then everything is applied.
   */
  loadStateDict(sd: OptimizerState): void {
    const where = `${this.kind}.loadStateDict`;
    if (sd === null || typeof sd !== 'object' || !Array.isArray(sd.state))
      throw new TypeError(`${where}: expected an object with type, hyper and state, got ${quote(sd)}`);
    if (sd.type !== this.kind)
      throw new TypeError(`${where}: the state was saved by ${quote(sd.type)}, not ${this.kind}`);
    if (sd.state.length !== this.params.length)
      throw new RangeError(
        `${where}: the state has ${sd.state.length} parameters but this optimizer has ${this.params.length}`,
      );
    const given = sd.hyper ?? {};
    if (given === null || typeof given !== 'object' || Array.isArray(given))
      throw new TypeError(`${where}: hyper must be an object, got ${quote(given)}`);
    const hyper: Record<string, unknown> = this.hyper();
    const known = Object.keys(hyper);
    for (const k of Object.keys(given)) {
      if (!known.includes(k))
        throw new TypeError(`${where}: unknown hyper-parameter ${quote(k)}; expected ${known.join(', ')}`);
      hyper[k] = (given as Record<string, unknown>)[k];
    }
    this.checkHyper(hyper, where);
    const names = Object.keys(this.buffers);
    for (let i = 0; i < sd.state.length; i++) {
      const s = sd.state[i] as unknown as { step?: unknown; buffers?: unknown } | null;
      if (s === null || typeof s !== 'object')
        throw new TypeError(`${where}: parameter ${i}: expected { step, buffers }, got ${quote(s)}`);
      if (!Number.isInteger(s.step) || (s.step as number) < 0)
        throw new TypeError(`${where}: parameter ${i}: step must be a non-negative integer, got ${quote(s.step)}`);
      const bufs = s.buffers;
      if (bufs !== undefined && (bufs === null || typeof bufs !== 'object' || Array.isArray(bufs)))
        throw new TypeError(`${where}: parameter ${i}: buffers must be an object, got ${quote(bufs)}`);
      for (const name of Object.keys(bufs ?? {}))
        if (!names.includes(name))
          throw new TypeError(`${where}: parameter ${i}: unknown buffer ${quote(name)}; expected ${names.join(', ')}`);
      for (const name of names) {
        const b = (bufs as Record<string, unknown> | undefined)?.[name];
        if (b === null || b === undefined) continue;
        if (!Array.isArray(b) || b.length !== this.params[i]!.size)
          throw new RangeError(`${where}: parameter ${i}: buffer ${name} must hold ${this.params[i]!.size} numbers`);
        for (let j = 0; j < b.length; j++) {
          const v: unknown = b[j];
          if (typeof v !== 'number' || !Number.isFinite(v))
            throw new TypeError(
              `${where}: parameter ${i}: buffer ${name} holds ${quote(v)} at ${j}; expected finite numbers`,
            );
          if (this.params[i]!.data instanceof Float32Array && !Number.isFinite(Math.fround(v)))
            throw new RangeError(
              `${where}: parameter ${i}: buffer ${name} holds ${v} at ${j}, which overflows float32`,
            );
        }
      }
    }
    // Everything is valid: apply it all.
    this.setHyper(hyper);
    sd.state.forEach((s, i) => {
      this.steps[i] = s.step;
      for (const name of names) {
        const b = s.buffers?.[name];
        if (b === null || b === undefined) this.buffers[name]![i] = null;
        else {
          const st = bufferLike(this.params[i]!.data);
          st.set(b);
          this.buffers[name]![i] = st;
        }
      }
    });
  }
}

/**
 * Checks a hyper-parameter: a finite number ≥ min (and ≤ max); the error names both.
 * @example checkNumber(0.9, 'SGD', 'momentum', 0);
 */
export function checkNumber(v: unknown, where: string, name: string, min: number, max = Infinity): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
    throw new RangeError(`${where}: ${name} must be a finite number in [${min}, ${max}], got ${quote(v)}`);
  }
  return v;
}
