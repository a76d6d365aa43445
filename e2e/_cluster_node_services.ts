/**
 * The ops of a node process (`_cluster_node.ts`) for the cluster services:
 * the global registry, process groups and sharding (private: not a test
 * file). Loaded by the node on the first op that needs them, so that a node
 * used only for the core never loads them.
 *
 * Every service is opened on first use (`globalOpen`, `pgOpen` and
 * `shardingStart` open them with options) and closed — sharding stopped
 * with its hand-offs — before the node leaves (`close`).
 *
 * @module
 */

import { type GenServer, ok, type Pid, reply, type System } from "../mod.ts";
import { type EntityInit, GlobalRegistry, ProcessGroups, Sharding } from "../cluster.ts";

/** An op: its arguments (the command line's fields) → its value. */
export type Op = (args: Record<string, unknown>) => unknown;

/** The service ops and how to close the services before leaving. */
export interface ServiceOps {
  readonly ops: Record<string, Op>;
  /** Stops every sharding (handing its entities off), closes groups and the registry. */
  close(): Promise<void>;
}

/** A keyed counter for sharding: its count survives a hand-off. */
const entity: GenServer<number, EntityInit, unknown, number, unknown> = {
  init: ({ handoff }) => ok(typeof handoff === "number" ? handoff : 0),
  handleCall: (request, _from, n) => request === "inc" ? reply(n + 1, n + 1) : reply(n, n),
  handleCast: (_request, n) => ({ type: "noreply", state: n + 1 }),
};

const text = (pids: readonly Pid[]) => pids.map(String).sort();

/**
 * The service ops of a node: `counter` is the node's counter behaviour,
 * `pidOf` reads a pid argument, `print` writes an event line.
 */
export function serviceOps(
  system: System,
  counter: GenServer<number, number | undefined>,
  pidOf: (value: unknown) => Pid,
  print: (line: Record<string, unknown>) => void,
): ServiceOps {
  let registry: GlobalRegistry | undefined;
  let groups: ProcessGroups | undefined;
  const shardings = new Map<string, Sharding>();

  const openRegistry = async (replicas?: unknown) => {
    if (registry === undefined) {
      registry = new GlobalRegistry(system, {
        ...(typeof replicas === "number" ? { replicas } : {}),
      });
    }
    await registry.ready;
    return registry;
  };
  const openGroups = async () => {
    if (groups === undefined) groups = new ProcessGroups(system);
    await groups.ready;
    return groups;
  };
  const sharding = (name: unknown) => {
    const found = shardings.get(String(name));
    if (found === undefined) throw new RangeError(`no sharding ${String(name)} on this node`);
    return found;
  };

  const ops: Record<string, Op> = {
    // ---------------------------------------------------------- global registry
    globalOpen: async ({ replicas }) => (await openRegistry(replicas)).bucket,
    /** Starts a counter here and registers it as `name`: `{ registered, pid }`. */
    globalRegister: async ({ name }) => {
      const names = await openRegistry();
      const pid = await system.start(counter, 0);
      const registered = await names.register(String(name), pid);
      if (!registered) system.exit(pid, "kill");
      return { registered, pid: String(pid) };
    },
    /** Starts a counter here under `{ via: registry, key: name }`; its pid (AlreadyStartedError if taken). */
    globalStart: async ({ name }) => {
      const names = await openRegistry();
      return String(await system.start(counter, 0, { name: { via: names, key: String(name) } }));
    },
    globalUnregister: async ({ name }) => {
      await (await openRegistry()).unregister(String(name));
      return null;
    },
    globalWhereis: async ({ name }) =>
      (await openRegistry()).whereis(String(name))?.toString() ?? null,
    globalLookup: async ({ name }) =>
      (await (await openRegistry()).lookup(String(name)))?.toString() ?? null,
    globalNames: async () => (await openRegistry()).names().sort(),
    globalCall: async ({ name, request, timeout }) =>
      system.call({ via: await openRegistry(), key: String(name) }, request, {
        ...(typeof timeout === "number" ? { timeout } : {}),
      }),

    // ---------------------------------------------------------- process groups
    pgOpen: async () => {
      await openGroups();
      return null;
    },
    /** Starts a counter here and joins it to `group`; its pid. */
    pgJoin: async ({ group }) => {
      const pg = await openGroups();
      const pid = await system.start(counter, 0);
      pg.join(String(group), pid);
      return String(pid);
    },
    pgLeave: async ({ group, pid }) => (await openGroups()).leave(String(group), pidOf(pid)),
    pgMembers: async ({ group }) => text((await openGroups()).members(String(group))),
    pgLocalMembers: async ({ group }) => text((await openGroups()).localMembers(String(group))),
    pgGroups: async () => (await openGroups()).whichGroups().sort(),
    /** Prints `{"event":"pg","type":"join"|"leave","group",pids}` for each change; the members now. */
    pgMonitor: async ({ group }) => {
      const { members } = (await openGroups()).monitor(String(group), (event) => {
        print({ event: "pg", type: event.type, group: event.group, pids: text(event.pids) });
      });
      return text(members);
    },

    // ---------------------------------------------------------- sharding
    /** Starts sharding `name` of keyed counters here (`"inc"` / `"get"`). */
    shardingStart: async ({ name, shards, handoffTimeoutMs, callTimeoutMs }) => {
      const key = String(name);
      if (shardings.has(key)) throw new RangeError(`sharding ${key} runs here already`);
      const started = await Sharding.start(system, {
        name: key,
        entity,
        ...(typeof shards === "number" ? { shards } : {}),
        ...(typeof handoffTimeoutMs === "number" ? { handoffTimeoutMs } : {}),
        ...(typeof callTimeoutMs === "number" ? { callTimeoutMs } : {}),
      });
      shardings.set(key, started as Sharding);
      return null;
    },
    shardCall: ({ name, key, request, timeout }) =>
      sharding(name).call(key as string, request ?? "inc", {
        ...(typeof timeout === "number" ? { timeout } : {}),
      }),
    shardCast: async ({ name, key, request }) => {
      await sharding(name).cast(key as string, request ?? "inc");
      return null;
    },
    shardOwner: ({ name, key }) => sharding(name).ownerOf(key as string) ?? null,
    shardLocal: ({ name }) => sharding(name).localShards(),
    shardEntities: ({ name }) =>
      sharding(name).localEntities().map(({ key, pid }) => ({ key, pid: String(pid) })),
    shardStats: ({ name }) => sharding(name).stats(),
    shardingStop: async ({ name }) => {
      await sharding(name).stop();
      shardings.delete(String(name));
      return null;
    },
  };

  return {
    ops,
    async close() {
      await Promise.all([...shardings.values()].map((s) => s.stop().catch(() => {})));
      shardings.clear();
      groups?.close();
      registry?.close();
    },
  };
}
