/**
 * The global registry over a real `nats-server -js` on 127.0.0.1: three
 * systems, each with its own connection and a hand-driven membership
 * (`_fake_cluster.ts`). Names registered on one node are found on every
 * node; of two nodes registering one name at once exactly one wins (50
 * names, the bucket polled meanwhile: a name never changes hands while
 * racing); a name is released when its holder exits and when its node is
 * lost; a `{ via, key }` start on two nodes at once starts one process;
 * a conflict after a partition (a key purged behind a node's back, then
 * taken by another node) is settled by the default rule and by custom
 * resolvers; keys of nodes that are not up are cleaned; bad input is
 * refused with a TypeError, a server without JetStream with
 * GlobalRegistryError.
 */

import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import type { NatsConnection } from "@nats-io/nats-core";
import { connect } from "@nats-io/transport-node";
import { type KV, Kvm } from "@nats-io/kv";
import { skipUnless } from "./_requirement.ts";
import { freePort, sleep, waitFor } from "./_wait.ts";
import { startChild } from "./_child.ts";
import { NATS_SERVER, type NatsServer, startNats } from "./_nats.ts";
import { type NatsCluster, startNatsCluster } from "./_nats_cluster.ts";
import { jetstreamManager } from "@nats-io/jetstream";
import { type FakeCluster, fakeCluster } from "./_fake_cluster.ts";
import { AlreadyStartedError, ok, Pid, reply, System } from "../mod.ts";
import { NotClusteredError } from "../src/cluster/errors.ts";
import { clusterOf } from "../src/cluster/cluster_of.ts";
import { GlobalRegistry } from "../src/cluster/global/global_registry.ts";
import { GlobalRegistryClosedError, GlobalRegistryError } from "../src/cluster/global/errors.ts";
import type { NameConflictReason } from "../src/cluster/global/options.ts";
import { keyOf } from "../src/cluster/global/_keys.ts";
import { encodeValue } from "../src/cluster/_value_codec.ts";

const skip = skipUnless("nats-server", NATS_SERVER);
const WAIT = { timeoutMs: 10_000, everyMs: 20 };

interface Node {
  readonly name: string;
  readonly system: System;
  readonly connection: NatsConnection;
  readonly link: FakeCluster;
  readonly names: GlobalRegistry;
}

const idle = { init: () => ok(null) };
const echo = {
  init: (arg: unknown) => ok(arg),
  handleCall: (_request: unknown, _from: unknown, state: unknown) => reply(state, state),
};

