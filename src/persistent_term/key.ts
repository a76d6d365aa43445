/**
 * A typed handle on one persistent term.
 *
 * @module
 */

/**
 * One key of the store with the type of its term, from
 * `persistentTerm.key<T>(name)`: the type is written once, where the key is
 * declared, instead of at every `get`. A handle holds no value: it reads the
 * store each time, so every handle on a name sees the same term.
 *
 * @example A typed configuration term
 * ```ts
 * import { type PersistentTermKey, persistentTerm } from "@beamlet/beamlet/tables";
 *
 * interface Limits {
 *   readonly maxBody: number;
 *   readonly perMinute: number;
 * }
 * const LIMITS: PersistentTermKey<Limits> = persistentTerm.key<Limits>("example:limits");
 * LIMITS.put({ maxBody: 1 << 20, perMinute: 600 });
 * console.log(LIMITS.get().perMinute); // 600
 * LIMITS.erase();
 * console.log(LIMITS.get(null)); // null
 * ```
 */
export interface PersistentTermKey<T> {
  /** The key's name in the store. */
  readonly name: string;
  /** The term; throws `PersistentTermNotFoundError` if there is none. */
  get(): T;
  /** The term, or `fallback` if there is none. */
  get<D>(fallback: D): T | D;
  /** Stores `value` (see `persistentTerm.put`). */
  put(value: T & (NonNullable<unknown> | null)): void;
  /** Removes the term; `false` if there was none (see `persistentTerm.erase`). */
  erase(): boolean;
}
