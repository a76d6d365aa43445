/**
 * Links, monitors and exit trapping, with OTP's exit-signal rules: a crash
 * propagates with its reason, `normal` is ignored by a process that does not
 * trap exits, trapping turns signals into `ExitMessage`s, `kill` cannot be
 * trapped and reaches links as `killed`; monitors deliver one `DownMessage`
 * (`noproc` for a dead target), `demonitor` with `flush` removes a queued one.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { ExitReason } from "../src/exit_reason.ts";
import { DownMessage, ExitMessage, type GenServer, noreply, ok } from "../src/gen_server.ts";
import type { Pid, Ref } from "../src/pid.ts";
import type { System } from "../src/system.ts";
import {
  assertNothingLeft,
  collecting,
  flush,
  inside,
  logOf,
  manual,
  probe,
  startManual,
} from "./_helpers.ts";

function downOf(system: System, pid: Pid): Promise<ExitReason> {
  return new Promise((resolve) => system.monitor(pid, resolve));
}

async function crash(system: System, pid: Pid, reason: unknown): Promise<void> {
  const down = downOf(system, pid);
  system.cast(pid, () => {
    throw reason;
  });
  await down;
}

async function linkedPair(system: System, trapExit = false): Promise<[Pid, Pid]> {
  const a = await system.start(probe, { trapExit });
  const b = await system.start(probe, undefined);
  await inside(system, a, (ctx) => ctx.link(b));
  return [a, b];
}

describe("links", () => {
  it("a crash propagates: a non-trapping linked process exits with the same reason", async () => {
    const { system, reports } = collecting();
    const [a, b] = await linkedPair(system);
    const downA = downOf(system, a);
    const boom = new Error("boom");
    await crash(system, b, boom);
    assert.equal(await downA, boom);
    assert.equal(system.isAlive(a), false);
    assert.equal(reports.length, 1, "one crash report: the crashed process only");
    assert.equal(reports[0].pid, b);
    assertNothingLeft(system);
    system.shutdown();
  });

  it("links are bidirectional: the linker's crash takes the linked process down", async () => {
    const { system } = collecting();
    const [a, b] = await linkedPair(system);
    const downB = downOf(system, b);
    await crash(system, a, "bad_thing");
    assert.equal(await downB, "bad_thing");
    system.shutdown();
  });

  it("a crash propagates along a chain of links", async () => {
    const { system } = collecting();
    const pids: Pid[] = [];
    for (let i = 0; i < 5; i++) pids.push(await system.start(probe, undefined));
    for (let i = 0; i + 1 < pids.length; i++) {
      const next = pids[i + 1];
      await inside(system, pids[i], (ctx) => ctx.link(next));
    }
    const downs = pids.map((pid) => downOf(system, pid));
    await crash(system, pids[2], "chain");
    assert.deepEqual(await Promise.all(downs), ["chain", "chain", "chain", "chain", "chain"]);
    system.shutdown();
  });

  it("a normal exit of a linked process is ignored by a non-trapping one", async () => {
    const { system } = collecting();
    const [a, b] = await linkedPair(system);
    await system.stop(b, "normal");
    await flush();
    assert.ok(system.isAlive(a));
    assert.deepEqual(system.processInfo(a)?.links, []);
    system.shutdown();
  });

  it("a shutdown exit of a linked process is not ignored (only normal is)", async () => {
    const { system } = collecting();
    const [a, b] = await linkedPair(system);
    const downA = downOf(system, a);
    await system.stop(b, "shutdown");
    assert.equal(await downA, "shutdown");
    system.shutdown();
  });

  it("trapping exits turns a linked crash into an ExitMessage; the trapper lives", async () => {
    const { system, reports } = collecting();
    const [a, b] = await linkedPair(system, true);
    await crash(system, b, "boom");
    const log = await logOf(system, a);
    assert.equal(log.length, 1);
    assert.ok(log[0] instanceof ExitMessage);
    assert.equal(log[0].type, "EXIT");
    assert.equal(log[0].from, b);
    assert.equal(log[0].reason, "boom");
    assert.ok(system.isAlive(a));
    assert.deepEqual(system.processInfo(a)?.links, []);
    assert.equal(reports.length, 1);
    system.shutdown();
  });

  it("trapping exits also delivers a linked process's normal exit", async () => {
    const { system } = collecting();
    const [a, b] = await linkedPair(system, true);
    await system.stop(b, "normal");
    const log = await logOf(system, a);
    assert.deepEqual(log.map((m) => m instanceof ExitMessage && [m.from, m.reason]), [[
      b,
      "normal",
    ]]);
    system.shutdown();
  });

  it("trapExit returns the previous flag and can be turned off again", async () => {
    const { system } = collecting();
    const [a, b] = await linkedPair(system);
    assert.equal(await inside(system, a, (ctx) => ctx.trapExit(true)), false);
    assert.equal(system.processInfo(a)?.trapExit, true);
    assert.equal(await inside(system, a, (ctx) => ctx.trapExit(false)), true);
    const downA = downOf(system, a);
    await crash(system, b, "boom");
    assert.equal(await downA, "boom");
    system.shutdown();
  });

  it("exit(pid, 'kill') cannot be trapped; links see 'killed'", async () => {
    const { system, reports } = collecting();
    const victim = await system.start(probe, { trapExit: true });
    const trapper = await system.start(probe, { trapExit: true });
    const bystander = await system.start(probe, undefined);
    await inside(system, victim, (ctx) => {
      ctx.link(trapper);
      ctx.link(bystander);
    });
    const downVictim = downOf(system, victim);
    const downBystander = downOf(system, bystander);
    system.exit(victim, "kill");
    assert.equal(await downVictim, "killed");
    assert.equal(await downBystander, "killed");
    const log = await logOf(system, trapper);
    assert.deepEqual(log.map((m) => m instanceof ExitMessage && [m.from, m.reason]), [[
      victim,
      "killed",
    ]]);
    assert.equal(reports.length, 0, "a killed process logs no crash report");
    system.shutdown();
  });

  it("ctx.exit(pid, 'kill') from another process kills a trapping process too", async () => {
    const { system } = collecting();
    const victim = await system.start(probe, { trapExit: true });
    const killer = await system.start(probe, undefined);
    const down = downOf(system, victim);
    await inside(system, killer, (ctx) => ctx.exit(victim, "kill"));
    assert.equal(await down, "killed");
    assert.ok(system.isAlive(killer));
    system.shutdown();
  });

  it("exit(pid, 'normal') is ignored by a non-trapping process, delivered to a trapping one", async () => {
    const { system } = collecting();
    const plain = await system.start(probe, undefined);
    const trapper = await system.start(probe, { trapExit: true });
    system.exit(plain, "normal");
    system.exit(trapper, "normal");
    await flush();
    assert.ok(system.isAlive(plain));
    const log = await logOf(system, trapper);
    assert.equal(log.length, 1);
    assert.ok(log[0] instanceof ExitMessage);
    assert.equal(log[0].from, undefined, "sent from outside any process");
    assert.equal(log[0].reason, "normal");
    system.shutdown();
  });

  it("exit(pid, reason) kills a non-trapping process with that reason; a trapping one gets it from the sender", async () => {
    const { system, reports } = collecting();
    const plain = await system.start(probe, undefined);
    const trapper = await system.start(probe, { trapExit: true });
    const sender = await system.start(probe, undefined);
    const down = downOf(system, plain);
    await inside(system, sender, (ctx) => {
      ctx.exit(plain, "go_away");
      ctx.exit(trapper, "go_away");
    });
    assert.equal(await down, "go_away");
    const log = await logOf(system, trapper);
    assert.deepEqual(log.map((m) => m instanceof ExitMessage && [m.from, m.reason]), [[
      sender,
      "go_away",
    ]]);
    assert.ok(system.isAlive(sender), "exit/2 does not link the sender to anything");
    assert.equal(reports.length, 0, "a process killed by an exit signal logs no crash report");
    system.shutdown();
  });

  it("exit(self, 'normal') from a non-trapping process stops it with reason normal", async () => {
    const { system } = collecting();
    const pid = await system.start(probe, undefined);
    const down = downOf(system, pid);
    system.cast(
      pid,
      (ctx: { exit: (p: Pid, r: unknown) => void; self: Pid }) => ctx.exit(ctx.self, "normal"),
    );
    assert.equal(await down, "normal");
    system.shutdown();
  });

  it("unlink stops propagation, from either side", async () => {
    const { system } = collecting();
    const [a, b] = await linkedPair(system);
    await inside(system, a, (ctx) => ctx.unlink(b));
    assert.deepEqual(system.processInfo(a)?.links, []);
    assert.deepEqual(system.processInfo(b)?.links, []);
    await crash(system, b, "boom");
    await flush();
    assert.ok(system.isAlive(a));

    const [c, d] = await linkedPair(system);
    await inside(system, d, (ctx) => ctx.unlink(c));
    await crash(system, c, "boom");
    await flush();
    assert.ok(system.isAlive(d));
    system.shutdown();
  });

  it("linking twice is one link; processInfo shows links on both sides", async () => {
    const { system } = collecting();
    const [a, b] = await linkedPair(system);
    await inside(system, b, (ctx) => ctx.link(a));
    assert.deepEqual(system.processInfo(a)?.links, [b]);
    assert.deepEqual(system.processInfo(b)?.links, [a]);
    assert.equal(system.tableSizes().links, 2);
    await inside(system, a, (ctx) => ctx.unlink(b)); // one unlink removes it
    assert.equal(system.tableSizes().links, 0);
    system.shutdown();
  });

  it("linking to a dead process: a trapping linker gets EXIT noproc", async () => {
    const { system } = collecting();
    const dead = await system.start(probe, undefined);
    await system.stop(dead);
    const trapper = await system.start(probe, { trapExit: true });
    await inside(system, trapper, (ctx) => ctx.link(dead));
    const log = await logOf(system, trapper);
    assert.deepEqual(log.map((m) => m instanceof ExitMessage && [m.from, m.reason]), [[
      dead,
      "noproc",
    ]]);
    assert.deepEqual(system.processInfo(trapper)?.links, []);
    system.shutdown();
  });

  it("startLink: the child's crash takes the parent down, and the parent's crash the child", async () => {
    const { system } = collecting();
    const parent = await system.start(probe, undefined);
    const child = await inside(system, parent, (ctx) => ctx.startLink(probe, undefined));
    assert.deepEqual(system.processInfo(parent)?.links, [child]);
    const downParent = downOf(system, parent);
    await crash(system, child, "child_crash");
    assert.equal(await downParent, "child_crash");

    const parent2 = await system.start(probe, undefined);
    const child2 = await inside(system, parent2, (ctx) => ctx.startLink(probe, undefined));
    const downChild = downOf(system, child2);
    await crash(system, parent2, "parent_crash");
    assert.equal(await downChild, "parent_crash");
    system.shutdown();
  });

  it("ctx.start does not link", async () => {
    const { system } = collecting();
    const parent = await system.start(probe, undefined);
    const child = await inside(system, parent, (ctx) => ctx.start(probe, undefined));
    await crash(system, child, "alone");
    await flush();
    assert.ok(system.isAlive(parent));
    system.shutdown();
  });

  it("a crash kills that process only: unlinked processes keep working", async () => {
    const { system } = collecting();
    const others = [];
    for (let i = 0; i < 3; i++) others.push(await system.start(probe, undefined));
    const victim = await system.start(probe, undefined);
    await crash(system, victim, new Error("isolated"));
    for (const pid of others) assert.equal(await inside(system, pid, () => "fine"), "fine");
    system.shutdown();
  });
});

describe("monitors", () => {
  it("a monitoring process gets one DownMessage with the ref, pid and reason", async () => {
    const { system } = collecting();
    const watcher = await system.start(probe, undefined);
    const target = await system.start(probe, undefined);
    const ref = await inside(system, watcher, (ctx) => ctx.monitor(target));
    assert.deepEqual(system.processInfo(watcher)?.monitors, [ref]);
    assert.equal(system.processInfo(target)?.monitoredBy, 1);
    const boom = new Error("boom");
    await crash(system, target, boom);
    const log = await logOf(system, watcher);
    assert.equal(log.length, 1);
    const down = log[0];
    assert.ok(down instanceof DownMessage);
    assert.equal(down.type, "DOWN");
    assert.equal(down.ref, ref);
    assert.equal(down.pid, target);
    assert.equal(down.reason, boom);
    assert.deepEqual(system.processInfo(watcher)?.monitors, []);
    assert.ok(system.isAlive(watcher), "a monitor is not a link");
    system.shutdown();
  });

  it("a DOWN for every exit reason: normal, shutdown, killed", async () => {
    const { system } = collecting();
    const watcher = await system.start(probe, undefined);
    const targets = [];
    for (let i = 0; i < 3; i++) targets.push(await system.start(probe, undefined));
    for (const target of targets) await inside(system, watcher, (ctx) => ctx.monitor(target));
    await system.stop(targets[0], "normal");
    await system.stop(targets[1], "shutdown");
    system.exit(targets[2], "kill");
    await flush();
    const log = await logOf(system, watcher);
    assert.deepEqual(log.map((m) => m instanceof DownMessage && [m.pid, m.reason]), [
      [targets[0], "normal"],
      [targets[1], "shutdown"],
      [targets[2], "killed"],
    ]);
    system.shutdown();
  });

  it("two monitors on one target give two DOWNs, each with its own ref", async () => {
    const { system } = collecting();
    const watcher = await system.start(probe, undefined);
    const target = await system.start(probe, undefined);
    const refs = await inside(system, watcher, (ctx) => [ctx.monitor(target), ctx.monitor(target)]);
    assert.notEqual(refs[0], refs[1]);
    await system.stop(target);
    const log = await logOf(system, watcher);
    assert.deepEqual(log.map((m) => (m as DownMessage).ref), refs);
    system.shutdown();
  });

  it("monitoring a dead pid gives a DOWN with reason noproc (process and outside)", async () => {
    const { system } = collecting();
    const dead = await system.start(probe, undefined);
    await system.stop(dead);
    const watcher = await system.start(probe, undefined);
    const ref = await inside(system, watcher, (ctx) => ctx.monitor(dead));
    const log = await logOf(system, watcher);
    assert.equal(log.length, 1);
    assert.ok(log[0] instanceof DownMessage);
    assert.equal(log[0].ref, ref);
    assert.equal(log[0].pid, dead);
    assert.equal(log[0].reason, "noproc");
    assert.equal(await downOf(system, dead), "noproc");
    assert.equal(await system.whenExited(dead), "noproc");
    assert.equal(system.tableSizes().monitors, 0, "a noproc monitor holds nothing");
    system.shutdown();
  });

  it("monitoring an unknown name gives a DOWN noproc", async () => {
    const { system } = collecting();
    const watcher = await system.start(probe, undefined);
    await inside(system, watcher, (ctx) => ctx.monitor("nobody"));
    const log = await logOf(system, watcher);
    assert.equal(log.length, 1);
    assert.ok(log[0] instanceof DownMessage);
    assert.equal(log[0].reason, "noproc");
    system.shutdown();
  });

  it("demonitor before the exit: no DOWN; true the first time, false after", async () => {
    const { system } = collecting();
    const watcher = await system.start(probe, undefined);
    const target = await system.start(probe, undefined);
    const results = await inside(system, watcher, (ctx) => {
      const ref = ctx.monitor(target);
      return [ctx.demonitor(ref), ctx.demonitor(ref)];
    });
    assert.deepEqual(results, [true, false]);
    assert.equal(system.processInfo(target)?.monitoredBy, 0);
    await system.stop(target);
    assert.deepEqual(await logOf(system, watcher), []);

    const outside = await system.start(probe, undefined);
    const downs: ExitReason[] = [];
    const ref = system.monitor(outside, (reason) => void downs.push(reason));
    assert.equal(system.demonitor(ref), true);
    assert.equal(system.demonitor(ref), false);
    await system.stop(outside);
    await flush();
    assert.deepEqual(downs, []);
    system.shutdown();
  });

  it("demonitor with flush removes a DOWN already queued; without flush it stays", async () => {
    const { system } = collecting();
    const target1 = await system.start(probe, undefined);
    const target2 = await system.start(probe, undefined);
    const watcher = await system.start(probe, undefined);
    // In one callback: monitor, kill the target (its DOWN is queued to us), demonitor.
    await inside(system, watcher, (ctx) => {
      const ref = ctx.monitor(target1);
      ctx.exit(target1, "kill");
      ctx.demonitor(ref, { flush: true });
    });
    let ref2: Ref | undefined;
    await inside(system, watcher, (ctx) => {
      ref2 = ctx.monitor(target2);
      ctx.exit(target2, "kill");
      ctx.demonitor(ref2);
    });
    await flush();
    const log = await logOf(system, watcher);
    assert.equal(log.length, 1, "only the unflushed DOWN arrives");
    assert.ok(log[0] instanceof DownMessage);
    assert.equal(log[0].ref, ref2);
    assert.equal(log[0].pid, target2);
    system.shutdown();
  });

  it("demonitor after the DOWN was handled: false, and the DOWN arrived once", async () => {
    const { system } = manual();
    const target = await startManual(system, probe, undefined);
    const watcher = await startManual(system, probe, undefined);
    const refP = inside(system, watcher, (ctx) => ctx.monitor(target));
    await system.runUntilIdle();
    const ref = await refP;
    system.suspend(watcher);
    system.exit(target, "kill");
    assert.equal(system.processInfo(watcher)?.messageQueueLength, 1, "the DOWN is queued");
    system.resume(watcher);
    // The DOWN is ahead of this call in the mailbox: handled first, so nothing is left to flush.
    const flushed = inside(system, watcher, (ctx) => ctx.demonitor(ref, { flush: true }));
    const log = logOf(system, watcher);
    await system.runUntilIdle();
    assert.equal(await flushed, false);
    assert.equal((await log).length, 1);
    system.shutdown();
  });

  it("monitors held and monitors on a process are cleaned when either side exits", async () => {
    const { system } = collecting();
    const watcher = await system.start(probe, undefined);
    const target = await system.start(probe, undefined);
    await inside(system, watcher, (ctx) => ctx.monitor(target));
    system.monitor(target, () => {});
    assert.ok(system.tableSizes().monitors > 0);
    await system.stop(watcher);
    assert.equal(system.processInfo(target)?.monitoredBy, 1);
    await system.stop(target);
    assertNothingLeft(system);
    system.shutdown();
  });

  it("an outside monitor's callback runs once with the reason", async () => {
    const { system } = collecting();
    const target = await system.start(probe, undefined);
    const downs: ExitReason[] = [];
    system.monitor(target, (reason) => void downs.push(reason));
    await crash(system, target, "once");
    await flush();
    assert.deepEqual(downs, ["once"]);
    system.shutdown();
  });
});

describe("a process that kills itself mid-callback", () => {
  it("runs no further callback: no handleContinue after ctx.exit(self, 'kill')", async () => {
    const { system } = collecting();
    const ran: string[] = [];
    const server: GenServer<null, undefined> = {
      init: () => ok(null),
      handleCast: (_request, state, ctx) => {
        ctx.exit(ctx.self, "kill");
        return noreply(state, { continue: "after death" });
      },
      handleContinue: (value, state) => {
        ran.push(String(value));
        return noreply(state);
      },
    };
    const pid = await system.start(server);
    const down = downOf(system, pid);
    system.cast(pid, "die");
    assert.equal(await down, "killed");
    await flush();
    assert.deepEqual(ran, []);
    assertNothingLeft(system);
    system.shutdown();
  });

  it("leaves no idle timer behind when it returns a timeout result after dying", async () => {
    const { system } = collecting();
    const server: GenServer<null, undefined> = {
      init: () => ok(null),
      handleCast: (_request, state, ctx) => {
        ctx.exit(ctx.self, "kill");
        return noreply(state, { timeout: 60_000 });
      },
    };
    const pid = await system.start(server);
    const down = downOf(system, pid);
    system.cast(pid, "die");
    await down;
    await flush();
    assertNothingLeft(system);
    system.shutdown();
  });
});

describe("a trapping GenServer and its parent", () => {
  it(
    "when the parent (the startLink caller) exits, a trapping child runs terminate(reason) and exits with it",
    async () => {
      const { system } = collecting();
      const terminated: ExitReason[] = [];
      const child: GenServer<null, undefined> = {
        init: (_arg, ctx) => {
          ctx.trapExit(true);
          return ok(null);
        },
        handleInfo: (_message, state) => noreply(state),
        terminate: (reason) => void terminated.push(reason),
      };
      const parent = await system.start(probe, undefined);
      const pid = await inside(system, parent, (ctx) => ctx.startLink(child, undefined));
      const exited = system.whenExited(pid);
      await inside(system, parent, (ctx) => ctx.exit(pid, "shutdown"));
      assert.equal(await Promise.race([exited, flush().then(() => "still alive")]), "shutdown");
      assert.deepEqual(terminated, ["shutdown"]);

      const parent2 = await system.start(probe, undefined);
      const pid2 = await inside(system, parent2, (ctx) => ctx.startLink(child, undefined));
      const exited2 = system.whenExited(pid2);
      await crash(system, parent2, "parent_crashed");
      assert.equal(
        await Promise.race([exited2, flush().then(() => "still alive")]),
        "parent_crashed",
      );
      assert.deepEqual(terminated, ["shutdown", "parent_crashed"]);
      system.shutdown();
    },
  );

  it("an EXIT from a linked process that is not the parent goes to handleInfo", async () => {
    const { system } = collecting();
    const parent = await system.start(probe, undefined);
    const child = await inside(system, parent, (ctx) => ctx.startLink(probe, { trapExit: true }));
    const other = await system.start(probe, undefined);
    await inside(system, other, (ctx) => ctx.link(child));
    await crash(system, other, "other_crashed");
    const log = await logOf(system, child);
    assert.deepEqual(log.map((m) => m instanceof ExitMessage && [m.from, m.reason]), [[
      other,
      "other_crashed",
    ]]);
    assert.ok(system.isAlive(child));
    system.shutdown();
  });
});
