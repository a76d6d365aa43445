/**
 * `:sys.suspend` semantics: a suspended process handles no message, but
 * still handles a stop and its parent's exit signal (OTP's system messages),
 * so neither hangs until `resume` nor ends in a kill.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { ExitReason } from "../src/exit_reason.ts";
import { type GenServer, noreply, ok } from "../src/gen_server.ts";
import { Supervisor } from "../src/supervisor/mod.ts";
import { createTestSystem } from "../src/testing/test_system.ts";
import { assertNothingLeft, manual, startManual } from "./_helpers.ts";

function recording(terminated: ExitReason[], handled: unknown[] = []): GenServer<null, undefined> {
  return {
    init: (_arg, ctx) => {
      ctx.trapExit(true);
      return ok(null);
    },
    handleCast: (message, state) => {
      handled.push(message);
      return noreply(state);
    },
    terminate: (reason) => void terminated.push(reason),
  };
}

describe("a suspended process", () => {
  it("handles stop without being resumed: terminate runs, queued messages stay unhandled", async () => {
    const { system } = manual();
    const terminated: ExitReason[] = [];
    const handled: unknown[] = [];
    const pid = await startManual(system, recording(terminated, handled));
    system.suspend(pid);
    system.cast(pid, "queued");
    await system.runUntilIdle();
    const stopped = system.stop(pid, "shutdown");
    await system.runUntilIdle();
    await stopped;
    assert.deepEqual(terminated, ["shutdown"]);
    assert.deepEqual(handled, []);
    assertNothingLeft(system);
  });

  it("handles its parent's exit: a supervisor shutting down ends a suspended child with shutdown, not killed", async () => {
    const t = createTestSystem();
    const terminated: ExitReason[] = [];
    const started = Supervisor.start(t.system, [
      { id: "child", start: { server: recording(terminated) }, shutdown: 1000 },
    ]);
    await t.runUntilIdle();
    const sup = await started;
    const listed = Supervisor.whichChildren(t.system, sup);
    await t.runUntilIdle();
    const [child] = await listed;
    t.system.suspend(child.pid!);
    const exited = t.system.whenExited(child.pid!);
    t.system.exit(sup, "shutdown");
    await t.runUntilIdle();
    assert.equal(await exited, "shutdown");
    assert.deepEqual(terminated, ["shutdown"]);
    assert.equal(t.system.isAlive(sup), false);
    t.dispose();
  });

  it("still handles nothing else until resumed, then everything in order", async () => {
    const { system } = manual();
    const handled: unknown[] = [];
    const pid = await startManual(system, recording([], handled));
    system.suspend(pid);
    system.cast(pid, 1);
    system.cast(pid, 2);
    await system.runUntilIdle();
    assert.deepEqual(handled, []);
    system.resume(pid);
    await system.runUntilIdle();
    assert.deepEqual(handled, [1, 2]);
    system.shutdown();
  });
});
