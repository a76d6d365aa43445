/**
 * The overview's `cluster` (`src/observe/_cluster_view.ts`): absent on a
 * system without a cluster; on a node of one, the cluster's name, this
 * node's, and every node up by name with its processes, since when it is
 * up, its incarnation, and its shards, entities and hand-offs summed over
 * its `sharding.<name>` meta — JSON-safe, and a hostile link never breaks
 * the overview.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { NatsConnection } from "@nats-io/nats-core";
import { type ClusterLink, type NodeInfo, setClusterOf } from "../../src/cluster/cluster_link.ts";
import { System } from "../../src/system.ts";
import { SystemObserver } from "../../src/observe/system_observer.ts";
import { clusterView } from "../../src/observe/_cluster_view.ts";
import { fakeCluster } from "../../e2e/_fake_cluster.ts";

/** JSON round trip: what an adapter would send. */
const roundTrip = <T>(value: T): T => JSON.parse(JSON.stringify(value));

/** `link` whose `info()` is `info`. */
function withInfo(link: ClusterLink, info: () => NodeInfo[]): ClusterLink {
  return new Proxy(link, {
    get: (target, key) => key === "info" ? info : Reflect.get(target, key),
  });
}

describe("overview: cluster", () => {
  it("has no cluster field on a system without a cluster", async () => {
    const system = new System({ logger: null });
    const observer = new SystemObserver(system);
    try {
      const overview = await observer.overview();
      assert.equal("cluster" in overview, false);
      assert.equal("cluster" in roundTrip(overview), false);
    } finally {
      observer.close();
      await system.shutdown();
    }
  });

  it("lists every node up by name, with its processes and shards summed over its Shardings", async () => {
    const system = new System({ logger: null });
    const fake = fakeCluster(system, {} as NatsConnection, "b", "shop");
    const observer = new SystemObserver(system);
    try {
      fake.up("c", 4);
      fake.up("a", 2);
      fake.setMeta("sharding.carts", { shards: 12, entities: 30, handoffs: 1 });
      fake.setMeta("sharding.orders", { shards: 4, entities: 5, handoffs: 0 });
      fake.setMeta("registry", { names: 9 });
      // The fake says 0 processes and no meta for the others: give "c" some, as its heartbeat would.
      setClusterOf(
        system,
        withInfo(fake, () =>
          fake.info().map((n) =>
            n.node === "c"
              ? {
                ...n,
                processes: 17,
                upSince: 1_700_000_000_000,
                meta: { "sharding.carts": { shards: 10, entities: 2, handoffs: 0 } },
              }
              : n
          )),
      );
      const overview = await observer.overview();
      assert.deepEqual(overview.cluster, {
        name: "shop",
        node: "b",
        nodes: [
          {
            node: "a",
            self: false,
            processes: 0,
            upSince: 0,
            incarnation: 2,
            shards: 0,
            entities: 0,
            handoffs: 0,
          },
          {
            node: "b",
            self: true,
            processes: 0,
            upSince: 0,
            incarnation: fake.incarnation,
            shards: 16,
            entities: 35,
            handoffs: 1,
          },
          {
            node: "c",
            self: false,
            processes: 17,
            upSince: 1_700_000_000_000,
            incarnation: 4,
            shards: 10,
            entities: 2,
            handoffs: 0,
          },
        ],
      });
      assert.deepEqual(roundTrip(overview.cluster), overview.cluster);

      fake.down("c", "noconnection");
      setClusterOf(system, fake);
      const after = await observer.overview();
      assert.deepEqual(after.cluster?.nodes.map((n) => n.node), ["a", "b"]);
    } finally {
      observer.close();
      fake.close();
      await system.shutdown();
    }
  });

  it("a hostile link leaves the nodes out, never the overview", async () => {
    const system = new System({ logger: null });
    const fake = fakeCluster(system, {} as NatsConnection, "a");
    try {
      const throwing = withInfo(fake, () => {
        throw new Error("hostile");
      });
      assert.deepEqual(clusterView(throwing), { name: "test", node: "a", nodes: [] });

      const badRow = new Proxy({} as NodeInfo, {
        get() {
          throw new Error("hostile");
        },
      });
      const odd = withInfo(fake, () => [
        badRow,
        null as unknown as NodeInfo,
        {
          node: "b",
          self: false,
          processes: Number.NaN,
          upSince: Infinity,
          incarnation: -1,
          meta: { "sharding.x": { shards: "1" } },
        },
      ]);
      assert.deepEqual(clusterView(odd).nodes, [{
        node: "b",
        self: false,
        processes: 0,
        upSince: 0,
        incarnation: -1,
        shards: 0,
        entities: 0,
        handoffs: 0,
      }]);

      setClusterOf(system, throwing);
      const observer = new SystemObserver(system);
      try {
        const overview = await observer.overview();
        assert.deepEqual(overview.cluster, { name: "test", node: "a", nodes: [] });
      } finally {
        observer.close();
      }
    } finally {
      fake.close();
      await system.shutdown();
    }
  });
});
