/**
 * Aggregates telemetry events into metrics, in memory, for reporters to read
 * (Prometheus scrapes, dashboards).
 *
 * @module
 */

import { createHistogramStore } from "../core/create_histogram_store.ts";
import type { HistogramStore } from "../core/histogram_store.ts";
import type { Telemetry } from "../telemetry/telemetry.ts";
import { telemetryOf } from "./_telemetry_source.ts";
import type { Measurements, Metadata, TelemetryEvent } from "../telemetry/types.ts";
import type { MetricSnapshot, SnapshotSource } from "./snapshot.ts";
import type { MetricDefinition } from "./types.ts";
import { checkDefinitions, checkPositiveInteger } from "./_check_definitions.ts";
import { EventRouter } from "./_event_router.ts";
import { storeOption } from "./_histogram_store_option.ts";
import { MetricState } from "./_metric_state.ts";
import { DEFAULT_MAX_TAG_VALUE_LENGTH, Sampler } from "./_sampler.ts";
import { BATCH, type BatchHandler } from "../telemetry/_batch.ts";

/**
 * Options of a {@linkcode Metrics}.
 *
 * @example
 * ```ts
 * import type { MetricsOptions } from "@beamlet/beamlet/metrics";
 *
 * const options: MetricsOptions = { maxSeries: 200, maxTagValueLength: 64 };
 * ```
 */
export interface MetricsOptions {
  /** Default series limit of a metric without its own `maxSeries`. Default 1000. */
  readonly maxSeries?: number;
  /** Tag values longer than this (UTF-16 code units) are truncated. Default 128. */
  readonly maxTagValueLength?: number;
  /**
   * The store that holds the histograms of summaries and distributions;
   * default: a store of this `Metrics` alone, made on the first histogram.
   */
  readonly store?: HistogramStore;
  /**
   * @deprecated Pass `store`. A scheduler core holds no histograms: a `core`
   * that is a histogram store is used as `store`, anything else is ignored.
   */
  readonly core?: object;
}

/**
 * Counters of a {@linkcode Metrics}.
 *
 * @example
 * ```ts
 * import { Telemetry } from "@beamlet/beamlet";
 * import { Metrics } from "@beamlet/beamlet/metrics";
 *
 * const { metrics, series, skipped } = new Metrics(new Telemetry(), []).stats();
 * console.log(metrics, series, skipped); // 0 0 0
 * ```
 */
export interface MetricsStats {
  /** Definitions aggregated. */
  readonly metrics: number;
  /** Series held now, over all metrics (overflow series included). */
  readonly series: number;
  /**
   * Samples skipped since the start (or the last `reset`): missing or
   * non-numeric measurement, a tag value missing or not a primitive, a value
   * a histogram refuses (negative), a callback that threw.
   */
  readonly skipped: number;
  /** Of `skipped`, samples whose `measurement`, `tagValues`, `keepIf` or `dropIf` threw. */
  readonly failedCallbacks: number;
  /** Samples folded into overflow series because a metric reached `maxSeries`. */
  readonly overflowed: number;
}

/** Default series limit of a metric. */
const DEFAULT_MAX_SERIES = 1000;

/**
 * Options of {@linkcode Metrics.read}: how many series, and which quantiles
 * of summaries and distributions.
 *
 * @example The first 100 series, with p50, p95 and p99
 * ```ts
 * import type { MetricReadOptions } from "@beamlet/beamlet/metrics";
 *
 * const options: MetricReadOptions = { maxSeries: 100, quantiles: [0.5, 0.95, 0.99] };
 * ```
 */
export interface MetricReadOptions {
  /** Most series returned, in creation order (default: all; a non-negative integer). */
  readonly maxSeries?: number;
  /**
   * The quantiles of each histogram series, each in `[0, 1]` (default: the
   * metric's `reporterOptions.quantiles`).
   */
  readonly quantiles?: readonly number[];
}

