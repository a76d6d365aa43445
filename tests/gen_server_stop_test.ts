/**
 * Stopping a GenServer: `System.stop`, stop results, `terminate`
 * (OTP gen_server_SUITE: stop1..stop10, terminate, crash in terminate).
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { ExitError, NoProcError } from "../src/errors.ts";
import type { ExitReason } from "../src/exit_reason.ts";
import { type GenServer, noreply, ok, reply, stop } from "../src/gen_server.ts";
import type { Pid } from "../src/pid.ts";
import type { System } from "../src/system.ts";
import {
  assertNothingLeft,
  collecting,
  deferred,
  handled,
  manual,
  outcomeAfter,
  startManual,
} from "./_helpers.ts";

interface Terminated {
  reason: ExitReason;
  state: unknown;
}

/** A server whose terminate records its reason and state; casts are results to return. */
function recorder(
  terminated: Terminated[],
  terminate?: (reason: ExitReason) => unknown,
): GenServer<string, undefined> {
  return {
    init: () => ok("initial"),
    handleCast: (request, state) => {
      const make = request as (state: string) => ReturnType<typeof noreply<string>>;
      return make(state);
    },
    handleCall: (request, _from, state) => {
      if (request === "stop with reply") return stop("normal", state, "bye");
      if (request === "stop without reply") return stop("normal", state);
      return reply(state, `${state}+call`);
    },
    terminate: (reason, state) => {
      terminated.push({ reason, state });
      return terminate?.(reason);
    },
  };
}

function downOf(system: System, pid: Pid): Promise<ExitReason> {
  return new Promise((resolve) => system.monitor(pid, resolve));
}

