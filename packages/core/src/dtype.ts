/** Storage types a tensor can hold. float64 is the default; float32 on request. */
export type DType = 'float32' | 'float64';

/** The typed array behind a tensor. */
export type Storage = Float32Array | Float64Array;

/** Allocates zeroed storage of `size` elements for `dtype`. @example alloc('float32', 3); // Float32Array [0, 0, 0] */
export function alloc(dtype: DType, size: number): Storage {
  return dtype === 'float32' ? new Float32Array(size) : new Float64Array(size);
}

/** Checks a user-supplied dtype and names the choices when it is unknown. @example checkDType('float32', 'zeros'); */
export function checkDType(dtype: unknown, where: string): DType {
  if (dtype === 'float32' || dtype === 'float64') return dtype;
  throw new TypeError(`${where}: unknown dtype ${JSON.stringify(dtype)}; expected 'float32' or 'float64'`);
}

/**
 * PyTorch's promotion between our two float types: float64 wins.
 * @example promote('float32', 'float64'); // 'float64'
 */
export function promote(a: DType, b: DType): DType {
  return a === 'float64' || b === 'float64' ? 'float64' : 'float32';
}

/** The dtype of an existing typed array. @example dtypeOf(new Float32Array(1)); // 'float32' */
export function dtypeOf(data: Storage): DType {
  return data instanceof Float32Array ? 'float32' : 'float64';
}
