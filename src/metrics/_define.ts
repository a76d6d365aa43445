/**
 * Checks metric options eagerly and builds the frozen definition the public
 * definition functions return.
 *
 * @module
 */

import type { TelemetryEvent } from "../telemetry/types.ts";
import {
  InvalidBucketsError,
  InvalidMetricNameError,
  InvalidUnitError,
  MetricDefinitionError,
} from "./errors.ts";
import type { MetricDefinition, MetricOptions, MetricType, ReporterOptions } from "./types.ts";
import type { MetricUnit } from "./units.ts";
import { DEFAULT_QUANTILES, defaultBuckets } from "./_default_buckets.ts";
import { isMetricUnit, scaleBetween } from "./_units.ts";

const LABEL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
// deno-lint-ignore no-control-regex
const BAD_SEGMENT = /[\s\u0000-\u001f\u007f]/;
const OPTIONS = new Set([
  "event",
  "measurement",
  "description",
  "unit",
  "tags",
  "tagValues",
  "keepIf",
  "dropIf",
  "reporterOptions",
  "maxSeries",
]);

const DEFINITIONS = new WeakSet<object>();

/** Whether `value` was built by `define` (so it is checked and frozen). */
export function isDefinition(value: unknown): value is MetricDefinition {
  return typeof value === "object" && value !== null && DEFINITIONS.has(value);
}

/** Builds a checked, frozen definition; throws a `MetricDefinitionError` subclass. */
export function define(
  type: MetricType,
  name: unknown,
  options: MetricOptions | undefined,
): MetricDefinition {
  const label = typeof name === "string" ? name : String(name);
  if (options === undefined) options = {};
  if (typeof options !== "object" || options === null) {
    throw new MetricDefinitionError(label, "options", "options must be an object");
  }
  for (const key of Object.keys(options)) {
    if (!OPTIONS.has(key)) {
      throw new MetricDefinitionError(label, key, `unknown option ${JSON.stringify(key)}`);
    }
  }
  const segments = checkName(label, name);
  const event = options.event === undefined
    ? deriveEvent(label, segments)
    : checkEvent(label, options.event);
  const measurement = options.measurement ?? segments[segments.length - 1];
  if (typeof measurement !== "string" && typeof measurement !== "function") {
    throw new MetricDefinitionError(
      label,
      "measurement",
      "measurement must be a measurement key (string) or a function",
    );
  }
  if (typeof measurement === "string" && measurement.length === 0) {
    throw new MetricDefinitionError(label, "measurement", "measurement key must not be empty");
  }
  const description = options.description;
  if (description !== undefined && typeof description !== "string") {
    throw new MetricDefinitionError(label, "description", "description must be a string");
  }
  const [unit, measurementUnit] = checkUnit(label, options.unit);
  const tags = checkTags(label, type, options.tags);
  const tagValues = checkFunction(label, "tagValues", options.tagValues);
  const keep = combineKeep(
    checkFunction(label, "keepIf", options.keepIf),
    checkFunction(label, "dropIf", options.dropIf),
  );
  const reporterOptions = checkReporterOptions(label, type, unit, options.reporterOptions);
  const maxSeries = options.maxSeries;
  if (maxSeries !== undefined && !(Number.isSafeInteger(maxSeries) && maxSeries >= 1)) {
    throw new MetricDefinitionError(label, "maxSeries", "maxSeries must be a positive integer");
  }
  const definition: MetricDefinition = Object.freeze({
    type,
    name: label,
    event,
    measurement,
    description,
    unit,
    measurementUnit,
    tags,
    tagValues,
    keep,
    reporterOptions,
    maxSeries,
  });
  DEFINITIONS.add(definition);
  return definition;
}

function checkName(label: string, name: unknown): readonly string[] {
  if (typeof name !== "string" || name.length === 0) {
    throw new InvalidMetricNameError(label, "name must be a non-empty dotted string");
  }
  const segments = name.split(".");
  for (const segment of segments) {
    if (segment.length === 0) {
      throw new InvalidMetricNameError(label, 'name must not have empty segments ("a..b", ".a")');
    }
    if (BAD_SEGMENT.test(segment)) {
      throw new InvalidMetricNameError(
        label,
        "name must not contain whitespace or control characters",
      );
    }
  }
  return segments;
}

function deriveEvent(label: string, segments: readonly string[]): TelemetryEvent {
  if (segments.length < 2) {
    throw new InvalidMetricNameError(
      label,
      'name needs an event and a measurement ("app.request.stop.duration"), or an event option',
    );
  }
  return Object.freeze(segments.slice(0, -1));
}

function checkEvent(label: string, event: unknown): TelemetryEvent {
  if (!Array.isArray(event) || event.length === 0) {
    throw new MetricDefinitionError(label, "event", "event must be a non-empty array of strings");
  }
  for (const segment of event) {
    if (typeof segment !== "string" || segment.length === 0 || segment.includes("\u0000")) {
      throw new MetricDefinitionError(
        label,
        "event",
        "event segments must be non-empty strings without U+0000",
      );
    }
  }
  return Object.freeze([...event]);
}

