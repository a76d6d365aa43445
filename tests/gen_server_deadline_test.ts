/**
 * Deadlines seen from the server: `ctx.signal` aborts when the caller stops
 * waiting — its deadline passes on the virtual clock, its own signal
 * aborts, it exits — and never for a call answered; `ctx.deadline` is the
 * call's deadline on the system clock; a signal captured by an async
 * handler stays its call's; `ctx.signalOf(from)` serves deferred replies.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createTestSystem } from "../src/testing/test_system.ts";
import { CallAbortedError, CallTimeoutError, ExitError } from "../src/errors.ts";
import type { Context } from "../src/context.ts";
import type { From } from "../src/from.ts";
import { type GenServer, noreply, ok, reply } from "../src/gen_server.ts";

interface Seen {
  signals: AbortSignal[];
  deadlines: number[];
  held: From[];
}

function seen(): Seen {
  return { signals: [], deadlines: [], held: [] };
}

/** Keeps each call's signal and deadline; `"hold"` is left waiting, anything else answered. */
function keeper(s: Seen): GenServer<null, undefined> {
  return {
    init: () => ok(null),
    handleCall: (request, from, state, ctx) => {
      s.signals.push(ctx.signal);
      s.deadlines.push(ctx.deadline);
      if (request === "hold") {
        s.held.push(from);
        return noreply(state);
      }
      return reply(request, state);
    },
  };
}

