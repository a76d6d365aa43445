import assert from "node:assert/strict";
import { test } from "node:test";
import { type GenServer, noreply, ok, reply, stop } from "../../src/gen_server.ts";
import { CallTimeoutError, ExitError, NoProcError } from "../../src/errors.ts";
import type { ExitReason } from "../../src/exit_reason.ts";
import { createTestSystem } from "../../src/testing/test_system.ts";
import { InjectedCrashError, NotSettledError } from "../../src/testing/errors.ts";

/** Records every plain message with the virtual time it was handled at. */
function recorder(
  now: () => number,
): GenServer<string[], undefined, "log", string[], unknown, string> {
  return {
    init: () => ok([]),
    handleCall: (_request, _from, log) => reply(log, log),
    handleCast: (_request, log) => noreply(log),
    handleInfo: (message, log, ctx) => {
      if (typeof message === "string" && message.startsWith("again:")) {
        // A timer set by a timer: fires within the same advance window if due.
        ctx.sendAfter(ctx.self, message.slice(6), 30);
      }
      return noreply([...log, `${now()}:${String(message)}`]);
    },
  };
}

test("nothing runs until the test runs the system", async () => {
  const t = createTestSystem();
  const pid = await t.start(recorder(() => t.clock.now()));
  t.system.send(pid, "a");
  t.system.send(pid, "b");
  assert.equal(t.mailbox(pid).length, 2);
  await t.runUntilIdle();
  assert.equal(t.mailbox(pid).length, 0);
  assert.deepEqual(await t.call(pid, "log"), ["0:a", "0:b"]);
  t.dispose();
});

test("runUntilIdle settles async callbacks, including ones that wait on the host", async () => {
  const t = createTestSystem();
  const pid = await t.start<number, undefined>({
    init: async () => {
      await Promise.resolve();
      return ok(0);
    },
    handleCall: async (_request, _from, n: number) => {
      await new Promise((resolve) => setTimeout(resolve, 1)); // a real host timer
      return reply(n, n);
    },
    handleCast: async (k: number, n: number) => {
      await Promise.resolve();
      await Promise.resolve();
      return noreply(n + k);
    },
  });
  for (let i = 1; i <= 5; i++) t.system.cast(pid, i);
  await t.runUntilIdle();
  assert.equal(t.mailbox(pid).length, 0);
  assert.equal(t.mailbox(pid).status, "waiting");
  assert.equal(await t.call(pid, "sum"), 15);
  t.dispose();
});

test("advance fires sendAfter timers in deadline order, and only those due", async () => {
  const t = createTestSystem();
  const pid = await t.start(recorder(() => t.clock.now()));
  t.system.sendAfter(pid, "c", 300);
  t.system.sendAfter(pid, "a", 100);
  t.system.sendAfter(pid, "b", 100); // same deadline: in the order scheduled
  t.system.sendAfter(pid, "late", 1001);
  await t.advance(999);
  assert.deepEqual(await t.call(pid, "log"), ["100:a", "100:b", "300:c"]);
  assert.equal(t.clock.now(), 999);
  await t.advance(1);
  assert.deepEqual(await t.call(pid, "log"), ["100:a", "100:b", "300:c"]);
  await t.advance(1);
  assert.deepEqual((await t.call<string[]>(pid, "log")).at(-1), "1001:late");
  t.dispose();
});

test("advance fires timers set by fired timers within the window, at their own time", async () => {
  const t = createTestSystem();
  const pid = await t.start(recorder(() => t.clock.now()));
  t.system.sendAfter(pid, "again:x", 50); // at 50 sets "x" for 80
  t.system.sendAfter(pid, "again:again:y", 10); // at 10 sets "again:y" for 40, which sets "y" for 70
  await t.advance(100);
  assert.deepEqual(await t.call(pid, "log"), [
    "10:again:again:y",
    "40:again:y",
    "50:again:x",
    "70:y",
    "80:x",
  ]);
  t.dispose();
});

test("advance is deterministic: the same script gives the same log", async () => {
  async function script(): Promise<string[]> {
    const t = createTestSystem({ startAt: 12_345 });
    const pid = await t.start(recorder(() => t.clock.now() - 12_345));
    for (let i = 0; i < 20; i++) t.system.sendAfter(pid, `m${i}`, (i * 37) % 200);
    t.system.sendAfter(pid, "again:z", 150);
    await t.advance(90);
    await t.advance(200);
    const log = await t.call<string[]>(pid, "log");
    t.dispose();
    return log;
  }
  const first = await script();
  assert.equal(first.length, 22);
  assert.deepEqual(await script(), first);
});

test("advance fires a call timeout in virtual time", async () => {
  const t = createTestSystem();
  const pid = await t.start({ init: () => ok(0), handleCall: (_r, _f, n: number) => noreply(n) });
  const outcome = t.system.call(pid, "ping", { timeout: 5000 }).catch((error) => error);
  await t.advance(4999);
  await t.advance(1);
  const error = await outcome;
  assert.ok(error instanceof CallTimeoutError);
  assert.equal(error.timeout, 5000);
  await assert.rejects(t.advance(-1), RangeError);
  await assert.rejects(t.advance(Infinity), RangeError);
  t.dispose();
});

