/**
 * A local process registry, as Elixir's `Registry`: processes register under
 * keys (any value) with a value each, and leave it when they exit.
 *
 * @module
 */

import { NoProcError } from "../errors.ts";
import { Pid, type Ref } from "../pid.ts";
import { System } from "../system.ts";
import type { KeyedEntry, RegistryEntry } from "./entry.ts";
import { AlreadyRegisteredError } from "./errors.ts";
import type { RegisterEvent, RegistryListener, UnregisterEvent } from "./events.ts";
import type { KeysMode, RegistryOptions } from "./options.ts";
import type { ViaRegistry } from "../options.ts";
import { Listeners } from "./_listeners.ts";
import { reachableElsewhere } from "../_remote_pid.ts";

/** One registration, shared by the by-key and by-pid tables. */
interface Entry {
  readonly key: unknown;
  readonly pid: Pid;
  readonly value: unknown;
}

/** One monitored process: its monitor and its registrations, oldest first. */
interface Watch {
  ref: Ref | undefined;
  readonly entries: Entry[];
}

/**
 * A registry of processes by key, on top of a {@linkcode System}.
 *
 * - Keys are compared with SameValueZero, as `Map` keys: `NaN` equals `NaN`,
 *   `0` equals `-0`, and object keys compare by identity (two equal-looking
 *   objects are two keys).
 * - `"unique"` registries hold at most one process per key; `"duplicate"`
 *   registries hold any number — including the same process under the same
 *   key more than once (as Elixir): each `register` adds an entry, and
 *   `unregister(pid, key)` removes all of them.
 * - The registry monitors each registered process (one monitor per process,
 *   removed with its last key), so its entries vanish when it exits. Between
 *   the exit and the monitor's callback (a microtask), lookups already skip
 *   the dead process: no query ever returns a process that is not alive, and
 *   a unique key held by a dead process may be taken at once.
 * - Listeners (`onRegister`, `onUnregister`) run synchronously, in
 *   subscription order, after the registry reflects the change. A throwing
 *   listener is reported to `options.onListenerError` (default:
 *   `console.error`) and the others still run.
 *
 * @example Sessions by id, and a pub/sub topic
 * ```ts
 * import { ok, Registry, System } from "@beamlet/beamlet";
 *
 * const system = new System();
 * const sessions = new Registry(system, { keys: "unique", name: "sessions" });
 * const topics = new Registry(system, { keys: "duplicate", name: "topics" });
 * const session = await system.start({ init: () => ok(null) });
 *
 * sessions.register(session, "user:42", { since: Date.now() });
 * topics.register(session, "news");
 * console.log(sessions.lookup("user:42")[0].pid === session); // true
 * topics.dispatch("news", (entries) => {
 *   for (const { pid } of entries) system.send(pid, "breaking");
 * });
 *
 * system.exit(session, "kill");
 * console.log(sessions.lookup("user:42")); // []
 * ```
 */
export class Registry implements ViaRegistry {
  /** `"unique"` or `"duplicate"`. */
  readonly mode: KeysMode;
  /** The name given in the options, if any. */
  readonly name: string | undefined;
  readonly #system: System;
  readonly #byKey = new Map<unknown, Entry[]>();
  /** Watches by pid, keyed by the pid's string form (pids are values: an equal pid finds it). */
  readonly #byPid = new Map<string, Watch>();
  readonly #registered: Listeners<RegisterEvent>;
  readonly #unregistered: Listeners<UnregisterEvent>;

  /** Creates an empty registry; throws `TypeError` on a bad system or options. */
  constructor(system: System, options: RegistryOptions) {
    if (!(system instanceof System)) {
      throw new TypeError(`Registry: expected a System, got ${describe(system)}`);
    }
    if (typeof options !== "object" || options === null) {
      throw new TypeError(`Registry: expected options { keys: "unique" | "duplicate" }`);
    }
    const { keys, name, onListenerError } = options;
    if (keys !== "unique" && keys !== "duplicate") {
      throw new TypeError(`Registry: keys must be "unique" or "duplicate", got ${describe(keys)}`);
    }
    if (name !== undefined && typeof name !== "string") {
      throw new TypeError(`Registry: name must be a string, got ${describe(name)}`);
    }
    if (onListenerError !== undefined && typeof onListenerError !== "function") {
      throw new TypeError(`Registry: onListenerError must be a function`);
    }
    this.#system = system;
    this.mode = keys;
    this.name = name;
    const report: (error: unknown, event: RegisterEvent | UnregisterEvent) => void =
      onListenerError ?? ((error: unknown) => {
        console.error(`[beamlet] registry ${name ?? "(unnamed)"}: a listener threw:`, error);
      });
    this.#registered = new Listeners<RegisterEvent>(report);
    this.#unregistered = new Listeners<UnregisterEvent>(report);
  }

