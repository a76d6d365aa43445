/**
 * Containment (issue 10): whatever a process hands the runtime — a result
 * nobody can read, an unprintable reason, a thenable that misbehaves, a
 * registry that throws — that process dies alone, its reason reaches its
 * callers, links and monitors, the clean-up runs to the end, and a dead
 * process never acts again. Each test is named after the symptom it pins.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  BadReturnValueError,
  ExitError,
  type ReplyRejectedError,
  ThenableReasonError,
} from "../src/errors.ts";
import { formatReason } from "../src/exit_reason.ts";
import { type GenServer, noreply, ok, reply } from "../src/gen_server.ts";
import type { Report } from "../src/logger.ts";
import { Pid } from "../src/pid.ts";
import { System } from "../src/system.ts";
import type { ViaRegistry } from "../src/options.ts";
import { Supervisor } from "../src/supervisor/mod.ts";
import { createTestSystem } from "../src/testing/test_system.ts";
import {
  assertNothingLeft,
  collecting,
  deferred,
  flush,
  handled,
  inside,
  manual,
  probe,
  startManual,
} from "./_helpers.ts";

/** A null-prototype object holding a BigInt and a cycle: neither JSON.stringify nor String() take it. */
function unprintable(): object {
  const value = Object.create(null) as Record<string, unknown>;
  value.big = 10n;
  value.self = value;
  return value;
}

/** A Proxy whose every trap throws. */
function hostileProxy(): object {
  const thrower = () => {
    throw new Error("trap");
  };
  return new Proxy({}, {
    get: thrower,
    has: thrower,
    ownKeys: thrower,
    getPrototypeOf: thrower,
    getOwnPropertyDescriptor: thrower,
  });
}

/** A server whose handleCall returns (or throws, or resolves to) what the request says. */
const puppet: GenServer<null, undefined> = {
  init: () => ok(null),
  handleCall: (request) => (request as () => unknown)() as never,
  handleCast: (request) => (request as () => unknown)() as never,
};

/** Starts a puppet, calls it with `result`, and returns the call's error and the reports. */
async function crashWith(result: () => unknown) {
  const { system, reports } = manual();
  const pid = await startManual(system, puppet);
  // Wrapped: resolving a Promise with a hostile value would read its `then`.
  const down = deferred<{ reason: unknown }>();
  system.monitor(pid, (reason) => down.resolve({ reason }));
  const call = handled(system.call(pid, result));
  await system.runUntilIdle();
  const error = await call.catch((e) => e);
  await system.runUntilIdle();
  return { system, pid, error, reason: (await down.promise).reason, reports };
}

