/**
 * OTP across schedulers: a system of two schedulers (the test's thread and
 * one Worker over one shared WebAssembly memory) where caller and server,
 * linked processes, monitor and target, supervisor and child live on
 * different schedulers — and a Worker killed mid-traffic.
 *
 * @module
 */

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  AlreadyStartedError,
  DownMessage,
  ExitMessage,
  type From,
  NoConnectionError,
  noreply,
  ok,
  PartitionSupervisor,
  type Pid,
  Registry,
  reply,
  Supervisor,
  System,
  Task,
} from "../../mod.ts";
import {
  SchedulerDownError,
  SchedulerStartError,
  UnencodableError,
  UnknownBehaviourError,
} from "../../schedulers.ts";
import { schedulersOf } from "../../src/schedulers/_system_schedulers.ts";
import { add, asker, counter, fails, flooder, recorder, spin } from "./_actors.ts";

const ACTORS = new URL(
  import.meta.url.endsWith(".ts") ? "./_actors.ts" : "./_actors.js",
  import.meta.url,
);

async function twoSchedulers(): Promise<System> {
  const system = new System({ schedulers: 2, modules: [ACTORS], logger: null });
  await system.ready;
  assert.deepEqual(system.schedulers().map((s) => s.status), ["running", "running"]);
  return system;
}

/** Resolves once `check` holds (polling the event loop, never a wall-clock deadline). */
async function until(check: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((r) => setTimeout(r, 5));
}

/** A process on this thread that keeps every message it gets. */
const inbox = {
  init: (trap: boolean, ctx: { trapExit(on: boolean): void }) => {
    ctx.trapExit(trap);
    return ok([] as unknown[]);
  },
  handleCall: (
    request: { link?: Pid; monitor?: Pid } | "log",
    _from: unknown,
    log: unknown[],
    ctx: {
      link(pid: Pid): void;
      monitor(pid: Pid): unknown;
    },
  ) => {
    if (request === "log") return reply(log, log);
    if (request.link) ctx.link(request.link);
    if (request.monitor) return reply(ctx.monitor(request.monitor), log);
    return reply(null, log);
  },
  handleInfo: (message: unknown, log: unknown[]) => noreply([...log, message]),
};

