import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  AlreadyAttachedError,
  HANDLER_FAILURE_EVENT,
  type Measurements,
  type Metadata,
  Telemetry,
  type TelemetryEvent,
} from "../../src/telemetry/mod.ts";

interface Seen {
  event: string;
  measurements: Measurements;
  metadata: Metadata;
}

function recorder(telemetry: Telemetry, id: string, events: TelemetryEvent[]): Seen[] {
  const seen: Seen[] = [];
  telemetry.attachMany(id, events, (event, measurements, metadata) => {
    seen.push({ event: event.join("."), measurements, metadata });
  });
  return seen;
}

describe("Telemetry attach / execute / detach", () => {
  it("calls the handlers of exactly that event with measurements, metadata and config", () => {
    const telemetry = new Telemetry();
    const calls: unknown[][] = [];
    telemetry.attach("a", ["beamlet", "call"], (...args) => calls.push(args), { tag: 1 });
    telemetry.attach("b", ["beamlet", "call"], (e) => calls.push(["b", e.join(".")]));
    telemetry.attach("c", ["beamlet", "call", "stop"], () => calls.push(["c"]));
    telemetry.execute(["beamlet"], { count: 1 });
    telemetry.execute(["beamlet", "call", "stop", "more"], { count: 1 });
    telemetry.execute(["beamlet", "call"], { count: 1 }, { pid: "<0.1>" });
    assert.deepEqual(calls, [
      [["beamlet", "call"], { count: 1 }, { pid: "<0.1>" }, { tag: 1 }],
      ["b", "beamlet.call"],
    ]);
    assert.equal(telemetry.detach("a"), true);
    assert.equal(telemetry.detach("a"), false);
    calls.length = 0;
    telemetry.execute(["beamlet", "call"], { count: 2 });
    assert.deepEqual(calls, [["b", "beamlet.call"]]);
    assert.equal(telemetry.stats().handlers, 2);
  });

  it("refuses a duplicate id with AlreadyAttachedError, and accepts it again after detach", () => {
    const telemetry = new Telemetry();
    const id = Symbol("h");
    telemetry.attach(id, ["e"], () => {});
    assert.throws(() => telemetry.attach(id, ["f"], () => {}), (error: unknown) => {
      assert.ok(error instanceof AlreadyAttachedError);
      assert.equal(error.name, "AlreadyAttachedError");
      assert.equal(error.handlerId, id);
      return true;
    });
    assert.throws(() => telemetry.attachMany(id, [["g"]], () => {}), AlreadyAttachedError);
    assert.deepEqual(telemetry.listHandlers().map((h) => h.event), [["e"]]);
    telemetry.detach(id);
    telemetry.attach(id, ["f"], () => {});
  });

  it("attachMany attaches one handler to several events, once each, and detach removes all", () => {
    const telemetry = new Telemetry();
    const seen = recorder(telemetry, "many", [["a", "start"], ["a", "stop"], ["a", "start"]]);
    telemetry.execute(["a", "start"], { n: 1 });
    telemetry.execute(["a", "stop"], { n: 2 });
    telemetry.execute(["a", "other"], { n: 3 });
    assert.deepEqual(seen.map((s) => s.event), ["a.start", "a.stop"]);
    assert.equal(telemetry.listHandlers().length, 2);
    assert.equal(telemetry.detach("many"), true);
    telemetry.execute(["a", "start"], { n: 4 });
    assert.equal(seen.length, 2);
    assert.deepEqual(telemetry.listHandlers(), []);
  });

  it("listHandlers answers { id, event, config } for events starting with a prefix", () => {
    const telemetry = new Telemetry();
    telemetry.attach("call", ["beamlet", "call", "stop"], () => {}, "cfg");
    telemetry.attachMany("both", [["beamlet", "cast"], ["app", "query"]], () => {});
    telemetry.attach("app", ["app", "query", "stop"], () => {});
    assert.deepEqual(telemetry.listHandlers(["beamlet"]), [
      { id: "call", event: ["beamlet", "call", "stop"], config: "cfg" },
      { id: "both", event: ["beamlet", "cast"], config: undefined },
    ]);
    assert.deepEqual(telemetry.listHandlers(["app", "query"]).map((h) => h.id), ["both", "app"]);
    assert.deepEqual(telemetry.listHandlers(["beamlet", "call", "stop", "x"]), []);
    assert.equal(telemetry.listHandlers().length, 4);
    assert.equal(telemetry.listHandlers([]).length, 4);
  });

  it("execute with no handlers does nothing and never throws, even on malformed input", () => {
    const telemetry = new Telemetry();
    telemetry.execute(["nobody", "listens"], { count: 1 }, {});
    // @ts-expect-error: untyped callers
    telemetry.execute("beamlet.cast", { count: 1 });
    // @ts-expect-error: untyped callers
    telemetry.execute([1, 2], null);
    telemetry.attach("h", ["x"], () => assert.fail("must not be called"));
    telemetry.execute(["y"], { count: 1 });
    assert.deepEqual(telemetry.stats(), { handlers: 1, failedHandlers: 0, droppedEvents: 1 });
  });

  it("drops and counts events with non-numeric measurements or non-object metadata", () => {
    const telemetry = new Telemetry();
    let calls = 0;
    telemetry.attach("h", ["x"], () => void calls++);
    // @ts-expect-error: untyped callers
    telemetry.execute(["x"], { duration: "12ms" });
    // @ts-expect-error: untyped callers
    telemetry.execute(["x"], 5);
    // @ts-expect-error: untyped callers
    telemetry.execute(["x"], { count: 1 }, null);
    telemetry.execute(["x"], { count: 1 });
    assert.equal(calls, 1);
    assert.equal(telemetry.stats().droppedEvents, 3);
  });

  it("refuses malformed events, ids and handlers with TypeError at attach", () => {
    const telemetry = new Telemetry();
    const bad: unknown[] = [
      [],
      "beamlet.call",
      ["beamlet", ""],
      ["beamlet", 1],
      ["a\u0000b"],
      null,
    ];
    for (const event of bad) {
      assert.throws(() => telemetry.attach("h", event as TelemetryEvent, () => {}), TypeError);
      assert.throws(
        () => telemetry.attachMany("h", [["ok"], event as TelemetryEvent], () => {}),
        TypeError,
      );
    }
    assert.throws(() => telemetry.attachMany("h", [], () => {}), /non-empty array/);
    // @ts-expect-error: untyped callers
    assert.throws(() => telemetry.attach(42, ["e"], () => {}), /id must be a string or a symbol/);
    // @ts-expect-error: untyped callers
    assert.throws(() => telemetry.attach("h", ["e"], "nope"), /handler must be a function/);
    assert.throws(() => telemetry.attach("h", ["beamlet", ""], () => {}), /event\[1\]/);
    // @ts-expect-error: untyped callers
    assert.throws(() => telemetry.listHandlers("beamlet"), TypeError);
    assert.equal(telemetry.stats().handlers, 0);
  });
});

