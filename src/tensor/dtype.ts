/**
 * Numeric storage for a whole run: float32 by default, float64 on request
 * (gradient checking, gradients below float32's range ≈ 1e-38).
 */

/** The two element types a run can use. */
export type DType = 'float32' | 'float64';

/** A flat row-major buffer of either element type. */
export type Buf = Float32Array | Float64Array;

/** Every accepted dtype name, for validation and help texts. */
export const DTYPES: readonly DType[] = ['float32', 'float64'];

/** Allocates a zero-filled buffer of `n` elements of `dtype`. */
export function alloc(dtype: DType, n: number): Buf {
  return dtype === 'float64' ? new Float64Array(n) : new Float32Array(n);
}

/** The dtype of an existing buffer. */
export function dtypeOf(x: Buf): DType {
  return x instanceof Float64Array ? 'float64' : 'float32';
}

/** Copies `src` into a new buffer of `dtype` (rounding to float32 if asked). */
export function fromArray(dtype: DType, src: ArrayLike<number>): Buf {
  const out = alloc(dtype, src.length);
  for (let i = 0; i < src.length; i++) out[i] = src[i];
  return out;
}

/** Checks that `name` is a dtype; throws a sentence naming the value otherwise. */
export function parseDType(name: string, where = 'dtype'): DType {
  if (name === 'float32' || name === 'float64') return name;
  throw new RangeError(`${where} must be one of float32, float64; got '${name}'`);
}
