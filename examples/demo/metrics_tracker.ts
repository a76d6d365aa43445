/**
 * A metrics tracker: a GenServer that takes every sample as a cast (the
 * sender never waits), keeps them in a pending batch, and folds the batch
 * into per-second buckets once a second on its own timer (`sendAfter` →
 * `handleInfo("flush")`) — the write-behind pattern of a metrics
 * aggregator. A `call` reads a summary of the last few seconds.
 *
 * @module
 */

import {
  type Context,
  type From,
  type GenServer,
  noreply,
  ok,
  reply,
  type TelemetryEvent,
} from "../../mod.ts";

/** The outcome of one operation of the load generator. */
export type Outcome = "ok" | "refused" | "failed";

/** One sample: an operation, what became of it, and how long it took (ms) if it was awaited. */
export interface Sample {
  /** What was attempted (`"session.view"`, `"orders.submit"`, ...). */
  readonly op: string;
  /** What became of it. */
  readonly outcome: Outcome;
  /** Round-trip latency in ms (awaited calls only). */
  readonly ms?: number;
}

/** A summary of the last `seconds` flushed seconds. */
export interface TrackerSummary {
  /** Seconds covered (fewer at start). */
  readonly seconds: number;
  /** Operations completed per second (all outcomes). */
  readonly throughput: number;
  /** Refusals (bounded mailbox said "overloaded") in the window. */
  readonly refused: number;
  /** Failures (call errors, failed checkouts) in the window. */
  readonly failed: number;
  /** Operations in the window, by op name. */
  readonly byOp: Readonly<Record<string, number>>;
  /** The 95th percentile of awaited-call latency in the window, ms (`undefined`: none). */
  readonly p95: number | undefined;
  /** Totals since start. */
  readonly total: { readonly ops: number; readonly refused: number; readonly failed: number };
  /** Flushes done, and samples folded by the last one. */
  readonly flushes: number;
  /** Samples the last flush folded. */
  readonly lastBatch: number;
}

interface Bucket {
  ops: number;
  refused: number;
  failed: number;
  byOp: Map<string, number>;
  latencies: number[];
}

interface TrackerState {
  pending: Sample[];
  buckets: Bucket[];
  flushes: number;
  lastBatch: number;
  total: { ops: number; refused: number; failed: number };
}

/** Requests the tracker answers. */
export type TrackerRequest = { readonly summary: number };

/** Executed after each flush: `{ samples }` folded. */
export const TRACKER_FLUSH_EVENT: TelemetryEvent = Object.freeze(["demo", "tracker", "flush"]);

/** How often the pending batch is folded, ms. */
export const FLUSH_INTERVAL_MS = 1000;
/** Per-second buckets kept (the longest window a summary can cover). */
const KEPT_SECONDS = 60;
/** Latencies kept per bucket (a uniform reservoir beyond that). */
const LATENCIES_PER_BUCKET = 2048;

function emptyBucket(): Bucket {
  return { ops: 0, refused: 0, failed: 0, byOp: new Map(), latencies: [] };
}

function fold(state: TrackerState): void {
  const bucket = emptyBucket();
  let seen = 0;
  for (const sample of state.pending) {
    bucket.ops++;
    if (sample.outcome === "refused") bucket.refused++;
    if (sample.outcome === "failed") bucket.failed++;
    bucket.byOp.set(sample.op, (bucket.byOp.get(sample.op) ?? 0) + 1);
    if (sample.ms === undefined) continue;
    seen++;
    if (bucket.latencies.length < LATENCIES_PER_BUCKET) bucket.latencies.push(sample.ms);
    else {
      const slot = Math.floor(Math.random() * seen);
      if (slot < LATENCIES_PER_BUCKET) bucket.latencies[slot] = sample.ms;
    }
  }
  state.total.ops += bucket.ops;
  state.total.refused += bucket.refused;
  state.total.failed += bucket.failed;
  state.lastBatch = state.pending.length;
  state.pending = [];
  state.flushes++;
  state.buckets.push(bucket);
  if (state.buckets.length > KEPT_SECONDS) state.buckets.shift();
}

function summarize(state: TrackerState, seconds: number): TrackerSummary {
  const window = state.buckets.slice(-Math.max(1, Math.min(KEPT_SECONDS, seconds)));
  const byOp: Record<string, number> = {};
  const latencies: number[] = [];
  let ops = 0, refused = 0, failed = 0;
  for (const bucket of window) {
    ops += bucket.ops;
    refused += bucket.refused;
    failed += bucket.failed;
    for (const [op, n] of bucket.byOp) byOp[op] = (byOp[op] ?? 0) + n;
    for (const ms of bucket.latencies) latencies.push(ms);
  }
  latencies.sort((a, b) => a - b);
  const p95 = latencies.length === 0
    ? undefined
    : latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * 0.95))];
  return {
    seconds: window.length,
    throughput: window.length === 0 ? 0 : ops / window.length,
    refused,
    failed,
    byOp,
    p95,
    total: { ...state.total },
    flushes: state.flushes,
    lastBatch: state.lastBatch,
  };
}

/**
 * The tracker's callbacks: cast a {@linkcode Sample}, call `{ summary: seconds }`.
 *
 * @example Recording and reading
 * ```ts
 * import { System } from "@beamlet/beamlet";
 * import { metricsTracker, type TrackerSummary } from "./metrics_tracker.ts";
 *
 * const system = new System();
 * await system.start(metricsTracker, undefined, { name: "tracker" });
 * system.cast("tracker", { op: "ping", outcome: "ok", ms: 1.5 });
 * const summary = await system.call<TrackerSummary>("tracker", { summary: 5 });
 * ```
 */
export const metricsTracker: GenServer<TrackerState, undefined, TrackerRequest, TrackerSummary> = {
  init: (_arg: undefined, ctx: Context) => {
    ctx.sendAfter(ctx.self, "flush", FLUSH_INTERVAL_MS);
    return ok({
      pending: [],
      buckets: [],
      flushes: 0,
      lastBatch: 0,
      total: { ops: 0, refused: 0, failed: 0 },
    });
  },
  handleCast: (sample: unknown, state: TrackerState) => {
    state.pending.push(sample as Sample);
    return noreply(state);
  },
  handleInfo: (message: unknown, state: TrackerState, ctx: Context) => {
    if (message !== "flush") return noreply(state);
    fold(state);
    ctx.system.telemetry.execute(TRACKER_FLUSH_EVENT, { samples: state.lastBatch }, {});
    ctx.sendAfter(ctx.self, "flush", FLUSH_INTERVAL_MS);
    return noreply(state);
  },
  handleCall: (request: TrackerRequest, _from: From<TrackerSummary>, state: TrackerState) =>
    reply(summarize(state, request.summary), state),
};
