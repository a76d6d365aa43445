import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { TelemetryHook } from "../src/telemetry_hook.ts";

describe("TelemetryHook", () => {
  it("emits to every attached handler, in attach order, until detached", () => {
    const hook = new TelemetryHook();
    const seen: string[] = [];
    const detachA = hook.attach((event, m) => seen.push(`a:${event.join(".")}:${m.count}`));
    hook.attach((event) => seen.push(`b:${event.join(".")}`));
    hook.emit(["beamlet", "x"], { count: 1 }, {});
    detachA();
    hook.emit(["beamlet", "y"], { count: 2 }, {});
    assert.deepEqual(seen, ["a:beamlet.x:1", "b:beamlet.x", "b:beamlet.y"]);
    assert.equal(hook.attached, 1);
  });

  it("a handler that throws is detached and the others still run", () => {
    const hook = new TelemetryHook();
    let calls = 0;
    hook.attach(() => {
      throw new Error("bad handler");
    });
    hook.attach(() => void calls++);
    hook.emit(["e"], {}, {});
    hook.emit(["e"], {}, {});
    assert.equal(calls, 2);
    assert.equal(hook.attached, 1);
  });

  it("rejects a handler that is not a function", () => {
    // @ts-expect-error: testing bad input from untyped callers
    assert.throws(() => new TelemetryHook().attach(42), TypeError);
  });
});
