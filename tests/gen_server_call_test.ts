/**
 * `call`: replies, deferred replies, timeouts and late replies, dead and
 * unknown targets, calling oneself, crashes, bad results, exits during a
 * call, and overload of bounded mailboxes (OTP gen_server_SUITE: call,
 * call_remote, call_timeout, ...; Elixir GenServerTest).
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import process from "node:process";
import {
  BadReturnValueError,
  CallingSelfError,
  CallTimeoutError,
  ExitError,
  NoProcError,
  OverloadedError,
} from "../src/errors.ts";
import type { From } from "../src/from.ts";
import { type CallResult, type GenServer, noreply, ok, reply } from "../src/gen_server.ts";
import type { Pid } from "../src/pid.ts";
import { BEAMLET_EVENTS } from "../src/telemetry/beamlet_events.ts";
import {
  assertNothingLeft,
  collecting,
  deferred,
  handled,
  inside,
  logOf,
  manual,
  outcomeAfter,
  probe,
  sleep,
  startManual,
} from "./_helpers.ts";

/**
 * Echoes `call(pid, x)` with `x`; `"hold"` is left waiting and its `From`
 * handed to `held`; casts `{ release: value }` answer the oldest held call.
 */
function holder(held: From[] = []): GenServer<From[], undefined> {
  return {
    init: () => ok(held),
    handleCall: (request, from, waiting) => {
      if (request === "hold") {
        waiting.push(from);
        return noreply(waiting);
      }
      return reply(request, waiting);
    },
    handleCast: (request, waiting, ctx) => {
      const { release } = request as { release: unknown };
      const from = waiting.shift();
      if (from) ctx.reply(from, release);
      return noreply(waiting);
    },
  };
}

function isExitWith(reason: unknown, pid?: Pid) {
  return (error: unknown) => {
    assert.ok(error instanceof ExitError, `expected an ExitError, got ${String(error)}`);
    assert.equal(error.reason, reason);
    if (pid) assert.equal(error.target, String(pid));
    return true;
  };
}

describe("call: replies", () => {
  it("reply(value) answers the caller", async () => {
    const { system } = collecting();
    const pid = await system.start(holder());
    assert.equal(await system.call(pid, "hello"), "hello");
    assert.deepEqual(await system.call(pid, { a: [1, 2] }), { a: [1, 2] });
    assert.equal(system.tableSizes().calls, 0);
    system.shutdown();
  });

  it("a call by registered name", async () => {
    const { system } = collecting();
    await system.start(holder(), undefined, { name: "echo" });
    assert.equal(await system.call("echo", 7), 7);
    system.shutdown();
  });

  it("noreply, then ctx.reply from a later callback of the server", async () => {
    const { system } = collecting();
    const pid = await system.start(holder());
    const answer = system.call(pid, "hold");
    assert.equal((await outcomeAfter(answer, 5)).status, "pending");
    system.cast(pid, { release: "later" });
    assert.equal(await answer, "later");
    system.shutdown();
  });

  it("noreply, then system.reply from outside", async () => {
    const { system } = collecting();
    const held: From[] = [];
    const pid = await system.start(holder(held));
    const answer = system.call(pid, "hold");
    while (held.length === 0) await sleep(1);
    system.reply(held[0], "from outside");
    assert.equal(await answer, "from outside");
    system.reply(held[0], "twice"); // a second reply does nothing
    assert.equal(await system.call(pid, "next"), "next");
    system.shutdown();
  });

  it("noreply, then the reply comes from another process", async () => {
    const { system } = collecting();
    const helper = await system.start(probe, undefined);
    const server = await system.start<null, undefined>({
      init: () => ok(null),
      handleCall: (request, from, state, ctx) => {
        ctx.cast(
          helper,
          (helperCtx: { reply: (f: From, v: unknown) => void }) =>
            helperCtx.reply(from, `${request} answered by the helper`),
        );
        return noreply(state);
      },
    });
    assert.equal(await system.call(server, "ping"), "ping answered by the helper");
    system.shutdown();
  });

  it("From names the calling process (undefined from outside)", async () => {
    const { system } = collecting();
    const server = await system.start<null, undefined>({
      init: () => ok(null),
      handleCall: (_request, from, state) => reply(from.pid, state),
    });
    const caller = await system.start(probe, undefined);
    assert.equal(await system.call(server, "who"), undefined);
    assert.equal(await inside(system, caller, (ctx) => ctx.call(server, "who")), caller);
    system.shutdown();
  });
});

