/**
 * /events: telemetry as server-sent events filtered by prefix, sanitized
 * metadata, a gap marker for a slow reader, heartbeats, the client limit,
 * and release of the handler and the heartbeat timer when the reader
 * cancels, the request aborts, or the app's signal aborts.
 */

import { afterEach, beforeEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import { ok } from "../../../src/gen_server.ts";
import { echo, fixture, frames, json, readUntil } from "../_fixtures.ts";

/** Counts the intervals set and cleared while a test runs. */
const intervals = { live: new Set<unknown>() };
const realSet = globalThis.setInterval;
const realClear = globalThis.clearInterval;

beforeEach(() => {
  intervals.live.clear();
  globalThis.setInterval = ((callback: () => void, ms?: number) => {
    const id = realSet(callback, ms);
    intervals.live.add(id);
    return id;
  }) as typeof setInterval;
  globalThis.clearInterval = ((id?: ReturnType<typeof setInterval>) => {
    intervals.live.delete(id);
    realClear(id);
  }) as typeof clearInterval;
});

afterEach(() => {
  globalThis.setInterval = realSet;
  globalThis.clearInterval = realClear;
});

/** Distinct `/events` handler ids attached now. */
function sseHandlers(f: ReturnType<typeof fixture>): number {
  const ids = f.system.telemetry.listHandlers().map((h) => h.id).filter((id) =>
    typeof id === "symbol" && id.description === "beamlet.http.events"
  );
  return new Set(ids).size;
}

function telemetryFrames(text: string) {
  return frames(text).filter((frame) => frame.event === "telemetry").map((frame) =>
    JSON.parse(frame.data!)
  );
}

describe("GET /events", () => {
  it("streams the events under the prefixes, metadata sanitized", async () => {
    const f = fixture();
    try {
      const pid = (await f.system.start(echo, undefined, { name: "echo" }))!;
      const response = await f.get("/events?prefix=beamlet.call");
      assert.equal(response.status, 200);
      assert.match(response.headers.get("content-type") ?? "", /^text\/event-stream/);
      assert.ok(sseHandlers(f) > 0);
      f.system.cast(pid, 1);
      await f.system.call(pid, "hello");
      const { text, reader } = await readUntil(
        response.body!,
        (text) => text.includes('"event":["beamlet","call","stop"]'),
      );
      await reader.cancel();
      const events = telemetryFrames(text);
      assert.ok(events.length >= 2);
      for (const event of events) assert.deepEqual(event.event.slice(0, 2), ["beamlet", "call"]);
      const stop = events.find((event) => event.event[2] === "stop");
      assert.equal(stop.metadata.pid, String(pid));
      assert.equal(stop.metadata.name, "echo");
      assert.equal(typeof stop.measurements.duration, "number");
    } finally {
      f.close();
    }
  });

  it("/events ships no stack traces or file paths", async () => {
    const f = fixture();
    try {
      const pid = (await f.system.start({
        init: () => ok(null),
        handleCall: () => {
          throw new TypeError(`cannot open ${import.meta.url.replace(/^file:\/\//, "")}:1:1`);
        },
      }))!;
      const response = await f.get(
        "/events?prefix=beamlet.call&prefix=beamlet.process&prefix=app.oops",
      );
      f.system.telemetry.execute(["app", "oops"], {}, {
        error: new Error("nested"),
        stack: new Error("x").stack,
        trace: `Error: y\n    at f (${import.meta.url}:2:3)`,
      });
      await assert.rejects(f.system.call(pid, "crash"));
      const { text, reader } = await readUntil(
        response.body!,
        (text) => text.includes('"exit"]') && text.includes('"exception"]'),
      );
      await reader.cancel();
      assert.doesNotMatch(text, /stacktrace|"stack"|file:|\\n\s*at |\.ts:\d/);
      const events = telemetryFrames(text);
      const exception = events.find((event) => event.event.join(".") === "beamlet.call.exception");
      assert.deepEqual(exception.metadata.reason, {
        name: "TypeError",
        message: "cannot open [path]",
      });
      const custom = events.find((event) => event.event.join(".") === "app.oops");
      assert.deepEqual(custom.metadata, {
        error: { name: "Error", message: "nested" },
        trace: "Error: y",
      });
    } finally {
      f.close();
    }
  });

  it("streams several prefixes and custom events; 400 for a malformed prefix", async () => {
    const f = fixture();
    try {
      const response = await f.get("/events?prefix=app.job&prefix=app.tick");
      f.system.telemetry.execute(["app", "job"], { n: 1 }, { error: new TypeError("bad") });
      f.system.telemetry.execute(["app", "other"], { n: 2 }, {});
      f.system.telemetry.execute(["app", "tick"], { n: 3 }, { big: "x".repeat(10_000) });
      const { text, reader } = await readUntil(response.body!, (text) => text.includes('"n":3'));
      await reader.cancel();
      const events = telemetryFrames(text);
      assert.deepEqual(events.map((event) => event.measurements.n), [1, 3]);
      assert.deepEqual(events[0].metadata.error, { name: "TypeError", message: "bad" });
      assert.ok(events[1].metadata.big.length <= 256);

      for (const prefix of ["", "a..b", "a b", "x".repeat(100), "a.*"]) {
        const bad = await f.get(`/events?prefix=${encodeURIComponent(prefix)}`);
        assert.equal(bad.status, 400, prefix);
        assert.deepEqual(await json(bad), { error: "malformed prefix" });
      }
      assert.equal(sseHandlers(f), 0);
    } finally {
      f.close();
    }
  });

  it("tells a slow reader how many events it missed with a gap event", async () => {
    const f = fixture({ limits: { sseQueueSize: 4 } });
    try {
      const response = await f.get("/events?prefix=app.tick");
      for (let n = 0; n < 100; n++) f.system.telemetry.execute(["app", "tick"], { n }, {});
      const { text, reader } = await readUntil(response.body!, (text) => text.includes('"n":99'));
      await reader.cancel();
      const all = frames(text);
      const gaps = all.filter((frame) => frame.event === "gap");
      assert.equal(gaps.length, 1);
      const { dropped } = JSON.parse(gaps[0].data!);
      const received = telemetryFrames(text).map((event) => event.measurements.n);
      assert.ok(received.length <= 4 + 2, `received ${received.length}`);
      assert.equal(received.length + dropped, 100);
      assert.equal(received.at(-1), 99);
      // The gap sits where the hole is: the frames after it are the newest ones, in order.
      const afterGap = all.slice(all.indexOf(gaps[0]) + 1).map((frame) =>
        JSON.parse(frame.data!).measurements.n
      );
      assert.deepEqual(afterGap, [96, 97, 98, 99]);
    } finally {
      f.close();
    }
  });

  it("sends heartbeats as comments", async () => {
    const f = fixture({ limits: { sseHeartbeatMs: 5 } });
    try {
      const response = await f.get("/events");
      const { text, reader } = await readUntil(response.body!, (text) => text.includes(": ping"));
      await reader.cancel();
      assert.ok(frames(text).some((frame) => frame.comment === "ping"));
    } finally {
      f.close();
    }
  });

  it("detaches the handler and clears the heartbeat when the reader cancels", async () => {
    const f = fixture();
    try {
      const before = f.system.telemetry.listHandlers().length;
      const response = await f.get("/events");
      assert.equal(sseHandlers(f), 1);
      assert.equal(intervals.live.size, 1);
      await response.body!.cancel();
      assert.equal(sseHandlers(f), 0);
      assert.equal(f.system.telemetry.listHandlers().length, before);
      assert.equal(intervals.live.size, 0);
      // Later events reach nobody, and nothing fails.
      const pid = (await f.system.start(echo))!;
      await f.system.call(pid, 1);
      assert.equal(f.system.telemetry.stats().failedHandlers, 0);
    } finally {
      f.close();
    }
  });

  it("releases everything when the request is aborted", async () => {
    const f = fixture();
    try {
      const controller = new AbortController();
      const response = await f.get("/events", { signal: controller.signal });
      assert.equal(sseHandlers(f), 1);
      controller.abort();
      assert.equal(sseHandlers(f), 0);
      assert.equal(intervals.live.size, 0);
      const { reader } = await readUntil(response.body!, () => false);
      assert.equal((await reader.read()).done, true);
    } finally {
      f.close();
    }
  });

  it("answers HEAD without opening a stream", async () => {
    const f = fixture();
    try {
      const response = await f.get("/events", { method: "HEAD" });
      assert.equal(response.status, 200);
      assert.match(response.headers.get("content-type") ?? "", /^text\/event-stream/);
      assert.equal(sseHandlers(f), 0);
      assert.equal(intervals.live.size, 0);
    } finally {
      f.close();
    }
  });

  it("refuses clients beyond maxSseClients with 503, and admits one when a slot frees", async () => {
    const f = fixture({ limits: { maxSseClients: 1 } });
    try {
      const first = await f.get("/events");
      assert.equal(first.status, 200);
      const second = await f.get("/events");
      assert.equal(second.status, 503);
      assert.deepEqual(await json(second), { error: "too many event streams" });
      await first.body!.cancel();
      const third = await f.get("/events");
      assert.equal(third.status, 200);
      await third.body!.cancel();
      assert.equal(sseHandlers(f), 0);
    } finally {
      f.close();
    }
  });

  it("closes every stream and detaches everything when the app's signal aborts", async () => {
    const f = fixture();
    try {
      const idle = f.system.telemetry.listHandlers().length;
      const streams = [await f.get("/events"), await f.get("/events?prefix=app")];
      assert.equal(sseHandlers(f), 2);
      f.controller.abort();
      assert.equal(f.system.telemetry.listHandlers().length, 0, `had ${idle} before`);
      assert.equal(intervals.live.size, 0);
      for (const stream of streams) {
        const { reader } = await readUntil(stream.body!, () => false);
        assert.equal((await reader.read()).done, true);
      }
      const refused = await f.get("/events");
      assert.equal(refused.status, 503);
    } finally {
      f.close();
    }
  });
});