describe("System.stop", () => {
  it("runs terminate(reason, state) and resolves once the process has exited", async () => {
    const { system, reports } = collecting();
    const terminated: Terminated[] = [];
    const pid = await system.start(recorder(terminated));
    await system.call(pid, "x"); // state becomes "initial+call"
    const down = downOf(system, pid);
    await system.stop(pid, "shutdown");
    assert.deepEqual(terminated, [{ reason: "shutdown", state: "initial+call" }]);
    assert.equal(system.isAlive(pid), false);
    assert.equal(await down, "shutdown");
    assert.equal(reports.length, 0);
    assertNothingLeft(system);
    system.shutdown();
  });

  it("the default reason is normal; a name target works", async () => {
    const { system } = collecting();
    const terminated: Terminated[] = [];
    await system.start(recorder(terminated), undefined, { name: "svc" });
    await system.stop("svc");
    assert.equal(terminated[0].reason, "normal");
    assert.equal(system.whereis("svc"), undefined);
    system.shutdown();
  });

  it("handles the messages queued before the stop request first", async () => {
    const { system } = manual();
    const terminated: Terminated[] = [];
    const pid = await startManual(system, recorder(terminated));
    system.cast(pid, (s: string) => noreply(`${s}+1`));
    system.cast(pid, (s: string) => noreply(`${s}+2`));
    const stopped = system.stop(pid, "shutdown");
    await system.runUntilIdle();
    await stopped;
    assert.deepEqual(terminated, [{ reason: "shutdown", state: "initial+1+2" }]);
    system.shutdown();
  });

  it(
    "on a full bounded mailbox, the stop request still comes after the messages queued before it",
    async () => {
      const { system } = collecting();
      const terminated: Terminated[] = [];
      const pid = await system.start(recorder(terminated), undefined, { mailbox: { bound: 2 } });
      system.suspend(pid);
      assert.equal(system.cast(pid, (s: string) => noreply(`${s}+1`)), "ok");
      assert.equal(system.cast(pid, (s: string) => noreply(`${s}+2`)), "ok");
      const stopped = system.stop(pid, "shutdown");
      system.resume(pid);
      await stopped;
      assert.deepEqual(terminated, [{ reason: "shutdown", state: "initial+1+2" }]);
      system.shutdown();
    },
  );

  it("an async terminate is awaited before stop resolves", async () => {
    const { system } = collecting();
    const gate = deferred();
    const terminated: Terminated[] = [];
    const pid = await system.start(recorder(terminated, () => gate.promise));
    const stopped = system.stop(pid, "shutdown");
    assert.equal((await outcomeAfter(stopped, 5)).status, "pending");
    assert.equal(system.processInfo(pid)?.status, "exiting");
    assert.equal(system.processInfo(pid)?.currentCallback, "terminate");
    gate.resolve();
    await stopped;
    assert.equal(system.isAlive(pid), false);
    system.shutdown();
  });

  it("a terminate that never settles: stop rejects after its timeout and the process is killed", async () => {
    const { system } = collecting();
    const terminated: Terminated[] = [];
    const pid = await system.start(recorder(terminated, () => new Promise(() => {})));
    const down = downOf(system, pid);
    await assert.rejects(() => system.stop(pid, "normal", 20), (error) => {
      assert.ok(error instanceof ExitError);
      assert.equal(error.reason, "timeout");
      return true;
    });
    assert.equal(terminated.length, 1);
    assert.equal(system.isAlive(pid), false);
    assert.equal(await down, "killed");
    assertNothingLeft(system);
    system.shutdown();
  });

  it("stop of an unknown process rejects with NoProcError", async () => {
    const { system } = collecting();
    await assert.rejects(() => system.stop("nobody"), NoProcError);
    const pid = await system.start(recorder([]));
    await system.stop(pid);
    await assert.rejects(() => system.stop(pid), NoProcError);
    system.shutdown();
  });

  it("stop of a process that exits with another reason rejects with that reason", async () => {
    const { system } = collecting();
    const boom = new Error("terminate failed");
    const pid = await system.start(recorder([], () => {
      throw boom;
    }));
    await assert.rejects(() => system.stop(pid, "shutdown"), (error) => {
      assert.ok(error instanceof ExitError);
      assert.equal(error.reason, boom);
      return true;
    });
    system.shutdown();
  });

  it("two concurrent stops both settle", async () => {
    const { system } = collecting();
    const terminated: Terminated[] = [];
    const pid = await system.start(recorder(terminated));
    const first = system.stop(pid, "shutdown");
    const second = handled(system.stop(pid, "shutdown"));
    await first;
    await second;
    assert.equal(terminated.length, 1, "terminate runs once");
    system.shutdown();
  });
});

describe("stop results", () => {
  it("stop from handleCast runs terminate with that reason and exits", async () => {
    const { system, reports } = collecting();
    const terminated: Terminated[] = [];
    const pid = await system.start(recorder(terminated));
    const down = downOf(system, pid);
    system.cast(pid, (s: string) => stop("normal", `${s}+stopping`));
    assert.equal(await down, "normal");
    assert.deepEqual(terminated, [{ reason: "normal", state: "initial+stopping" }]);
    assert.equal(reports.length, 0);
    assertNothingLeft(system);
    system.shutdown();
  });

  it("stop from handleCast with a crash reason is a crash", async () => {
    const { system, reports } = collecting();
    const terminated: Terminated[] = [];
    const pid = await system.start(recorder(terminated));
    const down = downOf(system, pid);
    system.cast(pid, (s: string) => stop({ error: "bad state" }, s));
    assert.deepEqual(await down, { error: "bad state" });
    assert.deepEqual(terminated[0].reason, { error: "bad state" });
    assert.equal(reports.length, 1);
    system.shutdown();
  });

  it("stop from handleCall with a reply: the caller gets the reply, then the server exits", async () => {
    const { system } = collecting();
    const terminated: Terminated[] = [];
    const pid = await system.start(recorder(terminated));
    const down = downOf(system, pid);
    assert.equal(await system.call(pid, "stop with reply"), "bye");
    assert.equal(await down, "normal");
    assert.equal(terminated.length, 1);
    system.shutdown();
  });

  it("stop from handleCall without a reply: the caller gets ExitError with the reason", async () => {
    const { system } = collecting();
    const pid = await system.start(recorder([]));
    await assert.rejects(() => system.call(pid, "stop without reply"), (error) => {
      assert.ok(error instanceof ExitError);
      assert.equal(error.reason, "normal");
      return true;
    });
    system.shutdown();
  });

  it("stop from handleContinue and from handleInfo", async () => {
    const { system } = collecting();
    const reasons: ExitReason[] = [];
    const server: GenServer<null, string> = {
      init: (where) => ok(null, where === "continue" ? { continue: "go" } : {}),
      handleContinue: (_value, state) => stop({ shutdown: "from continue" }, state),
      handleInfo: (_message, state) => stop({ shutdown: "from info" }, state),
      terminate: (reason) => void reasons.push(reason),
    };
    const a = await system.start(server, "continue");
    const b = await system.start(server, "info");
    system.send(b, "stop");
    assert.deepEqual(await system.whenExited(b), { shutdown: "from info" });
    assert.equal(system.isAlive(a), false);
    assert.deepEqual(reasons, [{ shutdown: "from continue" }, { shutdown: "from info" }]);
    system.shutdown();
  });
});