describe("call: timeouts and late replies", () => {
  it("no reply within the timeout: CallTimeoutError at the deadline, not before (manual clock)", async () => {
    const { system, clock } = manual();
    const held: From[] = [];
    const pid = await startManual(system, holder(held));
    const answer = handled(system.call(pid, "hold", { timeout: 100 }));
    await system.runUntilIdle();
    clock.advance(99);
    await system.runUntilIdle();
    assert.equal((await outcomeAfter(answer)).status, "pending");
    clock.advance(1);
    await system.runUntilIdle();
    await assert.rejects(answer, (error) => {
      assert.ok(error instanceof CallTimeoutError);
      assert.equal(error.timeout, 100);
      assert.equal(error.request, "hold");
      assert.equal(error.target, String(pid));
      return true;
    });
    assert.equal(system.tableSizes().calls, 0);
    assert.equal(system.tableSizes().timers, 0);
    system.shutdown();
  });

  it("the default call timeout is 5000 ms", async () => {
    const { system, clock } = manual();
    const pid = await startManual(system, holder());
    const answer = handled(system.call(pid, "hold"));
    await system.runUntilIdle();
    clock.advance(4999);
    await system.runUntilIdle();
    assert.equal((await outcomeAfter(answer)).status, "pending");
    clock.advance(1);
    await system.runUntilIdle();
    await assert.rejects(
      answer,
      (error) => error instanceof CallTimeoutError && error.timeout === 5000,
    );
    system.shutdown();
  });

  it("a late reply is dropped: no unhandled rejection, the next call gets its own answer", async () => {
    const { system, clock } = manual();
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => void unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    try {
      const held: From[] = [];
      const pid = await startManual(system, holder(held));
      const first = handled(system.call(pid, "hold", { timeout: 10 }));
      await system.runUntilIdle();
      clock.advance(10);
      await system.runUntilIdle();
      await assert.rejects(first, CallTimeoutError);
      system.reply(held[0], "late (outside)");
      system.cast(pid, { release: "late (server)" }); // also too late: answers nobody
      await system.runUntilIdle();
      const second = system.call(pid, "second");
      await system.runUntilIdle();
      assert.equal(await second, "second");
      await sleep(5);
      assert.deepEqual(unhandled, []);
      assert.equal(system.tableSizes().calls, 0);
    } finally {
      process.off("unhandledRejection", onUnhandled);
      system.shutdown();
    }
  });

  it("a late reply never reaches the calling process's mailbox", async () => {
    const { system } = collecting();
    const held: From[] = [];
    const server = await system.start(holder(held));
    const caller = await system.start(probe, undefined);
    const error = await inside(
      system,
      caller,
      (ctx) => ctx.call(server, "hold", { timeout: 10 }).then(() => "replied", (e: unknown) => e),
    );
    assert.ok(error instanceof CallTimeoutError);
    system.cast(server, { release: "late" });
    system.reply(held[0], "later still");
    await sleep(5);
    assert.deepEqual(await logOf(system, caller), []);
    assert.equal(system.processInfo(caller)?.messageQueueLength, 0);
    // The caller's next call gets its own reply, not the stale one.
    assert.equal(await inside(system, caller, (ctx) => ctx.call(server, "fresh")), "fresh");
    system.shutdown();
  });

  it("a call that timed out while queued is not handled", async () => {
    const { system, clock } = manual();
    const seen: unknown[] = [];
    const pid = await startManual<null, undefined>(system, {
      init: () => ok(null),
      handleCall: (request, _from, state) => {
        seen.push(request);
        return reply(request, state);
      },
    });
    system.suspend(pid);
    const answer = handled(system.call(pid, "stale", { timeout: 10 }));
    await system.runUntilIdle();
    clock.advance(10);
    await system.runUntilIdle();
    await assert.rejects(answer, CallTimeoutError);
    system.resume(pid);
    await system.runUntilIdle();
    assert.deepEqual(seen, []);
    system.shutdown();
  });

  it("a call skipped because it expired while queued is counted and executed as beamlet.call.expired", async () => {
    const { system, clock } = manual();
    const pid = await startManual(system, holder());
    const expired: unknown[] = [];
    system.telemetry.attach("expired", BEAMLET_EVENTS.callExpired, (_e, m, meta) => {
      expired.push({ count: m.count, timeout: m.timeout, pid: meta.pid });
    });
    system.suspend(pid);
    const answer = handled(system.call(pid, "stale", { timeout: 10 }));
    await system.runUntilIdle();
    clock.advance(10);
    await system.runUntilIdle();
    await assert.rejects(answer, CallTimeoutError);
    assert.equal(system.schedulerStats().expiredCalls, 0, "not skipped yet: still queued");
    system.resume(pid);
    await system.runUntilIdle();
    assert.equal(system.schedulerStats().expiredCalls, 1);
    assert.deepEqual(expired, [{ count: 1, timeout: 10, pid }]);
    system.shutdown();
  });

  it("bad timeouts are RangeErrors", async () => {
    const { system } = collecting();
    const pid = await system.start(holder());
    for (const timeout of [-1, Number.NaN]) {
      await assert.rejects(() => system.call(pid, "x", { timeout }), RangeError);
    }
    assert.equal(await system.call(pid, "x", { timeout: Infinity }), "x");
    system.shutdown();
  });
});

