/**
 * Unit arithmetic. Each unit is an integer multiple of its kind's smallest
 * unit, so a conversion is one integer multiplication or one integer
 * division: `5 / 1000` rounds to the same double as the literal `0.005`,
 * where `5 * 0.001` would not always.
 *
 * @module
 */

import type { MetricUnit } from "./units.ts";

interface UnitInfo {
  readonly kind: "time" | "bytes";
  /** Size in the kind's smallest unit (nanosecond, byte). */
  readonly size: number;
}

const UNITS: Readonly<Record<MetricUnit, UnitInfo>> = {
  nanosecond: { kind: "time", size: 1 },
  microsecond: { kind: "time", size: 1e3 },
  millisecond: { kind: "time", size: 1e6 },
  second: { kind: "time", size: 1e9 },
  byte: { kind: "bytes", size: 1 },
  kilobyte: { kind: "bytes", size: 1024 },
  megabyte: { kind: "bytes", size: 1024 * 1024 },
};

/** A conversion as `value * multiply / divide`, one of the two being 1. */
export interface Scale {
  readonly multiply: number;
  readonly divide: number;
}

/** The identity scale. */
export const IDENTITY: Scale = Object.freeze({ multiply: 1, divide: 1 });

/** Whether `unit` is a known unit name. */
export function isMetricUnit(unit: unknown): unit is MetricUnit {
  return typeof unit === "string" && Object.hasOwn(UNITS, unit);
}

/** The kind of a unit. */
export function unitKind(unit: MetricUnit): "time" | "bytes" {
  return UNITS[unit].kind;
}

/** The scale from `from` to `to`; `undefined` when they are of different kinds. */
export function scaleBetween(from: MetricUnit, to: MetricUnit): Scale | undefined {
  const a = UNITS[from];
  const b = UNITS[to];
  if (a.kind !== b.kind) return undefined;
  if (a.size === b.size) return IDENTITY;
  return a.size > b.size
    ? { multiply: a.size / b.size, divide: 1 }
    : { multiply: 1, divide: b.size / a.size };
}

/** Applies a scale. */
export function applyScale(value: number, scale: Scale): number {
  return value * scale.multiply / scale.divide;
}

/** The base unit of a unit's kind, as Prometheus names it: seconds or bytes. */
export function baseUnit(unit: MetricUnit): { readonly unit: MetricUnit; readonly suffix: string } {
  return UNITS[unit].kind === "time"
    ? { unit: "second", suffix: "seconds" }
    : { unit: "byte", suffix: "bytes" };
}
