/**
 * `beamlet.call.latency`: once per answered call, its time split into
 * queued (in the server's mailbox), handling (in handleCall, up to the
 * reply) and round trip, on the virtual clock; never for calls that time
 * out, expire or are refused; no clock read when nobody listens.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createTestSystem, type TestSystem } from "../../../src/testing/test_system.ts";
import { CallTimeoutError, OverloadedError } from "../../../src/errors.ts";
import type { From } from "../../../src/from.ts";
import { type GenServer, noreply, ok, reply } from "../../../src/gen_server.ts";
import type { Pid } from "../../../src/pid.ts";
import { System } from "../../../src/system.ts";
import { BEAMLET_EVENTS } from "../../../src/telemetry/beamlet_events.ts";
import { CALL_LATENCY } from "../../../src/telemetry/catalog/call_latency_events.ts";

interface Seen {
  queued: number;
  handling: number;
  round_trip: number;
  monotonic_time: number;
  pid: Pid;
  name: string | undefined;
  caller: Pid | undefined;
  deferred: boolean;
}

function listen(t: TestSystem): Seen[] {
  const seen: Seen[] = [];
  t.system.telemetry.attach("latency", CALL_LATENCY, (_e, m, meta) => {
    seen.push({ ...m, ...meta });
  });
  return seen;
}

/** A server whose handleCall takes `request` virtual ms (it moves the clock). */
function slow(t: TestSystem): GenServer<null, undefined> {
  return {
    init: () => ok(null),
    handleCall: (ms: number, _from, state) => {
      t.clock.advance(ms);
      return reply(ms, state);
    },
  };
}

