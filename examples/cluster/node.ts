/**
 * One node of the cluster example (started by `main.ts`, one OS process
 * per node): it joins cluster `example` over NATS, runs the `carts`
 * sharding (carts move with their items when nodes join or leave), joins
 * two workers to the process group `workers`, tries to take the global name
 * `leader` (one node gets it), adds items to random carts, and serves its
 * dashboard. It prints one JSON line per status (`main.ts` reads them).
 *
 * ```sh
 * deno run -A examples/cluster/node.ts --node=a --servers=127.0.0.1:4222 --port=0
 * ```
 *
 * @module
 */

import process from "node:process";
import { noreply, ok, type Pid, System } from "../../mod.ts";
import { GlobalRegistry, nodes, ProcessGroups, Sharding } from "../../cluster.ts";
import { createTelemetryApp } from "../../hono.ts";
import { serve } from "../demo/_serve.ts";
import { cart } from "./carts.ts";

function arg(name: string, fallback?: string): string {
  const found = process.argv.find((a) => a.startsWith(`--${name}=`));
  if (found !== undefined) return found.slice(name.length + 3);
  if (fallback !== undefined) return fallback;
  console.error(`node.ts: --${name}=... is required`);
  process.exit(2);
}

const node = arg("node");
const servers = arg("servers", "127.0.0.1:4222");
const token = arg("token", crypto.randomUUID());
const system = new System({
  node,
  logger: null,
  cluster: { name: "example", servers: servers.split(","), heartbeatMs: 100, downAfterMs: 1000 },
});
await system.ready;

const names = new GlobalRegistry(system);
await names.ready;
const groups = new ProcessGroups(system);
await groups.ready;
const carts = await Sharding.start(system, { name: "carts", entity: cart, shards: 32 });

// Two workers in the group "workers"; one leader in the whole cluster.
const idle = { init: () => ok(null), handleInfo: (_m: unknown, s: null) => noreply(s) };
for (let i = 0; i < 2; i++) groups.join("workers", await system.start(idle) as Pid);
const candidate = await system.start(idle) as Pid;
let leader = await names.register("leader", candidate);

const app = createTelemetryApp(system, { auth: { token, name: "cluster-example" } });
const server = await serve((request, env) => app.fetch(request, env), {
  port: Number(arg("port", "0")),
});

let acked = 0;
let failed = 0;
const adding = setInterval(() => {
  const key = `cart:${Math.floor(Math.random() * 200)}`;
  carts.call(key, { add: `item from ${node}` }).then(() => acked++, () => failed++);
}, 10);

function status(): void {
  // The leader's node left: the candidates try again, one gets it.
  if (names.whereis("leader") === undefined) {
    names.register("leader", candidate).then((won) => leader ||= won, () => {});
  }
  const stats = carts.stats();
  console.log(JSON.stringify({
    node,
    dashboard: `http://${server.hostname}:${server.port}/dashboard?token=${token}`,
    nodes: nodes(system),
    leader: String(names.whereis("leader") ?? "none"),
    leaderHere: leader,
    workers: groups.members("workers").length,
    shards: stats.shards,
    entities: stats.entities,
    acked,
    failed,
  }));
}
status();
const every = setInterval(status, 1000);

async function stop(): Promise<void> {
  clearInterval(adding);
  clearInterval(every);
  await carts.stop(); // hands its carts off to the nodes left
  await system.stopAll();
  await server.close();
  process.exit(0);
}
process.on("SIGTERM", () => void stop());
process.on("SIGINT", () => void stop());