describe("hostile callback results", () => {
  it("noreply with timeout MAX_SAFE_INTEGER crashes that process with a bad return value; the host lives", async () => {
    const { system, error, reason, reports } = await crashWith(() =>
      noreply(null, { timeout: Number.MAX_SAFE_INTEGER })
    );
    assert.ok(error instanceof ExitError);
    assert.ok(reason instanceof BadReturnValueError);
    assert.match(reason.message, /timeout must be a number of ms in 0\.\.68719476735 or Infinity/);
    assert.equal(reports.length, 1);
    assertNothingLeft(system);
  });

  for (
    const [what, make] of [["an unprintable object", unprintable], [
      "a Proxy whose traps throw",
      hostileProxy,
    ]] as const
  ) {
    it(`a callback returning ${what} crashes with a printable reason`, async () => {
      const { system, error, reason, reports } = await crashWith(make);
      assert.ok(error instanceof ExitError);
      assert.ok(reason instanceof BadReturnValueError);
      assert.equal(typeof formatReason(reason), "string");
      assert.equal(reports.length, 1);
      assertNothingLeft(system);
    });

    it(`a callback throwing ${what} crashes; its reason prints and reaches the caller`, async () => {
      const thrown = make();
      const { system, error, reason, reports } = await crashWith(() => {
        throw thrown;
      });
      assert.ok(error instanceof ExitError);
      // A value no Promise can carry (reading its `then` throws) is replaced, alike for everyone.
      const seen = what === "a Proxy whose traps throw"
        ? (error.reason as ThenableReasonError).original
        : error.reason;
      assert.equal(seen, thrown);
      assert.equal(reason, error.reason);
      assert.equal(typeof error.message, "string");
      assert.equal(reports.length, 1);
      assert.equal(typeof formatReason(reports[0].kind === "crash" && reports[0].reason), "string");
      assertNothingLeft(system);
    });
  }

  it("a result whose then getter throws is a bad return value, not an escape", async () => {
    const { system, reason } = await crashWith(() => ({
      get then() {
        throw new Error("then getter");
      },
    }));
    assert.ok(reason instanceof BadReturnValueError);
    assert.equal((reason.cause as Error).message, "then getter");
    assertNothingLeft(system);
  });

  it("a result whose type getter throws is a bad return value", async () => {
    const { system, reason } = await crashWith(() => ({
      get type(): string {
        throw new Error("type getter");
      },
    }));
    assert.ok(reason instanceof BadReturnValueError);
    assertNothingLeft(system);
  });

  it("a thenable whose then throws synchronously rejects the callback: the process crashes", async () => {
    const boom = new Error("then threw");
    const { system, reason } = await crashWith(() => ({
      then() {
        throw boom;
      },
    }));
    assert.equal(reason, boom);
    assertNothingLeft(system);
  });

  it("a thenable that calls back synchronously, twice and both ways settles the call once", async () => {
    const { system } = manual();
    const pid = await startManual(system, puppet);
    const call = system.call(pid, () => ({
      then(onValue: (v: unknown) => void, onError: (e: unknown) => void) {
        onValue(reply("first", null));
        onValue(reply("second", null));
        onError(new Error("late"));
      },
    }));
    await system.runUntilIdle();
    assert.equal(await call, "first");
    assert.equal(system.isAlive(pid), true);
    const again = system.call(pid, () => reply("still answers", null));
    await system.runUntilIdle();
    assert.equal(await again, "still answers");
    system.shutdown();
  });

  it("a thenable that calls back after the process moved on is ignored", async () => {
    const { system } = manual();
    const pid = await startManual(system, puppet);
    let late: ((v: unknown) => void) | undefined;
    const first = system.call(pid, () => ({
      then(onValue: (v: unknown) => void) {
        late = onValue;
        onValue(reply(1, null));
      },
    }));
    await system.runUntilIdle();
    assert.equal(await first, 1);
    const second = system.call(
      pid,
      () => new Promise((resolve) => setTimeout(() => resolve(reply(2, null)), 5)),
    );
    await system.runUntilIdle();
    late!(reply("stale", null)); // the first park's callback, again, while the second is in flight
    await system.runUntilIdle();
    assert.equal(await second, 2);
    system.shutdown();
  });
});

