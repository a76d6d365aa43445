/**
 * The event catalog against the emitters: every `beamlet.*` event executed
 * (or emitted through a prepared event) while the built-in scenarios run —
 * the telemetry, supervisor, task and call suites, imported below, plus an
 * SLO, a failing handler and the system monitor here — must be declared in `EVENT_CATALOG`, with
 * exactly the declared measurement and metadata keys.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Telemetry } from "../../src/telemetry/telemetry.ts";
import { EVENT_CATALOG } from "../../src/telemetry/catalog/mod.ts";
import { BEAMLET_EVENTS } from "../../src/telemetry/beamlet_events.ts";
import { defineEvent } from "../../src/telemetry/define_event.ts";
import type {
  Measurements,
  Metadata,
  PreparedEvent,
  TelemetryEvent,
} from "../../src/telemetry/types.ts";
import { createTestSystem } from "../../src/testing/test_system.ts";
import { SloMonitor } from "../../src/slo/slo_monitor.ts";
import { beamletMetrics } from "../../src/metrics/beamlet_metrics.ts";
import { type GenServer, noreply, ok, reply } from "../../src/gen_server.ts";
import { Supervisor } from "../../src/supervisor/supervisor.ts";
import { Task } from "../../src/task/task.ts";
import { attachTableStats } from "../../src/tables/_table_stats.ts";
import { Table } from "../../src/tables/table.ts";
import { System } from "../../src/system.ts";
import { installMonitor } from "../../src/kernel/probes/monitor_install.ts";
import { monitorSettings } from "../../src/_monitor_settings.ts";
import { runtimeOf } from "../../src/_runtime_access.ts";

interface Emitted {
  readonly id: string;
  readonly measurements: string;
  readonly metadata: string;
}

const emitted = new Map<string, Emitted>();
/** Off once the check ran: a runner that shares one process between files runs others after. */
let recording = true;
const keys = (record: object | undefined) => Object.keys(record ?? {}).sort().join(",");

function note(event: TelemetryEvent, m: Measurements, meta: Metadata | undefined): void {
  if (!recording || !Array.isArray(event) || event[0] !== "beamlet") return;
  const seen = { id: event.join("."), measurements: keys(m), metadata: keys(meta) };
  emitted.set(`${seen.id}|${seen.measurements}|${seen.metadata}`, seen);
}

// Record every emission, from here on, whoever emits and whether or not anyone listens.
const execute = Telemetry.prototype.execute;
Telemetry.prototype.execute = function (event, m, meta) {
  note(event, m, meta);
  return execute.call(this, event, m, meta);
};
const prepare = Telemetry.prototype.prepare;
// @ts-ignore: the recorder drops the declared types, which the scenarios do not need.
Telemetry.prototype.prepare = function (event: TelemetryEvent): PreparedEvent {
  const inner = prepare.call(this, event);
  return Object.freeze({
    event: inner.event,
    get active() {
      return inner.active;
    },
    emit(m: Measurements, meta?: Metadata) {
      note(inner.event, m, meta);
      inner.emit(m, meta);
    },
  });
};

// The scenarios: each suite registers its tests here, run with the recorder on. The
// query makes a fresh instance of a module a runner sharing one process already loaded.
// (`.js` once built for Node.)
const extension = import.meta.url.endsWith(".js") ? ".js" : ".ts";
for (
  const scenario of [
    "./beamlet_events_test",
    "../supervisor/telemetry_test",
    "../supervisor/supervisor_test",
    "../task/task_test",
    "../gen_server_call_test",
    "./flow_events_test",
    "./mailbox_events_test",
    "../cluster/_cluster_events_test",
    "../metrics/_cluster_metrics_test",
  ]
) await import(new URL(`${scenario}${extension}?catalog`, import.meta.url).href);

