/**
 * `GET /pipelines`: the live pipelines by name (at most 100) — state,
 * acked, failed and in-flight messages, flushed batches, rate limit — each
 * with its stages ordered producer → processor → batcher → batch_processor
 * (demand, buffer and bound, events in and out, drops since it started),
 * and the stages outside any pipeline (`stages`). `truncated` says whether
 * a limit left something out.
 *
 * @module
 */

import type { Handler } from "hono";
import type { AppState } from "../_app_state.ts";

/** The pipelines route. */
export function pipelinesRoute(state: AppState): Handler {
  return (c) => {
    const pipelines = state.observer.pipelines();
    c.header("Cache-Control", "no-store");
    return c.json(pipelines);
  };
}
