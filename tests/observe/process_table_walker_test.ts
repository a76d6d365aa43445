/**
 * ProcessTableWalker: passes in bounded chunks (by count and by the time
 * budget on the system clock), counts by status and rankings per attribute
 * and order, started by a read and stopped after a while without reads,
 * refreshes at most once per interval and at most a tenth of the time,
 * holds the host only while a read waits, bounded passes under growth,
 * closing, and bad options. Every test drives the chunks itself (a
 * recording scheduler or `"manual"`) on a virtual clock: nothing depends on
 * the machine's speed.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { PROCESS_ATTRIBUTES } from "../../src/introspection/process_attribute.ts";
import { WalkerClosedError } from "../../src/observe/errors.ts";
import {
  ProcessTableWalker,
  type ProcessTableWalkerOptions,
} from "../../src/observe/process_table_walker.ts";
import { System } from "../../src/system.ts";
import { createTestSystem, type TestSystem } from "../../src/testing/test_system.ts";
import { idle, pending, queued, recordingScheduler, runNext, settledNow } from "./_fixtures.ts";

/** Makes every `processSummary` move the virtual clock by `ms`: a walk that costs time. */
function costly(t: TestSystem, ms: number): void {
  const summary = t.system.processSummary.bind(t.system);
  Object.defineProperty(t.system, "processSummary", {
    value: (target: Parameters<System["processSummary"]>[0]) => {
      t.clock.advance(ms);
      return summary(target);
    },
  });
}

