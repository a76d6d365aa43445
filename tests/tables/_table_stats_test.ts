/**
 * The emitter of `beamlet.table.stats`: attached to the runtime's table-size
 * event only while someone listens, one event per named table at most once a
 * second with the reads and writes since the previous one, one last event
 * with size 0 once a named table is gone, and a listing that throws never
 * detaches it.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { type GenServer, noreply, ok } from "../../src/gen_server.ts";
import type { Pid } from "../../src/pid.ts";
import {
  attachTableStats,
  type TableStatsInfo,
  type TableStatsSource,
} from "../../src/tables/_table_stats.ts";
import { Table } from "../../src/tables/table.ts";
import { TABLE_SIZE } from "../../src/telemetry/catalog/runtime_events.ts";
import { TABLE_STATS } from "../../src/telemetry/catalog/table_events.ts";
import type { Measurements, Metadata } from "../../src/telemetry/types.ts";
import { createTestSystem, type TestSystem } from "../../src/testing/test_system.ts";

const idle: GenServer<null, undefined> = {
  init: () => ok(null),
  handleCast: (_message, state) => noreply(state),
};

/** A table as the emitter reads it, its counters set by the test. */
class FakeTable implements TableStatsSource {
  size = 0;
  memory = 0;
  reads = 0;
  writes = 0;
  constructor(readonly name: string | undefined, readonly owner: Pid) {}
  info(): TableStatsInfo {
    return {
      type: "set",
      access: "protected",
      owner: this.owner,
      size: this.size,
      memory: this.memory,
      reads: this.reads,
      writes: this.writes,
    };
  }
}

interface Seen {
  readonly measurements: Measurements;
  readonly metadata: Metadata;
}

/** A test system with a process to make slices, and the stats events it saw. */
async function setup(): Promise<
  { t: TestSystem; owner: Pid; seen: Seen[]; slice(): Promise<void> }
> {
  const t = createTestSystem();
  const owner = await t.start(idle);
  const seen: Seen[] = [];
  return {
    t,
    owner,
    seen,
    /** A new second, and a scheduler slice in it. */
    async slice() {
      t.clock.set(t.clock.now() + 1000);
      t.system.cast(owner, "tick");
      await t.runUntilIdle();
    },
  };
}

const listen = (t: TestSystem, seen: Seen[]) =>
  t.system.telemetry.attach("test", TABLE_STATS, (_e, measurements, metadata) => {
    seen.push({ measurements, metadata });
  });

describe("attachTableStats", () => {
  it("listens to the table sizes only while someone listens to the stats", async () => {
    const { t, owner, seen } = await setup();
    try {
      attachTableStats(t.system, () => [new FakeTable("a", owner)]);
      assert.equal(t.system.telemetry.hasHandlers(TABLE_SIZE), false);
      listen(t, seen);
      assert.equal(t.system.telemetry.hasHandlers(TABLE_SIZE), true);
      t.system.telemetry.detach("test");
      assert.equal(t.system.telemetry.hasHandlers(TABLE_SIZE), false);
    } finally {
      t.dispose();
    }
  });

  it("reports each named table at most once a second, with the operations since the last report", async () => {
    const { t, owner, seen, slice } = await setup();
    try {
      const a = new FakeTable("a", owner);
      const anonymous = new FakeTable(undefined, owner);
      a.size = 2;
      a.memory = 300;
      a.reads = 10;
      a.writes = 2;
      attachTableStats(t.system, () => [anonymous, a]);
      attachTableStats(t.system, () => [anonymous, a, a]); // idempotent: the first listing stays
      listen(t, seen);
      await slice();
      assert.deepEqual(seen, [{
        measurements: { size: 2, memory: 300, reads: 10, writes: 2 },
        metadata: { table: "a", type: "set", access: "protected", owner },
      }]);
      // Within the same second: nothing more.
      a.reads = 15;
      t.system.cast(owner, "tick");
      await t.runUntilIdle();
      assert.equal(seen.length, 1);
      a.writes = 3;
      await slice();
      assert.deepEqual(seen[1].measurements, { size: 2, memory: 300, reads: 5, writes: 1 });
      await slice();
      assert.deepEqual(seen[2].measurements, { size: 2, memory: 300, reads: 0, writes: 0 });
    } finally {
      t.dispose();
    }
  });

  it("reports a named table that went away once, with size and memory 0", async () => {
    const { t, owner, seen, slice } = await setup();
    try {
      const a = new FakeTable("a", owner);
      a.size = 5;
      const tables = [a];
      attachTableStats(t.system, () => tables);
      listen(t, seen);
      await slice();
      tables.length = 0;
      await slice();
      await slice();
      assert.deepEqual(seen.map((s) => [s.metadata.table, s.measurements.size]), [["a", 5], [
        "a",
        0,
      ]]);
      assert.deepEqual(seen[1].measurements, { size: 0, memory: 0, reads: 0, writes: 0 });
      // A new table under the same name counts from its own creation.
      const again = new FakeTable("a", owner);
      again.reads = 3;
      tables.push(again);
      await slice();
      assert.deepEqual(seen[2].measurements, { size: 0, memory: 0, reads: 3, writes: 0 });
    } finally {
      t.dispose();
    }
  });

  it("survives a listing that throws and a table whose info throws", async () => {
    const { t, owner, seen, slice } = await setup();
    try {
      const a = new FakeTable("a", owner);
      const broken = new FakeTable("broken", owner);
      broken.info = () => {
        throw new Error("deleted");
      };
      let fail = false;
      attachTableStats(t.system, () => {
        if (fail) throw new Error("listing failed");
        return [broken, a];
      });
      listen(t, seen);
      await slice();
      fail = true;
      await slice();
      fail = false;
      await slice();
      assert.deepEqual(seen.map((s) => s.metadata.table), ["a", "a"]);
      assert.equal(t.system.telemetry.stats().failedHandlers, 0);
    } finally {
      t.dispose();
    }
  });

  it("follows real tables: the heir as the new owner, then the last report once it is deleted", async () => {
    const { t, seen, slice } = await setup();
    try {
      const system = t.system;
      attachTableStats(system, () => Table.list(system));
      listen(t, seen);
      const first = await t.start(idle);
      const heir = await t.start({ ...idle, handleInfo: (_m, s) => noreply(s) });
      const table = new Table<[string, number]>(system, { owner: first, name: "limits", heir });
      table.insert(["a", 1]);
      table.lookup("a");
      await slice();
      assert.deepEqual(seen.at(-1)!.metadata.owner, first);
      assert.deepEqual(seen.at(-1)!.measurements.reads, 1);
      system.exit(first, "kill");
      await slice();
      assert.deepEqual(seen.at(-1)!.metadata.owner, heir);
      assert.deepEqual(seen.at(-1)!.measurements.size, 1);
      table.lookup("a");
      system.exit(heir, "kill");
      await slice();
      assert.equal(table.deleted, true);
      assert.deepEqual(seen.at(-1)!.measurements, { size: 0, memory: 0, reads: 1, writes: 0 });
      const count = seen.length;
      await slice();
      assert.equal(seen.length, count, "a gone table is reported once");
    } finally {
      t.dispose();
    }
  });
});
