/**
 * The registry, as Elixir's `Registry`: processes by key (unique or
 * duplicate keys), entries gone when their process exits, listeners for
 * registrations, and `{ via: registry, key }` names (`ViaName`) accepted
 * anywhere a target is; any object with the four `ViaRegistry` methods
 * can stand in for a `Registry` there. The root entry re-exports `Registry`, `RegistryOptions` and
 * `AlreadyRegisteredError`; the entry and event types are here.
 *
 * @example A pub-sub topic over duplicate keys
 * ```ts
 * import { ok, System } from "@beamlet/beamlet";
 * import { type RegisterEvent, Registry } from "@beamlet/beamlet/registry";
 *
 * const system = new System();
 * const topics = new Registry(system, { keys: "duplicate" });
 * const joined: RegisterEvent[] = [];
 * topics.onRegister((event) => joined.push(event));
 * for (let i = 0; i < 3; i++) {
 *   topics.register(await system.start({ init: () => ok(i) }), "news");
 * }
 * console.log(topics.lookup("news").length, joined.length); // 3 3
 * topics.dispatch("news", (entries) => {
 *   for (const { pid } of entries) system.send(pid, "hello");
 * });
 * system.shutdown();
 * ```
 *
 * @module
 */

export { Registry } from "./src/registry/registry.ts";
export type { KeysMode, RegistryOptions } from "./src/registry/options.ts";
export type { KeyedEntry, RegistryEntry } from "./src/registry/entry.ts";
export type { RegisterEvent, RegistryListener, UnregisterEvent } from "./src/registry/events.ts";
export { AlreadyRegisteredError } from "./src/registry/errors.ts";
export type { ViaName, ViaRegistry } from "./src/options.ts";