/**
 * One metric as {@linkcode Metrics.read} gives it: its snapshot, cut to
 * `maxSeries` series, and how many it holds in all.
 *
 * @example Saying that series were left out
 * ```ts
 * import type { MetricReading } from "@beamlet/beamlet/metrics";
 *
 * const note = (m: MetricReading) =>
 *   m.series.length < m.totalSeries ? `${m.series.length} of ${m.totalSeries} series` : "";
 * ```
 */
export interface MetricReading extends MetricSnapshot {
  /** Series the metric holds (the overflow series included), however many are returned. */
  readonly totalSeries: number;
}

/**
 * Aggregates telemetry events by metric definitions, after Elixir's
 * `Telemetry.Metrics` reporters: one telemetry handler (a unique symbol id,
 * attached with `attachMany` to every event the definitions listen to) feeds
 * every metric; {@linkcode Metrics.snapshot} reads them.
 *
 * The handler never throws into the emitter: a sample with a missing or
 * non-numeric measurement, a tag value that is missing or not a primitive,
 * or a callback that throws is skipped and counted in `stats().skipped`.
 * Tag values are stringified (`null` → `""`) and truncated to
 * `maxTagValueLength`. Once a metric holds `maxSeries` series, new tag
 * combinations fold into one overflow series whose tag values are all
 * `"__other__"`, counted in `stats().overflowed`.
 *
 * Summaries and distributions hold a fixed-memory histogram per series,
 * released by `detach()` (or `using`).
 *
 * On the runtime's callback events (`beamlet.<kind>.start` / `.stop`), a
 * `Metrics` whose definitions of an event are all counters or read only
 * `duration`, without `keepIf` / `dropIf`, and that is the only kind of
 * handler there, is fed in batches: counts stay exact, durations are
 * amortised over up to 32 callbacks per clock reading (a slow callback is
 * still measured), `tagValues` runs once per batch, and a batch arrives when
 * the scheduler's run that holds it ends. See `docs/callback_metrics.md`.
 *
 * @example Call latency and count
 * ```ts
 * import { Telemetry } from "@beamlet/beamlet";
 * import { counter, distribution, Metrics, prometheusText } from "@beamlet/beamlet/metrics";
 *
 * const telemetry = new Telemetry();
 * using metrics = new Metrics(telemetry, [
 *   counter("beamlet.call.stop.count", { tags: ["server"] }),
 *   distribution("beamlet.call.stop.duration", {
 *     unit: "millisecond",
 *     tags: ["server"],
 *   }),
 * ]);
 * telemetry.execute(["beamlet", "call", "stop"], { duration: 1.5 }, { server: "cache" });
 * console.log(metrics.snapshot()[0].series); // [{ tags: { server: "cache" }, value: 1 }]
 * console.log(prometheusText(metrics));
 * ```
 */
export class Metrics implements SnapshotSource, Disposable {
  readonly #telemetry: Telemetry;
  readonly #id = Symbol("beamlet.metrics");
  readonly #definitions: readonly MetricDefinition[];
  readonly #states: readonly MetricState[];
  readonly #router = new EventRouter<MetricState>();
  readonly #byName = new Map<string, MetricState>();
  #attached = true;
  #skipped = 0;
  #failedCallbacks = 0;

