/**
 * `System.start` and the `init` callback (OTP gen_server_SUITE: start,
 * init errors, ignore, timeouts, names, continue).
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { AlreadyStartedError, BadReturnValueError, ExitError } from "../src/errors.ts";
import {
  type GenServer,
  ignore,
  type InitResult,
  noreply,
  ok,
  reply,
  stop,
} from "../src/gen_server.ts";
import type { Pid } from "../src/pid.ts";
import {
  assertNothingLeft,
  collecting,
  deferred,
  inside,
  manual,
  outcomeAfter,
  probe,
  startManual,
} from "./_helpers.ts";

/** A server that answers `call(pid, "state")` with its state. */
function withState<S>(init: GenServer<S, undefined>["init"]): GenServer<S, undefined> {
  return {
    init,
    handleCall: (_request, _from, state) => reply(state, state),
  };
}

function isExitError(reason: unknown) {
  return (error: unknown) => {
    assert.ok(error instanceof ExitError, `expected an ExitError, got ${String(error)}`);
    assert.equal(error.reason, reason);
    return true;
  };
}

describe("start: init errors leave nothing behind", () => {
  it("init throws: start rejects with an ExitError carrying the error, the name is free again", async () => {
    const { system, reports } = collecting();
    const boom = new Error("boom");
    const failing = withState((): InitResult<number> => {
      throw boom;
    });
    await assert.rejects(() => system.start(failing, undefined, { name: "svc" }), (error) => {
      assert.ok(error instanceof ExitError);
      assert.equal(error.reason, boom);
      assert.equal(error.cause, boom);
      return true;
    });
    assertNothingLeft(system);
    assert.equal(system.whereis("svc"), undefined);
    assert.deepEqual(system.processes(), []);
    assert.equal(reports.length, 1, "one crash report for the failed init");
    assert.equal(reports[0].callback, "init");
    assert.equal(reports[0].reason, boom);

    const pid = await system.start(withState(() => ok(1)), undefined, { name: "svc" });
    assert.equal(system.whereis("svc"), pid);
    assert.equal(await system.call("svc", "state"), 1);
    system.shutdown();
  });

  it("init rejects: start rejects with an ExitError carrying the rejection", async () => {
    const { system } = collecting();
    const boom = new RangeError("async boom");
    const failing = withState(async (): Promise<InitResult<number>> => {
      await Promise.resolve();
      throw boom;
    });
    await assert.rejects(
      () => system.start(failing, undefined, { name: "svc" }),
      isExitError(boom),
    );
    assertNothingLeft(system);
    assert.equal(system.whereis("svc"), undefined);
    system.shutdown();
  });

  it("init returns stop(reason): start rejects with that reason", async () => {
    const { system } = collecting();
    const reason = { bad: "config" };
    await assert.rejects(
      () => system.start(withState(() => stop(reason)), undefined, { name: "svc" }),
      isExitError(reason),
    );
    assertNothingLeft(system);
    const pid = await system.start(withState(() => ok("again")), undefined, { name: "svc" });
    assert.equal(system.whereis("svc"), pid);
    system.shutdown();
  });

  it("init returns a bad value: start rejects with a BadReturnValueError reason", async () => {
    const { system } = collecting();
    const bad = withState(() => 42 as unknown as InitResult<number>);
    await assert.rejects(() => system.start(bad), (error) => {
      assert.ok(error instanceof ExitError);
      assert.ok(error.reason instanceof BadReturnValueError);
      assert.equal(error.reason.callback, "init");
      assert.equal(error.reason.value, 42);
      return true;
    });
    assertNothingLeft(system);
    system.shutdown();
  });

  it("a startLink child whose init fails does not take its (non-trapping) parent down", async () => {
    const { system } = collecting();
    const parent = await system.start(probe, undefined);
    const error = await inside(
      system,
      parent,
      (ctx) =>
        ctx.startLink(withState(() => stop("no_config")), undefined).then(
          () => "started",
          (e: unknown) => e,
        ),
    );
    assert.ok(error instanceof ExitError);
    assert.equal(error.reason, "no_config");
    assert.ok(system.isAlive(parent));
    assert.deepEqual(system.processInfo(parent)?.links, []);
    system.shutdown();
  });
});

