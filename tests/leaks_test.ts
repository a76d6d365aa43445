/**
 * Nothing is left behind: after many processes with timers, monitors, links,
 * names and pending calls have exited, every runtime table is empty.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { ExitMessage, type GenServer, noreply, ok, reply } from "../src/gen_server.ts";
import type { Pid } from "../src/pid.ts";
import { assertNothingLeft, collecting, handled, manual, probe, startManual } from "./_helpers.ts";

describe("leaks", () => {
  it(
    "100 000 processes, each with a pending timer and monitors, stopped or killed: all tables empty",
    {
      timeout: 120_000,
    },
    async () => {
      const { system, reports } = collecting();
      const COUNT = 100_000;
      const anchor = await system.start(probe, undefined);
      let exits = 0;
      const hub = await system.start<null, undefined>({
        init: (_arg, ctx) => {
          ctx.trapExit(true);
          return ok(null);
        },
        handleInfo: (message, state) => {
          if (message instanceof ExitMessage) exits++;
          return noreply(state);
        },
        handleCall: (_request, _from, state) => reply(exits, state),
      });
      const worker: GenServer<null, number> = {
        init: (i, ctx) => {
          ctx.sendAfter(ctx.self, "tick", 60_000);
          ctx.monitor(anchor);
          if (i % 10 === 0) ctx.link(hub);
          return ok(null);
        },
      };
      const starts: Promise<Pid>[] = [];
      for (let i = 0; i < COUNT; i++) {
        starts.push(system.start(worker, i, i % 100 === 0 ? { name: `worker-${i}` } : {}));
      }
      const pids = await Promise.all(starts);
      let downs = 0;
      for (const pid of pids) system.monitor(pid, () => void downs++);

      const sizes = system.tableSizes();
      assert.equal(sizes.processes, COUNT + 2);
      assert.equal(sizes.names, COUNT / 100);
      assert.equal(sizes.timers, COUNT);
      assert.equal(sizes.coreTimers, COUNT);
      assert.ok(sizes.monitors >= 2 * COUNT);
      assert.equal(sizes.links, 2 * (COUNT / 10));

      const stops: Promise<void>[] = [];
      for (const [i, pid] of pids.entries()) {
        if (i % 2 === 0) system.exit(pid, "kill");
        else stops.push(system.stop(pid, "shutdown"));
      }
      await Promise.all(stops);
      assert.equal(await system.call(hub, "exits", { timeout: Infinity }), COUNT / 10);
      await system.stop(hub);
      await system.stop(anchor);
      await new Promise((resolve) => setTimeout(resolve, 0));
      assert.equal(downs, COUNT);
      assertNothingLeft(system);
      assert.deepEqual(reports, []);
      system.shutdown();
    },
  );

  it("pending calls, call timers and queued messages of exited processes are released", async () => {
    const { system } = manual();
    const silent: GenServer<null, undefined> = {
      init: () => ok(null),
      handleCall: (_request, _from, state) => noreply(state),
    };
    const pids: Pid[] = [];
    for (let i = 0; i < 100; i++) pids.push(await startManual(system, silent));
    const calls = pids.map((pid) => handled(system.call(pid, "wait", { timeout: 60_000 })));
    await system.runUntilIdle();
    for (const pid of pids) for (let i = 0; i < 10; i++) system.send(pid, i);
    assert.equal(system.tableSizes().calls, 100);
    // One timer sweeps every call deadline (issue 12), however many calls wait.
    assert.equal(system.tableSizes().timers, 1);
    assert.ok(system.tableSizes().slotsInUse >= 1000);
    for (const pid of pids) system.exit(pid, "kill");
    for (const call of calls) await assert.rejects(call);
    assertNothingLeft(system);
    system.shutdown();
  });

  it("shutdown() empties every table", async () => {
    const { system } = collecting();
    const a = await system.start(probe, { trapExit: true }, { name: "a" });
    for (let i = 0; i < 100; i++) {
      const pid = await system.start(probe, undefined);
      system.sendAfter(pid, "later", 60_000);
      system.monitor(pid, () => {});
      system.call(a, (ctx: { link: (p: Pid) => void; monitor: (p: Pid) => unknown }) => {
        ctx.link(pid);
        ctx.monitor(pid);
      });
    }
    await system.call(a, () => null);
    system.shutdown();
    assertNothingLeft(system);
  });
});
