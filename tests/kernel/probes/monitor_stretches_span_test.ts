/**
 * The system monitor's span attribution (the default,
 * `src/kernel/probes/monitor_stretches.ts`): a stretch between two slice
 * readings may hold several processes' callbacks. A long one is told
 * (`exact: false`, `candidates` > 1) and counted for no process; its
 * processes are then measured alone, so one that stays slow is pinned from
 * its next callback on. `attribution: "run"` pins every one. On a virtual
 * clock (a handler moves it as a slow one would take time): nothing here
 * depends on the machine's speed.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { Context } from "../../../src/context.ts";
import { type GenServer, noreply, ok } from "../../../src/gen_server.ts";
import type { Pid } from "../../../src/pid.ts";
import type { Report } from "../../../src/logger.ts";
import { System, type SystemOptions } from "../../../src/system.ts";
import type { SystemMonitorOptions } from "../../../src/monitor_options.ts";
import { MONITOR_LONG_CALLBACK } from "../../../src/telemetry/catalog/monitor_events.ts";
import { ManualClock, startManual } from "../../_helpers.ts";

interface Seen {
  name: string | undefined;
  duration: number;
  exact: boolean;
  callbacks: number;
  candidates: number;
}

/** A manual system on a virtual clock, its long callbacks collected. */
function monitored(monitor: SystemMonitorOptions = {}, options: SystemOptions = {}) {
  const clock = new ManualClock();
  const notices: string[] = [];
  const system = new System({
    ...options,
    scheduling: "manual",
    clock,
    logger: { report: (r: Report) => void (r.kind === "notice" && notices.push(r.message)) },
    monitor,
  });
  const seen: Seen[] = [];
  system.telemetry.attach("long", MONITOR_LONG_CALLBACK, (_e, m, meta) => {
    seen.push({
      name: meta.name,
      duration: m.duration,
      exact: meta.exact,
      callbacks: meta.callbacks,
      candidates: meta.candidates,
    });
  });
  return { system, clock, seen, notices };
}

/** A server whose cast `ms` moves the clock by that many ms. */
function worker(clock: ManualClock): GenServer<number, undefined> {
  return {
    init: () => ok(0),
    handleCast: (ms: number, n) => {
      clock.advance(ms);
      return noreply(n + 1);
    },
  };
}

type Token = { hops: number };

/**
 * A player of a ring: passes the token on (to `next()`) until its hops run
 * out; `cost(hops)` is the ms its callback takes for that token.
 */
function player(
  clock: ManualClock,
  next: () => Pid,
  cost: (hops: number) => number,
): GenServer<number, undefined> {
  return {
    init: () => ok(0),
    handleCast: (token: Token, n, ctx: Context) => {
      clock.advance(cost(token.hops));
      if (token.hops > 0) ctx.cast(next(), { hops: token.hops - 1 });
      return noreply(n + 1);
    },
  };
}

/** Starts a ring of `costs.length` players named p0, p1, …, each with its cost. */
async function ring(
  system: System,
  clock: ManualClock,
  costs: ((hops: number) => number)[],
): Promise<Pid[]> {
  const pids: Pid[] = [];
  for (const [i, cost] of costs.entries()) {
    const next = () => pids[(i + 1) % costs.length];
    pids.push(await startManual(system, player(clock, next, cost), undefined, { name: `p${i}` }));
  }
  return pids;
}

const fast = () => 0;