describe("Telemetry failing handlers", () => {
  it("detaches a throwing handler, runs the others and executes the failure event", () => {
    const telemetry = new Telemetry();
    const failures = recorder(telemetry, "failures", [HANDLER_FAILURE_EVENT]);
    const boom = new Error("boom");
    let good = 0;
    telemetry.attachMany("bad", [["e"], ["f"]], () => {
      throw boom;
    }, { c: 1 });
    telemetry.attach("good", ["e"], () => void good++);
    telemetry.execute(["e"], { count: 1 });
    telemetry.execute(["e"], { count: 1 });
    telemetry.execute(["f"], { count: 1 });
    assert.equal(good, 2);
    assert.equal(failures.length, 1);
    assert.deepEqual(failures[0].metadata, {
      handlerId: "bad",
      event: ["e"],
      config: { c: 1 },
      error: boom,
    });
    assert.equal(typeof failures[0].measurements.monotonic_time, "number");
    assert.equal(typeof failures[0].measurements.system_time, "number");
    assert.deepEqual(telemetry.listHandlers().map((h) => h.id), ["failures", "good"]);
    assert.equal(telemetry.stats().failedHandlers, 1);
  });

  it("a throwing failure handler is detached too, without looping", () => {
    const telemetry = new Telemetry();
    telemetry.attach("bad-failure", HANDLER_FAILURE_EVENT, () => {
      throw new Error("again");
    });
    telemetry.attach("bad", ["e"], () => {
      throw new Error("first");
    });
    telemetry.execute(["e"], {});
    assert.deepEqual(telemetry.stats(), { handlers: 0, failedHandlers: 2, droppedEvents: 0 });
  });

  it("detaches a handler whose returned Promise rejects, and ignores one that never settles", async () => {
    const telemetry = new Telemetry();
    const failures = recorder(telemetry, "failures", [HANDLER_FAILURE_EVENT]);
    telemetry.attach("rejects", ["e"], () => Promise.reject(new Error("async boom")));
    telemetry.attach("hangs", ["e"], () => new Promise(() => {}));
    telemetry.execute(["e"], {});
    await new Promise((resolve) => setTimeout(resolve, 0));
    assert.equal(failures.length, 1);
    assert.equal(failures[0].metadata.handlerId, "rejects");
    assert.deepEqual(telemetry.listHandlers().map((h) => h.id), ["failures", "hangs"]);
  });
});

