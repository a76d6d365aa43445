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
 * An event name that carries, at the type level only, the shape of the
 * measurements and metadata it is executed with. Attaching to one types the
 * handler's arguments, and executing or preparing one checks what is
 * emitted. At run time it is a plain array of strings, so any
 * `TelemetryEvent` is an `EventName` of unknown shape (the defaults).
 * Declare one with {@linkcode defineEvent}; the runtime's own are in
 * {@linkcode BEAMLET_EVENTS} and {@linkcode EVENT_CATALOG}.
 *
 * @example Typing a handler by its event
 * ```ts
 * import { System } from "@beamlet/beamlet";
 * import { BEAMLET_EVENTS } from "@beamlet/beamlet/telemetry";
 *
 * const system = new System();
 * system.telemetry.attach("exits", BEAMLET_EVENTS.processExit, (_event, m, meta) => {
 *   const lifetime: number = m.lifetime; // typed: the declaration has `lifetime`
 *   console.log(String(meta.pid), lifetime, meta.reason);
 * });
 * await system.shutdown();
 * ```
 */
export interface EventName<
  M extends Measurements = Measurements,
  Meta extends Metadata = Metadata,
> extends ReadonlyArray<string> {
  /** Type-level only, never set: the measurements the event carries. */
  readonly measurementsType?: M;
  /** Type-level only, never set: the metadata the event carries. */
  readonly metadataType?: Meta;
}

/**
 * Numeric measurements of one event (`duration`, `count`, `bytes`, ...).
 *
 * @example
 * ```ts
 * import type { Measurements } from "@beamlet/beamlet/telemetry";
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
 * import type { Metadata } from "@beamlet/beamlet/telemetry";
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
 * import type { HandlerId } from "@beamlet/beamlet/telemetry";
 *
 * const id: HandlerId = "my-app.call-logger";
 * ```
 */
export type HandlerId = string | symbol;

/**
 * Called synchronously, in the emitter, for every event it is attached to;
 * `config` is the value given at attach time. `M` and `Meta` are the
 * measurements and metadata of the event (inferred from an
 * {@linkcode EventName} when attaching to a declared event). A handler that throws, or
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
export type TelemetryHandler<
  Config = unknown,
  M extends Measurements = Measurements,
  Meta extends Metadata = Metadata,
> = (
  event: TelemetryEvent,
  measurements: M,
  metadata: Meta,
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
 * Prepared from a declared {@linkcode EventName}, `emit` checks the
 * measurements and metadata against the declaration.
 *
 * @example
 * ```ts
 * import { Telemetry } from "@beamlet/beamlet";
 * import type { PreparedEvent } from "@beamlet/beamlet/telemetry";
 *
 * const ready: PreparedEvent = new Telemetry().prepare(["app", "ready"]);
 * console.log(ready.active); // false: nobody is attached
 * ready.emit({ count: 1 }); // a no-op then
 * ```
 */
export interface PreparedEvent<
  M extends Measurements = Measurements,
  Meta extends Metadata = Metadata,
> {
  /** The event name (a frozen copy). */
  readonly event: EventName<M, Meta>;
  /** Whether any handler is attached to the event now. */
  readonly active: boolean;
  /** Executes the event, as `telemetry.execute(event, measurements, metadata)`. */
  emit(measurements: M, metadata?: Meta): void;
}
