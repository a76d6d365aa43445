/**
 * info: one process grouped as recon's info/1; undefined when not alive.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { type GenServer, ok } from "../../src/gen_server.ts";
import { inspectProcess } from "../../src/introspection/mod.ts";
import type { Pid } from "../../src/pid.ts";
import { createTestSystem } from "../../src/testing/test_system.ts";
import { counter, idle } from "./_fixtures.ts";

/** Links to the pid it is given and monitors it. */
const watcher: GenServer<null, Pid> = {
  init: (other, ctx) => {
    ctx.link(other);
    ctx.monitor(other);
    ctx.trapExit(true);
    return ok(null);
  },
};

describe("inspectProcess", () => {
  it("groups what processInfo tells", async () => {
    const t = createTestSystem();
    const target = await t.start(counter, undefined, { name: "target", priority: "high" });
    const w = await t.start(watcher, target, { name: "watcher" });
    t.system.monitor(w, () => {});
    t.system.suspend(w);
    t.system.cast(w, "queued");
    await t.advance(25);
    const grouped = inspectProcess(t.system, "watcher")!;
    const raw = t.system.processInfo(w)!;
    assert.deepEqual(grouped, {
      meta: {
        pid: w,
        name: "watcher",
        status: "suspended",
        priority: "normal",
        trapExit: true,
        uptimeMs: 25,
      },
      signals: { links: [target], monitors: raw.monitors, monitoredBy: 1 },
      location: { currentCallback: undefined },
      memoryUsed: {
        memoryBytes: raw.memoryBytes,
        messageQueueLength: 1,
        oldestMessageAgeMs: 25,
        mailbox: raw.mailbox,
      },
      work: {
        reductions: raw.reductions,
        busyMs: raw.busyMs,
        longCallbacks: raw.longCallbacks,
      },
    });
    assert.equal(grouped.signals.monitors.length, 1);
    const other = inspectProcess(t.system, target)!;
    assert.equal(other.meta.priority, "high");
    assert.deepEqual(other.signals.links, [w]);
    assert.equal(other.signals.monitoredBy, 1);
    t.dispose();
  });

  it("is undefined for a dead process or an unknown name, as processInfo", async () => {
    const t = createTestSystem();
    const pid = await t.start(idle);
    t.system.exit(pid, "kill");
    await t.runUntilIdle();
    assert.equal(inspectProcess(t.system, pid), undefined);
    assert.equal(t.system.processInfo(pid), undefined);
    assert.equal(inspectProcess(t.system, "nobody"), undefined);
    t.dispose();
  });

  it("throws a TypeError for a target that is not a pid or a name", () => {
    const t = createTestSystem();
    assert.throws(() => inspectProcess(t.system, 42 as unknown as string), TypeError);
    t.dispose();
  });
});
