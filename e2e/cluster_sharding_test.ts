/**
 * Cluster sharding over a real `nats-server` on 127.0.0.1: three systems,
 * each with its own connection and a hand-driven membership
 * (`_fake_cluster.ts`). Calls reach the owner of their key's shard from any
 * node and the entity keeps its state; a node joining takes its shards with
 * their entities' states, and increments fired from every node while it
 * joins all succeed and count exactly once; a node lost gives its shards to
 * the others (its entities start fresh); every shard has exactly one owner;
 * idle entities are passivated and start again on demand; `stop()` hands a
 * node's entities to the others; bad input is refused with named errors.
 */

import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import type { NatsConnection } from "@nats-io/nats-core";
import { skipUnless } from "./_requirement.ts";
import { sleep, waitFor } from "./_wait.ts";
import { NATS_SERVER, type NatsServer, startNats } from "./_nats.ts";
import { type FakeCluster, fakeCluster } from "./_fake_cluster.ts";
import { NoConnectionError, noreply, ok, reply, System } from "../mod.ts";
import { NotClusteredError } from "../src/cluster/errors.ts";
import { Sharding } from "../src/cluster/sharding/sharding.ts";
import { ShardingNameTakenError, ShardingStoppedError } from "../src/cluster/sharding/errors.ts";
import type { EntityInit, ShardingOptions, ShardKey } from "../src/cluster/sharding/options.ts";
import { SHARDING_HANDOFF } from "../src/telemetry/catalog/sharding_events.ts";
import { ShardAssignment } from "../src/cluster/sharding/_assignment.ts";
import { UnencodableError } from "../src/schedulers/errors.ts";

const skip = skipUnless("nats-server", NATS_SERVER);
const WAIT = { timeoutMs: 15_000, everyMs: 20 };
const SHARDS = 32;

interface Node {
  readonly name: string;
  readonly system: System;
  readonly connection: NatsConnection;
  readonly link: FakeCluster;
  counters: Sharding<Request, number, "inc">;
}

type Counter = { key: ShardKey; count: number };
/** `"slow"` increments after a few ms: a call still running when its shard's hand-off begins. */
type Request = "inc" | "slow" | "get";

const counterOptions: ShardingOptions<Counter, Request, number, "inc"> = {
  name: "counters",
  shards: SHARDS,
  entity: {
    init: ({ key, handoff }: EntityInit) =>
      ok((handoff as Counter | undefined) ?? { key, count: 0 }),
    handleCall: async (request, _from, state) => {
      if (request === "get") return reply(state.count, state);
      if (request === "slow") await sleep(20);
      return reply(state.count + 1, { ...state, count: state.count + 1 });
    },
    handleCast: (_message, state) => noreply({ ...state, count: state.count + 1 }),
  },
};

const keys = Array.from({ length: 40 }, (_, i) => `counter:${i}`);

/** The union of the nodes' shards, checked to be disjoint. */
function ownedOnce(nodes: Node[]): boolean {
  const seen = new Set<number>();
  for (const node of nodes) {
    for (const shard of node.counters.localShards()) {
      if (seen.has(shard)) return false;
      seen.add(shard);
    }
  }
  return seen.size === SHARDS;
}

/** Every node's region is quiet: no hand-off running, nothing held. */
function settled(nodes: Node[]): true | undefined {
  return nodes.every((node) => {
      const stats = node.counters.stats();
      return stats.handoffsInFlight === 0 && stats.held === 0;
    })
    ? true
    : undefined;
}

