/**
 * Links and monitors across the routing seam, without Workers: two systems
 * of two nodes in one thread, joined by a loopback port that hands every
 * operation to the other kernel's incoming functions on a microtask (as a
 * transport would, later). Exit signals, trapped exits, DOWN messages,
 * `noproc` for the dead, demonitor, unlink, and `noconnection` when the
 * other side is lost.
 *
 * @module
 */

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DownMessage, ExitMessage, noreply, ok, type Pid, reply, System } from "../../../mod.ts";
import type { MailboxPort } from "../../../src/options.ts";
import { runtimeOf } from "../../../src/_runtime_access.ts";
import {
  connectionLost,
  remoteDemonitored,
  remoteDown,
  remoteExit,
  remoteLinked,
  remoteLinkExit,
  remoteMonitored,
  remoteUnlinked,
} from "../../../src/kernel/lifecycle/remote_links.ts";

/** Two systems, "a" and "b", each reaching the other's pids through a loopback port. */
function pair(): { a: System; b: System } {
  const systems: Record<string, System> = {};
  const portTo = (pid: Pid): MailboxPort => {
    const there = systems[pid.node];
    const rt = runtimeOf(there);
    const later = (run: () => void) => queueMicrotask(run);
    return {
      deliver: (kind, message) =>
        kind === "cast" ? there.cast(pid, message) : there.send(pid, message),
      call: (request, _from, timeout) => there.call(pid, request, { timeout }),
      exit: (from, reason) => later(() => remoteExit(rt, pid, from, reason)),
      link: (from) => later(() => remoteLinked(rt, pid, from)),
      unlink: (from) => later(() => remoteUnlinked(rt, pid, from)),
      linkExit: (from, reason) => later(() => remoteLinkExit(rt, pid, from, reason)),
      monitor: (watcher, ref) => later(() => remoteMonitored(rt, pid, watcher, ref)),
      demonitor: (ref) => later(() => remoteDemonitored(rt, pid, ref)),
      down: (ref, dead, reason) => later(() => remoteDown(rt, pid, ref, dead, reason)),
    };
  };
  const resolver = (pid: Pid) => systems[pid.node] === undefined ? undefined : portTo(pid);
  systems.a = new System({ node: "a", remote: resolver, logger: null });
  systems.b = new System({ node: "b", remote: resolver, logger: null });
  return { a: systems.a, b: systems.b };
}

/** Keeps every message; `{ link }` / `{ unlink }` / `{ monitor }` act on a pid. */
const inbox = {
  init: (trap: boolean, ctx: { trapExit(on: boolean): void }) => {
    ctx.trapExit(trap);
    return ok([] as unknown[]);
  },
  handleCall: (
    request: { link?: Pid; unlink?: Pid; monitor?: Pid; demonitor?: unknown } | "log",
    _from: unknown,
    log: unknown[],
    ctx: {
      link(pid: Pid): void;
      unlink(pid: Pid): void;
      monitor(pid: Pid): unknown;
      demonitor(ref: never): boolean;
    },
  ) => {
    if (request === "log") return reply(log, log);
    if (request.link) ctx.link(request.link);
    if (request.unlink) ctx.unlink(request.unlink);
    if (request.monitor) return reply(ctx.monitor(request.monitor), log);
    if (request.demonitor) return reply(ctx.demonitor(request.demonitor as never), log);
    return reply(null, log);
  },
  handleInfo: (message: unknown, log: unknown[]) => noreply([...log, message]),
};
const idle = { init: () => ok(null) };

async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0));
}

