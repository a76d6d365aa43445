/**
 * The shapes the telemetry core speaks: event names, measurements, metadata,
 * handlers and what `listHandlers` / `stats` answer.
 *
 * @module
 */

/**
 * An event name: a non-empty array of non-empty strings, most general part
 * first, as `:telemetry`'s list of atoms.
 *
 * @example
 * ```ts
 * import type { TelemetryEvent } from "@beamlet/beamlet";
 *
 * const callStop: TelemetryEvent = ["beamlet", "call", "stop"];
 * ```
 */
export type TelemetryEvent = readonly string[];

/**
 * Numeric measurements of one event (`duration`, `count`, `bytes`, ...).
 *
 * @example
 * ```ts
 * import type { Measurements } from "@beamlet/beamlet";
 *
 * const measurements: Measurements = { duration: 1.25, count: 1 };
 * ```
 */
export type Measurements = Readonly<Record<string, number>>;

/**
 * Anything that describes the event (`pid`, `request`, `reason`, ...).
 *
 * @example
 * ```ts
 * import type { Metadata } from "@beamlet/beamlet";
 *
 * const metadata: Metadata = { pid: "<0.42>", request: "ping" };
 * ```
 */
export type Metadata = Readonly<Record<string, unknown>>;

/**
 * A handler id: unique within one `Telemetry`.
 *
 * @example
 * ```ts
 * import type { HandlerId } from "@beamlet/beamlet";
 *
 * const id: HandlerId = "my-app.call-logger";
 * ```
 */
export type HandlerId = string | symbol;

/**
 * Called synchronously, in the emitter, for every event it is attached to;
 * `config` is the value given at attach time. A handler that throws, or
 * returns a Promise that rejects, is detached. Its return value is otherwise
 * ignored: a returned Promise is never awaited, so a handler that never
 * settles holds nothing up (but keep handlers fast — they run on the
 * emitter's time).
 *
 * @example Logging slow calls
 * ```ts
 * import type { TelemetryHandler } from "@beamlet/beamlet";
 *
 * const logSlow: TelemetryHandler<{ thresholdMs: number }> = (event, m, _meta, config) => {
 *   if (m.duration > config.thresholdMs) console.log(event.join("."), m.duration);
 * };
 * ```
 */
export type TelemetryHandler<Config = unknown> = (
  event: TelemetryEvent,
  measurements: Measurements,
  metadata: Metadata,
  config: Config,
) => unknown;

/**
 * One attached (handler, event) pair, as `listHandlers` answers it.
 *
 * @example
 * ```ts
 * import { Telemetry } from "@beamlet/beamlet";
 *
 * const telemetry = new Telemetry();
 * telemetry.attach("h", ["beamlet", "cast"], () => {}, { level: "debug" });
 * const [info] = telemetry.listHandlers(["beamlet"]);
 * console.log(info.id, info.event, info.config); // "h" ["beamlet", "cast"] { level: "debug" }
 * ```
 */
export interface HandlerInfo {
  /** The handler's id. */
  readonly id: HandlerId;
  /** The event it is attached to (a frozen copy). */
  readonly event: TelemetryEvent;
  /** The config given at attach time. */
  readonly config: unknown;
}

/**
 * Counters for introspection, as `Telemetry.stats()` answers them.
 *
 * @example
 * ```ts
 * import { Telemetry } from "@beamlet/beamlet";
 *
 * const { handlers, failedHandlers, droppedEvents } = new Telemetry().stats();
 * console.log(handlers, failedHandlers, droppedEvents); // 0 0 0
 * ```
 */
export interface TelemetryStats {
  /** Handler ids attached now. */
  readonly handlers: number;
  /** Handlers detached because they threw or their Promise rejected, ever. */
  readonly failedHandlers: number;
  /**
   * Executes that reached handlers but were refused for malformed input
   * (event not an array, measurements not an object of numbers, metadata
   * not an object), ever.
   */
  readonly droppedEvents: number;
}

/**
 * One event prepared with `Telemetry.prepare`: emit it without a lookup.
 *
 * @example
 * ```ts
 * import { type PreparedEvent, Telemetry } from "@beamlet/beamlet";
 *
 * const ready: PreparedEvent = new Telemetry().prepare(["app", "ready"]);
 * console.log(ready.active); // false: nobody is attached
 * ready.emit({ count: 1 }); // a no-op then
 * ```
 */
export interface PreparedEvent {
  /** The event name (a frozen copy). */
  readonly event: TelemetryEvent;
  /** Whether any handler is attached to the event now. */
  readonly active: boolean;
  /** Executes the event, as `telemetry.execute(event, measurements, metadata)`. */
  emit(measurements: Measurements, metadata?: Metadata): void;
}
