/**
 * `call(target, request, { signal })` (`src/kernel/calls/calls.ts`,
 * `abort_signals.ts`): a signal already aborted refuses the call at once and
 * sends nothing; one that aborts later fails the call with a
 * `CallAbortedError` carrying its reason, as a timeout would; a settled call
 * stops listening (a long-lived signal keeps no listener per call); a signal
 * that is not a real AbortSignal is a TypeError and nothing is sent.
 * Deterministic: a test system on a virtual clock.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createTestSystem } from "../../../src/testing/test_system.ts";
import { CallAbortedError, CallTimeoutError, OverloadedError } from "../../../src/errors.ts";
import type { From } from "../../../src/from.ts";
import { type GenServer, noreply, ok, reply } from "../../../src/gen_server.ts";
import { BEAMLET_EVENTS } from "../../../src/telemetry/beamlet_events.ts";

interface Seen {
  requests: unknown[];
  held: From[];
}

/** Echoes requests; `"hold"` is left waiting (its From kept), `"release"` answers the held ones. */
function echo(seen: Seen): GenServer<null, undefined> {
  return {
    init: () => ok(null),
    handleCall: (request, from, state, ctx) => {
      seen.requests.push(request);
      if (request === "hold") {
        seen.held.push(from);
        return noreply(state);
      }
      if (request === "release") {
        for (const held of seen.held.splice(0)) ctx.reply(held, "late");
      }
      return reply(request, state);
    },
  };
}

function seen(): Seen {
  return { requests: [], held: [] };
}

/** Counts the abort listeners added and removed on every EventTarget while `run` runs. */
async function countingListeners(
  run: () => Promise<void>,
): Promise<{ added: number; removed: number }> {
  const proto = EventTarget.prototype;
  const add = proto.addEventListener;
  const remove = proto.removeEventListener;
  const counts = { added: 0, removed: 0 };
  proto.addEventListener = function (this: EventTarget, ...args: Parameters<typeof add>) {
    if (args[0] === "abort") counts.added++;
    return add.apply(this, args);
  };
  proto.removeEventListener = function (this: EventTarget, ...args: Parameters<typeof remove>) {
    if (args[0] === "abort") counts.removed++;
    return remove.apply(this, args);
  };
  try {
    await run();
  } finally {
    proto.addEventListener = add;
    proto.removeEventListener = remove;
  }
  return counts;
}