describe("links and monitors across the routing seam", () => {
  it("a link carries the exit signal both ways; trapped it is an EXIT message", async () => {
    const { a, b } = pair();
    const trapper = await a.start(inbox, true);
    const there = await b.start(idle);
    await a.call(trapper, { link: there });
    await settle();
    b.exit(there, "boom");
    await settle();
    const [exit] = await a.call(trapper, "log") as ExitMessage[];
    assert.ok(exit instanceof ExitMessage);
    assert.ok(exit.from?.equals(there));
    assert.equal(exit.reason, "boom");

    // The other way: the remote side dies with the local one.
    const local = await a.start(idle);
    const remote = await b.start(inbox, false);
    await b.call(remote, { link: local });
    await settle();
    a.exit(local, "crash");
    await settle();
    assert.equal(b.isAlive(remote), false);
  });

  it("kill reaches a link as killed, normal does not end a non-trapping process", async () => {
    const { a, b } = pair();
    const watcher = await a.start(inbox, true);
    const calm = await a.start(inbox, false);
    const victim = await b.start(idle);
    const quiet = await b.start(idle);
    await a.call(watcher, { link: victim });
    await a.call(calm, { link: quiet });
    await settle();
    a.exit(victim, "kill");
    b.exit(quiet, "normal");
    await b.stop(quiet);
    await settle();
    assert.equal(((await a.call(watcher, "log")) as ExitMessage[])[0].reason, "killed");
    assert.equal(a.isAlive(calm), true);
  });

  it("linking to a dead remote pid is noproc; unlink stops the signal", async () => {
    const { a, b } = pair();
    const trapper = await a.start(inbox, true);
    const gone = await b.start(idle);
    await b.stop(gone);
    await a.call(trapper, { link: gone });
    await settle();
    assert.equal(((await a.call(trapper, "log")) as ExitMessage[])[0].reason, "noproc");

    const other = await a.start(inbox, false);
    const there = await b.start(idle);
    await a.call(other, { link: there });
    await settle();
    await a.call(other, { unlink: there });
    await settle();
    b.exit(there, "boom");
    await settle();
    assert.equal(a.isAlive(other), true);
  });

  it("a monitor gets one DOWN with the reason, noproc for the dead, none after demonitor", async () => {
    const { a, b } = pair();
    const watcher = await a.start(inbox, false);
    const target = await b.start(idle);
    const ref = await a.call(watcher, { monitor: target });
    await settle();
    b.exit(target, "bye");
    await settle();
    const [down] = await a.call(watcher, "log") as DownMessage[];
    assert.ok(down instanceof DownMessage);
    assert.ok(down.pid.equals(target));
    assert.ok(down.ref.equals(ref));
    assert.equal(down.reason, "bye");

    const seen: unknown[] = [];
    a.monitor(target, (reason) => seen.push(reason));
    await settle();
    assert.deepEqual(seen, ["noproc"]);

    const alive = await b.start(idle);
    const dropped: unknown[] = [];
    const dref = a.monitor(alive, (reason) => dropped.push(reason));
    await settle();
    assert.equal(a.demonitor(dref), true);
    await settle();
    await b.stop(alive, "later");
    await settle();
    assert.deepEqual(dropped, []);
  });

  it("a lost connection is noconnection for every link and monitor into it", async () => {
    const { a, b } = pair();
    const trapper = await a.start(inbox, true);
    const watcher = await a.start(inbox, false);
    const there = await b.start(idle);
    await a.call(trapper, { link: there });
    await a.call(watcher, { monitor: there });
    const outside: unknown[] = [];
    a.monitor(there, (reason) => outside.push(reason));
    await settle();
    connectionLost(runtimeOf(a), (pid) => pid.node === "b");
    await settle();
    assert.equal(((await a.call(trapper, "log")) as ExitMessage[])[0].reason, "noconnection");
    assert.equal(((await a.call(watcher, "log")) as DownMessage[])[0].reason, "noconnection");
    assert.deepEqual(outside, ["noconnection"]);
    // Nothing is left behind on this side.
    assert.equal(runtimeOf(a).remoteHolders.size, 0);
    assert.equal(runtimeOf(a).remoteExternal.size, 0);
  });

  it("an exiting process leaves no remote ends on either side", async () => {
    const { a, b } = pair();
    const here = await a.start(inbox, true);
    const there = await b.start(inbox, true);
    await a.call(here, { link: there, monitor: there });
    await b.call(there, { monitor: here });
    await settle();
    assert.equal(runtimeOf(a).remoteHolders.size, 1);
    assert.equal(runtimeOf(b).remoteHolders.size, 1);
    await a.stop(here);
    await settle();
    assert.equal(runtimeOf(a).remoteHolders.size, 0);
    const log = await b.call(there, "log") as unknown[];
    assert.equal(log.length, 2); // the EXIT of the link and the DOWN of the monitor
    assert.equal(runtimeOf(b).remoteHolders.size, 0);
  });
});
