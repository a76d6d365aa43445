/**
 * The cluster metrics of beamletMetrics: `beamlet_cluster_nodes`,
 * `beamlet_cluster_node_events_total{type,reason}`,
 * `beamlet_cluster_messages_total{direction}`,
 * `beamlet_cluster_bytes_total{direction}`, `beamlet_cluster_refused_total`
 * (0 on "received"),
 * `beamlet_sharding_handoffs_total{name}` and `beamlet_sharding_shards{name}`
 * — from the cluster's events, as the emitters execute them; none of them
 * on a system without a cluster.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { NatsConnection } from "@nats-io/nats-core";
import {
  attachClusterGauges,
  emitNodeEvent,
  emitTraffic,
} from "../../src/cluster/_cluster_events.ts";
import { beamletMetrics } from "../../src/metrics/beamlet_metrics.ts";
import { Metrics } from "../../src/metrics/mod.ts";
import { prometheusText } from "../../src/metrics/reporters/prometheus.ts";
import { System } from "../../src/system.ts";
import { TABLE_SIZE } from "../../src/telemetry/catalog/runtime_events.ts";
import { SHARDING_HANDOFF } from "../../src/telemetry/catalog/sharding_events.ts";
import { Telemetry } from "../../src/telemetry/telemetry.ts";
import { fakeCluster } from "../../e2e/_fake_cluster.ts";
import { echo, fixture } from "../http/_fixtures.ts";
import { PROMTOOL_UNAVAILABLE, promtoolCheck } from "./reporters/_promtool.ts";

const SIZES = { processes: 0, names: 0, calls: 0, timers: 0, slots_in_use: 0 };

/** Running totals of traffic, as the core keeps them. */
const totals = (sent: number, received: number, refused = 0) => ({
  sent,
  received,
  bytesSent: sent * 100,
  bytesReceived: received * 50,
  batches: Math.ceil(sent / 10),
  refused,
});

describe("cluster metrics", () => {
  it("counts membership changes and keeps the nodes up", () => {
    const telemetry = new Telemetry();
    const metrics = new Metrics(telemetry, beamletMetrics());
    try {
      emitNodeEvent(telemetry, { type: "nodeup", node: "b", incarnation: 1 }, 2);
      emitNodeEvent(telemetry, { type: "nodeup", node: "c", incarnation: 1 }, 3);
      emitNodeEvent(
        telemetry,
        { type: "nodedown", node: "c", reason: "noconnection", incarnation: 1 },
        2,
      );
      emitNodeEvent(
        telemetry,
        { type: "nodedown", node: "b", reason: "shutdown", incarnation: 1 },
        1,
      );
      const text = prometheusText(metrics);
      assert.match(text, /^# TYPE beamlet_cluster_nodes gauge$/m);
      assert.match(text, /^beamlet_cluster_nodes 1$/m);
      assert.match(text, /^# TYPE beamlet_cluster_node_events_total counter$/m);
      assert.match(text, /^beamlet_cluster_node_events_total\{type="nodeup",reason="none"\} 2$/m);
      assert.match(
        text,
        /^beamlet_cluster_node_events_total\{type="nodedown",reason="noconnection"\} 1$/m,
      );
      assert.match(
        text,
        /^beamlet_cluster_node_events_total\{type="nodedown",reason="shutdown"\} 1$/m,
      );
    } finally {
      metrics.detach();
    }
  });

  it("exposes the running traffic totals as counters by direction", () => {
    const telemetry = new Telemetry();
    const metrics = new Metrics(telemetry, beamletMetrics());
    try {
      emitTraffic(telemetry, totals(10, 4));
      emitTraffic(telemetry, totals(25, 9, 2));
      emitTraffic(telemetry, totals(25, 9, 2)); // nothing new: no increase
      const text = prometheusText(metrics);
      assert.match(text, /^# TYPE beamlet_cluster_messages_total counter$/m);
      assert.match(text, /^beamlet_cluster_messages_total\{direction="sent"\} 25$/m);
      assert.match(text, /^beamlet_cluster_messages_total\{direction="received"\} 9$/m);
      assert.match(text, /^# TYPE beamlet_cluster_bytes_total counter$/m);
      assert.match(text, /^beamlet_cluster_bytes_total\{direction="sent"\} 2500$/m);
      assert.match(text, /^beamlet_cluster_bytes_total\{direction="received"\} 450$/m);
      assert.match(text, /^beamlet_cluster_refused_total\{direction="sent"\} 2$/m);
    } finally {
      metrics.detach();
    }
  });

  it("a Metrics attached late counts the traffic since the node joined", () => {
    const telemetry = new Telemetry();
    const first = new Metrics(telemetry, beamletMetrics());
    emitTraffic(telemetry, totals(10, 4));
    const late = new Metrics(telemetry, beamletMetrics());
    try {
      emitTraffic(telemetry, totals(12, 4));
      for (const metrics of [first, late]) {
        assert.match(
          prometheusText(metrics),
          /^beamlet_cluster_messages_total\{direction="sent"\} 12$/m,
        );
      }
    } finally {
      first.detach();
      late.detach();
    }
  });

  it("counts hand-offs and keeps this node's shards by Sharding name", async () => {
    const system = new System({ logger: null });
    const link = fakeCluster(system, {} as NatsConnection, "a");
    const metrics = new Metrics(system, beamletMetrics());
    try {
      attachClusterGauges(system, link);
      link.setMeta("sharding.carts", { shards: 12, entities: 30, handoffs: 0 });
      system.telemetry.execute(TABLE_SIZE, SIZES, {});
      link.setMeta("sharding.carts", { shards: 11, entities: 28, handoffs: 0 });
      system.telemetry.execute(TABLE_SIZE, SIZES, {});
      const handoff = { duration: 12, entities: 2 };
      system.telemetry.execute(SHARDING_HANDOFF, handoff, {
        name: "carts",
        shard: 3,
        from: "a",
        to: "b",
      });
      system.telemetry.execute(SHARDING_HANDOFF, handoff, {
        name: "carts",
        shard: 9,
        from: "a",
        to: "b",
      });
      const text = prometheusText(metrics);
      assert.match(text, /^# TYPE beamlet_sharding_shards gauge$/m);
      assert.match(text, /^beamlet_sharding_shards\{name="carts"\} 11$/m);
      assert.match(text, /^# TYPE beamlet_sharding_handoffs_total counter$/m);
      assert.match(text, /^beamlet_sharding_handoffs_total\{name="carts"\} 2$/m);
      if (PROMTOOL_UNAVAILABLE === undefined) {
        emitNodeEvent(system.telemetry, { type: "nodeup", node: "b", incarnation: 1 }, 2);
        emitTraffic(system.telemetry, totals(3, 1));
        const { status, output } = promtoolCheck(prometheusText(metrics));
        assert.equal(status, 0, output);
      }
    } finally {
      metrics.detach();
      link.close();
      await system.shutdown();
    }
  });

  it("GET /metrics of a system without a cluster has no cluster metric", async () => {
    let now = 0;
    const system = new System({ logger: null, clock: { now: () => now } });
    const f = fixture({}, system);
    try {
      const owner = await system.start(echo);
      now += 1000;
      system.cast(owner, "tick");
      await system.runUntilIdle();
      const text = await (await f.get("/metrics")).text();
      assert.match(text, /^beamlet_scheduler_up\{scheduler="0"\} 1$/m, "the scrape has data");
      assert.doesNotMatch(text, /^beamlet_(cluster|sharding)_/m);
    } finally {
      f.close();
      await system.shutdown();
    }
  });
});
