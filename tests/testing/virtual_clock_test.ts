import assert from "node:assert/strict";
import { test } from "node:test";
import { VirtualClock } from "../../src/testing/virtual_clock.ts";

test("VirtualClock starts where told and moves only when moved", () => {
  assert.equal(new VirtualClock().now(), 0);
  const clock = new VirtualClock(100);
  assert.equal(clock.now(), 100);
  assert.equal(clock.now(), 100);
  assert.equal(clock.advance(50), 150);
  assert.equal(clock.advance(0), 150);
  clock.set(150);
  clock.set(1000.5);
  assert.equal(clock.now(), 1000.5);
});

test("VirtualClock never goes backwards", () => {
  const clock = new VirtualClock(10);
  assert.throws(() => clock.set(9), RangeError);
  assert.throws(() => clock.advance(-1), RangeError);
  assert.equal(clock.now(), 10);
});

test("VirtualClock rejects non-finite times", () => {
  const clock = new VirtualClock();
  assert.throws(() => clock.advance(Infinity), RangeError);
  assert.throws(() => clock.advance(NaN), RangeError);
  assert.throws(() => clock.set(Infinity), RangeError);
  assert.throws(() => clock.set("5" as unknown as number), RangeError);
  assert.throws(() => new VirtualClock(NaN), RangeError);
  assert.equal(clock.now(), 0);
});