describe("call: dead, unknown and self targets fail at once", () => {
  it("a call to a dead pid rejects with NoProcError at once, not after its timeout", async () => {
    const { system } = collecting();
    const pid = await system.start(holder());
    await system.stop(pid);
    const answer = system.call(pid, "ping", { timeout: 60_000 });
    const outcome = await outcomeAfter(answer, 20);
    assert.equal(outcome.status, "rejected");
    assert.ok(outcome.status === "rejected" && outcome.reason instanceof NoProcError);
    assert.equal((outcome as { reason: NoProcError }).reason.target, String(pid));
    assertNothingLeft(system);
    system.shutdown();
  });

  it("a call to an unknown name rejects with NoProcError at once (manual clock never moves)", async () => {
    const { system } = manual();
    await assert.rejects(() => system.call("nobody", "ping", { timeout: 60_000 }), (error) => {
      assert.ok(error instanceof NoProcError);
      assert.equal(error.target, "nobody");
      return true;
    });
    assertNothingLeft(system);
    system.shutdown();
  });

  it("a call to a process that is terminating fails when it exits, not after its timeout", async () => {
    const { system } = collecting();
    const terminating = deferred();
    const gate = deferred();
    const pid = await system.start<null, undefined>({
      init: () => ok(null),
      handleCall: (request, _from, state) => reply(request, state),
      terminate: () => {
        terminating.resolve();
        return gate.promise;
      },
    });
    const stopped = system.stop(pid, "normal");
    await terminating.promise;
    const answer = handled(system.call(pid, "ping", { timeout: 60_000 }));
    gate.resolve();
    await stopped;
    const outcome = await outcomeAfter(answer, 10);
    assert.equal(outcome.status, "rejected");
    const reason = (outcome as { reason: unknown }).reason;
    assert.ok(reason instanceof NoProcError || reason instanceof ExitError, String(reason));
    assert.equal(system.tableSizes().calls, 0);
    assert.equal(system.tableSizes().timers, 0);
    system.shutdown();
  });

  it("a process calling itself gets CallingSelfError (by pid and by name)", async () => {
    const { system } = collecting();
    const pid = await system.start(probe, undefined, { name: "me" });
    const byPid = await inside(
      system,
      pid,
      (ctx) => ctx.call(ctx.self, "x").then(() => "replied", (e: unknown) => e),
    );
    assert.ok(byPid instanceof CallingSelfError);
    assert.equal(byPid.target, String(pid));
    const byName = await inside(
      system,
      pid,
      (ctx) => ctx.call("me", "x").then(() => "replied", (e: unknown) => e),
    );
    assert.ok(byName instanceof CallingSelfError);
    assert.ok(system.isAlive(pid));
    system.shutdown();
  });

  it("system.call from inside a handler to its own process fails fast with CallingSelfError", async () => {
    const { system } = manual();
    let outcome: Promise<unknown> | undefined;
    const pid = await startManual<null, undefined>(system, {
      init: () => ok(null),
      handleCast: (_m, state, ctx) => {
        outcome = ctx.system.call(ctx.self, "me?", { timeout: Infinity }).catch((e) => e);
        return noreply(state);
      },
      handleCall: (r, _f, state) => reply(r, state),
    });
    system.cast(pid, "go");
    await system.runUntilIdle();
    assert.ok((await outcome) instanceof CallingSelfError, "no deadlock until a timeout");
    assert.equal(system.tableSizes().calls, 0);
    // From outside (nothing of that process on the stack), the same call is fine.
    const answer = system.call(pid, "from outside");
    await system.runUntilIdle();
    assert.equal(await answer, "from outside");
    system.shutdown();
  });
});

