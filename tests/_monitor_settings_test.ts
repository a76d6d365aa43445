/**
 * `new System({ monitor })` (`src/_monitor_settings.ts`): the defaults, and a
 * `TypeError` / `RangeError` naming the option for every bad value.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { monitorSettings } from "../src/_monitor_settings.ts";
import { System } from "../src/system.ts";

describe("monitor options", () => {
  it("default to a 1 ms budget, 50 ms slices, 100 ms stalls, a 500 ms probe, a line per 10 s, span attribution", () => {
    assert.deepEqual(monitorSettings(undefined), {
      longCallback: 1,
      longSchedule: 50,
      eventLoopStall: 100,
      probeInterval: 500,
      logInterval: 10_000,
      logCallback: 10,
      log: true,
      attribution: "span",
    });
    assert.equal(monitorSettings(false), undefined);
    assert.equal(monitorSettings({ longCallback: 25 })!.logCallback, 25);
    assert.equal(monitorSettings({ log: false })!.logCallback, Infinity);
    assert.equal(monitorSettings({ attribution: "run" })!.attribution, "run");
  });

  it("refuse bad values at new System, naming the option", () => {
    const bad: [unknown, ErrorConstructor, RegExp][] = [
      [null, TypeError, /monitor must be an object/],
      [true, TypeError, /monitor must be an object/],
      [5, TypeError, /monitor must be an object/],
      [{ longCallback: "1" }, TypeError, /monitor\.longCallback must be a number/],
      [{ longCallback: 0 }, RangeError, /monitor\.longCallback must be a number of ms in \(0, /],
      [{ longCallback: -1 }, RangeError, /monitor\.longCallback/],
      [{ longCallback: NaN }, RangeError, /monitor\.longCallback/],
      [{ longSchedule: Infinity }, RangeError, /monitor\.longSchedule/],
      [{ eventLoopStall: 0 }, RangeError, /monitor\.eventLoopStall/],
      [{ probeInterval: 0.5 }, RangeError, /monitor\.probeInterval must be at least 1 ms/],
      [{ logInterval: -1 }, RangeError, /monitor\.logInterval/],
      [{ logInterval: "10s" }, TypeError, /monitor\.logInterval must be a number/],
      [{ log: "yes" }, TypeError, /monitor\.log must be a boolean/],
      [{ logThreshold: 0 }, RangeError, /monitor\.logThreshold/],
      [{ attribution: "process" }, TypeError, /monitor\.attribution must be "span" or "run"/],
      [{ attribution: 1 }, TypeError, /monitor\.attribution/],
    ];
    for (const [monitor, type, message] of bad) {
      assert.throws(
        () => new System({ monitor: monitor as never, scheduling: "manual" }),
        (error: unknown) => error instanceof type && message.test((error as Error).message),
        `monitor: ${JSON.stringify(monitor)}`,
      );
    }
  });

  it("a getter that throws is a TypeError saying the options could not be read", () => {
    const monitor = {
      get longCallback(): number {
        throw new Error("boom");
      },
    };
    assert.throws(() => new System({ monitor, scheduling: "manual" }), TypeError);
  });
});
