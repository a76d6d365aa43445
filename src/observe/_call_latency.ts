/**
 * Call latency for the observer, split in three (`beamlet.call.latency`:
 * queued, handling, round trip): over all servers in three sliding windows
 * of histograms (the last 30 to 60 s: the metrics' distributions are split
 * by server name, and their buckets are too coarse for quantiles), and per
 * server (bounded, `_server_latencies.ts`).
 *
 * One handler on `beamlet.call.latency` serves both; the overview's older
 * `callLatency` (handling time) is its `handling`, so the observer needs no
 * handler on `beamlet.call.stop` (which would time every callback of every
 * call one by one).
 *
 * @module
 */

import { LatencyWindow } from "./_latency_window.ts";
import {
  CALL_LATENCY,
  type CallLatencyMeasurements,
  type CallLatencyMetadata,
} from "../telemetry/catalog/call_latency_events.ts";
import type { Telemetry } from "../telemetry/telemetry.ts";
import type { Pid } from "../pid.ts";
import { MAX_SERVERS, ServerLatencies } from "./_server_latencies.ts";
import type { CallLatencies, CallLatencySummary } from "./view_types.ts";

export type { CallLatencies, CallLatencySummary };

/** The window of the overall latencies: a summary covers the last 30 to 60 s. */
export const LATENCY_WINDOW_MS = 30_000;

const NO_LATENCIES: CallLatencies = Object.freeze({
  queued: null,
  handling: null,
  roundTrip: null,
});

/**
 * Call latency split in three (`beamlet.call.latency`): over all servers
 * (three histograms) and per server (at most `maxServers`, least recently
 * answering evicted first).
 */
export class CallLatency {
  readonly #telemetry: Telemetry;
  readonly #id = Symbol("beamlet.observe.call_latency");
  readonly #now: () => number;
  readonly #queued = new LatencyWindow(LATENCY_WINDOW_MS);
  readonly #handling = new LatencyWindow(LATENCY_WINDOW_MS);
  readonly #roundTrip = new LatencyWindow(LATENCY_WINDOW_MS);
  readonly #servers: ServerLatencies;
  #closed = false;

  /** Attaches to `beamlet.call.latency` on `telemetry`; `now` is the system clock (ms). */
  constructor(telemetry: Telemetry, now: () => number, maxServers: number = MAX_SERVERS) {
    this.#telemetry = telemetry;
    this.#now = now;
    this.#servers = new ServerLatencies(maxServers);
    telemetry.attach(this.#id, CALL_LATENCY, this.#handle);
  }

  /** Over all servers, in the last 30 to 60 s (each `null` without calls then, or once closed). */
  overall(): CallLatencies {
    if (this.#closed) return NO_LATENCIES;
    const now = this.#now();
    return {
      queued: this.#queued.summary(now),
      handling: this.#handling.summary(now),
      roundTrip: this.#roundTrip.summary(now),
    };
  }

  /** The server `pid`'s own (each `null` when it answered no call lately, or once closed). */
  of(pid: Pid): CallLatencies {
    if (this.#closed) return NO_LATENCIES;
    return this.#servers.of(pid);
  }

  /** Servers tracked now. */
  get servers(): number {
    return this.#servers.size;
  }

  /** Detaches the handler and frees the histograms. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#telemetry.detach(this.#id);
    this.#queued.free();
    this.#handling.free();
    this.#roundTrip.free();
    this.#servers.clear();
  }

  readonly #handle = (
    _event: unknown,
    m: CallLatencyMeasurements,
    meta: CallLatencyMetadata,
  ): void => {
    if (this.#closed) return;
    const { queued, handling, round_trip, monotonic_time } = m;
    this.#queued.record(queued, monotonic_time);
    this.#handling.record(handling, monotonic_time);
    this.#roundTrip.record(round_trip, monotonic_time);
    const serial = meta.pid?.serial;
    if (typeof serial === "number") this.#servers.record(serial, queued, handling, round_trip);
  };
}