test("advance and runUntilIdle do not hang on a callback that awaits a call timeout (virtual time)", async () => {
  const t = createTestSystem();
  const silent = await t.start({
    init: () => ok(0),
    handleCall: (_r, _f, n: number) => noreply(n),
  });
  const seen: Error[] = [];
  const waiter = await t.start<null, undefined>({
    init: () => ok(null),
    handleCast: async (_m, state, ctx) => {
      seen.push(await ctx.call<Error>(silent, "ping", { timeout: 1000 }).catch((e: Error) => e));
      return noreply(state);
    },
  });
  t.system.cast(waiter, "go");
  await t.runUntilIdle(); // returns: the callback waits on virtual time
  assert.equal(seen.length, 0);
  await t.advance(999);
  assert.equal(seen.length, 0);
  await t.advance(1);
  assert.equal(seen.length, 1);
  assert.ok(seen[0] instanceof CallTimeoutError);
  assert.equal(t.mailbox(waiter).status, "waiting");
  t.dispose();
});

test("mailbox shows length, oldest age and counters, never contents", async () => {
  const t = createTestSystem();
  const pid = await t.start(
    { init: () => ok(null), handleCast: (_m, s: null) => noreply(s) },
    undefined,
    { mailbox: { bound: 3 } },
  );
  for (let i = 0; i < 5; i++) t.system.cast(pid, i);
  t.clock.advance(40); // the clock alone: nothing runs, the messages age
  await t.runUntilIdle();
  const after = t.mailbox(pid);
  assert.equal(after.length, 0);
  assert.equal(after.refused, 2);
  assert.equal(after.highWater, 3);
  assert.equal(after.bound, 3);
  assert.equal(after.enqueued, 4); // init + 3 casts
  assert.equal(after.dequeued, 4);

  t.system.suspend(pid);
  t.system.cast(pid, "x");
  await t.advance(25);
  const waiting = t.mailbox(pid);
  assert.equal(waiting.length, 1);
  assert.equal(waiting.oldestAgeMs, 25);
  assert.equal(waiting.status, "suspended");
  assert.ok(!("messages" in waiting));

  t.system.exit(pid, "kill");
  assert.throws(() => t.mailbox(pid), NoProcError);
  t.dispose();
});

test("crashAt crashes the process on its n-th next message: callers, monitors and reports see it", async () => {
  const t = createTestSystem();
  const pid = await t.start({
    init: () => ok(0),
    handleCall: (_r, _f, n: number) => reply(n, n),
    handleCast: (_m, n: number) => noreply(n + 1),
  });
  let down: ExitReason | undefined;
  t.system.monitor(pid, (reason) => (down = reason));
  t.crashAt(pid, 3);
  t.system.cast(pid, "one");
  t.system.cast(pid, "two");
  const third = t.call(pid, "three");
  await assert.rejects(third, (error) => {
    assert.ok(error instanceof ExitError);
    assert.ok(error.reason instanceof InjectedCrashError);
    return true;
  });
  assert.equal(t.system.isAlive(pid), false);
  assert.ok(down instanceof InjectedCrashError);
  assert.equal((down as InjectedCrashError).atMessage, 3);
  assert.equal(t.reports.length, 1);
  assert.equal(t.reports[0].callback, "handleCall");
  assert.equal(t.reports[0].message, "three");
  t.dispose();
});

test("crashAt takes a reason, and validates n", async () => {
  const t = createTestSystem();
  const pid = await t.start({ init: () => ok(0), handleInfo: (_m, n: number) => noreply(n) });
  assert.throws(() => t.crashAt(pid, 0), RangeError);
  assert.throws(() => t.crashAt(pid, 1.5), RangeError);
  t.crashAt(pid, 1, "disk on fire");
  t.system.send(pid, "hello");
  assert.equal(
    await Promise.all([t.system.whenExited(pid), t.runUntilIdle()]).then(([r]) => r),
    "disk on fire",
  );
  assert.equal(t.reports[0].reason, "disk on fire");
  assert.throws(() => t.crashAt(pid, 1), NoProcError);
  t.dispose();
});

test("call reports a pending reply as NotSettledError; start and call failures are themselves", async () => {
  const t = createTestSystem();
  const pid = await t.start({ init: () => ok(0), handleCall: (_r, _f, n: number) => noreply(n) });
  await assert.rejects(t.call(pid, "ping"), NotSettledError);
  await assert.rejects(t.start({ init: () => stop("no") }), ExitError);
  await assert.rejects(
    t.start({
      init: () => {
        throw new Error("bad config");
      },
    }),
    ExitError,
  );
  assert.equal(t.reports.length, 1); // the throw is a crash; stop("no") is not reported
  await assert.rejects(t.call("nobody", "ping"), NoProcError);
  t.dispose();
});

test("reports are collected, and forwarded to a logger when given", async () => {
  const forwarded: unknown[] = [];
  const t = createTestSystem({
    logger: { report: (r) => forwarded.push(r.kind === "notice" ? r.message : r.reason) },
  });
  const pid = await t.start({
    init: () => ok(0),
    handleCast: () => {
      throw new Error("boom");
    },
  });
  t.system.cast(pid, "x");
  await t.runUntilIdle();
  assert.equal(t.reports.length, 1);
  assert.equal((t.reports[0].reason as Error).message, "boom");
  assert.equal(forwarded.length, 1);
  t.dispose();
});

test("dispose kills every process and is idempotent", async () => {
  const t = createTestSystem();
  const a = await t.start({ init: () => ok(0) });
  const b = await t.start({ init: () => ok(0) });
  t.system.sendAfter(a, "later", 100);
  t.dispose();
  t.dispose();
  assert.equal(t.system.isAlive(a), false);
  assert.equal(t.system.isAlive(b), false);
  assert.equal(t.system.tableSizes().processes, 0);
  assert.equal(t.system.tableSizes().timers, 0);
  assert.equal(t.reports.length, 0);
});
