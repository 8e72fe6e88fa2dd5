import { isGradEnabled } from './engine.js';
import { fmt } from './shape.js';
import type { Tensor } from './tensor.js';

/* The one mechanism every op, primitive or fused, records itself through: the forward computes the output, record
   attaches the vjp (written with differentiable ops) and checks at backward time that what the vjp reads was not
   modified in place since. */

/**
 * Turns an op's freshly computed output into a graph node when recording is on and an input
 * needs a gradient. `backward` maps the output's gradient to one gradient per input (null for
 * an input with none) using differentiable tensor ops, which is what makes higher-order
 * gradients work. Broadcasting is undone by the engine, not by `backward`.
 *
 * `saved` lists the tensors whose VALUES `backward` reads (what PyTorch's autograd.Function saves
 * with `save_for_backward`): their versions are recorded now and `backward` throws, naming the op
 * and the tensor, if one was modified in place before it runs. Reading only a shape or a dtype is no
 * saving. An entry may be null or false: "saved only when needed" (`y.requiresGrad && x`: x is read
 * only for y's gradient), as PyTorch saves only what the gradients it will compute need. Omitted, every
 * input and the output count as saved (the safe default for code that does not say).
 * @example const out = map(t, 'exp'); return record('exp', [t], out, (g) => [mul(g, out)], [out]); // d eˣ = eˣ
 */
export function record(
  op: string,
  inputs: readonly Tensor[],
  out: Tensor,
  backward: (g: Tensor) => readonly (Tensor | null)[],
  saved?: readonly (Tensor | null | false | undefined)[],
): Tensor {
  if (isGradEnabled()) {
    for (const t of inputs) {
      if (t.requiresGrad) {
        const keep: Tensor[] = [];
        for (const s of saved ?? [...inputs, out]) if (s) keep.push(s);
        if (keep.length === 0) out._node = { op, inputs, vjp: backward };
        else {
          const versions = keep.map((x) => x._version);
          out._node = {
            op,
            inputs,
            vjp: (g) => {
              checkVersions(op, inputs, out, keep, versions);
              return backward(g);
            },
          };
        }
        out.requiresGrad = true;
        break;
      }
    }
  }
  return out;
}

/** Throws when a tensor an op saved was modified in place between the forward pass and this backward. */
function checkVersions(op: string, inputs: readonly Tensor[], out: Tensor, saved: Tensor[], versions: number[]): void {
  for (let k = 0; k < saved.length; k++) {
    const bad = saved[k]!;
    if (bad._version === versions[k]) continue;
    const i = inputs.indexOf(bad);
    const which =
      i >= 0 ? (inputs.length === 1 ? 'input' : `input ${i}`) : bad === out ? 'output' : `saved tensor ${k}`;
    throw new Error(
      `backward: ${op} needs its ${which} (${bad.isLeaf ? 'a leaf' : `made by ${bad.op}`}, shape ${fmt(bad.shape)}) as it was when ${op} ran, but it was modified in place since (version ${bad._version}, was ${versions[k]}): an optimizer step, zeroGrad({ setToNone: false }), loadStateDict or another in-place update came between the forward pass and backward. Run the forward pass again after the update.`,
    );
  }
}