describe("ProcessTableWalker", () => {
  it("walks the table in chunks of chunkSize and keeps counts and rankings", async () => {
    const t = createTestSystem();
    const pids = await queued(t, [3, 7, 0, 7, 1]);
    const idlers = [];
    for (let i = 0; i < 5; i++) idlers.push(await t.start(idle));
    const walker = new ProcessTableWalker(t.system, { schedule: "manual", chunkSize: 4 });
    assert.equal(walker.latest, undefined);
    assert.equal(walker.step(), false);
    assert.equal(walker.step(), false);
    assert.equal(walker.latest, undefined);
    assert.equal(walker.step(), true);
    const snapshot = walker.latest!;
    assert.equal(snapshot.pass, 1);
    assert.equal(snapshot.visited, 10);
    assert.deepEqual(snapshot.byStatus, {
      running: 0,
      runnable: 0,
      waiting: 5,
      suspended: 5,
      exiting: 0,
    });
    const byQueue = snapshot.rankings.messageQueueLength;
    // Ties go to the older process, in both orders.
    assert.deepEqual(byQueue.desc.slice(0, 5).map((p) => p.pid), [
      pids[1],
      pids[3],
      pids[0],
      pids[4],
      pids[2],
    ]);
    assert.deepEqual(byQueue.desc.map((p) => p.summary.messageQueueLength), [
      7,
      7,
      3,
      1,
      0,
      0,
      0,
      0,
      0,
      0,
    ]);
    assert.deepEqual(byQueue.asc.map((p) => p.pid), [
      pids[2],
      ...idlers,
      pids[4],
      pids[0],
      pids[1],
      pids[3],
    ]);
    for (const attribute of PROCESS_ATTRIBUTES) {
      for (const order of ["asc", "desc"] as const) {
        const ranking = snapshot.rankings[attribute][order];
        assert.equal(ranking.length, 10, `${attribute} ${order}`);
        for (let i = 1; i < ranking.length; i++) {
          const [a, b] = [ranking[i - 1].summary[attribute], ranking[i].summary[attribute]];
          assert.ok(order === "desc" ? a >= b : a <= b, `${attribute} ${order} at ${i}`);
        }
      }
    }
    assert.ok(Object.isFrozen(snapshot) && Object.isFrozen(byQueue.desc));
    t.dispose();
  });

  it("keeps rankDepth processes per ranking, and counts them all", async () => {
    const t = createTestSystem();
    await queued(t, [1, 2, 3, 4, 5, 6]);
    const three = new ProcessTableWalker(t.system, { schedule: "manual", rankDepth: 3 });
    const snapshot = three.refresh();
    assert.equal(snapshot.rankDepth, 3);
    assert.equal(snapshot.visited, 6);
    const byQueue = snapshot.rankings.messageQueueLength;
    assert.deepEqual(byQueue.desc.map((p) => p.summary.messageQueueLength), [6, 5, 4]);
    assert.deepEqual(byQueue.asc.map((p) => p.summary.messageQueueLength), [1, 2, 3]);
    const none = new ProcessTableWalker(t.system, { schedule: "manual", rankDepth: 0 });
    assert.equal(none.refresh().rankings.reductions.desc.length, 0);
    assert.equal(none.latest!.byStatus.suspended, 6);
    t.dispose();
  });

  it("ends a chunk once chunkBudgetMs of the system clock passed, checked every 32 processes", async () => {
    const t = createTestSystem();
    for (let i = 0; i < 100; i++) await t.start(idle);
    costly(t, 0.01); // 32 processes: 0.32 ms
    const walker = new ProcessTableWalker(t.system, {
      schedule: "manual",
      chunkSize: 1000,
      chunkBudgetMs: 0.5,
    });
    assert.equal(walker.step(), false);
    // 64 processes read: the check after 32 (0.32 ms) let it go on, the one after 64 (0.64 ms) stopped it.
    assert.ok(t.clock.now() >= 0.63 && t.clock.now() < 0.65, String(t.clock.now()));
    assert.equal(walker.latest, undefined);
    assert.equal(walker.step(), true); // the 36 left, then the end of the table
    assert.equal(walker.latest!.visited, 100);
    t.dispose();
  });

  it("starts on the first read, not before; the read holds the host until its pass is done", async () => {
    const t = createTestSystem();
    await queued(t, [2]);
    const { schedule, planned } = recordingScheduler();
    const walker = new ProcessTableWalker(t.system, { schedule, chunkSize: 1 });
    assert.equal(planned.length, 0);
    assert.equal(walker.active, false);

    const read = walker.snapshot();
    assert.equal(walker.active, true);
    assert.deepEqual(pending(planned).map((c) => [c.delayMs, c.hold]), [[0, true]]);
    runNext(planned); // reads the process
    assert.equal(await settledNow(read), false);
    assert.deepEqual(pending(planned).map((c) => [c.delayMs, c.hold]), [[0, true]]);
    runNext(planned); // finds the end of the table
    const snapshot = await read;
    assert.equal(snapshot.visited, 1);
    // The next pass is planned a second after this one began, without holding the host.
    assert.deepEqual(pending(planned).map((c) => [c.delayMs, c.hold]), [[1000, false]]);
    walker.close();
    t.dispose();
  });

  it("serves the last pass at once while it runs, and refreshes at most once per intervalMs", async () => {
    const t = createTestSystem();
    const [pid] = await queued(t, [1]);
    const { schedule, planned } = recordingScheduler();
    const walker = new ProcessTableWalker(t.system, { schedule, intervalMs: 500 });
    const first = walker.snapshot();
    runNext(planned);
    assert.equal((await first).pass, 1);

    t.system.cast(pid, "more");
    t.clock.advance(200);
    const again = await walker.snapshot();
    assert.equal(again.pass, 1); // no new pass before the interval
    assert.equal(again.rankings.messageQueueLength.desc[0].summary.messageQueueLength, 1);
    assert.deepEqual(pending(planned).map((c) => c.delayMs), [500]);

    t.clock.advance(300);
    runNext(planned);
    const next = await walker.snapshot();
    assert.equal(next.pass, 2);
    assert.equal(next.startedAt, 500);
    assert.equal(next.rankings.messageQueueLength.desc[0].summary.messageQueueLength, 2);
    walker.close();
    t.dispose();
  });

  it("spends at most a tenth of the time walking: a pass waits nine times the last one's cost", async () => {
    const t = createTestSystem();
    for (let i = 0; i < 10; i++) await t.start(idle);
    costly(t, 20); // 10 processes: 200 ms of work
    const { schedule, planned } = recordingScheduler();
    const walker = new ProcessTableWalker(t.system, { schedule, intervalMs: 1000 });
    const read = walker.snapshot();
    runNext(planned);
    await read;
    assert.deepEqual(pending(planned).map((c) => c.delayMs), [1800]);
    walker.close();
    t.dispose();
  });

  it("stops after a pass that ends idleStopMs after the last read; a later read starts it again", async () => {
    const t = createTestSystem();
    const [pid] = await queued(t, [1]);
    const { schedule, planned } = recordingScheduler();
    const walker = new ProcessTableWalker(t.system, {
      schedule,
      intervalMs: 1000,
      idleStopMs: 3000,
    });
    const read = walker.snapshot();
    runNext(planned);
    await read;
    for (let pass = 2; pass <= 3; pass++) {
      t.clock.advance(1000);
      runNext(planned);
      assert.equal(walker.latest!.pass, pass);
    }
    assert.equal(pending(planned).length, 1);
    t.clock.advance(1000); // 3000 ms since the read
    runNext(planned);
    assert.equal(walker.latest!.pass, 4);
    assert.equal(walker.active, false);
    assert.deepEqual(pending(planned), []);

    // Stale (older than intervalMs) and stopped: the read waits for a fresh pass.
    t.system.cast(pid, "more");
    t.clock.advance(5000);
    const stale = walker.snapshot();
    assert.equal(await settledNow(stale), false);
    assert.deepEqual(pending(planned).map((c) => [c.delayMs, c.hold]), [[0, true]]);
    runNext(planned);
    const fresh = await stale;
    assert.equal(fresh.pass, 5);
    assert.equal(fresh.rankings.messageQueueLength.desc[0].summary.messageQueueLength, 2);
    walker.close();
    t.dispose();
  });

  it("serves a stopped walker's last pass when it ended within intervalMs, else waits", async () => {
    const t = createTestSystem();
    await queued(t, [1]);
    const walker = new ProcessTableWalker(t.system, { schedule: "manual", intervalMs: 1000 });
    walker.refresh();
    assert.equal(walker.active, false);
    t.clock.advance(1000);
    assert.equal(await settledNow(walker.snapshot()), true);

    const stale = new ProcessTableWalker(t.system, { schedule: "manual", intervalMs: 1000 });
    stale.refresh();
    t.clock.advance(1001);
    const waiting = stale.snapshot();
    assert.equal(await settledNow(waiting), false);
    stale.step();
    assert.equal((await waiting).pass, 2);
    t.dispose();
  });

  it("holds the host for a read that waits, even when a chunk was planned without holding", async () => {
    const t = createTestSystem();
    await queued(t, [1]);
    const { schedule, planned } = recordingScheduler();
    const walker = new ProcessTableWalker(t.system, { schedule, idleStopMs: 0 });
    walker.refresh();
    await walker.snapshot(); // fresh: served at once, and starts the walker in the background
    assert.deepEqual(pending(planned).map((c) => c.hold), [false]);
    walker.step(); // a pass ends with no read since: the walker stops, its chunk still planned
    assert.equal(walker.active, false);
    t.clock.advance(2000);
    const waiting = walker.snapshot();
    assert.deepEqual(pending(planned).map((c) => [c.delayMs, c.hold]), [[0, true]]);
    runNext(planned);
    assert.equal((await waiting).pass, 3);
    walker.close();
    t.dispose();
  });

  it("reads at most twice the last pass's processes (plus a chunk) while the table grows", async () => {
    const t = createTestSystem();
    for (let i = 0; i < 10; i++) await t.start(idle);
    const walker = new ProcessTableWalker(t.system, { schedule: "manual", chunkSize: 1 });
    assert.equal(walker.refresh().visited, 10);
    assert.equal(walker.step(), false); // pass 2 under way
    for (let i = 0; i < 30; i++) await t.start(idle);
    let chunks = 0;
    while (!walker.step()) chunks++;
    assert.equal(walker.latest!.visited, 21); // 2 × 10 + 1
    assert.equal(chunks, 20);
    t.dispose();
  });

  it("skips processes that exit before the pass reaches them, and reads those started meanwhile", async () => {
    const t = createTestSystem();
    const pids = [];
    for (let i = 0; i < 4; i++) pids.push(await t.start(idle));
    const walker = new ProcessTableWalker(t.system, { schedule: "manual", chunkSize: 2 });
    walker.step();
    t.system.exit(pids[3], "kill");
    await t.runUntilIdle();
    const late = await t.start(idle);
    while (!walker.step());
    const seen = walker.latest!.rankings.reductions.asc.map((p) => p.pid);
    assert.equal(walker.latest!.visited, 4);
    assert.ok(seen.includes(late));
    assert.ok(!seen.includes(pids[3]));
    t.dispose();
  });

  it("on close: cancels its chunk, fails waiting reads without a pass, serves the last pass after", async () => {
    const t = createTestSystem();
    await queued(t, [1]);
    const { schedule, planned } = recordingScheduler();
    const walker = new ProcessTableWalker(t.system, { schedule });
    const waiting = walker.snapshot();
    walker.close();
    assert.equal(walker.closed, true);
    assert.deepEqual(pending(planned), []);
    await assert.rejects(waiting, WalkerClosedError);
    await assert.rejects(walker.snapshot(), WalkerClosedError);
    assert.throws(() => walker.refresh(), WalkerClosedError);
    assert.equal(walker.step(), false);

    const controller = new AbortController();
    const kept = new ProcessTableWalker(t.system, { schedule, signal: controller.signal });
    const read = kept.snapshot();
    runNext(planned);
    const last = await read;
    t.clock.advance(500);
    const late = kept.snapshot(); // active: served at once
    controller.abort();
    assert.equal(kept.closed, true);
    assert.equal(await late, last);
    t.clock.advance(60_000);
    assert.equal(await kept.snapshot(), last);
    assert.deepEqual(pending(planned), []);
    assert.equal(new ProcessTableWalker(t.system, { signal: AbortSignal.abort() }).closed, true);
    t.dispose();
  });

  it("answers a read on host timers with nothing else keeping the host alive", async () => {
    const system = new System({ logger: null });
    for (let i = 0; i < 3; i++) await system.start(idle);
    const walker = new ProcessTableWalker(system, { chunkSize: 1 });
    const snapshot = await walker.snapshot(); // would never settle on an unref'd timer
    assert.equal(snapshot.visited, 3);
    walker.close();
    system.shutdown();
  });

  it("refuses bad options with named errors", () => {
    const system = new System({ logger: null });
    const bad: [unknown, ErrorConstructor][] = [
      [{ chunkSize: 0 }, RangeError],
      [{ chunkSize: 1.5 }, RangeError],
      [{ chunkSize: 2 ** 21 }, RangeError],
      [{ chunkBudgetMs: 0 }, RangeError],
      [{ chunkBudgetMs: Infinity }, RangeError],
      [{ rankDepth: -1 }, RangeError],
      [{ rankDepth: 100_001 }, RangeError],
      [{ intervalMs: -1 }, RangeError],
      [{ intervalMs: NaN }, RangeError],
      [{ idleStopMs: "10" }, RangeError],
      [{ schedule: "auto" }, TypeError],
      [{ signal: {} }, TypeError],
      [null, TypeError],
    ];
    for (const [options, type] of bad) {
      assert.throws(
        () => new ProcessTableWalker(system, options as ProcessTableWalkerOptions),
        type,
        JSON.stringify(options),
      );
    }
    assert.throws(() => new ProcessTableWalker({} as System), TypeError);
    system.shutdown();
  });
});
