import { Tensor } from '@xent/core';
import * as breastCancerSet from './generated/breast-cancer.js';
import * as digitsSet from './generated/digits.js';
import * as irisSet from './generated/iris.js';
import * as wineSet from './generated/wine.js';

/** A real data set: features x [n, f], integer labels y [n], and what they mean. */
export interface RealData {
  x: Tensor;
  y: Tensor;
  featureNames: readonly string[];
  classNames: readonly string[];
  numClasses: number;
  /** Source and licence, to be kept with any copy. */
  credit: string;
}

interface Generated {
  credit: string;
  features: readonly string[];
  classes: readonly string[];
  rows: number;
  labels: string;
  values: readonly number[] | string;
}

function load(set: Generated): RealData {
  const f = set.features.length,
    n = set.rows;
  const x = new Float64Array(n * f),
    y = new Float64Array(n);
  const v = set.values;
  if (typeof v === 'string')
    for (let i = 0; i < x.length; i++) x[i] = v.charCodeAt(i) - 97; // 'a' = 0
  else x.set(v);
  for (let i = 0; i < n; i++) y[i] = set.labels.charCodeAt(i) - 48; // '0' = 0
  return {
    x: new Tensor(x, [n, f]),
    y: new Tensor(y, [n]),
    featureNames: set.features,
    classNames: set.classes,
    numClasses: set.classes.length,
    credit: set.credit,
  };
}

/** Fisher's iris: 150 flowers, 4 measurements (cm), 3 species. UCI, CC BY 4.0. @example const { x, y } = iris(); */
export function iris(): RealData {
  return load(irisSet);
}

/**
 * Wine: 178 wines, 13 chemical measurements, 3 cultivars (Forina et al.). UCI, CC BY 4.0.
 * @example const { x, y } = wine();
 */
export function wine(): RealData {
  return load(wineSet);
}

/**
 * Breast Cancer Wisconsin (Diagnostic): 569 tumours, 30 features, 0 malignant / 1 benign. UCI, CC BY 4.0.
 * @example breastCancer().x.shape; // [569, 30]
 */
export function breastCancer(): RealData {
  return load(breastCancerSet);
}

/**
 * Handwritten digits: 1797 images of 8×8 pixels (0..16) flattened to 64 features, labels 0–9. UCI, CC BY 4.0.
 * @example digits().x.shape; // [1797, 64]
 */
export function digits(): RealData {
  return load(digitsSet);
}
