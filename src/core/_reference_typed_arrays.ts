/**
 * Growing typed arrays by doubling, for the reference core's tables.
 *
 * The tables are struct-of-arrays (one typed array per field) so that a field
 * read is a plain indexed load with no object per actor, slot or timer, which
 * keeps the garbage collector out of the hot path.
 *
 * @module
 */

/** A typed array the reference core keeps its tables in. */
export type TableArray = Int32Array | Uint8Array | Float64Array;

/** Smallest length a table starts at when it first grows. */
const MIN_TABLE_LENGTH = 64;

/**
 * Returns `array` if it already holds `minLength` elements, else a copy at
 * least twice as long (doubling keeps growth amortized O(1) per element),
 * with the new tail set to `fill`. Throws `RangeError` when the host cannot
 * allocate; callers turn that into `CoreCode.OutOfMemory`.
 *
 * @example Growing a table to hold index 100
 * ```ts
 * import { grown } from "./_reference_typed_arrays.ts";
 *
 * let next = new Int32Array(0);
 * next = grown(next, 101, -1);
 * console.log(next.length >= 101 && next[100] === -1); // true
 * ```
 */
export function grown<T extends TableArray>(array: T, minLength: number, fill = 0): T {
  if (minLength <= array.length) return array;
  let length = Math.max(array.length * 2, MIN_TABLE_LENGTH);
  while (length < minLength) length *= 2;
  const Ctor = array.constructor as new (length: number) => T;
  const next = new Ctor(length);
  next.set(array as never);
  if (fill !== 0) next.fill(fill, array.length);
  return next;
}

/**
 * The smallest power of two `>= n`, for `1 <= n <= 2^30`.
 *
 * @example Rounding a mailbox capacity
 * ```ts
 * import { nextPow2 } from "./_reference_typed_arrays.ts";
 *
 * console.log(nextPow2(5)); // 8
 * ```
 */
export function nextPow2(n: number): number {
  return n <= 1 ? 1 : 2 ** (32 - Math.clz32(n - 1));
}

/**
 * Whether `error` is the host refusing an allocation (a `RangeError` from a
 * typed-array constructor). Anything else is a bug and must propagate.
 *
 * @example Mapping an allocation failure to a code
 * ```ts
 * import { isAllocationFailure } from "./_reference_typed_arrays.ts";
 *
 * try {
 *   new Float64Array(2 ** 40);
 * } catch (error) {
 *   console.log(isAllocationFailure(error)); // true
 * }
 * ```
 */
export function isAllocationFailure(error: unknown): boolean {
  return error instanceof RangeError;
}
