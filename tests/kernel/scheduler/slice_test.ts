/**
 * When the scheduler looks at the clock (`src/kernel/scheduler/slice.ts`): a run of slow
 * handlers yields after each one, fast handlers share a clock read, and a
 * process known to be slow is checked after each of its messages. Time is a
 * clock the handlers move themselves, so nothing here depends on the
 * machine's speed.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { type GenServer, noreply, ok } from "../../../src/gen_server.ts";
import type { Pid } from "../../../src/pid.ts";
import { BEAMLET_EVENTS } from "../../../src/telemetry/beamlet_events.ts";
import { MAX_SPAN } from "../../../src/kernel/scheduler/slice.ts";
import { collecting, ManualClock } from "../../_helpers.ts";

/** A server whose every cast moves the shared clock by `ms` (as a handler that long would). */
function working(
  clock: ManualClock,
  ms: number,
  handled: string[],
  tag: string,
): GenServer<null, undefined> {
  return {
    init: () => ok(null),
    handleCast: (_m, state) => {
      clock.advance(ms);
      handled.push(tag);
      return noreply(state);
    },
  };
}

/** Messages handled per slice that ended by yielding to the host. */
function yieldingSlices(system: ReturnType<typeof collecting>["system"]) {
  const slices: number[] = [];
  system.telemetry.attach("slices", BEAMLET_EVENTS.schedulerSlice, (_e, m, meta) => {
    if (meta.reason === "yield") slices.push(m.messages as number);
  });
  return slices;
}

async function drained(system: ReturnType<typeof collecting>["system"], pid: Pid, count: number) {
  while ((system.processInfo(pid)?.reductions ?? 0) < count + 1) {
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
}

describe("the time slice", () => {
  it("100 queued 10 ms handlers: the scheduler yields to the host after each one", async () => {
    const clock = new ManualClock();
    const { system } = collecting({ clock, timeSliceMs: 5 });
    const slices = yieldingSlices(system);
    const handled: string[] = [];
    const pid = await system.start(working(clock, 10, handled, "slow"), undefined);
    for (let i = 0; i < 100; i++) system.cast(pid, i);
    await drained(system, pid, 100);
    assert.equal(handled.length, 100);
    assert.ok(slices.length >= 99, `${slices.length} yields for 100 slow handlers`);
    assert.ok(slices.every((messages) => messages === 1), `messages per slice: ${slices}`);
    system.shutdown();
  });

  it(`fast handlers share a clock read: the span grows to ${MAX_SPAN} messages`, async () => {
    const clock = new ManualClock();
    let reads = 0;
    const counting = { now: () => (reads++, clock.now()) };
    const { system } = collecting({ clock: counting, timeSliceMs: 5 });
    const handled: string[] = [];
    const pid = await system.start(working(clock, 0, handled, "fast"), undefined);
    for (let i = 0; i < 10_000; i++) system.cast(pid, i);
    reads = 0;
    await drained(system, pid, 10_000);
    assert.ok(reads < 10_000 / MAX_SPAN + 50, `${reads} clock reads for 10,000 fast messages`);
    system.shutdown();
  });

  it("a process known to be slow is checked after each message even among fast neighbours", async () => {
    const clock = new ManualClock();
    const { system } = collecting({ clock, timeSliceMs: 5 });
    const slices = yieldingSlices(system);
    const handled: string[] = [];
    const slow = await system.start(working(clock, 3, handled, "slow"), undefined);
    const fast = await system.start(working(clock, 0, handled, "fast"), undefined);
    for (let i = 0; i < 20; i++) {
      system.cast(slow, i);
      system.cast(fast, i);
    }
    await drained(system, slow, 20);
    await drained(system, fast, 20);
    // 3 ms each: no slice may hold more than two slow handlers (6 ms > 5 ms).
    let run = 0;
    for (const tag of handled) {
      if (tag === "slow") run++;
      assert.ok(run <= 2 || slices.length > 0, "slow handlers kept running past the slice");
    }
    assert.ok(slices.length >= 9, `${slices.length} yields`);
    system.shutdown();
  });
});
