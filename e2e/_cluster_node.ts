/**
 * A beamlet node as an OS process, driven by an end-to-end test through its
 * stdin and stdout (private: not a test file; run as
 * `node npm/e2e/_cluster_node.js`, or from source on Deno or Bun).
 *
 * Environment: `BEAMLET_NODE` (the node's name), `BEAMLET_CLUSTER` (the
 * cluster's name), `BEAMLET_SERVERS` (NATS servers, comma-separated).
 *
 * It makes `new System({ node, cluster: { name, servers, heartbeatMs: 100,
 * downAfterMs: 600 } })`, awaits `ready`, prints `{"ready":true,"node":...}`
 * (or `{"ready":false,"error":{...}}` and exits 1), then serves commands, one
 * JSON line each on stdin — `{ "id": 1, "op": "call", ...args }` — answered
 * with one JSON line on stdout: `{ "id": 1, "ok": true, "value": ... }` or
 * `{ "id": 1, "ok": false, "error": { name, message, code? } }`. Lines
 * without an `id` are events: `{"event":"nodeup"|"nodedown", ...}` for every
 * membership change, `{"event":"down", ...}` for every DOWN of a monitor,
 * `{"event":"unhandledRejection"|"uncaughtException", ...}` should the
 * host ever meet one. Closing stdin stops the node as the `stop` op does.
 *
 * The core's ops are here (`nodes`, `members`, `spawnCounter`,
 * `startCounterOn`, `call`, `cast`, `send`, `monitor`, `exit`, `trafficStart`,
 * `trafficStats`, `trafficStop`, `stop`); those of the global registry,
 * process groups and sharding are in `_cluster_node_services.ts`, loaded on
 * first use.
 *
 * @module
 */

import process from "node:process";
import { createInterface } from "node:readline";
import { formatReason, ok, Pid, reply, System } from "../mod.ts";
import { defineBehaviour } from "../schedulers.ts";
import { clusterOf } from "../cluster.ts";
import type { Op, ServiceOps } from "./_cluster_node_services.ts";

/** A counter any node can start here (`placement: { node }`): `"inc"` → n + 1, `"get"` → n. */
const counter = defineBehaviour("e2e.cluster_node.counter", {
  init: (start: number | undefined) => ok(typeof start === "number" ? start : 0),
  handleCall: (request: unknown, _from, n: number) =>
    request === "inc" ? reply(n + 1, n + 1) : reply(n, n),
  handleCast: (_request: unknown, n: number) => ({ type: "noreply" as const, state: n + 1 }),
});

/** The shape of an error as printed. */
interface ErrorLine {
  name: string;
  message: string;
  code?: string;
}

function errorLine(error: unknown): ErrorLine {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return {
      name: error.name,
      message: error.message,
      ...(typeof code === "string" ? { code } : {}),
    };
  }
  return { name: "NonError", message: formatReason(error) };
}

function print(line: Record<string, unknown>): void {
  let text: string;
  try {
    text = JSON.stringify(line);
  } catch (error) {
    text = JSON.stringify({ ...line, value: undefined, unprintable: errorLine(error) });
  }
  process.stdout.write(text + "\n");
}

function pidArg(value: unknown): Pid {
  return Pid.fromJSON(value);
}

/** A run of calls to one pid from a few concurrent loops, until stopped. */
interface Traffic {
  running: boolean;
  acked: number;
  replies: Set<unknown>;
  maxReply: number;
  failures: Record<string, number>;
  loops: Promise<void>[];
}

