import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type GenServer, noreply, ok, reply } from "../../src/gen_server.ts";
import { BEAMLET_EVENTS, CALLBACK_KINDS } from "../../src/telemetry/beamlet_events.ts";
import type { Measurements, Metadata, TelemetryEvent } from "../../src/telemetry/types.ts";
import { System } from "../../src/system.ts";
import { Task } from "../../src/task/task.ts";
import { createTestSystem } from "../../src/testing/test_system.ts";

interface Seen {
  event: string;
  m: Measurements;
  meta: Metadata;
}

/** Attaches one recorder to `events` and returns what it saw. */
function record(system: System, events: readonly TelemetryEvent[]): Seen[] {
  const seen: Seen[] = [];
  system.telemetry.attachMany("record", events, (event, m, meta) => {
    seen.push({ event: event.join("."), m, meta });
  });
  return seen;
}

const ALL_CALLBACK_EVENTS = CALLBACK_KINDS.flatMap((kind) =>
  (["start", "stop", "exception"] as const).map((phase) => BEAMLET_EVENTS.callback(kind, phase))
);

type Msg = { slow: number } | "crash" | "ok";

/** A server whose handlers take virtual time by advancing the test clock. */
function server(
  advance: (ms: number) => void,
): GenServer<number, undefined, Msg, unknown, Msg, Msg> {
  return {
    init: () => ok(0, { continue: "warm" }),
    handleContinue: (_c, n) => noreply(n),
    handleCall: (msg, _from, n) => {
      if (msg === "crash") throw new Error("boom");
      if (typeof msg === "object") advance(msg.slow);
      return reply("done", n + 1);
    },
    handleCast: (msg, n) => {
      if (typeof msg === "object") advance(msg.slow);
      return noreply(n + 1);
    },
    handleInfo: (_msg, n) => noreply(n),
    terminate: () => {},
  };
}

