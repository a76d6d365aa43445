/**
 * The Hono telemetry adapter: health, Prometheus metrics, processes, the
 * supervision tree, live events and the dashboard of a system, over HTTP.
 *
 * @module
 */

export * from "./create_telemetry_app.ts";
export * from "./telemetry_middleware.ts";
export * from "./options.ts";
