/**
 * Cluster sharding: how long a rebalance takes when a node joins. Three
 * systems in one process over one real `nats-server`, with a hand-driven
 * membership (`e2e/_fake_cluster.ts`): nodes a and b run `ENTITIES`
 * entities (a counter each, over `SHARDS` shards); node c comes up, and the
 * clock runs from the moment a and b see it until every shard c now owns
 * was handed off — each entity's state asked for, stopped, sent, started
 * again on c — and nothing is held any more. Each sample then checks every
 * counter kept its value and takes c away again (its shards go back to a
 * and b by hand-off through `stop()`).
 *
 * Prints the median and the spread over `SAMPLES` samples, in ms, and the
 * entities and shards that moved. Starts its own `nats-server` on 127.0.0.1.
 *
 * Run: `deno run -A bench/cluster_rebalance_bench.ts`.
 *
 * @module
 */

import { existsSync } from "node:fs";
import type { NatsConnection } from "@nats-io/nats-core";
import { ok, reply, System } from "../mod.ts";
import { NATS_SERVER, startNats } from "../e2e/_nats.ts";
import { type FakeCluster, fakeCluster } from "../e2e/_fake_cluster.ts";
import { waitFor } from "../e2e/_wait.ts";
import { runtimeName } from "./_harness.ts";
import { Sharding } from "../src/cluster/sharding/sharding.ts";
import type { EntityInit, ShardingOptions } from "../src/cluster/sharding/options.ts";

const ENTITIES = 1000;
const SHARDS = 64;
const SAMPLES = 5;

type Counter = { count: number };

const options: ShardingOptions<Counter, "inc" | "get", number> = {
  name: "rebalance",
  shards: SHARDS,
  entity: {
    init: ({ handoff }: EntityInit) => ok((handoff as Counter | undefined) ?? { count: 0 }),
    handleCall: (request, _from, state) =>
      request === "get"
        ? reply(state.count, state)
        : reply(state.count + 1, { count: state.count + 1 }),
  },
};

interface Node {
  readonly name: string;
  readonly system: System;
  readonly connection: NatsConnection;
  readonly link: FakeCluster;
  sharding: Sharding<"inc" | "get", number> | undefined;
}

const keys = Array.from({ length: ENTITIES }, (_, i) => `entity:${i}`);

function quiet(nodes: Node[]): boolean {
  return nodes.every((node) => {
    const stats = node.sharding?.stats();
    return stats === undefined || (stats.handoffsInFlight === 0 && stats.held === 0);
  });
}

async function main(): Promise<void> {
  if (!existsSync(NATS_SERVER)) {
    console.log(`cluster_rebalance_bench: ${NATS_SERVER} is not installed; nothing measured`);
    return;
  }
  const server = await startNats();
  const nodes: Node[] = [];
  for (const name of ["a", "b", "c"]) {
    const system = new System({ node: name, logger: null });
    const connection = await server.connect();
    nodes.push({
      name,
      system,
      connection,
      link: fakeCluster(system, connection, name),
      sharding: undefined,
    });
  }
  const [a, b, c] = nodes;
  a.link.up("b");
  b.link.up("a");
  a.sharding = await Sharding.start(a.system, options);
  b.sharding = await Sharding.start(b.system, options);
  for (let i = 0; i < keys.length; i += 100) {
    await Promise.all(
      keys.slice(i, i + 100).map((key, j) => [a, b][j % 2].sharding!.call(key, "inc")),
    );
  }
  const times: number[] = [];
  let moved = 0;
  let shardsMoved = 0;
  for (let sample = 0; sample < SAMPLES; sample++) {
    c.link.up("a");
    c.link.up("b");
    c.sharding = await Sharding.start(c.system, options);
    const handoffsBefore = a.sharding.stats().handoffs + b.sharding.stats().handoffs;
    const started = performance.now();
    a.link.up("c");
    b.link.up("c");
    const cShards = new Set(c.sharding.localShards());
    const expected = keys.filter((key) => cShards.has(c.sharding!.shardOf(key))).length;
    await waitFor(
      "the rebalance",
      () => quiet(nodes) && c.sharding!.localEntities().length === expected ? true : undefined,
      { timeoutMs: 60_000, everyMs: 1 },
    );
    times.push(performance.now() - started);
    moved = expected;
    shardsMoved = a.sharding.stats().handoffs + b.sharding.stats().handoffs - handoffsBefore;
    // Every counter kept its value (each was incremented once, before any sample).
    const counts = await Promise.all(keys.map((key, i) => nodes[i % 3].sharding!.call(key, "get")));
    const wrong = counts.filter((count) => count !== 1).length;
    if (wrong > 0) throw new Error(`${wrong} counters lost their value`);
    // c leaves gracefully: its shards go back to a and b.
    await c.sharding.stop();
    a.link.down("c", "shutdown");
    b.link.down("c", "shutdown");
    c.link.down("a", "shutdown");
    c.link.down("b", "shutdown");
    await waitFor("c's shards back on a and b", () => quiet(nodes) ? true : undefined, {
      timeoutMs: 60_000,
      everyMs: 1,
    });
  }
  times.sort((x, y) => x - y);
  const median = times[Math.floor(times.length / 2)];
  console.log(`\n## cluster rebalance (${runtimeName()})\n`);
  console.log("| entities | shards | moved to c | shards moved | median ms | min ms | max ms |");
  console.log("| --- | --- | --- | --- | --- | --- | --- |");
  console.log(
    `| ${ENTITIES} | ${SHARDS} | ${moved} | ${shardsMoved} | ${median.toFixed(1)} | ${
      times[0].toFixed(1)
    } | ${times[times.length - 1].toFixed(1)} |`,
  );
  for (const node of nodes) {
    await node.sharding?.stop();
    node.link.close();
    node.system.shutdown();
    await node.connection.close();
  }
  await server.stop();
}

await main();