describe("call: the server crashes or exits", () => {
  it("a throw in handleCall rejects the caller with ExitError whose reason is the Error", async () => {
    const { system, reports } = collecting();
    const boom = new Error("boom");
    const pid = await system.start<null, undefined>({
      init: () => ok(null),
      handleCall: () => {
        throw boom;
      },
    });
    await assert.rejects(() => system.call(pid, "crash"), (error) => {
      assert.ok(error instanceof ExitError);
      assert.equal(error.reason, boom);
      assert.equal(error.cause, boom);
      assert.equal(error.target, String(pid));
      return true;
    });
    assert.equal(system.isAlive(pid), false);
    assert.equal(reports.length, 1);
    assertNothingLeft(system);
    system.shutdown();
  });

  it("a rejected handleCall Promise rejects the caller with its reason", async () => {
    const { system } = collecting();
    const boom = new TypeError("async boom");
    const pid = await system.start<null, undefined>({
      init: () => ok(null),
      handleCall: async () => {
        await Promise.resolve();
        throw boom;
      },
    });
    await assert.rejects(() => system.call(pid, "crash"), isExitWith(boom, pid));
    system.shutdown();
  });

  it("a bad return value: ExitError whose reason is a BadReturnValueError", async () => {
    const { system } = collecting();
    const pid = await system.start<null, undefined>({
      init: () => ok(null),
      handleCall: () => ({ type: "bogus" }) as unknown as CallResult<null, unknown>,
    });
    await assert.rejects(() => system.call(pid, "x"), (error) => {
      assert.ok(error instanceof ExitError);
      assert.ok(error.reason instanceof BadReturnValueError);
      assert.equal(error.reason.callback, "handleCall");
      assert.deepEqual(error.reason.value, { type: "bogus" });
      return true;
    });
    assert.equal(system.isAlive(pid), false);
    system.shutdown();
  });

  it("handleCall without a handleCall callback stops the server, the caller learns why", async () => {
    const { system } = collecting();
    const pid = await system.start({ init: () => ok(null) });
    await assert.rejects(() => system.call(pid, "x"), (error) => {
      assert.ok(error instanceof ExitError);
      assert.ok(error.reason instanceof Error);
      return true;
    });
    assert.equal(system.isAlive(pid), false);
    system.shutdown();
  });

  it("the server is killed while the caller waits: ExitError reason killed", async () => {
    const { system } = collecting();
    const pid = await system.start(holder());
    const answer = handled(system.call(pid, "hold", { timeout: Infinity }));
    await sleep(1);
    system.exit(pid, "kill");
    await assert.rejects(answer, isExitWith("killed", pid));
    assertNothingLeft(system);
    system.shutdown();
  });

  it("the server stops while the caller waits: ExitError with the stop reason", async () => {
    const { system } = collecting();
    const pid = await system.start(holder());
    const answer = handled(system.call(pid, "hold"));
    await sleep(1);
    await system.stop(pid, "shutdown");
    await assert.rejects(answer, isExitWith("shutdown", pid));
    assertNothingLeft(system);
    system.shutdown();
  });

  it("queued calls of a server that crashes all fail with its reason", async () => {
    const { system } = manual();
    const boom = new Error("first call crashes");
    const pid = await startManual<null, undefined>(system, {
      init: () => ok(null),
      handleCall: () => {
        throw boom;
      },
    });
    const calls = [1, 2, 3].map((n) => handled(system.call(pid, n)));
    await system.runUntilIdle();
    for (const call of calls) await assert.rejects(call, isExitWith(boom, pid));
    assertNothingLeft(system);
    system.shutdown();
  });
});