describe("clean-up always completes", () => {
  it("a crash with an unprintable reason still restarts under a supervisor", async () => {
    const { system } = manual();
    let starts = 0;
    const worker: GenServer<null, undefined> = {
      init: () => {
        starts++;
        return ok(null);
      },
      handleCast: () => {
        throw unprintable();
      },
    };
    const sup = Supervisor.start(system, [{ id: "w", start: { server: worker } }]);
    await system.runUntilIdle();
    await sup;
    const [child] = await (async () => {
      const listed = Supervisor.whichChildren(system, await sup);
      await system.runUntilIdle();
      return (await listed).map((c) => c.pid!);
    })();
    system.cast(child, "crash");
    await system.runUntilIdle();
    assert.equal(starts, 2);
    system.shutdown();
  });

  it("a monitor's onDown that is not a function is refused at once", async () => {
    const { system } = manual();
    const pid = await startManual(system, probe);
    assert.throws(() => system.monitor(pid, "nope" as never), TypeError);
    assert.equal(system.tableSizes().monitors, 0);
    system.shutdown();
  });

  it("a throwing onDown is reported and the host lives; the other monitors still fire", async () => {
    const reports: Report[] = [];
    const system = new System({ scheduling: "manual", logger: { report: (r) => reports.push(r) } });
    const pid = await startManual(system, probe);
    const fired: string[] = [];
    system.monitor(pid, () => {
      throw new Error("onDown threw");
    });
    system.monitor(pid, () => fired.push("second"));
    system.exit(pid, "kill");
    await system.runUntilIdle();
    await new Promise((resolve) => setTimeout(resolve, 0));
    assert.deepEqual(fired, ["second"]);
    const callbackReports = reports.filter((r) => r.kind === "callback");
    assert.equal(callbackReports.length, 1);
    assert.equal(
      callbackReports[0].kind === "callback" && callbackReports[0].callback,
      "monitor onDown",
    );
    system.shutdown();
  });

  it("a via registry whose unregisterName throws: the exit completes, the name's holder is gone, the failure is reported", async () => {
    const { system, reports } = manual();
    const names = new Map<unknown, Pid>();
    const registry: ViaRegistry = {
      whereisName: (key) => names.get(key),
      registerName: (key, pid) => (names.set(key, pid), true),
      unregisterName: () => {
        throw new Error("unregister failed");
      },
    };
    const pid = await startManual(system, probe, undefined, { name: { via: registry, key: "k" } });
    const down = deferred<unknown>();
    system.monitor(pid, (reason) => down.resolve(reason));
    const stopped = system.stop(pid);
    await system.runUntilIdle();
    await stopped;
    assert.equal(await down.promise, "normal");
    assert.equal(system.isAlive(pid), false);
    assert.equal(reports.length, 1);
    assert.equal(reports[0].callback, "unregisterName");
    assertNothingLeft(system);
  });

  it("a via registry whose registerName throws: start rejects with its error and leaves no zombie", async () => {
    const { system } = manual();
    const registry: ViaRegistry = {
      whereisName: () => undefined,
      registerName: () => {
        throw new Error("register failed");
      },
      unregisterName: () => {},
    };
    const started = handled(system.start(probe, undefined, { name: { via: registry, key: "k" } }));
    await system.runUntilIdle();
    await assert.rejects(started, /register failed/);
    assertNothingLeft(system);
  });

  it("a via registry whose registerName refuses: AlreadyStartedError, no zombie", async () => {
    const { system } = manual();
    const registry: ViaRegistry = {
      whereisName: () => undefined,
      registerName: () => false,
      unregisterName: () => {},
    };
    await assert.rejects(
      system.start(probe, undefined, { name: { via: registry, key: "k" } }),
      (error: Error) => error.name === "AlreadyStartedError",
    );
    assertNothingLeft(system);
  });

  it(
    "killing the head of a chain of 100,000 linked processes unwinds without overflowing the stack",
    {
      timeout: 120_000,
    },
    async () => {
      const { system } = manual();
      const pids: Pid[] = [];
      const link: GenServer<null, Pid | undefined> = {
        init: (previous, ctx) => {
          if (previous !== undefined) ctx.link(previous);
          return ok(null);
        },
      };
      let previous: Pid | undefined;
      for (let i = 0; i < 100_000; i++) {
        const started = system.start(link, previous);
        await system.runUntilIdle();
        previous = await started;
        pids.push(previous);
      }
      system.exit(pids[0], "kill");
      await system.runUntilIdle();
      assert.equal(system.tableSizes().processes, 0);
      assertNothingLeft(system);
    },
  );
});

