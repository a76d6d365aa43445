/**
 * Validating and completing child specs and supervisor options (internal).
 *
 * @module
 */

import type { Clock } from "../clock.ts";
import { MAX_TIMEOUT_MS } from "../options.ts";
import { readOptions } from "../_options.ts";
import { describeValue } from "../_inspect.ts";
import type { ChildSpec, ChildType, Restart, Shutdown } from "./child_spec.ts";
import { DuplicateChildError } from "./errors.ts";
import type { DynamicSupervisorOptions, Strategy, SupervisorOptions } from "./options.ts";
import type { SupervisorLogger } from "./report.ts";

/** A child spec with every default filled in. */
export interface Spec {
  /** Always set for a static supervisor's children; optional for a dynamic one's. */
  readonly id: string | undefined;
  /** What to start. */
  readonly start: ChildSpec["start"];
  /** Default permanent. */
  readonly restart: Restart;
  /** Default 5000 ms for workers, infinity for supervisors. */
  readonly shutdown: Shutdown;
  /** Default worker. */
  readonly type: ChildType;
}

/** A supervisor's settings with every default filled in. */
export interface Config {
  /** Default one_for_one. */
  readonly strategy: Strategy;
  /** Default 3. */
  readonly intensity: number;
  /** Default 5000 ms. */
  readonly period: number;
  /** Default none. */
  readonly logger: SupervisorLogger | null;
  /** Default undefined: the system's clock. */
  readonly clock: Clock | undefined;
  /** A dynamic supervisor: children known by pid, forgotten when not restarted. */
  readonly dynamic: boolean;
  /** Default Infinity (dynamic supervisors only). */
  readonly maxChildren: number;
}

const RESTARTS = ["permanent", "transient", "temporary"];
const TYPES = ["worker", "supervisor"];
const STRATEGIES = ["one_for_one", "one_for_all", "rest_for_one"];

/**
 * Throws a TypeError / RangeError unless `spec` is a valid child spec. Each
 * field is read once; a field that cannot be read (a throwing getter, a
 * Proxy) is a TypeError too.
 */
export function checkSpec(spec: ChildSpec, where: string, idRequired = true): Spec {
  return readOptions(`${where}: a child spec`, () => checkSpecFields(spec, where, idRequired));
}

function checkSpecFields(spec: ChildSpec, where: string, idRequired: boolean): Spec {
  if (typeof spec !== "object" || spec === null) {
    throw new TypeError(`${where}: a child spec must be an object, got ${describeValue(spec)}`);
  }
  const id: unknown = spec.id;
  if (idRequired || id !== undefined) {
    if (typeof id !== "string" || id.length === 0) {
      throw new TypeError(
        `${where}: child id must be a non-empty string, got ${describeValue(id)}`,
      );
    }
  }
  const child = `child ${typeof id === "string" ? id : "(no id)"}`;
  const start: unknown = spec.start;
  const server: unknown = typeof start === "object" && start !== null
    ? (start as { server?: unknown }).server
    : undefined;
  const init: unknown = typeof server === "object" && server !== null
    ? (server as { init?: unknown }).init
    : undefined;
  if (typeof init !== "function") {
    throw new TypeError(
      `${where}: ${child}: start must be { server, arg?, options? } with server.init a function`,
    );
  }
  const restart: unknown = spec.restart ?? "permanent";
  if (typeof restart !== "string" || !RESTARTS.includes(restart)) {
    throw new TypeError(
      `${where}: ${child}: restart must be "permanent", "transient" or "temporary", got ${
        describeValue(restart)
      }`,
    );
  }
  const type: unknown = spec.type ?? "worker";
  if (typeof type !== "string" || !TYPES.includes(type)) {
    throw new TypeError(
      `${where}: ${child}: type must be "worker" or "supervisor", got ${describeValue(type)}`,
    );
  }
  const given: unknown = spec.shutdown;
  const shutdown: unknown = given === undefined ? (type === "worker" ? 5000 : "infinity") : given;
  if (typeof shutdown === "number") {
    if (!Number.isInteger(shutdown) || shutdown < 0 || shutdown > MAX_TIMEOUT_MS) {
      throw new RangeError(
        `${where}: ${child}: shutdown must be an integer of ms in 0..${MAX_TIMEOUT_MS}, got ${shutdown}`,
      );
    }
  } else if (shutdown !== "brutal_kill" && shutdown !== "infinity") {
    throw new TypeError(
      `${where}: ${child}: shutdown must be "brutal_kill", "infinity" or ms, got ${
        describeValue(shutdown)
      }`,
    );
  }
  return {
    id: id as string | undefined,
    start: start as ChildSpec["start"],
    restart: restart as Restart,
    shutdown: shutdown as Shutdown,
    type: type as ChildType,
  };
}

/** Validates a list of children: each spec, and unique ids. */
export function checkChildren(children: ChildSpec[], where: string): Spec[] {
  if (!Array.isArray(children)) {
    throw new TypeError(`${where}: children must be an array of child specs`);
  }
  const specs = readOptions(`${where}: children`, () => [...children]).map((spec) =>
    checkSpec(spec, where)
  );
  const seen = new Set<string>();
  for (const spec of specs) {
    if (seen.has(spec.id!)) throw new DuplicateChildError(spec.id!);
    seen.add(spec.id!);
  }
  return specs;
}

/** Validates options and fills in the defaults. */
export function checkOptions(
  options: SupervisorOptions & DynamicSupervisorOptions,
  where: string,
  dynamic: boolean,
): Config {
  return readOptions(`${where}: options`, () => checkOptionFields(options, where, dynamic));
}

function checkOptionFields(
  options: SupervisorOptions & DynamicSupervisorOptions,
  where: string,
  dynamic: boolean,
): Config {
  if (typeof options !== "object" || options === null) {
    throw new TypeError(`${where}: options must be an object`);
  }
  const strategy = options.strategy ?? "one_for_one";
  if (!STRATEGIES.includes(strategy) || (dynamic && strategy !== "one_for_one")) {
    throw new TypeError(
      `${where}: strategy must be ${
        dynamic ? '"one_for_one"' : '"one_for_one", "one_for_all" or "rest_for_one"'
      }, got ${describeValue(strategy)}`,
    );
  }
  const intensity = options.intensity ?? 3;
  if (typeof intensity !== "number" || !Number.isInteger(intensity) || intensity < 0) {
    throw new RangeError(
      `${where}: intensity must be an integer >= 0, got ${describeValue(intensity)}`,
    );
  }
  const period = options.period ?? 5000;
  if (typeof period !== "number" || !(period > 0) || !Number.isFinite(period)) {
    throw new RangeError(
      `${where}: period must be a finite number of ms > 0, got ${describeValue(period)}`,
    );
  }
  const maxChildren = options.maxChildren ?? Infinity;
  if (
    typeof maxChildren !== "number" || maxChildren < 0 ||
    !(Number.isInteger(maxChildren) || maxChildren === Infinity)
  ) {
    throw new RangeError(
      `${where}: maxChildren must be an integer >= 0 or Infinity, got ${
        describeValue(maxChildren)
      }`,
    );
  }
  const clock = options.clock;
  if (
    clock !== undefined &&
    (typeof clock !== "object" || clock === null || typeof clock.now !== "function")
  ) {
    throw new TypeError(`${where}: clock must be an object with a now() method`);
  }
  const logger = options.logger ?? null;
  if (logger !== null && typeof logger.report !== "function") {
    throw new TypeError(`${where}: logger must be an object with a report() method, or null`);
  }
  return { strategy, intensity, period, logger, clock, dynamic, maxChildren };
}
