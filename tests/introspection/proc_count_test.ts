/**
 * procCount: the top n processes by an attribute, largest first, with a
 * bounded summary; bad n and unknown attributes refused.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import {
  procCount,
  PROCESS_ATTRIBUTES,
  UnknownAttributeError,
} from "../../src/introspection/mod.ts";
import { createTestSystem } from "../../src/testing/test_system.ts";
import { counter, idle } from "./_fixtures.ts";

describe("procCount", () => {
  it("ranks by message queue length, largest first, with a summary", async () => {
    const t = createTestSystem();
    const a = await t.start(counter, undefined, { name: "a" });
    const b = await t.start(counter);
    const c = await t.start(counter, undefined, { name: "c" });
    for (const [pid, n] of [[a, 3], [b, 7], [c, 5]] as const) {
      t.system.suspend(pid);
      for (let i = 0; i < n; i++) t.system.cast(pid, i);
    }
    const top = procCount(t.system, "messageQueueLength", 2);
    assert.deepEqual(top.map((r) => [r.pid, r.value]), [[b, 7], [c, 5]]);
    assert.equal(top[1].name, "c");
    assert.equal(top[0].name, undefined);
    assert.deepEqual(top[1].info, {
      name: "c",
      status: "suspended",
      currentCallback: undefined,
      messageQueueLength: 5,
      reductions: t.system.processInfo(c)!.reductions,
      memoryBytes: t.system.processInfo(c)!.memoryBytes,
      oldestMessageAgeMs: 0,
      busyMs: t.system.processInfo(c)!.busyMs,
      longCallbacks: 0,
    });
    assert.deepEqual(procCount(t.system, "messageQueueLength", 10).map((r) => r.pid), [b, c, a]);
    assert.deepEqual(procCount(t.system, "messageQueueLength", 0), []);
    t.dispose();
  });

  it("ranks by reductions (messages handled)", async () => {
    const t = createTestSystem();
    const a = await t.start(counter);
    const b = await t.start(counter);
    for (let i = 0; i < 4; i++) t.system.cast(a, i);
    for (let i = 0; i < 9; i++) t.system.cast(b, i);
    await t.runUntilIdle();
    const top = procCount(t.system, "reductions", 2);
    assert.deepEqual(top.map((r) => r.pid), [b, a]);
    assert.deepEqual(
      top.map((r) => r.value),
      [b, a].map((p) => t.system.processInfo(p)!.reductions),
    );
    assert.equal(top[0].value - top[1].value, 5);
    t.dispose();
  });

  it("ranks by the age of the oldest queued message, on the virtual clock", async () => {
    const t = createTestSystem();
    const early = await t.start(counter);
    const late = await t.start(counter);
    const empty = await t.start(counter);
    t.system.suspend(early);
    t.system.suspend(late);
    t.system.cast(early, "x");
    await t.advance(60);
    t.system.cast(late, "y");
    await t.advance(40);
    const top = procCount(t.system, "oldestMessageAgeMs", 3);
    assert.deepEqual(top.map((r) => [r.pid, r.value]), [[early, 100], [late, 40], [empty, 0]]);
    t.dispose();
  });

  it("ranks by estimated memory: links and monitors cost", async () => {
    const t = createTestSystem();
    const plain = await t.start(idle);
    const watched = await t.start(idle);
    for (let i = 0; i < 3; i++) t.system.monitor(watched, () => {});
    const top = procCount(t.system, "memoryBytes", 2);
    assert.deepEqual(top.map((r) => r.pid), [watched, plain]);
    assert.equal(top[0].value, t.system.processInfo(watched)!.memoryBytes);
    assert.ok(top[0].value > top[1].value);
    t.dispose();
  });

  it("breaks ties by age: the older process first", async () => {
    const t = createTestSystem();
    const pids = [];
    for (let i = 0; i < 5; i++) pids.push(await t.start(idle));
    assert.deepEqual(procCount(t.system, "messageQueueLength", 5).map((r) => r.pid), pids);
    assert.deepEqual(
      procCount(t.system, "messageQueueLength", 2).map((r) => r.pid),
      pids.slice(0, 2),
    );
    t.dispose();
  });

  it("skips dead processes and returns [] for an empty system", async () => {
    const t = createTestSystem();
    assert.deepEqual(procCount(t.system, "reductions", 3), []);
    const pid = await t.start(idle);
    t.system.exit(pid, "kill");
    await t.runUntilIdle();
    assert.deepEqual(procCount(t.system, "reductions", 3), []);
    t.dispose();
  });

  it("selects the same top n as a full sort (property)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.nat(6), { minLength: 1, maxLength: 8 }),
        fc.nat(10),
        async (lengths, n) => {
          const t = createTestSystem();
          try {
            for (const length of lengths) {
              const pid = await t.start(counter);
              t.system.suspend(pid);
              for (let i = 0; i < length; i++) t.system.cast(pid, i);
            }
            const all = t.system.processes().map((pid) => ({
              pid,
              value: t.system.processInfo(pid)!.messageQueueLength,
            }));
            all.sort((x, y) => y.value - x.value || x.pid.serial - y.pid.serial);
            const top = procCount(t.system, "messageQueueLength", n);
            assert.deepEqual(
              top.map((r) => [r.pid, r.value]),
              all.slice(0, n).map((r) => [r.pid, r.value]),
            );
          } finally {
            t.dispose();
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it("refuses a bad n with a RangeError", () => {
    const t = createTestSystem();
    for (const n of [-1, 1.5, NaN, Infinity, "3", undefined]) {
      assert.throws(
        () => procCount(t.system, "reductions", n as number),
        (error: unknown) =>
          error instanceof RangeError && /n must be an integer >= 0/.test(error.message),
        `n = ${String(n)}`,
      );
    }
    t.dispose();
  });

  it("refuses an unknown attribute with an UnknownAttributeError (a TypeError)", () => {
    const t = createTestSystem();
    for (const attribute of ["memory", "message_queue_len", undefined, 42]) {
      assert.throws(
        () => procCount(t.system, attribute as "reductions", 1),
        (error: unknown) =>
          error instanceof UnknownAttributeError && error instanceof TypeError &&
          error.name === "UnknownAttributeError" && error.attribute === attribute &&
          error.expected === PROCESS_ATTRIBUTES,
      );
    }
    t.dispose();
  });
});