describe("GlobalRegistry over NATS", { skip }, () => {
  let server: NatsServer;
  let raw: NatsConnection;
  let kv: KV;
  let a: Node;
  let b: Node;
  let c: Node;
  const opened: Node[] = [];
  const extra: GlobalRegistry[] = [];

  /** A node `name` (its own system and connection), up to every node opened before it. */
  async function open(name: string): Promise<Node> {
    const system = new System({ node: name, logger: null });
    const connection = await server.connect();
    const link = fakeCluster(system, connection, name);
    for (const other of opened) {
      link.up(other.name, other.link.incarnation);
      other.link.up(name, link.incarnation);
    }
    const node = { name, system, connection, link, names: new GlobalRegistry(system) };
    opened.push(node);
    await node.names.ready;
    return node;
  }

  /** The holder of `name` in the bucket, read directly. */
  async function holderInBucket(bucket: KV, name: string): Promise<string | undefined> {
    const entry = await bucket.get(keyOf(name));
    if (entry === null || entry.operation !== "PUT") return undefined;
    const value = a.link.decode(entry.value) as { pid: Pid };
    return String(value.pid);
  }

  before(async () => {
    server = await startNats();
    raw = await server.connect();
    a = await open("a");
    b = await open("b");
    c = await open("c");
    kv = await new Kvm(raw).open(a.names.bucket);
  });

  after(async () => {
    for (const registry of extra) registry.close();
    for (const node of opened) {
      node.names.close();
      node.system.shutdown();
      await node.connection.close();
    }
    await raw?.close();
    await server?.stop();
  });

  it("the default bucket is named after the cluster", () => {
    assert.equal(a.names.bucket, "beamlet_test_names");
  });

  it("register, whereis on every node, lookup, names, unregister", async () => {
    const pid = await a.system.start(idle);
    const name = "cart:7 · ünïcode.with*dots>";
    assert.equal(await a.names.register(name, pid), true);
    assert.equal(String(a.names.whereis(name)), String(pid));
    for (const node of [b, c]) {
      await waitFor(`${node.name} sees ${name}`, () => node.names.whereis(name), WAIT);
      assert.equal(String(node.names.whereis(name)), String(pid));
      assert.equal(String(await node.names.lookup(name)), String(pid));
      assert.ok(node.names.names().includes(name));
    }
    assert.equal(await b.names.register(name, await b.system.start(idle)), false);
    assert.equal(await a.names.register(name, pid), false); // taken, by itself
    await a.names.unregister(name);
    assert.equal(a.names.whereis(name), undefined);
    assert.equal(await c.names.lookup(name), undefined);
    for (const node of [b, c]) {
      await waitFor(
        `${node.name} forgets ${name}`,
        () => node.names.whereis(name) ? undefined : true,
        WAIT,
      );
      assert.equal(node.names.whereis(name), undefined);
    }
    assert.equal(a.system.isAlive(pid), true); // nameless, not exited
    await b.names.unregister(name); // nobody holds it: nothing
  });

  it("another node's unregister frees a name; its holder goes on nameless", async () => {
    const pid = await b.system.start(idle);
    assert.equal(await b.names.register("freed-remotely", pid), true);
    await a.names.unregister("freed-remotely");
    assert.equal(await c.names.lookup("freed-remotely"), undefined);
    await waitFor("b forgets it", () => b.names.whereis("freed-remotely") ? undefined : true, WAIT);
    const other = await c.system.start(idle);
    assert.equal(await c.names.register("freed-remotely", other), true);
    assert.equal(b.system.isAlive(pid), true);
    await sleep(50); // b saw c's registration: no conflict, it let the name go
    assert.equal(c.system.isAlive(other), true);
  });

  it("two nodes registering one name at once: exactly one wins, and the name never changes hands", async () => {
    const names = Array.from({ length: 50 }, (_, i) => `race:${i}`);
    const seen = new Map<string, Set<string>>(names.map((name) => [name, new Set()]));
    let racing = true;
    const poller = (async () => {
      while (racing) {
        await Promise.all(names.map(async (name) => {
          const holder = await holderInBucket(kv, name);
          if (holder !== undefined) seen.get(name)!.add(holder);
        }));
      }
    })();
    const results = await Promise.all(names.map(async (name) => {
      const pa = await a.system.start(idle);
      const pb = await b.system.start(idle);
      const [ra, rb] = await Promise.all([a.names.register(name, pa), b.names.register(name, pb)]);
      return { name, pa, pb, ra, rb };
    }));
    racing = false;
    await poller;
    for (const { name, pa, pb, ra, rb } of results) {
      assert.ok(ra !== rb, `${name}: exactly one registration wins (a ${ra}, b ${rb})`);
      const winner = String(ra ? pa : pb);
      assert.equal(await holderInBucket(kv, name), winner);
      const observed = [...seen.get(name)!];
      assert.ok(
        observed.every((holder) => holder === winner),
        `${name}: only the winner was ever seen holding it, saw ${observed}`,
      );
      for (const node of [a, b, c]) {
        await waitFor(`${node.name} sees ${name}`, () => node.names.whereis(name), WAIT);
        assert.equal(String(node.names.whereis(name)), winner);
      }
    }
  });

  it("a name is released when its holder exits", async () => {
    const pid = await b.system.start(idle);
    assert.equal(await b.names.register("exits", pid), true);
    await waitFor("a sees it", () => a.names.whereis("exits"), WAIT);
    b.system.exit(pid, "kill");
    await waitFor(
      "the bucket frees it",
      async () => await a.names.lookup("exits") ? undefined : true,
      WAIT,
    );
    await waitFor("a forgets it", () => a.names.whereis("exits") ? undefined : true, WAIT);
    assert.equal(await a.names.register("exits", await a.system.start(idle)), true);
  });

  it("registering a process that already exited releases the name at once", async () => {
    const pid = await c.system.start(idle);
    c.system.exit(pid, "kill");
    await c.names.register("dead-on-arrival", pid);
    await waitFor(
      "freed",
      async () => await a.names.lookup("dead-on-arrival") ? undefined : true,
      WAIT,
    );
  });

  it("a node's names are released when it goes down", async () => {
    const d = await open("d");
    const pid = await d.system.start(idle);
    assert.equal(await d.names.register("on-d", pid), true);
    await waitFor("a sees it", () => a.names.whereis("on-d"), WAIT);
    // d is lost: it stops answering (its registry is cut off), and the others see it down.
    d.names.close();
    for (const node of [a, b, c]) node.link.down("d", "noconnection");
    assert.equal(a.names.whereis("on-d"), undefined); // its node is not up
    await waitFor("purged", async () => await b.names.lookup("on-d") ? undefined : true, WAIT);
    assert.equal(await c.names.register("on-d", await c.system.start(idle)), true);
  });

  it("keys of nodes that are not up are cleaned after staleAfterMs", async () => {
    const ghost = new Pid(1, "ghost");
    await kv.create(keyOf("haunted"), encodeValue({ pid: ghost, node: "ghost", incarnation: 9 }));
    const sweeper = new GlobalRegistry(a.system, { staleAfterMs: 100 });
    extra.push(sweeper);
    await sweeper.ready;
    assert.equal(sweeper.whereis("haunted"), undefined); // its node is not up
    await waitFor("purged", async () => await sweeper.lookup("haunted") ? undefined : true, WAIT);
    sweeper.close();
  });

  it("a { via, key } start on two nodes at once starts one process", async () => {
    const before = [a, b].map((node) => node.system.processes().length);
    const results = await Promise.allSettled([
      a.system.start(echo, "from a", { name: { via: a.names, key: "svc" } }),
      b.system.start(echo, "from b", { name: { via: b.names, key: "svc" } }),
    ]);
    const won = results.findIndex((result) => result.status === "fulfilled");
    assert.ok(won >= 0, "one start succeeds");
    const lost = 1 - won;
    assert.equal(results[lost].status, "rejected");
    assert.ok((results[lost] as PromiseRejectedResult).reason instanceof AlreadyStartedError);
    const winner = [a, b][won];
    const loser = [a, b][lost];
    const pid = (results[won] as PromiseFulfilledResult<Pid>).value;
    assert.equal(winner.system.processes().length, before[won] + 1);
    assert.equal(loser.system.processes().length, before[lost]); // nothing left behind
    assert.equal(
      await winner.system.call({ via: winner.names, key: "svc" }, "?"),
      `from ${winner.name}`,
    );
    await waitFor("the loser's node sees the winner", () => loser.names.whereis("svc"), WAIT);
    assert.equal(String(loser.names.whereis("svc")), String(pid));
    // Taken: a start under it on the loser's node is refused at once, from its copy.
    await assert.rejects(
      loser.system.start(echo, "again", { name: { via: loser.names, key: "svc" } }),
      AlreadyStartedError,
    );
    // The holder stops: the name is free again.
    await winner.system.stop(pid);
    await waitFor("freed", async () => await loser.names.lookup("svc") ? undefined : true, WAIT);
    const again = await loser.system.start(echo, "second", {
      name: { via: loser.names, key: "svc" },
    });
    assert.equal(String(await a.names.lookup("svc")), String(again));
  });

  it("a conflict after a partition: by default the bucket's holder keeps the name", async () => {
    const pa = await a.system.start(idle);
    assert.equal(await a.names.register("contested", pa), true);
    const exited = a.system.whenExited(pa);
    // a is cut off: the others saw it down and purged its key; b took the name.
    await kv.purge(keyOf("contested"));
    const pb = await b.system.start(idle);
    assert.equal(await b.names.register("contested", pb), true);
    await a.names.recheck(); // what a reconnection runs (the watch may have seen it first)
    const reason = await exited as NameConflictReason;
    assert.equal(reason.reason, "name_conflict");
    assert.equal(reason.name, "contested");
    assert.equal(String(reason.holder), String(pb));
    assert.equal(b.system.isAlive(pb), true);
    assert.equal(String(await c.names.lookup("contested")), String(pb));
    await waitFor("a sees b's", () => a.names.whereis("contested"), WAIT);
    assert.equal(String(a.names.whereis("contested")), String(pb));
  });

  it("a name purged while its node seemed down is registered again by the re-check", async () => {
    const pa = await a.system.start(idle);
    assert.equal(await a.names.register("comeback", pa), true);
    await kv.purge(keyOf("comeback"));
    await waitFor("b forgets it", () => b.names.whereis("comeback") ? undefined : true, WAIT);
    await a.names.recheck();
    assert.equal(String(await b.names.lookup("comeback")), String(pa));
    assert.equal(a.system.isAlive(pa), true);
    // Still released when it exits.
    a.system.exit(pa, "kill");
    await waitFor("freed", async () => await c.names.lookup("comeback") ? undefined : true, WAIT);
  });

  it("a custom resolver: the challenger keeps the name, or neither does", async () => {
    const resolve = (name: string, _holder: Pid, challenger: Pid) =>
      name.startsWith("keep") ? challenger : undefined;
    const ra = new GlobalRegistry(a.system, { bucket: "custom_resolve", resolve });
    const rb = new GlobalRegistry(b.system, { bucket: "custom_resolve" });
    extra.push(ra, rb);
    await Promise.all([ra.ready, rb.ready]);
    const custom = await new Kvm(raw).open("custom_resolve");

    // The challenger (a's process) wins: b's process exits, a's holds the name.
    const pa = await a.system.start(idle);
    assert.equal(await ra.register("keep-mine", pa), true);
    await custom.purge(keyOf("keep-mine"));
    const pb = await b.system.start(idle);
    const bExited = b.system.whenExited(pb);
    assert.equal(await rb.register("keep-mine", pb), true);
    await ra.recheck();
    const reason = await bExited as NameConflictReason;
    assert.equal(reason.reason, "name_conflict");
    assert.equal(String(reason.holder), String(pa));
    assert.equal(a.system.isAlive(pa), true);
    assert.equal(await holderInBucket(custom, "keep-mine"), String(pa));
    await waitFor("b sees a's", () => rb.whereis("keep-mine"), WAIT);
    assert.equal(String(rb.whereis("keep-mine")), String(pa));

    // Neither: both exit and the name is freed.
    const qa = await a.system.start(idle);
    assert.equal(await ra.register("drop-both", qa), true);
    await custom.purge(keyOf("drop-both"));
    const qb = await b.system.start(idle);
    const exits = [a.system.whenExited(qa), b.system.whenExited(qb)];
    assert.equal(await rb.register("drop-both", qb), true);
    await ra.recheck();
    const [first] = await Promise.all([exits[0]]);
    assert.equal((first as NameConflictReason).holder, undefined);
    await waitFor(
      "freed",
      async () => await holderInBucket(custom, "drop-both") ? undefined : true,
      WAIT,
    );
    // (b's process is exited through the cluster core's remote exit; with the fake link, by hand.)
    b.system.exit(qb, "kill");
    await exits[1];
  });

  it("bad input is refused with a TypeError; a closed registry with GlobalRegistryClosedError", async () => {
    const pid = await a.system.start(idle);
    const remote = await b.system.start(idle);
    await assert.rejects(a.names.register("", pid), TypeError);
    await assert.rejects(a.names.register(42 as unknown as string, pid), TypeError);
    await assert.rejects(a.names.register("x".repeat(1025), pid), TypeError);
    await assert.rejects(a.names.register("x", "pid" as unknown as Pid), TypeError);
    await assert.rejects(a.names.register("x", remote), TypeError); // not a's process
    const hostile = new Proxy({}, {
      get() {
        throw new Error("hostile");
      },
    }) as Pid;
    await assert.rejects(a.names.register("x", hostile), TypeError);
    await assert.rejects(a.names.unregister(undefined as unknown as string), TypeError);
    await assert.rejects(a.names.lookup(null as unknown as string), TypeError);
    assert.equal(a.names.whereis(7 as unknown as string), undefined);
    assert.equal(a.names.whereisName({}), undefined);
    a.names.unregisterName({}, hostile); // nothing, no throw
    await assert.rejects(
      a.system.start(idle, undefined, { name: { via: a.names, key: 7 } }),
      TypeError,
    );
    assert.throws(() => new GlobalRegistry(a.system, { bucket: "bad.name" }), TypeError);
    assert.throws(() => new GlobalRegistry(a.system, { replicas: 2 }), RangeError);
    assert.throws(() => new GlobalRegistry(a.system, { staleAfterMs: -1 }), RangeError);
    assert.throws(
      () => new GlobalRegistry(a.system, { resolve: "first" as unknown as undefined }),
      TypeError,
    );
    assert.throws(
      () => new GlobalRegistry(a.system, hostile as unknown as Record<string, never>),
      TypeError,
    );
    assert.throws(() => new GlobalRegistry(new System()), NotClusteredError);
    const closing = new GlobalRegistry(a.system);
    await closing.ready;
    closing.close();
    assert.equal(closing.closed, true);
    await assert.rejects(closing.register("x", pid), GlobalRegistryClosedError);
    await assert.rejects(closing.unregister("x"), GlobalRegistryClosedError);
    assert.deepEqual(closing.names(), []);
  });

  it("a server without JetStream: ready rejects with GlobalRegistryError", async () => {
    const port = await freePort();
    const child = startChild(NATS_SERVER, ["-a", "127.0.0.1", "-p", String(port)]);
    try {
      const nc = await waitFor("plain nats-server", async () => {
        return await connect({ servers: `127.0.0.1:${port}`, reconnect: false, timeout: 1_000 });
      }, WAIT);
      const system = new System({ node: "nojs", logger: null });
      fakeCluster(system, nc, "nojs");
      const names = new GlobalRegistry(system);
      await assert.rejects(names.ready, (error: unknown) => {
        assert.ok(error instanceof GlobalRegistryError);
        assert.equal(error.operation, "open");
        assert.ok(error.cause !== undefined);
        return true;
      });
      await assert.rejects(names.register("x", await system.start(idle)), GlobalRegistryError);
      names.close();
      await nc.close();
    } finally {
      await child.stop();
    }
  });
});

