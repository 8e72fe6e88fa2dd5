// The playground's colours: one per class, and one diverging pair for signs (gradients, weights,
// neuron outputs) that is no class's colour. core's toSvg uses the same pair.

/** One colour per class (up to five), shared by the map, the inspector and the charts. */
export const COLORS = ['#f59322', '#0877bd', '#2ca02c', '#9467bd', '#d62728'];

/** Signs: teal above zero, brown below (ColorBrewer BrBG), the same as core's toSvg. */
export const POS = '#018571';
export const NEG = '#a6611a';

const hex = (c: string): [number, number, number] =>
  [1, 3, 5].map((i) => parseInt(c.slice(i, i + 2), 16)) as [number, number, number];
const POS_RGB = hex(POS),
  NEG_RGB = hex(NEG);

/**
 * The diverging scale at `v` in [−1, 1]: brown at −1, white at 0, teal at 1 (clamped).
 * @example signRgb(1); // [1, 133, 113]
 */
export function signRgb(v: number): [number, number, number] {
  const f = Math.max(-1, Math.min(1, Number.isFinite(v) ? v : 0));
  const [r, g, b] = f >= 0 ? POS_RGB : NEG_RGB;
  const a = Math.abs(f);
  return [255 + (r - 255) * a, 255 + (g - 255) * a, 255 + (b - 255) * a].map(Math.round) as [number, number, number];
}

/** `signRgb` as a CSS colour. @example signColor(-1); // 'rgb(166,97,26)' */
export function signColor(v: number): string {
  return `rgb(${signRgb(v).join(',')})`;
}

/** The class colours as RGB triples. */
export const CLASS_RGB = COLORS.map(hex);

/** A legend for signs, as HTML: two swatches and what they mean. @example signLegend('gradient') */
export function signLegend(what: string): string {
  return (
    `<span class="sign-legend">${what}: <i style="background:${NEG}"></i> &lt; 0 ` +
    `<i class="zero"></i> 0 <i style="background:${POS}"></i> &gt; 0</span>`
  );
}
