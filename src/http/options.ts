/**
 * Options of the Hono telemetry adapter: who may read (auth), what it
 * exposes (metrics, SLOs, the process-table walker), what it may change
 * (mutations) and from which origins, how much it serves (limits) and when
 * it lets go (signal).
 *
 * @module
 */

import type { MiddlewareHandler } from "hono";
import type { Metrics } from "../metrics/metrics.ts";
import type { ProcessTableWalker } from "../observe/process_table_walker.ts";
import type { SloMonitor } from "../slo/slo_monitor.ts";

/**
 * Who may read the telemetry routes: a bearer token (also accepted as the
 * `beamlet_token` cookie the dashboard login sets), or your own Hono
 * middleware (which answers 401/403 itself, or calls `next()` to let the
 * request through).
 *
 * @example A token from the environment
 * ```ts
 * import type { TelemetryAuth } from "@beamlet/beamlet/hono";
 *
 * const auth: TelemetryAuth = { token: "a-long-random-secret" };
 * ```
 */
export type TelemetryAuth =
  | { readonly token: string }
  | { readonly middleware: MiddlewareHandler };

/**
 * Bounds on what the adapter serves.
 *
 * @example Fewer live streams, smaller queues
 * ```ts
 * import type { TelemetryLimits } from "@beamlet/beamlet/hono";
 *
 * const limits: TelemetryLimits = { maxSseClients: 4, sseQueueSize: 64 };
 * ```
 */
export interface TelemetryLimits {
  /** Largest `limit` of `/processes` (default 100; an integer in 1..10000). */
  readonly maxPageSize?: number;
  /** Concurrent `/events` streams; more answer 503 (default 16; an integer in 0..1024). */
  readonly maxSseClients?: number;
  /**
   * Events queued per `/events` stream for a slow reader; beyond it the
   * oldest are dropped and a `gap` event says how many (default 256; an
   * integer in 1..65536).
   */
  readonly sseQueueSize?: number;
  /** Ms between `: ping` comments on an `/events` stream (default 15000; an integer in 1..2^31-1). */
  readonly sseHeartbeatMs?: number;
  /**
   * Nodes `/tree` lists in all, roots included (default 1000; an integer in
   * 1..100000); beyond it the response says `truncated: true`.
   */
  readonly maxTreeNodes?: number;
}

/**
 * Options of `createTelemetryApp` and `telemetryMiddleware`.
 *
 * @example Token auth, SLOs, kill enabled, released on shutdown
 * ```ts
 * import { monitorSlos, System } from "@beamlet/beamlet";
 * import type { TelemetryAppOptions } from "@beamlet/beamlet/hono";
 *
 * const system = new System();
 * const shutdown = new AbortController();
 * const options: TelemetryAppOptions = {
 *   auth: { token: "a-long-random-secret" },
 *   slo: monitorSlos(system, []),
 *   mutations: { kill: true },
 *   publicOrigin: "https://ops.example.com",
 *   limits: { maxPageSize: 50 },
 *   signal: shutdown.signal,
 * };
 * ```
 */
export interface TelemetryAppOptions {
  /** Who may read; without it every route but `/health` answers 401 (deny by default). */
  readonly auth?: TelemetryAuth;
  /**
   * The origin(s) browsers reach the app at, such as
   * `"https://ops.example.com"` behind a TLS-terminating proxy: absolute
   * `http:` or `https:` origins (no path). A mutation must prove it comes
   * from one of them (its `Origin`, else `Sec-Fetch-Site: same-origin` on a
   * request addressed to one of them, else its `Referer`), or it answers
   * 403. Without it, mutations are accepted only from the request's own
   * origin, and only when that origin's host is loopback (`localhost`,
   * `127.0.0.0/8`, `[::1]`): on any other host they answer 403 asking for
   * `publicOrigin` (the `Host` header alone cannot be trusted: under DNS
   * rebinding it is the attacker's name). The login cookie is `Secure` when
   * one of these origins (or the request) is `https:`.
   */
  readonly publicOrigin?: string | readonly string[];
  /**
   * What `/metrics` exposes. Default: a `Metrics` over `beamletMetrics()`
   * the adapter creates on `system.telemetry` (and detaches on `signal`).
   */
  readonly metrics?: Metrics;
  /**
   * SLOs: `/health` says `"degraded"` while one is breached;
   * `/health/details` and `/overview` report them.
   */
  readonly slo?: SloMonitor;
  /**
   * The walker `/overview` and `/processes` read their snapshots from.
   * Default: one the app creates on `system` with the default settings
   * (refreshing at most once a second while someone reads) and closes on
   * `signal`. Give your own — on the same system — to tune it or share it;
   * the app then leaves it open.
   */
  readonly processTable?: ProcessTableWalker;
  /** Routes that change the system, each off by default. */
  readonly mutations?: {
    /** `POST /processes/:id/kill`: exit the process with reason `"kill"`. */
    readonly kill?: boolean;
  };
  /** Bounds on pages, streams and queues. */
  readonly limits?: TelemetryLimits;
  /** Aborting it detaches the default metrics, closes every stream and releases every handler. */
  readonly signal?: AbortSignal;
}
