/**
 * Nodes of a cluster over a real `nats-server` on 127.0.0.1, several
 * Systems in this process (the OS-process scenarios are
 * `cluster_nodes_test.ts`): membership and node monitors; call, cast,
 * send, reply, stop and exit to pids of another node; per-sender order;
 * links, trapped exits and monitors across nodes, and `noconnection` when
 * a node is lost without a goodbye; starts placed on another node; and the
 * bad input of the issue — a NATS server that is down, a node name taken,
 * a cluster name mismatch, payloads that cannot be encoded, a pid of an
 * unknown node — each a named error, nothing lost silently.
 */

import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { skipUnless } from "./_requirement.ts";
import { waitFor } from "./_wait.ts";
import { NATS_SERVER, type NatsServer, startNats } from "./_nats.ts";
import {
  CallTimeoutError,
  DownMessage,
  ExitMessage,
  type From,
  NoConnectionError,
  NoProcError,
  noreply,
  ok,
  Pid,
  reply,
  System,
} from "../mod.ts";
import { defineBehaviour, UnencodableError, UnknownBehaviourError } from "../schedulers.ts";
import {
  ClusterConnectError,
  clusterOf,
  demonitorNode,
  monitorNode,
  monitorNodes,
  type NodeEvent,
  type NodeMessage,
  NodeNameTakenError,
  nodes,
} from "../cluster.ts";

const skip = skipUnless("nats-server", NATS_SERVER);

/** A recorder: keeps what it is cast or sent, answers calls with it. */
const recorder = defineBehaviour("e2e.cluster.recorder", {
  init: () => ok([] as unknown[]),
  handleCast: (message: unknown, seen: unknown[]) => {
    seen.push(message);
    return noreply(seen);
  },
  handleInfo: (message: unknown, seen: unknown[]) => {
    seen.push({ info: message });
    return noreply(seen);
  },
  handleCall: (request: unknown, from: From, seen: unknown[], ctx) => {
    if (request === "seen") return reply(seen, seen);
    if (request === "from") return reply(from.pid, seen);
    if (request === "slow") return noreply(seen); // never answers
    if (request === "later") {
      setTimeout(() => ctx.reply(from, "answered later"), 5);
      return noreply(seen);
    }
    return reply({ echo: request }, seen);
  },
});

let server: NatsServer;

/** Waits until `probe` is true (polled every 20 ms; the timeout is only a net). */
function until(what: string, probe: () => boolean | Promise<boolean>): Promise<true> {
  return waitFor(what, async () => (await probe()) ? true as const : undefined, { everyMs: 20 });
}
let clusters = 0;

/** Systems of one fresh cluster over the test's server. */
async function cluster(...names: string[]): Promise<System[]> {
  const name = `core${++clusters}`;
  const systems = names.map((node) =>
    new System({
      node,
      logger: null,
      cluster: { name, servers: server.url, heartbeatMs: 50, downAfterMs: 400 },
    })
  );
  await Promise.all(systems.map((s) => s.ready));
  await until(
    "every node sees the others",
    () => systems.every((s) => nodes(s).length === names.length - 1),
  );
  return systems;
}

async function stopAll(...systems: System[]): Promise<void> {
  await Promise.all(systems.map((s) => s.stopAll()));
}