describe("start: ignore, timeouts, names", () => {
  it("init returns ignore(): start resolves undefined and nothing is left", async () => {
    const { system, reports } = collecting();
    const pid = await system.start(withState(() => ignore()), undefined, { name: "svc" });
    assert.equal(pid, undefined);
    assertNothingLeft(system);
    assert.equal(system.whereis("svc"), undefined);
    assert.equal(reports.length, 0);
    system.shutdown();
  });

  it("init outlasting initTimeout: start rejects (reason timeout) and the process is killed", async () => {
    const { system } = collecting();
    const initStarted = deferred();
    const slow = withState((): Promise<InitResult<number>> => {
      initStarted.resolve();
      return new Promise(() => {}); // never settles
    });
    const started = system.start(slow, undefined, { name: "slow", initTimeout: 20 });
    await initStarted.promise;
    const pid = system.whereis("slow") as Pid;
    assert.ok(pid, "registered while starting");
    const down = new Promise((resolve) => system.monitor(pid, resolve));
    await assert.rejects(() => started, isExitError("timeout"));
    assert.equal(system.isAlive(pid), false);
    assert.equal(await down, "killed");
    assertNothingLeft(system);
    system.shutdown();
  });

  it("initTimeout does not fire once init has returned", async () => {
    const { system, clock } = manual();
    const pid = await startManual(system, withState(() => ok("fine")), undefined, {
      initTimeout: 50,
    });
    clock.advance(1000);
    await system.runUntilIdle();
    assert.ok(system.isAlive(pid));
    assert.equal(system.tableSizes().timers, 0);
    system.shutdown();
  });

  it("a startLink child killed by initTimeout does not take its parent down", async () => {
    const { system } = collecting();
    const parent = await system.start(probe, undefined);
    const never = withState((): Promise<InitResult<number>> => new Promise(() => {}));
    const error = await inside(
      system,
      parent,
      (ctx) =>
        ctx.startLink(never, undefined, { initTimeout: 10 }).then(
          () => "started",
          (e: unknown) => e,
        ),
    );
    assert.ok(error instanceof ExitError);
    assert.equal(error.reason, "timeout");
    assert.ok(system.isAlive(parent));
    assert.deepEqual(system.processInfo(parent)?.links, []);
    system.shutdown();
  });

  it("a name already held: AlreadyStartedError naming the holder, the holder unharmed", async () => {
    const { system } = collecting();
    const holder = await system.start(withState(() => ok("first")), undefined, { name: "svc" });
    const inits: string[] = [];
    const second = withState(() => {
      inits.push("second");
      return ok("second");
    });
    await assert.rejects(() => system.start(second, undefined, { name: "svc" }), (error) => {
      assert.ok(error instanceof AlreadyStartedError);
      assert.equal(error.processName, "svc");
      assert.equal(error.pid, holder);
      return true;
    });
    assert.deepEqual(inits, [], "the second init never ran");
    assert.equal(system.whereis("svc"), holder);
    assert.equal(await system.call("svc", "state"), "first");
    assert.equal(system.tableSizes().processes, 1);
    system.shutdown();
  });

  it("a name held by a process still in init is taken too", async () => {
    const { system } = collecting();
    const gate = deferred<InitResult<number>>();
    const first = system.start(withState(() => gate.promise), undefined, { name: "svc" });
    await assert.rejects(
      () => system.start(withState(() => ok(2)), undefined, { name: "svc" }),
      AlreadyStartedError,
    );
    gate.resolve(ok(1));
    const pid = await first;
    assert.equal(system.whereis("svc"), pid);
    system.shutdown();
  });

  it("the name is free again after the holder exits", async () => {
    const { system } = collecting();
    const first = await system.start(withState(() => ok(1)), undefined, { name: "svc" });
    await system.stop(first);
    assert.equal(system.whereis("svc"), undefined);
    const second = await system.start(withState(() => ok(2)), undefined, { name: "svc" });
    assert.notEqual(second, first);
    assert.equal(await system.call("svc", "state"), 2);
    system.shutdown();
  });
});

