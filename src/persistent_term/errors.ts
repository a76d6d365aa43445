/**
 * Named errors of the persistent term store.
 *
 * @module
 */

import { describeValue, inspect } from "../_inspect.ts";

/**
 * `persistentTerm.get(key)` without a default, for a key that holds no term
 * (Erlang's `persistent_term:get/1` raises `badarg`). `get(key, fallback)`
 * returns the fallback instead of throwing.
 *
 * @example Telling a missing term from a bug
 * ```ts
 * import { PersistentTermNotFoundError, persistentTerm } from "@beamlet/beamlet/tables";
 *
 * try {
 *   persistentTerm.get("example:never-put");
 * } catch (error) {
 *   if (error instanceof PersistentTermNotFoundError) console.log(error.key); // "example:never-put"
 * }
 * ```
 */
export class PersistentTermNotFoundError extends Error {
  /** `"badarg"`: what Erlang raises in the same place. */
  readonly code = "badarg";
  /** The key asked for. */
  readonly key: string;

  /** Built by `persistentTerm.get` when the key holds no term. */
  constructor(key: string) {
    super(
      `no persistent term under key ${inspect(key, 120)} (use get(key, fallback) for a default)`,
    );
    this.name = "PersistentTermNotFoundError";
    this.key = key;
  }
}

/**
 * A persistent term key that is not a string (any operation). Keys are
 * strings, so that a read is one property read.
 *
 * @example A number is not a key
 * ```ts
 * import { PersistentTermKeyError, persistentTerm } from "@beamlet/beamlet/tables";
 *
 * try {
 *   persistentTerm.put(42 as unknown as string, "answer");
 * } catch (error) {
 *   if (error instanceof PersistentTermKeyError) console.log(error.operation); // "put"
 * }
 * ```
 */
export class PersistentTermKeyError extends TypeError {
  /** The value given as a key. */
  readonly key: unknown;
  /** The operation it was given to (`"get"`, `"put"`, `"erase"`, `"key"`). */
  readonly operation: string;

  /** Built by the store when a key is not a string. */
  constructor(operation: string, key: unknown) {
    super(`persistentTerm.${operation}: a key must be a string, got ${describeValue(key)}`);
    this.name = "PersistentTermKeyError";
    this.key = key;
    this.operation = operation;
  }
}

/**
 * `persistentTerm.put(key, undefined)`: `undefined` is what a missing term
 * reads as, so it cannot be stored; `persistentTerm.erase(key)` removes a
 * term. The store is left unchanged.
 *
 * @example Erase instead of storing undefined
 * ```ts
 * import { PersistentTermValueError, persistentTerm } from "@beamlet/beamlet/tables";
 *
 * const settings = JSON.parse('{"region": "eu"}'); // no "timeout" in it
 * try {
 *   persistentTerm.put("example:timeout", settings.timeout);
 * } catch (error) {
 *   if (error instanceof PersistentTermValueError) persistentTerm.erase(error.key);
 * }
 * ```
 */
export class PersistentTermValueError extends TypeError {
  /** The key the value was for. */
  readonly key: string;

  /** Built by `persistentTerm.put` when the value is `undefined`. */
  constructor(key: string) {
    super(
      `persistentTerm.put(${inspect(key, 120)}, undefined): undefined cannot be stored; ` +
        `use persistentTerm.erase(key) to remove a term`,
    );
    this.name = "PersistentTermValueError";
    this.key = key;
  }
}
