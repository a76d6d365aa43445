/**
 * The telemetry core, after Erlang's `:telemetry`: attach handlers to event
 * names, execute events, and time work with spans.
 *
 * @example Counting events
 * ```ts
 * import { Telemetry } from "@beamlet/beamlet";
 *
 * const telemetry = new Telemetry();
 * let casts = 0;
 * telemetry.attach("count", ["beamlet", "cast"], () => void casts++);
 * telemetry.execute(["beamlet", "cast"], { count: 1 });
 * console.log(casts); // 1
 * ```
 *
 * @module
 */

export * from "./telemetry.ts";
export * from "./span.ts";
export * from "./types.ts";
export * from "./errors.ts";
export * from "./define_event.ts";
export * from "./catalog/mod.ts";
export { BEAMLET_EVENTS, type BeamletEvents } from "./beamlet_events.ts";
