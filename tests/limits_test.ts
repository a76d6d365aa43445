/**
 * Limits enforced once, at the edge (issue 10): timeouts are a number of ms
 * in 0..MAX_TIMEOUT_MS or Infinity, refused before anything is delivered or
 * registered; the system's queued-message capacity is real and its refusals
 * are counted as their own outcome; bad input gets named errors that say
 * what was expected.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { BEAMLET_EVENTS } from "../src/telemetry/beamlet_events.ts";
import { SystemLimitError } from "../src/errors.ts";
import { type GenServer, noreply, ok, reply } from "../src/gen_server.ts";
import { MAX_TIMEOUT_MS } from "../src/options.ts";
import { MAX_ACTORS } from "../src/core/core.ts";
import { System } from "../src/system.ts";
import { Task } from "../src/task/mod.ts";
import { createTestSystem } from "../src/testing/test_system.ts";
import { assertNothingLeft, handled, manual, probe, startManual } from "./_helpers.ts";

const counter: GenServer<number, undefined> = {
  init: () => ok(0),
  handleCall: (_request, _from, n) => reply(n, n),
  handleCast: (_message, n) => noreply(n + 1),
};

describe("timeouts at the edge", () => {
  it("a call with a finite timeout past the wheel's range is a RangeError and is never delivered", async () => {
    const { system } = manual();
    const pid = await startManual(system, counter);
    await assert.rejects(
      system.call(pid, "get", { timeout: Number.MAX_SAFE_INTEGER }),
      (e: Error) => e instanceof RangeError && /0\.\.68719476735 or Infinity/.test(e.message),
    );
    await system.runUntilIdle();
    assert.equal(
      system.processInfo(pid)?.reductions,
      1,
      "only init ran: the request was not handled",
    );
    assert.equal(system.tableSizes().calls, 0);
    system.shutdown();
  });

  for (const timeout of ["100", true, [100], 100n, null, {}]) {
    it(`a call timeout of ${typeof timeout} ${String(timeout)} is a TypeError, not "no timeout"`, async () => {
      const { system } = manual();
      const pid = await startManual(system, counter);
      await assert.rejects(system.call(pid, "get", { timeout: timeout as never }), TypeError);
      assert.equal(system.tableSizes().calls, 0);
      system.shutdown();
    });
  }

  for (const timeout of [NaN, -1, -Infinity, MAX_TIMEOUT_MS + 1]) {
    it(`a call timeout of ${timeout} is a RangeError`, async () => {
      const { system } = manual();
      const pid = await startManual(system, counter);
      await assert.rejects(system.call(pid, "get", { timeout }), RangeError);
      system.shutdown();
    });
  }

  it("the largest finite timeout and Infinity are taken", async () => {
    const { system } = manual();
    const pid = await startManual(system, counter);
    const a = system.call(pid, "get", { timeout: MAX_TIMEOUT_MS });
    const b = system.call(pid, "get", { timeout: Infinity });
    await system.runUntilIdle();
    assert.deepEqual([await a, await b], [0, 0]);
    system.shutdown();
  });

  it("start with initTimeout MAX_SAFE_INTEGER rejects and leaves no zombie holding the name", async () => {
    const { system } = manual();
    await assert.rejects(
      system.start(counter, undefined, { name: "held", initTimeout: Number.MAX_SAFE_INTEGER }),
      RangeError,
    );
    assert.equal(system.whereis("held"), undefined);
    assertNothingLeft(system);
    const pid = await startManual(system, counter, undefined, { name: "held" });
    assert.equal(system.whereis("held"), pid);
    system.shutdown();
  });

  it("stop, sendAfter and setTimer refuse timeouts and delays past the range or of the wrong type", async () => {
    const { system } = manual();
    const pid = await startManual(system, counter);
    await assert.rejects(system.stop(pid, "normal", Number.MAX_SAFE_INTEGER), RangeError);
    await assert.rejects(system.stop(pid, "normal", "10" as never), TypeError);
    assert.throws(() => system.sendAfter(pid, "x", Number.MAX_SAFE_INTEGER), RangeError);
    assert.throws(() => system.sendAfter(pid, "x", Infinity), RangeError);
    assert.throws(() => system.sendAfter(pid, "x", "10" as never), TypeError);
    assert.throws(() => system.setTimer(2 ** 40, () => {}), RangeError);
    assert.equal(system.tableSizes().timers, 0);
    assert.equal(system.isAlive(pid), true);
    system.shutdown();
  });

  it("a 30-day Task.await timeout runs on the system clock: it does not fire early", async () => {
    const t = createTestSystem();
    const DAY = 86_400_000;
    // The task waits on the system's clock too (100 days), so the test system knows it waits on time.
    const started = Task.async(
      t.system,
      (ctx) => new Promise<void>((r) => ctx.system.setTimer(100 * DAY, r)),
    );
    await t.runUntilIdle();
    const task = await started;
    const awaited = handled(Task.await(task, 30 * DAY));
    await t.advance(29 * DAY);
    assert.equal(t.system.isAlive(task.pid), true, "29 days in, it still runs");
    await t.advance(DAY);
    await assert.rejects(awaited, (e: Error) => e.name === "TaskTimeoutError");
    assert.equal(t.system.isAlive(task.pid), false);
    t.dispose();
  });

  it("Task.yield and Task.shutdown time out on the system clock too", async () => {
    const t = createTestSystem();
    const started = Task.async(
      t.system,
      (ctx) => new Promise<void>((r) => ctx.system.setTimer(1e9, r)),
    );
    await t.runUntilIdle();
    const task = await started;
    let yielded: unknown = "pending";
    Task.yield(task, 1000).then((result) => yielded = result);
    await t.advance(999);
    assert.equal(yielded, "pending");
    await t.advance(1);
    assert.equal(yielded, undefined);
    assert.throws(() => Task.await(task, "5" as never), TypeError);
    t.dispose();
  });
});

describe("the system's queued-message capacity", () => {
  it("past maxQueuedMessages a cast is out_of_memory (counted), a call a SystemLimitError, and runtime messages still arrive", async () => {
    const { system } = manual({ maxQueuedMessages: 100 });
    const pid = await startManual(system, counter);
    const refusals: unknown[] = [];
    system.telemetry.attach("oom", BEAMLET_EVENTS.mailboxRefused, (_e, _m, meta) => {
      refusals.push(meta.policy);
    });
    for (let i = 0; i < 100; i++) assert.equal(system.cast(pid, i), "ok");
    assert.equal(system.cast(pid, "one too many"), "out_of_memory");
    assert.equal(system.send(pid, "another"), "out_of_memory");
    await assert.rejects(
      system.call(pid, "get"),
      (e: SystemLimitError) => e instanceof SystemLimitError && e.limit === "queued_messages",
    );
    assert.equal(system.schedulerStats().outOfMemory, 3);
    assert.deepEqual(refusals, ["out_of_memory", "out_of_memory", "out_of_memory"]);
    assert.equal(system.tableSizes().calls, 0);
    assert.equal(system.tableSizes().timers, 0);
    // A stop is a runtime message: held back, never lost, handled after the 100 casts.
    const stopped = system.stop(pid, "normal");
    await system.runUntilIdle();
    await stopped;
    assertNothingLeft(system);
  });

  it("a DOWN that finds the system full is held back and delivered once slots free", async () => {
    const { system } = manual({ maxQueuedMessages: 10 });
    const watcher = await startManual(system, probe);
    const watched = await startManual(system, counter);
    const hog = await startManual(system, counter);
    const monitored = system.call(
      watcher,
      (ctx: { monitor: (p: unknown) => unknown }) => ctx.monitor(watched),
    );
    await system.runUntilIdle();
    await monitored;
    system.suspend(hog);
    for (let i = 0; i < 10; i++) assert.equal(system.cast(hog, i), "ok");
    assert.equal(system.cast(watcher, "full"), "out_of_memory");
    system.exit(watched, "kill"); // its DOWN finds no free slot
    await system.runUntilIdle();
    system.resume(hog); // the hog's messages are handled: slots free, the DOWN gets through
    await system.runUntilIdle();
    const log = system.call(
      watcher,
      (_ctx: unknown, state: { log: unknown[] }) => state.log.length,
    );
    await system.runUntilIdle();
    assert.equal(await log, 1, "the DOWN was delivered");
    system.shutdown();
  });

  it("maxQueuedMessages is checked", () => {
    for (const bad of [0, -1, 1.5, 2 ** 26 + 1, "10", {}]) {
      assert.throws(() => new System({ maxQueuedMessages: bad as never }), RangeError);
    }
    new System({ maxQueuedMessages: 2 ** 26 }).shutdown();
  });
});

describe("named errors for bad input", () => {
  it("start(server, arg, null): a TypeError that names the options", async () => {
    const { system } = manual();
    await assert.rejects(
      system.start(counter, undefined, null as never),
      (e: Error) => e instanceof TypeError && /start: options must be an object/.test(e.message),
    );
    assertNothingLeft(system);
  });

  it("a Symbol in start options: a TypeError that says what was expected", async () => {
    const { system } = manual();
    await assert.rejects(
      system.start(counter, undefined, { name: Symbol("x") as never }),
      (e: Error) =>
        e instanceof TypeError &&
        /name must be a non-empty string or \{ via, key \}/.test(e.message),
    );
    await assert.rejects(
      system.start(counter, undefined, { priority: Symbol("p") as never }),
      TypeError,
    );
    await assert.rejects(
      system.start(counter, undefined, { mailbox: { overflow: Symbol("o") as never } }),
      TypeError,
    );
    await assert.rejects(
      system.start(counter, undefined, { mailbox: { bound: "10" as never } }),
      TypeError,
    );
    assertNothingLeft(system);
  });

  it("system.reply(null, v): a TypeError naming From, not an engine message", () => {
    const { system } = manual();
    assert.throws(
      () => system.reply(null as never, 1),
      (e: Error) => e instanceof TypeError && /the From that handleCall received/.test(e.message),
    );
    system.shutdown();
  });

  it("new System({ reductionBudget: {} }): a RangeError naming the option", () => {
    assert.throws(
      () => new System({ reductionBudget: {} as never }),
      (e: Error) =>
        e instanceof RangeError && /System: reductionBudget must be an integer/.test(e.message),
    );
    assert.throws(() => new System({ timeSliceMs: -1 }), RangeError);
    assert.throws(() => new System(null as never), TypeError);
    assert.throws(() => new System({ logger: {} as never }), TypeError);
  });

  it("a result with a bad idle timeout crashes the process with a message that names the range", async () => {
    const { system, reports } = manual();
    const pid = await startManual(system, {
      init: () => ok(null),
      handleCast: (_m: unknown, s: null) => noreply(s, { timeout: -5 }),
    });
    system.cast(pid, "x");
    await system.runUntilIdle();
    assert.equal(system.isAlive(pid), false);
    assert.match(
      String((reports[0].reason as Error).message),
      /timeout must be a number of ms in 0\.\.68719476735 or Infinity/,
    );
    assertNothingLeft(system);
  });
});

describe("bad numeric options: a RangeError that says the allowed range", () => {
  const cases: [string, unknown[], RegExp][] = [
    [
      "reductionBudget",
      [0, -1, 1.5, NaN, Infinity, 2 ** 31, "2000", {}],
      /in 1\.\.2147483647, got/,
    ],
    [
      "timeSliceMs",
      [0, -0, -1, -Infinity, NaN, Infinity, MAX_TIMEOUT_MS + 1, "5"],
      /in \(0, 68719476735\], got/,
    ],
    ["maxQueuedMessages", [0, -1, 1.5, NaN, 2 ** 26 + 1, "10"], /in 1\.\.67108864, got/],
    [
      "maxProcesses",
      [0, -1, 1.5, NaN, Infinity, MAX_ACTORS + 1, 2 ** 31, "8", {}],
      /in 1\.\.1048576, got/,
    ],
  ];
  for (const [option, values, range] of cases) {
    it(`${option}: ${values.map(String).join(", ")} are refused`, () => {
      for (const value of values) {
        assert.throws(
          () => new System({ [option]: value, scheduling: "manual" }),
          (e: Error) =>
            e instanceof RangeError && e.message.startsWith(`System: ${option} must be`) &&
            range.test(e.message),
          `${option}: ${String(value)}`,
        );
      }
    });
  }

  it("the edges of each range are taken", () => {
    for (
      const options of [
        { reductionBudget: 1 },
        { reductionBudget: 2 ** 31 - 1 },
        { timeSliceMs: 0.001 },
        { timeSliceMs: MAX_TIMEOUT_MS },
        { maxQueuedMessages: 1 },
        { maxProcesses: 1 },
        { maxProcesses: MAX_ACTORS },
      ]
    ) {
      new System({ ...options, scheduling: "manual" }).shutdown();
    }
  });

  it("maxProcesses is the core's actor limit, on both cores; the default is 2^20", () => {
    for (const core of ["wasm", "reference"] as const) {
      for (const [maxProcesses, limit] of [[8, 8], [undefined, MAX_ACTORS]]) {
        const system = new System({ core, maxProcesses, scheduling: "manual" });
        assert.equal(system.core.actorLimit, limit);
        system.shutdown();
      }
    }
  });

  it("mailbox bounds and initial capacities out of range are refused at start", async () => {
    const { system } = manual();
    for (const bound of [0, -1, 1.5, NaN, 2 ** 30]) {
      await assert.rejects(
        system.start(counter, undefined, { mailbox: { bound } }),
        (e: Error) => e instanceof RangeError && /1\.\.1073741823 or Infinity/.test(e.message),
      );
    }
    for (const initialCapacity of [0, -1, 2.5, 2 ** 20 + 1]) {
      await assert.rejects(
        system.start(counter, undefined, { mailbox: { initialCapacity } }),
        (e: Error) => e instanceof RangeError && /1\.\.1048576/.test(e.message),
      );
    }
    assertNothingLeft(system);
  });
});

describe("the process table's limit (maxProcesses)", () => {
  for (const core of ["wasm", "reference"] as const) {
    it(`${core}: system.start past maxProcesses rejects with SystemLimitError "processes"; a freed entry is taken again`, async () => {
      const { system } = manual({ maxProcesses: 8, core });
      const pids = [];
      for (let i = 0; i < 8; i++) pids.push(await startManual(system, counter));
      await assert.rejects(
        system.start(counter),
        (e: SystemLimitError) =>
          e instanceof SystemLimitError && e.limit === "processes" &&
          /the process table is full \(8 live processes, maxProcesses 8\)/.test(e.message),
      );
      assert.equal(system.processes().length, 8);
      const stopped = system.stop(pids[0]);
      await system.runUntilIdle();
      await stopped;
      pids[0] = await startManual(system, counter);
      await assert.rejects(system.start(counter), SystemLimitError);
      system.shutdown();
    });
  }
});
