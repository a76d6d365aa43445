/**
 * Running a {@linkcode System} across the requests of a Cloudflare Worker
 * (or any host that ties callbacks to the request that scheduled them).
 *
 * @module
 */

import type { System } from "../system.ts";
import { runtimeOf } from "../_runtime_access.ts";
import { isSettled, resumeHere } from "../kernel/scheduler/host_context.ts";
import type { Runtime } from "../kernel/state/runtime.ts";

/**
 * The part of a Worker's execution context (`ctx`, `c.executionCtx`) that
 * {@linkcode serveRequest} uses.
 *
 * @example A context outside Workers (tests, Node): nothing to extend
 * ```ts
 * import type { WaitUntil } from "@beamlet/beamlet/edge";
 *
 * const pending: Promise<unknown>[] = [];
 * const ctx: WaitUntil = { waitUntil: (promise) => void pending.push(promise) };
 * ```
 */
export interface WaitUntil {
  /** Keeps the request's context alive, after its response, until `promise` settles. */
  waitUntil(promise: Promise<unknown>): void;
}

/**
 * Options of {@linkcode serveRequest}.
 *
 * @example Keeping contexts no longer than 5 s after their response
 * ```ts
 * import type { ServeRequestOptions } from "@beamlet/beamlet/edge";
 *
 * const options: ServeRequestOptions = { settleMs: 5_000 };
 * ```
 */
export interface ServeRequestOptions {
  /**
   * Longest time, ms, the request's context is kept alive after its response
   * while the system still has work (default 25 000: Cloudflare ends a
   * request's `waitUntil` work 30 s after the response).
   */
  readonly settleMs?: number;
}

const noop = () => {};
const SETTLE_POLL_MS = 10;
const KEEP_AWAKE_MS = 1_000;
const DEFAULT_SETTLE_MS = 25_000;

/**
 * Runs `work` — the part of a request that talks to `system` — so that a
 * System shared by every request of a Worker isolate keeps running:
 *
 * - first, whatever an earlier request's context had scheduled for the
 *   system and may have taken with it when it ended (the timer wheel's host
 *   timer, a queued scheduler run) is scheduled again from this request;
 * - while `work` waits on processes, this request holds a timer of its own:
 *   its reply may come from work running in another request's context, and
 *   the runtime would otherwise take a request waiting on nothing of its own
 *   for hung ("the Worker's code had hung") and cancel it;
 * - after `work`, `ctx.waitUntil` keeps this request's context alive until
 *   the system has nothing left to run (at most `settleMs`): a callback
 *   started here (an async handler's `fetch` or timer) lives in this
 *   context, and ends with it.
 *
 * Not needed in a Durable Object (all its requests share one context) nor
 * on Deno, Bun, Node or browsers, where it only costs a timer.
 *
 * @example A Worker with one System per isolate
 * ```ts
 * import { noreply, ok, reply, System } from "@beamlet/beamlet";
 * import { serveRequest, type WaitUntil } from "@beamlet/beamlet/edge";
 *
 * const counter = {
 *   init: () => ok(0),
 *   handleCall: (_request: "get", _from: unknown, n: number) => reply(n, n),
 *   handleCast: (_request: "add", n: number) => noreply(n + 1),
 * };
 * let system: System | undefined;
 *
 * const worker = {
 *   async fetch(request: Request, _env: unknown, ctx: WaitUntil): Promise<Response> {
 *     if (system === undefined) {
 *       system = new System();
 *       await system.start(counter, undefined, { name: "counter" });
 *     }
 *     const live = system;
 *     return serveRequest(live, ctx, async () => {
 *       if (request.method === "POST") live.cast("counter", "add");
 *       return Response.json(await live.call("counter", "get"));
 *     });
 *   },
 * };
 * const response = await worker.fetch(new Request("http://x/", { method: "POST" }), {}, {
 *   waitUntil: () => {},
 * });
 * console.log(await response.json()); // 1
 * await system?.stopAll();
 * ```
 */
export async function serveRequest<T>(
  system: System,
  ctx: WaitUntil,
  work: () => T | Promise<T>,
  options: ServeRequestOptions = {},
): Promise<T> {
  const rt = runtimeOf(system);
  const settleMs = options.settleMs ?? DEFAULT_SETTLE_MS;
  if (typeof settleMs !== "number" || !(settleMs >= 0)) {
    throw new TypeError(`serveRequest: settleMs must be a number >= 0, got ${String(settleMs)}`);
  }
  if (typeof ctx?.waitUntil !== "function") {
    throw new TypeError("serveRequest: ctx must have a waitUntil method (the Worker's ctx)");
  }
  resumeHere(rt);
  const awake = setInterval(noop, KEEP_AWAKE_MS);
  try {
    return await work();
  } finally {
    clearInterval(awake);
    if (!isSettled(rt)) ctx.waitUntil(settle(rt, settleMs));
  }
}

/** Resolves once the system has nothing left to run, or after `maxMs`. */
async function settle(rt: Runtime, maxMs: number): Promise<void> {
  for (let waited = 0; waited < maxMs && !isSettled(rt); waited += SETTLE_POLL_MS) {
    await new Promise((resolve) => setTimeout(resolve, SETTLE_POLL_MS));
  }
}
