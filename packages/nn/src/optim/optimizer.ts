import { type Storage, Tensor } from '@xent/core';

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
    const list = [...params];
    if (list.length === 0) throw new RangeError(`${name}: got an empty parameter list`);
    list.forEach((p, i) => {
      if (!(p instanceof Tensor)) throw new TypeError(`${name}: parameter ${i} is not a Tensor`);
    });
    if (new Set(list).size !== list.length) throw new RangeError(`${name}: a parameter appears more than once`);
    checkNumber(lr, name, 'lr', 0);
    this.params = list;
    this.kind = name;
    this.lr = lr;
    this.steps = list.map(() => 0);
    for (const b of bufferNames) this.buffers[b] = list.map(() => null);
  }

  /** Applies one update to every parameter that has a gradient. */
  abstract step(): void;

  /** Hyper-parameters, for the state dict. */
  protected abstract hyper(): Record<string, number | boolean | number[]>;

  /** Sets the hyper-parameters back from a state dict. */
  protected abstract setHyper(h: Record<string, unknown>): void;

  /**
   * Clears the gradients of the parameters: sets them to null (`setToNone`, the default, as PyTorch 2),
   * or with `{ setToNone: false }` fills them with zeros in place so the next backward reuses the
   * buffers. A zero gradient is not a missing one: the optimizer steps a parameter that has one.
   * @example opt.zeroGrad({ setToNone: false });
   */
  zeroGrad(options: { setToNone?: boolean } = {}): void {
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

  /** Restores a state dict made by the same kind of optimizer over parameters of the same sizes. */
  loadStateDict(sd: OptimizerState): void {
    const where = `${this.kind}.loadStateDict`;
    if (sd === null || typeof sd !== 'object' || !Array.isArray(sd.state))
      throw new TypeError(`${where}: expected an object with type, hyper and state`);
    if (sd.type !== this.kind)
      throw new TypeError(`${where}: the state was saved by ${String(sd.type)}, not ${this.kind}`);
    if (sd.state.length !== this.params.length)
      throw new RangeError(
        `${where}: the state has ${sd.state.length} parameters but this optimizer has ${this.params.length}`,
      );
    sd.state.forEach((s, i) => {
      if (!Number.isInteger(s?.step) || s.step < 0)
        throw new TypeError(`${where}: parameter ${i}: step must be a non-negative integer`);
      for (const name of Object.keys(this.buffers)) {
        const b = s.buffers?.[name];
        if (b === null || b === undefined) continue;
        if (!Array.isArray(b) || b.length !== this.params[i]!.size)
          throw new RangeError(`${where}: parameter ${i}: buffer ${name} must hold ${this.params[i]!.size} numbers`);
        if (!b.every((v) => typeof v === 'number' && Number.isFinite(v)))
          throw new TypeError(`${where}: parameter ${i}: buffer ${name} holds a non-finite or non-numeric value`);
      }
    });
    this.setHyper(sd.hyper ?? {});
    sd.state.forEach((s, i) => {
      this.steps[i] = s.step;
      for (const name of Object.keys(this.buffers)) {
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
    throw new RangeError(`${where}: ${name} must be a finite number in [${min}, ${max}], got ${String(v)}`);
  }
  return v;
}