describe("event catalog", () => {
  it("a tour of the runtime emits every built-in event", async () => {
    const t = createTestSystem();
    t.system.telemetry.attachMany("everything", EVENT_CATALOG, () => {});
    // Manual scheduling: run the system while waiting for a reply.
    const drive = async <T>(promise: Promise<T>): Promise<T> => {
      await t.runUntilIdle();
      return await promise;
    };
    type Msg = "ok" | "crash";
    const worker: GenServer<number, undefined, Msg, string, Msg, Msg> = {
      init: () => ok(0, { continue: "warm" }),
      handleContinue: (_c, n) => noreply(n),
      handleCall: (msg, _from, n) => {
        if (msg === "crash") throw new Error("boom");
        return reply("done", n + 1);
      },
      handleCast: (_msg, n) => noreply(n + 1),
      handleInfo: (_msg, n) => noreply(n),
      terminate: () => {},
    };
    const pid = await t.start(worker, undefined, { name: "worker" });
    // A named table: its stats come with the table sizes.
    attachTableStats(t.system, () => Table.list(t.system));
    new Table(t.system, { owner: pid, name: "tour" }).insert(["k", 1]);
    t.system.cast(pid, "ok");
    t.system.send(pid, "ok");
    assert.equal(await drive(t.system.call(pid, "ok")), "done");
    t.clock.set(t.clock.now() + 1000); // a new second: table sizes again
    t.system.suspend(pid);
    const stale = t.system.call(pid, "ok", { timeout: 10 }).catch(() => "expired");
    await t.advance(10);
    assert.equal(await stale, "expired");
    t.system.resume(pid);
    await t.runUntilIdle();
    await assert.rejects(drive(t.system.call(pid, "crash")));
    await t.runUntilIdle();

    const idle: GenServer<undefined, undefined> = {
      init: () => ok(undefined),
      handleCast: (_m, s) => noreply(s),
    };
    for (const overflow of ["reject", "drop_newest"] as const) {
      const full = await t.start(idle, undefined, { mailbox: { bound: 1, overflow } });
      t.system.cast(full, 1);
      t.system.cast(full, 2);
    }
    await t.runUntilIdle();

    const good = Task.async(t.system, () => 42);
    await t.runUntilIdle();
    assert.equal(await Task.await(await good), 42);
    const bad = Task.async(t.system, () => {
      throw new Error("task failed");
    });
    await t.runUntilIdle();
    await assert.rejects(Task.await(await bad));

    const sup = await drive(Supervisor.start(t.system, [{ id: "w", start: { server: worker } }], {
      intensity: 1,
      period: 60_000,
    }));
    const exited = t.system.whenExited(sup);
    for (let i = 0; i < 2; i++) {
      const [child] = await drive(Supervisor.whichChildren(t.system, sup));
      t.system.exit(child.pid!, "boom");
      await t.runUntilIdle();
    }
    assert.equal(await drive(exited), "shutdown");
    t.system.shutdown();
  });

  it("an SLO alert and resolve, and a failing handler, are emitted as declared", async () => {
    const t = createTestSystem();
    const request = ["app", "request", "stop"];
    t.system.telemetry.attach("alerts", BEAMLET_EVENTS.sloAlert, () => {});
    t.system.telemetry.attach("resolves", BEAMLET_EVENTS.sloResolve, () => {});
    t.system.telemetry.attach("failures", BEAMLET_EVENTS.handlerFailure, () => {});
    const monitor = new SloMonitor(t.system, {
      slos: [{
        name: "p90",
        kind: "latency",
        event: request,
        measurement: "duration",
        quantile: 0.9,
        threshold: 5,
        window: 2000,
        buckets: 2,
      }],
      evaluationInterval: 1000,
    });
    for (let i = 0; i < 100; i++) t.system.telemetry.execute(request, { duration: 10 }, {});
    await t.advance(1000);
    await t.advance(3000);
    assert.deepEqual(monitor.alerts(10).map((a) => a.type), ["alert", "resolve"]);
    t.system.telemetry.attach("throws", ["app", "boom"], () => {
      throw new Error("boom");
    });
    t.system.telemetry.execute(["app", "boom"], {});
    monitor.stop();
    t.system.shutdown();
  });

  it("the system monitor's long callback, long schedule and event-loop stall are emitted as declared", async () => {
    const clock = { t: 0, now: () => clock.t };
    const system = new System({ clock, logger: null, monitor: { longSchedule: 10 } });
    system.telemetry.attachMany("monitor", EVENT_CATALOG, () => {});
    const pid = await system.start({
      init: () => ok(null),
      handleCast: (ms: number, state) => {
        clock.t += ms;
        return noreply(state);
      },
    });
    system.cast(pid, 12);
    await system.runUntilIdle();
    const { longCallbacks, longSchedules } = system.monitorStats();
    assert.deepEqual([longCallbacks, longSchedules], [1, 1]);
    system.shutdown();
    let fire: (() => void) | undefined;
    let now = 0;
    installMonitor(runtimeOf(system), monitorSettings({})!, {
      now: () => now,
      setTimer: (task) => ((fire = task), () => (fire = undefined)),
    });
    now += 1000;
    fire!();
    assert.equal(system.monitorStats().eventLoopStalls, 1);
    system.shutdown();
  });

  it("every emitted beamlet event is declared, with the declared measurements and metadata", () => {
    recording = false;
    const declared = new Map(EVENT_CATALOG.map((event) => [event.id, event]));
    assert.ok(emitted.size > 20, `only ${emitted.size} emissions recorded`);
    const ids = new Set<string>();
    for (const seen of emitted.values()) {
      ids.add(seen.id);
      const declaration = declared.get(seen.id);
      assert.ok(declaration, `${seen.id} is emitted but not declared`);
      assert.equal(seen.measurements, keys(declaration.measurements), `${seen.id} measurements`);
      assert.equal(seen.metadata, keys(declaration.metadata), `${seen.id} metadata`);
    }
    // The scenarios reach every declared event but exceptions of the rarer callbacks and a failed restart.
    const missed = [...declared.keys()].filter((id) => !ids.has(id));
    assert.deepEqual(
      missed.filter((id) => !OPTIONAL.has(id)),
      [],
      `declared but never emitted by the scenarios: ${missed}`,
    );
  });
});

