import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Batcher } from "../../batcher.ts";
import { createTestSystem } from "../../src/testing/test_system.ts";
import { BATCHER_FLUSH, BATCHER_REFUSED } from "../../src/telemetry/catalog/batcher_events.ts";

const keys = (o: object) => Object.keys(o).sort().join(",");

describe("Batcher: telemetry", () => {
  it("emits beamlet.batcher.flush and .refused with exactly the declared keys", async () => {
    const t = createTestSystem();
    const seen: { id: string; measurements: string; metadata: string }[] = [];
    for (const event of [[...BATCHER_FLUSH], [...BATCHER_REFUSED]]) {
      const id = event.join(".");
      t.system.telemetry.attach(id, event, (_e, m, meta) => {
        seen.push({ id, measurements: keys(m), metadata: keys(meta) });
      });
    }
    const started = Batcher.start(t.system, {
      maxItems: 1,
      interval: 10,
      maxPending: 1,
      flush: () => {},
    });
    await t.runUntilIdle();
    const b = await started;
    b.add(1);
    b.add(2); // refused: the first is pending
    await t.runUntilIdle(); // the first is flushed (size)
    assert.deepEqual(seen, [
      {
        id: "beamlet.batcher.refused",
        measurements: keys(BATCHER_REFUSED.measurements),
        metadata: keys(BATCHER_REFUSED.metadata),
      },
      {
        id: "beamlet.batcher.flush",
        measurements: keys(BATCHER_FLUSH.measurements),
        metadata: keys(BATCHER_FLUSH.metadata),
      },
    ]);
    t.dispose();
  });
});
