/* Row iteration over strided views, shared by the reference kernels. */

/**
 * Walks every row (last axis) of `shape`, giving each operand's offset at the row's start: the one
 * multi-index loop of the reference kernels, called once per row, never per element.
 * @example forEachRow([2, 3], [[3, 1]], (offs, o) => console.log(offs[0], o)); // 0 0, then 3 3
 */
export function forEachRow(
  shape: readonly number[],
  strides: (readonly number[])[],
  visit: (offsets: number[], outOffset: number) => void,
): void {
  const nd = shape.length;
  const inner = nd === 0 ? 1 : shape[nd - 1]!;
  let outer = 1;
  for (let d = 0; d < nd - 1; d++) outer *= shape[d]!;
  const idx = new Array<number>(Math.max(nd - 1, 0)).fill(0);
  const offs = strides.map(() => 0);
  for (let r = 0; r < outer; r++) {
    visit(offs, r * inner);
    for (let d = nd - 2; d >= 0; d--) {
      idx[d]!++;
      for (let t = 0; t < strides.length; t++) offs[t]! += strides[t]![d]!;
      if (idx[d]! < shape[d]!) break;
      for (let t = 0; t < strides.length; t++) offs[t]! -= strides[t]![d]! * shape[d]!;
      idx[d] = 0;
    }
  }
}