describe("call: overload of bounded mailboxes", () => {
  it("reject policy: a full mailbox refuses cast/send ('overloaded') and calls (OverloadedError) at once", async () => {
    const { system } = manual();
    const seen: unknown[] = [];
    const pid = await startManual<null, undefined>(
      system,
      {
        init: () => ok(null),
        handleCast: (request, state) => {
          seen.push(request);
          return noreply(state);
        },
        handleCall: (request, _from, state) => reply(request, state),
      },
      undefined,
      { mailbox: { bound: 2 } },
    );
    assert.equal(system.cast(pid, 1), "ok");
    assert.equal(system.cast(pid, 2), "ok");
    assert.equal(system.cast(pid, 3), "overloaded");
    assert.equal(system.send(pid, 4), "overloaded");
    // Nothing runs until runUntilIdle: this rejection is immediate.
    await assert.rejects(() => system.call(pid, "x", { timeout: 60_000 }), (error) => {
      assert.ok(error instanceof OverloadedError);
      assert.equal(error.outcome, "refused");
      assert.equal(error.target, String(pid));
      return true;
    });
    const info = system.processInfo(pid)!;
    assert.equal(info.mailbox.refused, 3);
    assert.equal(info.mailbox.bound, 2);
    assert.equal(info.mailbox.overflow, "reject");
    assert.equal(info.messageQueueLength, 2);
    assert.equal(system.tableSizes().calls, 0);
    assert.equal(system.tableSizes().timers, 0);
    await system.runUntilIdle();
    assert.deepEqual(seen, [1, 2]);
    assert.equal(system.cast(pid, 5), "ok", "room again once drained");
    system.shutdown();
  });

  it("a context's cast/send to a full mailbox also learns 'overloaded'", async () => {
    const { system } = manual();
    const target = await startManual(system, probe, undefined, { mailbox: { bound: 1 } });
    const sender = await startManual(system, probe, undefined);
    system.suspend(target);
    const results = inside(system, sender, (ctx) => [
      ctx.send(target, "a"),
      ctx.send(target, "b"),
      ctx.cast(target, () => {}),
    ]);
    await system.runUntilIdle();
    assert.deepEqual(await results, ["ok", "overloaded", "overloaded"]);
    assert.equal(system.processInfo(target)?.mailbox.refused, 2);
    system.shutdown();
  });

  it("drop_newest: cast/send return 'dropped', a call rejects OverloadedError outcome dropped", async () => {
    const { system } = manual();
    const seen: unknown[] = [];
    const pid = await startManual<null, undefined>(
      system,
      {
        init: () => ok(null),
        handleCast: (request, state) => {
          seen.push(request);
          return noreply(state);
        },
        handleCall: (request, _from, state) => reply(request, state),
      },
      undefined,
      { mailbox: { bound: 2, overflow: "drop_newest" } },
    );
    assert.equal(system.cast(pid, 1), "ok");
    assert.equal(system.cast(pid, 2), "ok");
    assert.equal(system.cast(pid, 3), "dropped");
    assert.equal(system.send(pid, 4), "dropped");
    await assert.rejects(
      () => system.call(pid, "x"),
      (error) => error instanceof OverloadedError && error.outcome === "dropped",
    );
    assert.equal(system.processInfo(pid)?.mailbox.dropped, 3);
    await system.runUntilIdle();
    assert.deepEqual(seen, [1, 2]);
    system.shutdown();
  });

  it("drop_oldest: evicting a queued call rejects that caller with OverloadedError outcome dropped", async () => {
    const { system } = manual();
    const seen: unknown[] = [];
    const pid = await startManual<null, undefined>(
      system,
      {
        init: () => ok(null),
        handleCast: (request, state) => {
          seen.push(request);
          return noreply(state);
        },
        handleCall: (request, _from, state) => {
          seen.push(`call ${request}`);
          return reply(request, state);
        },
      },
      undefined,
      { mailbox: { bound: 2, overflow: "drop_oldest" } },
    );
    const evicted = handled(system.call(pid, "first", { timeout: 60_000 }));
    assert.equal(system.cast(pid, "a"), "ok");
    assert.equal(system.cast(pid, "b"), "ok"); // evicts the call
    await assert.rejects(evicted, (error) => {
      assert.ok(error instanceof OverloadedError);
      assert.equal(error.outcome, "dropped");
      assert.equal(error.target, String(pid));
      return true;
    });
    assert.equal(system.tableSizes().calls, 0);
    assert.equal(system.tableSizes().timers, 0, "the evicted call's timer is gone");
    assert.equal(system.processInfo(pid)?.mailbox.dropped, 1);
    const kept = system.call(pid, "second"); // evicts "a"
    await system.runUntilIdle();
    assert.equal(await kept, "second");
    assert.deepEqual(seen, ["b", "call second"]);
    system.shutdown();
  });
});

