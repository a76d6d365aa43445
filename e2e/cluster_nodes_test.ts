/**
 * Distribution with real parts: beamlet nodes as OS processes
 * (`_cluster_node.ts`) over a real `nats-server`, alone and as a routed
 * cluster of three (`_nats_cluster.ts`). Every node agrees on who is up; a
 * start placed on another node answers every node; a taken name or no NATS
 * server refuses a node; a node SIGKILLed mid-traffic is seen down
 * (`"noconnection"`) by the others, its monitors fire DOWN `noconnection`
 * and calls to it reject with `NoConnectionError` instead of hanging; a
 * node that stops cleanly is seen down `"shutdown"` and up again when it
 * comes back; a NATS server of the cluster SIGKILLed mid-traffic leaves the
 * nodes on the others, answering, with no acked call lost or handled twice.
 * The cluster services across processes: process groups, the global
 * registry (also on a KV replicated on three servers, one of them killed)
 * and sharding with its hand-offs.
 */

import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { Kvm } from "@nats-io/kv";
import type { NatsConnection } from "@nats-io/nats-core";
import { skipUnless } from "./_requirement.ts";
import { NATS_SERVER, type NatsServer, startNats } from "./_nats.ts";
import { type NatsCluster, startNatsCluster } from "./_nats_cluster.ts";
import {
  type ClusterNode,
  type NodeEventLine,
  NodeOpError,
  startNode,
  startNodes,
  stopNodes,
} from "./_cluster_nodes.ts";
import { freePort, waitFor } from "./_wait.ts";

const skip = skipUnless("nats-server", NATS_SERVER);
const decoder = new TextDecoder();

/** What a traffic run reports (`trafficStop` of `_cluster_node.ts`). */
interface TrafficResult {
  acked: number;
  distinct: number;
  maxReply: number;
  failures: Record<string, number>;
}

function uniqueCluster(prefix: string): string {
  return `${prefix}${Math.random().toString(36).slice(2, 8)}`;
}

/** Resolves once every node of `nodes` sees exactly `expected` as the members. */
async function membersAgree(nodes: readonly ClusterNode[], expected: string[]): Promise<void> {
  const want = [...expected].sort();
  await waitFor(`members ${want} on ${nodes.map((n) => n.name)}`, async () => {
    for (const node of nodes) {
      const members = await node.send<string[]>("members");
      if (JSON.stringify(members) !== JSON.stringify(want)) {
        throw new Error(`${node.name} sees ${members}`);
      }
      const others = await node.send<string[]>("nodes");
      assert.deepEqual(others, want.filter((name) => name !== node.name));
    }
    return true;
  }, { timeoutMs: 20_000, everyMs: 100 });
}

const isNodeEvent = (type: string, node: string, reason?: string) => (event: NodeEventLine) =>
  event.event === type && event.node === node && (reason === undefined || event.reason === reason);

/** Waits until a traffic run acked at least `count` more calls than it had. */
async function trafficProgress(node: ClusterNode, id: number, count: number): Promise<number> {
  const { acked: from } = await node.send<TrafficResult>("trafficStats", { traffic: id });
  return await waitFor(`${count} more acked calls from ${node.name}`, async () => {
    const { acked } = await node.send<TrafficResult>("trafficStats", { traffic: id });
    return acked >= from + count ? acked : undefined;
  }, { timeoutMs: 30_000, everyMs: 50 });
}

