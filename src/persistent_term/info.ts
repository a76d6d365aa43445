/**
 * What `persistentTerm.info()` returns.
 *
 * @module
 */

/**
 * The store's size, as Erlang's `persistent_term:info/0`, plus its version.
 *
 * @example Watching the store grow
 * ```ts
 * import { type PersistentTermInfo, persistentTerm } from "@beamlet/beamlet/tables";
 *
 * const info: PersistentTermInfo = persistentTerm.info();
 * console.log(info.count >= 0, info.memory >= 0, info.version === persistentTerm.version);
 * ```
 */
export interface PersistentTermInfo {
  /** How many terms are stored. */
  readonly count: number;
  /**
   * Bytes the terms and the key table take, an estimate (values are walked
   * once after they change, up to a bounded number of nodes; accessors are
   * not called; an object shared by two terms is counted twice).
   */
  readonly memory: number;
  /** The store's version: bumped by every `put` and `erase` that changes it. */
  readonly version: number;
}
