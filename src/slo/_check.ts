/**
 * Checks SLO declarations and monitor options once, at construction, and
 * normalizes them: defaults filled in, filters made functions, the events to
 * attach listed. Nothing is checked again while events flow.
 *
 * @module
 */

import type { Metadata, TelemetryEvent } from "../telemetry/types.ts";
import type { Target } from "../options.ts";
import { Pid } from "../pid.ts";
import { DuplicateSloError, InvalidSloError } from "./errors.ts";
import type { SloDeclaration, SloMonitorOptions } from "./types.ts";

/** @internal A declaration, checked and normalized. */
export interface CheckedSlo {
  readonly name: string;
  readonly kind: SloDeclaration["kind"];
  readonly window: number;
  readonly buckets: number;
  readonly slotMs: number;
  /** Sub-windows of the short window; 0 without one. */
  readonly shortSlots: number;
  readonly burnRateThreshold: number;
  readonly minSamples: number;
  /** Fraction of good samples required; the budget is `1 - objective`. */
  readonly objective: number;
  /** The threshold reported (latency, mailbox_age: a sample's bound; error_rate: 1 - objective). */
  readonly threshold: number;
  /** Events attached, with whether each one's samples are bad (error_rate's exception). */
  readonly events: readonly { readonly event: TelemetryEvent; readonly bad: boolean }[];
  /** The measurement read (latency only). */
  readonly measurement: string | undefined;
  readonly filter: ((metadata: Metadata) => boolean) | undefined;
  /** The process sampled (mailbox_age only). */
  readonly target: Target | undefined;
}

/** @internal Checked monitor options. */
export interface CheckedOptions {
  readonly evaluationInterval: number;
  readonly historySize: number;
}

const KINDS = new Set(["latency", "mailbox_age", "error_rate"]);

/** @internal Checks every declaration; names must be unique. */
export function checkSlos(slos: unknown): CheckedSlo[] {
  if (!Array.isArray(slos)) throw new InvalidSloError(undefined, "slos", "an array", slos);
  const names = new Set<string>();
  return slos.map((declaration: unknown, i) => {
    const checked = checkSlo(declaration, i);
    if (names.has(checked.name)) throw new DuplicateSloError(checked.name);
    names.add(checked.name);
    return checked;
  });
}

/** @internal Checks the monitor's own options. */
export function checkOptions(options: SloMonitorOptions): CheckedOptions {
  const { evaluationInterval = 1000, historySize = 100 } = options;
  if (!isPositive(evaluationInterval)) {
    throw new InvalidSloError(
      undefined,
      "evaluationInterval",
      "a finite number of ms > 0",
      evaluationInterval,
    );
  }
  if (!Number.isInteger(historySize) || historySize < 1) {
    throw new InvalidSloError(undefined, "historySize", "an integer >= 1", historySize);
  }
  return { evaluationInterval, historySize };
}

