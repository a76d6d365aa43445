/**
 * Checks `SystemOptions.monitor` (internal) and settles its defaults into
 * the `MonitorSettings` the kernel reads.
 *
 * @module
 */

import { describeValue } from "./_inspect.ts";
import { checkOptionsObject, readOptions } from "./_options.ts";
import { MAX_TIMEOUT_MS } from "./options.ts";
import type { MonitorSettings } from "./monitor_options.ts";

/** A duration option: a number of ms in (0, MAX_TIMEOUT_MS]. */
function positive(key: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number") {
    throw new TypeError(
      `System: monitor.${key} must be a number of ms, got ${describeValue(value)}`,
    );
  }
  if (!(value > 0 && value <= MAX_TIMEOUT_MS)) {
    throw new RangeError(
      `System: monitor.${key} must be a number of ms in (0, ${MAX_TIMEOUT_MS}], got ${value}`,
    );
  }
  return value;
}

/**
 * Checks `SystemOptions.monitor` and settles its defaults: `undefined` when
 * the monitor is off (`false`). Throws a `TypeError` or `RangeError` saying
 * which option is wrong.
 */
export function monitorSettings(option: unknown): MonitorSettings | undefined {
  if (option === false) return undefined;
  if (option === undefined) option = {};
  checkOptionsObject("System: monitor", option);
  return readOptions("System: monitor", () => {
    const o = option as Record<string, unknown>;
    const longCallback = positive("longCallback", o.longCallback, 1);
    const longSchedule = positive("longSchedule", o.longSchedule, 50);
    const eventLoopStall = positive("eventLoopStall", o.eventLoopStall, 100);
    const probeInterval = positive("probeInterval", o.probeInterval, 500);
    if (probeInterval < 1) {
      throw new RangeError(
        `System: monitor.probeInterval must be at least 1 ms, got ${probeInterval}`,
      );
    }
    const log = o.log ?? true;
    if (typeof log !== "boolean") {
      throw new TypeError(`System: monitor.log must be a boolean, got ${describeValue(log)}`);
    }
    const logInterval = o.logInterval ?? 10_000;
    if (typeof logInterval !== "number") {
      throw new TypeError(
        `System: monitor.logInterval must be a number of ms, got ${describeValue(logInterval)}`,
      );
    }
    if (!(logInterval >= 0)) {
      throw new RangeError(
        `System: monitor.logInterval must be a number of ms >= 0, got ${
          describeValue(logInterval)
        }`,
      );
    }
    const logThreshold = positive("logThreshold", o.logThreshold, Math.max(longCallback, 10));
    const attribution = o.attribution ?? "span";
    if (attribution !== "span" && attribution !== "run") {
      throw new TypeError(
        `System: monitor.attribution must be "span" or "run", got ${describeValue(attribution)}`,
      );
    }
    return {
      longCallback,
      longSchedule,
      eventLoopStall,
      probeInterval,
      logInterval,
      logCallback: log ? Math.max(logThreshold, longCallback) : Infinity,
      log,
      attribution,
    };
  });
}