describe("a 3-server NATS cluster (plain clients)", { skip }, () => {
  let cluster: NatsCluster;
  const connections: NatsConnection[] = [];

  before(async () => {
    cluster = await startNatsCluster(3);
  });
  after(async () => {
    await Promise.all(connections.map((nc) => nc.close().catch(() => {})));
    await cluster?.stop();
  });

  it("routes messages between servers and replicates a KV bucket on all three", async () => {
    const [first, second] = await Promise.all(
      cluster.urls.slice(0, 2).map((url) => startClient(url)),
    );
    second.subscribe("routed.hello", {
      callback: (_error, msg) => {
        msg.respond(`${decoder.decode(msg.data)} from ${cluster.serverNames[1]}`);
      },
    });
    await second.flush();
    // Interest crosses the route asynchronously: ask until it has.
    const answer = await waitFor("a request across the route", async () => {
      const reply = await first.request("routed.hello", "hi", { timeout: 500 });
      return decoder.decode(reply.data);
    }, { timeoutMs: 10_000, everyMs: 50 });
    assert.equal(answer, "hi from n1");

    const kv = await new Kvm(first).create(uniqueCluster("kv"), { replicas: 3 });
    await kv.put("k", "v1");
    const status = await kv.status();
    assert.equal(status.replicas, 3);
    const seen = await new Kvm(second).open(status.bucket);
    assert.equal((await seen.get("k"))?.string(), "v1");
    await kv.destroy();
  });

  it("keeps serving a client through a SIGKILLed server, and takes the server back", async () => {
    // The client is given server 1 only: it learns the others from the cluster.
    const responder = await startClient(cluster.urls[1]);
    const requester = await startClient(cluster.urls[0]);
    responder.subscribe("echo", {
      callback: (_error, msg) => {
        msg.respond(msg.data);
      },
    });
    await responder.flush();
    await waitFor("the echo service across the route", async () => {
      const answer = await requester.request("echo", "x", { timeout: 500 });
      return decoder.decode(answer.data) === "x" ? true : undefined;
    }, { timeoutMs: 10_000, everyMs: 50 });

    await cluster.kill(1);
    assert.equal(cluster.isUp(1), false);
    await waitFor("the echo service back through another server", async () => {
      const answer = await requester.request("echo", "y", { timeout: 500 });
      return decoder.decode(answer.data) === "y" ? true : undefined;
    }, { timeoutMs: 20_000, everyMs: 100 });
    assert.notEqual(responder.getServer(), cluster.urls[1]);
    await cluster.ready(30_000); // JetStream keeps a quorum of two

    await cluster.restart(1);
    assert.equal(cluster.isUp(1), true);
    await cluster.ready(30_000);
    const direct = await startClient(cluster.urls[1]);
    const answer = await direct.request("echo", "z", { timeout: 5_000 });
    assert.equal(decoder.decode(answer.data), "z");
  });

  async function startClient(url: string): Promise<NatsConnection> {
    const nc = await cluster.connect({ servers: url, reconnectTimeWait: 100 });
    connections.push(nc);
    return nc;
  }
});

