/**
 * Options of a {@linkcode Registry}.
 *
 * @module
 */

import type { RegisterEvent, UnregisterEvent } from "./events.ts";

/**
 * How a registry treats keys, as Elixir's `:keys` option:
 * - `"unique"`: a key belongs to at most one process at a time;
 * - `"duplicate"`: many processes (and the same process, more than once) may
 *   register under one key — a pub/sub topic, a pool's members.
 *
 * @example
 * ```ts
 * import type { KeysMode } from "@beamlet/beamlet/registry";
 *
 * const mode: KeysMode = "duplicate";
 * ```
 */
export type KeysMode = "unique" | "duplicate";

/**
 * What `new Registry(system, options)` accepts.
 *
 * @example A named pub/sub registry that collects listener failures
 * ```ts
 * import type { RegistryOptions } from "@beamlet/beamlet";
 *
 * const failures: unknown[] = [];
 * const options: RegistryOptions = {
 *   keys: "duplicate",
 *   name: "topics",
 *   onListenerError: (error) => failures.push(error),
 * };
 * ```
 */
export interface RegistryOptions {
  /** `"unique"` or `"duplicate"` (required, as in Elixir). */
  keys: KeysMode;
  /** A name for messages, errors and events. */
  name?: string;
  /**
   * Called when an `onRegister`/`onUnregister` listener throws. The registry
   * is already consistent when listeners run, and the remaining listeners
   * still run. Default: one `console.error` line.
   */
  onListenerError?: (error: unknown, event: RegisterEvent | UnregisterEvent) => void;
}
