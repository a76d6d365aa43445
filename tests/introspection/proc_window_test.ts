/**
 * procWindow: growth over a window of the system's (virtual) clock; the dead
 * left out, the newborn counted from 0; bad arguments rejected.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { procWindow, UnknownAttributeError } from "../../src/introspection/mod.ts";
import { createTestSystem } from "../../src/testing/test_system.ts";
import { counter, isSettled } from "./_fixtures.ts";

describe("procWindow", () => {
  it("ranks by reductions done during the window, not before", async () => {
    const t = createTestSystem();
    const veteran = await t.start(counter);
    const busy = await t.start(counter);
    const quiet = await t.start(counter);
    for (let i = 0; i < 50; i++) t.system.cast(veteran, i); // before the window
    await t.runUntilIdle();
    const window = procWindow(t.system, "reductions", 3, 1000);
    for (let i = 0; i < 2; i++) t.system.cast(veteran, i);
    for (let i = 0; i < 5; i++) t.system.cast(busy, i);
    await t.advance(1000);
    const top = await window;
    assert.deepEqual(top.map((r) => [r.pid, r.value]), [[busy, 5], [veteran, 2], [quiet, 0]]);
    assert.equal(top[1].info.reductions, t.system.processInfo(veteran)!.reductions);
    t.dispose();
  });

  it("waits ms on the system clock: not settled a millisecond early", async () => {
    const t = createTestSystem();
    await t.start(counter);
    const window = procWindow(t.system, "reductions", 1, 500);
    await t.advance(499);
    assert.equal(await isSettled(window), false);
    await t.advance(1);
    assert.equal(await isSettled(window), true);
    assert.equal((await window).length, 1);
    assert.equal(t.system.tableSizes().timers, 0);
    t.dispose();
  });

  it("leaves out processes that died and counts newborns from 0", async () => {
    const t = createTestSystem();
    const doomed = await t.start(counter);
    const survivor = await t.start(counter);
    for (let i = 0; i < 100; i++) t.system.cast(doomed, i);
    await t.runUntilIdle();
    const window = procWindow(t.system, "reductions", 10, 100);
    t.system.cast(survivor, "a");
    t.system.exit(doomed, "kill");
    await t.runUntilIdle();
    const newborn = await t.start(counter);
    for (let i = 0; i < 3; i++) t.system.cast(newborn, i);
    await t.advance(100);
    const top = await window;
    const born = t.system.processInfo(newborn)!.reductions; // init and its 3 casts
    assert.ok(born >= 3);
    assert.deepEqual(top.map((r) => [r.pid, r.value]), [[newborn, born], [survivor, 1]]);
    assert.ok(!top.some((r) => r.pid === doomed));
    t.dispose();
  });

  it("takes differences for queue length (a drained queue is negative) and age", async () => {
    const t = createTestSystem();
    const draining = await t.start(counter);
    const filling = await t.start(counter);
    t.system.suspend(draining);
    for (let i = 0; i < 4; i++) t.system.cast(draining, i);
    const queues = procWindow(t.system, "messageQueueLength", 2, 10);
    t.system.resume(draining);
    t.system.suspend(filling);
    for (let i = 0; i < 6; i++) t.system.cast(filling, i);
    await t.advance(10);
    assert.deepEqual((await queues).map((r) => [r.pid, r.value]), [[filling, 6], [draining, -4]]);

    const ages = procWindow(t.system, "oldestMessageAgeMs", 1, 30);
    await t.advance(30);
    assert.deepEqual((await ages).map((r) => [r.pid, r.value]), [[filling, 30]]);
    t.dispose();
  });

  it("rejects bad arguments without waiting or leaving a timer", async () => {
    const t = createTestSystem();
    await t.start(counter);
    const refusals: [string, unknown, unknown, unknown, (e: unknown) => boolean][] = [
      ["n < 0", "reductions", -1, 10, (e) => e instanceof RangeError],
      ["n NaN", "reductions", NaN, 10, (e) => e instanceof RangeError],
      ["ms < 0", "reductions", 1, -1, (e) => e instanceof RangeError],
      ["ms NaN", "reductions", 1, NaN, (e) => e instanceof RangeError],
      ["ms Infinity", "reductions", 1, Infinity, (e) => e instanceof RangeError],
      ["attribute", "heap", 1, 10, (e) => e instanceof UnknownAttributeError],
    ];
    for (const [what, attribute, n, ms, expected] of refusals) {
      const window = procWindow(t.system, attribute as "reductions", n as number, ms as number);
      assert.equal(await isSettled(window), true, what);
      await assert.rejects(window, expected, what);
    }
    assert.equal(t.system.tableSizes().timers, 0);
    t.dispose();
  });
});
