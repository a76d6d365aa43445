/**
 * Introspection: `processInfo`, `countByStatus`, `processes`, and the
 * `hibernate` result (as `:erlang.process_info/2` and `:erlang.hibernate`).
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { NoProcError } from "../src/errors.ts";
import { type GenServer, noreply, ok, reply } from "../src/gen_server.ts";
import type { Pid } from "../src/pid.ts";
import { collecting, deferred, flush, inside, manual, probe, startManual } from "./_helpers.ts";

const counter: GenServer<number, undefined> = {
  init: () => ok(0),
  handleCast: (n, sum) => noreply(sum + (n as number)),
  handleCall: (_request, _from, sum) => reply(sum, sum),
};

describe("processInfo", () => {
  it("describes a fresh idle process", async () => {
    const { system } = collecting();
    const pid = await system.start(counter, undefined, {
      name: "counter",
      mailbox: { bound: 100, overflow: "drop_oldest" },
    });
    const info = system.processInfo(pid)!;
    assert.equal(info.pid, pid);
    assert.equal(info.name, "counter");
    assert.equal(info.status, "waiting");
    assert.equal(info.messageQueueLength, 0);
    assert.equal(info.oldestMessageAgeMs, 0);
    assert.equal(info.currentCallback, undefined);
    assert.equal(info.priority, "normal");
    assert.equal(info.trapExit, false);
    assert.deepEqual(info.links, []);
    assert.deepEqual(info.monitors, []);
    assert.equal(info.monitoredBy, 0);
    assert.equal(info.mailbox.bound, 100);
    assert.equal(info.mailbox.overflow, "drop_oldest");
    assert.ok(info.memoryBytes > 0);
    assert.equal(system.processInfo("counter")?.pid, pid);
    assert.equal(system.processInfo(pid)?.mailbox.bound, 100);
    const unbounded = await system.start(counter);
    assert.equal(system.processInfo(unbounded)?.mailbox.bound, Infinity);
    assert.equal(system.processInfo(unbounded)?.mailbox.overflow, "reject");
    system.shutdown();
  });

  it("is undefined for a dead or unknown process", async () => {
    const { system } = collecting();
    const pid = await system.start(counter);
    await system.stop(pid);
    assert.equal(system.processInfo(pid), undefined);
    assert.equal(system.processInfo("nobody"), undefined);
    system.shutdown();
  });

  it("status: runnable with a message queued, running inside its callback, waiting after", async () => {
    const { system } = manual();
    const pid = await startManual(system, probe, undefined);
    assert.equal(system.processInfo(pid)?.status, "waiting");
    system.send(pid, "hello");
    assert.equal(system.processInfo(pid)?.status, "runnable");
    const seenInside = inside(system, pid, (ctx) => {
      const info = ctx.system.processInfo(ctx.self)!;
      return [info.status, info.currentCallback];
    });
    await system.runUntilIdle();
    assert.deepEqual(await seenInside, ["running", "handleCall"]);
    assert.equal(system.processInfo(pid)?.status, "waiting");
    assert.equal(system.processInfo(pid)?.currentCallback, undefined);
    system.shutdown();
  });

  it("status suspended: messages queue and wait for resume", async () => {
    const { system } = collecting();
    const pid = await system.start(counter);
    system.suspend(pid);
    assert.equal(system.processInfo(pid)?.status, "suspended");
    system.cast(pid, 1);
    system.cast(pid, 2);
    await flush();
    const info = system.processInfo(pid)!;
    assert.equal(info.status, "suspended");
    assert.equal(info.messageQueueLength, 2);
    system.resume(pid);
    assert.equal(await system.call(pid, "sum"), 3);
    assert.equal(system.processInfo(pid)?.status, "waiting");
    assert.throws(() => system.suspend("nobody"), NoProcError);
    system.shutdown();
  });

  it("messageQueueLength and reductions count messages", async () => {
    const { system } = manual();
    const pid = await startManual(system, counter);
    const before = system.processInfo(pid)!.reductions;
    for (let i = 0; i < 5; i++) system.cast(pid, i);
    assert.equal(system.processInfo(pid)?.messageQueueLength, 5);
    assert.equal(system.processInfo(pid)?.reductions, before);
    await system.runUntilIdle();
    const info = system.processInfo(pid)!;
    assert.equal(info.messageQueueLength, 0);
    assert.equal(info.reductions, before + 5);
    assert.equal(info.mailbox.enqueued - info.mailbox.dequeued, 0);
    assert.ok(info.mailbox.highWater >= 5);
    system.shutdown();
  });

  it("oldestMessageAgeMs: the age of the oldest queued message on the clock", async () => {
    const { system, clock } = manual();
    const pid = await startManual(system, counter);
    system.suspend(pid);
    system.cast(pid, 1);
    clock.advance(40);
    await system.runUntilIdle(); // suspended: nothing is handled
    system.cast(pid, 2);
    clock.advance(210);
    await system.runUntilIdle();
    assert.equal(system.processInfo(pid)?.messageQueueLength, 2);
    assert.equal(system.processInfo(pid)?.oldestMessageAgeMs, 250);
    system.resume(pid);
    await system.runUntilIdle();
    assert.equal(system.processInfo(pid)?.oldestMessageAgeMs, 0);
    system.shutdown();
  });

  it(
    "oldestMessageAgeMs counts from the send to the moment asked, however long the system was idle",
    async () => {
      const { system, clock } = manual();
      const pid = await startManual(system, counter);
      system.suspend(pid);
      clock.advance(1000); // the system is idle: no scheduler run
      system.cast(pid, 1); // sent at 1000
      clock.advance(250);
      assert.equal(system.processInfo(pid)?.oldestMessageAgeMs, 250, "asked at 1250");
      await system.runUntilIdle();
      assert.equal(system.processInfo(pid)?.oldestMessageAgeMs, 250, "after a run at 1250");
      system.shutdown();
    },
  );

  it("uptimeMs follows the clock", async () => {
    const { system, clock } = manual();
    const pid = await startManual(system, counter);
    clock.advance(1234);
    assert.equal(system.processInfo(pid)?.uptimeMs, 1234);
    system.shutdown();
  });

  it("currentCallback and status of a process in an async callback", async () => {
    const { system } = collecting();
    const gate = deferred();
    const entered = deferred();
    const pid = await system.start<null, undefined>({
      init: () => ok(null),
      handleInfo: (_message, state) => {
        entered.resolve();
        return gate.promise.then(() => noreply(state));
      },
    });
    system.send(pid, "work");
    await entered.promise;
    assert.equal(system.processInfo(pid)?.currentCallback, "handleInfo");
    assert.equal(system.processInfo(pid)?.status, "running");
    gate.resolve();
    await flush();
    assert.equal(system.processInfo(pid)?.currentCallback, undefined);
    assert.equal(system.processInfo(pid)?.status, "waiting");
    system.shutdown();
  });

  it("links, monitors held, monitoredBy and trapExit", async () => {
    const { system } = collecting();
    const a = await system.start(probe, { trapExit: true });
    const b = await system.start(probe, undefined);
    const ref = await inside(system, a, (ctx) => {
      ctx.link(b);
      return ctx.monitor(b);
    });
    system.monitor(b, () => {});
    const infoA = system.processInfo(a)!;
    assert.deepEqual(infoA.links, [b]);
    assert.deepEqual(infoA.monitors, [ref]);
    assert.equal(infoA.trapExit, true);
    const infoB = system.processInfo(b)!;
    assert.deepEqual(infoB.links, [a]);
    assert.deepEqual(infoB.monitors, []);
    assert.equal(infoB.monitoredBy, 2);
    system.shutdown();
  });
});

describe("countByStatus and processes", () => {
  it("counts live processes by status", async () => {
    const { system } = manual();
    const pids: Pid[] = [];
    for (let i = 0; i < 4; i++) pids.push(await startManual(system, counter));
    assert.deepEqual(system.countByStatus(), {
      running: 0,
      runnable: 0,
      waiting: 4,
      suspended: 0,
      exiting: 0,
    });
    system.cast(pids[0], 1);
    system.suspend(pids[1]);
    assert.deepEqual(system.countByStatus(), {
      running: 0,
      runnable: 1,
      waiting: 2,
      suspended: 1,
      exiting: 0,
    });
    system.exit(pids[2], "kill");
    await system.runUntilIdle();
    assert.deepEqual(system.countByStatus(), {
      running: 0,
      runnable: 0,
      waiting: 2,
      suspended: 1,
      exiting: 0,
    });
    system.shutdown();
  });

  it("processes() lists live pids, oldest first", async () => {
    const { system } = collecting();
    assert.deepEqual(system.processes(), []);
    const a = await system.start(counter);
    const b = await system.start(counter);
    const c = await system.start(counter);
    assert.deepEqual(system.processes(), [a, b, c]);
    await system.stop(b);
    assert.deepEqual(system.processes(), [a, c]);
    system.shutdown();
    assert.deepEqual(system.processes(), []);
  });

  it("isAlive and whereis", async () => {
    const { system } = collecting();
    const pid = await system.start(counter, undefined, { name: "c" });
    assert.equal(system.isAlive(pid), true);
    assert.equal(system.whereis("c"), pid);
    system.exit(pid, "kill");
    assert.equal(system.isAlive(pid), false);
    assert.equal(system.whereis("c"), undefined);
    system.shutdown();
  });
});

describe("hibernate", () => {
  it("a hibernate result drops the mailbox ring; the process still works afterwards", async () => {
    const { system } = collecting();
    const pid = await system.start<number[], undefined>(
      {
        init: () => ok([]),
        handleCast: (n, items) => noreply([...items, n as number], { hibernate: n === 3 }),
        handleCall: (_request, _from, items) => reply(items, items),
      },
      undefined,
      { mailbox: { initialCapacity: 16 } },
    );
    assert.ok(system.processInfo(pid)!.mailbox.capacity > 0);
    system.cast(pid, 1);
    system.cast(pid, 2);
    system.cast(pid, 3);
    await flush();
    const info = system.processInfo(pid)!;
    assert.equal(info.mailbox.capacity, 0);
    assert.equal(info.status, "waiting");
    const hibernatedBytes = info.memoryBytes;
    system.cast(pid, 4);
    assert.deepEqual(await system.call(pid, "items"), [1, 2, 3, 4]);
    assert.ok(system.processInfo(pid)!.mailbox.capacity > 0);
    assert.ok(system.processInfo(pid)!.memoryBytes > hibernatedBytes);
    system.shutdown();
  });

  it("a hibernate result with messages already queued keeps them all", async () => {
    const { system } = manual();
    const pid = await startManual<number[], undefined>(system, {
      init: () => ok([]),
      handleCast: (n, items) => noreply([...items, n as number], { hibernate: true }),
      handleCall: (_request, _from, items) => reply(items, items),
    });
    for (let i = 0; i < 10; i++) system.cast(pid, i);
    await system.runUntilIdle();
    const items = system.call(pid, "items");
    await system.runUntilIdle();
    assert.deepEqual(await items, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    system.shutdown();
  });
});
