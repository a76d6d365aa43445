/**
 * Process groups over a real `nats-server` on 127.0.0.1: three systems,
 * each with its own connection and a hand-driven membership
 * (`_fake_cluster.ts`), so that a node comes up or goes down exactly when
 * the test says. Joins and leaves reach the other nodes; a pid joined
 * twice needs two leaves; a member that exits leaves everywhere; a node
 * lost takes its members away (monitors get the leaves) and gives them
 * back when it comes up again (sync); listeners and processes monitor
 * groups and the scope; bad input is refused with a TypeError and a
 * malformed message from the wire is counted, never a crash.
 */

import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import type { NatsConnection } from "@nats-io/nats-core";
import { skipUnless } from "./_requirement.ts";
import { waitFor } from "./_wait.ts";
import { NATS_SERVER, type NatsServer, startNats } from "./_nats.ts";
import { type FakeCluster, fakeCluster } from "./_fake_cluster.ts";
import { noreply, ok, type Pid, System } from "../mod.ts";
import { NotClusteredError } from "../src/cluster/errors.ts";
import { ProcessGroups } from "../src/cluster/pg/process_groups.ts";
import { ProcessGroupsClosedError, ScopeInUseError } from "../src/cluster/pg/errors.ts";
import type { GroupEvent, GroupMessage } from "../src/cluster/pg/events.ts";

const skip = skipUnless("nats-server", NATS_SERVER);

interface Node {
  readonly name: string;
  readonly system: System;
  readonly connection: NatsConnection;
  readonly link: FakeCluster;
  readonly groups: ProcessGroups;
}

const idle = { init: () => ok(null) };
const WAIT = { timeoutMs: 10_000, everyMs: 20 };

/** The pids as sorted strings, for comparing memberships. */
const texts = (pids: readonly Pid[]) => pids.map(String).sort();

/** A bare `ProcessGroups` as what `sees` reads. */
const y_ = (groups: ProcessGroups) => ({ groups });

/** Whether `node` sees exactly `pids` in `group`. */
function sees(node: Pick<Node, "groups">, group: string, pids: readonly Pid[]): true | undefined {
  const now = texts(node.groups.members(group));
  return JSON.stringify(now) === JSON.stringify(texts(pids)) ? true : undefined;
}

