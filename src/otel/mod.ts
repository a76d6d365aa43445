/**
 * The OpenTelemetry bridge: a `MessageTracer` that records messages as spans.
 *
 * @module
 */

export * from "./open_telemetry_tracer.ts";