describe("call: the reply does not go through the caller's mailbox", () => {
  it("a process with 500 000 queued messages gets its reply before handling any of them", async () => {
    const { system } = collecting();
    const QUEUED = 500_000;
    const held: From[] = [];
    const server = await system.start(holder(held));
    const callSent = deferred();
    const gotReply = deferred<{ reply: unknown; handledBefore: number; queued: number }>();
    type S = { handled: number };
    const caller = await system.start<S, undefined>({
      init: () => ok({ handled: 0 }),
      handleCast: (request, state, ctx) => {
        if (request !== "go") return noreply({ handled: state.handled + 1 });
        const answer = ctx.call(server, "hold", { timeout: Infinity });
        callSent.resolve();
        return answer.then((value) => {
          gotReply.resolve({
            reply: value,
            handledBefore: state.handled,
            queued: ctx.system.processInfo(ctx.self)!.messageQueueLength,
          });
          return noreply(state);
        });
      },
      handleCall: (_request, _from, state) => reply(state.handled, state),
    });
    system.cast(caller, "go");
    await callSent.promise;
    for (let i = 0; i < QUEUED; i++) system.cast(caller, i);
    assert.equal(system.processInfo(caller)?.messageQueueLength, QUEUED);
    system.cast(server, { release: "pong" });
    const got = await gotReply.promise;
    assert.equal(got.reply, "pong");
    assert.equal(got.handledBefore, 0);
    assert.equal(got.queued, QUEUED);
    assert.equal(await system.call(caller, "count", { timeout: Infinity }), QUEUED);
    system.shutdown();
  });
});

describe("call: leaves nothing behind", () => {
  it("after replies, timeouts, crashes and stops every table is empty", async () => {
    const { system, clock } = manual();
    const pid = await startManual(system, holder());
    const ok1 = system.call(pid, "a");
    const late = handled(system.call(pid, "hold", { timeout: 5 }));
    await system.runUntilIdle();
    clock.advance(5);
    await system.runUntilIdle();
    assert.equal(await ok1, "a");
    await assert.rejects(late, CallTimeoutError);
    const stopped = system.stop(pid);
    await system.runUntilIdle();
    await stopped;
    assertNothingLeft(system);
    system.shutdown();
  });
});
