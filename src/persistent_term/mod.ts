/**
 * Persistent terms, as Erlang's `persistent_term` (re-exports only).
 *
 * @example
 * ```ts
 * import { persistentTerm } from "@beamlet/beamlet/tables";
 *
 * persistentTerm.put("example:mode", "production");
 * console.log(persistentTerm.get("example:mode")); // "production"
 * persistentTerm.erase("example:mode");
 * ```
 *
 * @module
 */

export * from "./persistent_term.ts";
export * from "./errors.ts";
export * from "./events.ts";
export * from "./info.ts";
export * from "./key.ts";