describe("Telemetry.span", () => {
  const events: TelemetryEvent[] = [["s", "start"], ["s", "stop"], ["s", "exception"]];

  it("wraps a sync fn in start and stop, with durations and stop data", () => {
    const telemetry = new Telemetry();
    const seen = recorder(telemetry, "span", events);
    const result = telemetry.span(["s"], { job: 1 }, (stop) => {
      assert.equal(seen.length, 1);
      stop.metadata = { ...stop.metadata, rows: 2 };
      stop.measurements.rows = 2;
      return "done";
    });
    assert.equal(result, "done");
    assert.deepEqual(seen.map((s) => s.event), ["s.start", "s.stop"]);
    const [start, stop] = seen;
    assert.equal(start.metadata.job, 1);
    assert.equal(typeof start.measurements.system_time, "number");
    assert.ok(stop.measurements.duration >= 0);
    assert.ok(stop.measurements.monotonic_time >= start.measurements.monotonic_time);
    assert.equal(stop.measurements.rows, 2);
    assert.equal(stop.metadata.rows, 2);
    assert.equal(stop.metadata.job, 1);
    assert.equal(stop.metadata.telemetry_span_context, start.metadata.telemetry_span_context);
  });

  it("stops an async fn when its Promise resolves", async () => {
    const telemetry = new Telemetry();
    const seen = recorder(telemetry, "span", events);
    const pending = telemetry.span(["s"], {}, async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      return 42;
    });
    assert.deepEqual(seen.map((s) => s.event), ["s.start"]);
    assert.equal(await pending, 42);
    assert.deepEqual(seen.map((s) => s.event), ["s.start", "s.stop"]);
    assert.ok(seen[1].measurements.duration >= 0);
  });

  it("emits exception with kind, reason and stacktrace, then rethrows (sync)", () => {
    const telemetry = new Telemetry();
    const seen = recorder(telemetry, "span", events);
    const boom = new Error("boom");
    assert.throws(() =>
      telemetry.span(["s"], { job: 3 }, () => {
        throw boom;
      }), (error) => error === boom);
    assert.deepEqual(seen.map((s) => s.event), ["s.start", "s.exception"]);
    const exception = seen[1];
    assert.ok(exception.measurements.duration >= 0);
    assert.equal(exception.metadata.kind, "error");
    assert.equal(exception.metadata.reason, boom);
    assert.equal(exception.metadata.stacktrace, boom.stack);
    assert.equal(exception.metadata.job, 3);
  });

  it("emits exception when an async fn rejects, then rejects with the same reason", async () => {
    const telemetry = new Telemetry();
    const seen = recorder(telemetry, "span", events);
    await assert.rejects(
      telemetry.span(["s"], {}, () => Promise.reject("plain reason")),
      (reason) => reason === "plain reason",
    );
    assert.deepEqual(seen.map((s) => s.event), ["s.start", "s.exception"]);
    assert.equal(seen[1].metadata.reason, "plain reason");
    assert.equal(seen[1].metadata.stacktrace, undefined);
    assert.ok(seen[1].measurements.duration >= 0);
  });

  it("runs fn even with no handler attached, and refuses a bad prefix or fn", () => {
    const telemetry = new Telemetry();
    assert.equal(telemetry.span(["s"], {}, () => 1), 1);
    assert.throws(() => telemetry.span([], {}, () => 1), TypeError);
    // @ts-expect-error: untyped callers
    assert.throws(() => telemetry.span(["s"], {}, "nope"), TypeError);
  });
});

describe("Telemetry.prepare, hasHandlers and onChange", () => {
  it("a prepared event emits like execute and follows attach and detach", () => {
    const telemetry = new Telemetry();
    const done = telemetry.prepare(["app", "job", "stop"]);
    assert.equal(done.active, false);
    done.emit({ duration: 1 }); // nobody attached: a no-op
    const seen: unknown[] = [];
    telemetry.attach("h", ["app", "job", "stop"], (event, m, meta) => seen.push([event, m, meta]));
    assert.equal(done.active, true);
    done.emit({ duration: 2 }, { job: 7 });
    assert.deepEqual(seen, [[["app", "job", "stop"], { duration: 2 }, { job: 7 }]]);
    telemetry.detach("h");
    assert.equal(done.active, false);
    done.emit({ duration: 3 });
    assert.equal(seen.length, 1);
  });

  it("a prepared event drops malformed measurements and detaches a throwing handler", () => {
    const telemetry = new Telemetry();
    const ev = telemetry.prepare(["e"]);
    telemetry.attach("bad", ["e"], () => {
      throw new Error("bug");
    });
    ev.emit({ n: "x" } as unknown as Record<string, number>);
    assert.equal(telemetry.stats().droppedEvents, 1);
    ev.emit({ n: 1 });
    assert.equal(telemetry.stats().failedHandlers, 1);
    assert.equal(ev.active, false);
    assert.throws(() => telemetry.prepare([]), TypeError);
  });

  it("hasHandlers answers for exact events; onChange fires on attach, detach and failure", () => {
    const telemetry = new Telemetry();
    let changes = 0;
    const stop = telemetry.onChange(() => changes++);
    telemetry.onChange(() => {
      throw new Error("a throwing listener is ignored");
    });
    telemetry.attach("a", ["x", "y"], () => {
      throw new Error("fails");
    });
    assert.equal(telemetry.hasHandlers(["x", "y"]), true);
    assert.equal(telemetry.hasHandlers(["x"]), false);
    assert.equal(telemetry.hasHandlers("x" as unknown as string[]), false);
    telemetry.execute(["x", "y"], {}); // the handler fails and is detached
    assert.equal(telemetry.hasHandlers(["x", "y"]), false);
    assert.equal(changes, 2);
    stop();
    telemetry.attach("b", ["z"], () => {});
    assert.equal(changes, 2);
    // @ts-expect-error: untyped callers
    assert.throws(() => telemetry.onChange("nope"), TypeError);
  });
});
