/**
 * The scheduler: async callbacks hold only their own process, the host event
 * loop is never starved, priorities, `sendAfter` / `cancelTimer`, idle
 * timeouts, and deterministic time with a manual clock.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { Context } from "../src/context.ts";
import { type GenServer, noreply, ok, reply } from "../src/gen_server.ts";
import type { Pid } from "../src/pid.ts";
import {
  collecting,
  deferred,
  flush,
  inside,
  logOf,
  manual,
  probe,
  sleep,
  startManual,
} from "./_helpers.ts";

describe("async callbacks", () => {
  it("a handler's Promise holds its process: messages queue, status running; others keep running", async () => {
    const { system } = collecting();
    const gate = deferred();
    const entered = deferred();
    const seen: unknown[] = [];
    const slow = await system.start<null, undefined>({
      init: () => ok(null),
      handleCast: (request, state) => {
        seen.push(request);
        if (request !== "slow") return noreply(state);
        entered.resolve();
        return gate.promise.then(() => noreply(state));
      },
      handleCall: (_request, _from, state) => reply([...seen], state),
    });
    const other = await system.start(probe, undefined);
    system.cast(slow, "slow");
    await entered.promise;
    system.cast(slow, "a");
    system.cast(slow, "b");
    await flush();
    const info = system.processInfo(slow)!;
    assert.equal(info.status, "running");
    assert.equal(info.currentCallback, "handleCast");
    assert.equal(info.messageQueueLength, 2);
    assert.deepEqual(seen, ["slow"]);
    // Another process is not held up.
    assert.equal(await inside(system, other, () => "other ran"), "other ran");
    assert.equal(system.countByStatus().running, 1);
    gate.resolve();
    assert.deepEqual(await system.call(slow, "seen"), ["slow", "a", "b"]);
    assert.equal(system.processInfo(slow)?.status, "waiting");
    system.shutdown();
  });

  it("a process awaiting its own call to another process lets that process run", async () => {
    const { system } = collecting();
    const echo = await system.start<null, undefined>({
      init: () => ok(null),
      handleCall: (request, _from, state) => reply(request, state),
    });
    const caller = await system.start<null, undefined>({
      init: () => ok(null),
      handleCall: async (request, _from, state, ctx) => reply(await ctx.call(echo, request), state),
    });
    assert.equal(await system.call(caller, "via echo"), "via echo");
    system.shutdown();
  });

  it("many processes awaiting at once all complete", async () => {
    const { system } = collecting();
    const server: GenServer<number, number> = {
      init: (n) => ok(n),
      handleCall: async (_request, _from, n) => {
        await sleep(1);
        return reply(n * 2, n);
      },
    };
    const pids: Pid[] = [];
    for (let i = 0; i < 50; i++) pids.push(await system.start(server, i));
    const answers = await Promise.all(pids.map((pid) => system.call(pid, "double")));
    assert.deepEqual(answers, pids.map((_, i) => i * 2));
    system.shutdown();
  });
});

describe("the host event loop is never starved", () => {
  it("a setTimeout callback fires while an actor still holds most of 1M queued messages", async () => {
    const { system } = collecting();
    const TOTAL = 1_000_000;
    let handledCount = 0;
    const pid = await system.start<number, undefined>({
      init: () => ok(0),
      handleCast: (n, sum) => {
        handledCount++;
        return noreply(sum + (n as number));
      },
      handleCall: (_request, _from, sum) => reply(sum, sum),
    });
    for (let i = 0; i < TOTAL; i++) system.cast(pid, 1);
    const handledWhenTimerFired = await new Promise<number>((resolve) =>
      setTimeout(() => resolve(handledCount), 0)
    );
    assert.ok(
      handledWhenTimerFired < TOTAL,
      `the timer waited for all ${TOTAL} messages to be handled`,
    );
    assert.equal(await system.call(pid, "sum", { timeout: Infinity }), TOTAL);
    system.shutdown();
  });

  it("an I/O-like macrotask runs between slices of two flooded actors", async () => {
    // A clock that moves a millisecond a read until the macrotask ran: a 5 ms
    // slice then ends after a few reads however fast the machine (on the real
    // clock, one fast enough to handle 600,000 casts in 5 ms would fail).
    let reads = 0;
    let ran = false;
    const { system } = collecting({ clock: { now: () => (ran ? reads : reads++) } });
    const counts = [0, 0];
    const pids: Pid[] = [];
    for (const i of [0, 1]) {
      pids.push(
        await system.start<null, undefined>({
          init: () => ok(null),
          handleCast: (_n, state) => {
            counts[i]++;
            return noreply(state);
          },
          handleCall: (_r, _f, state) => reply(counts[i], state),
        }),
      );
    }
    for (let i = 0; i < 300_000; i++) {
      system.cast(pids[0], i);
      system.cast(pids[1], i);
    }
    const snapshot = await new Promise<number[]>((resolve) =>
      setTimeout(() => {
        ran = true;
        resolve([...counts]);
      }, 0)
    );
    assert.ok(snapshot[0] + snapshot[1] < 600_000, "the macrotask ran before both floods drained");
    await system.call(pids[0], "count", { timeout: Infinity });
    await system.call(pids[1], "count", { timeout: Infinity });
    assert.deepEqual(counts, [300_000, 300_000]);
    system.shutdown();
  });
});

describe("priorities", () => {
  it("a high-priority process runs before normal and low ones when all are runnable", async () => {
    const { system } = manual();
    const order: string[] = [];
    const server: GenServer<string, string> = {
      init: (label) => ok(label),
      handleCast: (_request, label) => {
        order.push(label);
        return noreply(label);
      },
    };
    const low = await startManual(system, server, "low", { priority: "low" });
    const normal = await startManual(system, server, "normal");
    const high = await startManual(system, server, "high", { priority: "high" });
    assert.equal(system.processInfo(high)?.priority, "high");
    assert.equal(system.processInfo(low)?.priority, "low");
    system.cast(low, "x");
    system.cast(normal, "x");
    system.cast(high, "x");
    await system.runUntilIdle();
    assert.deepEqual(order, ["high", "normal", "low"]);
    system.shutdown();
  });

  it("a message to a high-priority process made runnable mid-run is handled before waiting normal ones", async () => {
    const { system } = manual();
    const order: string[] = [];
    const server: GenServer<string, string> = {
      init: (label) => ok(label),
      handleCast: (request, label, ctx) => {
        order.push(`${label}:${request}`);
        const poke = request as { poke?: Pid };
        if (poke.poke) ctx.cast(poke.poke, "poked");
        return noreply(label);
      },
    };
    const high = await startManual(system, server, "high", { priority: "high" });
    const n1 = await startManual(system, server, "n1");
    const n2 = await startManual(system, server, "n2");
    system.cast(n1, { poke: high });
    system.cast(n2, "x");
    await system.runUntilIdle();
    assert.equal(order[0], "n1:[object Object]");
    assert.equal(order[1], "high:poked");
    assert.equal(order[2], "n2:x");
    system.shutdown();
  });
});

describe("sendAfter and cancelTimer (manual clock)", () => {
  it("delivers once, at its deadline, not before", async () => {
    const { system, clock } = manual();
    const pid = await startManual(system, probe, undefined);
    system.sendAfter(pid, "tick", 100);
    clock.advance(99);
    await system.runUntilIdle();
    const early = logOf(system, pid);
    await system.runUntilIdle();
    assert.deepEqual(await early, []);
    clock.advance(1);
    await system.runUntilIdle();
    clock.advance(1000);
    await system.runUntilIdle();
    const log = logOf(system, pid);
    await system.runUntilIdle();
    assert.deepEqual(await log, ["tick"]);
    assert.equal(system.tableSizes().timers, 0);
    system.shutdown();
  });

  it("timers with different delays fire in deadline order", async () => {
    const { system, clock } = manual();
    const pid = await startManual(system, probe, undefined);
    system.sendAfter(pid, "c", 30);
    system.sendAfter(pid, "a", 10);
    system.sendAfter(pid, "b", 20);
    system.sendAfter(pid, "a2", 10);
    clock.advance(30);
    await system.runUntilIdle();
    const log = logOf(system, pid);
    await system.runUntilIdle();
    assert.deepEqual(await log, ["a", "a2", "b", "c"]);
    system.shutdown();
  });

  it("cancelTimer returns the ms left; a cancelled timer never delivers; a second cancel is false", async () => {
    const { system, clock } = manual();
    const pid = await startManual(system, probe, undefined);
    const ref = system.sendAfter(pid, "never", 100);
    clock.advance(30);
    assert.equal(system.cancelTimer(ref), 70);
    assert.equal(system.cancelTimer(ref), false);
    assert.equal(system.tableSizes().timers, 0);
    assert.equal(system.tableSizes().coreTimers, 0);
    clock.advance(1000);
    await system.runUntilIdle();
    const log = logOf(system, pid);
    await system.runUntilIdle();
    assert.deepEqual(await log, []);
    system.shutdown();
  });

  it("cancelTimer after the timer fired is false", async () => {
    const { system, clock } = manual();
    const pid = await startManual(system, probe, undefined);
    const ref = system.sendAfter(pid, "fired", 10);
    clock.advance(10);
    await system.runUntilIdle();
    assert.equal(system.cancelTimer(ref), false);
    system.shutdown();
  });

  it("a timer to a name is resolved when it fires", async () => {
    const { system, clock } = manual();
    system.sendAfter("later", "hello", 50);
    const pid = await startManual(system, probe, undefined, { name: "later" });
    clock.advance(50);
    await system.runUntilIdle();
    const log = logOf(system, pid);
    await system.runUntilIdle();
    assert.deepEqual(await log, ["hello"]);
    system.shutdown();
  });

  it("a timer to a dead pid delivers nothing and holds nothing", async () => {
    const { system } = manual();
    const pid = await startManual(system, probe, undefined);
    const stopped = system.stop(pid);
    await system.runUntilIdle();
    await stopped;
    const ref = system.sendAfter(pid, "nobody", 10);
    assert.equal(system.tableSizes().timers, 0);
    assert.equal(system.cancelTimer(ref), false);
    system.shutdown();
  });

  it("a process's pending timers are cancelled when it exits", async () => {
    const { system } = manual();
    const pid = await startManual(system, probe, undefined);
    const armed = inside(system, pid, (ctx) => ctx.sendAfter(ctx.self, "tick", 1000));
    await system.runUntilIdle();
    const ref = await armed;
    assert.equal(system.tableSizes().timers, 1);
    system.exit(pid, "kill");
    assert.equal(system.tableSizes().timers, 0);
    assert.equal(system.tableSizes().coreTimers, 0);
    assert.equal(system.cancelTimer(ref), false);
    system.shutdown();
  });

  it("ctx.cancelTimer inside a process", async () => {
    const { system, clock } = manual();
    const pid = await startManual(system, probe, undefined);
    const left = inside(system, pid, (ctx) => {
      const ref = ctx.sendAfter(ctx.self, "tick", 40);
      return ctx.cancelTimer(ref);
    });
    await system.runUntilIdle();
    assert.equal(await left, 40);
    clock.advance(100);
    await system.runUntilIdle();
    const log = logOf(system, pid);
    await system.runUntilIdle();
    assert.deepEqual(await log, []);
    system.shutdown();
  });

  it("bad delays are RangeErrors", () => {
    const { system } = manual();
    for (const ms of [-1, Number.NaN, Infinity]) {
      assert.throws(() => system.sendAfter("x", "y", ms), RangeError);
    }
    system.shutdown();
  });

  it("a real-time sendAfter is delivered (auto scheduling)", async () => {
    const { system } = collecting();
    const pid = await system.start(probe, undefined);
    system.sendAfter(pid, "soon", 10);
    while ((await logOf(system, pid)).length === 0) await sleep(5);
    assert.deepEqual(await logOf(system, pid), ["soon"]);
    system.shutdown();
  });
});

describe("idle timeout results (manual clock)", () => {
  function idler(log: unknown[]): GenServer<null, undefined> {
    return {
      init: () => ok(null, { timeout: 100 }),
      handleInfo: (message, state) => {
        log.push(message);
        return noreply(state);
      },
      handleCast: (request, state) => {
        log.push(request);
        return noreply(state, { timeout: 100 });
      },
    };
  }

  it("a timeout result delivers 'timeout' to handleInfo after that long without a message", async () => {
    const { system, clock } = manual();
    const log: unknown[] = [];
    await startManual(system, idler(log));
    clock.advance(99);
    await system.runUntilIdle();
    assert.deepEqual(log, []);
    clock.advance(1);
    await system.runUntilIdle();
    assert.deepEqual(log, ["timeout"]);
    clock.advance(1000);
    await system.runUntilIdle();
    assert.deepEqual(log, ["timeout"], "once: the timeout result is not repeated");
    system.shutdown();
  });

  it("a message before the timeout cancels it", async () => {
    const { system, clock } = manual();
    const log: unknown[] = [];
    const pid = await startManual(system, idler(log));
    clock.advance(50);
    system.cast(pid, "busy");
    await system.runUntilIdle();
    clock.advance(60); // 110 since init, 60 since the cast
    await system.runUntilIdle();
    assert.deepEqual(log, ["busy"]);
    clock.advance(40);
    await system.runUntilIdle();
    assert.deepEqual(log, ["busy", "timeout"]);
    system.shutdown();
  });
});

describe("runUntilIdle", () => {
  it("returns once the processes it started have nothing left to do", async () => {
    const { system } = manual();
    const counts: number[] = [];
    const relay: GenServer<number, number> = {
      init: (i) => ok(i),
      handleCast: (hops, i, ctx: Context) => {
        counts.push(i);
        if ((hops as number) > 0) ctx.cast(ctx.self, (hops as number) - 1);
        return noreply(i);
      },
    };
    const pid = await startManual(system, relay, 7);
    system.cast(pid, 99);
    await system.runUntilIdle();
    assert.equal(counts.length, 100);
    system.shutdown();
  });

  it(
    "resolves after a process with a never-settling callback Promise is killed",
    async () => {
      const { system } = manual();
      const never = deferred<never>(); // settled only at the end, so a failing run cannot hang
      const pid = await startManual<null, undefined>(system, {
        init: () => ok(null),
        handleCast: () => never.promise,
      });
      system.cast(pid, "hang");
      const idle = system.runUntilIdle();
      await sleep(5); // the handler's Promise is in flight
      system.exit(pid, "kill");
      const outcome = await Promise.race([
        idle.then(() => "idle"),
        sleep(100).then(() => "still waiting"),
      ]);
      never.reject(new Error("test over"));
      await idle;
      assert.equal(outcome, "idle");
      system.shutdown();
    },
  );
});
