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
 * | `GET /metrics/definitions` | every metric of the app's `Metrics`: name, type, unit, description, tags, Prometheus name |
 * | `GET /metrics/values?name=` | one metric's series, at most 500 (400 without a name, 404 for an unknown one) |
 * | `GET /overview` | scheduler, processes by status, tables, call latency, top mailboxes, SLOs, which actions are enabled |
 * | `GET /overview/history` | the overview's last 300 s, one point a second (see `history`) |
 * | `GET /processes?sort&order&offset&limit` | a page of processes (`ranked`, `truncated`) |
 * | `GET /processes/:id` | one process (`:id`: the pid's serial number) |
 * | `POST /processes/:id/kill` | exits it with `"kill"` (only with `mutations.kill`) |
 * | `POST /processes/:id/suspend`, `/resume` | suspends or resumes it (only with `mutations.suspend`) |
 * | `POST /processes/:id/children/:childId/restart` | stops a supervisor's child and starts it again (only with `mutations.restart`) |
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
 * and only to requests that prove their origin (see `publicOrigin`); each
 * one carried out is logged through the system logger with who asked (the
 * token's name, see `TelemetryAuth`). See `docs/dashboard.md`.
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