function checkSlo(declaration: unknown, index: number): CheckedSlo {
  if (typeof declaration !== "object" || declaration === null) {
    throw new InvalidSloError(
      undefined,
      `slos[${index}]`,
      "an SLO declaration object",
      declaration,
    );
  }
  const d = declaration as Record<string, unknown>;
  if (typeof d.name !== "string" || d.name.length === 0) {
    throw new InvalidSloError(undefined, `slos[${index}].name`, "a non-empty string", d.name);
  }
  const name = d.name;
  const fail = (field: string, expected: string): never => {
    throw new InvalidSloError(name, field, expected, d[field]);
  };
  if (typeof d.kind !== "string" || !KINDS.has(d.kind)) {
    fail("kind", '"latency", "mailbox_age" or "error_rate"');
  }
  const kind = d.kind as SloDeclaration["kind"];
  if (!isPositive(d.window)) fail("window", "a finite number of ms > 0");
  const window = d.window as number;
  const buckets = d.buckets ?? 10;
  if (!Number.isInteger(buckets) || (buckets as number) < 2 || (buckets as number) > 100) {
    fail("buckets", "an integer in [2, 100]");
  }
  const slotMs = window / (buckets as number);
  let shortSlots = 0;
  if (d.shortWindow !== undefined) {
    if (!isPositive(d.shortWindow) || (d.shortWindow as number) >= window) {
      fail("shortWindow", "a number of ms > 0 and < window");
    }
    shortSlots = Math.round((d.shortWindow as number) / slotMs);
    if (shortSlots < 1) fail("shortWindow", `at least one sub-window (${slotMs} ms)`);
  }
  const burnRateThreshold = d.burnRateThreshold ?? 1;
  if (!isPositive(burnRateThreshold)) fail("burnRateThreshold", "a finite number > 0");
  const minSamples = d.minSamples ?? 1;
  if (!Number.isInteger(minSamples) || (minSamples as number) < 1) {
    fail("minSamples", "an integer >= 1");
  }
  const common = {
    name,
    kind,
    window,
    buckets: buckets as number,
    slotMs,
    shortSlots,
    burnRateThreshold: burnRateThreshold as number,
    minSamples: minSamples as number,
  };

  if (kind === "latency") {
    const event = checkEvent(name, "event", d.event);
    const measurement = d.measurement ?? "duration";
    if (typeof measurement !== "string" || measurement.length === 0) {
      fail("measurement", "a non-empty string");
    }
    if (!isFraction(d.quantile)) fail("quantile", "a number in (0, 1), such as 0.95");
    if (!isPositive(d.threshold)) fail("threshold", "a finite number > 0");
    return {
      ...common,
      objective: d.quantile as number,
      threshold: d.threshold as number,
      events: [{ event, bad: false }],
      measurement: measurement as string,
      filter: checkFilter(name, d.filter),
      target: undefined,
    };
  }
  if (kind === "mailbox_age") {
    if (!isTarget(d.target)) fail("target", "a registered name, a Pid or { via, key }");
    if (!isPositive(d.threshold)) fail("threshold", "a finite number of ms > 0");
    const objective = d.objective ?? 0.99;
    if (!isFraction(objective)) fail("objective", "a number in (0, 1), such as 0.99");
    return {
      ...common,
      objective: objective as number,
      threshold: d.threshold as number,
      events: [],
      measurement: undefined,
      filter: undefined,
      target: d.target as Target,
    };
  }
  const prefix = checkEvent(name, "prefix", d.prefix);
  if (!isFraction(d.objective)) fail("objective", "a number in (0, 1), such as 0.999");
  const objective = d.objective as number;
  return {
    ...common,
    objective,
    threshold: 1 - objective,
    events: [
      { event: Object.freeze([...prefix, "stop"]), bad: false },
      { event: Object.freeze([...prefix, "exception"]), bad: true },
    ],
    measurement: undefined,
    filter: checkFilter(name, d.filter),
    target: undefined,
  };
}

function checkEvent(slo: string, field: string, event: unknown): TelemetryEvent {
  const ok = Array.isArray(event) && event.length > 0 &&
    event.every((s) => typeof s === "string" && s.length > 0 && !s.includes("\u0000"));
  if (!ok) throw new InvalidSloError(slo, field, "a non-empty array of non-empty strings", event);
  return Object.freeze([...(event as string[])]);
}

function checkFilter(
  slo: string,
  filter: unknown,
): ((metadata: Metadata) => boolean) | undefined {
  if (filter === undefined) return undefined;
  if (typeof filter === "function") return filter as (metadata: Metadata) => boolean;
  if (typeof filter === "object" && filter !== null) {
    const { name } = filter as { name?: unknown };
    if (name === undefined) return undefined;
    if (typeof name === "string") return (metadata) => metadata.name === name;
  }
  throw new InvalidSloError(slo, "filter", "{ name?: string } or a function of metadata", filter);
}

function isTarget(target: unknown): boolean {
  if (typeof target === "string") return target.length > 0;
  if (target instanceof Pid) return true;
  return typeof target === "object" && target !== null && "via" in target && "key" in target;
}

function isPositive(value: unknown): boolean {
  return typeof value === "number" && Number.isFinite(value) && value > 0;
}

function isFraction(value: unknown): boolean {
  return typeof value === "number" && value > 0 && value < 1;
}