describe("ctx.signal and ctx.deadline in handleCall", () => {
  it("the signal aborts when the call's deadline passes on the virtual clock, with the caller's error", async () => {
    const t = createTestSystem({ startAt: 1000 });
    const s = seen();
    const server = await t.start(keeper(s));
    const answer = t.system.call(server, "hold", { timeout: 500 }).catch((e) => e);
    await t.runUntilIdle();
    const [signal] = s.signals;
    assert.equal(s.deadlines[0], 1500, "on the system clock");
    assert.equal(signal.aborted, false);
    await t.advance(499);
    assert.equal(signal.aborted, false);
    await t.advance(1);
    const error = await answer;
    assert.ok(error instanceof CallTimeoutError, String(error));
    assert.equal(signal.aborted, true);
    assert.equal(signal.reason, error);
    t.dispose();
  });

  it("an async handler's signal aborts at the deadline while it awaits, and stays its call's", async () => {
    const t = createTestSystem();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const signals: AbortSignal[] = [];
    const server = await t.start<null, undefined>({
      init: () => ok(null),
      handleCall: async (request, _from, state, ctx) => {
        if (request === "slow") {
          await gate;
          signals.push(ctx.signal); // read after the await: still this call's
          return reply("slow", state);
        }
        signals.push(ctx.signal);
        return reply(request, state);
      },
    });
    const slow = t.system.call(server, "slow", { timeout: 100 }).catch((e) => e);
    const fast = t.system.call(server, "fast", { timeout: 10_000 });
    await t.advance(100);
    assert.ok((await slow) instanceof CallTimeoutError);
    release();
    await t.runUntilIdle();
    assert.equal(await fast, "fast");
    assert.equal(signals.length, 2);
    assert.equal(signals[0].aborted, true, "the slow call's signal, read after its deadline");
    assert.equal(signals[1].aborted, false, "the next call has its own");
    t.dispose();
  });

  it("a signal captured before other messages are handled keeps referring to its call", async () => {
    const t = createTestSystem();
    const s = seen();
    const server = await t.start(keeper(s));
    const held = t.system.call(server, "hold", { timeout: 200 }).catch((e) => e);
    await t.runUntilIdle();
    for (let i = 0; i < 3; i++) assert.equal(await t.call(server, i, { timeout: 100 }), i);
    await t.advance(200);
    assert.ok((await held) instanceof CallTimeoutError);
    assert.deepEqual(s.signals.map((signal) => signal.aborted), [true, false, false, false]);
    t.dispose();
  });

  it("a call answered never aborts its signal, even past its deadline", async () => {
    const t = createTestSystem();
    const s = seen();
    const server = await t.start(keeper(s));
    assert.equal(await t.call(server, "ping", { timeout: 50 }), "ping");
    await t.advance(1000);
    assert.equal(s.signals[0].aborted, false);
    t.dispose();
  });

  it("the signal aborts when the caller's own signal aborts", async () => {
    const t = createTestSystem();
    const s = seen();
    const server = await t.start(keeper(s));
    const controller = new AbortController();
    const answer = t.system.call(server, "hold", { signal: controller.signal }).catch((e) => e);
    await t.runUntilIdle();
    assert.equal(s.deadlines[0], 5000, "the default timeout applies beside the signal");
    controller.abort("stop");
    const error = await answer;
    assert.ok(error instanceof CallAbortedError);
    await t.runUntilIdle();
    assert.equal(s.signals[0].aborted, true);
    assert.equal(s.signals[0].reason, error);
    t.dispose();
  });

  it("the signal aborts when the calling process exits", async () => {
    const t = createTestSystem();
    const s = seen();
    const server = await t.start(keeper(s));
    const caller = await t.start<null, undefined>({
      init: () => ok(null),
      handleCast: (_request, state, ctx: Context) => {
        ctx.call(server, "hold", { timeout: Infinity }).catch(() => {});
        return noreply(state);
      },
    });
    t.system.cast(caller, "go");
    await t.runUntilIdle();
    assert.equal(s.signals.length, 1);
    assert.equal(s.signals[0].aborted, false);
    t.system.exit(caller, "kill");
    await t.runUntilIdle();
    assert.equal(s.signals[0].aborted, true);
    assert.ok(s.signals[0].reason instanceof ExitError, String(s.signals[0].reason));
    t.dispose();
  });

  it("the signal aborts when the server itself exits before answering", async () => {
    const t = createTestSystem();
    const s = seen();
    const server = await t.start(keeper(s));
    const answer = t.system.call(server, "hold", { timeout: Infinity }).catch((e) => e);
    await t.runUntilIdle();
    t.system.exit(server, "kill");
    await t.runUntilIdle();
    assert.ok((await answer) instanceof ExitError);
    assert.equal(s.signals[0].aborted, true);
    t.dispose();
  });

  it("outside handleCall the signal never aborts and the deadline is Infinity", async () => {
    const t = createTestSystem();
    const outside: { signal: AbortSignal; deadline: number }[] = [];
    const server = await t.start<null, undefined>({
      init: (_arg, ctx) => {
        outside.push({ signal: ctx.signal, deadline: ctx.deadline });
        return ok(null);
      },
      handleCall: (request, _from, state) => reply(request, state),
      handleCast: (_request, state, ctx) => {
        outside.push({ signal: ctx.signal, deadline: ctx.deadline });
        return noreply(state);
      },
    });
    assert.equal(await t.call(server, "ping", { timeout: 10 }), "ping");
    t.system.cast(server, "after");
    await t.advance(100);
    assert.equal(outside.length, 2);
    for (const { signal, deadline } of outside) {
      assert.equal(signal.aborted, false);
      assert.equal(deadline, Infinity);
    }
    t.dispose();
  });

  it("signalOf(from) aborts a deferred reply's work when its caller gives up", async () => {
    const t = createTestSystem();
    const deferred: AbortSignal[] = [];
    let ctxOf!: Context;
    const server = await t.start<null, undefined>({
      init: () => ok(null),
      handleCall: (_request, from, state, ctx) => {
        ctxOf = ctx;
        deferred.push(ctx.signalOf(from));
        return noreply(state);
      },
    });
    const first = t.system.call(server, "a", { timeout: 100 }).catch((e) => e);
    const second = t.system.call(server, "b", { timeout: 300 }).catch((e) => e);
    await t.runUntilIdle();
    await t.advance(100);
    assert.ok((await first) instanceof CallTimeoutError);
    assert.deepEqual(deferred.map((signal) => signal.aborted), [true, false]);
    await t.advance(200);
    assert.ok((await second) instanceof CallTimeoutError);
    assert.equal(deferred[1].aborted, true);
    // A From no longer waiting (or not a From at all) gets a signal already aborted.
    assert.equal(ctxOf.signalOf({} as From).aborted, true);
    t.dispose();
  });
});
