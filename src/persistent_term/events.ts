/**
 * Changes of the persistent term store, as delivered to `onChange` listeners.
 *
 * @module
 */

/**
 * One change of the store: a term put (added or replaced) or erased. Delivered
 * after the store reflects it, in version order.
 *
 * @example Logging changes
 * ```ts
 * import { type PersistentTermChange, persistentTerm } from "@beamlet/beamlet/tables";
 *
 * const log = (change: PersistentTermChange) =>
 *   console.log(change.kind, change.key, "now at version", change.version);
 * const stop = persistentTerm.onChange(log);
 * persistentTerm.put("example:flag", true); // put example:flag now at version …
 * persistentTerm.erase("example:flag");
 * stop();
 * ```
 */
export interface PersistentTermChange {
  /** `"put"` (added or replaced) or `"erase"`. */
  readonly kind: "put" | "erase";
  /** The key that changed. */
  readonly key: string;
  /** The term stored now; `undefined` after an erase. */
  readonly value: unknown;
  /** The term stored before; `undefined` if there was none. */
  readonly previous: unknown;
  /** The store's version after this change. */
  readonly version: number;
}

/**
 * A change listener: runs synchronously after each change. What it throws is
 * reported (see {@linkcode PersistentTermListenerOptions}) and changes nothing:
 * the change is done and the other listeners still run.
 *
 * @example Invalidating a cache
 * ```ts
 * import { type PersistentTermListener, persistentTerm } from "@beamlet/beamlet/tables";
 *
 * const derived = new Map<string, unknown>();
 * const invalidate: PersistentTermListener = (change) => derived.delete(change.key);
 * const stop = persistentTerm.onChange(invalidate);
 * stop();
 * ```
 */
export type PersistentTermListener = (change: PersistentTermChange) => void;

/**
 * Options of `persistentTerm.onChange`.
 *
 * @example Collecting listener failures instead of logging them
 * ```ts
 * import { persistentTerm, type PersistentTermListenerOptions } from "@beamlet/beamlet/tables";
 *
 * const failures: unknown[] = [];
 * const options: PersistentTermListenerOptions = { onError: (error) => failures.push(error) };
 * const stop = persistentTerm.onChange(() => {
 *   throw new Error("broken cache");
 * }, options);
 * persistentTerm.put("example:listened", 1); // done all the same
 * console.log(failures.length); // 1
 * persistentTerm.erase("example:listened");
 * stop();
 * ```
 */
export interface PersistentTermListenerOptions {
  /**
   * Receives what the listener threw, with the change it was given. Default:
   * `console.error`. If it throws too, that is dropped.
   */
  readonly onError?: (error: unknown, change: PersistentTermChange) => void;
}
