/**
 * Erlang's `persistent_term`: a store of terms that are read often and
 * written rarely, global to the JavaScript realm (as Erlang's is to the
 * node), readable from any code with one property read and no copy.
 *
 * The cost model is Erlang's, made explicit (docs/persistent_term.md):
 * `get` is cheap — a read of a frozen null-prototype object; `put` and
 * `erase` are expensive — each copies the key table (O(number of terms)),
 * bumps the store's {@linkcode PersistentTerm.version} and runs the change
 * listeners synchronously. Store configuration, compiled routes, lookup
 * tables; not counters or per-request state.
 *
 * @module
 */

import {
  PersistentTermKeyError,
  PersistentTermNotFoundError,
  PersistentTermValueError,
} from "./errors.ts";
import type {
  PersistentTermChange,
  PersistentTermListener,
  PersistentTermListenerOptions,
} from "./events.ts";
import type { PersistentTermInfo } from "./info.ts";
import type { PersistentTermKey } from "./key.ts";
import { ChangeListeners } from "./_listeners.ts";
import { estimateBytes, stringBytes } from "../_memory_estimate.ts";

/**
 * The persistent term store's interface; {@linkcode persistentTerm} is the
 * one instance.
 *
 * @example Configuration read on every request, written at deploy time
 * ```ts
 * import { persistentTerm, type PersistentTerm } from "@beamlet/beamlet/tables";
 *
 * const store: PersistentTerm = persistentTerm;
 * store.put("example:routes", new Map([["/health", "ok"]]));
 * const routes = store.get<Map<string, string>>("example:routes");
 * console.log(routes.get("/health")); // "ok"
 * store.erase("example:routes");
 * ```
 */
export interface PersistentTerm {
  /**
   * The term under `key`, as stored (not copied: treat it as immutable).
   * Throws {@linkcode PersistentTermNotFoundError} if there is none, and
   * {@linkcode PersistentTermKeyError} if `key` is not a string.
   */
  get<T = unknown>(key: string): T;
  /**
   * The term under `key`, or `fallback` if there is none. Without type
   * arguments the result has the fallback's type; `get<T>(key, fallback)`
   * types both as `T`.
   */
  get<T = never, D = T>(key: string, fallback: D): T | D;
  /**
   * Stores `value` under `key`, replacing any term there. Expensive by
   * design: it copies the key table, bumps {@linkcode PersistentTerm.version}
   * and runs the change listeners before it returns. Putting the very term
   * already stored (`Object.is`) changes nothing, as in Erlang. The value is
   * neither copied nor frozen: do not mutate it afterwards, as nobody is told.
   * `undefined` is refused ({@linkcode PersistentTermValueError}: use `erase`).
   */
  put(key: string, value: NonNullable<unknown> | null): void;
  /** Removes the term under `key`; `false` (and no change) if there was none. */
  erase(key: string): boolean;
  /** How many terms, their memory (estimate, bytes) and the version. */
  info(): PersistentTermInfo;
  /**
   * Bumped by every `put` and `erase` that changes the store: a cache that
   * derives something from terms keeps the version it derived it at, and
   * recomputes when this differs (one number compare per read).
   */
  readonly version: number;
  /**
   * Calls `listener` after each change, in order; returns the unsubscribe
   * function. A throwing listener is reported to `options.onError` (default
   * `console.error`) and breaks nothing: the change is done, the other
   * listeners run.
   */
  onChange(listener: PersistentTermListener, options?: PersistentTermListenerOptions): () => void;
  /** A typed handle on the term under `name` (see {@linkcode PersistentTermKey}). */
  key<T>(name: string): PersistentTermKey<T>;
  /**
   * Every term, as Erlang's `persistent_term:get/0`: the store's current
   * frozen table itself (no copy). A later `put` or `erase` replaces the
   * table, so a snapshot never changes.
   */
  snapshot(): Readonly<Record<string, unknown>>;
}

/** The current table: frozen, null-prototype, replaced (never changed) by put and erase. */
let terms: Readonly<Record<string, unknown>> = Object.freeze(Object.create(null));
/** Its keys in insertion order: copying through an array beats `for...in` on V8. */
const keys: string[] = [];
let version = 0;
/** Memory estimates per key, filled by `info()`, dropped when the term changes. */
const sizes = new Map<string, number>();
const listeners = new ChangeListeners();

function copyTerms(without?: string): Record<string, unknown> {
  const next: Record<string, unknown> = Object.create(null);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    if (key !== without) next[key] = terms[key];
  }
  return next;
}

