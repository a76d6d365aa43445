/**
 * SystemObserver: the Hono-free views (overview, process pages, one
 * process, tree, event subscription) as plain, JSON-safe data.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { type GenServer, noreply, ok, reply } from "../../src/gen_server.ts";
import { MalformedObserveRequestError, ProcessNotFoundError } from "../../src/observe/errors.ts";
import { SystemObserver } from "../../src/observe/system_observer.ts";
import { ProcessTableWalker } from "../../src/observe/process_table_walker.ts";
import { Supervisor } from "../../src/supervisor/supervisor.ts";
import { System } from "../../src/system.ts";
import { BEAMLET_EVENTS } from "../../src/telemetry/beamlet_events.ts";

const echo: GenServer<null, unknown> = {
  init: () => ok(null),
  handleCall: (request, _from, state) => reply(request, state),
  handleCast: (_msg, state) => noreply(state),
};

/** JSON round trip: what an adapter would send. */
const roundTrip = <T>(value: T): T => JSON.parse(JSON.stringify(value));

describe("SystemObserver", () => {
  it("overview: call latency, processes, top mailboxes, JSON-safe", async () => {
    const system = new System();
    const walker = new ProcessTableWalker(system, { schedule: "manual" });
    const observer = new SystemObserver(system, { processTable: walker });
    try {
      walker.refresh();
      const before = await observer.overview();
      assert.equal(before.callLatency, null);
      const pid = await system.start(echo, undefined, { name: "echo" });
      for (let i = 0; i < 5; i++) assert.equal(await system.call(pid, i), i);
      const full = await system.start(echo);
      system.suspend(full);
      for (let i = 0; i < 3; i++) system.cast(full, i);
      walker.refresh();
      const overview = await observer.overview();
      assert.equal(overview.processes, 2);
      assert.equal(overview.topMailboxes[0].id, String(full.serial));
      assert.equal(overview.topMailboxes[0].messageQueueLength, 3);
      assert.equal(overview.callLatency?.count, 5);
      assert.deepEqual(roundTrip(overview), overview);
    } finally {
      observer.close();
      walker.close();
      await system.shutdown();
    }
  });

  it("processes, processDetail and resolveProcess; bad ids are named errors", async () => {
    const system = new System();
    const observer = new SystemObserver(system);
    try {
      const pid = await system.start(echo, undefined, { name: "echo" });
      const id = observer.processIdOf(pid);
      assert.equal(id, String(pid.serial));
      assert.equal(observer.resolveProcess(id), pid);
      const detail = observer.processDetail(id);
      assert.equal(detail.id, id);
      assert.deepEqual(roundTrip(detail), detail);
      const list = await observer.processes({
        sort: "reductions",
        order: "desc",
        offset: 0,
        limit: 10,
      });
      assert.equal(list.limit, 10);
      assert.deepEqual(roundTrip(list), list);
      assert.throws(() => observer.processDetail("x"), MalformedObserveRequestError);
      assert.throws(() => observer.resolveProcess("0"), MalformedObserveRequestError);
      assert.throws(
        () => observer.processDetail("999999"),
        (error) => error instanceof ProcessNotFoundError && error.id === "999999",
      );
    } finally {
      observer.close();
      await system.shutdown();
    }
  });

  it("tree: the supervision forest with pids as strings", async () => {
    const system = new System();
    const observer = new SystemObserver(system, { maxTreeNodes: 50 });
    try {
      await Supervisor.start(system, [{ id: "echo", start: { server: echo } }]);
      const tree = await observer.tree();
      assert.equal(tree.maxNodes, 50);
      assert.equal(tree.roots.length, 1);
      assert.equal(tree.roots[0].children[0].id, "echo");
      assert.equal(typeof tree.roots[0].pid, "string");
      assert.deepEqual(roundTrip(tree), tree);
    } finally {
      observer.close();
      await system.shutdown();
    }
  });

  it("eventsUnder expands prefixes over the catalog; subscribe streams them scrubbed", async () => {
    const system = new System();
    const observer = new SystemObserver(system);
    try {
      const calls = observer.eventsUnder(["beamlet.call"]).map((event) => event.join("."));
      assert.ok(calls.includes("beamlet.call.stop"));
      assert.ok(calls.includes("beamlet.call.expired"));
      assert.ok(calls.every((event) => event.startsWith("beamlet.call")));
      assert.deepEqual(
        observer.eventsUnder(undefined).length,
        observer.eventsUnder(["beamlet"]).length,
      );
      assert.throws(() => observer.eventsUnder(["bad prefix!"]), MalformedObserveRequestError);
      assert.throws(
        () => observer.eventsUnder(Array.from({ length: 17 }, () => "a")),
        MalformedObserveRequestError,
      );

      const subscription = observer.subscribe(["beamlet.process"], { queueSize: 2 });
      const pid = await system.start(echo);
      await system.stop(pid);
      const frames = [];
      for (let frame = subscription.take(); frame; frame = subscription.take()) frames.push(frame);
      assert.deepEqual(frames.map((f) => f.type), ["telemetry", "telemetry"]);
      const [start] = frames.map((f) => f.type === "telemetry" ? JSON.parse(f.json) : f);
      assert.deepEqual(start.event, [...BEAMLET_EVENTS.processStart]);
      assert.equal(start.metadata.pid, String(pid));
      subscription.close();
      assert.equal(subscription.take(), undefined);
      assert.equal(system.telemetry.listHandlers(["beamlet", "process"]).length, 0);
    } finally {
      observer.close();
      await system.shutdown();
    }
  });

  it("close detaches the call-latency handler and is idempotent", async () => {
    const system = new System();
    const before = system.telemetry.stats().handlers;
    const observer = new SystemObserver(system);
    assert.equal(system.telemetry.hasHandlers(["beamlet", "call", "latency"]), true);
    assert.ok(system.telemetry.stats().handlers > before);
    observer.close();
    observer.close();
    assert.equal(observer.closed, true);
    assert.equal(system.telemetry.stats().handlers, before);
    await system.shutdown();
  });
});