describe("a dead process never acts again", () => {
  it("a callback still running after its process was killed: its context sends nothing, starts nothing, links nothing", async () => {
    const { system } = collecting();
    const target = await system.start(probe, undefined);
    const gate = deferred();
    const done = deferred<Record<string, unknown>>();
    const server: GenServer<null, undefined> = {
      init: () => ok(null),
      handleCast: async (_m, state, ctx) => {
        await gate.promise;
        const outcome: Record<string, unknown> = {};
        outcome.send = ctx.send(target, "from the dead");
        outcome.cast = ctx.cast(target, () => {});
        outcome.start = await ctx.startLink(probe, undefined).then(() => "started", (e) => e);
        ctx.link(target);
        ctx.monitor(target);
        ctx.exit(target, "kill");
        outcome.call = await ctx.call(target, () => 1).then(() => "answered", (e) => e);
        done.resolve(outcome);
        return noreply(state);
      },
    };
    const pid = await system.start(server, undefined);
    system.cast(pid, "go");
    await flush();
    assert.equal(system.processInfo(pid)?.status, "running", "it awaits the gate");
    system.exit(pid, "kill");
    const before = system.schedulerStats().afterDeath;
    gate.resolve();
    const outcome = await done.promise;
    assert.equal(outcome.send, "dropped");
    assert.equal(outcome.cast, "dropped");
    assert.ok(outcome.start instanceof ExitError, String(outcome.start));
    assert.ok(outcome.call instanceof ExitError, String(outcome.call));
    assert.equal(system.schedulerStats().afterDeath - before, 7);
    assert.equal(system.isAlive(target), true, "its exit signal went nowhere");
    assert.equal(await inside(system, target, (_ctx, state) => state.log.length), 0);
    assert.equal(system.tableSizes().processes, 1);
    assert.equal(system.tableSizes().links, 0);
    assert.equal(system.tableSizes().monitors, 0);
    system.shutdown();
  });

  it("killing a supervisor while it starts a slow child leaves no child running", async () => {
    const { system } = collecting();
    const release = deferred();
    const slow: GenServer<null, undefined> = {
      init: async () => {
        await release.promise;
        return ok(null);
      },
    };
    const quick: GenServer<null, undefined> = { init: () => ok(null) };
    const sup = handled(Supervisor.start(system, [
      { id: "quick", start: { server: quick } },
      { id: "slow", start: { server: slow } },
      { id: "after", start: { server: quick } },
    ]));
    await flush();
    const [supPid, quickPid, slowPid] = system.processes();
    assert.equal(system.processes().length, 3, "the supervisor, quick, and slow in its init");
    system.exit(supPid, "kill");
    release.resolve();
    await assert.rejects(sup);
    await flush();
    assert.equal(system.isAlive(quickPid), false);
    assert.equal(system.isAlive(slowPid), false);
    assert.deepEqual(system.processes(), [], "no child outlives its killed supervisor");
    assertNothingLeft(system);
    system.shutdown();
  });

  it("a pending call made by a process that is then killed leaves the calls table at once", async () => {
    const { system } = manual();
    const silent: GenServer<null, undefined> = {
      init: () => ok(null),
      handleCall: (_r, _f, state) => noreply(state),
    };
    const server = await startManual(system, silent);
    const caller = await startManual(system, probe);
    system.cast(caller, (ctx: { call: (t: Pid, r: unknown) => Promise<unknown> }) => {
      ctx.call(server, "never answered").catch(() => {});
    });
    await system.runUntilIdle();
    assert.equal(system.tableSizes().calls, 1);
    system.exit(caller, "kill");
    assert.equal(system.tableSizes().calls, 0);
    assert.equal(system.tableSizes().timers, 0, "its timeout timer is cancelled too");
    system.shutdown();
  });
});

