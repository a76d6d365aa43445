/**
 * Reading `SystemOptions.schedulers` and `modules`: bad values are named
 * errors at `new System`, one scheduler needs nothing, and the options a
 * Worker's System gets are the plain-data ones.
 *
 * @module
 */

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ok, System } from "../mod.ts";
import { SchedulerDownError } from "../schedulers.ts";
import { planSchedulers, workerOptions } from "../src/_schedulers_plan.ts";

describe("schedulers options", () => {
  it("refuses counts outside 1..64 and modules that are not URLs or strings", () => {
    for (const schedulers of [0, -1, 1.5, 65, Number.NaN, "two"]) {
      assert.throws(
        () => new System({ schedulers: schedulers as never }),
        RangeError,
        String(schedulers),
      );
    }
    assert.throws(() => new System({ modules: "a.ts" as never }), TypeError);
    assert.throws(() => new System({ modules: [42] as never }), TypeError);
    assert.throws(() => new System({ modules: [""] }), TypeError);
    assert.throws(() => new System({ schedulers: 2, core: "reference" }), TypeError);
  });

  it("checks placements on a system of one scheduler too", async () => {
    const system = new System({ logger: null });
    const server = { init: () => ok(1) };
    for (
      const placement of ["local", "round-robin", "least-loaded", { key: "k" }, { partition: 3 }, {
        scheduler: 0,
      }] as const
    ) {
      const pid = await system.start(server, undefined, { placement });
      assert.equal(pid.scheduler, 0, JSON.stringify(placement));
    }
    await assert.rejects(
      system.start(server, undefined, { placement: { scheduler: 1 } }),
      SchedulerDownError,
    );
    for (const placement of ["round_robin", { scheduler: -1 }, { partition: 1.5 }, {}, null]) {
      await assert.rejects(
        system.start(server, undefined, { placement: placement as never }),
        TypeError,
        JSON.stringify(placement),
      );
    }
    system.shutdown();
  });

  it("plans nothing for one scheduler", () => {
    assert.equal(planSchedulers({}, undefined, null), undefined);
    assert.equal(
      planSchedulers({ schedulers: 1, modules: [new URL("file:///a.ts")] }, undefined, null),
      undefined,
    );
  });

  it("plans a shared memory and a control block for several", () => {
    const plan = planSchedulers(
      { schedulers: 3, modules: [new URL("file:///x/a.ts"), "./b.ts"] },
      undefined,
      null,
    );
    assert.ok(plan !== undefined);
    assert.equal(plan.index, 0);
    assert.equal(plan.count, 3);
    assert.ok(plan.memory.buffer instanceof SharedArrayBuffer);
    assert.ok(plan.control instanceof SharedArrayBuffer);
    assert.deepEqual(plan.modules, ["file:///x/a.ts", "./b.ts"]);
  });

  it("hands a Worker the plain-data options only", () => {
    const options = workerOptions({
      reductionBudget: 100,
      timeSliceMs: 2,
      logger: null,
      monitor: { longCallback: 5 },
      clock: { now: () => 0 },
      tracer: undefined,
    });
    assert.deepEqual(options, {
      reductionBudget: 100,
      timeSliceMs: 2,
      logger: null,
      monitor: { longCallback: 5 },
    });
  });
});
