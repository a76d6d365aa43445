/**
 * Shedding by waiting time (`src/kernel/mailbox/shedding.ts`, CoDel) on
 * the virtual clock: a stuck handler makes messages wait past the target
 * for a whole interval, and the mailbox sheds — counted, told by telemetry,
 * shed calls rejected with an `OverloadedError` (`"shed"`), runtime
 * messages kept; a busy queue that moves, a burst shorter than the
 * interval, or a slow handler with nothing queued behind it shed nothing.
 * Each handled message advances the manual clock by its cost, so the same
 * run gives the same sheds every time.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { OverloadedError } from "../../../src/errors.ts";
import { type GenServer, ok } from "../../../src/gen_server.ts";
import type { Pid } from "../../../src/pid.ts";
import type { StartOptions } from "../../../src/options.ts";
import type { System } from "../../../src/system.ts";
import { MAILBOX_SHED } from "../../../src/telemetry/catalog/mailbox_events.ts";
import { handled, manual, type ManualClock, startManual } from "../../_helpers.ts";
import { GATE, settle, worker, type WorkLog, workLog } from "./_flow_fixtures.ts";

const idle: GenServer<null, undefined> = { init: () => ok(null) };

/** A worker with shedding on a manual system, its sheds tallied from telemetry. */
async function shedding(
  options: StartOptions["mailbox"],
  cost: number,
  watch: Pid[] = [],
  setup?: { system: System; clock: ManualClock },
) {
  const { system, clock } = setup ?? manual();
  const tally = { events: 0, shed: 0, longest: 0 };
  system.telemetry.attach("shed", MAILBOX_SHED, (_e, m, meta) => {
    assert.equal(meta.name, "shedder");
    tally.events++;
    tally.shed += m.count;
    tally.longest = Math.max(tally.longest, m.sojourn);
  });
  const log = workLog();
  const pid = await startManual(system, worker(clock, log, cost), watch, {
    name: "shedder",
    mailbox: options,
  });
  return { system, clock, log, pid, tally };
}

/** Counts shed casts: sent minus handled, for casts named `cast <i>`. */
function shedCasts(log: WorkLog, sent: number): number {
  return sent - log.handled.filter((m) => String(m).startsWith("cast")).length;
}