describe("nodes as OS processes over one nats-server", { skip }, () => {
  let server: NatsServer;
  let nodes: ClusterNode[] = [];
  const name = uniqueCluster("one");

  before(async () => {
    server = await startNats();
    nodes = await startNodes(["a", "b", "c"], { cluster: name, servers: [server.url] });
  });
  after(async () => {
    await stopNodes(nodes);
    await server?.stop();
  });

  it("every node sees the same members", async () => {
    await membersAgree(nodes, ["a", "b", "c"]);
  });

  it("a behaviour started on another node by placement answers every node", async () => {
    const [a, b, c] = nodes;
    const pid = await a.send<string>("startCounterOn", { node: "b", start: 10 });
    assert.match(pid, /^#PID<b\./);
    assert.equal(await c.send("call", { pid, request: "inc" }), 11);
    assert.equal(await b.send("cast", { pid, request: "inc" }), "ok");
    assert.equal(await a.send("call", { pid, request: "get" }), 12);
  });

  it("a second node of a taken name, or one with no NATS server, does not join", async () => {
    await assert.rejects(
      startNode("a", { cluster: name, servers: [server.url] }),
      (error: unknown) => error instanceof NodeOpError && error.errorName === "NodeNameTakenError",
    );
    const nowhere = `127.0.0.1:${await freePort()}`;
    await assert.rejects(
      startNode("d", { cluster: name, servers: [nowhere] }),
      (error: unknown) => error instanceof NodeOpError && error.errorName === "ClusterConnectError",
    );
    await membersAgree(nodes, ["a", "b", "c"]);
    // The refused node never passed for the real a.
    for (const node of nodes) {
      assert.deepEqual(node.events().filter((e) => e.event === "nodedown"), [], node.name);
    }
  });

  it("a node SIGKILLed mid-traffic: nodedown noconnection, DOWN noconnection, NoConnectionError", async () => {
    const [a, b, c] = nodes;
    await membersAgree(nodes, ["a", "b", "c"]);
    const pid = await c.send<string>("spawnCounter", { name: "victim" });
    assert.match(pid, /^#PID<c\./);
    const monitor = await a.send<string>("monitor", { pid });
    const fromA = await a.send<number>("trafficStart", { pid, concurrency: 4, timeout: 20_000 });
    const fromB = await b.send<number>("trafficStart", { pid, concurrency: 2, timeout: 20_000 });
    await trafficProgress(a, fromA, 20);
    await trafficProgress(b, fromB, 10);

    await c.kill();

    for (const node of [a, b]) {
      const down = await node.waitEvent("nodedown c", isNodeEvent("nodedown", "c"));
      assert.equal(down.reason, "noconnection", JSON.stringify(node.events()));
    }
    const down = await a.waitEvent("DOWN of the counter", (e) => e.event === "down");
    assert.equal(down.ref, monitor);
    assert.equal(down.pid, pid);
    assert.equal(down.reason, "noconnection");

    // The calls in flight and the later ones fail with NoConnectionError: none waits for its timeout.
    for (const [node, id] of [[a, fromA], [b, fromB]] as const) {
      const result = await node.send<TrafficResult>("trafficStop", { traffic: id });
      assert.ok(result.acked >= 10, JSON.stringify(result));
      assert.equal(result.distinct, result.acked, "every reply a distinct count");
      assert.deepEqual(Object.keys(result.failures), ["NoConnectionError"], JSON.stringify(result));
    }
    const late = await a.attempt("call", { pid, request: "get", timeout: 20_000 });
    assert.equal(late.ok, false);
    assert.equal(!late.ok && late.error.errorName, "NoConnectionError");
    await membersAgree([a, b], ["a", "b"]);
    for (const node of [a, b]) {
      assert.deepEqual(node.events().filter((e) => /unhandled|uncaught/i.test(e.event)), []);
    }
  });

  it("a node that stops cleanly is seen down (shutdown), then up when it comes back", async () => {
    const [a, b] = nodes;
    await membersAgree([a, b], ["a", "b"]);
    const c = await startNode("c", { cluster: name, servers: [server.url] });
    nodes[2] = c;
    await membersAgree([a, b, c], ["a", "b", "c"]);

    await b.stop();
    assert.equal(await b.exited, 0, b.output());
    const downAt = await waitForIndex(a, isNodeEvent("nodedown", "b"));
    assert.equal(a.events()[downAt].reason, "shutdown");
    const down = c.events().find(isNodeEvent("nodedown", "b")) ??
      await c.waitEvent("nodedown b", isNodeEvent("nodedown", "b"));
    assert.equal(down.reason, "shutdown");
    await membersAgree([a, c], ["a", "c"]);

    const again = await startNode("b", { cluster: name, servers: [server.url] });
    nodes[1] = again;
    const upAt = await waitForIndex(a, (e) => isNodeEvent("nodeup", "b")(e), downAt + 1);
    assert.notEqual(
      a.events()[upAt].incarnation,
      a.events()[downAt].incarnation,
      "a new incarnation",
    );
    await membersAgree(nodes, ["a", "b", "c"]);

    // The new b serves calls from the others.
    const pid = await again.send<string>("spawnCounter", {});
    assert.equal(await a.send("call", { pid, request: "inc" }), 1);
    assert.equal(await c.send("call", { pid, request: "inc" }), 2);
  });
});

describe("cluster services on nodes as OS processes", { skip }, () => {
  let server: NatsServer;
  let nodes: ClusterNode[] = [];
  const name = uniqueCluster("svc");
  const env = () => ({ cluster: name, servers: [server.url] });

  before(async () => {
    server = await startNats();
    nodes = await startNodes(["a", "b", "c"], env());
    await membersAgree(nodes, ["a", "b", "c"]);
  });
  after(async () => {
    await stopNodes(nodes);
    await server?.stop();
  });

  it("process groups: every node sees every member; a SIGKILLed node's members leave", async () => {
    const [a, b] = nodes;
    const pids = await Promise.all(
      nodes.map((n) => n.send<string>("pgJoin", { group: "workers" })),
    );
    const all = [...pids].sort();
    for (const node of nodes) await sees(node, "pgMembers", { group: "workers" }, all);
    assert.deepEqual(await a.send("pgMonitor", { group: "workers" }), all);
    assert.deepEqual(await b.send("pgLocalMembers", { group: "workers" }), [pids[1]]);

    await nodes[2].kill();
    const rest = all.filter((pid) => pid !== pids[2]);
    for (const node of [a, b]) await sees(node, "pgMembers", { group: "workers" }, rest);
    const leave = await a.waitEvent("pg leave", (e) => e.event === "pg" && e.type === "leave");
    assert.deepEqual(leave.pids, [pids[2]]);

    nodes[2] = await startNode("c", env());
    await membersAgree(nodes, ["a", "b", "c"]);
    const again = await nodes[2].send<string>("pgJoin", { group: "workers" });
    for (const node of nodes) {
      await sees(node, "pgMembers", { group: "workers" }, [...rest, again].sort());
    }
  });

  it("global registry: one winner of each race, seen everywhere, released when its node is lost", async () => {
    for (const node of nodes) await node.send("globalOpen");
    const holders: string[] = [];
    for (let round = 0; round < 5; round++) {
      const key = `leader${round}`;
      const results = await Promise.all(
        nodes.map((node) =>
          node.send<{ registered: boolean; pid: string }>("globalRegister", { name: key })
        ),
      );
      const winners = results.filter((result) => result.registered);
      assert.equal(winners.length, 1, JSON.stringify(results));
      holders.push(winners[0].pid);
      for (const node of nodes) await sees(node, "globalWhereis", { name: key }, winners[0].pid);
    }
    for (const [i, node] of nodes.entries()) {
      assert.equal(await node.send("globalCall", { name: "leader0", request: "inc" }), i + 1);
    }

    // The node holding leader0 is lost: its names are released, and taken again.
    const lost = nodes.findIndex((node) => holders[0].startsWith(`#PID<${node.name}.`));
    const survivors = nodes.filter((_, i) => i !== lost);
    await nodes[lost].kill();
    for (const node of survivors) await sees(node, "globalWhereis", { name: "leader0" }, null);
    const retaken = await survivors[0].send<{ registered: boolean; pid: string }>(
      "globalRegister",
      { name: "leader0" },
    );
    assert.equal(retaken.registered, true);
    for (const node of survivors) {
      await sees(node, "globalWhereis", { name: "leader0" }, retaken.pid);
    }
    nodes[lost] = await startNode(nodes[lost].name, env());
    await membersAgree(nodes, ["a", "b", "c"]);
  });

  it("sharding: counts survive a clean leave and a join (hand-offs); a SIGKILLed owner's keys are served again", async () => {
    const carts = "carts";
    for (const node of nodes) await node.send("shardingStart", { name: carts, shards: 16 });
    const keys = Array.from({ length: 24 }, (_, i) => `cart:${i}`);
    const get = (node: ClusterNode, key: string) =>
      node.send<number>("shardCall", { name: carts, key, request: "get" });
    for (const node of nodes) {
      await Promise.all(keys.map((key) => node.send("shardCall", { name: carts, key })));
    }
    for (const key of keys) assert.equal(await get(nodes[0], key), 3, key);
    const owners = await Promise.all(
      keys.map((key) => nodes[0].send<string>("shardOwner", { name: carts, key })),
    );
    for (const node of nodes) {
      for (const [i, key] of keys.entries()) {
        await sees(node, "shardOwner", { name: carts, key }, owners[i]);
      }
    }
    assert.ok(owners.includes("b"), `b owns a key: ${owners}`);

    // b leaves cleanly: its entities are handed off with their counts.
    await nodes[1].stop();
    for (const key of keys) assert.equal(await get(nodes[0], key), 3, key);

    // b comes back: the shards it owns again are handed back to it.
    nodes[1] = await startNode("b", env());
    await nodes[1].send("shardingStart", { name: carts, shards: 16 });
    for (const [i, key] of keys.entries()) {
      await sees(nodes[0], "shardOwner", { name: carts, key }, owners[i]);
    }
    for (const key of keys) assert.equal(await get(nodes[1], key), 3, key);
    assert.ok((await nodes[1].send<unknown[]>("shardEntities", { name: carts })).length > 0);

    // c is lost: its keys start again (fresh) on the others, and are answered.
    const ofC = keys.filter((_, i) => owners[i] === "c");
    await nodes[2].kill();
    for (const key of ofC) {
      const count = await waitFor(`${key} answered again`, async () => {
        const result = await nodes[0].attempt<number>("shardCall", { name: carts, key });
        return result.ok ? result.value : undefined;
      }, { timeoutMs: 20_000, everyMs: 100 });
      assert.ok(count >= 1, `${key}: ${count}`);
    }
    for (const key of keys.filter((_, i) => owners[i] !== "c")) {
      assert.equal(await get(nodes[0], key), 3, key);
    }
  });
});

describe("nodes as OS processes over a 3-server NATS cluster", { skip }, () => {
  let cluster: NatsCluster;
  let nodes: ClusterNode[] = [];
  const name = uniqueCluster("three");

  before(async () => {
    cluster = await startNatsCluster(3);
    // Each node is given one server only and learns the others from it.
    nodes = await Promise.all(
      ["a", "b", "c"].map((node, i) =>
        startNode(node, { cluster: name, servers: [cluster.urls[i]] })
      ),
    );
  });
  after(async () => {
    await stopNodes(nodes);
    await cluster?.stop();
  });

  it("every node sees the same members across the routes", async () => {
    await membersAgree(nodes, ["a", "b", "c"]);
  });

  it("a NATS server SIGKILLed mid-traffic: calls keep being answered, none lost or doubled", async () => {
    const [a, b, c] = nodes;
    await membersAgree(nodes, ["a", "b", "c"]);
    // The counter lives on b, whose only configured server is the one killed.
    const pid = await b.send<string>("spawnCounter", {});
    // A call whose request or reply dies with the server fails after its
    // timeout (NoConnectionError: no answer in time), handled or not.
    const traffic = { pid, concurrency: 4, timeout: 3_000 };
    const fromA = await a.send<number>("trafficStart", traffic);
    const fromC = await c.send<number>("trafficStart", traffic);
    await trafficProgress(a, fromA, 50);
    await trafficProgress(c, fromC, 50);

    await cluster.kill(1);

    // Answered again after the kill, from both sides.
    await trafficProgress(a, fromA, 200);
    await trafficProgress(c, fromC, 200);
    const results = [
      await a.send<TrafficResult>("trafficStop", { traffic: fromA }),
      await c.send<TrafficResult>("trafficStop", { traffic: fromC }),
    ];
    const count = await waitFor("the final count", async () => {
      const result = await a.attempt<number>("call", { pid, request: "get", timeout: 5_000 });
      return result.ok ? result.value : undefined;
    }, { timeoutMs: 20_000, everyMs: 100 });

    const acked = results[0].acked + results[1].acked;
    const failed = results.flatMap((r) => Object.values(r.failures)).reduce((x, y) => x + y, 0);
    const report = JSON.stringify({ count, results });
    for (const result of results) assert.equal(result.distinct, result.acked, report);
    // No acked call lost, none handled twice. A call that failed (its request
    // or its reply lost with the server) may or may not have been handled.
    assert.ok(count >= acked, `an acked call was lost: ${report}`);
    assert.ok(count <= acked + failed, `a call was handled twice: ${report}`);
    if (failed === 0) assert.equal(count, acked, report);
    await membersAgree(nodes, ["a", "b", "c"]);
    for (const node of nodes) {
      assert.deepEqual(node.events().filter((e) => /unhandled|uncaught/i.test(e.event)), []);
    }
  });

  it("the global registry on a KV replicated on all three servers survives losing one", async () => {
    await cluster.restart(1);
    await cluster.ready();
    await membersAgree(nodes, ["a", "b", "c"]);
    for (const node of nodes) await node.send("globalOpen", { replicas: 3 });
    const race = async (key: string, read: "globalWhereis" | "globalLookup") => {
      const results = await Promise.all(
        nodes.map((node) =>
          node.send<{ registered: boolean; pid: string }>("globalRegister", { name: key })
        ),
      );
      const winners = results.filter((result) => result.registered);
      assert.equal(winners.length, 1, JSON.stringify(results));
      for (const node of nodes) await sees(node, read, { name: key }, winners[0].pid);
      return winners[0].pid;
    };
    const before = await race("before", "globalWhereis");

    await cluster.kill(2);
    // The KV keeps a quorum of two: names are still given out once, and kept.
    // (A try that fails while the stream elects a new leader is tried again
    // under a new name: the failed one may be half done.) Read with lookup
    // (a KV get) first; then every node's cache (whereis), whose KV watch may
    // have stalled with the killed server, catches up too (the registry
    // notices a stalled watch and replaces it).
    let tries = 0;
    const [key, holder] = await waitFor("a registration with a server down", async () => {
      const key = `after${tries++}`;
      return [key, await race(key, "globalLookup")] as const;
    }, { timeoutMs: 30_000, everyMs: 200 });
    for (const node of nodes) {
      assert.equal(await node.send("globalLookup", { name: "before" }), before);
      assert.equal(await node.send("globalLookup", { name: key }), holder);
      await sees(node, "globalWhereis", { name: key }, holder);
    }
  });
});

/** Resolves once `node` answers `op` with (a JSON equal of) `expected`. */
async function sees(
  node: ClusterNode,
  op: string,
  args: Record<string, unknown>,
  expected: unknown,
): Promise<void> {
  const want = JSON.stringify(expected);
  await waitFor(`${node.name}: ${op} ${JSON.stringify(args)} = ${want}`, async () => {
    const got = JSON.stringify(await node.send(op, args));
    if (got !== want) throw new Error(`got ${got}`);
    return true;
  }, { timeoutMs: 20_000, everyMs: 50 });
}

/** The index of the first event of `node` at or after `from` matching `match`, once there is one. */
async function waitForIndex(
  node: ClusterNode,
  match: (event: NodeEventLine) => boolean,
  from = 0,
): Promise<number> {
  return await waitFor(`an event on ${node.name}`, () => {
    const index = node.events().findIndex((event, i) => i >= from && match(event));
    return index >= 0 ? index : undefined;
  }, { timeoutMs: 20_000, everyMs: 25 });
}
