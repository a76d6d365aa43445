/**
 * The event catalog against the emitters: every `beamlet.*` event executed
 * (or emitted through a prepared event) while the built-in scenarios run —
 * the telemetry, supervisor, task and call suites, imported below, plus an
 * SLO and a failing handler here — must be declared in `EVENT_CATALOG`, with
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

interface Emitted {
  readonly id: string;
  readonly measurements: string;
  readonly metadata: string;
}

const emitted = new Map<string, Emitted>();
const keys = (record: object | undefined) => Object.keys(record ?? {}).sort().join(",");

function note(event: TelemetryEvent, m: Measurements, meta: Metadata | undefined): void {
  if (!Array.isArray(event) || event[0] !== "beamlet") return;
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

// The scenarios: each suite registers its tests here, run with the recorder on.
await import("./beamlet_events_test.ts");
await import("../supervisor/telemetry_test.ts");
await import("../supervisor/supervisor_test.ts");
await import("../task/task_test.ts");
await import("../gen_server_call_test.ts");

describe("event catalog", () => {
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

  it("every emitted beamlet event is declared, with the declared measurements and metadata", () => {
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
    // The scenarios reach every declared event but the rarest mailbox and restart paths.
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