describe("call with a signal", () => {
  it("a signal already aborted rejects at once with CallAbortedError, and nothing is sent", async () => {
    const t = createTestSystem();
    const s = seen();
    const server = await t.start(echo(s));
    const reason = new Error("user left");
    const answer = t.system.call(server, "ping", { signal: AbortSignal.abort(reason) });
    await assert.rejects(answer, (error: unknown) => {
      assert.ok(error instanceof CallAbortedError, String(error));
      assert.equal(error.name, "CallAbortedError");
      assert.equal(error.code, "aborted");
      assert.equal(error.reason, reason);
      assert.equal(error.cause, reason);
      assert.equal(error.request, "ping");
      return true;
    });
    assert.equal(t.mailbox(server).length, 0, "nothing was delivered");
    await t.runUntilIdle();
    assert.deepEqual(s.requests, []);
    assert.equal(t.system.tableSizes().calls, 0);
    t.dispose();
  });

  it("a CallAbortedError crosses the wire as JSON, its reason formatted", () => {
    const error = new CallAbortedError("cache", "get", new Error("client left"));
    const json = JSON.parse(JSON.stringify(error));
    assert.equal(json.code, "aborted");
    assert.equal(json.target, "cache");
    const back = CallAbortedError.fromJSON(json);
    assert.ok(back instanceof CallAbortedError);
    assert.match(String(back.reason), /client left/);
  });

  it("a signal that aborts while the call is queued fails it; the server skips it, counted", async () => {
    const t = createTestSystem();
    const s = seen();
    const server = await t.start(echo(s));
    const expired: unknown[] = [];
    t.system.telemetry.attach("expired", BEAMLET_EVENTS.callExpired, (_e, m, meta) => {
      expired.push({ count: m.count, handled: meta.handled });
    });
    t.system.suspend(server);
    const controller = new AbortController();
    const answer = t.system.call(server, "stale", { signal: controller.signal }).catch((e) => e);
    await t.runUntilIdle();
    controller.abort("enough");
    const error = await answer;
    assert.ok(error instanceof CallAbortedError, String(error));
    assert.equal(error.reason, "enough");
    t.system.resume(server);
    await t.runUntilIdle();
    assert.deepEqual(s.requests, [], "skipped, never handled");
    assert.equal(t.system.schedulerStats().expiredCalls, 1);
    assert.deepEqual(expired, [{ count: 1, handled: false }]);
    t.dispose();
  });

  it("a signal that aborts after delivery fails the call; the reply that comes later is dropped", async () => {
    const t = createTestSystem();
    const s = seen();
    const server = await t.start(echo(s));
    const controller = new AbortController();
    const answer = t.system.call(server, "hold", { signal: controller.signal }).catch((e) => e);
    await t.runUntilIdle();
    assert.deepEqual(s.requests, ["hold"]);
    controller.abort();
    const error = await answer;
    assert.ok(error instanceof CallAbortedError, String(error));
    assert.equal((error.reason as Error).name, "AbortError", "the default reason");
    assert.equal(await t.call(server, "release"), "release");
    assert.equal(t.system.tableSizes().calls, 0);
    t.dispose();
  });

  it("an abort after the reply changes nothing", async () => {
    const t = createTestSystem();
    const server = await t.start(echo(seen()));
    const controller = new AbortController();
    const answer = t.system.call(server, "ping", { signal: controller.signal });
    await t.runUntilIdle();
    controller.abort();
    assert.equal(await answer, "ping");
    t.dispose();
  });

  it("the timeout still applies beside the signal: whichever comes first", async () => {
    const t = createTestSystem();
    const server = await t.start(echo(seen()));
    const controller = new AbortController();
    const answer = t.system.call(server, "hold", { signal: controller.signal, timeout: 100 })
      .catch((e) => e);
    await t.advance(100);
    assert.ok((await answer) instanceof CallTimeoutError);
    controller.abort(); // too late: nothing happens
    t.dispose();
  });

  it("a long-lived signal used for 100 000 calls keeps no listener: each call removes its own", async () => {
    const t = createTestSystem();
    const s = seen();
    const server = await t.start(echo(s));
    const controller = new AbortController();
    const signal = controller.signal;
    const counts = await countingListeners(async () => {
      for (let round = 0; round < 100; round++) {
        const answers = [];
        for (let i = 0; i < 1000; i++) answers.push(t.system.call(server, i, { signal }));
        await t.runUntilIdle();
        await Promise.all(answers);
        s.requests.length = 0;
      }
    });
    assert.equal(counts.added, 100_000);
    assert.equal(counts.removed, 100_000);
    t.dispose();
  });

  it("calls that time out, are refused, or fail at once leave no listener behind either", async () => {
    const t = createTestSystem();
    const held = seen();
    const server = await t.start(echo(held));
    const bounded = await t.start(echo(seen()), undefined, { mailbox: { bound: 1 } });
    const signal = new AbortController().signal;
    const counts = await countingListeners(async () => {
      const timedOut = t.system.call(server, "hold", { signal, timeout: 10 }).catch((e) => e);
      t.system.suspend(bounded);
      const queued = t.system.call(bounded, "a", { signal }).catch((e) => e);
      const refused = await t.system.call(bounded, "b", { signal }).catch((e) => e);
      assert.ok(refused instanceof OverloadedError, String(refused));
      await t.advance(10);
      assert.ok((await timedOut) instanceof CallTimeoutError);
      t.system.resume(bounded);
      await t.runUntilIdle();
      assert.equal(await queued, "a");
      const stopped = t.system.stop(bounded);
      await t.runUntilIdle();
      await stopped;
      await assert.rejects(t.system.call(bounded, "gone", { signal }));
    });
    assert.equal(counts.added, counts.removed, JSON.stringify(counts));
    t.dispose();
  });

  it("anything but a real AbortSignal is a TypeError, and nothing is sent", async () => {
    const t = createTestSystem();
    const s = seen();
    const server = await t.start(echo(s));
    const real = new AbortController().signal;
    const throwing = {
      get(): never {
        throw new Error("trap");
      },
    };
    const hostile: unknown[] = [
      "signal",
      42,
      null,
      { aborted: false, addEventListener() {}, removeEventListener() {} },
      Object.create(AbortSignal.prototype),
      new Proxy({}, throwing),
      new Proxy(real, throwing),
      new Proxy({}, { getPrototypeOf: () => AbortSignal.prototype }),
      new AbortController(),
    ];
    for (const signal of hostile) {
      await assert.rejects(
        t.system.call(server, "x", { signal: signal as AbortSignal }),
        TypeError,
        String(typeof signal),
      );
    }
    const getter = {
      get signal(): AbortSignal {
        throw new Error("getter");
      },
    };
    await assert.rejects(t.system.call(server, "x", getter), TypeError);
    await t.runUntilIdle();
    assert.deepEqual(s.requests, [], "nothing was delivered");
    assert.equal(t.system.tableSizes().calls, 0);
    t.dispose();
  });
});
