// The playground's data: @xent/nn's toy generators, scaled into the unit square, split into train and test.
import { Generator, type Tensor } from '@xent/core';
import { blobs, circles, gaussianQuantiles, moons, spiral, trainTestSplit, xor } from '@xent/nn';
import { type State, classCount } from './state.js';

/** One split of the data as flat arrays (cheap to send to the page). */
export interface Split {
  /** Coordinates, row-major [n, 2], scaled so that the largest |coordinate| is 1. */
  x: Float64Array;
  /** Class labels 0 … k−1. */
  y: Float64Array;
}

/** The generated data: train and test splits and the number of classes. */
export interface PlaygroundData {
  train: Split;
  test: Split;
  classes: number;
}

/** The picture's half-width: the data lie in [−1, 1]², the picture shows a margin around them. */
export const EXTENT = 1.2;

function generate(s: State): { x: Tensor; y: Tensor } {
  const k = classCount(s),
    n = s.points,
    seed = s.seed,
    noise = s.noise;
  switch (s.data) {
    case 'spiral':
      return spiral({ n, classes: k, noise: noise * 2, seed });
    case 'moons':
      return moons({ n, noise: noise * 1.5, seed });
    case 'circles':
      return circles({ n, noise, factor: 0.5, seed });
    case 'xor':
      return xor({ n, noise: noise * 0.5, seed });
    case 'blobs': {
      // Centres on a ring (not at random) so that every seed gives separable-looking blobs that noise then mixes.
      const centers = Array.from({ length: k }, (_, j) => [
        5 * Math.cos((2 * Math.PI * j) / k + 0.3),
        5 * Math.sin((2 * Math.PI * j) / k + 0.3),
      ]);
      return blobs({ n, centers, noise: 1 + 8 * noise, seed });
    }
    case 'gaussian': {
      // The shells are cut from the points' radius, so noise here jitters the points after labelling.
      const d = gaussianQuantiles({ n, classes: k, seed });
      const g = new Generator(seed + 7919);
      for (let i = 0; i < d.x.size; i++) d.x.data[i] = d.x.data[i]! + noise * g.normal();
      return d;
    }
  }
}

/** Generates the state's data set and splits it (the same state always gives the same points). */
export function makeData(s: State): PlaygroundData {
  const { x, y } = generate(s);
  let m = 0;
  for (let i = 0; i < x.size; i++) m = Math.max(m, Math.abs(x.data[i]!));
  const scale = m > 0 ? 1 / m : 1;
  for (let i = 0; i < x.size; i++) x.data[i] = x.data[i]! * scale;
  const { xTrain, yTrain, xTest, yTest } = trainTestSplit(x, y, {
    testSize: s.testRatio,
    seed: s.seed,
    stratify: true,
  });
  return {
    train: { x: Float64Array.from(xTrain.data), y: Float64Array.from(yTrain.data) },
    test: { x: Float64Array.from(xTest.data), y: Float64Array.from(yTest.data) },
    classes: classCount(s),
  };
}