async function main(): Promise<void> {
  const node = process.env.BEAMLET_NODE ?? "";
  const cluster = process.env.BEAMLET_CLUSTER ?? "";
  const servers = (process.env.BEAMLET_SERVERS ?? "").split(",").filter((s) => s !== "");

  process.on("unhandledRejection", (reason) => {
    print({ event: "unhandledRejection", error: errorLine(reason) });
  });
  process.on("uncaughtException", (error) => {
    print({ event: "uncaughtException", error: errorLine(error) });
  });

  const system = new System({
    node,
    cluster: { name: cluster, servers, heartbeatMs: 100, downAfterMs: 600 },
  });
  try {
    await system.ready;
  } catch (error) {
    print({ ready: false, node, error: errorLine(error) });
    process.exit(1);
  }
  const link = clusterOf(system);
  link.onNodeEvent((event) => print({ event: event.type, ...event, at: Date.now() }));

  // The services' ops, loaded on the first op that is not one of the core's.
  let services: Promise<ServiceOps> | undefined;
  const serviceOp = async (name: string): Promise<Op | undefined> => {
    services ??= import("./_cluster_node_services.ts").then((module) =>
      module.serviceOps(system, counter, pidArg, print)
    );
    const { ops } = await services;
    return Object.hasOwn(ops, name) ? ops[name] : undefined;
  };

  const traffics = new Map<number, Traffic>();
  let nextTraffic = 1;
  let stopping = false;

  const stopNode = async () => {
    if (stopping) return;
    stopping = true;
    for (const traffic of traffics.values()) traffic.running = false;
    // Sharding hands its entities off before the node leaves.
    if (services !== undefined) {
      await Promise.race([
        services.then((loaded) => loaded.close()).catch(() => {}),
        new Promise((resolve) => setTimeout(resolve, 10_000)),
      ]);
    }
    system.shutdown();
    // The leave is said, flushed, and then the connection closed.
    await Promise.race([
      link.connection.closed(),
      new Promise((resolve) => setTimeout(resolve, 5_000)),
    ]);
  };

  const ops: Record<string, Op> = {
    ping: () => "pong",
    /** The other nodes that are up, sorted. */
    nodes: () => link.nodes(),
    /** This node and the others, sorted. */
    members: () => link.members(),
    /** Starts a counter here, registered under `name` if given; its pid. */
    spawnCounter: async ({ name, start }) =>
      String(
        await system.start(
          counter,
          start as number | undefined,
          typeof name === "string" ? { name } : {},
        ),
      ),
    /** Starts a counter on `node` (`placement: { node }`); its pid. */
    startCounterOn: async ({ node: where, start }) =>
      String(
        await system.start(
          counter,
          start as number | undefined,
          { placement: { node: String(where) } },
        ),
      ),
    whereis: ({ name }) => system.whereis(String(name))?.toString() ?? null,
    call: ({ pid, request, timeout }) =>
      system.call(pidArg(pid), request, {
        ...(typeof timeout === "number" ? { timeout } : {}),
      }),
    cast: ({ pid, request }) => system.cast(pidArg(pid), request),
    send: ({ pid, message }) => system.send(pidArg(pid), message),
    monitor: ({ pid }) => {
      const target = pidArg(pid);
      const ref = system.monitor(target, (reason, ref, down) => {
        print({ event: "down", ref: String(ref), pid: String(down), reason: formatReason(reason) });
      });
      return String(ref);
    },
    exit: ({ pid, reason }) => {
      system.exit(pidArg(pid), (reason ?? "kill") as string);
      return null;
    },
    /** Starts `concurrency` loops calling `pid` with `request` until `trafficStop`. */
    trafficStart: ({ pid, request, concurrency, timeout, pauseMs }) => {
      const target = pidArg(pid);
      const id = nextTraffic++;
      const traffic: Traffic = {
        running: true,
        acked: 0,
        replies: new Set(),
        maxReply: 0,
        failures: {},
        loops: [],
      };
      const pause = typeof pauseMs === "number" ? pauseMs : 0;
      const loop = async () => {
        while (traffic.running) {
          try {
            const value = await system.call(target, request ?? "inc", {
              timeout: typeof timeout === "number" ? timeout : 10_000,
            });
            traffic.acked++;
            traffic.replies.add(value);
            if (typeof value === "number" && value > traffic.maxReply) traffic.maxReply = value;
            if (pause > 0) await new Promise((resolve) => setTimeout(resolve, pause));
          } catch (error) {
            const name = errorLine(error).name;
            traffic.failures[name] = (traffic.failures[name] ?? 0) + 1;
            // A node that is down fails calls at once: do not spin.
            await new Promise((resolve) => setTimeout(resolve, 20));
          }
        }
      };
      const loops = typeof concurrency === "number" ? concurrency : 4;
      for (let i = 0; i < loops; i++) traffic.loops.push(loop());
      traffics.set(id, traffic);
      return id;
    },
    /** How far a traffic run got (it keeps running). */
    trafficStats: ({ traffic: id }) => {
      const traffic = traffics.get(Number(id));
      if (traffic === undefined) throw new RangeError(`no traffic ${id}`);
      return { acked: traffic.acked, maxReply: traffic.maxReply, failures: traffic.failures };
    },
    /** Stops a traffic run, waits for its calls in flight, and says what came of them. */
    trafficStop: async ({ traffic: id }) => {
      const traffic = traffics.get(Number(id));
      if (traffic === undefined) throw new RangeError(`no traffic ${id}`);
      traffic.running = false;
      await Promise.all(traffic.loops);
      traffics.delete(Number(id));
      return {
        acked: traffic.acked,
        distinct: traffic.replies.size,
        maxReply: traffic.maxReply,
        failures: traffic.failures,
      };
    },
    stop: async () => {
      await stopNode();
      return null;
    },
  };

  print({ ready: true, node, incarnation: link.incarnation });

  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  lines.on("line", (line) => {
    if (line.trim() === "") return;
    let command: Record<string, unknown>;
    try {
      command = JSON.parse(line);
    } catch (error) {
      print({ event: "badCommand", line: line.slice(0, 200), error: errorLine(error) });
      return;
    }
    const id = command.id;
    const name = String(command.op);
    void (async () => {
      try {
        const op = Object.hasOwn(ops, name) ? ops[name] : await serviceOp(name);
        if (op === undefined) throw new TypeError(`unknown op ${JSON.stringify(command.op)}`);
        const value = await op(command);
        print({ id, ok: true, value: value ?? null });
        if (command.op === "stop") process.exit(0);
      } catch (error) {
        print({ id, ok: false, error: errorLine(error) });
      }
    })();
  });
  lines.on("close", () => {
    void stopNode().finally(() => process.exit(0));
  });
}

main().catch((error) => {
  print({ ready: false, error: errorLine(error) });
  process.exit(1);
});
