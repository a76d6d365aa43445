/**
 * Call deadlines (`src/kernel/state/call_deadlines.ts`): one queue per
 * timeout value, swept by one timer. Each call still times out at its own
 * deadline, in deadline order across queues, whatever the order the calls
 * were made in and however many were answered meanwhile. Deterministic: a
 * test system on a virtual clock.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createTestSystem } from "../../../src/testing/test_system.ts";
import { CallTimeoutError } from "../../../src/errors.ts";
import { noreply, ok, reply } from "../../../mod.ts";

const silentOr = {
  init: () => ok(0),
  // "answer" is answered at once; anything else never is.
  handleCall: (request: string, _from: unknown, n: number) =>
    request === "answer" ? reply(n, n) : noreply(n),
};

describe("call deadlines", () => {
  it("calls with different timeouts each time out at their own deadline, in deadline order", async () => {
    const t = createTestSystem();
    const server = await t.start(silentOr);
    const order: number[] = [];
    const watch = (timeout: number) =>
      t.system.call(server, "wait", { timeout }).then(
        () => assert.fail("answered"),
        (error) => {
          assert.ok(error instanceof CallTimeoutError, String(error));
          order.push(timeout);
          return t.clock.now();
        },
      );
    const calls = [watch(300), watch(100), watch(200), watch(100)];
    await t.advance(99);
    assert.deepEqual(order, []);
    await t.advance(1);
    assert.deepEqual(order, [100, 100]);
    await t.advance(100);
    assert.deepEqual(order, [100, 100, 200]);
    await t.advance(100);
    assert.deepEqual(order, [100, 100, 200, 300]);
    assert.deepEqual(await Promise.all(calls), [300, 100, 200, 100]);
    assert.equal(t.system.tableSizes().calls, 0);
    t.dispose();
  });

  it("a pending call times out on time after thousands of answered calls with the same timeout", async () => {
    const t = createTestSystem();
    const server = await t.start(silentOr);
    let timedOutAt = -1;
    const pending = t.system.call(server, "wait", { timeout: 1000 }).catch(() => {
      timedOutAt = t.clock.now();
    });
    for (let round = 0; round < 10; round++) {
      const answered = [];
      for (let i = 0; i < 1000; i++) {
        answered.push(t.system.call(server, "answer", { timeout: 1000 }));
      }
      await t.runUntilIdle();
      await Promise.all(answered);
      await t.advance(50);
    }
    assert.equal(timedOutAt, -1);
    assert.equal(t.system.tableSizes().calls, 1);
    await t.advance(499);
    assert.equal(timedOutAt, -1);
    await t.advance(1);
    await pending;
    assert.equal(timedOutAt, 1000);
    assert.equal(t.system.tableSizes().calls, 0);
    assert.equal(t.system.tableSizes().timers, 0, "no timer left once nothing is pending");
    t.dispose();
  });
});
