/**
 * `GET /events?prefix=beamlet.call&prefix=...`: telemetry events as
 * server-sent events (`event: telemetry`), `event: gap` when a slow reader
 * missed some, `: ping` heartbeats. At most `maxSseClients` at once (503
 * beyond); each stream releases its handler and timer when it ends.
 *
 * @module
 */

import type { Handler } from "hono";
import { streamSSE } from "hono/streaming";
import type { AppState } from "../_app_state.ts";
import { HttpError } from "../_http_error.ts";
import { SseClient } from "../_sse_client.ts";
import { servedByDeno } from "../../_host.ts";

/** The event stream route. */
export function eventsRoute(state: AppState): Handler {
  return (c) => {
    const events = state.observer.eventsUnder(c.req.queries("prefix"));
    if (state.closed) throw new HttpError(503, "closed");
    // HEAD: hono would run the GET handler and discard the body unread, stranding a stream.
    if (c.req.method === "HEAD") {
      return c.body(null, 200, { "Content-Type": "text/event-stream" });
    }
    if (state.streams.size >= state.limits.maxSseClients) {
      throw new HttpError(503, "too many event streams");
    }
    const client = new SseClient({
      telemetry: state.system.telemetry,
      events,
      queueSize: state.limits.sseQueueSize,
      heartbeatMs: state.limits.sseHeartbeatMs,
      // Through Deno.serve, listening to `request.signal` prints a deprecation warning (it
      // also aborts after successful responses); the stream's own abort (the response body
      // cancelled) already tells of a disconnect.
      requestSignal: servedByDeno(c.env) ? undefined : c.req.raw.signal,
      onClose: (closed) => state.streams.delete(closed),
    });
    if (!client.closed) state.streams.add(client);
    c.header("X-Accel-Buffering", "no");
    return streamSSE(c, (stream) => client.run(stream));
  };
}
