/**
 * Registration events: what `onRegister` / `onUnregister` listeners receive.
 *
 * @module
 */

import type { Pid } from "../pid.ts";

/**
 * `pid` registered `key` with `value`.
 *
 * @example
 * ```ts
 * import { ok, Registry, System } from "@beamlet/beamlet";
 * import type { RegisterEvent } from "@beamlet/beamlet/registry";
 *
 * const system = new System();
 * const registry = new Registry(system, { keys: "unique", name: "sessions" });
 * registry.onRegister((event: RegisterEvent) => console.log(event.key, String(event.pid)));
 * registry.register(await system.start({ init: () => ok(null) }), "s1");
 * ```
 */
export interface RegisterEvent {
  /** The registry's name, if it has one. */
  readonly registry: string | undefined;
  /** The key. */
  readonly key: unknown;
  /** The process registered under it. */
  readonly pid: Pid;
  /** The value it registered with. */
  readonly value: unknown;
}

/**
 * An entry left the registry: by `unregister` (`reason: "unregister"`), or
 * because its process exited (`reason: "exit"`).
 *
 * @example Watching processes leave
 * ```ts
 * import { Registry, System } from "@beamlet/beamlet";
 * import type { UnregisterEvent } from "@beamlet/beamlet/registry";
 *
 * const registry = new Registry(new System(), { keys: "duplicate" });
 * registry.onUnregister((event: UnregisterEvent) => {
 *   if (event.reason === "exit") console.log(`${event.pid} left ${String(event.key)}`);
 * });
 * ```
 */
export interface UnregisterEvent extends RegisterEvent {
  /** Why it left: `unregister` was called, or its process exited. */
  readonly reason: "unregister" | "exit";
}

/**
 * A registration listener; what `onRegister` / `onUnregister` return removes it.
 *
 * @example
 * ```ts
 * import type { RegistryListener, UnregisterEvent } from "@beamlet/beamlet/registry";
 *
 * const log: RegistryListener<UnregisterEvent> = (event) => console.log(event.reason);
 * ```
 */
export type RegistryListener<E> = (event: E) => void;
