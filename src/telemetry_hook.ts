/**
 * The runtime's telemetry hook: where beamlet emits its events, named as
 * arrays (`["beamlet", "supervisor", "child", "restart"]`), with numeric
 * measurements and metadata, as `:telemetry` does. This is the minimal
 * hook; metrics, reporters and spans build on it.
 *
 * Events emitted today (metadata in parentheses):
 *
 * | event | measurements | metadata |
 * | --- | --- | --- |
 * | `beamlet.supervisor.child.start` | `count` | supervisor, childId, childPid |
 * | `beamlet.supervisor.child.exit` | `count` | supervisor, childId, childPid, reason |
 * | `beamlet.supervisor.child.restart` | `count` | supervisor, childId, childPid, reason |
 * | `beamlet.supervisor.child.restart_failed` | `count` | supervisor, childId, reason |
 * | `beamlet.supervisor.intensity_exceeded` | `count` | supervisor, childId, childPid, reason |
 *
 * With no handler attached, `emit` returns at once.
 *
 * @module
 */

/** An event name: `["beamlet", "supervisor", "child", "restart"]`. */
export type TelemetryEvent = readonly string[];

/** Receives every emitted event; filter by `event` yourself. */
export type TelemetryHandler = (
  event: TelemetryEvent,
  measurements: Readonly<Record<string, number>>,
  metadata: Readonly<Record<string, unknown>>,
) => void;

/**
 * A system's telemetry hook (`system.telemetry`).
 *
 * @example Watching supervisor restarts
 * ```ts
 * import { System } from "@beamlet/beamlet";
 *
 * const system = new System();
 * const detach = system.telemetry.attach((event, _measurements, metadata) => {
 *   if (event.join(".") === "beamlet.supervisor.child.restart") console.log(metadata.childId);
 * });
 * detach();
 * ```
 */
export class TelemetryHook {
  #handlers: TelemetryHandler[] = [];

  /** How many handlers are attached. */
  get attached(): number {
    return this.#handlers.length;
  }

  /** Attaches a handler; returns a function that detaches it. */
  attach(handler: TelemetryHandler): () => void {
    if (typeof handler !== "function") {
      throw new TypeError("telemetry.attach: handler must be a function");
    }
    this.#handlers = [...this.#handlers, handler];
    return () => this.#detach(handler);
  }

  /**
   * Emits an event to every handler. A handler that throws is detached (as
   * `:telemetry` does) and the emitter carries on.
   */
  emit(
    event: TelemetryEvent,
    measurements: Readonly<Record<string, number>>,
    metadata: Readonly<Record<string, unknown>>,
  ): void {
    const handlers = this.#handlers;
    if (handlers.length === 0) return;
    for (const handler of handlers) {
      try {
        handler(event, measurements, metadata);
      } catch {
        this.#detach(handler);
      }
    }
  }

  #detach(handler: TelemetryHandler): void {
    this.#handlers = this.#handlers.filter((h) => h !== handler);
  }
}