describe("beamlet.call.latency", () => {
  it("is BEAMLET_EVENTS.callLatency", () => {
    assert.equal(BEAMLET_EVENTS.callLatency, CALL_LATENCY);
    assert.equal(CALL_LATENCY.id, "beamlet.call.latency");
  });

  it("splits a call into queued, handling and round trip", async () => {
    const t = createTestSystem();
    const seen = listen(t);
    const pid = await t.start(slow(t), undefined, { name: "slow" });
    t.clock.advance(100);
    const answer = t.system.call(pid, 5);
    t.clock.advance(2); // it waits in the mailbox
    await t.runUntilIdle();
    assert.equal(await answer, 5);
    assert.equal(seen.length, 1);
    const [event] = seen;
    assert.equal(event.queued, 2);
    assert.equal(event.handling, 5);
    assert.equal(event.round_trip, 7);
    assert.equal(event.monotonic_time, 107);
    assert.equal(event.pid, pid);
    assert.equal(event.name, "slow");
    assert.equal(event.caller, undefined);
    assert.equal(event.deferred, false);
    t.dispose();
  });

  it("a call queued behind another waits for it: queued grows, handling does not", async () => {
    const t = createTestSystem();
    const seen = listen(t);
    const pid = await t.start(slow(t));
    const answers = [t.system.call(pid, 5), t.system.call(pid, 5), t.system.call(pid, 5)];
    await t.runUntilIdle();
    await Promise.all(answers);
    assert.deepEqual(
      seen.map((e) => [e.queued, e.handling, e.round_trip]),
      [[0, 5, 5], [5, 5, 10], [10, 5, 15]],
    );
    assert.equal(seen[0].name, undefined);
    t.dispose();
  });

  it("a deferred reply: handling runs to reply(from), deferred is true", async () => {
    const t = createTestSystem();
    const seen = listen(t);
    const pid = await t.start<From | null, undefined>({
      init: () => ok(null),
      handleCall: (_request, from) => {
        t.clock.advance(3);
        return noreply(from);
      },
      handleCast: (_go, from, ctx) => {
        t.clock.advance(2);
        ctx.reply(from!, "late");
        return noreply(null);
      },
    });
    const answer = t.system.call(pid, "ask");
    t.clock.advance(1);
    await t.runUntilIdle();
    t.clock.advance(10);
    t.system.cast(pid, "go");
    await t.runUntilIdle();
    assert.equal(await answer, "late");
    assert.equal(seen.length, 1);
    assert.deepEqual([seen[0].queued, seen[0].handling, seen[0].round_trip], [1, 15, 16]);
    assert.equal(seen[0].deferred, true);
    t.dispose();
  });

  it("an async handleCall: handling runs until its Promise settles", async () => {
    const t = createTestSystem();
    const seen = listen(t);
    let open!: () => void;
    const gate = new Promise<void>((resolve) => open = resolve);
    const pid = await t.start({
      init: () => ok(0),
      handleCall: async (_request: string, _from, n: number) => {
        await gate;
        return reply("done", n);
      },
    });
    const answer = t.system.call(pid, "work", { timeout: Infinity });
    await t.runUntilIdle();
    t.clock.advance(7);
    open();
    await t.runUntilIdle();
    assert.equal(await answer, "done");
    assert.deepEqual([seen[0].queued, seen[0].handling, seen[0].round_trip], [0, 7, 7]);
    assert.equal(seen[0].deferred, false);
    t.dispose();
  });

  it("a Promise given as the reply: handling runs until it resolves", async () => {
    const t = createTestSystem();
    const seen = listen(t);
    let open!: (value: string) => void;
    const later = new Promise<string>((resolve) => open = resolve);
    const pid = await t.start({
      init: () => ok(0),
      handleCall: (_request: string, _from, n: number) => reply(later, n),
    });
    const answer = t.system.call(pid, "work");
    await t.runUntilIdle();
    t.clock.advance(4);
    open("ready");
    await t.runUntilIdle();
    assert.equal(await answer, "ready");
    assert.deepEqual([seen[0].queued, seen[0].handling, seen[0].round_trip], [0, 4, 4]);
    t.dispose();
  });

  it("names the calling process", async () => {
    const t = createTestSystem();
    const seen = listen(t);
    const server = await t.start(slow(t));
    const client = await t.start<null, undefined>({
      init: () => ok(null),
      handleCast: (_go, state, ctx) => {
        ctx.call(server, 1).catch(() => {});
        return noreply(state);
      },
    });
    t.system.cast(client, "go");
    await t.runUntilIdle();
    assert.equal(seen.length, 1);
    assert.equal(seen[0].caller, client);
    assert.equal(seen[0].pid, server);
    t.dispose();
  });

  it("a stop with a reply is told; a timed-out, expired or refused call is not", async () => {
    const t = createTestSystem();
    const seen = listen(t);
    const stopper = await t.start({
      init: () => ok(0),
      handleCall: (_r: string, _from, n: number) => ({
        type: "stop" as const,
        reason: "normal",
        reply: "bye",
        hasReply: true,
        state: n,
      }),
    });
    assert.equal(await t.call(stopper, "stop"), "bye");
    assert.equal(seen.length, 1);
    seen.length = 0;

    // Timed out while handleCall held it: its late reply is dropped, untold.
    const holder = await t.start<From | null, undefined>({
      init: () => ok(null),
      handleCall: (_r, from) => noreply(from),
      handleCast: (_go, from, ctx) => {
        ctx.reply(from!, "too late");
        return noreply(null);
      },
    });
    const timedOut = t.system.call(holder, "x", { timeout: 10 }).catch((e) => e);
    await t.advance(10);
    assert.ok((await timedOut) instanceof CallTimeoutError);
    t.system.cast(holder, "go");
    await t.runUntilIdle();

    // Expired while queued (skipped), and refused by a full mailbox.
    const server = await t.start(slow(t), undefined, { mailbox: { bound: 2 } });
    t.system.suspend(server);
    const expired = t.system.call(server, 1, { timeout: 10 }).catch((e) => e);
    await t.advance(10);
    assert.ok((await expired) instanceof CallTimeoutError);
    const queued = t.system.call(server, 1); // the expired one still holds a place
    const refused = await t.system.call(server, 1).catch((e) => e);
    assert.ok(refused instanceof OverloadedError);
    t.system.resume(server);
    await t.runUntilIdle();
    assert.equal(await queued, 1);
    assert.equal(seen.length, 1); // the queued call only
    t.dispose();
  });

  it("handlers attached mid-call: only calls made while attached are told", async () => {
    const t = createTestSystem();
    const pid = await t.start(slow(t));
    const before = t.system.call(pid, 1);
    const seen = listen(t);
    const after = t.system.call(pid, 1);
    await t.runUntilIdle();
    await Promise.all([before, after]);
    assert.equal(seen.length, 1);
    t.system.telemetry.detach("latency");
    await t.call(pid, 1);
    assert.equal(seen.length, 1);
    t.dispose();
  });
});

/** A clock that counts its readings. */
class CountingClock {
  reads = 0;
  t = 0;
  readonly now = (): number => {
    this.reads++;
    return this.t;
  };
}

/** Clock readings for `calls` calls to a server, with or without a latency handler. */
async function readingsFor(attach: boolean, options: { timeout?: number }): Promise<number> {
  const clock = new CountingClock();
  const system = new System({ scheduling: "manual", clock, logger: null });
  const started = system.start({
    init: () => ok(0),
    handleCall: (_r: string, _f, n: number) => reply(n, n),
  });
  await system.runUntilIdle();
  const pid = await started;
  if (attach) system.telemetry.attach("latency", CALL_LATENCY, () => {});
  const before = clock.reads;
  const answers = [];
  for (let i = 0; i < 10; i++) answers.push(system.call(pid, "n", options));
  await system.runUntilIdle();
  await Promise.all(answers);
  const reads = clock.reads - before;
  await system.shutdown();
  return reads;
}

describe("beamlet.call.latency costs nothing unattached", () => {
  for (
    const [label, options, extra] of [
      ["with a deadline", {}, 2],
      ["without a deadline", { timeout: Infinity }, 3],
    ] as const
  ) {
    it(`${label}: no clock reading for it per call, ${extra} with a handler`, async () => {
      const without = await readingsFor(false, options);
      const withHandler = await readingsFor(true, options);
      assert.equal(withHandler - without, 10 * extra);
    });
  }
});
