/**
 * Telemetry, after Erlang's `:telemetry`: events named as arrays
 * (`["beamlet", "call", "stop"]`) with numeric measurements and metadata,
 * handlers attached by id, spans, and the table of every event the runtime
 * emits (`BEAMLET_EVENTS`). A system has one `Telemetry`
 * (`system.telemetry`); an event nobody listens to costs one cached flag
 * read. The root entry re-exports `Telemetry`, `TelemetryEvent` and
 * `TelemetryHandler`.
 *
 * @example The slowest call, from the built-in events
 * ```ts
 * import { ok, reply, System } from "@beamlet/beamlet";
 * import { BEAMLET_EVENTS, type Measurements } from "@beamlet/beamlet/telemetry";
 *
 * const system = new System();
 * let slowest = 0;
 * system.telemetry.attach("slowest", BEAMLET_EVENTS.callback("call", "stop"), (_event, m: Measurements) => {
 *   slowest = Math.max(slowest, m.duration);
 * });
 * const echo = await system.start({
 *   init: () => ok(null),
 *   handleCall: (request: string, _from, state: null) => reply(request, state),
 * });
 * await system.call(echo, "hi");
 * console.log(slowest >= 0); // true
 * system.shutdown();
 * ```
 *
 * @module
 */

export { Telemetry } from "./src/telemetry/telemetry.ts";
export type { SpanStop } from "./src/telemetry/span.ts";
export type {
  HandlerId,
  HandlerInfo,
  Measurements,
  Metadata,
  PreparedEvent,
  TelemetryEvent,
  TelemetryHandler,
  TelemetryStats,
} from "./src/telemetry/types.ts";
export { AlreadyAttachedError } from "./src/telemetry/errors.ts";
export { BEAMLET_EVENTS, type BeamletEvents } from "./src/telemetry/beamlet_events.ts";
export * from "./src/telemetry/define_event.ts";
export * from "./src/telemetry/catalog/mod.ts";
