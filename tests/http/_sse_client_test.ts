/**
 * SseClient on a stand-in stream: it writes gaps before the newest events,
 * pings when idle, and once closed writes nothing, detaches its handler and
 * ends its writer loop.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { SSEStreamingApi } from "hono/streaming";
import { SseClient } from "../../src/http/_sse_client.ts";
import { Telemetry } from "../../src/telemetry/telemetry.ts";

/** A stream that records what is written, each write waiting until `release()`. */
function fakeStream() {
  const written: string[] = [];
  const aborters: (() => void)[] = [];
  let release: () => void = () => {};
  let gate = new Promise<void>((resolve) => (release = resolve));
  const stream = {
    aborted: false,
    writeSSE: async ({ event, data }: { event?: string; data: string }) => {
      written.push(`${event}:${data}`);
      await gate;
    },
    write: async (text: string) => {
      written.push(text);
      await gate;
    },
    onAbort: (listener: () => void) => aborters.push(listener),
    close: () => Promise.resolve(),
  };
  return {
    stream: stream as unknown as SSEStreamingApi,
    written,
    abort: () => aborters.forEach((listener) => listener()),
    open() {
      release();
      gate = Promise.resolve();
    },
  };
}

function client(telemetry: Telemetry, queueSize = 2, heartbeatMs = 60_000) {
  let closes = 0;
  const sse = new SseClient({
    telemetry,
    events: [["app", "tick"]],
    queueSize,
    heartbeatMs,
    requestSignal: undefined,
    onClose: () => closes++,
  });
  return { sse, closes: () => closes };
}

const tick = (telemetry: Telemetry, n: number) => telemetry.execute(["app", "tick"], { n }, {});
const tickData = (n: number) =>
  `telemetry:${JSON.stringify({ event: ["app", "tick"], measurements: { n }, metadata: {} })}`;

describe("SseClient", () => {
  it("writes a gap before the newest events when the reader is slow", async () => {
    const telemetry = new Telemetry();
    const { sse } = client(telemetry);
    const fake = fakeStream();
    const running = sse.run(fake.stream);
    tick(telemetry, 0);
    for (let i = 0; i < 5; i++) await Promise.resolve(); // 0 is being written, the write blocked
    for (let n = 1; n < 6; n++) tick(telemetry, n); // 1..3 are dropped: the queue holds 2
    fake.open();
    for (let i = 0; i < 10; i++) await Promise.resolve();
    sse.close();
    await running;
    assert.deepEqual(fake.written, [
      tickData(0),
      'gap:{"dropped":3}',
      tickData(4),
      tickData(5),
    ]);
  });

  it("once the reader aborts: handler detached, later events and pings write nothing", async () => {
    const telemetry = new Telemetry();
    const { sse, closes } = client(telemetry, 4, 1);
    const fake = fakeStream();
    fake.open();
    const running = sse.run(fake.stream);
    tick(telemetry, 1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    fake.abort();
    await running;
    assert.equal(sse.closed, true);
    assert.equal(closes(), 1);
    assert.deepEqual(telemetry.listHandlers(), []);
    const count = fake.written.length;
    assert.ok(fake.written.includes(tickData(1)));
    tick(telemetry, 2);
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(fake.written.length, count);
    sse.close(); // idempotent
    assert.equal(closes(), 1);
  });
});
