/**
 * The telemetry app: a Hono app serving a system's health, metrics,
 * processes, supervision tree, tables, pipelines, live events and
 * dashboard.
 *
 * @module
 */

import type { Hono, System } from "./_public_types.ts";
import { buildApp } from "./_build_app.ts";
import type { TelemetryAppOptions } from "./options.ts";

/**
 * A Hono app serving `system`'s telemetry, to mount under a path of yours
 * with `app.route(base, ...)`:
 *
 * | route | answers |
 * | --- | --- |
 * | `GET /health` | `{ status }`: `"ok"`, or `"degraded"` while an SLO is breached (no auth) |
 * | `GET /health/details` | `{ status, uptimeMs, processes, slos? }` |
 * | `GET /metrics` | Prometheus text (default: `beamletMetrics()`) |
 * | `GET /overview` | scheduler, processes by status, tables, call latency, top mailboxes, SLOs |
 * | `GET /processes?sort&order&offset&limit` | a page of processes (`ranked`, `truncated`) |
 * | `GET /processes/:id` | one process (`:id`: the pid's serial number) |
 * | `POST /processes/:id/kill` | exits it with `"kill"` (only with `mutations.kill`) |
 * | `GET /tree` | the supervision trees, at most `limits.maxTreeNodes` nodes |
 * | `GET /tables` | the ETS-like tables, named first, at most 200: type, access, owner, size, memory, reads, writes |
 * | `GET /pipelines` | the pipelines, at most 100: state, acked, failed, in flight, batches; their stages (demand, buffer, events in and out, drops) and the stages outside any |
 * | `GET /events?prefix=beamlet.call` | telemetry events as server-sent events |
 * | `GET /dashboard` | the live dashboard (`?token=` logs in with a cookie) |
 *
 * Every route but `/health` needs auth (`Authorization: Bearer <token>` or
 * the dashboard's cookie); without `options.auth` they all answer 401.
 * Failed token attempts are throttled (429 with `Retry-After` beyond the
 * budget, see `TokenThrottle`). Errors are JSON
 * `{ "error": "..." }` with a 4xx status. Nothing changes the system unless
 * a mutation is enabled, and a mutation answers POST only (405 otherwise)
 * and only to requests that prove their origin (see `publicOrigin`).
 *
 * No route's work grows with the number of processes: `/overview` and
 * `/processes` read the last snapshot of a process-table walker that
 * refreshes it in small chunks at most once a second while someone reads
 * (`snapshotAgeMs` says how old it is), sorted pages go `ranked` positions
 * deep (1000 by default), `/processes/:id` finds its process by serial, and
 * `/tree` is walked at most once a second with a node cap. No route sends a
 * stack trace or a source path. Abort `options.signal` to close the event
 * streams and detach everything the app attached.
 *
 * @throws {TypeError} for malformed options (auth — a token shorter than 16
 *   characters included —, metrics, slo, processTable, publicOrigin, signal).
 * @throws {RangeError} for a limit or a throttle setting out of range.
 *
 * @example Mounting under /beamlet
 * ```ts
 * import { Hono } from "hono";
 * import { System } from "@beamlet/beamlet";
 * import { createTelemetryApp } from "@beamlet/beamlet/hono";
 *
 * const system = new System();
 * const app = new Hono();
 * app.route("/beamlet", createTelemetryApp(system, { auth: { token: "a-long-random-secret" } }));
 * const response = await app.request("/beamlet/health");
 * console.log(response.status); // 200
 * system.shutdown();
 * ```
 */
export function createTelemetryApp(system: System, options: TelemetryAppOptions = {}): Hono {
  return buildApp(system, options, "");
}
