/**
 * The registry: processes by key, as Elixir's `Registry` (re-exports only).
 *
 * @example
 * ```ts
 * import { ok, Registry, System } from "@beamlet/beamlet";
 *
 * const system = new System();
 * const registry = new Registry(system, { keys: "unique" });
 * registry.register(await system.start({ init: () => ok(null) }), "cache");
 * ```
 *
 * @module
 */

export * from "./registry.ts";
export * from "./errors.ts";
export * from "./entry.ts";
export * from "./events.ts";
export * from "./options.ts";
