/**
 * Options of the Hono telemetry adapter: who may read (auth) and how often
 * they may guess, what it exposes (metrics, SLOs, the process-table
 * walker), what it may change (mutations) and from which origins, how much
 * it serves (limits) and when it lets go (signal).
 *
 * @module
 */

import type {
  Context,
  Metrics,
  MiddlewareHandler,
  ProcessTableWalker,
  SloMonitor,
} from "./_public_types.ts";

/**
 * How failed token attempts are throttled: at most `maxFailures` per
 * `windowMs` (a fixed window that starts at the first failure). Beyond the
 * budget, every request that presents a token (bearer header, cookie or
 * `?token=`) answers 429 with `Retry-After` until the window ends, without
 * the token being compared; requests presenting none answer 401 as usual.
 *
 * The trade-off: by default one budget is shared by every client, so a
 * client guessing tokens locks everyone out — your dashboard and your
 * Prometheus scrapes too — for the rest of the window (a denial of
 * service of the telemetry routes, never of your system), in exchange for
 * guesses that cannot go faster than `maxFailures` per window whatever the
 * number of addresses they come from. With `clientKey` (for instance the
 * remote address from hono's `getConnInfo`), each key has its own budget:
 * an attacker locks out only itself, but can multiply its guesses by the
 * keys it controls. Keys are bounded (10000 at once; newer ones beyond that
 * share one budget), and a `clientKey` that throws or returns no string
 * puts the request in the shared budget.
 *
 * @example A budget per remote address, on Deno
 * ```ts
 * import type { TokenThrottle } from "@beamlet/beamlet/hono";
 *
 * const throttle: TokenThrottle = {
 *   maxFailures: 10,
 *   windowMs: 60_000,
 *   // with `import { getConnInfo } from "hono/deno"`: (c) => getConnInfo(c).remote.address ?? ""
 *   clientKey: (c) => c.req.header("X-Real-IP") ?? "",
 * };
 * ```
 */
export interface TokenThrottle {
  /** Failed attempts allowed per window (default 20; an integer in 1..1000000). */
  readonly maxFailures?: number;
  /** The window, ms of the system clock (default 60000; an integer in 1..2^31-1). */
  readonly windowMs?: number;
  /** Groups attempts by client (default: one budget shared by every request). */
  readonly clientKey?: (c: Context) => string;
}

/**
 * Who may read the telemetry routes: a bearer token (also accepted as the
 * `beamlet_token` cookie the dashboard login sets) of at least 16
 * characters, with failed attempts throttled (see {@linkcode TokenThrottle}),
 * or your own Hono middleware (which answers 401/403 itself, or calls
 * `next()` to let the request through).
 *
 * Tokens have names, so the actions (kill, suspend, resume, restart) say who
 * asked in their answer and in the system log: `{ token, name? }` is one
 * token named `name` (default `"token"`); `{ tokens: { alice: "…", bob: "…" } }`
 * is several (1 to 32, distinct; names are 1 to 64 characters of
 * `A-Z a-z 0-9 _ . @ -`). The token that authenticated a request sets the
 * Hono context variable `"beamlet.user"` to its name; your own middleware
 * may set it too (`c.set("beamlet.user", "alice")`), else the user is
 * `"anonymous"`.
 *
 * @example A token from the environment
 * ```ts
 * import type { TelemetryAuth } from "@beamlet/beamlet/hono";
 *
 * const auth: TelemetryAuth = { token: "a-long-random-secret", throttle: { maxFailures: 5 } };
 * ```
 *
 * @example One token per person
 * ```ts
 * import type { TelemetryAuth } from "@beamlet/beamlet/hono";
 *
 * const auth: TelemetryAuth = {
 *   tokens: { alice: "alice-long-random-secret", oncall: "oncall-long-random-secret" },
 * };
 * ```
 */
export type TelemetryAuth =
  | { readonly token: string; readonly name?: string; readonly throttle?: TokenThrottle }
  | {
    readonly tokens: Readonly<Record<string, string>>;
    readonly throttle?: TokenThrottle;
  }
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
 * import { System } from "@beamlet/beamlet";
 * import { monitorSlos } from "@beamlet/beamlet/slo";
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
  /**
   * Routes that change the system ("actions"), each off by default. Each
   * answers POST only (405 otherwise), needs auth like every route, and
   * answers 403 unless it is enabled here and the request proves it comes
   * from an accepted origin (see `publicOrigin`). Each carried-out action is
   * logged through the system logger (a `"notice"` report of topic
   * `"actions"`) with who asked (see {@linkcode TelemetryAuth}).
   */
  readonly mutations?: {
    /** `POST /processes/:id/kill`: exit the process with reason `"kill"`. */
    readonly kill?: boolean;
    /**
     * `POST /processes/:id/suspend` and `POST /processes/:id/resume`:
     * `system.suspend` / `system.resume` (`:sys.suspend`): a suspended
     * process keeps receiving but handles nothing until resumed.
     */
    readonly suspend?: boolean;
    /**
     * `POST /processes/:id/children/:childId/restart`: the process is a
     * `Supervisor`; stop its child `childId` and start it again
     * (`Supervisor.terminateChild` then `Supervisor.restartChild`).
     */
    readonly restart?: boolean;
  };
  /**
   * Views of what processes hold, each off by default: a process's state
   * may hold tokens, passwords or personal data, and only its server knows
   * which (see `formatStatus` of a GenServer). Turn one on where the app is
   * reachable only by people allowed to see that data.
   */
  readonly inspection?: {
    /**
     * `GET /processes/:id/state`: a bounded preview of the process's state
     * (a `StatePreview`, as `formatState` of `@beamlet/beamlet/introspection`
     * gives it: what its `formatStatus` shows, else the raw state bounded).
     * Off: 403 `{ "error": "state inspection disabled" }`.
     */
    readonly state?: boolean;
  };
  /**
   * Keep the overview's last 300 s server-side, one sample a second, for
   * `GET /overview/history` (the dashboard's charts start full). Each sample
   * reads O(1) counters, never the process table; its timer never keeps the
   * host alive and stops on `signal`. Default `true`; `false` answers an
   * empty history and runs no timer.
   */
  readonly history?: boolean;
  /** Bounds on pages, streams and queues. */
  readonly limits?: TelemetryLimits;
  /** Aborting it detaches the default metrics, closes every stream and releases every handler. */
  readonly signal?: AbortSignal;
}