  /**
   * Checks the definitions and attaches to the telemetry of `source`: a
   * `System` (its `telemetry`; the usual way, the system first), or a bare
   * `Telemetry` for events of your own.
   *
   * @throws {TypeError} if `source` is neither, or if `definitions` is not an array of definitions made by
   *   `counter`, `sum`, `lastValue`, `summary` or `distribution`.
   * @throws {DuplicateMetricError} if two definitions share a name.
   * @throws {RangeError} if `maxSeries` or `maxTagValueLength` is not a positive integer.
   */
  constructor(
    source: Telemetry | { readonly telemetry: Telemetry },
    definitions: readonly MetricDefinition[],
    options: MetricsOptions = {},
  ) {
    const where = "Metrics";
    const telemetry = telemetryOf(where, source);
    this.#telemetry = telemetry;
    this.#definitions = checkDefinitions(where, definitions);
    const maxSeries = checkPositiveInteger(
      where,
      "maxSeries",
      options.maxSeries ?? DEFAULT_MAX_SERIES,
    );
    const maxLength = checkPositiveInteger(
      where,
      "maxTagValueLength",
      options.maxTagValueLength ?? DEFAULT_MAX_TAG_VALUE_LENGTH,
    );
    let store = storeOption(options, where);
    const histogramStore = (): HistogramStore => store ??= createHistogramStore();
    const states = this.#definitions.map((definition) =>
      new MetricState(
        new Sampler(definition, maxLength),
        definition.maxSeries ?? maxSeries,
        histogramStore,
      )
    );
    this.#states = Object.freeze(states);
    for (const state of states) this.#byName.set(state.sampler.definition.name, state);
    for (const state of states) this.#router.add(state.sampler.definition.event, state);
    const events = this.#router.events();
    Object.defineProperty(this.#handle, BATCH, { value: this.#batch });
    if (events.length > 0) telemetry.attachMany(this.#id, events, this.#handle);
  }

  /** The definitions, in the order given. */
  get definitions(): readonly MetricDefinition[] {
    return this.#definitions;
  }

  /** The id of the telemetry handler (unique to this instance). */
  get handlerId(): symbol {
    return this.#id;
  }

  /**
   * Plain data of every metric and series, in definition order. After
   * `detach()` metrics have no series.
   *
   * @example
   * ```ts
   * import { Telemetry } from "@beamlet/beamlet";
   * import { lastValue, Metrics } from "@beamlet/beamlet/metrics";
   *
   * const telemetry = new Telemetry();
   * const metrics = new Metrics(telemetry, [lastValue("vm.memory.total", { unit: "byte" })]);
   * telemetry.execute(["vm", "memory"], { total: 1024 });
   * console.log(metrics.snapshot()[0].series[0]); // { tags: {}, value: 1024 }
   * ```
   */
  snapshot(): MetricSnapshot[] {
    return this.#states.map((state) => state.snapshot());
  }

  /**
   * One metric by name — its series (at most `options.maxSeries`, in
   * creation order, the overflow series last) with the quantiles asked for
   * — or `undefined` when no definition has that name. It reads that metric
   * only, so a dashboard can poll one metric of many cheaply.
   *
   * @throws {RangeError} for a `maxSeries` that is not a non-negative integer, or a quantile outside `[0, 1]`.
   *
   * @example p95 of a distribution
   * ```ts
   * import { Telemetry } from "@beamlet/beamlet";
   * import { distribution, Metrics } from "@beamlet/beamlet/metrics";
   *
   * const telemetry = new Telemetry();
   * using metrics = new Metrics(telemetry, [distribution("app.job.stop.duration")]);
   * telemetry.execute(["app", "job", "stop"], { duration: 12 });
   * const reading = metrics.read("app.job.stop.duration", { quantiles: [0.95] });
   * console.log(reading?.totalSeries, reading?.series[0]); // 1 { tags: {}, count: 1, ... }
   * ```
   */
  read(name: string, options: MetricReadOptions = {}): MetricReading | undefined {
    const state = this.#byName.get(name);
    if (state === undefined) return undefined;
    const { maxSeries = Infinity, quantiles } = options;
    if (maxSeries !== Infinity && (!Number.isInteger(maxSeries) || maxSeries < 0)) {
      throw new RangeError(
        `Metrics.read: maxSeries must be a non-negative integer, got ${String(maxSeries)}`,
      );
    }
    if (
      quantiles !== undefined &&
      (!Array.isArray(quantiles) ||
        !quantiles.every((q) => typeof q === "number" && q >= 0 && q <= 1))
    ) {
      throw new RangeError("Metrics.read: quantiles must be numbers in [0, 1]");
    }
    return { ...state.snapshot(maxSeries, quantiles), totalSeries: state.seriesCount };
  }

  /**
   * Counters: metrics, series, skipped samples.
   *
   * @example
   * ```ts
   * import { Telemetry } from "@beamlet/beamlet";
   * import { Metrics, sum } from "@beamlet/beamlet/metrics";
   *
   * const telemetry = new Telemetry();
   * const metrics = new Metrics(telemetry, [sum("app.upload.stop.bytes")]);
   * telemetry.execute(["app", "upload", "stop"], { duration: 5 }); // no "bytes": skipped
   * console.log(metrics.stats().skipped); // 1
   * ```
   */
  stats(): MetricsStats {
    let series = 0;
    let overflowed = 0;
    for (const state of this.#states) {
      series += state.seriesCount;
      overflowed += state.overflowed;
    }
    return {
      metrics: this.#states.length,
      series,
      skipped: this.#skipped,
      failedCallbacks: this.#failedCallbacks,
      overflowed,
    };
  }

  /**
   * Forgets every series and counter, as if just created (still attached).
   *
   * @example
   * ```ts
   * import { Telemetry } from "@beamlet/beamlet";
   * import { counter, Metrics } from "@beamlet/beamlet/metrics";
   *
   * const telemetry = new Telemetry();
   * const metrics = new Metrics(telemetry, [counter("app.tick.count")]);
   * telemetry.execute(["app", "tick"], {});
   * metrics.reset();
   * console.log(metrics.snapshot()[0].series); // [{ tags: {}, value: 0 }]
   * ```
   */
  reset(): void {
    if (!this.#attached) return;
    for (const state of this.#states) state.reset();
    this.#skipped = 0;
    this.#failedCallbacks = 0;
  }

  /**
   * Detaches from telemetry and frees every histogram; `false` if already
   * detached.
   *
   * @example
   * ```ts
   * import { Telemetry } from "@beamlet/beamlet";
   * import { Metrics, summary } from "@beamlet/beamlet/metrics";
   *
   * const metrics = new Metrics(new Telemetry(), [summary("app.job.stop.duration")]);
   * console.log(metrics.detach(), metrics.detach()); // true false
   * ```
   */
  detach(): boolean {
    if (!this.#attached) return false;
    this.#attached = false;
    this.#telemetry.detach(this.#id);
    for (const state of this.#states) state.free();
    return true;
  }

  /** Same as {@linkcode Metrics.detach}, for `using`. */
  [Symbol.dispose](): void {
    this.detach();
  }

  // An arrow field: telemetry calls it unbound. It may still be called once
  // after detach (an execute already looping over the old handler list).
  readonly #handle = (
    event: TelemetryEvent,
    measurements: Measurements,
    metadata: Metadata,
  ): void => {
    if (!this.#attached) return;
    const states = this.#router.get(event);
    if (states === undefined) return;
    for (let i = 0; i < states.length; i++) {
      const state = states[i];
      try {
        if (!state.sample(measurements, metadata)) {
          state.skipped++;
          this.#skipped++;
        }
      } catch {
        state.skipped++;
        this.#skipped++;
        this.#failedCallbacks++;
      }
    }
  };

  // The runtime's callback events in batches (`telemetry/_batch.ts`): only
  // for events whose every definition can take them.
  readonly #batch: BatchHandler = {
    accepts: (event) => {
      const states = this.#router.get(event);
      return states !== undefined && states.every((state) => state.sampler.batchable);
    },
    add: (event, metadata, count, duration) => {
      if (!this.#attached) return;
      const states = this.#router.get(event);
      if (states === undefined) return;
      for (let i = 0; i < states.length; i++) {
        const state = states[i];
        try {
          if (!state.sampleMany(metadata, count, duration)) {
            state.skipped += count;
            this.#skipped += count;
          }
        } catch {
          state.skipped += count;
          this.#skipped += count;
          this.#failedCallbacks += count;
        }
      }
    },
  };
}
