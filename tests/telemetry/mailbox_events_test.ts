/**
 * The mailbox flow-control events, emitted by a real mailbox:
 * `beamlet.mailbox.watermark` (high, then low) and `beamlet.mailbox.shed`,
 * each reaching a handler attached to its `BEAMLET_EVENTS` name with the
 * declared measurements and metadata. (Also a scenario of the event
 * catalog's test.)
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { BEAMLET_EVENTS } from "../../src/telemetry/beamlet_events.ts";
import { type GenServer, noreply, ok } from "../../src/gen_server.ts";
import { createTestSystem } from "../../src/testing/test_system.ts";

describe("mailbox flow-control events", () => {
  it("a mailbox with watermarks and shedding emits watermark and shed", async () => {
    const t = createTestSystem();
    const seen: { event: string; m: object; meta: object }[] = [];
    t.system.telemetry.attachMany(
      "mailbox-flow",
      [BEAMLET_EVENTS.mailboxWatermark, BEAMLET_EVENTS.mailboxShed],
      (event, m, meta) => void seen.push({ event: event.join("."), m, meta }),
    );
    // Each message takes 5 ms of virtual time.
    const slow: GenServer<null, undefined, never, never, number> = {
      init: () => ok(null),
      handleCast: (_n, state) => {
        t.clock.advance(5);
        return noreply(state);
      },
    };
    const pid = await t.start(slow, undefined, {
      name: "slow",
      mailbox: { watermarks: { high: 100, low: 10 }, shed: { target: 10, interval: 100 } },
    });
    for (let i = 0; i < 200; i++) t.system.cast(pid, i);
    t.clock.advance(1000); // stuck for a second
    await t.runUntilIdle();

    const events = seen.map((s) => s.event);
    assert.equal(events[0], "beamlet.mailbox.watermark");
    assert.deepEqual(seen[0].m, { length: 100 });
    assert.deepEqual(seen[0].meta, { pid, name: "slow", level: "high", high: 100, low: 10 });
    assert.ok(events.includes("beamlet.mailbox.shed"), events.join(", "));
    const low = seen.find((s) => (s.meta as { level?: string }).level === "low");
    assert.deepEqual(low?.meta, { pid, name: "slow", level: "low", high: 100, low: 10 });
    const shed = seen.filter((s) => s.event === "beamlet.mailbox.shed");
    for (const s of shed) {
      assert.deepEqual(Object.keys(s.m).sort(), ["count", "sojourn"]);
      assert.deepEqual(s.meta, { pid, name: "slow" });
    }
    const total = shed.reduce((sum, s) => sum + (s.m as { count: number }).count, 0);
    assert.equal(total, t.system.processInfo(pid)!.mailbox.shed);
    t.dispose();
  });
});