function publish(kind: "put" | "erase", key: string, value: unknown, previous: unknown): void {
  version++;
  sizes.delete(key);
  if (listeners.size === 0) return;
  const change: PersistentTermChange = { kind, key, value, previous, version };
  listeners.emit(change);
}

function put(key: string, value: unknown): void {
  if (typeof key !== "string") throw new PersistentTermKeyError("put", key);
  if (value === undefined) throw new PersistentTermValueError(key);
  const previous = terms[key];
  if (Object.is(previous, value)) return;
  const next = copyTerms();
  next[key] = value;
  terms = Object.freeze(next);
  if (previous === undefined) keys.push(key);
  publish("put", key, value, previous);
}

function erase(key: string): boolean {
  if (typeof key !== "string") throw new PersistentTermKeyError("erase", key);
  const previous = terms[key];
  if (previous === undefined) return false;
  terms = Object.freeze(copyTerms(key));
  keys.splice(keys.indexOf(key), 1);
  publish("erase", key, undefined, previous);
  return true;
}

function missing(operation: string, key: unknown): never {
  if (typeof key !== "string") throw new PersistentTermKeyError(operation, key);
  throw new PersistentTermNotFoundError(key);
}

function info(): PersistentTermInfo {
  let memory = 0;
  for (const key of keys) {
    let bytes = sizes.get(key);
    if (bytes === undefined) {
      bytes = estimateBytes(terms[key]);
      sizes.set(key, bytes);
    }
    memory += 32 + stringBytes(key.length) + bytes;
  }
  return { count: keys.length, memory, version };
}

function onChange(
  listener: PersistentTermListener,
  options: PersistentTermListenerOptions = {},
): () => void {
  if (typeof listener !== "function") {
    throw new TypeError("persistentTerm.onChange: the listener must be a function");
  }
  const onError = options?.onError ?? reportListenerError;
  if (typeof onError !== "function") {
    throw new TypeError("persistentTerm.onChange: options.onError must be a function");
  }
  return listeners.add(listener, onError);
}

function reportListenerError(error: unknown, change: PersistentTermChange): void {
  console.error(
    `persistentTerm: an onChange listener threw on ${change.kind} ${change.key}`,
    error,
  );
}

function key<T>(name: string): PersistentTermKey<T> {
  if (typeof name !== "string") throw new PersistentTermKeyError("key", name);
  return Object.freeze({
    name,
    get(fallback?: unknown) {
      const value = terms[name];
      if (value !== undefined) return value as T;
      if (arguments.length > 0) return fallback;
      throw new PersistentTermNotFoundError(name);
    },
    put: (value: T & (NonNullable<unknown> | null)) => put(name, value),
    erase: () => erase(name),
  }) as PersistentTermKey<T>;
}

/**
 * The persistent term store of this JavaScript realm (one per loaded copy
 * of beamlet; every System, process and plain function in the realm shares
 * it, as every process of an Erlang node shares `persistent_term`).
 *
 * @example Put once, read everywhere, watch the version
 * ```ts
 * import { persistentTerm } from "@beamlet/beamlet/tables";
 *
 * persistentTerm.put("example:greeting", "hello");
 * console.log(persistentTerm.get<string>("example:greeting")); // "hello"
 * console.log(persistentTerm.get("example:absent", "fallback")); // "fallback"
 *
 * // A cache derived from a term, recomputed only when the store changed.
 * let seen = -1;
 * let shout = "";
 * const shouted = () => {
 *   if (seen !== persistentTerm.version) {
 *     shout = persistentTerm.get<string>("example:greeting").toUpperCase();
 *     seen = persistentTerm.version;
 *   }
 *   return shout;
 * };
 * console.log(shouted()); // "HELLO"
 * console.log(persistentTerm.erase("example:greeting")); // true
 * ```
 */
export const persistentTerm: PersistentTerm = Object.freeze(
  // The getter is defined apart: a frozen object literal with an accessor
  // drops to dictionary mode on V8, which makes `persistentTerm.get` itself a
  // hash lookup (measured: reads twice as slow).
  Object.defineProperty(
    {
      get(key: string, fallback?: unknown) {
        if (typeof key === "string") {
          const value = terms[key];
          if (value !== undefined) return value;
        }
        return arguments.length > 1 && typeof key === "string" ? fallback : missing("get", key);
      },
      put,
      erase,
      info,
      onChange,
      key,
      snapshot: (): Readonly<Record<string, unknown>> => terms,
    },
    "version",
    { get: (): number => version, enumerable: true },
  ),
) as PersistentTerm;