describe("GlobalRegistry on a real cluster", { skip }, () => {
  let server: NatsServer;

  before(async () => {
    server = await startNats();
  });
  after(async () => {
    await server?.stop();
  });

  it("a { via, key } name is called from another node; the name goes when its node leaves", async () => {
    const systems = ["ra", "rb"].map((node) =>
      new System({
        node,
        logger: null,
        cluster: { name: "greal", servers: server.url, heartbeatMs: 50, downAfterMs: 400 },
      })
    );
    const [ra, rb] = systems;
    try {
      await Promise.all(systems.map((system) => system.ready));
      const [na, nb] = systems.map((system) => new GlobalRegistry(system));
      await Promise.all([na.ready, nb.ready]);
      assert.equal(na.bucket, "beamlet_greal_names");
      await waitFor("they see each other", () => clusterIsUp(ra, rb), WAIT);
      const pid = await ra.start(echo, "on ra", { name: { via: na, key: "real:svc" } });
      await waitFor("rb sees it", () => nb.whereis("real:svc"), WAIT);
      assert.equal(await rb.call({ via: nb, key: "real:svc" }, "?"), "on ra");
      await assert.rejects(
        rb.start(echo, "on rb", { name: { via: nb, key: "real:svc" } }),
        AlreadyStartedError,
      );
      assert.equal(String(await nb.lookup("real:svc")), String(pid));
      // ra leaves (its processes with it): the name is free again.
      await ra.stopAll();
      await waitFor("freed", async () => await nb.lookup("real:svc") ? undefined : true, WAIT);
      const again = await rb.start(echo, "on rb", { name: { via: nb, key: "real:svc" } });
      assert.equal(String(nb.whereis("real:svc")), String(again));
    } finally {
      await Promise.all(systems.map((system) => system.stopAll()));
    }
  });
});

