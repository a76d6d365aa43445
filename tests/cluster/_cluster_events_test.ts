/**
 * The cluster's telemetry emitters (`src/cluster/_cluster_events.ts`):
 * a membership change executes its own event and `beamlet.cluster.nodes`;
 * the traffic totals execute `beamlet.cluster.traffic` once per direction;
 * `beamlet.cluster.shards` (and, given the counters, the traffic) rides on
 * the table sizes only while someone listens, from this node's `sharding.<name>` meta, until the link closes;
 * hostile input never throws into the core.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { NatsConnection } from "@nats-io/nats-core";
import {
  attachClusterGauges,
  emitNodeEvent,
  emitTraffic,
  shardingMeta,
} from "../../src/cluster/_cluster_events.ts";
import type { NodeEvent } from "../../src/cluster/cluster_link.ts";
import { System } from "../../src/system.ts";
import {
  CLUSTER_NODE_DOWN,
  CLUSTER_NODE_UP,
  CLUSTER_NODES,
  CLUSTER_SHARDS,
  CLUSTER_TRAFFIC,
} from "../../src/telemetry/catalog/cluster_events.ts";
import { TABLE_SIZE } from "../../src/telemetry/catalog/runtime_events.ts";
import { Telemetry } from "../../src/telemetry/telemetry.ts";
import { fakeCluster } from "../../e2e/_fake_cluster.ts";

const SIZES = { processes: 0, names: 0, calls: 0, timers: 0, slots_in_use: 0 };

/** A value whose every property read throws. */
const hostile = <T extends object>(): T =>
  new Proxy({} as T, {
    get() {
      throw new Error("hostile");
    },
    ownKeys() {
      throw new Error("hostile");
    },
  });

/** Every cluster event executed on `telemetry`, as [id, measurements, metadata]. */
function record(telemetry: Telemetry): unknown[][] {
  const seen: unknown[][] = [];
  telemetry.attachMany(
    "record",
    [CLUSTER_NODE_UP, CLUSTER_NODE_DOWN, CLUSTER_NODES, CLUSTER_TRAFFIC, CLUSTER_SHARDS],
    (event, m, meta) => seen.push([event.join("."), { ...m }, { ...meta }]),
  );
  return seen;
}

