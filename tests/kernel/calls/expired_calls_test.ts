/**
 * The `expiredCalls` start option: a call whose caller gave up (timeout or
 * signal) while it was queued is skipped (`"skip"`, the default) or handled
 * with its reply dropped (`"handle"`, as OTP does) — counted in
 * `schedulerStats().expiredCalls` and emitted as `beamlet.call.expired`
 * with `handled` either way. A bad value refuses the start.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createTestSystem } from "../../../src/testing/test_system.ts";
import { CallAbortedError, CallTimeoutError } from "../../../src/errors.ts";
import { type GenServer, ok, reply } from "../../../src/gen_server.ts";
import type { StartOptions } from "../../../src/options.ts";
import { BEAMLET_EVENTS } from "../../../src/telemetry/beamlet_events.ts";

interface Handled {
  request: unknown;
  aborted: boolean;
  reason: unknown;
}

function recorder(log: Handled[]): GenServer<null, undefined> {
  return {
    init: () => ok(null),
    handleCall: (request, _from, state, ctx) => {
      log.push({ request, aborted: ctx.signal.aborted, reason: ctx.signal.reason });
      return reply(`re: ${String(request)}`, state);
    },
  };
}

/** A server, suspended so calls wait in its mailbox, and the call.expired events. */
async function setUp(options: StartOptions) {
  const t = createTestSystem();
  const log: Handled[] = [];
  const server = await t.start(recorder(log), undefined, options);
  const events: unknown[] = [];
  t.system.telemetry.attach("expired", BEAMLET_EVENTS.callExpired, (_e, m, meta) => {
    events.push({ count: m.count, timeout: m.timeout, pid: meta.pid, handled: meta.handled });
  });
  t.system.suspend(server);
  return { t, log, server, events };
}

describe("expiredCalls", () => {
  for (const options of [{}, { expiredCalls: "skip" as const }]) {
    it(`${JSON.stringify(options)}: a call that timed out while queued is skipped, counted and emitted`, async () => {
      const { t, log, server, events } = await setUp(options);
      const answer = t.system.call(server, "stale", { timeout: 10 }).catch((e) => e);
      await t.advance(10);
      assert.ok((await answer) instanceof CallTimeoutError);
      t.system.resume(server);
      await t.runUntilIdle();
      assert.deepEqual(log, []);
      assert.equal(t.system.schedulerStats().expiredCalls, 1);
      assert.deepEqual(events, [{ count: 1, timeout: 10, pid: server, handled: false }]);
      t.dispose();
    });
  }

  it('"handle": a call that timed out while queued is handled, its signal already aborted, its reply dropped', async () => {
    const { t, log, server, events } = await setUp({ expiredCalls: "handle" });
    const answer = t.system.call(server, "stale", { timeout: 10 }).catch((e) => e);
    const fresh = t.system.call(server, "fresh", { timeout: 1000 });
    await t.advance(10);
    const error = await answer;
    assert.ok(error instanceof CallTimeoutError);
    t.system.resume(server);
    await t.runUntilIdle();
    assert.equal(await fresh, "re: fresh");
    assert.deepEqual(log, [
      { request: "stale", aborted: true, reason: error },
      { request: "fresh", aborted: false, reason: undefined },
    ]);
    assert.equal(t.system.schedulerStats().expiredCalls, 1);
    assert.deepEqual(events, [{ count: 1, timeout: 10, pid: server, handled: true }]);
    assert.equal(t.system.tableSizes().calls, 0);
    t.dispose();
  });

  it('"handle": a call whose signal aborted while queued is handled with that abort as its reason', async () => {
    const { t, log, server, events } = await setUp({ expiredCalls: "handle" });
    const controller = new AbortController();
    const answer = t.system.call(server, "stale", { signal: controller.signal }).catch((e) => e);
    await t.runUntilIdle();
    controller.abort("gone");
    const error = await answer;
    assert.ok(error instanceof CallAbortedError);
    t.system.resume(server);
    await t.runUntilIdle();
    assert.deepEqual(log, [{ request: "stale", aborted: true, reason: error }]);
    assert.equal(events.length, 1);
    t.dispose();
  });

  it("a bad value is a TypeError and nothing is started", async () => {
    const t = createTestSystem();
    const before = t.system.tableSizes().processes;
    for (const expiredCalls of ["ignore", "", 1, null, true, { toString: () => "skip" }]) {
      await assert.rejects(
        t.start(recorder([]), undefined, { expiredCalls } as unknown as StartOptions),
        TypeError,
      );
    }
    const throwing = {
      get expiredCalls(): never {
        throw new Error("getter");
      },
    };
    await assert.rejects(t.start(recorder([]), undefined, throwing), TypeError);
    assert.equal(t.system.tableSizes().processes, before);
    t.dispose();
  });
});
