/**
 * Named errors of the registry.
 *
 * @module
 */

import type { Pid } from "../pid.ts";

/**
 * `register` on a unique registry with a key that a live process already
 * holds. `pid` is that process; the registry is left unchanged.
 *
 * @example Catching a taken key
 * ```ts
 * import { AlreadyRegisteredError, ok, Registry, System } from "@beamlet/beamlet";
 *
 * const system = new System();
 * const registry = new Registry(system, { keys: "unique" });
 * const a = await system.start({ init: () => ok(null) });
 * const b = await system.start({ init: () => ok(null) });
 * registry.register(a, "session:42");
 * try {
 *   registry.register(b, "session:42");
 * } catch (error) {
 *   if (error instanceof AlreadyRegisteredError) console.log(error.pid === a); // true
 * }
 * ```
 */
export class AlreadyRegisteredError extends Error {
  /** The key asked for. */
  readonly key: unknown;
  /** The live process that holds it. */
  readonly pid: Pid;
  /** The registry's name, if it has one. */
  readonly registry: string | undefined;

  /** Built by a unique registry when a key is taken. */
  constructor(key: unknown, pid: Pid, registry?: string) {
    const where = registry === undefined ? "" : ` in registry ${registry}`;
    super(`key ${describeKey(key)} is already registered to ${pid}${where}`);
    this.name = "AlreadyRegisteredError";
    this.key = key;
    this.pid = pid;
    this.registry = registry;
  }
}

function describeKey(key: unknown): string {
  if (typeof key === "string") return JSON.stringify(key);
  if (typeof key === "object" && key !== null) return `<${key.constructor?.name ?? "object"}>`;
  return String(key);
}