/** Declared events the scenarios above need not reach. */
const OPTIONAL = new Set([
  "beamlet.continue.exception",
  "beamlet.terminate.exception",
  "beamlet.init.exception",
  "beamlet.cast.exception",
  "beamlet.info.exception",
  "beamlet.supervisor.child.restart_failed",
]);

describe("event catalog declarations", () => {
  it("names are unique, frozen, and carry their declaration without changing the array", () => {
    const ids = EVENT_CATALOG.map((event) => event.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const event of EVENT_CATALOG) {
      assert.ok(Object.isFrozen(event));
      assert.equal(event.join("."), event.id);
      assert.deepEqual([...event], event.id.split("."));
      assert.deepEqual(Object.keys(event), event.id.split(".").map((_, i) => String(i)));
      assert.equal(JSON.stringify(event), JSON.stringify(event.id.split(".")));
      assert.ok(event.description.length > 0);
    }
  });

  it("BEAMLET_EVENTS holds the catalog's declarations", () => {
    const values = Object.values(BEAMLET_EVENTS).filter((v) => Array.isArray(v));
    for (const value of values) assert.ok(EVENT_CATALOG.includes(value as never), String(value));
    assert.equal(BEAMLET_EVENTS.callback("call", "stop").id, "beamlet.call.stop");
  });

  it("every default metric names a declared event and one of its measurements", () => {
    const declared = new Map(EVENT_CATALOG.map((event) => [event.id, event]));
    for (const definition of beamletMetrics()) {
      const event = definition.event.join(".");
      const declaration = declared.get(event);
      assert.ok(declaration, `${definition.name}: ${event} is not declared`);
      if (definition.type !== "counter" && typeof definition.measurement === "string") {
        assert.ok(
          definition.measurement in declaration.measurements,
          `${definition.name}: ${event} has no measurement ${String(definition.measurement)}`,
        );
      }
    }
  });

  it("defineEvent declares a typed event of one's own, and refuses a malformed name", () => {
    const jobDone = defineEvent<{ duration: number }, { job: string }>(["app", "job", "done"], {
      description: "A job finished.",
      measurements: { duration: "millisecond" },
      metadata: { job: "the job's id" },
    });
    const telemetry = new Telemetry();
    const seen: string[] = [];
    telemetry.attach("h", jobDone, (_e, m, meta) => void seen.push(`${meta.job}:${m.duration}`));
    telemetry.execute(jobDone, { duration: 3 }, { job: "j" });
    telemetry.prepare(jobDone).emit({ duration: 4 }, { job: "k" });
    assert.deepEqual(seen, ["j:3", "k:4"]);
    assert.throws(
      () => defineEvent([], { description: "", measurements: {}, metadata: {} }),
      TypeError,
    );
    assert.throws(
      () => defineEvent(["a", ""], { description: "", measurements: {}, metadata: {} }),
      TypeError,
    );
  });
});
