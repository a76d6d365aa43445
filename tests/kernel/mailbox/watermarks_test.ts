/**
 * Queue-length watermarks (`src/kernel/mailbox/watermarks.ts`): reaching
 * `high` emits `level: "high"` once, falling back to `low` emits
 * `level: "low"` once, and a queue hovering between the two emits nothing
 * more (hysteresis). Manual scheduling: the queue moves only when the test
 * lets the worker run.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { MAILBOX_WATERMARK } from "../../../src/telemetry/catalog/mailbox_events.ts";
import { BEAMLET_EVENTS } from "../../../src/telemetry/beamlet_events.ts";
import { assertNothingLeft, handled, manual, startManual } from "../../_helpers.ts";
import { GATE, settle, worker, workLog } from "./_flow_fixtures.ts";

interface Crossing {
  level: string;
  length: number;
  high: number;
  low: number;
  name: string | undefined;
}

describe("mailbox watermarks", () => {
  it("high once at high, low once back at low, nothing while hovering between", async () => {
    const { system, clock } = manual();
    const crossings: Crossing[] = [];
    system.telemetry.attach("watermarks", MAILBOX_WATERMARK, (_event, m, meta) => {
      crossings.push({
        level: meta.level,
        length: m.length,
        high: meta.high,
        low: meta.low,
        name: meta.name,
      });
    });
    const log = workLog();
    const pid = await startManual(system, worker(clock, log), undefined, {
      name: "w",
      mailbox: { watermarks: { high: 10, low: 3 } },
    });
    const level = () => system.processInfo(pid)!.mailbox.watermark;
    assert.equal(level(), "low");

    system.cast(pid, GATE);
    await settle(system); // held on the gate, its queue empty
    for (let i = 0; i < 6; i++) system.cast(pid, i);
    system.cast(pid, GATE);
    for (let i = 0; i < 2; i++) system.cast(pid, i);
    assert.equal(crossings.length, 0, "9 queued: below high");
    system.cast(pid, 9);
    assert.deepEqual(crossings, [{ level: "high", length: 10, high: 10, low: 3, name: "w" }]);
    for (let i = 0; i < 3; i++) system.cast(pid, i);
    assert.equal(crossings.length, 1, "above high: no second event");
    assert.equal(level(), "high");

    // Handles 6 casts and stops at the second gate: 6 left, above low.
    log.gate!.resolve();
    await settle(system);
    assert.equal(system.processInfo(pid)!.messageQueueLength, 6);
    assert.equal(crossings.length, 1, "down to 6: still above low");
    for (let i = 0; i < 6; i++) system.cast(pid, i);
    assert.equal(crossings.length, 1, "back up to 12: high was told already");

    log.gate!.resolve();
    await settle(system);
    assert.deepEqual(crossings.slice(1), [
      { level: "low", length: 3, high: 10, low: 3, name: "w" },
    ], "drained: low once, at 3");
    assert.equal(level(), "low");

    for (let i = 0; i < 10; i++) system.cast(pid, i);
    assert.deepEqual(crossings.map((c) => c.level), ["high", "low", "high"]);
    await settle(system);
    assert.deepEqual(crossings.map((c) => c.level), ["high", "low", "high", "low"]);
    assert.equal(log.handled.length, 6 + 2 + 1 + 3 + 6 + 10);
    system.shutdown();
  });

  it("counts runtime messages in the length, as the queue holds them", async () => {
    const { system, clock } = manual();
    const levels: string[] = [];
    system.telemetry.attach("w", BEAMLET_EVENTS.mailboxWatermark, (_e, _m, meta) => {
      levels.push(meta.level);
    });
    const log = workLog();
    const pid = await startManual(system, worker(clock, log), undefined, {
      mailbox: { watermarks: { high: 2, low: 1 } },
    });
    system.cast(pid, "a");
    const stopped = system.stop(pid);
    await Promise.resolve(); // told in a microtask: a runtime message reached it
    assert.deepEqual(levels, ["high"]);
    await settle(system);
    await stopped;
    assert.deepEqual(levels, ["high", "low"]);
    system.shutdown();
  });

  it("a handler that sends cannot take over the slot of the message being taken out", async () => {
    const { system, clock } = manual();
    const log = workLog();
    const otherLog = workLog();
    const other = await startManual(system, worker(clock, otherLog));
    const pid = await startManual(system, worker(clock, log), undefined, {
      mailbox: { watermarks: { high: 4, low: 2 } },
    });
    system.telemetry.attach("send", MAILBOX_WATERMARK, (_e, _m, meta) => {
      // The slot freed last is the first a send reuses.
      for (let i = 0; i < 3; i++) system.cast(other, `${meta.level} ${i}`);
    });
    for (let i = 0; i < 6; i++) system.cast(pid, i);
    await settle(system);
    assert.deepEqual(log.handled, [0, 1, 2, 3, 4, 5]);
    assert.deepEqual(otherLog.handled, ["high 0", "high 1", "high 2", "low 0", "low 1", "low 2"]);
    system.shutdown();
  });

  it("a handler that kills the process ends its run: the message taken out is not handled", async () => {
    const { system, clock, reports } = manual();
    const log = workLog();
    const pid = await startManual(system, worker(clock, log), undefined, {
      mailbox: { watermarks: { high: 4, low: 2 } },
    });
    system.telemetry.attach("kill", MAILBOX_WATERMARK, (_e, _m, meta) => {
      if (meta.level === "low") system.exit(pid, "kill");
    });
    for (let i = 0; i < 6; i++) system.cast(pid, i);
    await settle(system);
    assert.deepEqual(log.handled, [0, 1, 2], "3 was taken out as the queue fell to 2");
    assert.equal(system.isAlive(pid), false);
    assert.deepEqual(reports, []);
    assertNothingLeft(system);
    system.shutdown();
  });

  it("a handler that kills the server at its high mark cannot strand the call that reached it", async () => {
    const { system, clock } = manual();
    const log = workLog();
    const pid = await startManual(system, worker(clock, log), undefined, {
      mailbox: { watermarks: { high: 2, low: 1 } },
    });
    system.telemetry.attach("kill", MAILBOX_WATERMARK, (_e, _m, meta) => {
      if (meta.level === "high") system.exit(meta.pid, "kill");
    });
    system.cast(pid, "a");
    const call = handled(system.call(pid, "b", { timeout: Infinity }));
    await Promise.resolve(); // the event, told in a microtask: the server is killed
    assert.equal(system.isAlive(pid), false);
    await settle(system);
    await assert.rejects(call, (error: Error) => error.name === "ExitError");
    assert.deepEqual(log.handled, []);
    assert.equal(system.isAlive(pid), false);
    assertNothingLeft(system);
    system.shutdown();
  });

  it("a process without watermarks says so, and emits nothing", async () => {
    const { system, clock } = manual();
    let events = 0;
    system.telemetry.attach("w", MAILBOX_WATERMARK, () => void events++);
    const pid = await startManual(system, worker(clock, workLog()));
    for (let i = 0; i < 100; i++) system.cast(pid, i);
    await settle(system);
    const mailbox = system.processInfo(pid)!.mailbox;
    assert.equal(mailbox.watermark, undefined);
    assert.equal(mailbox.shed, 0);
    assert.equal(events, 0);
    system.shutdown();
  });

  it("watermarks with a bound: high may equal the bound, and drop_oldest keeps it high", async () => {
    const { system, clock } = manual();
    const levels: string[] = [];
    system.telemetry.attach("w", MAILBOX_WATERMARK, (_e, _m, meta) => void levels.push(meta.level));
    const log = workLog();
    const pid = await startManual(system, worker(clock, log), undefined, {
      mailbox: { bound: 4, overflow: "drop_oldest", watermarks: { high: 4, low: 1 } },
    });
    for (let i = 0; i < 40; i++) system.cast(pid, i);
    assert.deepEqual(levels, ["high"]);
    await settle(system);
    assert.deepEqual(levels, ["high", "low"]);
    assert.deepEqual(log.handled, [36, 37, 38, 39]);
    system.shutdown();
  });
});