function checkUnit(
  label: string,
  unit: unknown,
): [MetricUnit | undefined, MetricUnit | undefined] {
  if (unit === undefined) return [undefined, undefined];
  if (isMetricUnit(unit)) return [unit, unit];
  if (typeof unit === "object" && unit !== null) {
    const { from, to } = unit as { from?: unknown; to?: unknown };
    if (isMetricUnit(from) && isMetricUnit(to)) {
      if (scaleBetween(from, to) === undefined) {
        throw new InvalidUnitError(label, unit, `cannot convert ${from} to ${to}`);
      }
      return [to, from];
    }
  }
  throw new InvalidUnitError(
    label,
    unit,
    `unknown unit ${describe(unit)}: expected one of nanosecond, microsecond, millisecond, ` +
      "second, byte, kilobyte, megabyte, or { from, to } of two of them",
  );
}

function checkTags(label: string, type: MetricType, tags: unknown): readonly string[] {
  if (tags === undefined) return Object.freeze([]);
  if (!Array.isArray(tags)) {
    throw new MetricDefinitionError(label, "tags", "tags must be an array of label names");
  }
  const seen = new Set<string>();
  for (const tag of tags) {
    if (typeof tag !== "string" || !LABEL_NAME.test(tag) || tag.startsWith("__")) {
      throw new MetricDefinitionError(
        label,
        "tags",
        `tag ${describe(tag)} must match [A-Za-z_][A-Za-z0-9_]* and not start with "__"`,
      );
    }
    if (seen.has(tag)) throw new MetricDefinitionError(label, "tags", `tag ${tag} is repeated`);
    if ((tag === "le" && type === "distribution") || (tag === "quantile" && type === "summary")) {
      throw new MetricDefinitionError(label, "tags", `tag ${tag} is reserved for a ${type}`);
    }
    seen.add(tag);
  }
  return Object.freeze([...tags]);
}

function checkFunction<F>(label: string, option: string, value: F | undefined): F | undefined {
  if (value !== undefined && typeof value !== "function") {
    throw new MetricDefinitionError(label, option, `${option} must be a function`);
  }
  return value;
}

function combineKeep(
  keepIf: MetricOptions["keepIf"],
  dropIf: MetricOptions["dropIf"],
): MetricDefinition["keep"] {
  if (keepIf === undefined) return dropIf && ((meta, m) => !dropIf(meta, m));
  if (dropIf === undefined) return keepIf;
  return (meta, m) => keepIf(meta, m) && !dropIf(meta, m);
}

function checkReporterOptions(
  label: string,
  type: MetricType,
  unit: MetricUnit | undefined,
  given: unknown,
): ReporterOptions {
  if (given !== undefined && (typeof given !== "object" || given === null)) {
    throw new MetricDefinitionError(label, "reporterOptions", "reporterOptions must be an object");
  }
  const options: Record<string, unknown> = { ...(given as ReporterOptions | undefined) };
  if (options.buckets !== undefined) {
    options.buckets = checkBuckets(label, options.buckets);
  } else if (type === "distribution") {
    options.buckets = defaultBuckets(unit);
  }
  if (options.quantiles !== undefined) {
    options.quantiles = checkQuantiles(label, options.quantiles);
  } else if (type === "summary" || type === "distribution") {
    options.quantiles = DEFAULT_QUANTILES;
  }
  const prometheusType = options.prometheusType;
  if (prometheusType !== undefined && prometheusType !== "gauge" && prometheusType !== "counter") {
    throw new MetricDefinitionError(
      label,
      "reporterOptions.prometheusType",
      'prometheusType must be "gauge" or "counter"',
    );
  }
  return Object.freeze(options);
}

function checkBuckets(label: string, buckets: unknown): readonly number[] {
  if (!Array.isArray(buckets) || buckets.length === 0) {
    throw new InvalidBucketsError(label, buckets, "buckets must be a non-empty array of numbers");
  }
  for (let i = 0; i < buckets.length; i++) {
    const bound: unknown = buckets[i];
    if (typeof bound !== "number" || !Number.isFinite(bound)) {
      throw new InvalidBucketsError(label, buckets, `buckets[${i}] must be a finite number`);
    }
    if (i > 0 && !(bound > buckets[i - 1])) {
      throw new InvalidBucketsError(label, buckets, "buckets must be strictly increasing");
    }
  }
  return Object.freeze([...buckets]);
}

function checkQuantiles(label: string, quantiles: unknown): readonly number[] {
  const bad = (): never => {
    throw new MetricDefinitionError(
      label,
      "reporterOptions.quantiles",
      "quantiles must be a non-empty, strictly increasing array of numbers in [0, 1]",
    );
  };
  if (!Array.isArray(quantiles) || quantiles.length === 0) bad();
  const list = quantiles as unknown[];
  for (let i = 0; i < list.length; i++) {
    const q = list[i];
    if (typeof q !== "number" || !(q >= 0 && q <= 1)) bad();
    if (i > 0 && !((q as number) > (list[i - 1] as number))) bad();
  }
  return Object.freeze([...list as number[]]);
}

function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (value === null) return "null";
  if (typeof value === "object") {
    try {
      return JSON.stringify(value);
    } catch {
      return "an object";
    }
  }
  return String(value);
}