describe("schedulers", () => {
  it("starts a defined behaviour on another scheduler and calls, casts and sends to it", async () => {
    const system = await twoSchedulers();
    try {
      const pid = await system.start(counter, 5, { placement: { scheduler: 1 } });
      assert.equal(pid.scheduler, 1);
      assert.match(String(pid), /^#PID<[^.]+\.\d+\.1>$/);
      assert.equal(system.cast(pid, 3), "ok");
      assert.equal(system.send(pid, { add: 2 }), "ok");
      assert.equal(await system.call(pid, "get"), 10);
      // A call from a process on scheduler 1: the server here sees who called.
      const whoCalls = await system.start({
        init: () => ok(null),
        handleCall: (_r: "who", from: From, s: null) => reply(from.pid, s),
      });
      const caller = await system.start(asker, undefined, { placement: { scheduler: 1 } });
      const seen = await system.call(caller, { to: whoCalls, request: "who" }) as Pid;
      assert.ok(seen.equals(caller));

      const local = await system.start(counter, 1, { placement: { scheduler: 0 } });
      assert.equal(local.scheduler, 0);
      const spread = await Promise.all(
        [0, 1, 2, 3].map(() => system.start(counter, 0, { placement: "round-robin" })),
      );
      assert.deepEqual(spread.map((p) => p.scheduler).sort(), [0, 0, 1, 1]);
    } finally {
      system.shutdown();
    }
  });

  it("keeps per-sender order across schedulers, exactly once", async () => {
    const system = await twoSchedulers();
    try {
      const sink = await system.start(recorder, undefined, { placement: { scheduler: 1 } });
      const here = await system.start(recorder);
      const a = await system.start(flooder, undefined, { placement: { scheduler: 1 } });
      const b = await system.start(flooder, undefined, { placement: { scheduler: 0 } });
      const count = 3000;
      await Promise.all([
        system.call(a, { to: here, tag: "a", count }),
        system.call(b, { to: sink, tag: "b", count }),
        system.call(b, { to: here, tag: "b", count }),
      ]);
      for (let i = 0; i < count; i++) system.cast(sink, ["main", i]);
      for (const [pid, tags] of [[sink, ["b", "main"]], [here, ["a", "b"]]] as const) {
        let log: [string, number][] = [];
        await until(async () =>
          (log = await system.call(pid, "log") as [string, number][]).length >= count * 2
        );
        assert.equal(log.length, count * 2);
        for (const tag of tags) {
          const seen = log.filter(([t]) => t === tag).map(([, i]) => i);
          assert.deepEqual(seen, Array.from({ length: count }, (_, i) => i));
        }
      }
    } finally {
      system.shutdown();
    }
  });

  it("carries links, exit signals and trapped exits across schedulers", async () => {
    const system = await twoSchedulers();
    try {
      const trapper = await system.start(inbox, true);
      const remote = await system.start(counter, 0, { placement: { scheduler: 1 } });
      await system.call(trapper, { link: remote });
      await system.call(remote, "crash").catch(() => {});
      let log: unknown[] = [];
      await until(async () => (log = await system.call(trapper, "log") as unknown[]).length > 0);
      const exit = log[0] as ExitMessage;
      assert.ok(exit instanceof ExitMessage);
      assert.ok(exit.from?.equals(remote));
      assert.equal((exit.reason as Error).message, "asked to crash");

      // A reason that cannot cross still signals the link, as an Error saying what it was.
      const odd = await system.start(counter, 0, { placement: { scheduler: 1 } });
      const oddWatcher = await system.start(inbox, true);
      await system.call(oddWatcher, { link: odd });
      await system.call(odd, "crash oddly").catch(() => {});
      await until(async () => (await system.call(oddWatcher, "log") as unknown[]).length > 0);
      const [oddExit] = await system.call(oddWatcher, "log") as ExitMessage[];
      assert.ok(oddExit.reason instanceof Error);
      assert.match((oddExit.reason as Error).message, /could not cross schedulers/);

      // A process that does not trap exits dies with its remote link.
      const plain = await system.start(inbox, false);
      const other = await system.start(counter, 0, { placement: { scheduler: 1 } });
      await system.call(plain, { link: other });
      system.exit(other, "boom");
      await until(() => !system.isAlive(plain));

      // kill reaches the link as killed; a remote exit(pid, "kill") kills.
      const watcher = await system.start(inbox, true);
      const victim = await system.start(counter, 0, { placement: { scheduler: 1 } });
      await system.call(watcher, { link: victim });
      system.exit(victim, "kill");
      await until(async () => (log = await system.call(watcher, "log") as unknown[]).length > 0);
      assert.equal((log[0] as ExitMessage).reason, "killed");
    } finally {
      system.shutdown();
    }
  });

  it("delivers DOWN across schedulers, noproc for a dead pid, none after demonitor", async () => {
    const system = await twoSchedulers();
    try {
      const watcher = await system.start(inbox, false);
      const target = await system.start(counter, 0, { placement: { scheduler: 1 } });
      const ref = await system.call(watcher, { monitor: target });
      system.exit(target, "gone");
      let log: unknown[] = [];
      await until(async () => (log = await system.call(watcher, "log") as unknown[]).length > 0);
      const down = log[0] as DownMessage;
      assert.ok(down instanceof DownMessage);
      assert.ok(down.ref.equals(ref));
      assert.ok(down.pid.equals(target));
      assert.equal(down.reason, "gone");

      const reasons: unknown[] = [];
      system.monitor(target, (reason) => reasons.push(reason));
      await until(() => reasons.length > 0);
      assert.deepEqual(reasons, ["noproc"]);

      const alive = await system.start(counter, 0, { placement: { scheduler: 1 } });
      const late: unknown[] = [];
      const dropped = system.monitor(alive, (reason) => late.push(reason));
      assert.equal(system.demonitor(dropped), true);
      const kept: unknown[] = [];
      system.monitor(alive, (reason) => kept.push(reason));
      system.exit(alive, "bye");
      await until(() => kept.length > 0);
      assert.deepEqual(kept, ["bye"]);
      assert.deepEqual(late, []);
    } finally {
      system.shutdown();
    }
  });

  it("restarts a supervisor's child that lives on another scheduler", async () => {
    const system = await twoSchedulers();
    try {
      const sup = await Supervisor.start(system, [{
        id: "counter",
        start: { server: counter, arg: 7, options: { placement: { scheduler: 1 } } },
      }]);
      const [first] = await Supervisor.whichChildren(system, sup);
      assert.equal((first.pid as Pid).scheduler, 1);
      await system.call(first.pid as Pid, "crash").catch(() => {});
      let next: Pid | undefined;
      await until(async () => {
        const [child] = await Supervisor.whichChildren(system, sup);
        next = child.pid as Pid | undefined;
        return next !== undefined && !next.equals(first.pid);
      });
      assert.equal(next!.scheduler, 1);
      assert.equal(await system.call(next!, "get"), 7);
    } finally {
      system.shutdown();
    }
  });

  it("shares registered names and Registry names across schedulers", async () => {
    const system = await twoSchedulers();
    try {
      const cache = await system.start(counter, 4, { placement: { scheduler: 1 }, name: "cache" });
      await until(() => system.whereis("cache") !== undefined);
      assert.ok(system.whereis("cache")!.equals(cache));
      assert.equal(await system.call("cache", "get"), 4);
      await assert.rejects(system.start(counter, 0, { name: "cache" }), AlreadyStartedError);
      // A name held here, reached from a process on the other scheduler.
      const here = await system.start(recorder, undefined, { name: "here" });
      const sender = await system.start(flooder, undefined, { placement: { scheduler: 1 } });
      await system.call(sender, { to: "here", tag: "n", count: 3 });
      await until(async () => (await system.call(here, "log") as unknown[]).length === 3);
      // The name is free again once its holder is gone.
      system.exit(cache, "kill");
      await until(() => system.whereis("cache") === undefined);
      const again = await system.start(counter, 9, { name: "cache" });
      assert.equal(again.scheduler, 0);

      const registry = new Registry(system, { keys: "unique" });
      const remote = await system.start(counter, 2, {
        placement: { scheduler: 1 },
        name: { via: registry, key: "room:1" },
      });
      assert.ok(registry.whereisName("room:1")?.equals(remote));
      assert.equal(await system.call({ via: registry, key: "room:1" }, "get"), 2);
      system.exit(remote, "kill");
      await until(() => registry.whereisName("room:1") === undefined);
    } finally {
      system.shutdown();
    }
  });

  it("spreads a PartitionSupervisor's partitions over the schedulers", async () => {
    const system = await twoSchedulers();
    try {
      const sup = await PartitionSupervisor.start(system, {
        child: { server: counter, arg: (i: number) => i * 10 },
        partitions: 4,
        schedulers: true,
      });
      const children = await Supervisor.whichChildren(system, sup.pid);
      assert.deepEqual(children.map((c) => (c.pid as Pid).scheduler), [0, 1, 0, 1]);
      const keys = Array.from({ length: 40 }, (_, i) => `key-${i}`);
      for (const key of keys) {
        const pid = sup.pidFor(key);
        assert.ok(pid !== undefined);
        assert.equal(await sup.call(key, "get"), sup.whichPartition(key) * 10);
        assert.equal(pid.scheduler, sup.whichPartition(key) % 2);
      }
    } finally {
      system.shutdown();
    }
  });

  it("refuses what cannot cross, with named errors, and keeps running", async () => {
    const system = await twoSchedulers();
    try {
      const pid = await system.start(counter, 0, { placement: { scheduler: 1 } });
      assert.throws(() => system.cast(pid, (() => 1) as never), UnencodableError);
      assert.throws(
        () => system.send(pid, { at: new (class Point {})() } as never),
        UnencodableError,
      );
      await assert.rejects(system.call(pid, { fn: Symbol("x") } as never), UnencodableError);
      await assert.rejects(
        system.start({ init: () => ok(0) }, undefined, { placement: { scheduler: 1 } }),
        UnknownBehaviourError,
      );
      await assert.rejects(
        system.start(counter, 0, { placement: { scheduler: 5 } }),
        SchedulerDownError,
      );
      assert.throws(() => new System({ schedulers: 0 }), RangeError);
      assert.throws(() => new System({ schedulers: 1000 }), RangeError);
      system.cast(pid, 4);
      assert.equal(await system.call(pid, "get"), 4);
    } finally {
      system.shutdown();
    }
  });

  it("runs on the schedulers it has when a Worker fails to start", async () => {
    const broken = new URL(
      import.meta.url.endsWith(".ts") ? "./_broken_module.ts" : "./_broken_module.js",
      import.meta.url,
    );
    const system = new System({ schedulers: 2, modules: [ACTORS, broken], logger: null });
    try {
      await system.ready;
      const [main, second] = system.schedulers();
      assert.equal(main.status, "running");
      assert.equal(second.status, "failed");
      assert.ok(second.error instanceof SchedulerStartError);
      assert.match(second.error.message, /scheduler 1 failed to start: .*refuses to load/);
      const pid = await system.start(counter, 3, { placement: "round-robin" });
      assert.equal(pid.scheduler, 0);
      assert.equal(await system.call(pid, "get"), 3);
      await assert.rejects(
        system.start(counter, 0, { placement: { scheduler: 1 } }),
        SchedulerDownError,
      );
      assert.equal(await Task.cpu(system, add, 1, 2), 3); // no other scheduler: runs here
    } finally {
      system.shutdown();
    }
  });

  it("runs CPU tasks on another scheduler with Task.cpu", async () => {
    const system = await twoSchedulers();
    try {
      assert.equal(await Task.cpu(system, add, 2, 3), 5);
      assert.equal(await Task.cpu(system, spin, 1), 1);
      await assert.rejects(
        Task.cpu(system, fails),
        (error: Error) => error.message === "task failed on purpose",
      );
    } finally {
      system.shutdown();
    }
  });

  it("stopAll stops the other schedulers' top-level processes too, then the Workers", async () => {
    const system = await twoSchedulers();
    const there = await system.start(counter, 0, { placement: { scheduler: 1 } });
    const reasons: unknown[] = [];
    system.monitor(there, (reason) => reasons.push(reason));
    await system.stopAll();
    assert.deepEqual(reasons, ["shutdown"]);
    assert.deepEqual(system.schedulers().map((s) => s.status), ["down", "down"]);
  });

  it("turns a Worker that dies mid-traffic into noconnection, and the system runs on", async () => {
    const system = await twoSchedulers();
    try {
      const watcher = await system.start(inbox, true);
      const remote = await system.start(counter, 0, { placement: { scheduler: 1 } });
      await system.call(watcher, { link: remote });
      const downs: unknown[] = [];
      system.monitor(remote, (reason) => downs.push(reason));
      const sup = await Supervisor.start(system, [{
        id: "c",
        start: { server: counter, arg: 1, options: { placement: "round-robin" } },
      }, {
        id: "d",
        start: { server: counter, arg: 2, options: { placement: "round-robin" } },
      }]);
      for (let i = 0; i < 10_000; i++) system.cast(remote, 1);
      const pending = system.call(remote, "get", { timeout: 60_000 }).catch((error) => error);
      assert.equal(schedulersOf(system)!.kill(1), true);
      await until(() => downs.length > 0);
      assert.deepEqual(downs, ["noconnection"]);
      let log: unknown[] = [];
      await until(async () => (log = await system.call(watcher, "log") as unknown[]).length > 0);
      assert.equal((log[0] as ExitMessage).reason, "noconnection");
      const outcome = await pending;
      assert.ok(
        typeof outcome === "number" || outcome instanceof NoConnectionError,
        String(outcome),
      );
      await until(() => system.schedulers()[1].status === "down");
      // The supervisor's children that lived there are restarted on the scheduler left.
      await until(async () => {
        const children = await Supervisor.whichChildren(system, sup);
        return children.every((c) => c.pid !== undefined && (c.pid as Pid).scheduler === 0);
      });
      assert.equal(system.cast(remote, 1), "noproc");
      const after = await system.start(counter, 3, { placement: "round-robin" });
      assert.equal(after.scheduler, 0);
      assert.equal(await system.call(after, "get"), 3);
    } finally {
      system.shutdown();
    }
  });
});
