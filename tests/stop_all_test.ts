/**
 * `system.stopAll()`: the orderly end of a whole system (OTP's `init:stop`):
 * top-level processes newest first, each through its terminate, supervisors
 * stopping their children in reverse start order.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { type GenServer, ok } from "../src/gen_server.ts";
import { Supervisor } from "../src/supervisor/mod.ts";
import { createTestSystem } from "../src/testing/test_system.ts";
import { assertNothingLeft, collecting } from "./_helpers.ts";

function logging(log: string[], id: string, trap = true): GenServer<null, undefined> {
  return {
    init: (_arg, ctx) => {
      if (trap) ctx.trapExit(true);
      return ok(null);
    },
    terminate: (reason) => void log.push(`${id} ${String(reason)}`),
  };
}

describe("stopAll", () => {
  it("stops every tree in order, running terminate, and leaves nothing", async () => {
    const { system } = collecting();
    const log: string[] = [];
    await system.start(logging(log, "first"), undefined);
    await Supervisor.start(system, [
      { id: "a", start: { server: logging(log, "a") } },
      { id: "b", start: { server: logging(log, "b") } },
    ]);
    await system.start(logging(log, "last"), undefined);
    await system.stopAll();
    assert.deepEqual(log, ["last shutdown", "b shutdown", "a shutdown", "first shutdown"]);
    assert.deepEqual(system.processes(), []);
    assertNothingLeft(system);
  });

  it("a process that outlasts the timeout is killed, and stopAll still resolves", async () => {
    const t = createTestSystem();
    const log: string[] = [];
    const stuck: GenServer<null, undefined> = {
      init: () => ok(null),
      terminate: () => new Promise<void>((resolve) => t.system.setTimer(60_000, resolve)),
    };
    const started = t.system.start(stuck, undefined);
    await t.runUntilIdle();
    await started;
    const done = t.system.stopAll({ timeout: 1000 }).then(() => log.push("done"));
    await t.advance(1000);
    await done;
    assert.deepEqual(log, ["done"]);
    assert.deepEqual(t.system.processes(), []);
    t.dispose();
  });

  it("checks its options", async () => {
    const { system } = collecting();
    await assert.rejects(system.stopAll({ timeout: -1 }), RangeError);
    await assert.rejects(system.stopAll(null as never), TypeError);
    system.shutdown();
  });
});