  /**
   * Registers `pid` under `key` with `value`. Throws `NoProcError` if `pid`
   * is not a live process of this registry's system, and
   * `AlreadyRegisteredError` if the registry is unique and a live process
   * holds `key`; on a throw the registry is unchanged.
   *
   * @example
   * ```ts
   * import { ok, Registry, System } from "@beamlet/beamlet";
   *
   * const system = new System();
   * const registry = new Registry(system, { keys: "duplicate" });
   * const pid = await system.start({ init: () => ok(null) });
   * registry.register(pid, "room:1", { nick: "ada" });
   * registry.register(pid, "room:1", { nick: "ada (2nd tab)" }); // allowed: duplicate
   * ```
   */
  register(pid: Pid, key: unknown, value?: unknown): void {
    checkPid("register", pid);
    if (!this.#alive(pid)) throw new NoProcError(String(pid));
    if (this.mode === "unique") {
      const holder = this.#byKey.get(key)?.[0];
      if (holder && this.#alive(holder.pid)) {
        throw new AlreadyRegisteredError(key, holder.pid, this.name);
      }
      // A holder that exited but whose monitor has not fired yet leaves now.
      if (holder) this.#emitUnregistered(this.#remove([holder]), "exit");
    }
    let watch = this.#byPid.get(String(pid));
    if (!watch) {
      const created: Watch = { ref: undefined, entries: [] };
      created.ref = this.#system.monitor(pid, () => this.#down(pid, created));
      this.#byPid.set(String(pid), created);
      watch = created;
    }
    const entry: Entry = { key, pid, value };
    watch.entries.push(entry);
    const list = this.#byKey.get(key);
    if (list) list.push(entry);
    else this.#byKey.set(key, [entry]);
    this.#registered.emit({ registry: this.name, key, pid, value });
  }

  /**
   * Removes every registration of `pid` under `key`: how many it removed
   * (0 if none; never throws for a dead or unknown pid).
   *
   * @example
   * ```ts
   * import { ok, Registry, System } from "@beamlet/beamlet";
   *
   * const system = new System();
   * const registry = new Registry(system, { keys: "unique" });
   * const pid = await system.start({ init: () => ok(null) });
   * registry.register(pid, "leader");
   * console.log(registry.unregister(pid, "leader")); // 1
   * ```
   */
  unregister(pid: Pid, key: unknown): number {
    checkPid("unregister", pid);
    const watch = this.#byPid.get(String(pid));
    if (!watch) return 0;
    const removed = this.#remove(watch.entries.filter((entry) => sameValueZero(entry.key, key)));
    this.#emitUnregistered(removed, "unregister");
    return removed.length;
  }

  /**
   * The live processes registered under `key`, oldest registration first
   * (at most one in a unique registry).
   *
   * @example
   * ```ts
   * import { Registry, System } from "@beamlet/beamlet";
   *
   * const registry = new Registry(new System(), { keys: "unique" });
   * console.log(registry.lookup("nobody")); // []
   * ```
   */
  lookup<V = unknown>(key: unknown): RegistryEntry<V>[] {
    return this.#live(key).map(({ pid, value }) => ({ pid, value: value as V }));
  }

  /**
   * The keys `pid` is registered under, oldest first (a key twice if it was
   * registered twice in a duplicate registry); `[]` if `pid` is not alive.
   *
   * @example
   * ```ts
   * import { ok, Registry, System } from "@beamlet/beamlet";
   *
   * const system = new System();
   * const registry = new Registry(system, { keys: "duplicate" });
   * const pid = await system.start({ init: () => ok(null) });
   * registry.register(pid, "a");
   * registry.register(pid, "b");
   * console.log(registry.keys(pid)); // ["a", "b"]
   * ```
   */
  keys(pid: Pid): unknown[] {
    checkPid("keys", pid);
    const watch = this.#byPid.get(String(pid));
    if (!watch || !this.#alive(pid)) return [];
    return watch.entries.map((entry) => entry.key);
  }

  /**
   * The values `pid` registered under `key`, oldest first; `[]` if none or
   * if `pid` is not alive.
   *
   * @example
   * ```ts
   * import { ok, Registry, System } from "@beamlet/beamlet";
   *
   * const system = new System();
   * const registry = new Registry(system, { keys: "duplicate" });
   * const pid = await system.start({ init: () => ok(null) });
   * registry.register(pid, "room", 1);
   * registry.register(pid, "room", 2);
   * console.log(registry.values("room", pid)); // [1, 2]
   * ```
   */
  values<V = unknown>(key: unknown, pid: Pid): V[] {
    checkPid("values", pid);
    return this.#live(key).filter((entry) => entry.pid.equals(pid)).map((entry) =>
      entry.value as V
    );
  }

  /**
   * How many registrations of live processes the registry holds.
   *
   * @example
   * ```ts
   * import { Registry, System } from "@beamlet/beamlet";
   *
   * console.log(new Registry(new System(), { keys: "unique" }).count()); // 0
   * ```
   */
  count(): number {
    let count = 0;
    for (const entries of this.#byKey.values()) {
      for (const entry of entries) if (this.#alive(entry.pid)) count++;
    }
    return count;
  }

  /**
   * How many live registrations under `key` have a value that satisfies
   * `pattern` (all of them without one).
   *
   * @example
   * ```ts
   * import { ok, Registry, System } from "@beamlet/beamlet";
   *
   * const system = new System();
   * const registry = new Registry(system, { keys: "duplicate" });
   * registry.register(await system.start({ init: () => ok(null) }), "jobs", { busy: true });
   * console.log(registry.countMatch("jobs", (value) => (value as { busy: boolean }).busy)); // 1
   * ```
   */
  countMatch(key: unknown, pattern?: (value: unknown) => boolean): number {
    if (pattern === undefined) return this.#live(key).length;
    return this.match(key, pattern).length;
  }

  /**
   * Elixir's `match/3`: the live registrations under `key` whose value
   * satisfies `pattern`, oldest first.
   *
   * @example Idle workers of a pool
   * ```ts
   * import { ok, Registry, System } from "@beamlet/beamlet";
   *
   * const system = new System();
   * const pool = new Registry(system, { keys: "duplicate" });
   * pool.register(await system.start({ init: () => ok(null) }), "workers", "idle");
   * const idle = pool.match("workers", (state) => state === "idle");
   * ```
   */
  match<V = unknown>(key: unknown, pattern: (value: V) => boolean): RegistryEntry<V>[] {
    checkFunction("match", "pattern", pattern);
    return this.lookup<V>(key).filter((entry) => pattern(entry.value));
  }

  /**
   * Elixir's `select/2`: every live registration (key, pid, value) that
   * satisfies `predicate`, by key (in first-registration order), then oldest
   * first. `select(() => true)` lists the whole registry.
   *
   * @example Keys with a prefix
   * ```ts
   * import { ok, Registry, System } from "@beamlet/beamlet";
   *
   * const system = new System();
   * const registry = new Registry(system, { keys: "unique" });
   * registry.register(await system.start({ init: () => ok(null) }), "user:1");
   * const users = registry.select(({ key }) => String(key).startsWith("user:"));
   * ```
   */
  select(predicate: (entry: KeyedEntry) => boolean): KeyedEntry[] {
    checkFunction("select", "predicate", predicate);
    const selected: KeyedEntry[] = [];
    for (const entries of this.#byKey.values()) {
      for (const { key, pid, value } of entries) {
        if (!this.#alive(pid)) continue;
        const entry = { key, pid, value };
        if (predicate(entry)) selected.push(entry);
      }
    }
    return selected;
  }

  /**
   * Calls `fn` once with the live registrations under `key`, if there are
   * any: whether it called it. What `fn` throws reaches the caller.
   *
   * @example Broadcast to a topic
   * ```ts
   * import { Registry, System } from "@beamlet/beamlet";
   *
   * const system = new System();
   * const topics = new Registry(system, { keys: "duplicate" });
   * topics.dispatch("news", (entries) => {
   *   for (const { pid } of entries) system.send(pid, "hello");
   * }); // false: nobody subscribed
   * ```
   */
  dispatch<V = unknown>(key: unknown, fn: (entries: RegistryEntry<V>[]) => void): boolean {
    checkFunction("dispatch", "fn", fn);
    const entries = this.lookup<V>(key);
    if (entries.length === 0) return false;
    fn(entries);
    return true;
  }

  /**
   * Runs `listener` after each registration; returns a function that
   * unsubscribes it.
   *
   * @example
   * ```ts
   * import { Registry, System } from "@beamlet/beamlet";
   *
   * const registry = new Registry(new System(), { keys: "unique" });
   * const stop = registry.onRegister(({ key, pid }) => console.log(key, String(pid)));
   * stop();
   * ```
   */
  onRegister(listener: RegistryListener<RegisterEvent>): () => void {
    checkFunction("onRegister", "listener", listener);
    return this.#registered.add(listener);
  }

  /**
   * Runs `listener` after each removal — by `unregister` (`reason:
   * "unregister"`) or because the process exited (`reason: "exit"`, one
   * event per registration); returns a function that unsubscribes it.
   *
   * @example
   * ```ts
   * import { Registry, System } from "@beamlet/beamlet";
   *
   * const registry = new Registry(new System(), { keys: "unique" });
   * const stop = registry.onUnregister(({ key, reason }) => console.log(key, reason));
   * stop();
   * ```
   */
  onUnregister(listener: RegistryListener<UnregisterEvent>): () => void {
    checkFunction("onUnregister", "listener", listener);
    return this.#unregistered.add(listener);
  }

  /**
   * `{ via: registry, key }` names (a unique registry only): the live process
   * registered under `key`, if any.
   *
   * @example Starting and calling a process by a registry key
   * ```ts
   * import { ok, Registry, reply, System } from "@beamlet/beamlet";
   *
   * const system = new System();
   * const devices = new Registry(system, { keys: "unique" });
   * const name = { via: devices, key: "sensor-7" };
   * await system.start({ init: () => ok(21.5), handleCall: (_r, _f, t: number) => reply(t, t) }, undefined, { name });
   * console.log(await system.call(name, "read")); // 21.5
   * console.log(devices.whereisName("sensor-7") !== undefined); // true
   * ```
   */
  whereisName(key: unknown): Pid | undefined {
    this.#checkVia("whereisName");
    return this.lookup(key)[0]?.pid;
  }

  /** `{ via }` names: registers `pid` under `key`; false when the key is taken. See {@linkcode Registry.whereisName}. */
  registerName(key: unknown, pid: Pid): boolean {
    this.#checkVia("registerName");
    if (this.whereisName(key) !== undefined) return false;
    this.register(pid, key);
    return true;
  }

  /** `{ via }` names: removes `pid`'s registration under `key`. See {@linkcode Registry.whereisName}. */
  unregisterName(key: unknown, pid: Pid): void {
    this.#checkVia("unregisterName");
    this.unregister(pid, key);
  }

  /**
   * Alive here, or a pid on another scheduler (node) the system reaches:
   * its monitor removes it when it is gone (at once if it already is).
   */
  #alive(pid: Pid): boolean {
    return this.#system.isAlive(pid) || reachableElsewhere(this.#system, pid);
  }

  #checkVia(method: string): void {
    if (this.mode !== "unique") {
      throw new TypeError(`Registry.${method}: { via } names need a registry with unique keys`);
    }
  }

  /**
   * Sizes of the registry's tables, for leak tests: `entries` (including
   * those of processes whose exit is not yet processed), `keys`, `pids`
   * (each holds exactly one monitor on the system) and `listeners`.
   *
   * @example
   * ```ts
   * import { Registry, System } from "@beamlet/beamlet";
   *
   * console.log(new Registry(new System(), { keys: "unique" }).tableSizes().pids); // 0
   * ```
   */
  tableSizes(): { entries: number; keys: number; pids: number; listeners: number } {
    let entries = 0;
    for (const watch of this.#byPid.values()) entries += watch.entries.length;
    return {
      entries,
      keys: this.#byKey.size,
      pids: this.#byPid.size,
      listeners: this.#registered.size + this.#unregistered.size,
    };
  }

  /** The live entries under `key`. */
  #live(key: unknown): Entry[] {
    const entries = this.#byKey.get(key);
    if (!entries) return [];
    return entries.filter((entry) => this.#alive(entry.pid));
  }

  /** The monitor of `pid` fired: its entries leave (unless `watch` is stale). */
  #down(pid: Pid, watch: Watch): void {
    if (this.#byPid.get(String(pid)) !== watch) return;
    this.#emitUnregistered(this.#remove([...watch.entries]), "exit");
  }

  /** Takes `entries` out of both tables (demonitoring emptied pids); returns them. */
  #remove(entries: Entry[]): Entry[] {
    for (const entry of entries) {
      const byKey = this.#byKey.get(entry.key)!;
      byKey.splice(byKey.indexOf(entry), 1);
      if (byKey.length === 0) this.#byKey.delete(entry.key);
      const watch = this.#byPid.get(String(entry.pid))!;
      watch.entries.splice(watch.entries.indexOf(entry), 1);
      if (watch.entries.length === 0) {
        this.#byPid.delete(String(entry.pid));
        this.#system.demonitor(watch.ref!);
      }
    }
    return entries;
  }

  #emitUnregistered(entries: Entry[], reason: "unregister" | "exit"): void {
    for (const { key, pid, value } of entries) {
      this.#unregistered.emit({ registry: this.name, key, pid, value, reason });
    }
  }
}

function sameValueZero(a: unknown, b: unknown): boolean {
  return a === b || (a !== a && b !== b);
}

function checkPid(method: string, pid: unknown): void {
  if (!(pid instanceof Pid)) {
    throw new TypeError(`Registry.${method}: expected a Pid, got ${describe(pid)}`);
  }
}

function checkFunction(method: string, what: string, fn: unknown): void {
  if (typeof fn !== "function") {
    throw new TypeError(`Registry.${method}: ${what} must be a function, got ${describe(fn)}`);
  }
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "object") return value.constructor?.name ?? "object";
  return `${typeof value} ${String(value)}`;
}