function busy(system: System, pid: Pid): number {
  return system.processInfo(pid)!.busyMs;
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

function approx(actual: number, expected: number): void {
  assert.ok(Math.abs(actual - expected) < 1e-9, `${actual} is not ${expected}`);
}

describe("system monitor: span attribution", () => {
  it("a long stretch shared by two processes is told, named after its last callback, pinned on neither", async () => {
    const { system, clock, seen } = monitored();
    const a = await startManual(system, worker(clock), undefined, { name: "a" });
    const b = await startManual(system, worker(clock), undefined, { name: "b" });
    system.cast(a, 0); // read alone: the burst's first message
    system.cast(a, 2); // a's slow one, not read at the end of a's run...
    system.cast(b, 0); // ...but with b's first: a stretch of a and b
    system.cast(b, 0);
    await system.runUntilIdle();
    assert.deepEqual(seen, [{ name: "b", duration: 2, exact: false, callbacks: 2, candidates: 2 }]);
    assert.equal(system.processInfo(a)!.longCallbacks, 0);
    assert.equal(system.processInfo(b)!.longCallbacks, 0);
    const stats = system.monitorStats();
    assert.equal(stats.longCallbacks, 1);
    assert.equal(stats.recent[0].candidates, 2);
    assert.equal(stats.recent[0].pid, b);
    // Its time is split by message count: an estimate (one message each).
    approx(busy(system, a), 1);
    approx(busy(system, b), 1);
  });

  it("ping-pong where one turns slow: the first report is shared, the next ones pinned exactly", async () => {
    const { system, clock, seen } = monitored({ log: false });
    let slowCallbacks = 0;
    const [p0, p1] = await ring(system, clock, [fast, (hops) => {
      if (hops >= 200) return 0;
      slowCallbacks++;
      return 2;
    }]);
    system.cast(p0, { hops: 400 });
    await system.runUntilIdle();
    assert.equal(slowCallbacks, 100);
    // Every slow callback is told: the first ones within the shared span of
    // up to 32 messages they fell in (one report)…
    assert.equal(seen[0].exact, false);
    assert.equal(seen[0].candidates, 2);
    assert.ok(seen[0].callbacks > 1);
    assert.equal(sum(seen.map((s) => s.duration)), 2 * slowCallbacks);
    // …then p1 is measured alone, and pinned.
    assert.ok(seen.length > slowCallbacks - 32);
    for (const s of seen.slice(1)) {
      assert.deepEqual(s, { name: "p1", duration: 2, exact: true, callbacks: 1, candidates: 1 });
    }
    assert.equal(system.processInfo(p1)!.longCallbacks, seen.length - 1);
    assert.equal(system.processInfo(p0)!.longCallbacks, 0);
    assert.equal(system.monitorStats().longCallbacks, seen.length);
    // All the time was spent in callbacks: the busy times add up to it.
    approx(busy(system, p0) + busy(system, p1), clock.t);
    assert.ok(busy(system, p0) < seen[0].duration, "p0 has a share of the shared stretch only");
  });

  it("a suspect's run starts with a reading when the stretch holds others' messages (a ring of three)", async () => {
    const { system, clock, seen } = monitored({ log: false });
    let slowCallbacks = 0;
    const pids = await ring(system, clock, [fast, fast, (hops) => {
      if (hops >= 300) return 0;
      slowCallbacks++;
      return 3;
    }]);
    system.cast(pids[0], { hops: 600 });
    await system.runUntilIdle();
    assert.equal(slowCallbacks, 100);
    assert.equal(seen[0].exact, false);
    assert.ok(seen[0].candidates >= 2);
    assert.equal(sum(seen.map((s) => s.duration)), 3 * slowCallbacks);
    assert.ok(seen.length > slowCallbacks - 32);
    for (const s of seen.slice(1)) {
      assert.deepEqual(s, { name: "p2", duration: 3, exact: true, callbacks: 1, candidates: 1 });
    }
    assert.equal(system.processInfo(pids[2])!.longCallbacks, seen.length - 1);
    approx(busy(system, pids[0]) + busy(system, pids[1]) + busy(system, pids[2]), clock.t);
    // Only the shared stretch's estimate went to the fast ones.
    assert.ok(busy(system, pids[0]) + busy(system, pids[1]) < seen[0].duration);
  });

  it("a one-off slow callback: suspects that are fast again go back to spans, nothing more is told", async () => {
    const { system, clock, seen } = monitored({ log: false });
    const pids = await ring(system, clock, [fast, (hops) => hops === 151 ? 5 : 0]);
    system.cast(pids[0], { hops: 400 });
    await system.runUntilIdle();
    assert.equal(seen.length, 1);
    assert.equal(seen[0].duration, 5);
    assert.equal(seen[0].candidates, 2);
    approx(busy(system, pids[0]) + busy(system, pids[1]), 5);
  });

  it('attribution "run" pins every long callback of the ping-pong on its process', async () => {
    const { system, clock, seen } = monitored({ log: false, attribution: "run" });
    let slowCallbacks = 0;
    const [p0, p1] = await ring(system, clock, [fast, (hops) => {
      if (hops >= 200) return 0;
      slowCallbacks++;
      return 2;
    }]);
    system.cast(p0, { hops: 400 });
    await system.runUntilIdle();
    assert.equal(seen.length, slowCallbacks);
    for (const s of seen) {
      assert.deepEqual(s, { name: "p1", duration: 2, exact: true, callbacks: 1, candidates: 1 });
    }
    assert.equal(system.processInfo(p1)!.longCallbacks, slowCallbacks);
    assert.equal(busy(system, p1), clock.t);
    assert.equal(busy(system, p0), 0);
  });

  it("a stretch of one process across its runs is still pinned on it", async () => {
    const { system, clock, seen } = monitored({ log: false }, { reductionBudget: 10 });
    const a = await startManual(system, worker(clock), undefined, { name: "a" });
    // Runs of 10 casts; spans grow over them: the slow one falls in a span of 32 of a's alone.
    for (let i = 1; i <= 100; i++) system.cast(a, i === 70 ? 3 : 0);
    await system.runUntilIdle();
    assert.equal(seen.length, 1);
    assert.deepEqual(seen[0], {
      name: "a",
      duration: 3,
      exact: false,
      callbacks: 32,
      candidates: 1,
    });
    assert.equal(system.processInfo(a)!.longCallbacks, 1);
  });
});