describe("start: async init and continue", () => {
  it("async init: start resolves once init's Promise resolves; the process is busy meanwhile", async () => {
    const { system } = collecting();
    const gate = deferred<InitResult<string>>();
    const initRan = deferred();
    const started = system.start(
      withState(() => {
        initRan.resolve();
        return gate.promise;
      }),
      undefined,
      { name: "svc" },
    );
    await initRan.promise;
    assert.equal((await outcomeAfter(started)).status, "pending");
    const info = system.processInfo("svc");
    assert.equal(info?.currentCallback, "init");
    assert.equal(info?.status, "running");
    gate.resolve(ok("ready"));
    const pid = await started;
    assert.equal(system.whereis("svc"), pid);
    assert.equal(await system.call(pid, "state"), "ready");
    system.shutdown();
  });

  it("init's continue runs before any message, even messages sent during init", async () => {
    const { system } = collecting();
    const gate = deferred();
    const initRunning = deferred();
    type Log = string[];
    const server: GenServer<Log, undefined> = {
      init: async (_arg, ctx) => {
        ctx.send(ctx.self, "info from init");
        ctx.cast(ctx.self, "cast from init");
        initRunning.resolve();
        await gate.promise;
        return ok(["init"], { continue: "warm-up" });
      },
      handleContinue: (value, log) => noreply([...log, `continue:${value}`]),
      handleCast: (request, log) => noreply([...log, `cast:${request}`]),
      handleInfo: (message, log) => noreply([...log, `info:${message}`]),
      handleCall: (_request, _from, log) => reply(log, log),
    };
    const started = system.start(server, undefined, { name: "svc" });
    await initRunning.promise;
    assert.equal(system.send("svc", "info from outside"), "ok");
    assert.equal(system.cast("svc", "cast from outside"), "ok");
    gate.resolve();
    const pid = await started;
    assert.deepEqual(await system.call(pid, "log"), [
      "init",
      "continue:warm-up",
      "info:info from init",
      "cast:cast from init",
      "info:info from outside",
      "cast:cast from outside",
    ]);
    system.shutdown();
  });

  it("sync init with continue: continue runs before a message init sent itself", async () => {
    const { system } = manual();
    const server: GenServer<string[], undefined> = {
      init: (_arg, ctx) => {
        ctx.send(ctx.self, "early");
        return ok([], { continue: "c" });
      },
      handleContinue: (value, log) => noreply([...log, `continue:${value}`]),
      handleInfo: (message, log) => noreply([...log, `info:${message}`]),
      handleCall: (_request, _from, log) => reply(log, log),
    };
    const pid = await startManual(system, server);
    const log = system.call(pid, "log");
    await system.runUntilIdle();
    assert.deepEqual(await log, ["continue:c", "info:early"]);
    system.shutdown();
  });

  it("a continue chain runs to its end before the next message", async () => {
    const { system } = collecting();
    const server: GenServer<number[], undefined> = {
      init: () => ok([], { continue: 1 }),
      handleContinue: (value, log) => {
        const n = value as number;
        return noreply([...log, n], n < 3 ? { continue: n + 1 } : {});
      },
      handleCall: (_request, _from, log) => reply(log, log),
    };
    const pid = await system.start(server);
    assert.deepEqual(await system.call(pid, "log"), [1, 2, 3]);
    system.shutdown();
  });
});

describe("start: bad arguments are typed errors", () => {
  const good = withState(() => ok(0));

  it("mailbox.bound 0, negative, fractional: RangeError", async () => {
    const { system } = collecting();
    for (const bound of [0, -1, 1.5, Number.NaN]) {
      await assert.rejects(() => system.start(good, undefined, { mailbox: { bound } }), RangeError);
    }
    assertNothingLeft(system);
    system.shutdown();
  });

  it("unknown overflow policy: TypeError", async () => {
    const { system } = collecting();
    await assert.rejects(
      () =>
        system.start(good, undefined, {
          mailbox: { bound: 10, overflow: "drop_all" as unknown as "reject" },
        }),
      TypeError,
    );
    assertNothingLeft(system);
    system.shutdown();
  });

  it("unknown priority: TypeError", async () => {
    const { system } = collecting();
    await assert.rejects(
      () => system.start(good, undefined, { priority: "urgent" as unknown as "high" }),
      TypeError,
    );
    assertNothingLeft(system);
    system.shutdown();
  });

  it("a server that is not an object with init: TypeError", async () => {
    const { system } = collecting();
    for (const server of [null, undefined, 42, "server", {}, { init: "no" }]) {
      await assert.rejects(
        () => system.start(server as unknown as GenServer<number, undefined>),
        TypeError,
      );
    }
    assertNothingLeft(system);
    system.shutdown();
  });

  it("bad initTimeout and empty name", async () => {
    const { system } = collecting();
    await assert.rejects(() => system.start(good, undefined, { initTimeout: -1 }), RangeError);
    await assert.rejects(() => system.start(good, undefined, { name: "" }), TypeError);
    assertNothingLeft(system);
    system.shutdown();
  });
});