describe("a cluster of nodes over NATS", { skip }, () => {
  before(async () => {
    server = await startNats();
  });
  after(async () => {
    await server?.stop();
  });

  it("agrees on its members and tells a clean leave from a lost node", async () => {
    const [a, b, c] = await cluster("a", "b", "c");
    assert.deepEqual(nodes(a), ["b", "c"]);
    assert.deepEqual(clusterOf(b).members(), ["a", "b", "c"]);
    const events: NodeEvent[] = [];
    clusterOf(a).onNodeEvent((event) => events.push(event));
    await c.stopAll(); // a goodbye
    await until("c down", () => events.some((e) => e.node === "c"));
    assert.equal(events.find((e) => e.node === "c")?.reason, "shutdown");
    // b's connection is cut without a goodbye: lost after downAfterMs.
    await clusterOf(b).connection.close();
    await until("b lost", () => events.some((e) => e.node === "b"));
    assert.equal(events.find((e) => e.node === "b")?.reason, "noconnection");
    assert.deepEqual(nodes(a), []);
    await stopAll(a, b);
  });

  it("tells processes of nodes going up and down (monitorNode, monitorNodes)", async () => {
    const [a, b] = await cluster("a", "b");
    const heard: NodeMessage[] = [];
    const refs: Record<string, unknown> = {};
    const watcher = await a.start({
      init: (_: undefined, ctx) => {
        refs.b = monitorNode(ctx, "b");
        refs.nowhere = monitorNode(ctx, "nowhere");
        refs.all = monitorNodes(ctx);
        const dropped = monitorNode(ctx, "b");
        refs.dropped = demonitorNode(ctx, dropped);
        refs.again = demonitorNode(ctx, dropped);
        return ok(null);
      },
      handleInfo: (message: NodeMessage, s: null) => {
        heard.push(message);
        return noreply(s);
      },
    });
    assert.equal(refs.dropped, true);
    assert.equal(refs.again, false);
    await until("nowhere is down at once", () => heard.length === 1);
    assert.deepEqual(
      [heard[0].type, heard[0].node, heard[0].reason],
      ["nodedown", "nowhere", "noconnection"],
    );
    assert.ok(heard[0].ref.equals(refs.nowhere as typeof heard[0]["ref"]));
    // Node c joins the same cluster: monitorNodes says so.
    const c = new System({
      node: "c",
      logger: null,
      cluster: { name: clusterOf(a).name, servers: server.url, heartbeatMs: 50, downAfterMs: 400 },
    });
    await c.ready;
    await until("c up", () => heard.some((m) => m.type === "nodeup" && m.node === "c"));
    await clusterOf(b).connection.close(); // b lost
    await until("b down, twice", () => heard.filter((m) => m.node === "b").length === 2);
    const bDowns = heard.filter((m) => m.node === "b");
    assert.ok(bDowns.every((m) => m.type === "nodedown" && m.reason === "noconnection"));
    assert.ok(bDowns.some((m) => m.ref.equals(refs.b as typeof m.ref)));
    await c.stopAll();
    await until(
      "c down, shutdown",
      () => heard.some((m) => m.node === "c" && m.type === "nodedown" && m.reason === "shutdown"),
    );
    assert.equal(a.isAlive(watcher), true);
    await stopAll(a, b);
  });

  it("calls, casts, sends, replies later and stops across nodes, with from.pid", async () => {
    const [a, b] = await cluster("a", "b");
    const pid = await a.start(recorder, undefined, { placement: { node: "b" } }) as Pid;
    assert.equal(pid.node, "b");
    assert.deepEqual(await a.call(pid, { n: 1, at: new Date(0), who: pid }), {
      echo: { n: 1, at: new Date(0), who: pid },
    });
    assert.equal(a.cast(pid, "c1"), "ok");
    assert.equal(a.send(pid, "s1"), "ok");
    assert.deepEqual(await a.call(pid, "seen"), ["c1", { info: "s1" }]);
    assert.equal(await a.call(pid, "later"), "answered later");
    const caller = await a.start({
      init: () => ok(null),
      handleCall: (_r: "ask", _f, s: null, ctx) => ctx.call(pid, "from").then((p) => reply(p, s)),
    });
    const seenFrom = await a.call(caller, "ask") as Pid;
    assert.ok(seenFrom.equals(caller), `from.pid ${seenFrom} is the caller ${caller}`);
    await a.call(pid, "slow", { timeout: 50 }).then(
      () => assert.fail("answered"),
      (error) => assert.ok(error instanceof CallTimeoutError, String(error)),
    );
    await a.stop(pid);
    await assert.rejects(a.call(pid, "seen"), NoProcError);
    assert.equal(a.cast(pid, "late"), "ok"); // as a local cast to a dead process: dropped there
    await stopAll(a, b);
  });

  it("keeps each sender's order between two nodes", async () => {
    const [a, b] = await cluster("a", "b");
    const pid = await b.start(recorder, undefined);
    const senders = await Promise.all([0, 1, 2].map((s) =>
      a.start({
        init: () => ok(s),
        handleCast: (count: number, me: number, ctx) => {
          for (let i = 0; i < count; i++) ctx.cast(pid, [me, i]);
          return noreply(me);
        },
      })
    ));
    for (const sender of senders) a.cast(sender, 2000);
    await until(
      "all arrived",
      async () => (await b.call(pid, "seen") as unknown[]).length === 6000,
    );
    const seen = await b.call(pid, "seen") as [number, number][];
    for (const s of [0, 1, 2]) {
      const mine = seen.filter(([who]) => who === s).map(([, i]) => i);
      assert.deepEqual(mine, Array.from({ length: 2000 }, (_, i) => i), `sender ${s} in order`);
    }
    await stopAll(a, b);
  });

  it("links, traps exits and monitors across nodes; noconnection when a node is lost", async () => {
    const [a, b] = await cluster("a", "b");
    const far = await b.start(recorder, undefined);
    const far2 = await b.start(recorder, undefined);
    const got: unknown[] = [];
    const near = await a.start({
      init: (_: undefined, ctx) => {
        ctx.trapExit(true);
        ctx.link(far);
        ctx.monitor(far2);
        return ok(null);
      },
      handleInfo: (message: unknown, s: null) => {
        got.push(message);
        return noreply(s);
      },
    });
    // What node a sends node b arrives in order: near's link is there before this call's answer.
    await a.call(far, "seen");
    b.exit(far, "boom");
    await until("EXIT from b", () => got.some((m) => m instanceof ExitMessage));
    const exit = got.find((m) => m instanceof ExitMessage) as ExitMessage;
    assert.ok(exit.from?.equals(far));
    assert.equal(exit.reason, "boom");
    // A monitor from outside any process, and a link from b into a.
    const downs: unknown[] = [];
    a.monitor(far2, (reason) => downs.push(reason));
    const linked = await b.start({
      init: (_: undefined, ctx) => {
        ctx.link(near);
        return ok(null);
      },
    });
    await b.call(far2, "seen"); // the link is there
    // b is lost without a goodbye: monitors and links see noconnection.
    const pending = a.call(far2, "slow", { timeout: 60_000 });
    await clusterOf(b).connection.close();
    await assert.rejects(pending, NoConnectionError);
    await until(
      "DOWN noconnection",
      () => got.some((m) => m instanceof DownMessage) && downs.length === 1,
    );
    assert.equal((got.find((m) => m instanceof DownMessage) as DownMessage).reason, "noconnection");
    assert.deepEqual(downs, ["noconnection"]);
    await until(
      "EXIT noconnection from the linked process",
      () => got.some((m) => m instanceof ExitMessage && m.from?.equals(linked)),
    );
    const lost = got.find((m) => m instanceof ExitMessage && m.from?.equals(linked)) as ExitMessage;
    assert.equal(lost.reason, "noconnection");
    assert.equal(a.isAlive(near), true);
    await stopAll(a, b);
  });

  it("starts behaviours by name on a chosen node, linked to their parent", async () => {
    const [a, b] = await cluster("a", "b");
    const exits: unknown[] = [];
    const parent = await a.start({
      init: (_: undefined, ctx) => {
        ctx.trapExit(true);
        return ok(null);
      },
      handleCall: (_r: "spawn", _f, s: null, ctx) =>
        ctx.startLink(recorder, undefined, { placement: { node: "b" } }).then((p) => reply(p, s)),
      handleInfo: (message: unknown, s: null) => {
        exits.push(message);
        return noreply(s);
      },
    });
    const child = await a.call(parent, "spawn") as Pid;
    assert.equal(child.node, "b");
    b.exit(child, "bye");
    await until("the parent hears of its child", () => exits.length === 1);
    assert.equal((exits[0] as ExitMessage).reason, "bye");
    await assert.rejects(
      a.start({ init: () => ok(null) }, undefined, { placement: { node: "b" } }),
      UnknownBehaviourError,
    );
    const nameless = defineBehaviour("e2e.cluster.only-on-a", { init: () => ok(null) });
    void nameless;
    await assert.rejects(
      a.start(recorder, undefined, { placement: { node: "z" } }),
      (error: unknown) => error instanceof NoConnectionError && /node z/.test(error.message),
    );
    await assert.rejects(
      a.start(recorder, undefined, { placement: { node: "not a node" } }),
      TypeError,
    );
    await stopAll(a, b);
  });

  it("refuses payloads that cannot be encoded, with nothing sent", async () => {
    const [a, b] = await cluster("a", "b");
    const pid = await b.start(recorder, undefined);
    assert.throws(() => a.cast(pid, { handler: () => 1 }), UnencodableError);
    await assert.rejects(a.call(pid, { big: new Uint8Array(2 * 1024 * 1024) }), UnencodableError);
    assert.equal(a.cast(pid, "after"), "ok");
    assert.deepEqual(await a.call(pid, "seen"), ["after"]);
    await stopAll(a, b);
  });

  it("names a pid of an unknown node, of another cluster, and a node name taken", async () => {
    const [a, b] = await cluster("a", "b");
    const stranger = new Pid(1, "nowhere");
    await assert.rejects(a.call(stranger, "x"), NoConnectionError);
    assert.equal(a.cast(stranger, "x"), "noproc");
    // Same servers, another cluster name: they neither see nor reach each other.
    const [x] = await cluster("x");
    const pid = await b.start(recorder, undefined);
    assert.deepEqual(nodes(x), []);
    await assert.rejects(x.call(pid, "seen"), NoConnectionError);
    // A second "a" in a's cluster is refused.
    const twin = new System({
      node: "a",
      logger: null,
      cluster: { name: clusterOf(a).name, servers: server.url },
    });
    await assert.rejects(twin.ready, NodeNameTakenError);
    twin.shutdown();
    assert.deepEqual(nodes(b), ["a"]);
    await stopAll(a, b, x);
  });

  it("leaves (stopAll) without waiting for a NATS server that went away", async () => {
    const own = await startNats();
    const lone = new System({
      node: "lone",
      logger: null,
      cluster: { name: "gone", servers: own.url, heartbeatMs: 50, downAfterMs: 400 },
    });
    await lone.ready;
    await own.stop(); // the client now reconnects, forever
    await lone.stopAll(); // resolves: the goodbye's flush is bounded, close stops reconnecting
    assert.equal(clusterOf(lone).closed, true);
  });

  it("rejects ready with ClusterConnectError when no NATS server answers", async () => {
    const lonely = new System({
      node: "lonely",
      logger: null,
      cluster: { name: "nowhere", servers: "127.0.0.1:1", connectTimeoutMs: 500 },
    });
    await assert.rejects(lonely.ready, ClusterConnectError);
    // It still runs on its own.
    const pid = await lonely.start(recorder, undefined);
    assert.deepEqual(await lonely.call(pid, "seen"), []);
    await lonely.stopAll();
  });
});
