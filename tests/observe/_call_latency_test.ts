/**
 * The observer's call latency: `callLatency` (handling, from
 * `beamlet.call.stop`) as before, and `calls` / `processDetail(id).latency`
 * (queued, handling, round trip, from `beamlet.call.latency`) over all
 * servers and per server, on the virtual clock; detached on close.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { ok, reply } from "../../src/gen_server.ts";
import { CallLatency } from "../../src/observe/_call_latency.ts";
import { SystemObserver } from "../../src/observe/system_observer.ts";
import { ProcessTableWalker } from "../../src/observe/process_table_walker.ts";
import { createTestSystem, type TestSystem } from "../../src/testing/test_system.ts";
import { CALL_LATENCY } from "../../src/telemetry/catalog/call_latency_events.ts";

/** A server whose handleCall takes `request` virtual ms. */
function slowServer(t: TestSystem, name?: string) {
  return t.start(
    {
      init: () => ok(0),
      handleCall: (ms: number, _from, n: number) => {
        t.clock.advance(ms);
        return reply(ms, n);
      },
    },
    undefined,
    name === undefined ? {} : { name },
  );
}

/** JSON round trip: what an adapter would send. */
const json = <T>(value: T): T => JSON.parse(JSON.stringify(value));

describe("SystemObserver call latency, split", () => {
  it("overview.calls and processDetail(id).latency: queued >> handling behind a long mailbox", async () => {
    const t = createTestSystem();
    const walker = new ProcessTableWalker(t.system, { schedule: "manual" });
    const observer = new SystemObserver(t.system, { processTable: walker });
    walker.refresh();
    const before = await observer.overview();
    assert.deepEqual(before.calls, { queued: null, handling: null, roundTrip: null });
    assert.equal(before.callLatency, null);

    const busy = await slowServer(t, "busy");
    const quiet = await slowServer(t);
    const answers = [];
    for (let i = 0; i < 10; i++) answers.push(t.system.call(busy, 1)); // queued 0, 1, ..., 9
    await t.runUntilIdle();
    await Promise.all(answers);
    const later = t.system.call(quiet, 4);
    t.clock.advance(10); // it waits while the scheduler does not run
    await t.runUntilIdle();
    await later;
    walker.refresh();

    const overview = json(await observer.overview());
    assert.equal(overview.callLatency?.count, 11);
    const { queued, handling, roundTrip } = overview.calls;
    assert.equal(queued?.count, 11);
    assert.equal(handling?.count, 11);
    assert.equal(roundTrip?.count, 11);
    assert.equal(queued?.max, 10);
    assert.equal(handling?.max, 4);
    assert.equal(roundTrip?.max, 14);

    const detail = json(observer.processDetail(observer.processIdOf(busy)));
    assert.equal(detail.latency.queued?.count, 10);
    assert.equal(detail.latency.queued?.max, 9);
    assert.ok(Math.abs((detail.latency.queued?.p50 ?? 0) - 4) <= 4 / 16, "p50 about 4");
    assert.deepEqual(detail.latency.handling, { count: 10, p50: 1, p95: 1, p99: 1, max: 1 });
    assert.equal(detail.latency.roundTrip?.max, 10);
    const other = json(observer.processDetail(observer.processIdOf(quiet)));
    assert.deepEqual(other.latency.handling, { count: 1, p50: 4, p95: 4, p99: 4, max: 4 });
    assert.equal(other.latency.queued?.max, 10);

    // A process that answered no call.
    const idle = await t.start({ init: () => ok(0) });
    assert.deepEqual(observer.processDetail(observer.processIdOf(idle)).latency, {
      queued: null,
      handling: null,
      roundTrip: null,
    });

    observer.close();
    assert.equal(t.system.telemetry.hasHandlers(CALL_LATENCY), false);
    walker.close();
    t.dispose();
  });

  it("CallLatency tracks at most maxServers servers and ignores bad measurements", async () => {
    const t = createTestSystem();
    const split = new CallLatency(t.system.telemetry, () => t.system.now(), 2);
    const servers = [await slowServer(t), await slowServer(t), await slowServer(t)];
    for (const pid of servers) await t.call(pid, 1);
    assert.equal(split.servers, 2);
    assert.equal(split.of(servers[0]).handling, null); // least recently used: evicted
    assert.equal(split.of(servers[2]).handling?.count, 1);
    t.system.telemetry.execute(CALL_LATENCY, {
      monotonic_time: 0,
      queued: NaN,
      handling: -1,
      round_trip: Infinity,
    }, { pid: "not a pid" } as never);
    assert.equal(split.overall().queued?.count, 3);
    split.close();
    split.close();
    assert.deepEqual(split.overall(), { queued: null, handling: null, roundTrip: null });
    t.dispose();
  });
});
