import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  ConsoleReporter,
  counter,
  distribution,
  lastValue,
  type MetricDefinition,
  sum,
} from "../../../src/metrics/mod.ts";
import { Telemetry } from "../../../src/telemetry/mod.ts";

function setup(definitions: MetricDefinition[]) {
  const telemetry = new Telemetry();
  const lines: string[] = [];
  const reporter = new ConsoleReporter(telemetry, definitions, {
    log: (line) => void lines.push(line),
  });
  return { telemetry, lines, reporter };
}

describe("ConsoleReporter", () => {
  it("logs one readable line per metric update, with unit and tags", () => {
    const { telemetry, lines, reporter } = setup([
      counter("beamlet.call.stop.count", { tags: ["server"] }),
      distribution("beamlet.call.stop.duration", {
        unit: { from: "millisecond", to: "second" },
        tags: ["server", "kind"],
      }),
      lastValue("vm.memory.total", { unit: "byte" }),
    ]);
    telemetry.execute(["beamlet", "call", "stop"], { duration: 1500 }, {
      server: 'say "hi"',
      kind: 2,
    });
    telemetry.execute(["vm", "memory"], { total: 2048 });
    assert.deepEqual(lines, [
      '[metrics] beamlet.call.stop.count counter 1 {server="say \\"hi\\""}',
      '[metrics] beamlet.call.stop.duration distribution 1.5 second {server="say \\"hi\\"", kind="2"}',
      "[metrics] vm.memory.total lastValue 2048 byte",
    ]);
    assert.deepEqual(reporter.stats(), { lines: 3, logErrors: 0 });
  });

  it("logs skipped samples with the reason, and nothing for filtered ones", () => {
    const { telemetry, lines } = setup([
      sum("e.size", { tags: ["k"], dropIf: (meta) => meta.k === "drop" }),
      counter("e.count", {
        measurement: () => 1,
        tagValues: () => {
          throw new TypeError("no tags here");
        },
        tags: ["k"],
      }),
    ]);
    telemetry.execute(["e"], {}, { k: "a" });
    telemetry.execute(["e"], { size: 1 }, { k: [1] });
    telemetry.execute(["e"], { size: 1 }, { k: "drop" });
    assert.deepEqual(lines, [
      "[metrics] e.size sum skipped: measurement missing or not a finite number",
      "[metrics] e.count counter skipped: a callback threw: TypeError: no tags here",
      "[metrics] e.size sum skipped: a tag value is missing or not a primitive",
      "[metrics] e.count counter skipped: a callback threw: TypeError: no tags here",
      "[metrics] e.count counter skipped: a callback threw: TypeError: no tags here",
    ]);
  });

  it("counts a log that throws, never throwing into the emitter", () => {
    const telemetry = new Telemetry();
    const reporter = new ConsoleReporter(telemetry, [counter("a.b.count")], {
      log: () => {
        throw new Error("closed");
      },
    });
    assert.doesNotThrow(() => telemetry.execute(["a", "b"], {}));
    assert.deepEqual(reporter.stats(), { lines: 1, logErrors: 1 });
    assert.equal(telemetry.stats().failedHandlers, 0);
  });

  it("logs with console.log by default and detaches on detach and dispose", () => {
    const telemetry = new Telemetry();
    const original = console.log;
    const logged: unknown[] = [];
    console.log = (...args: unknown[]) => void logged.push(args);
    try {
      using reporter = new ConsoleReporter(telemetry, [counter("a.b.count")]);
      telemetry.execute(["a", "b"], {});
      assert.equal(reporter.detach(), true);
      assert.equal(reporter.detach(), false);
      telemetry.execute(["a", "b"], {});
    } finally {
      console.log = original;
    }
    assert.deepEqual(logged, [["[metrics] a.b.count counter 1"]]);
    assert.equal(telemetry.stats().handlers, 0);
  });

  it("checks its options", () => {
    const telemetry = new Telemetry();
    assert.throws(() => new ConsoleReporter(telemetry, [], { log: 42 as never }), TypeError);
    assert.throws(() => new ConsoleReporter(telemetry, [], { maxTagValueLength: 0 }), RangeError);
  });
});
