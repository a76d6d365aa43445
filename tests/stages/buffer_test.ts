/**
 * The producer buffer: events beyond demand wait there, bounded by `size`;
 * overflow drops the oldest or the newest, every drop counted in StageInfo
 * and emitted as `beamlet.stage.dropped`; bad sizes crash init cleanly.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { type BufferOptions, defineStage } from "../../stages.ts";
import { EventBuffer } from "../../src/stages/_buffer.ts";
import { existingStageDirectory } from "../../src/stages/_stage_directory.ts";
import { STAGE_DROPPED } from "../../src/telemetry/catalog/stage_events.ts";
import { createTestSystem } from "../../src/testing/test_system.ts";
import { collector, manualSystem, newConsumerLog, startStage } from "./_fixtures.ts";

/** A producer that emits what it is cast, whatever the demand. */
const pusher = defineStage<null, number, BufferOptions | undefined>({
  type: "producer",
  init: (buffer) => ({ state: null, buffer }),
  handleDemand: (_demand, state) => ({ state }),
  handleCast: (events, state) => ({ events: events as number[], state }),
});

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

describe("producer buffer", () => {
  for (
    const [overflow, kept] of [["drop_oldest", range(5, 10)], ["drop_newest", range(0, 5)]] as const
  ) {
    it(`${overflow}: keeps ${kept.join(",")} of 0..9 with size 5, counts 5 drops`, async () => {
      const system = manualSystem();
      const drops: { count: number; reason: string }[] = [];
      system.telemetry.attach("t", STAGE_DROPPED, (_e, m, meta) => {
        drops.push({ count: m.count, reason: meta.reason });
      });
      const producer = await startStage(system, pusher, { size: 5, overflow });
      system.cast(producer, range(0, 4));
      system.cast(producer, range(4, 10));
      await system.runUntilIdle();
      const info = existingStageDirectory(system)!.list().find((s) => s.pid === producer)!;
      assert.equal(info.buffered, 5);
      assert.equal(info.bufferSize, 5);
      assert.equal(info.dropped, 5);
      assert.deepEqual(drops, [{ count: 5, reason: "buffer_full" }]);
      const log = newConsumerLog();
      await startStage(system, collector(log), [{ to: producer, maxDemand: 3, minDemand: 1 }]);
      await system.runUntilIdle();
      assert.deepEqual(log.events, kept);
      assert.ok(log.batches.every((b) => b.length <= 2));
      system.shutdown();
    });
  }

  it("10× its bound at once: exactly the excess dropped and counted, the producer still stoppable", async () => {
    const system = manualSystem();
    let reported = 0;
    system.telemetry.attach("t", STAGE_DROPPED, (_e, m) => void (reported += m.count));
    const producer = await startStage(system, pusher, { size: 1000 });
    system.cast(producer, range(0, 10_000));
    await system.runUntilIdle();
    const info = existingStageDirectory(system)!.list().find((s) => s.pid === producer)!;
    assert.equal(info.buffered, 1000);
    assert.equal(info.dropped, 9000);
    assert.equal(reported, 9000);
    const stopped = system.stop(producer);
    await system.runUntilIdle();
    await stopped;
    assert.equal(system.isAlive(producer), false);
    system.shutdown();
  });

  it("drops are told through the logger at most once a second per stage, with the count since the last notice", async () => {
    const notices: string[] = [];
    const t = createTestSystem({
      logger: { report: (r) => void (r.kind === "notice" && notices.push(r.message)) },
    });
    const system = t.system;
    const producer = await startStage(system, pusher, { size: 2 });
    system.cast(producer, range(0, 5)); // 3 dropped: told at once
    system.cast(producer, range(5, 9)); // 4 more within the second: counted, not told
    await system.runUntilIdle();
    assert.equal(notices.length, 1);
    assert.match(notices[0], /dropped 3 event\(s\).*buffer size 2/);
    await t.advance(1000);
    system.cast(producer, [9]); // a second later: one notice for the 4 + 1
    await system.runUntilIdle();
    assert.equal(notices.length, 2);
    assert.match(notices[1], /dropped 5 event\(s\)/);
    system.shutdown();
  });

  it("Infinity keeps everything", async () => {
    const system = manualSystem();
    const producer = await startStage(system, pusher, { size: Infinity });
    system.cast(producer, range(0, 20_000));
    await system.runUntilIdle();
    const info = existingStageDirectory(system)!.list().find((s) => s.pid === producer)!;
    assert.equal(info.buffered, 20_000);
    assert.equal(info.dropped, 0);
    system.shutdown();
  });

  for (const bad of [0, -1, 1.5, NaN, "10"]) {
    it(`size ${String(bad)} crashes init with a RangeError`, async () => {
      const system = manualSystem();
      const started = system.start(pusher, { size: bad as number });
      await system.runUntilIdle();
      await assert.rejects(started, (error: unknown) => {
        const reason = (error as { reason?: unknown }).reason;
        return reason instanceof RangeError && reason.message.includes("size");
      });
      system.shutdown();
    });
  }
});

describe("EventBuffer.unshift", () => {
  it("puts taken events back in front, in order (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 1500 }), fc.integer({ min: 0, max: 1500 }))),
        (rounds) => {
          const buffer = new EventBuffer(Infinity, "drop_oldest");
          const model: number[] = [];
          let next = 0;
          for (const [push, take] of rounds) {
            const events = Array.from({ length: push }, () => next++);
            buffer.push(events);
            model.push(...events);
            const taken = buffer.take(take);
            const back = taken.slice(Math.floor(taken.length / 2));
            buffer.unshift(back);
            model.splice(0, taken.length - back.length);
            assert.equal(buffer.length, model.length);
          }
          assert.deepEqual(buffer.take(model.length), model);
        },
      ),
    );
  });
});
