/**
 * `openTelemetryTracer` as `SystemOptions.tracer`: spans of real calls,
 * casts and sends through a running system, against a real OpenTelemetry SDK.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { context, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { openTelemetryTracer } from "../../src/otel/mod.ts";
import { System } from "../../src/system.ts";
import { type GenServer, noreply, ok, reply } from "../../src/gen_server.ts";
import type { Pid } from "../../src/pid.ts";
import { CallTimeoutError } from "../../src/errors.ts";
import { createTestSystem } from "../../src/testing/test_system.ts";
import { parentId, same, type Sdk, withSdk } from "./_sdk.ts";

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

/** A server whose handlers start spans of their own, before and after an await. */
function worker(
  sdk: Sdk,
): GenServer<number, undefined, "sync" | "async" | "crash", number, number> {
  return {
    init: () => ok(0),
    handleCall: async (request, _from, n) => {
      if (request === "crash") throw new Error("handler failed");
      if (request === "sync") {
        sdk.app.startSpan("work sync").end();
        return reply(n, n);
      }
      await tick();
      sdk.app.startSpan("work async").end();
      return reply(n, n);
    },
    handleCast: (add, n) => {
      sdk.app.startSpan("work cast").end();
      return noreply(n + add);
    },
    handleInfo: (message, n) => {
      sdk.app.startSpan("work info").end();
      return noreply(typeof message === "number" ? n + message : n);
    },
  };
}

function tracedSystem(sdk: Sdk): System {
  return new System({
    tracer: openTelemetryTracer({ tracerProvider: sdk.provider }),
    logger: null,
  });
}

