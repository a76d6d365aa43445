/**
 * One history sample: the scheduler's counters and the process count of
 * the system, and the p99 of each call latency from the observer's
 * `callLatencies()` when it has it (nulls otherwise, or when it throws or
 * answers garbage).
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { callLatencyP99, historyReader } from "../../src/http/_history_reading.ts";
import { SystemObserver } from "../../src/observe/system_observer.ts";
import { System } from "../../src/system.ts";
import { echo } from "./_fixtures.ts";

const summary = (p99: number) => ({ count: 3, p50: 1, p95: 2, p99, max: 9 });

describe("history reading", () => {
  it("reads the p99 of each call latency when the observer keeps them", () => {
    const fake = (value: unknown) => ({ callLatencies: () => value }) as unknown as SystemObserver;
    assert.deepEqual(
      callLatencyP99(fake({ queued: summary(4), handling: null, roundTrip: summary(7.5) })),
      { queued: 4, handling: null, roundTrip: 7.5 },
    );
    const none = { queued: null, handling: null, roundTrip: null };
    assert.deepEqual(callLatencyP99({} as SystemObserver), none);
    assert.deepEqual(callLatencyP99(fake(null)), none);
    assert.deepEqual(callLatencyP99(fake({ queued: { p99: NaN }, handling: "x" })), none);
    const throwing = {
      callLatencies: () => {
        throw new Error("closed");
      },
    } as unknown as SystemObserver;
    assert.deepEqual(callLatencyP99(throwing), none);
  });

  it("reads the system's counters", async () => {
    const system = new System({ logger: null });
    const observer = new SystemObserver(system);
    try {
      const pid = (await system.start(echo))!;
      for (let i = 0; i < 3; i++) await system.call(pid, i);
      const reading = historyReader(system, observer)();
      assert.equal(reading.processes, 1);
      assert.ok(reading.messages >= 3);
      assert.deepEqual(Object.keys(reading.runQueue).sort(), ["high", "low", "normal"]);
      assert.equal(typeof reading.utilization, "number");
      assert.ok(reading.memoryBytes === null || reading.memoryBytes > 0);
    } finally {
      observer.close();
      system.shutdown();
    }
  });
});
