import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  counter,
  distribution,
  DuplicateMetricError,
  lastValue,
  type MetricDefinition,
  type StatsdOptions,
  StatsdReporter,
  sum,
} from "../../../src/metrics/mod.ts";
import { Telemetry } from "../../../src/telemetry/mod.ts";

function setup(definitions: MetricDefinition[], options: Partial<StatsdOptions> = {}) {
  const telemetry = new Telemetry();
  const packets: string[] = [];
  const reporter = new StatsdReporter(telemetry, definitions, {
    send: (packet) => void packets.push(packet),
    autoFlush: false,
    ...options,
  });
  return { telemetry, packets, reporter };
}

const bytes = (text: string) => new TextEncoder().encode(text).length;

describe("StatsdReporter", () => {
  it("sends one line per metric of each event, converted to the metric's unit", () => {
    const { telemetry, packets, reporter } = setup([
      counter("beamlet.call.stop.count", { tags: ["server"] }),
      distribution("beamlet.call.stop.duration", { unit: { from: "millisecond", to: "second" } }),
      sum("beamlet.call.stop.bytes", { unit: { from: "byte", to: "kilobyte" } }),
      lastValue("vm.memory.total"),
    ]);
    telemetry.execute(["beamlet", "call", "stop"], { duration: 250, bytes: 2048 }, {
      server: "cache",
    });
    telemetry.execute(["vm", "memory"], { total: 7 });
    reporter.flush();
    assert.deepEqual(packets, [
      [
        "beamlet.call.stop.count.cache:1|c",
        "beamlet.call.stop.duration:0.25|ms",
        "beamlet.call.stop.bytes:2|c",
        "vm.memory.total:7|g",
      ].join("\n"),
    ]);
    assert.deepEqual(reporter.stats(), {
      lines: 4,
      packets: 1,
      sendErrors: 0,
      skipped: 0,
      failedCallbacks: 0,
    });
  });

  it("batches lines into packets of at most mtu UTF-8 bytes, in order", () => {
    const { telemetry, packets, reporter } = setup(
      [counter("app.hit.count", { tags: ["user"] })],
      { mtu: 100, format: "datadog" },
    );
    const expected: string[] = [];
    for (let i = 0; i < 50; i++) {
      const user = i % 3 === 0 ? `ü${"é".repeat(i % 7)}✓${i}` : `user${i}`;
      telemetry.execute(["app", "hit"], {}, { user });
      expected.push(`app.hit.count:1|c|#user:${user}`);
    }
    reporter.flush();
    assert.ok(packets.length > 1);
    for (const packet of packets) assert.ok(bytes(packet) <= 100, `${bytes(packet)} bytes`);
    assert.deepEqual(packets.join("\n").split("\n"), expected);
    // Full packets: adding the next line would have crossed the MTU.
    for (let i = 0; i + 1 < packets.length; i++) {
      const next = packets[i + 1].split("\n")[0];
      assert.ok(bytes(packets[i]) + 1 + bytes(next) > 100);
    }
  });

  it("sends a line longer than the mtu alone", () => {
    const { telemetry, packets, reporter } = setup([counter("a.b.count", { tags: ["t"] })], {
      mtu: 20,
    });
    telemetry.execute(["a", "b"], {}, { t: "x" });
    telemetry.execute(["a", "b"], {}, { t: "y".repeat(40) });
    telemetry.execute(["a", "b"], {}, { t: "z" });
    reporter.flush();
    assert.deepEqual(packets, [
      "a.b.count.x:1|c",
      `a.b.count.${"y".repeat(40)}:1|c`,
      "a.b.count.z:1|c",
    ]);
  });

  it("flushes in a microtask by default", async () => {
    const { telemetry, packets } = setup([counter("a.b.count")], { autoFlush: true });
    telemetry.execute(["a", "b"], {});
    telemetry.execute(["a", "b"], {});
    assert.deepEqual(packets, []);
    await Promise.resolve();
    assert.deepEqual(packets, ["a.b.count:1|c\na.b.count:1|c"]);
    telemetry.execute(["a", "b"], {});
    await Promise.resolve();
    assert.deepEqual(packets, ["a.b.count:1|c\na.b.count:1|c", "a.b.count:1|c"]);
  });

  it("counts a send that throws or rejects, tells onError, and never throws into the emitter", async () => {
    const telemetry = new Telemetry();
    const errors: unknown[] = [];
    let calls = 0;
    const reporter = new StatsdReporter(telemetry, [counter("a.b.count")], {
      send: () => {
        calls++;
        if (calls === 1) throw new Error("sync");
        return Promise.reject(new Error("async"));
      },
      onError: (error) => {
        errors.push((error as Error).message);
        throw new Error("onError fails too");
      },
      mtu: 1,
    });
    assert.doesNotThrow(() => telemetry.execute(["a", "b"], {}));
    assert.doesNotThrow(() => telemetry.execute(["a", "b"], {}));
    await new Promise((resolve) => setTimeout(resolve, 0));
    assert.deepEqual(errors, ["sync", "async"]);
    assert.equal(reporter.stats().sendErrors, 2);
    assert.equal(reporter.stats().packets, 2);
    assert.equal(telemetry.stats().failedHandlers, 0);
    assert.equal(telemetry.stats().handlers, 1);
  });

  it("skips and counts bad samples and throwing callbacks", () => {
    const { telemetry, packets, reporter } = setup([
      sum("e.size", { tags: ["k"] }),
      counter("e.count", {
        keepIf: () => {
          throw new Error("keepIf");
        },
      }),
      counter("e.kept", { dropIf: (meta) => meta.k === "drop" }),
    ]);
    telemetry.execute(["e"], {}, { k: "a" }); // no size
    telemetry.execute(["e"], { size: 1 }, { k: {} }); // bad tag
    telemetry.execute(["e"], { size: 2 }, { k: "drop" });
    reporter.flush();
    assert.deepEqual(packets, ["e.kept:1|c\ne.kept:1|c\ne.size.drop:2|c"]);
    assert.deepEqual(reporter.stats(), {
      lines: 3,
      packets: 1,
      sendErrors: 0,
      skipped: 5,
      failedCallbacks: 3,
    });
  });

  it("flushes and detaches on detach and dispose", () => {
    const telemetry = new Telemetry();
    const packets: string[] = [];
    {
      using reporter = new StatsdReporter(telemetry, [counter("a.b.count")], {
        send: (p) => void packets.push(p),
        autoFlush: false,
      });
      telemetry.execute(["a", "b"], {});
      assert.equal(telemetry.stats().handlers, 1);
      assert.equal(reporter.stats().lines, 1);
    }
    assert.deepEqual(packets, ["a.b.count:1|c"]);
    assert.equal(telemetry.stats().handlers, 0);
    telemetry.execute(["a", "b"], {});
    assert.equal(packets.length, 1);
  });

  it("checks its options and definitions", () => {
    const telemetry = new Telemetry();
    const send = () => {};
    const bad = [
      [() => new StatsdReporter(telemetry, [], {} as StatsdOptions), TypeError],
      [() => new StatsdReporter(telemetry, [], { send, mtu: 0 }), RangeError],
      [() => new StatsdReporter(telemetry, [], { send, mtu: 1.5 }), RangeError],
      [() => new StatsdReporter(telemetry, [], { send, maxTagValueLength: 0 }), RangeError],
      [
        () => new StatsdReporter(telemetry, [], { send, format: "graphite" as "standard" }),
        TypeError,
      ],
      [
        () => new StatsdReporter(telemetry, [counter("a.b"), sum("a.b")], { send }),
        DuplicateMetricError,
      ],
      [() => new StatsdReporter(telemetry, [{} as MetricDefinition], { send }), TypeError],
    ] as const;
    for (const [make, error] of bad) assert.throws(make, error);
    assert.equal(telemetry.stats().handlers, 0);
  });

  it("bounds tag values", () => {
    const { telemetry, packets, reporter } = setup([counter("a.b.count", { tags: ["t"] })], {
      maxTagValueLength: 3,
      format: "datadog",
    });
    telemetry.execute(["a", "b"], {}, { t: "abcdef" });
    reporter.flush();
    assert.deepEqual(packets, ["a.b.count:1|c|#t:abc"]);
  });
});