describe("a failed init takes what it linked with it", () => {
  for (
    const [how, init] of [
      ["throws", () => {
        throw new Error("init failed");
      }],
      ["returns a bad value", () => 42],
    ] as const
  ) {
    it(`init ${how} after linking a child: the child gets the exit signal, not an orphan's life`, async () => {
      const { system } = manual();
      let child: Pid | undefined;
      const parent: GenServer<null, undefined> = {
        init: async (_arg, ctx) => {
          child = await ctx.startLink(probe, undefined);
          return (init as () => never)();
        },
      };
      const started = handled(system.start(parent, undefined));
      await system.runUntilIdle();
      await assert.rejects(started, ExitError);
      assert.equal(system.isAlive(child!), false);
      assertNothingLeft(system);
    });
  }

  it("init that times out after linking a child: the child is killed with it", async () => {
    const t = createTestSystem();
    let child: Pid | undefined;
    const parent: GenServer<null, undefined> = {
      init: async (_arg, ctx) => {
        child = await ctx.startLink(probe, undefined);
        return await new Promise<never>(() => {});
      },
    };
    const started = handled(t.system.start(parent, undefined, { initTimeout: 100 }));
    await t.runUntilIdle();
    assert.equal(t.system.isAlive(child!), true);
    await t.advance(100);
    await assert.rejects(started, (e: ExitError) => e.reason === "timeout");
    assert.equal(t.system.isAlive(child!), false);
    assertNothingLeft(t.system);
    t.dispose();
  });

  it("the starting parent of a failed init keeps living: only the link to it is removed", async () => {
    const { system } = manual();
    const failing: GenServer<null, undefined> = {
      init: () => {
        throw new Error("child init failed");
      },
    };
    const parent = await startManual(system, probe);
    const outcome = inside(
      system,
      parent,
      (ctx) => ctx.startLink(failing, undefined).then(() => "ok", (e) => e.name),
    );
    await system.runUntilIdle();
    assert.equal(await outcome, "ExitError");
    assert.equal(system.isAlive(parent), true);
    system.shutdown();
  });
});

describe("thenables as replies and reasons", () => {
  it("a reply that is a Promise is awaited for the caller, under the call's deadline", async () => {
    const t = createTestSystem();
    const pid = await t.start(puppet);
    const later = t.call(pid, () => reply(Promise.resolve("resolved"), null));
    assert.equal(await later, "resolved");
    const never = t.system.call(pid, () => reply({ then() {} }, null), { timeout: 100 })
      .catch((e: Error) => e);
    await t.advance(100);
    assert.equal(
      (await never as Error).name,
      "CallTimeoutError",
      "a thenable that never settles ends at the deadline",
    );
    const odd = t.system.call(pid, () => reply(Promise.reject("odd"), null))
      .catch((e: ReplyRejectedError) => e);
    await t.runUntilIdle();
    const error = await odd as ReplyRejectedError;
    assert.equal(error.name, "ReplyRejectedError");
    assert.equal(error.reason, "odd");
    assert.equal(t.system.isAlive(pid), true);
    t.dispose();
  });

  it("an exit reason that is a Promise is replaced for every observer by a ThenableReasonError", async () => {
    const { system } = manual();
    const pid = await startManual(system, puppet);
    const reason = Promise.resolve("late");
    const exited = system.whenExited(pid);
    const down = deferred<{ reason: unknown }>();
    system.monitor(pid, (r) => down.resolve({ reason: r }));
    system.exit(pid, reason);
    await system.runUntilIdle();
    const seen = await exited;
    assert.ok(seen instanceof ThenableReasonError);
    assert.equal(seen.original, reason);
    assert.equal((await down.promise).reason, seen);
    system.shutdown();
  });
});

describe("a tracer that throws", () => {
  it("loses its traces, never a message or a reply; each failure is reported", async () => {
    const reports: Report[] = [];
    const thrower = () => {
      throw new Error("tracer bug");
    };
    const system = new System({
      scheduling: "manual",
      logger: { report: (r) => reports.push(r) },
      tracer: {
        send: thrower,
        callEnd: thrower,
        handleStart: thrower,
        run: (_scope, fn, ...args) => fn(...args),
        handleEnd: thrower,
      },
    });
    const pid = await startManual(system, puppet);
    assert.equal(system.cast(pid, () => noreply(null)), "ok");
    const answer = system.call(pid, () => reply("answered", null));
    await system.runUntilIdle();
    assert.equal(await answer, "answered");
    assert.equal(system.isAlive(pid), true);
    assert.ok(reports.some((r) => r.kind === "callback" && r.callback === "tracer send"));
    system.shutdown();
  });
});

describe("pids of another system", () => {
  it("a pid with a local serial from another system finds nothing here", async () => {
    const { system } = manual();
    const local = await startManual(system, probe);
    const foreign = new Pid(local.serial);
    assert.equal(system.isAlive(foreign), false);
    assert.equal(system.cast(foreign, "x"), "noproc");
    assert.equal(system.processInfo(foreign), undefined);
    system.shutdown();
  });
});