describe("shedding by waiting time (CoDel)", () => {
  it("a stuck handler: messages that waited past target for an interval are shed and counted", async () => {
    const setup = manual();
    const watched: Pid[] = [];
    for (let i = 0; i < 100; i++) watched.push(await startManual(setup.system, idle));
    const { system, clock, log, pid, tally } = await shedding(
      { shed: { target: 10, interval: 100 } },
      5,
      watched,
      setup,
    );
    system.cast(pid, GATE);
    await settle(system); // stuck on the gate

    const calls: Promise<unknown>[] = [];
    for (let i = 0; i < 100; i++) {
      assert.equal(system.cast(pid, `cast ${i}`), "ok");
      calls.push(handled(system.call(pid, `call ${i}`, { timeout: Infinity })));
      system.exit(watched[i], "kill"); // a DOWN notice queued behind them
    }
    clock.advance(1000);
    log.gate!.resolve();
    await settle(system);

    const outcomes = await Promise.allSettled(calls);
    const rejected = outcomes.filter((o) => o.status === "rejected");
    for (const o of rejected) {
      const error = (o as PromiseRejectedResult).reason;
      assert.ok(error instanceof OverloadedError, `a shed call fails with OverloadedError`);
      assert.equal(error.outcome, "shed");
      assert.equal(error.code, "overloaded");
      assert.match(error.message, /shed/);
    }
    const shedCalls = rejected.length;
    const castsShed = shedCasts(log, 100);
    const info = system.processInfo(pid)!;
    assert.ok(shedCalls > 0, "some calls were shed");
    assert.ok(castsShed > 0, "some casts were shed");
    assert.equal(info.mailbox.shed, shedCalls + castsShed, "every shed counted on the mailbox");
    assert.equal(tally.shed, info.mailbox.shed, "and reported");
    assert.equal(system.schedulerStats().shed, info.mailbox.shed, "and in the system's stats");
    assert.ok(tally.longest >= 1000, `the longest wait shed is reported (${tally.longest} ms)`);
    assert.equal(log.downs, 100, "runtime messages are never shed");
    assert.equal(log.handled.length + info.mailbox.shed, 200, "every message handled or shed");
    assert.equal(info.messageQueueLength, 0);
    // The mailbox is not shedding forever: fresh messages are handled.
    const before = info.mailbox.shed;
    for (let i = 0; i < 20; i++) {
      system.cast(pid, `late ${i}`);
      await settle(system);
    }
    assert.equal(system.processInfo(pid)!.mailbox.shed, before, "waits under target: none shed");
    await Promise.all([system.stop(pid), settle(system)]);
    system.shutdown();
  });

  it("the first shed comes an interval after the wait rose above target, then faster (control law)", async () => {
    const { system, clock, log, pid, tally } = await shedding(
      { shed: { target: 10, interval: 100 } },
      1,
    );
    system.cast(pid, GATE);
    await settle(system);
    for (let i = 0; i < 400; i++) system.cast(pid, `cast ${i}`);
    clock.advance(500);
    log.gate!.resolve();
    await settle(system);
    // At 1 ms a message: the first 100 are handled (the wait is above target
    // from the first, and the interval has to pass), the next one is shed.
    assert.deepEqual(log.handled.slice(0, 100), Array.from({ length: 100 }, (_, i) => `cast ${i}`));
    assert.equal(log.handled[100], "cast 101", "cast 100 was the first shed");
    // Shed at 100 ms after it, then 100/√2, 100/√3, ... after the previous one.
    const shed = Array.from({ length: 400 }, (_, i) => `cast ${i}`).filter((m) =>
      !log.handled.includes(m)
    );
    assert.equal(shed.length, tally.shed);
    assert.ok(shed.length >= 4, `sheds: ${shed.join(", ")}`);
    const gaps = shed.slice(1, 4).map((m, i) => Number(m.slice(5)) - Number(shed[i].slice(5)));
    assert.ok(gaps[0] > gaps[1] && gaps[1] > gaps[2], `sheds come faster: ${gaps.join(", ")}`);
    system.shutdown();
  });

  it("a busy queue that keeps moving under target sheds nothing", async () => {
    const { system, pid, log, tally } = await shedding({ shed: { target: 10, interval: 100 } }, 1);
    // 5 messages every 5 ms, each taking 1 ms: the longest wait is 4 ms.
    for (let round = 0; round < 200; round++) {
      for (let i = 0; i < 5; i++) system.cast(pid, `cast ${round}.${i}`);
      await settle(system);
    }
    assert.equal(log.handled.length, 1000);
    assert.equal(system.processInfo(pid)!.mailbox.shed, 0);
    assert.equal(tally.events, 0);
    system.shutdown();
  });

  it("a burst that waits past target for less than an interval sheds nothing", async () => {
    const { system, clock, pid, log, tally } = await shedding(
      { shed: { target: 10, interval: 100 } },
      1,
    );
    system.cast(pid, GATE);
    await settle(system);
    for (let i = 0; i < 40; i++) system.cast(pid, `cast ${i}`);
    clock.advance(50); // every one waits 50..89 ms: above target, for under 100 ms
    log.gate!.resolve();
    await settle(system);
    assert.equal(log.handled.length, 40);
    assert.equal(tally.events, 0);
    system.shutdown();
  });

  it("a slow handler with nothing queued behind it is no standing queue", async () => {
    const { system, clock, pid, log } = await shedding({ shed: { target: 10, interval: 100 } }, 0);
    system.cast(pid, GATE);
    await settle(system);
    // One message at a time, each waiting 50 ms behind a slow one: never judged.
    for (let i = 0; i < 20; i++) {
      system.cast(pid, `cast ${i}`);
      clock.advance(50);
      log.gate!.resolve();
      await settle(system); // handled alone
      system.cast(pid, GATE);
      await settle(system);
    }
    assert.equal(log.handled.length, 20);
    assert.equal(system.processInfo(pid)!.mailbox.shed, 0);
    system.shutdown();
  });

  it("a stop queued behind shed messages still stops the process", async () => {
    const { system, clock, pid, log } = await shedding(
      { bound: 64, shed: { target: 1, interval: 10 } },
      2,
    );
    system.cast(pid, GATE);
    await settle(system);
    for (let i = 0; i < 64; i++) system.cast(pid, `cast ${i}`);
    const stopped = system.stop(pid, "shutdown");
    clock.advance(1000);
    log.gate!.resolve();
    await Promise.all([stopped, settle(system)]);
    assert.equal(system.isAlive(pid), false);
    assert.ok(log.handled.length < 64, "some were shed on the way");
    system.shutdown();
  });

  it("watermarks and shedding together: shed messages leave the queue too", async () => {
    const { system, clock, pid, log } = await shedding(
      { watermarks: { high: 50, low: 5 }, shed: { target: 10, interval: 100 } },
      3,
    );
    const levels: string[] = [];
    system.telemetry.attach("w", ["beamlet", "mailbox", "watermark"], (_e, _m, meta) => {
      levels.push(String(meta?.level));
    });
    system.cast(pid, GATE);
    await settle(system);
    for (let i = 0; i < 300; i++) system.cast(pid, `cast ${i}`);
    clock.advance(1000);
    log.gate!.resolve();
    await settle(system);
    const info = system.processInfo(pid)!;
    assert.ok(info.mailbox.shed > 0);
    assert.equal(log.handled.length + info.mailbox.shed, 300);
    assert.deepEqual(levels, ["high", "low"]);
    assert.equal(info.mailbox.watermark, "low");
    system.shutdown();
  });
});