describe("cluster events", () => {
  it("a nodeup and a nodedown execute their event and beamlet.cluster.nodes", () => {
    const telemetry = new Telemetry();
    const seen = record(telemetry);
    emitNodeEvent(telemetry, { type: "nodeup", node: "b", incarnation: 7 }, 2);
    emitNodeEvent(
      telemetry,
      { type: "nodedown", node: "b", reason: "shutdown", incarnation: 7 },
      1,
    );
    assert.deepEqual(seen, [
      ["beamlet.cluster.node_up", { nodes: 2 }, { node: "b", incarnation: 7 }],
      ["beamlet.cluster.nodes", { nodes: 2 }, {
        type: "nodeup",
        node: "b",
        reason: "",
        incarnation: 7,
      }],
      ["beamlet.cluster.node_down", { nodes: 1 }, {
        node: "b",
        reason: "shutdown",
        incarnation: 7,
      }],
      ["beamlet.cluster.nodes", { nodes: 1 }, {
        type: "nodedown",
        node: "b",
        reason: "shutdown",
        incarnation: 7,
      }],
    ]);
  });

  it("the traffic totals execute one event per direction", () => {
    const telemetry = new Telemetry();
    const seen = record(telemetry);
    emitTraffic(telemetry, {
      sent: 10,
      received: 4,
      bytesSent: 900,
      bytesReceived: 300,
      batches: 3,
      batchesReceived: 2,
      refused: 1,
    });
    assert.deepEqual(seen, [
      ["beamlet.cluster.traffic", { messages: 10, bytes: 900, batches: 3, refused: 1 }, {
        direction: "sent",
      }],
      ["beamlet.cluster.traffic", { messages: 4, bytes: 300, batches: 2, refused: 0 }, {
        direction: "received",
      }],
    ]);
  });

  it("hostile input and nobody listening never throw", () => {
    const quiet = new Telemetry();
    emitNodeEvent(quiet, { type: "nodeup", node: "b", incarnation: 1 }, 2);
    emitTraffic(quiet, {
      sent: 1,
      received: 1,
      bytesSent: 1,
      bytesReceived: 1,
      batches: 1,
      refused: 0,
    });
    const telemetry = new Telemetry();
    const seen = record(telemetry);
    emitNodeEvent(telemetry, hostile<NodeEvent>(), 2);
    emitTraffic(telemetry, hostile());
    assert.deepEqual(seen, []);
    // Not numbers: zeros, not NaN (which telemetry would drop).
    emitTraffic(telemetry, {
      sent: Number.NaN,
      received: Infinity,
      bytesSent: "1" as unknown as number,
      bytesReceived: 0,
      batches: 0,
      refused: 0,
    });
    assert.deepEqual(seen.map((s) => s[1]), [
      { messages: 0, bytes: 0, batches: 0, refused: 0 },
      { messages: 0, bytes: 0, batches: 0, refused: 0 },
    ]);
  });

  it("reads each Sharding of a node's meta, sorted, zeros for what is not a count", () => {
    const meta: Record<string, unknown> = {
      "sharding.orders": { shards: 4, entities: 9, handoffs: 1 },
      "sharding.carts": { shards: 12, entities: "many" },
      "sharding.": { shards: 1 },
      "sharding.empty": null,
      registry: { names: 3 },
    };
    Object.defineProperty(meta, "sharding.bad", {
      enumerable: true,
      get() {
        throw new Error("hostile");
      },
    });
    assert.deepEqual(
      shardingMeta(meta),
      [
        { name: "carts", shards: 12, entities: 0, handoffs: 0 },
        { name: "empty", shards: 0, entities: 0, handoffs: 0 },
        { name: "orders", shards: 4, entities: 9, handoffs: 1 },
      ],
    );
    assert.deepEqual(shardingMeta(hostile()), []);
  });

  it("beamlet.cluster.shards rides on the table sizes only while someone listens", async () => {
    const system = new System({ logger: null });
    const telemetry = system.telemetry;
    const link = fakeCluster(system, {} as NatsConnection, "a");
    try {
      link.setMeta("sharding.carts", { shards: 12, entities: 30, handoffs: 1 });
      link.setMeta("sharding.orders", { shards: 4, entities: 0, handoffs: 0 });
      const before = telemetry.listHandlers(TABLE_SIZE).length;
      attachClusterGauges(system, link);
      attachClusterGauges(system, link); // idempotent
      assert.equal(telemetry.listHandlers(TABLE_SIZE).length, before, "nobody listens: nothing");

      const seen: unknown[][] = [];
      telemetry.attach("shards", CLUSTER_SHARDS, (_e, m, meta) => seen.push([meta.name, { ...m }]));
      assert.equal(telemetry.listHandlers(TABLE_SIZE).length, before + 1);
      telemetry.execute(TABLE_SIZE, SIZES, {});
      assert.deepEqual(seen, [
        ["carts", { shards: 12, entities: 30, handoffs: 1 }],
        ["orders", { shards: 4, entities: 0, handoffs: 0 }],
      ]);

      telemetry.detach("shards");
      assert.equal(telemetry.listHandlers(TABLE_SIZE).length, before, "detached with its listener");
      telemetry.attach("shards", CLUSTER_SHARDS, (_e, m, meta) => seen.push([meta.name, { ...m }]));
      link.close();
      assert.equal(
        telemetry.listHandlers(TABLE_SIZE).length,
        before,
        "removed when the link closes",
      );
      seen.length = 0;
      telemetry.execute(TABLE_SIZE, SIZES, {});
      assert.deepEqual(seen, []);
    } finally {
      await system.shutdown();
    }
  });

  it("given the traffic counters, beamlet.cluster.traffic rides on the table sizes too", async () => {
    const system = new System({ logger: null });
    const telemetry = system.telemetry;
    const link = fakeCluster(system, {} as NatsConnection, "a");
    try {
      const counters = {
        sent: 5,
        received: 2,
        batches: 1,
        batchesReceived: 1,
        bytesSent: 500,
        bytesReceived: 90,
        refused: 0,
      };
      const before = telemetry.listHandlers(TABLE_SIZE).length;
      attachClusterGauges(system, link, () => counters);
      assert.equal(telemetry.listHandlers(TABLE_SIZE).length, before, "nobody listens: nothing");
      const seen: unknown[][] = [];
      telemetry.attach(
        "traffic",
        CLUSTER_TRAFFIC,
        (_e, m, meta) => seen.push([meta.direction, m.messages]),
      );
      telemetry.execute(TABLE_SIZE, SIZES, {});
      counters.sent = 9;
      telemetry.execute(TABLE_SIZE, SIZES, {});
      assert.deepEqual(seen, [["sent", 5], ["received", 2], ["sent", 9], ["received", 2]]);
      telemetry.detach("traffic");
      assert.equal(telemetry.listHandlers(TABLE_SIZE).length, before);
    } finally {
      link.close();
      await system.shutdown();
    }
  });

  it("a link whose listing throws skips the round and stays attached", async () => {
    const system = new System({ logger: null });
    const link = fakeCluster(system, {} as NatsConnection, "a");
    try {
      attachClusterGauges(system, { ...link, info: () => hostile<never[]>() });
      const seen: unknown[] = [];
      system.telemetry.attach("shards", CLUSTER_SHARDS, (_e, m) => seen.push(m));
      system.telemetry.execute(TABLE_SIZE, SIZES, {});
      assert.deepEqual(seen, []);
      assert.equal(system.telemetry.stats().failedHandlers, 0);
    } finally {
      link.close();
      await system.shutdown();
    }
  });
});
