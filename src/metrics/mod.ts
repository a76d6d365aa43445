/**
 * Metrics over telemetry events, after Elixir's `Telemetry.Metrics`: define
 * counters, sums, last values, summaries and distributions of events,
 * aggregate them with {@linkcode Metrics}, and report them as Prometheus
 * text, StatsD lines or console logs. Summaries and distributions stand on
 * {@linkcode Histogram}, a fixed-memory histogram in a histogram store
 * (WebAssembly, or its TypeScript reference).
 *
 * @example Prometheus text of call latencies
 * ```ts
 * import { Telemetry } from "@beamlet/beamlet";
 * import { distribution, Metrics, prometheusText } from "@beamlet/beamlet/metrics";
 *
 * const telemetry = new Telemetry();
 * using metrics = new Metrics(telemetry, [
 *   distribution("beamlet.call.stop.duration", { unit: "millisecond", tags: ["server"] }),
 * ]);
 * telemetry.execute(["beamlet", "call", "stop"], { duration: 2.5 }, { server: "cache" });
 * console.log(prometheusText(metrics)); // beamlet_call_stop_duration_seconds_bucket{...} ...
 * ```
 *
 * @module
 */

export * from "./definitions.ts";
export * from "./types.ts";
export * from "./units.ts";
export * from "./errors.ts";
export * from "./metrics.ts";
export * from "./snapshot.ts";
export * from "./histogram.ts";
export * from "./histogram_errors.ts";
export * from "./reporters/prometheus.ts";
export * from "./reporters/statsd.ts";
export * from "./reporters/statsd_line.ts";
export * from "./reporters/console.ts";
export * from "./beamlet_metrics.ts";
// The store histograms live in (made with `createHistogramStore` from the core entry).
export type { HistogramStore } from "../core/histogram_store.ts";
