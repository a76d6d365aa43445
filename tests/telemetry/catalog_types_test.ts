/**
 * Type-level tests of the event catalog: `deno check` (part of the suite's
 * type check) fails if a declared event stops typing its handlers, or
 * stops refusing a wrong emission (each `@ts-expect-error` must be an
 * error). The function below is never run.
 */

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { BEAMLET_EVENTS } from "../../src/telemetry/beamlet_events.ts";
import { CALLBACK_EVENTS } from "../../src/telemetry/catalog/callback_events.ts";
import type { Telemetry } from "../../src/telemetry/telemetry.ts";
import type { Pid } from "../../src/pid.ts";

function typeChecks(t: Telemetry, pid: Pid): unknown[] {
  t.execute(BEAMLET_EVENTS.processStart, { monotonic_time: 1, system_time: 2 }, {
    pid,
    name: undefined,
    parent: undefined,
    // @ts-expect-error: an extra metadata key
    extra: 1,
  });
  // @ts-expect-error: a missing measurement
  t.execute(BEAMLET_EVENTS.processExit, { monotonic_time: 1 }, {
    pid,
    name: undefined,
    reason: "normal",
  });
  t.prepare(CALLBACK_EVENTS.call.stop).emit(
    { monotonic_time: 1, duration: 1, queue_time: 0 },
    // @ts-expect-error: not a callback kind
    { pid, name: undefined, kind: "bogus" },
  );
  const seen: unknown[] = [];
  t.attach("typed", BEAMLET_EVENTS.processExit, (_e, m, meta) => {
    const lifetime: number = m.lifetime;
    const exited: Pid = meta.pid;
    // @ts-expect-error: not a measurement of beamlet.process.exit
    seen.push(m.duration);
    seen.push(lifetime, exited, meta.reason);
  });
  t.attach("exceptions", BEAMLET_EVENTS.callback("cast", "exception"), (_e, _m, meta) => {
    const stack: string | undefined = meta.stacktrace;
    seen.push(stack, meta.kind);
  });
  // A name of one's own stays untyped: anything goes.
  t.execute(["app", "x"], { anything: 1 }, { goes: true });
  t.attach("untyped", ["app", "x"], (_e, m, meta) => void seen.push(m.anything, meta.goes));
  return seen;
}

describe("event catalog types", () => {
  it("are checked by deno check (this file holds the cases)", () => {
    assert.equal(typeof typeChecks, "function");
  });
});
