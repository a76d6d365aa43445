/**
 * The overview's `schedulers` list (`src/observe/_schedulers_view.ts`):
 * `system.schedulers()` as JSON-safe rows by index, an error as its
 * message without stack trace or source paths; and the list in the
 * overview of a system of one and of two schedulers, with each process
 * detail naming its scheduler.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { ok } from "../../src/gen_server.ts";
import { System } from "../../src/system.ts";
import { SystemObserver } from "../../src/observe/system_observer.ts";
import { schedulersView } from "../../src/observe/_schedulers_view.ts";
import { SchedulerStartError } from "../../src/errors.ts";

/** JSON round trip: what an adapter would send. */
const roundTrip = <T>(value: T): T => JSON.parse(JSON.stringify(value));

describe("overview: schedulers", () => {
  it("gives each scheduler by index, an error as its scrubbed message", () => {
    const crash = new Error("worker died\n    at run (file:///srv/app/worker.js:10:5)");
    const rows = schedulersView([
      { index: 2, status: "down", processes: 3, tasks: 0, error: crash },
      { index: 0, status: "running", processes: 12, tasks: 1 },
      {
        index: 1,
        status: "failed",
        processes: 0,
        tasks: Number.NaN,
        error: new SchedulerStartError(1, "no Worker"),
      },
    ]);
    assert.deepEqual(rows, [
      { index: 0, status: "running", processes: 12, tasks: 1 },
      {
        index: 1,
        status: "failed",
        processes: 0,
        tasks: 0,
        error: "scheduler 1 failed to start: no Worker",
      },
      { index: 2, status: "down", processes: 3, tasks: 0, error: "worker died" },
    ]);
    assert.equal("error" in rows[0], false, "no error key without an error");
    assert.deepEqual(roundTrip(rows), rows);
  });

  it("keeps a message's text but not the paths in it", () => {
    const [row] = schedulersView([{
      index: 1,
      status: "failed",
      processes: 0,
      tasks: 0,
      error: new Error("cannot load /home/me/app/actors.ts:3:7"),
    }]);
    assert.equal(row.error, "cannot load [path]");
  });

  it("lists the one scheduler of a system of one", async () => {
    const system = new System({ logger: null });
    const observer = new SystemObserver(system);
    try {
      const pid = await system.start({ init: () => ok(null) });
      const overview = await observer.overview();
      assert.deepEqual(overview.schedulers, [
        { index: 0, status: "running", processes: 1, tasks: 0 },
      ]);
      assert.deepEqual(roundTrip(overview.schedulers), overview.schedulers);
      assert.equal(observer.processDetail(observer.processIdOf(pid)).meta.scheduler, 0);
    } finally {
      observer.close();
      await system.shutdown();
    }
  });

  it("lists both schedulers of a system of two, running", async () => {
    const system = new System({ schedulers: 2, logger: null });
    await system.ready;
    const observer = new SystemObserver(system);
    try {
      const overview = await observer.overview();
      assert.deepEqual(
        overview.schedulers.map((s) => [s.index, s.status, s.error]),
        [[0, "running", undefined], [1, "running", undefined]],
      );
      assert.deepEqual(roundTrip(overview.schedulers), overview.schedulers);
    } finally {
      observer.close();
      await system.shutdown();
    }
  });
});
