/**
 * The Hono telemetry adapter: serve a system's health, Prometheus metrics,
 * processes, supervision tree, live telemetry events (server-sent events)
 * and a live dashboard over HTTP, on any runtime Hono runs on (Deno, Bun,
 * Node, Cloudflare Workers). This entry imports `hono`: from JSR, Deno
 * resolves it through the package's own import map; from npm, add it
 * (`npm i hono`). Code of yours that imports `hono` itself, as the example
 * below does, needs it in your project too (`deno add npm:hono`). The main
 * entry does not need it.
 *
 * Every route but `/health` (which says only `ok` or `degraded`) needs
 * auth, failed token attempts are throttled, and none changes the system
 * unless you enable it (`mutations: { kill: true }`; behind a proxy, also
 * set `publicOrigin`). No route's work grows with the number of processes.
 * Open `<base>/dashboard?token=<token>` in a browser to log in to the
 * dashboard.
 *
 * @example A dashboard and /metrics under /beamlet
 * ```ts
 * import { Hono } from "hono";
 * import { System } from "@beamlet/beamlet";
 * import { createTelemetryApp } from "@beamlet/beamlet/hono";
 *
 * const system = new System();
 * const shutdown = new AbortController();
 * const app = new Hono();
 * app.route("/beamlet", createTelemetryApp(system, {
 *   auth: { token: "a-long-random-secret" },
 *   signal: shutdown.signal,
 * }));
 * const metrics = await app.request("/beamlet/metrics", {
 *   headers: { Authorization: "Bearer a-long-random-secret" },
 * });
 * console.log(metrics.headers.get("content-type")); // "text/plain; version=0.0.4; charset=utf-8"
 * // Deno.serve(app.fetch), Bun.serve(app), or serve(app) from @hono/node-server
 * shutdown.abort();
 * system.shutdown();
 * ```
 *
 * @module
 */

export * from "./src/http/mod.ts";
