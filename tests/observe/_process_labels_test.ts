/**
 * What the views show for a pid: its registered name, else its child id
 * under its supervisor (a partition's `partition-0`), else null — in the
 * process list, the top mailboxes and one process's detail.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { noreply, ok } from "../../src/gen_server.ts";
import { ProcessLabels } from "../../src/observe/_process_labels.ts";
import { SupervisionForest } from "../../src/observe/supervision_forest.ts";
import { SystemObserver } from "../../src/observe/system_observer.ts";
import { ProcessTableWalker } from "../../src/observe/process_table_walker.ts";
import { PartitionSupervisor } from "../../src/supervisor/partition_supervisor.ts";
import { System } from "../../src/system.ts";

const counter = { init: () => ok(0), handleCast: (_: "inc", n: number) => noreply(n + 1) };

describe("process labels", () => {
  it("names partition children by child id, registered processes by name", async () => {
    const system = new System({ logger: null });
    const walker = new ProcessTableWalker(system, { schedule: "manual" });
    const observer = new SystemObserver(system, { processTable: walker });
    try {
      const sup = await PartitionSupervisor.start(system, {
        child: { server: counter },
        partitions: 2,
      });
      const named = await system.start(counter, undefined, { name: "counter" });
      await observer.tree(); // a walk of the forest feeds the labels
      walker.refresh();
      const page = await observer.processes({
        sort: "messageQueueLength",
        order: "desc",
        offset: 0,
        limit: 50,
      });
      const labels = new Map(page.items.map((p) => [p.pid, p.label]));
      assert.equal(labels.get(String(named)), "counter");
      assert.equal(labels.get(String(sup.pid)), null, "a root without a name: the pid is shown");
      const children = page.items.filter((p) => p.name === null && p.label !== null);
      assert.deepEqual(children.map((p) => p.label).sort(), ["partition-0", "partition-1"]);
      const overview = await observer.overview();
      assert.deepEqual(
        overview.topMailboxes.map((m) => m.label).filter((l) => l !== null).sort(),
        ["counter", "partition-0", "partition-1"],
      );
      const child = children[0];
      assert.equal(observer.processDetail(child.id).label, child.label);
      assert.equal(observer.labelOf(named, "counter"), "counter");
      await sup.stop();
    } finally {
      observer.close();
      await system.shutdown();
    }
  });

  it("refreshes in the background, at most once per interval, and never waits", async () => {
    const system = new System({ logger: null });
    let now = 0;
    const forest = new SupervisionForest(system, { intervalMs: 0 });
    let walks = 0;
    const snapshot = forest.snapshot.bind(forest);
    forest.snapshot = () => {
      walks++;
      return snapshot();
    };
    const labels = new ProcessLabels(forest, () => now);
    try {
      const sup = await PartitionSupervisor.start(system, {
        child: { server: counter },
        partitions: 1,
      });
      const [child] = (await forest.snapshot()).roots[0].children;
      walks = 0;
      assert.equal(labels.labelOf(child.pid, null), null, "the first read does not wait");
      assert.equal(walks, 1);
      await new Promise((resolve) => setTimeout(resolve, 0));
      await forest.snapshot();
      walks = 1;
      assert.equal(labels.labelOf(child.pid, undefined), "partition-0");
      assert.equal(walks, 1, "no second walk within the interval");
      now += 5000;
      labels.labelOf(child.pid, null);
      assert.equal(walks, 2);
      assert.equal(labels.labelOf(child.pid, "registered"), "registered");
      await sup.stop();
    } finally {
      await system.shutdown();
    }
  });
});
