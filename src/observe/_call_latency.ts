/**
 * Call latency over all servers, for the overview: one histogram fed by
 * `beamlet.call.stop` durations (the metrics' call distribution is split by
 * server name, and its buckets are too coarse for quantiles).
 *
 * @module
 */

import type { Core } from "../core/core.ts";
import { Histogram } from "../metrics/histogram.ts";
import {
  CALLBACK_EVENTS,
  type CallbackStopMeasurements,
} from "../telemetry/catalog/callback_events.ts";
import type { Telemetry } from "../telemetry/telemetry.ts";
import type { CallLatencySummary } from "./view_types.ts";

export type { CallLatencySummary };

/** The call-latency histogram and its telemetry handler. */
export class CallLatency {
  readonly #telemetry: Telemetry;
  readonly #id = Symbol("beamlet.observe.call_latency");
  readonly #histogram: Histogram;
  #closed = false;

  /** Attaches to `beamlet.call.stop` on `telemetry`, with a histogram in `core`. */
  constructor(telemetry: Telemetry, core: Core) {
    this.#telemetry = telemetry;
    this.#histogram = new Histogram({ core });
    telemetry.attach(this.#id, CALLBACK_EVENTS.call.stop, this.#handle);
  }

  /** Count, p50, p95, p99 and max so far, or `null` before the first call (or once closed). */
  summary(): CallLatencySummary | null {
    if (this.#closed) return null;
    const h = this.#histogram;
    if (h.count === 0) return null;
    return {
      count: h.count,
      p50: h.quantile(0.5),
      p95: h.quantile(0.95),
      p99: h.quantile(0.99),
      max: h.max,
    };
  }

  /** Detaches the handler and frees the histogram. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#telemetry.detach(this.#id);
    this.#histogram.free();
  }

  readonly #handle = (_event: unknown, measurements: CallbackStopMeasurements): void => {
    if (this.#closed) return;
    const duration = measurements.duration;
    if (typeof duration === "number" && duration >= 0) this.#histogram.record(duration);
  };
}
