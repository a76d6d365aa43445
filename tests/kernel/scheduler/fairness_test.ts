/**
 * A fair scheduler (issue 12): sends and spawns are charged reductions to
 * the process that makes them, so a process that floods another yields
 * before its target's mailbox grows without bound, and a light process is
 * served between the flooder's runs. Deterministic: a manually scheduled
 * test system, no clock involved.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createTestSystem } from "../../../src/testing/test_system.ts";
import { type Context, noreply, ok, reply, stop, System } from "../../../mod.ts";
import type { Pid } from "../../../src/pid.ts";

/** Casts per message the flooder handles, and the messages it handles. */
const PER_TICK = 1000;
const TICKS = 200;

/** A server that sums what it is cast; a flooder that casts PER_TICK to it per tick. */
async function flood(budget?: number) {
  const t = createTestSystem(budget === undefined ? {} : { reductionBudget: budget });
  const progress = { ticks: 0 };
  const server = await t.start({
    init: () => ok(0),
    handleCast: (n: number, sum: number) => noreply(sum + n),
    handleCall: (_request: "sum", _from, sum: number) => reply(sum, sum),
  });
  const flooder = await t.start({
    init: () => ok(0),
    handleInfo: (_tick: "tick", ticks: number, ctx: Context) => {
      for (let i = 0; i < PER_TICK; i++) ctx.cast(server, 1);
      progress.ticks = ticks + 1;
      if (ticks + 1 < TICKS) ctx.send(ctx.self, "tick");
      return noreply(ticks + 1);
    },
  });
  return { t, server, flooder, progress };
}

describe("fair scheduling", () => {
  it("a process that floods another yields: the target's mailbox stays within a few budgets", async () => {
    const { t, server, flooder } = await flood();
    t.system.send(flooder, "tick");
    await t.runUntilIdle();
    assert.equal(await t.call(server, "sum"), TICKS * PER_TICK);
    const highWater = t.system.processInfo(server)!.mailbox.highWater;
    // Uncharged, the flooder's first run (a budget of 2000 messages) would
    // queue all 200,000 casts before the server ran once.
    assert.ok(highWater <= 4 * 2000, `high-water mark ${highWater}`);
    t.dispose();
  });

  it("a send is charged: the flooder's reductions count its casts, not just its messages", async () => {
    const { t, flooder } = await flood();
    t.system.send(flooder, "tick");
    await t.runUntilIdle();
    const reductions = t.system.processInfo(flooder)!.reductions;
    assert.ok(reductions >= TICKS * PER_TICK, `reductions ${reductions}`);
    t.dispose();
  });

  it("a light call made while a neighbour floods is handled within a few of the flooder's runs, in order", async () => {
    const { t, flooder, progress } = await flood();
    const seenAt: number[] = [];
    const light = await t.start({
      init: () => ok(null),
      handleCall: (_request: "ping", _from, state: null) => {
        seenAt.push(progress.ticks);
        return reply("pong", state);
      },
    });
    const replies: string[] = [];
    // The caller is a process: its calls go through the same run queue.
    const client: Pid = await t.start({
      init: () => ok(null),
      handleInfo: async (_go: "go", state: null, ctx: Context) => {
        for (let i = 0; i < 5; i++) replies.push(await ctx.call<string>(light, "ping"));
        return noreply(state);
      },
    });
    t.system.send(flooder, "tick");
    t.system.send(client, "go");
    await t.runUntilIdle();
    assert.deepEqual(replies, ["pong", "pong", "pong", "pong", "pong"]);
    assert.equal(seenAt.length, 5);
    // The first call is served after the flooder's first run (two ticks at a
    // budget of 2000), not after all 200 of its ticks.
    assert.ok(seenAt[0] <= 4, `first call handled after ${seenAt[0]} ticks`);
    assert.ok(seenAt[4] < TICKS, `fifth call handled after ${seenAt[4]} ticks`);
    t.dispose();
  });

  it("a spawner is charged for what it starts and yields to its children", async () => {
    const t = createTestSystem();
    let alive = 0;
    let peak = 0;
    const child = {
      init: (_arg: undefined, ctx: Context) => {
        ctx.send(ctx.self, "stop");
        return ok(null);
      },
      handleInfo: (_m: "stop", state: null) => stop("normal", state),
      terminate: () => {
        alive--;
      },
    };
    const spawner = await t.start({
      init: () => ok(0),
      handleInfo: (_tick: "tick", n: number, ctx: Context) => {
        alive++;
        peak = Math.max(peak, alive);
        void ctx.start(child, undefined);
        if (n + 1 < 5000) ctx.send(ctx.self, "tick");
        return noreply(n + 1);
      },
    });
    t.system.send(spawner, "tick");
    await t.runUntilIdle();
    assert.equal(alive, 0);
    // Charged 10 reductions a spawn (and one a send), the spawner handles
    // about 180 ticks a run, not 2000, before its children get to run.
    assert.ok(peak <= 400, `${peak} children alive at once`);
    t.dispose();
  });
});

describe("scheduler accounting", () => {
  it("busy time never goes back: a run that handles no message is timed on its own, not by an earlier run's reading", async () => {
    let now = 0;
    const clock = { now: () => now };
    const system = new System({ logger: null, clock });
    const durations: number[] = [];
    system.telemetry.attach("slices", ["beamlet", "scheduler", "slice"], (_e, m) => {
      durations.push((m as { duration: number }).duration);
    });
    let release!: () => void;
    const pid = await system.start({
      init: () => ok(0),
      // Parks until the test releases it; its settlement wakes the scheduler
      // for a run that has no message to handle.
      handleCast: (_go: "go", n: number) =>
        new Promise<ReturnType<typeof noreply<number>>>((resolve) => {
          release = () => resolve(noreply(n + 1));
        }),
    });
    system.cast(pid, "go");
    // Not runUntilIdle: a parked callback is work in flight. A host turn runs the cast.
    await new Promise((resolve) => setTimeout(resolve, 5));
    assert.equal(system.processInfo(pid)!.status, "running");
    now += 3; // the host does other things meanwhile (less than a slice: the burst goes on)
    release();
    await system.runUntilIdle();
    assert.ok(durations.length >= 2, `${durations.length} slices`);
    for (const duration of durations) assert.ok(duration >= 0, `a slice of ${duration} ms`);
    assert.ok(system.schedulerStats().busyMs >= 0);
    system.shutdown();
  });
});