describe("openTelemetryTracer in a System", () => {
  it("traces a call from the caller's span into sync and async handlers", () =>
    withSdk(async (sdk) => {
      const system = tracedSystem(sdk);
      const pid = await system.start(worker(sdk), undefined, { name: "worker" });
      const outer = sdk.app.startSpan("outer");
      await context.with(trace.setSpan(context.active(), outer), async () => {
        assert.equal(await system.call(pid, "sync"), 0);
        assert.equal(trace.getActiveSpan(), outer, "the caller's span is active after the call");
        assert.equal(await system.call(pid, "async"), 0);
        assert.equal(trace.getActiveSpan(), outer);
      });
      outer.end();
      system.shutdown();

      const clients = sdk.spans().filter((s) => s.name === "call worker");
      const servers = sdk.spans().filter((s) => s.name === "handleCall worker");
      const queues = sdk.spans().filter((s) => s.name === "queue worker");
      assert.equal(clients.length, 2);
      assert.equal(servers.length, 2);
      assert.equal(queues.length, 2);
      for (const [i, work] of ["work sync", "work async"].entries()) {
        const client = clients[i];
        assert.equal(client.kind, SpanKind.CLIENT);
        assert.equal(client.spanContext().traceId, outer.spanContext().traceId);
        assert.equal(parentId(client), outer.spanContext().spanId);
        const server = servers.find((s) => parentId(s) === client.spanContext().spanId);
        const queue = queues.find((s) => parentId(s) === client.spanContext().spanId);
        assert.ok(server !== undefined && queue !== undefined, "server and queue spans per call");
        assert.equal(server.kind, SpanKind.SERVER);
        assert.equal(typeof server.attributes["beamlet.queue_time_ms"], "number");
        assert.ok(queue.duration[0] >= 0 && queue.duration[1] >= 0);
        assert.equal(parentId(sdk.span(work)), server.spanContext().spanId);
        assert.equal(client.status.code, SpanStatusCode.UNSET);
      }
    }));

  it("nests a call made inside a handler under that handler's span", () =>
    withSdk(async (sdk) => {
      const system = tracedSystem(sdk);
      const inner = await system.start(worker(sdk), undefined, { name: "inner" });
      const front = await system.start<null, undefined>(
        {
          init: () => ok(null),
          handleCall: async (_request: "go", _from, state) =>
            reply(await system.call(inner, "async"), state),
        },
        undefined,
        { name: "front" },
      );
      await sdk.app.startActiveSpan("request", async (span) => {
        await system.call(front, "go");
        span.end();
      });
      system.shutdown();

      const frontServer = sdk.span("handleCall front");
      const innerClient = sdk.span("call inner");
      assert.equal(parentId(innerClient), frontServer.spanContext().spanId);
      assert.equal(parentId(sdk.span("handleCall inner")), innerClient.spanContext().spanId);
      assert.equal(
        parentId(sdk.span("work async")),
        sdk.span("handleCall inner").spanContext().spanId,
      );
      const traceIds = new Set(sdk.spans().map((s) => s.spanContext().traceId));
      assert.equal(traceIds.size, 1, "one trace from the request down");
    }));

  it("links casts and sends to PRODUCER spans in the sender's trace", () =>
    withSdk(async (sdk) => {
      const system = tracedSystem(sdk);
      const pid = await system.start(worker(sdk), undefined, { name: "worker" });
      await sdk.app.startActiveSpan("outer", async (outer) => {
        system.cast(pid, 2);
        system.send(pid, 3);
        assert.equal(await system.call(pid, "sync"), 5, "cast and send were handled first");
        outer.end();
      });
      system.cast(pid, 1); // no active span: no PRODUCER, no link
      assert.equal(await system.call(pid, "sync"), 6);
      system.shutdown();

      const outer = sdk.span("outer");
      const producer = sdk.span("cast worker");
      const sender = sdk.span("send worker");
      for (const s of [producer, sender]) {
        assert.equal(s.kind, SpanKind.PRODUCER);
        assert.equal(parentId(s), outer.spanContext().spanId);
      }
      const [linked, unlinked] = sdk.spans().filter((s) => s.name === "handleCast worker");
      assert.equal(linked.kind, SpanKind.CONSUMER);
      assert.equal(parentId(linked), undefined);
      assert.notEqual(linked.spanContext().traceId, outer.spanContext().traceId);
      assert.ok(same(linked.links[0]?.context, producer.spanContext()));
      assert.deepEqual(unlinked.links, []);
      assert.equal(parentId(unlinked), undefined);

      const info = sdk.span("handleInfo worker");
      assert.ok(same(info.links[0]?.context, sender.spanContext()));
      const workCasts = sdk.spans().filter((s) => s.name === "work cast");
      assert.equal(parentId(workCasts[0]), linked.spanContext().spanId);
      assert.equal(parentId(sdk.span("work info")), info.spanContext().spanId);
    }));

  it("marks the handler's and the caller's spans ERROR when the handler throws", () =>
    withSdk(async (sdk) => {
      const system = tracedSystem(sdk);
      const pid = await system.start(worker(sdk));
      await assert.rejects(system.call(pid, "crash"));
      system.shutdown();
      const server = sdk.spans().find((s) => s.name.startsWith("handleCall"));
      const client = sdk.spans().find((s) => s.name.startsWith("call"));
      assert.equal(server?.status.code, SpanStatusCode.ERROR);
      assert.equal(server?.status.message, "handler failed");
      assert.equal(server?.events[0]?.name, "exception");
      assert.equal(client?.status.code, SpanStatusCode.ERROR);
    }));

  it("marks the client span ERROR when the call times out (virtual clock)", () =>
    withSdk(async (sdk) => {
      const t = createTestSystem({ tracer: openTelemetryTracer({ tracerProvider: sdk.provider }) });
      const silent: Pid = await t.start(
        {
          init: () => ok(null),
          handleCall: (_request: unknown, _from, state: null) => noreply(state),
        },
        undefined,
        { name: "silent" },
      );
      const outcome = t.system.call(silent, "hello", { timeout: 100 }).catch((error) => error);
      await t.runUntilIdle();
      await t.advance(100);
      assert.ok(await outcome instanceof CallTimeoutError);
      t.dispose();

      const client = sdk.span("call silent");
      assert.equal(client.status.code, SpanStatusCode.ERROR);
      assert.equal(client.events[0]?.attributes?.["exception.type"], "CallTimeoutError");
      const server = sdk.span("handleCall silent");
      assert.equal(server.status.code, SpanStatusCode.UNSET, "the handler itself did not fail");
      assert.equal(parentId(server), client.spanContext().spanId);
    }));

  it("a sendAfter message links to the span that set the timer, not to whoever fired it", () =>
    withSdk(async (sdk) => {
      const system = tracedSystem(sdk);
      const pid = await system.start(worker(sdk), undefined, { name: "timed" });
      const setter = sdk.app.startSpan("setter");
      context.with(trace.setSpan(context.active(), setter), () => system.sendAfter(pid, 1, 5));
      setter.end();
      // A later timer set with no span active is not linked to "setter".
      system.sendAfter(pid, 2, 10);
      await new Promise((resolve) => setTimeout(resolve, 40));
      await system.call(pid, "sync");
      await system.shutdown();
      const infos = sdk.spans().filter((s) => s.name === "handleInfo timed");
      assert.equal(infos.length, 2);
      const producer = sdk.spans().find((s) =>
        s.name === "send timed" && s.spanContext().traceId === setter.spanContext().traceId
      );
      assert.ok(producer, "the PRODUCER span of the timer is in the setter's trace");
      assert.ok(same(infos[0].links[0]?.context, producer.spanContext()));
      assert.deepEqual(infos[1].links, []);
    }));

  it("init, handleContinue and terminate run in an empty context, not the waker's", () =>
    withSdk(async (sdk) => {
      const system = tracedSystem(sdk);
      const seen: (string | undefined)[] = [];
      const active = () => trace.getActiveSpan()?.spanContext().spanId;
      const pid = await system.start<number, undefined>({
        init: () => {
          seen.push(active());
          return ok(0);
        },
        handleCall: (_r, _f, n) => reply(n, n, { continue: "after" }),
        handleContinue: (_c, n) => {
          seen.push(active());
          return noreply(n);
        },
        terminate: () => void seen.push(active()),
      });
      const outer = sdk.app.startSpan("outer");
      await context.with(trace.setSpan(context.active(), outer), async () => {
        await system.call(pid, "go");
        await system.stop(pid);
      });
      outer.end();
      await system.shutdown();
      assert.deepEqual(seen, [undefined, undefined, undefined]);
    }));
});