describe("built-in events", () => {
  it("callback start/stop per kind carry duration, queue time, pid and name", async () => {
    const t = createTestSystem();
    const seen = record(t.system, ALL_CALLBACK_EVENTS);
    const pid = await t.start(server((ms) => t.clock.set(t.clock.now() + ms)), undefined, {
      name: "worker",
    });
    await t.runUntilIdle();
    t.system.cast(pid, "ok");
    t.clock.set(t.clock.now() + 40); // the cast waits 40 ms in the mailbox
    const answer = t.system.call(pid, { slow: 7 });
    await t.runUntilIdle();
    assert.equal(await answer, "done");
    t.system.send(pid, "ok");
    await t.runUntilIdle();
    const stopped = t.system.stop(pid);
    await t.runUntilIdle();
    await stopped;

    const names = seen.map((s) => s.event);
    assert.deepEqual(names, [
      "beamlet.init.start",
      "beamlet.init.stop",
      "beamlet.continue.start",
      "beamlet.continue.stop",
      "beamlet.cast.start",
      "beamlet.cast.stop",
      "beamlet.call.start",
      "beamlet.call.stop",
      "beamlet.info.start",
      "beamlet.info.stop",
      "beamlet.terminate.start",
      "beamlet.terminate.stop",
    ]);
    for (const s of seen) {
      assert.equal(s.meta.pid, pid);
      assert.equal(s.meta.name, "worker");
      assert.equal(s.meta.kind, s.event.split(".")[1]);
      assert.equal(typeof s.m.monotonic_time, "number");
      assert.equal(typeof s.m.queue_time, "number");
    }
    const castStop = seen.find((s) => s.event === "beamlet.cast.stop")!;
    assert.equal(castStop.m.queue_time, 40);
    const callStop = seen.find((s) => s.event === "beamlet.call.stop")!;
    assert.equal(callStop.m.duration, 7);
    // The call started when the cast before it stopped (one clock read per message).
    const callStart = seen.find((s) => s.event === "beamlet.call.start")!;
    assert.equal(callStart.m.monotonic_time, castStop.m.monotonic_time);
  });

  it("an async callback stops when its Promise settles", async () => {
    const t = createTestSystem();
    const seen = record(t.system, [BEAMLET_EVENTS.callback("call", "stop")]);
    const pid = await t.start<undefined, undefined>({
      init: () => ok(undefined),
      handleCall: async (_m, _f, s) => {
        await Promise.resolve();
        t.clock.set(t.clock.now() + 25);
        await Promise.resolve();
        return reply(1, s);
      },
    });
    const answer = t.system.call(pid, "x");
    await t.runUntilIdle();
    assert.equal(await answer, 1);
    assert.equal(seen.length, 1);
    assert.equal(seen[0].m.duration, 25);
  });

  it("a throwing callback gives exception with reason and stack, then the process exit", async () => {
    const t = createTestSystem();
    const seen = record(t.system, [
      ...ALL_CALLBACK_EVENTS,
      BEAMLET_EVENTS.processExit,
    ]);
    const pid = await t.start(server(() => {}));
    await t.runUntilIdle();
    seen.length = 0;
    const answer = t.system.call(pid, "crash").catch((e: unknown) => e);
    await t.runUntilIdle();
    assert.ok((await answer) instanceof Error);
    const names = seen.map((s) => s.event);
    assert.deepEqual(names, [
      "beamlet.call.start",
      "beamlet.call.exception",
      "beamlet.terminate.start",
      "beamlet.terminate.stop",
      "beamlet.process.exit",
    ]);
    const exception = seen[1];
    assert.equal((exception.meta.reason as Error).message, "boom");
    assert.match(String(exception.meta.stacktrace), /boom/);
    assert.equal(typeof exception.m.duration, "number");
    assert.equal((seen[4].meta.reason as Error).message, "boom");
  });

  it("a process killed inside an async callback ends its span with the kill reason", async () => {
    const system = new System({ logger: null });
    const seen = record(system, ALL_CALLBACK_EVENTS);
    let entered!: () => void;
    const inCallback = new Promise<void>((resolve) => entered = resolve);
    const pid = await system.start<undefined, undefined>({
      init: () => ok(undefined),
      handleCast: () => {
        entered();
        return new Promise(() => {}); // never settles
      },
    });
    system.cast(pid, "hang");
    await inCallback;
    const exited = system.whenExited(pid);
    system.exit(pid, "kill");
    assert.equal(await exited, "killed");
    const last = seen.at(-1)!;
    assert.equal(last.event, "beamlet.cast.exception");
    assert.equal(last.meta.reason, "killed");
    await system.shutdown();
  });

  it("process start and exit carry pid, name, parent, reason and lifetime", async () => {
    const t = createTestSystem();
    const seen = record(t.system, [BEAMLET_EVENTS.processStart, BEAMLET_EVENTS.processExit]);
    const pid = await t.start(server(() => {}), undefined, { name: "p" });
    t.clock.set(t.clock.now() + 100);
    const stopped = t.system.stop(pid, "shutdown");
    await t.runUntilIdle();
    await stopped;
    assert.deepEqual(seen.map((s) => s.event), ["beamlet.process.start", "beamlet.process.exit"]);
    assert.equal(seen[0].meta.pid, pid);
    assert.equal(seen[0].meta.name, "p");
    assert.equal(seen[1].meta.reason, "shutdown");
    assert.equal(seen[1].m.lifetime, 100);
  });

  it("mailbox refusals and drops are executed per policy", async () => {
    const t = createTestSystem();
    const seen = record(t.system, [BEAMLET_EVENTS.mailboxRefused, BEAMLET_EVENTS.mailboxDropped]);
    const idle: GenServer<undefined, undefined> = {
      init: () => ok(undefined),
      handleCast: (_m, s) => noreply(s),
    };
    const reject = await t.start(idle, undefined, { mailbox: { bound: 1, overflow: "reject" } });
    const newest = await t.start(idle, undefined, {
      mailbox: { bound: 1, overflow: "drop_newest" },
    });
    const oldest = await t.start(idle, undefined, {
      mailbox: { bound: 1, overflow: "drop_oldest" },
    });
    for (const pid of [reject, newest, oldest]) {
      assert.equal(t.system.cast(pid, 1), "ok");
      t.system.cast(pid, 2);
    }
    assert.deepEqual(seen.map((s) => [s.event, s.meta.pid, s.meta.policy, s.meta.message_kind]), [
      ["beamlet.mailbox.refused", reject, "reject", "cast"],
      ["beamlet.mailbox.dropped", newest, "drop_newest", "cast"],
      ["beamlet.mailbox.dropped", oldest, "drop_oldest", "cast"],
    ]);
    for (const s of seen) assert.equal(s.m.count, 1);
    await t.runUntilIdle();
  });

  it("scheduler slices report run queue, processes and messages; table size at most once a second", async () => {
    const t = createTestSystem();
    const slices = record(t.system, [BEAMLET_EVENTS.schedulerSlice]);
    const tables: Measurements[] = [];
    t.system.telemetry.attach("tables", BEAMLET_EVENTS.tableSize, (_e, m) => void tables.push(m));
    const pid = await t.start(server(() => {}), undefined, { name: "n" });
    for (let i = 0; i < 5; i++) t.system.cast(pid, "ok");
    await t.runUntilIdle();
    const handled = slices.reduce((sum, s) => sum + s.m.messages, 0);
    assert.ok(handled >= 6, `messages in slices: ${handled}`); // init + continue-free casts
    for (const s of slices) {
      assert.ok(s.m.utilization >= 0 && s.m.utilization <= 1);
      assert.equal(typeof s.m.run_queue_length, "number");
      assert.ok(s.meta.reason === "idle" || s.meta.reason === "yield");
    }
    assert.equal(tables.length, 1);
    assert.equal(tables[0].processes, 1);
    assert.equal(tables[0].names, 1);
    t.system.cast(pid, "ok");
    await t.runUntilIdle();
    assert.equal(tables.length, 1); // same virtual second
    t.clock.set(t.clock.now() + 1000);
    t.system.cast(pid, "ok");
    await t.runUntilIdle();
    assert.equal(tables.length, 2);
    const stats = t.system.schedulerStats();
    assert.ok(stats.messages >= 8);
    assert.ok(stats.slices >= 3);
    assert.deepEqual(stats.runQueue, { high: 0, normal: 0, low: 0 });
  });

  it("tasks run inside beamlet.task start/stop (and exception)", async () => {
    const t = createTestSystem();
    const seen = record(t.system, [
      BEAMLET_EVENTS.taskStart,
      BEAMLET_EVENTS.taskStop,
      BEAMLET_EVENTS.taskException,
    ]);
    const good = Task.async(t.system, () => 42);
    await t.runUntilIdle();
    assert.equal(await Task.await(await good), 42);
    const bad = Task.async(t.system, () => {
      throw new Error("task failed");
    });
    await t.runUntilIdle();
    await assert.rejects(Task.await(await bad));
    assert.deepEqual(seen.map((s) => s.event), [
      "beamlet.task.start",
      "beamlet.task.stop",
      "beamlet.task.start",
      "beamlet.task.exception",
    ]);
    assert.equal(typeof seen[1].m.duration, "number");
  });

  it("a handler attached later starts receiving; detached, nothing more is executed", async () => {
    const t = createTestSystem();
    const pid = await t.start(server(() => {}));
    t.system.cast(pid, "ok");
    await t.runUntilIdle();
    const seen = record(t.system, [BEAMLET_EVENTS.callback("cast", "stop")]);
    t.system.cast(pid, "ok");
    await t.runUntilIdle();
    assert.equal(seen.length, 1);
    t.system.telemetry.detach("record");
    t.system.cast(pid, "ok");
    await t.runUntilIdle();
    assert.equal(seen.length, 1);
  });

  it("a throwing handler is detached and the process keeps running", async () => {
    const t = createTestSystem();
    t.system.telemetry.attach("bad", BEAMLET_EVENTS.callback("cast", "start"), () => {
      throw new Error("handler bug");
    });
    const pid = await t.start(server(() => {}));
    t.system.cast(pid, "ok");
    t.system.cast(pid, "ok");
    await t.runUntilIdle();
    assert.equal(t.system.telemetry.listHandlers().length, 0);
    assert.equal(t.system.isAlive(pid), true);
    assert.equal(t.system.telemetry.stats().failedHandlers, 1);
  });
});
