/** system.setTimer: callbacks on the system clock, cancellable, isolated. */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { assertNothingLeft, manual } from "./_helpers.ts";

describe("setTimer", () => {
  it("calls back once the system clock reaches the deadline, in deadline order", async () => {
    const { system, clock } = manual();
    const fired: string[] = [];
    system.setTimer(200, () => fired.push("b"));
    system.setTimer(100, () => fired.push("a"));
    clock.advance(99);
    await system.runUntilIdle();
    assert.deepEqual(fired, []);
    clock.advance(150);
    await system.runUntilIdle();
    assert.deepEqual(fired, ["a", "b"]);
    assertNothingLeft(system);
    system.shutdown();
  });

  it("cancelTimer returns the time left, and a cancelled callback never runs", async () => {
    const { system, clock } = manual();
    let ran = false;
    const ref = system.setTimer(500, () => (ran = true));
    clock.advance(100);
    assert.equal(system.cancelTimer(ref), 400);
    assert.equal(system.cancelTimer(ref), false);
    clock.advance(1000);
    await system.runUntilIdle();
    assert.equal(ran, false);
    assertNothingLeft(system);
    system.shutdown();
  });

  it("a throwing callback does not stop the others", async () => {
    const { system, clock } = manual();
    let later = false;
    system.setTimer(10, () => {
      throw new Error("bad callback");
    });
    system.setTimer(20, () => (later = true));
    clock.advance(30);
    await system.runUntilIdle();
    assert.equal(later, true);
    system.shutdown();
  });

  it("rejects bad delays and callbacks", () => {
    const { system } = manual();
    assert.throws(() => system.setTimer(-1, () => {}), RangeError);
    assert.throws(() => system.setTimer(Number.NaN, () => {}), RangeError);
    // @ts-expect-error: testing bad input from untyped callers
    assert.throws(() => system.setTimer(10, "not a function"), TypeError);
    system.shutdown();
  });
});
