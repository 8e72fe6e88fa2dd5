import {
  type BinaryOptions,
  type ClassTarget,
  type CrossEntropyOptions,
  type NllLossOptions,
  type Reduction,
  type Tensor,
  binaryCrossEntropy,
  binaryCrossEntropyWithLogits,
  crossEntropy,
  klDiv,
  mseLoss,
  nllLoss,
} from '@xent/core';
import { Module } from './module.js';
import { checkOptions } from './validate.js';

/* Loss modules: thin wrappers over @xent/core's loss functions, holding the same options, so that
   `loss.forward(output, target)` reads as PyTorch's `criterion(output, target)`. */

/**
 * Cross-entropy of logits (fused log-softmax): crossEntropy(input, target, opts) from @xent/core.
 * @example const loss = new CrossEntropyLoss({ labelSmoothing: 0.1 }); loss.forward(logits, labels);
 */
export class CrossEntropyLoss extends Module {
  constructor(readonly options: CrossEntropyOptions = {}) {
    super();
    checkOptions(options, 'CrossEntropyLoss', ['weight', 'ignoreIndex', 'labelSmoothing', 'reduction']); // unknown keys fail here, values at forward (in @xent/core)
  }
  forward(input: Tensor, target: ClassTarget): Tensor {
    return crossEntropy(input, target, this.options);
  }
}

/**
 * Negative log-likelihood of log-probabilities (after LogSoftmax).
 * @example new NLLLoss().forward(logProbs, labels);
 */
export class NLLLoss extends Module {
  constructor(readonly options: NllLossOptions = {}) {
    super();
    checkOptions(options, 'NLLLoss', ['weight', 'ignoreIndex', 'reduction']); // unknown keys fail here, values at forward (in @xent/core)
  }
  forward(input: Tensor, target: ClassTarget): Tensor {
    return nllLoss(input, target, this.options);
  }
}

/** Binary cross-entropy of probabilities in [0, 1] (after Sigmoid). @example new BCELoss().forward(probs, targets); */
export class BCELoss extends Module {
  /** Outputs are probabilities: a prediction is class 1 above 0.5 (used by fit's accuracy). */
  readonly binaryThreshold = 0.5;
  constructor(readonly options: BinaryOptions = {}) {
    super();
    checkOptions(options, 'BCELoss', ['weight', 'reduction']); // unknown keys fail here, values at forward (in @xent/core)
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return binaryCrossEntropy(input, target, this.options);
  }
}

/**
 * Binary cross-entropy on logits, stable for any logit; posWeight weighs positives.
 * @example new BCEWithLogitsLoss().forward(logits, targets);
 */
export class BCEWithLogitsLoss extends Module {
  /** Outputs are logits: a prediction is class 1 above 0 (used by fit's accuracy). */
  readonly binaryThreshold = 0;
  constructor(readonly options: BinaryOptions & { posWeight?: Tensor | null } = {}) {
    super();
    checkOptions(options, 'BCEWithLogitsLoss', ['weight', 'reduction', 'posWeight']); // unknown keys fail here, values at forward (in @xent/core)
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return binaryCrossEntropyWithLogits(input, target, this.options);
  }
}

/**
 * KL divergence with log-probability input; reduction 'batchmean' gives the true KL per sample.
 * @example new KLDivLoss({ reduction: 'batchmean' });
 */
export class KLDivLoss extends Module {
  constructor(readonly options: { reduction?: Reduction | 'batchmean'; logTarget?: boolean } = {}) {
    super();
    checkOptions(options, 'KLDivLoss', ['reduction', 'logTarget']); // unknown keys fail here, values at forward (in @xent/core)
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return klDiv(input, target, this.options);
  }
}

/** Mean squared error. @example new MSELoss().forward(pred, target); */
export class MSELoss extends Module {
  constructor(readonly options: { reduction?: Reduction } = {}) {
    super();
    checkOptions(options, 'MSELoss', ['reduction']); // unknown keys fail here, values at forward (in @xent/core)
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return mseLoss(input, target, this.options);
  }
}