/** Whether two real nodes see each other up. */
function clusterIsUp(x: System, y: System): true | undefined {
  return clusterOf(x).isUp(y.node) && clusterOf(y).isUp(x.node) ? true : undefined;
}

describe("GlobalRegistry on a 3-server NATS cluster", { skip }, () => {
  let cluster: NatsCluster;
  const nodes: { system: System; connection: NatsConnection; registries: GlobalRegistry[] }[] = [];

  before(async () => {
    cluster = await startNatsCluster(3);
  });
  after(async () => {
    for (const node of nodes) {
      for (const registry of node.registries) registry.close();
      node.system.shutdown();
      await node.connection.close();
    }
    await cluster?.stop();
  });

  it("the stream leader's server SIGKILLed: whereis catches up on every node", async () => {
    const bucket = "stall_names";
    // A node per server (each given that server only), several registries
    // (several watches) per node: a watch whose consumer stalls after the
    // kill is re-created by the registry, and its copy re-read.
    for (let i = 0; i < 3; i++) {
      const system = new System({ node: `s${i}`, logger: null });
      const connection = await cluster.connect({
        servers: cluster.urls[i],
        reconnectTimeWait: 100,
      });
      const link = fakeCluster(system, connection, `s${i}`);
      nodes.push({ system, connection, registries: [] });
      for (let r = 0; r < 3; r++) {
        const registry = new GlobalRegistry(system, { bucket, replicas: 3 });
        nodes[i].registries.push(registry);
        await registry.ready;
      }
      for (let j = 0; j < i; j++) {
        link.up(`s${j}`, clusterOf(nodes[j].system).incarnation);
        (clusterOf(nodes[j].system) as FakeCluster).up(`s${i}`, link.incarnation);
      }
    }
    const first = await nodes[0].system.start(idle);
    assert.equal(await nodes[0].registries[0].register("before", first), true);
    for (const node of nodes) {
      for (const registry of node.registries) {
        await waitFor("before seen", () => registry.whereis("before"), WAIT);
      }
    }
    const manager = await jetstreamManager(nodes[0].connection);
    const info = await manager.streams.info(`KV_${bucket}`);
    const leader = cluster.serverNames.indexOf(info.cluster?.leader ?? "");
    assert.ok(leader >= 0, JSON.stringify(info.cluster));
    await cluster.kill(leader);

    // Names registered through a node on a surviving server, one after the
    // other (a try that fails while a new leader is elected is tried again).
    const writer = nodes[(leader + 1) % 3];
    const pids: [string, Pid][] = [];
    for (let n = 0; n < 5; n++) {
      const pid = await writer.system.start(idle);
      const name = `after${n}`;
      await waitFor(`${name} registered`, async () => {
        return await writer.registries[0].register(name, pid) ? true : undefined;
      }, { timeoutMs: 60_000, everyMs: 250 });
      pids.push([name, pid]);
      await sleep(500);
    }
    for (const [i, node] of nodes.entries()) {
      for (const [r, registry] of node.registries.entries()) {
        for (const [name, pid] of pids) {
          await waitFor(
            `s${i}/${r} sees ${name}`,
            () => String(registry.whereis(name)) === String(pid) ? true : undefined,
            { timeoutMs: 30_000, everyMs: 50 },
          );
        }
        assert.equal(String(registry.whereis("before")), String(first));
      }
    }
  });
});