describe("ProcessGroups over NATS", { skip }, () => {
  let server: NatsServer;
  const nodes: Record<string, Node> = {};
  let a: Node;
  let b: Node;
  let c: Node;

  /** `x` and `y` see each other up. */
  function connect(x: Node, y: Node): void {
    x.link.up(y.name, y.link.incarnation);
    y.link.up(x.name, x.link.incarnation);
  }

  before(async () => {
    server = await startNats();
    const open = async (name: string) => {
      const system = new System({ node: name, logger: null });
      const connection = await server.connect();
      const link = fakeCluster(system, connection, name);
      return { name, system, connection, link };
    };
    const [na, nb, nc] = await Promise.all(["a", "b", "c"].map(open));
    // a and b are up to each other before their groups open (found by the sync at start);
    // c comes up after (found by the sync at nodeup).
    na.link.up("b", nb.link.incarnation);
    nb.link.up("a", na.link.incarnation);
    for (const node of [na, nb, nc]) {
      nodes[node.name] = { ...node, groups: new ProcessGroups(node.system) };
    }
    ({ a, b, c } = nodes);
    await Promise.all(Object.values(nodes).map((node) => node.groups.ready));
    connect(a, c);
    connect(b, c);
  });

  after(async () => {
    for (const node of Object.values(nodes)) {
      node.groups.close();
      node.system.shutdown();
      await node.connection.close();
    }
    await server?.stop();
  });

  it("a join on one node reaches the others; local members stay local", async () => {
    const pid = await a.system.start(idle);
    a.groups.join("join", pid);
    assert.deepEqual(texts(a.groups.localMembers("join")), [String(pid)]);
    await waitFor(
      "b and c to see the join",
      () => sees(b, "join", [pid]) && sees(c, "join", [pid]),
      WAIT,
    );
    assert.deepEqual(b.groups.localMembers("join"), []);
    assert.ok(b.groups.whichGroups().includes("join"));
    const more = [await c.system.start(idle), await c.system.start(idle)];
    c.groups.join("join", more);
    await waitFor("a to see all three", () => sees(a, "join", [pid, ...more]), WAIT);
    await waitFor("b to see all three", () => sees(b, "join", [pid, ...more]), WAIT);
  });

  it("a leave reaches the others; leaving what was not joined is false", async () => {
    const [x, y] = [await b.system.start(idle), await b.system.start(idle)];
    b.groups.join("leave", [x, y]);
    await waitFor("a to see x and y", () => sees(a, "leave", [x, y]), WAIT);
    assert.equal(b.groups.leave("leave", x), true);
    assert.equal(b.groups.leave("leave", x), false);
    assert.equal(b.groups.leave("nothing-here", y), false);
    await waitFor(
      "a and c to see y only",
      () => sees(a, "leave", [y]) && sees(c, "leave", [y]),
      WAIT,
    );
    assert.equal(b.groups.leave("leave", [x, y]), true); // one of the two was a member
    await waitFor(
      "the group to be gone on c",
      () => c.groups.whichGroups().includes("leave") ? undefined : true,
      WAIT,
    );
  });

  it("a pid joined twice is a member twice and needs two leaves", async () => {
    const pid = await a.system.start(idle);
    a.groups.join("twice", pid);
    a.groups.join("twice", [pid]);
    assert.equal(a.groups.localMembers("twice").length, 2);
    await waitFor("b to see it twice", () => sees(b, "twice", [pid, pid]), WAIT);
    assert.equal(a.groups.leave("twice", pid), true);
    await waitFor("b to see it once", () => sees(b, "twice", [pid]), WAIT);
    assert.equal(a.groups.leave("twice", pid), true);
    assert.equal(a.groups.leave("twice", pid), false);
    await waitFor("b to see none", () => sees(b, "twice", []), WAIT);
  });

  it("a member that exits leaves every group, on every node", async () => {
    const pid = await c.system.start(idle);
    const stays = await c.system.start(idle);
    c.groups.join("exit-1", [pid, stays]);
    c.groups.join("exit-2", [pid, pid]);
    await waitFor(
      "a to see the joins",
      () => sees(a, "exit-1", [pid, stays]) && sees(a, "exit-2", [pid, pid]),
      WAIT,
    );
    c.system.exit(pid, "kill");
    await waitFor("c to drop it", () => sees(c, "exit-1", [stays]) && sees(c, "exit-2", []), WAIT);
    await waitFor("a and b to drop it", () => {
      return sees(a, "exit-1", [stays]) && sees(a, "exit-2", []) && sees(b, "exit-1", [stays]) &&
        sees(b, "exit-2", []);
    }, WAIT);
    // A pid that is already dead when it joins leaves at once.
    const dead = await c.system.start(idle);
    c.system.exit(dead, "kill");
    await c.system.whenExited(dead);
    c.groups.join("exit-3", dead);
    await waitFor("the dead pid to leave", () => sees(c, "exit-3", []), WAIT);
  });

  it("a node lost takes its members away (monitors get the leaves); up again, a sync restores them", async () => {
    const first = await c.system.start(idle);
    c.groups.join("down", first);
    await waitFor(
      "a and b to see c's member",
      () => sees(a, "down", [first]) && sees(b, "down", [first]),
      WAIT,
    );
    const events: GroupEvent[] = [];
    const { members, stop } = a.groups.monitor("down", (event) => events.push(event));
    assert.deepEqual(texts(members), [String(first)]);

    a.link.down("c", "noconnection");
    b.link.down("c", "noconnection");
    assert.deepEqual(a.groups.members("down"), []); // at once: the nodedown is local news
    assert.deepEqual(events.map((e) => [e.type, e.group, texts(e.pids)]), [
      ["leave", "down", [String(first)]],
    ]);
    // c does not know: it goes on, and what it says meanwhile is dropped as stale.
    const second = await c.system.start(idle);
    c.groups.join("down", second);
    await waitFor(
      "a to drop c's stale join",
      () => a.groups.dropped().stale > 0 ? true : undefined,
      WAIT,
    );
    assert.deepEqual(a.groups.members("down"), []);

    connect(a, c);
    connect(b, c);
    await waitFor("a and b to see both of c's members again", () => {
      return sees(a, "down", [first, second]) && sees(b, "down", [first, second]);
    }, WAIT);
    assert.deepEqual(
      events.slice(1).flatMap((e) => e.pids.map((pid) => `${e.type} ${pid}`)).sort(),
      [`join ${first}`, `join ${second}`].sort(),
    );
    // And c sees a's and b's members again after its own nodeups (it never lost them here).
    stop();
    const count = events.length;
    c.groups.leave("down", first);
    await waitFor("a to see the leave", () => sees(a, "down", [second]), WAIT);
    assert.equal(events.length, count); // stopped
  });

  it("a process monitors a group through its mailbox until demonitor", async () => {
    const received: GroupMessage[] = [];
    const watcher = await b.system.start({
      init: () => ok(null),
      handleInfo: (message: GroupMessage, state: null) => {
        received.push(message);
        return noreply(state);
      },
    });
    const early = await a.system.start(idle);
    a.groups.join("mailbox", early);
    await waitFor("b to see the first member", () => sees(b, "mailbox", [early]), WAIT);
    const { ref, members } = b.groups.monitor("mailbox", watcher);
    assert.deepEqual(texts(members), [String(early)]);
    const late = await c.system.start(idle);
    c.groups.join("mailbox", late);
    a.groups.leave("mailbox", early);
    await waitFor(
      "the watcher to get both messages",
      () => received.length >= 2 ? true : undefined,
      WAIT,
    );
    const sorted = [...received].sort((x, y) => x.event.localeCompare(y.event));
    assert.deepEqual(sorted.map((m) => [m.type, m.event, m.group, texts(m.pids)]), [
      ["pg", "join", "mailbox", [String(late)]],
      ["pg", "leave", "mailbox", [String(early)]],
    ]);
    assert.ok(received.every((m) => m.ref.equals(ref)));
    assert.equal(b.groups.demonitor(ref), true);
    assert.equal(b.groups.demonitor(ref), false);
    c.groups.leave("mailbox", late);
    await waitFor("b to see the group empty", () => sees(b, "mailbox", []), WAIT);
    assert.equal(received.length, 2);
  });

  it("a monitor of the whole scope sees every group; a monitoring process that exits is dropped", async () => {
    const events: GroupEvent[] = [];
    const { groups, stop } = a.groups.monitorScope((event) => events.push(event));
    assert.ok(groups instanceof Map);
    const received: GroupMessage[] = [];
    const watcher = await a.system.start({
      init: () => ok(null),
      handleInfo: (message: GroupMessage, state: null) => {
        received.push(message);
        return noreply(state);
      },
    });
    const { ref } = a.groups.monitorScope(watcher);
    const pid = await b.system.start(idle);
    b.groups.join("scope-1", pid);
    b.groups.join("scope-2", pid);
    await waitFor("both groups on a", () => {
      const seen = new Set(events.filter((e) => e.type === "join").map((e) => e.group));
      return seen.has("scope-1") && seen.has("scope-2") && received.length >= 2 ? true : undefined;
    }, WAIT);
    stop();
    a.system.exit(watcher, "kill");
    await a.system.whenExited(watcher);
    assert.equal(a.groups.demonitor(ref), false); // gone with the watcher
  });

  it("a listener that throws is reported; the others still run", async () => {
    const reports: unknown[] = [];
    const system = new System({ node: "d", logger: { report: (report) => reports.push(report) } });
    const connection = await server.connect();
    try {
      fakeCluster(system, connection, "d");
      const groups = new ProcessGroups(system);
      await groups.ready;
      const seen: string[] = [];
      groups.monitor("throws", () => {
        throw new Error("listener failed");
      });
      groups.monitor("throws", (event) => seen.push(event.type));
      groups.join("throws", await system.start(idle));
      assert.deepEqual(seen, ["join"]);
      assert.equal(reports.filter((r) => (r as { kind: string }).kind === "callback").length, 1);
      groups.close();
    } finally {
      system.shutdown();
      await connection.close();
    }
  });

  it("bad input is refused with a TypeError; closed groups with ProcessGroupsClosedError", async () => {
    const pid = await a.system.start(idle);
    const remote = await b.system.start(idle);
    const hostile = new Proxy({}, {
      get() {
        throw new Error("hostile");
      },
      getPrototypeOf() {
        throw new Error("hostile");
      },
    });
    const join = a.groups.join.bind(a.groups) as (group: unknown, pids: unknown) => void;
    assert.throws(() => join(7, pid), TypeError);
    assert.throws(() => join("", pid), TypeError);
    assert.throws(() => join("x".repeat(1025), pid), TypeError);
    assert.throws(() => join(hostile, pid), TypeError);
    assert.throws(() => join("bad", {}), TypeError);
    assert.throws(() => join("bad", hostile), TypeError);
    assert.throws(() => join("bad", [pid, "not a pid"]), TypeError);
    assert.throws(() => join("bad", remote), /not a process of this node/);
    assert.throws(() => a.groups.leave("bad", remote), TypeError);
    assert.throws(() => a.groups.members(undefined as unknown as string), TypeError);
    assert.throws(() => a.groups.monitor("bad", "nope" as unknown as Pid), TypeError);
    assert.throws(() => a.groups.monitor("bad", remote), TypeError);
    assert.deepEqual(a.groups.localMembers("bad"), []); // nothing half-joined
    assert.equal(a.groups.demonitor(hostile as never), false);

    assert.throws(() => new ProcessGroups(new System()), NotClusteredError);
    assert.throws(() => new ProcessGroups(a.system), ScopeInUseError);
    assert.throws(() => new ProcessGroups(a.system, { scope: "a.b" }), TypeError);
    assert.throws(() => new ProcessGroups(a.system, hostile), TypeError);
    const other = new ProcessGroups(a.system, { scope: "other" });
    await other.ready;
    other.close();
    assert.equal(other.closed, true);
    assert.throws(() => other.join("x", pid), ProcessGroupsClosedError);
    assert.equal(other.leave("x", pid), false);
    new ProcessGroups(a.system, { scope: "other" }).close(); // free again
  });

  it("a malformed message from the wire is counted, never a crash", async () => {
    const subject = a.link.subject("pg", "default");
    const before = a.groups.dropped().malformed;
    const raw = [
      new Uint8Array([1, 2, 3, 250, 251]),
      a.link.encode({ v: 99, t: "join" }),
      a.link.encode({ v: 1, t: "join", node: "x", inc: 1, group: 7, pids: [] }),
      a.link.encode({ v: 1, t: "join", node: "x", inc: 1, group: "g", pids: ["#PID<x.1.0>"] }),
      // A node may only speak for its own pids.
      a.link.encode({
        v: 1,
        t: "join",
        node: "x",
        inc: 1,
        group: "g",
        pids: [await b.system.start(idle)],
      }),
      a.link.encode({
        v: 1,
        t: "sync",
        node: "x",
        inc: 1,
        groups: [["g"]],
        reply: false,
        more: false,
      }),
      a.link.encode({ v: 1, t: "what", node: "x", inc: 1 }),
      a.link.encode("hello"),
    ];
    for (const bytes of raw) c.connection.publish(subject, bytes);
    await waitFor(
      "a to count them",
      () => a.groups.dropped().malformed - before >= raw.length ? true : undefined,
      WAIT,
    );
    assert.deepEqual(a.groups.members("g"), []);
    // Still working.
    const pid = await c.system.start(idle);
    c.groups.join("after-garbage", pid);
    await waitFor("a to see the join", () => sees(a, "after-garbage", [pid]), WAIT);
  });

  it("a big group goes in parts: a join, a sync after a nodeup, the leaves of an exit", async () => {
    const count = 250_000; // about 1.5 MB encoded: over NATS's 1 MiB for one message
    const pid = await b.system.start(idle);
    const malformed = a.groups.dropped().malformed;
    b.groups.join("big", Array.from({ length: count }, () => pid));
    const size = (n: number) => () => a.groups.members("big").length === n ? true : undefined;
    await waitFor("a to see every membership", size(count), WAIT);
    a.link.down("b", "noconnection");
    assert.equal(a.groups.members("big").length, 0);
    a.link.up("b", b.link.incarnation);
    await waitFor("a to get them back by sync", size(count), WAIT);
    b.system.exit(pid, "kill");
    await waitFor("a to see them all leave", size(0), WAIT);
    assert.equal(a.groups.dropped().malformed, malformed);
    assert.equal(b.groups.dropped().unsent, 0);
  });

  it("on real cluster nodes: found at start and at nodeup; a node that leaves takes its members", async () => {
    const node = (name: string) =>
      new System({
        node: name,
        logger: null,
        cluster: { name: "pgreal", servers: server.url, heartbeatMs: 50, downAfterMs: 400 },
      });
    const x = node("x");
    await x.ready; // the cluster link exists once the system is connected
    const gx = new ProcessGroups(x);
    await gx.ready;
    const px = await x.start(idle);
    gx.join("real", px);
    const y = node("y");
    await y.ready;
    const gy = new ProcessGroups(y);
    try {
      await gy.ready;
      await waitFor("y to see x's member", () => sees(y_(gy), "real", [px]), WAIT);
      const py = await y.start(idle);
      gy.join("real", py);
      await waitFor("x to see both", () => sees(y_(gx), "real", [px, py]), WAIT);
      const events: GroupEvent[] = [];
      gx.monitor("real", (event) => events.push(event));
      await y.stopAll(); // leaves the cluster: x sees a nodedown
      await waitFor("x to drop y's member", () => sees(y_(gx), "real", [px]), WAIT);
      assert.deepEqual(events.map((e) => [e.type, texts(e.pids)]), [["leave", [String(py)]]]);
      assert.equal(gy.closed, true);
    } finally {
      await Promise.all([x.stopAll(), y.stopAll()]);
    }
    assert.equal(gx.closed, true);
  });

  it("a node that closes its groups takes its members away", async () => {
    const system = new System({ node: "e", logger: null });
    const connection = await server.connect();
    try {
      const link = fakeCluster(system, connection, "e");
      const groups = new ProcessGroups(system);
      await groups.ready;
      link.up("a", a.link.incarnation);
      a.link.up("e", link.incarnation);
      const pid = await system.start(idle);
      groups.join("closing", pid);
      await waitFor("a to see e's member", () => sees(a, "closing", [pid]), WAIT);
      link.close(); // the system leaves its cluster: its groups close
      assert.equal(groups.closed, true);
      await waitFor("a to drop e's member", () => sees(a, "closing", []), WAIT);
      a.link.down("e", "shutdown");
    } finally {
      system.shutdown();
      await connection.close();
    }
  });
});