describe("Sharding over NATS", { skip }, () => {
  let server: NatsServer;
  const nodes: Node[] = [];
  let a: Node;
  let b: Node;
  let c: Node;
  /** What each counter should read. */
  const expected = new Map<string, number>();

  before(async () => {
    server = await startNats();
    for (const name of ["a", "b", "c"]) {
      const system = new System({ node: name, logger: null });
      const connection = await server.connect();
      const link = fakeCluster(system, connection, name);
      nodes.push({ name, system, connection, link, counters: undefined as never });
    }
    [a, b, c] = nodes;
    a.link.up("b");
    b.link.up("a");
    a.counters = await Sharding.start(a.system, counterOptions);
    b.counters = await Sharding.start(b.system, counterOptions);
  });

  after(async () => {
    for (const node of nodes) {
      node.link.close(); // its regions close at once, handing nothing over
      node.system.shutdown();
      await node.connection.close();
    }
    await server?.stop();
  });

  it("routes calls to the owner of the key's shard, where the entity keeps its state", async () => {
    for (const [i, key] of keys.entries()) {
      for (let n = 0; n < 3; n++) {
        assert.equal(await [a, b][(i + n) % 2].counters.call(key, "inc"), n + 1);
      }
      expected.set(key, 3);
    }
    await a.counters.cast(keys[0], "inc");
    expected.set(keys[0], 4);
    assert.equal(await b.counters.call(keys[0], "get"), 4);
    for (const key of keys) {
      const owner = a.counters.ownerOf(key);
      assert.equal(b.counters.ownerOf(key), owner);
      assert.equal(a.counters.shardOf(key), b.counters.shardOf(key));
      const holders = [a, b].filter((node) =>
        node.counters.localEntities().some((entity) => entity.key === key)
      );
      assert.deepEqual(holders.map((node) => node.name), [owner]);
    }
    assert.ok(ownedOnce([a, b]));
    assert.ok(a.counters.localShards().length > 0 && b.counters.localShards().length > 0);
  });

  it("a node joining takes its shards with their state; calls during the hand-off count once", async () => {
    const handoffs: { shard: number; to: string; entities: number }[] = [];
    for (const node of [a, b]) {
      node.system.telemetry.attach(`handoffs-${node.name}`, SHARDING_HANDOFF, (_e, m, meta) => {
        handoffs.push({ shard: meta.shard, to: meta.to, entities: m.entities });
      });
    }
    // c sees a and b first: its shards wait for their hand-off from a and b.
    c.link.up("a");
    c.link.up("b");
    c.counters = await Sharding.start(c.system, counterOptions);
    const calls: { key: string; call: Promise<number> }[] = [];
    for (let i = 0; i < 240; i++) {
      const key = keys[i % keys.length];
      const request = i % 5 === 0 ? "slow" : "inc";
      calls.push({ key, call: nodes[i % 3].counters.call(key, request, { timeout: 15_000 }) });
      if (i === 80) a.link.up("c");
      if (i === 120) b.link.up("c");
      if (i % 16 === 0) await sleep(1);
    }
    const outcomes = await Promise.allSettled(calls.map((entry) => entry.call));
    const failed = outcomes.filter((outcome) => outcome.status === "rejected");
    assert.deepEqual(failed, [], "every call made during the hand-off succeeds");
    for (const { key } of calls) expected.set(key, (expected.get(key) ?? 0) + 1);
    await waitFor("the hand-offs to settle", () => settled(nodes), WAIT);
    for (const key of keys) {
      assert.equal(await c.counters.call(key, "get"), expected.get(key), key);
      assert.equal(await a.counters.call(key, "get"), expected.get(key), key);
    }
    assert.ok(c.counters.localShards().length > 0, "c owns shards");
    assert.ok(c.counters.localEntities().length > 0, "entities moved to c");
    assert.ok(handoffs.some((h) => h.to === "c" && h.entities > 0), "hand-offs were executed");
    const handedOff = a.counters.stats().handoffs + b.counters.stats().handoffs;
    assert.equal(handedOff, handoffs.length);
    assert.ok(ownedOnce([a, b, c]), "every shard has exactly one owner");
    for (const node of nodes) {
      for (const entity of node.counters.localEntities()) {
        assert.equal(node.counters.ownerOf(entity.key), node.name);
      }
    }
    const meta = a.link.info()[0].meta["sharding.counters"] as Record<string, number>;
    assert.equal(meta.shards, a.counters.localShards().length);
    assert.equal(meta.handoffs, 0);
  });

  it("a node lost: the others take its shards, its entities start fresh", async () => {
    const onC = new Set(c.counters.localEntities().map((entity) => String(entity.key)));
    assert.ok(onC.size > 0);
    c.link.close(); // c leaves without a word
    a.link.down("c");
    b.link.down("c");
    assert.ok(ownedOnce([a, b]), "a and b own every shard once");
    for (const key of keys) {
      const count = await [a, b][key.length % 2].counters.call(key, "get");
      assert.equal(count, onC.has(key) ? 0 : expected.get(key), key);
      if (onC.has(key)) expected.set(key, 0);
    }
    await assert.rejects(c.counters.call(keys[0], "get"), ShardingStoppedError);
  });

  it("stop() hands the node's entities to the others before it leaves", async () => {
    for (const key of keys) expected.set(key, await b.counters.call(key, "inc"));
    const onA = a.counters.localEntities().map((entity) => String(entity.key));
    assert.ok(onA.length > 0);
    await a.counters.stop();
    assert.deepEqual(a.counters.localShards(), []);
    assert.equal(a.counters.localEntities().length, 0);
    await assert.rejects(a.counters.call(keys[0], "get"), ShardingStoppedError);
    // a said it left: b leaves it out of its ring at once, though a's node is still up.
    await waitFor(
      "b to own every shard",
      () => b.counters.localShards().length === SHARDS || undefined,
      WAIT,
    );
    for (const key of keys) assert.equal(await b.counters.call(key, "get"), expected.get(key), key);
    // a's region starts again: it says so, and takes its shards back with their state.
    a.counters = await Sharding.start(a.system, counterOptions);
    await waitFor(
      "a to take its shards back",
      () =>
        a.counters.localShards().length > 0 && settled([a, b]) && ownedOnce([a, b]) || undefined,
      WAIT,
    );
    for (const key of keys) assert.equal(await a.counters.call(key, "get"), expected.get(key), key);
    assert.ok(a.counters.localEntities().length > 0);
    await a.counters.stop();
    await waitFor(
      "b to own every shard again",
      () => b.counters.localShards().length === SHARDS || undefined,
      WAIT,
    );
    b.link.down("a", "shutdown");
    assert.equal(b.counters.localShards().length, SHARDS);
    for (const key of onA) {
      assert.ok(b.counters.localEntities().some((entity) => entity.key === key), key);
    }
  });

  it("a node up without the sharding: its keys fail with NoConnectionError, then come back", async () => {
    b.link.up("z"); // z runs no region of "counters": nobody answers for its shards
    const key = keys.find((k) => b.counters.ownerOf(k) === "z") as string;
    assert.ok(key !== undefined);
    await assert.rejects(b.counters.call(key, "get", { timeout: 300 }), NoConnectionError);
    const later = b.counters.call(key, "get", { timeout: 15_000 });
    await sleep(50);
    b.link.down("z");
    assert.equal(await later, expected.get(key), "the entity kept its state");
    await waitFor("b to settle", () => settled([b]), WAIT);
    assert.equal(b.counters.localShards().length, SHARDS);
  });

  it("passivates idle entities and starts them again on demand", async () => {
    const options = { ...counterOptions, name: "sessions", passivateAfterMs: 100 };
    const sessions = await Sharding.start(b.system, options);
    try {
      assert.equal(await sessions.call("s1", "inc"), 1);
      assert.equal(await sessions.call("s1", "inc"), 2);
      await waitFor(
        "s1 to be passivated",
        () => sessions.stats().passivated >= 1 || undefined,
        WAIT,
      );
      assert.equal(sessions.localEntities().length, 0);
      const started = sessions.stats().startedOnDemand;
      assert.equal(await sessions.call("s1", "inc"), 1, "a passivated entity starts fresh");
      assert.equal(sessions.stats().startedOnDemand, started + 1);
    } finally {
      await sessions.stop();
    }
  });

  it("refuses bad input with named errors, nothing sent", async () => {
    const counters = b.counters;
    await assert.rejects(counters.call({} as never, "get"), TypeError);
    await assert.rejects(counters.call(null as never, "get"), /key must be a string or a number/);
    await assert.rejects(counters.call("k", (() => 1) as never), UnencodableError);
    await assert.rejects(counters.call("k", "get", { timeout: -1 }), RangeError);
    await assert.rejects(counters.call("k", "get", { timeout: "1" as never }), TypeError);
    const hostile = new Proxy({}, {
      get() {
        throw new Error("boom");
      },
    });
    await assert.rejects(counters.call("k", "get", hostile), /timeout cannot be read/);
    await assert.rejects(counters.call("k", hostile as never), UnencodableError);
    await assert.rejects(counters.cast(hostile as never, "inc"), TypeError);
    const bad: [Record<string, unknown>, ErrorConstructor, RegExp][] = [
      [{ ...counterOptions, name: "" }, TypeError, /options\.name/],
      [{ ...counterOptions, name: "a.b" }, TypeError, /options\.name/],
      [{ ...counterOptions, entity: null }, TypeError, /options\.entity/],
      [{ ...counterOptions, entity: {} }, TypeError, /options\.entity\.init/],
      [{ ...counterOptions, shards: 0 }, RangeError, /options\.shards/],
      [{ ...counterOptions, shards: 4097 }, RangeError, /options\.shards/],
      [{ ...counterOptions, shards: "8" }, TypeError, /options\.shards/],
      [{ ...counterOptions, handoff: { begin: 1 } }, TypeError, /options\.handoff\.begin/],
      [{ ...counterOptions, handoffTimeoutMs: 0 }, RangeError, /options\.handoffTimeoutMs/],
      [{ ...counterOptions, passivateAfterMs: -5 }, RangeError, /options\.passivateAfterMs/],
      [{ ...counterOptions, callTimeoutMs: NaN }, RangeError, /options\.callTimeoutMs/],
    ];
    for (const [options, type, message] of bad) {
      await assert.rejects(Sharding.start(b.system, options as never), (error: Error) => {
        assert.ok(error instanceof type, `${error.name}: ${error.message}`);
        assert.match(error.message, message);
        return true;
      });
    }
    await assert.rejects(Sharding.start(b.system, hostile as never), TypeError);
    await assert.rejects(Sharding.start(b.system, counterOptions), ShardingNameTakenError);
    const lonely = new System({ logger: null });
    await assert.rejects(Sharding.start(lonely, counterOptions), NotClusteredError);
    lonely.shutdown();
    assert.throws(() => counters.shardOf(Symbol() as never), TypeError);
  });
  it("hands off large states in chunks under max_payload; one too large is lost, not the rest", async () => {
    type Blob = { data: string };
    const blobs: ShardingOptions<Blob, { fill: number } | "size", number> = {
      name: "blobs",
      shards: 1,
      entity: {
        init: ({ handoff }: EntityInit) => ok((handoff as Blob | undefined) ?? { data: "" }),
        handleCall: (request, _from, state) =>
          request === "size"
            ? reply(state.data.length, state)
            : reply(request.fill, { data: "x".repeat(request.fill) }),
      },
    };
    // A node name that takes the one shard from b.
    const name = ["d", "e", "f", "g", "h", "i", "j"].find((n) =>
      new ShardAssignment(1).owners(["b", n])[0] === n
    ) as string;
    const onB = await Sharding.start(b.system, blobs);
    const system = new System({ node: name, logger: null });
    const connection = await server.connect();
    const link = fakeCluster(system, connection, name);
    const d: Node = { name, system, connection, link, counters: undefined as never };
    nodes.push(d);
    link.up("b");
    d.counters = await Sharding.start(system, counterOptions);
    const onD = await Sharding.start(system, blobs);
    try {
      for (const key of ["big:1", "big:2", "big:3"]) {
        assert.equal(await onB.call(key, { fill: 300_000 }), 300_000);
      }
      assert.equal(await onB.call("huge", { fill: 1_200_000 }), 1_200_000);
      b.link.up(name);
      for (const key of ["big:1", "big:2", "big:3"]) {
        assert.equal(await onD.call(key, "size", { timeout: 15_000 }), 300_000, key);
      }
      assert.equal(await onD.call("huge", "size"), 0, "the entity too large to move starts fresh");
      assert.equal(onB.localEntities().length, 0);
      assert.deepEqual(onD.localShards(), [0]);
      await waitFor("b and d to settle", () => settled([b, d]), WAIT);
      for (const key of keys) {
        assert.equal(await d.counters.call(key, "get"), expected.get(key), key);
      }
    } finally {
      await onB.stop(); // d takes nothing (it owns the shard), then stops last: its entities stop
      await onD.stop();
    }
  });
});
