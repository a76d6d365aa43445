/**
 * The series of one metric inside a `Metrics`: keyed by their tag values,
 * bounded by `maxSeries` (further combinations fold into one overflow
 * series), aggregated by type. Summaries and distributions keep one
 * fixed-memory `Histogram` a series, freed with the state.
 *
 * @module
 */

import type { HistogramStore } from "../core/histogram_store.ts";
import type { Measurements, Metadata } from "../telemetry/types.ts";
import { Histogram } from "./histogram.ts";
import type { HistogramSeries, MetricSnapshot, ScalarSeries } from "./snapshot.ts";
import { OVERFLOW_TAG_VALUE, type Sampler, seriesKey } from "./_sampler.ts";

const COUNTER = 0;
const SUM = 1;
const LAST_VALUE = 2;
const HISTOGRAM = 3;

class Series {
  value = 0;
  constructor(
    readonly tags: Readonly<Record<string, string>>,
    readonly histogram: Histogram | undefined,
  ) {}
}

/** Aggregates one definition's samples. */
export class MetricState {
  readonly sampler: Sampler;
  /** Samples skipped (bad value, bad tag, a callback that threw). */
  skipped = 0;
  /** Samples folded into the overflow series. */
  overflowed = 0;
  readonly #kind: number;
  readonly #maxSeries: number;
  readonly #store: () => HistogramStore;
  readonly #series = new Map<string, Series>();
  readonly #values: string[];
  #single: Series | undefined;
  #overflow: Series | undefined;

  constructor(sampler: Sampler, maxSeries: number, store: () => HistogramStore) {
    this.sampler = sampler;
    const type = sampler.definition.type;
    this.#kind = type === "counter"
      ? COUNTER
      : type === "sum"
      ? SUM
      : type === "lastValue"
      ? LAST_VALUE
      : HISTOGRAM;
    this.#maxSeries = maxSeries;
    this.#store = store;
    this.#values = new Array<string>(sampler.tagCount).fill("");
    this.#initSingle();
  }

  /** Series held now, the overflow series included. */
  get seriesCount(): number {
    return this.#series.size + (this.#overflow === undefined ? 0 : 1);
  }

  /** Aggregates one event; `false` when the sample is skipped. May throw from user callbacks. */
  sample(measurements: Measurements, metadata: Metadata): boolean {
    const sampler = this.sampler;
    if (!sampler.keeps(measurements, metadata)) return true;
    const value = sampler.value(measurements, metadata);
    if (value !== value) return false;
    let series = this.#single;
    if (series === undefined) {
      if (!sampler.readTags(metadata, this.#values)) return false;
      series = this.#lookup();
    }
    switch (this.#kind) {
      case COUNTER:
        series.value++;
        return true;
      case SUM:
        series.value += value;
        return true;
      case LAST_VALUE:
        series.value = value;
        return true;
      default:
        return series.histogram!.record(value);
    }
  }

  /**
   * Aggregates `count` events with the same `metadata` and `duration` at
   * once (`Sampler.batchable` definitions only); `false` when they are
   * skipped. May throw from a `tagValues` callback.
   */
  sampleMany(metadata: Metadata, count: number, duration: number): boolean {
    const sampler = this.sampler;
    const value = sampler.durationValue(duration);
    if (value !== value) return false;
    let series = this.#single;
    if (series === undefined) {
      if (!sampler.readTags(metadata, this.#values)) return false;
      series = this.#lookup(count);
    }
    switch (this.#kind) {
      case COUNTER:
        series.value += count;
        return true;
      case SUM:
        series.value += value * count;
        return true;
      case LAST_VALUE:
        series.value = value;
        return true;
      default: {
        const histogram = series.histogram!;
        if (!histogram.record(value)) return false; // refused: all of them are
        for (let i = 1; i < count; i++) histogram.record(value);
        return true;
      }
    }
  }

  /**
   * Plain data of the first `maxSeries` series (default: all), with the
   * definition's quantiles or `quantiles`.
   */
  snapshot(maxSeries = Infinity, quantiles?: readonly number[]): MetricSnapshot {
    const definition = this.sampler.definition;
    const series: (ScalarSeries | HistogramSeries)[] = [];
    for (const one of this.#series.values()) {
      if (series.length >= maxSeries) break;
      series.push(this.#seriesSnapshot(one, quantiles));
    }
    if (this.#overflow !== undefined && series.length < maxSeries) {
      series.push(this.#seriesSnapshot(this.#overflow, quantiles));
    }
    return {
      name: definition.name,
      type: definition.type,
      event: definition.event,
      unit: definition.unit,
      description: definition.description,
      tags: definition.tags,
      reporterOptions: definition.reporterOptions,
      skipped: this.skipped,
      overflowed: this.overflowed,
      series,
    };
  }

  /** Drops every series and counter (an untagged series restarts at zero). */
  reset(): void {
    this.free();
    this.skipped = 0;
    this.overflowed = 0;
    this.#initSingle();
  }

  /** Frees every histogram and drops every series. */
  free(): void {
    for (const series of this.#series.values()) series.histogram?.free();
    this.#overflow?.histogram?.free();
    this.#series.clear();
    this.#single = undefined;
    this.#overflow = undefined;
  }

  #initSingle(): void {
    // An untagged metric exposes its zero from the start, except a lastValue
    // that has no value until its first event.
    if (this.sampler.tagCount === 0 && this.#kind !== LAST_VALUE) {
      this.#single = this.#create("", {});
    }
  }

  /** The series of the tag values in `#values`; `samples` samples go to it. */
  #lookup(samples = 1): Series {
    const values = this.#values;
    const count = values.length;
    const key = count === 0 ? "" : seriesKey(values, count);
    const known = this.#series.get(key);
    if (known !== undefined) return known;
    if (this.#series.size >= this.#maxSeries) {
      this.overflowed += samples;
      return this.#overflow ??= this.#newSeries(OVERFLOW_TAG_VALUE);
    }
    const tags: Record<string, string> = {};
    const names = this.sampler.definition.tags;
    for (let i = 0; i < count; i++) tags[names[i]] = values[i];
    return this.#create(key, tags);
  }

  #newSeries(fill: string): Series {
    const tags: Record<string, string> = {};
    for (const name of this.sampler.definition.tags) tags[name] = fill;
    return new Series(Object.freeze(tags), this.#newHistogram());
  }

  #create(key: string, tags: Record<string, string>): Series {
    const series = new Series(Object.freeze(tags), this.#newHistogram());
    this.#series.set(key, series);
    if (this.sampler.tagCount === 0) this.#single = series;
    return series;
  }

  #newHistogram(): Histogram | undefined {
    if (this.#kind !== HISTOGRAM) return undefined;
    return new Histogram({ store: this.#store() });
  }

  #seriesSnapshot(series: Series, asked?: readonly number[]): ScalarSeries | HistogramSeries {
    const histogram = series.histogram;
    if (histogram === undefined) return { tags: series.tags, value: series.value };
    const { quantiles: defined = [], buckets = [] } = this.sampler.definition.reporterOptions;
    const quantiles = asked ?? defined;
    return {
      tags: series.tags,
      count: histogram.count,
      sum: histogram.sum,
      min: histogram.min,
      max: histogram.max,
      quantiles: quantiles.map((quantile) => ({ quantile, value: histogram.quantile(quantile) })),
      buckets: buckets.map((le) => ({ le, count: histogram.countAtOrBelow(le) })),
    };
  }
}