describe("terminate", () => {
  it("a crash in a callback runs terminate with the error, then the process exits with it", async () => {
    const { system } = collecting();
    const terminated: Terminated[] = [];
    const pid = await system.start(recorder(terminated));
    const boom = new Error("boom");
    const down = downOf(system, pid);
    system.cast(pid, () => {
      throw boom;
    });
    assert.equal(await down, boom);
    assert.deepEqual(terminated, [{ reason: boom, state: "initial" }]);
    system.shutdown();
  });

  it("terminate throwing replaces the exit reason", async () => {
    const { system, reports } = collecting();
    const replaced = new Error("terminate blew up");
    const pid = await system.start(recorder([], () => {
      throw replaced;
    }));
    const down = downOf(system, pid);
    const exited = system.whenExited(pid);
    system.cast(pid, (s: string) => stop("normal", s));
    assert.equal(await down, replaced);
    assert.equal(await exited, replaced);
    assert.equal(reports.length, 1);
    assert.equal(reports[0].reason, replaced);
    system.shutdown();
  });

  it("terminate rejecting replaces the exit reason", async () => {
    const { system } = collecting();
    const replaced = new Error("async terminate blew up");
    const pid = await system.start(recorder([], () => Promise.reject(replaced)));
    await assert.rejects(() => system.stop(pid, "shutdown"), (error) => {
      assert.ok(error instanceof ExitError);
      assert.equal(error.reason, replaced);
      return true;
    });
    system.shutdown();
  });

  it("an untrapped exit signal and a kill do not run terminate", async () => {
    const { system } = collecting();
    const terminated: Terminated[] = [];
    const a = await system.start(recorder(terminated));
    const b = await system.start(recorder(terminated));
    system.exit(a, "kill");
    system.exit(b, { reason: "external" });
    assert.equal(await system.whenExited(a), "noproc");
    assert.equal(system.isAlive(b), false);
    assert.deepEqual(terminated, []);
    system.shutdown();
  });

  it("messages sent to a terminating process are never handled", async () => {
    const { system } = collecting();
    const gate = deferred();
    const handledLate: unknown[] = [];
    const pid = await system.start(recorder([], () => gate.promise));
    const stopped = system.stop(pid);
    await outcomeAfter(stopped, 1);
    assert.equal(system.processInfo(pid)?.status, "exiting");
    system.cast(pid, (s: string) => {
      handledLate.push("cast");
      return noreply(s);
    });
    gate.resolve();
    await stopped;
    assert.deepEqual(handledLate, []);
    assertNothingLeft(system);
    system.shutdown();
  });
});
