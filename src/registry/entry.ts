/**
 * What registry lookups return.
 *
 * @module
 */

import type { Pid } from "../pid.ts";

/**
 * One registration under a known key: the process and the value it gave.
 * A fresh object per lookup; changing it does not change the registry.
 *
 * @example
 * ```ts
 * import { ok, Registry, System } from "@beamlet/beamlet";
 * import type { RegistryEntry } from "@beamlet/beamlet/registry";
 *
 * const system = new System();
 * const registry = new Registry(system, { keys: "unique" });
 * registry.register(await system.start({ init: () => ok(null) }), "cache", { shard: 1 });
 * const [entry]: RegistryEntry[] = registry.lookup("cache");
 * console.log(entry.value); // { shard: 1 }
 * ```
 */
export interface RegistryEntry<V = unknown> {
  /** The registered process. */
  readonly pid: Pid;
  /** The value it registered with. */
  readonly value: V;
}

/**
 * One registration with its key: what `select` predicates see and return.
 *
 * @example
 * ```ts
 * import type { KeyedEntry } from "@beamlet/beamlet/registry";
 *
 * const onShardOne = (entry: KeyedEntry) => (entry.value as { shard: number }).shard === 1;
 * ```
 */
export interface KeyedEntry<K = unknown, V = unknown> extends RegistryEntry<V> {
  /** The key it is registered under. */
  readonly key: K;
}
