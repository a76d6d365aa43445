/**
 * Resource bounds of `/events` over real sockets, in this process: a busy
 * system emits events far faster than a slow client (about 1 KB/s) reads
 * them, and another client goes away mid-stream. The slow client's stream
 * accounts for every event (delivered, or counted in an `event: gap`), the
 * heap stays bounded, and once both clients are gone every telemetry
 * handler they attached is detached and their stream slots are free again.
 */

import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import process from "node:process";
import { type GenServer, noreply, ok } from "../src/gen_server.ts";
import { parseResponse, rawGet, sseFrames } from "./_raw_stream.ts";
import { serveApp, type ServedApp } from "./_served_app.ts";
import { sleep, waitFor } from "./_wait.ts";

const QUEUE = 32;
const MAX_CLIENTS = 2;
const EVENT = ["e2e", "tick"];
const PER_TICK = 25;

/** Emits PER_TICK `e2e.tick` events (with a sequence number) per cast, and casts itself again. */
const ticker: GenServer<number, undefined, "tick" | "stop"> = {
  init: (_arg, ctx) => {
    ctx.cast(ctx.self, "tick");
    return ok(0);
  },
  handleCast: (message, seq, ctx) => {
    if (message === "stop") return noreply(-1);
    if (seq < 0) return noreply(seq);
    for (let i = 0; i < PER_TICK; i++) {
      ctx.system.telemetry.execute(EVENT, { seq: ++seq }, { pad: "x".repeat(64) });
    }
    ctx.cast(ctx.self, "tick");
    return noreply(seq);
  },
};

function heapUsed(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed;
}

describe("/events under a busy system", () => {
  let served: ServedApp | undefined;

  before(async () => {
    served = await serveApp({
      limits: { sseQueueSize: QUEUE, maxSseClients: MAX_CLIENTS, sseHeartbeatMs: 250 },
    });
  });

  after(async () => {
    await served?.close();
  });

  it("bounds a slow reader's queue and releases everything on disconnect", async () => {
    const { system, server, token } = served!;
    const auth = { Authorization: `Bearer ${token}` };
    const handlers = () => system.telemetry.listHandlers().length;
    const baseline = handlers();
    const heapBefore = heapUsed();

    const pid = (await system.start(ticker, undefined))!;
    const slow = rawGet(server.port, "/events?prefix=e2e.tick", {
      ...auth,
      Accept: "text/event-stream",
    });
    const leaving = new AbortController();
    const quitter = await fetch(`http://127.0.0.1:${server.port}/events?prefix=e2e.tick`, {
      headers: auth,
      signal: leaving.signal,
    });
    assert.equal(quitter.status, 200);
    await waitFor("both streams attached", () => handlers() >= baseline + 2 || undefined, {
      timeoutMs: 5000,
      everyMs: 20,
    });

    // The quitter reads a little, then goes away mid-stream.
    const reader = quitter.body!.getReader();
    let quitterBytes = 0;
    while (quitterBytes < 4096) {
      const { value, done } = await reader.read();
      if (done) break;
      quitterBytes += value.length;
    }
    leaving.abort();
    await reader.cancel().catch(() => {});
    assert.ok(quitterBytes >= 4096, `the quitter read ${quitterBytes} bytes`);

    // The slow reader: ~1 KB/s for 3 s, while the system emits as fast as it can.
    let peakHeap = 0;
    for (let i = 0; i < 30; i++) {
      await sleep(100);
      slow.readSome(100);
      peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
    }
    // Then it catches up on what the socket buffers hold, and sees the gaps.
    slow.flow();
    await sleep(1500);
    system.cast(pid, "stop");
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
    slow.destroy();
    await system.stop(pid);

    const response = parseResponse(slow.bytes());
    assert.equal(response.status, 200);
    assert.match(response.headers["content-type"] ?? "", /^text\/event-stream/);
    const frames = sseFrames(response.body);
    let last: number | undefined;
    let pending = 0;
    let delivered = 0;
    let dropped = 0;
    let gaps = 0;
    for (const frame of frames) {
      if (frame.event === "gap") {
        const n = (JSON.parse(frame.data!) as { dropped: number }).dropped;
        assert.ok(Number.isInteger(n) && n > 0, `gap of ${n}`);
        pending += n;
        dropped += n;
        gaps++;
      } else if (frame.event === "telemetry") {
        const data = JSON.parse(frame.data!) as { event: string[]; measurements: { seq: number } };
        assert.deepEqual(data.event, EVENT);
        const seq = data.measurements.seq;
        if (last !== undefined) {
          assert.equal(seq, last + 1 + pending, `after ${last} and a gap of ${pending}`);
        }
        last = seq;
        pending = 0;
        delivered++;
      }
    }
    assert.ok(gaps > 0, `the slow reader was told of drops (${delivered} delivered)`);
    assert.ok(dropped > QUEUE, `${dropped} dropped`);

    // Both gone: every handler detached, both stream slots free again.
    await waitFor("handlers back to the baseline", () => handlers() === baseline || undefined, {
      timeoutMs: 5000,
      everyMs: 20,
    });
    const again = new AbortController();
    const streams = await Promise.all(
      Array.from(
        { length: MAX_CLIENTS },
        () =>
          fetch(`http://127.0.0.1:${server.port}/events`, { headers: auth, signal: again.signal }),
      ),
    );
    assert.deepEqual(streams.map((r) => r.status), Array(MAX_CLIENTS).fill(200));
    const extra = await fetch(`http://127.0.0.1:${server.port}/events`, { headers: auth });
    assert.equal(extra.status, 503);
    await extra.body?.cancel();
    again.abort();
    for (const stream of streams) await stream.body?.cancel().catch(() => {});
    await waitFor(
      "handlers back to the baseline again",
      () => handlers() === baseline || undefined,
      {
        timeoutMs: 5000,
        everyMs: 20,
      },
    );

    const growth = Math.max(peakHeap, heapUsed()) - heapBefore;
    assert.ok(growth < 64 * 1024 * 1024, `heap grew by ${(growth / 1048576).toFixed(1)} MB`);
    console.log(
      `sse bounds: ${delivered} delivered, ${dropped} dropped in ${gaps} gaps, ` +
        `heap +${(growth / 1048576).toFixed(1)} MB (peak)`,
    );
  });
});
