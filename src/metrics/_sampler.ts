/**
 * The per-definition hot path shared by `Metrics` and the reporters: decide
 * whether an event is kept, read its value (converted to the metric's unit)
 * and its tag values, without allocating when there are no tags.
 *
 * User callbacks (`measurement`, `tagValues`, `keepIf` / `dropIf`) may
 * throw; callers catch around the whole sample so one bad callback skips
 * one sample and never reaches the emitter.
 *
 * @module
 */

import type { Measurements, Metadata } from "../telemetry/types.ts";
import type { MetricDefinition } from "./types.ts";
import { IDENTITY, type Scale, scaleBetween } from "./_units.ts";

/** Default bound on a tag value's length (UTF-16 code units). */
export const DEFAULT_MAX_TAG_VALUE_LENGTH = 128;

/** The tag value of every tag of the overflow series. */
export const OVERFLOW_TAG_VALUE = "__other__";

/** Reads samples of one definition. */
export class Sampler {
  readonly definition: MetricDefinition;
  readonly isCounter: boolean;
  readonly tagCount: number;
  readonly #key: string | undefined;
  readonly #read: ((m: Measurements, meta: Metadata) => number) | undefined;
  readonly #scale: Scale;
  readonly #maxLength: number;

  constructor(definition: MetricDefinition, maxTagValueLength: number) {
    this.definition = definition;
    this.isCounter = definition.type === "counter";
    this.tagCount = definition.tags.length;
    const { measurement, unit, measurementUnit } = definition;
    this.#key = typeof measurement === "string" ? measurement : undefined;
    this.#read = typeof measurement === "function" ? measurement : undefined;
    this.#scale = unit === undefined || measurementUnit === undefined
      ? IDENTITY
      : scaleBetween(measurementUnit, unit) ?? IDENTITY;
    this.#maxLength = maxTagValueLength;
  }

  /** Whether the sample passes `keepIf` / `dropIf`. */
  keeps(measurements: Measurements, metadata: Metadata): boolean {
    const keep = this.definition.keep;
    return keep === undefined || keep(metadata, measurements) === true;
  }

  /** The sample's value in the metric's unit (1 for counters); `NaN` when it must be skipped. */
  value(measurements: Measurements, metadata: Metadata): number {
    if (this.isCounter) return 1;
    const raw: unknown = this.#key !== undefined
      ? measurements[this.#key]
      : this.#read!(measurements, metadata);
    if (typeof raw !== "number" || !Number.isFinite(raw)) return NaN;
    const scale = this.#scale;
    return scale === IDENTITY ? raw : raw * scale.multiply / scale.divide;
  }

  /**
   * Whether a batch of events can stand for this definition's samples: no
   * `keepIf` / `dropIf`, and a counter or a value read from `duration`
   * (the only measurement a batch carries).
   */
  get batchable(): boolean {
    return this.definition.keep === undefined && (this.isCounter || this.#key === "duration");
  }

  /** A batch's `duration` in the metric's unit (1 for counters); `NaN` when it must be skipped. */
  durationValue(duration: number): number {
    if (this.isCounter) return 1;
    if (!Number.isFinite(duration)) return NaN;
    const scale = this.#scale;
    return scale === IDENTITY ? duration : duration * scale.multiply / scale.divide;
  }

  /**
   * Fills `out` with the sample's tag values; `false` (skip the sample) when
   * one is missing or not a primitive.
   */
  readTags(metadata: Metadata, out: string[]): boolean {
    const { tags, tagValues } = this.definition;
    if (tags.length === 0) return true;
    const source = tagValues === undefined ? metadata : tagValues(metadata);
    if (typeof source !== "object" || source === null) return false;
    for (let i = 0; i < tags.length; i++) {
      const text = tagText(source[tags[i]], this.#maxLength);
      if (text === undefined) return false;
      out[i] = text;
    }
    return true;
  }
}

/**
 * A primitive tag value as bounded text (`null` → `""`); `undefined` for a
 * missing value, an object or a function. A cut never splits a surrogate
 * pair, so the text stays valid UTF-16 (and encodes to valid UTF-8).
 */
export function tagText(value: unknown, maxLength: number): string | undefined {
  let text: string;
  switch (typeof value) {
    case "string":
      text = value;
      break;
    case "number":
    case "boolean":
    case "bigint":
    case "symbol":
      text = String(value);
      break;
    case "object":
      if (value !== null) return undefined;
      text = "";
      break;
    default:
      return undefined;
  }
  if (text.length <= maxLength) return text;
  let end = maxLength;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return text.slice(0, end);
}

/** An unambiguous map key for a list of tag values (length-prefixed). */
export function seriesKey(values: readonly string[], count: number): string {
  if (count === 1) return values[0];
  let key = "";
  for (let i = 0; i < count; i++) key += values[i].length + ":" + values[i];
  return key;
}
