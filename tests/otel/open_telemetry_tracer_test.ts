/**
 * `openTelemetryTracer` driven by hand, in the order the runtime calls a
 * `MessageTracer`, against a real OpenTelemetry SDK.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  type Context,
  context,
  propagation,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from "@opentelemetry/api";
import { openTelemetryTracer } from "../../src/otel/mod.ts";
import { Pid } from "../../src/pid.ts";
import type { TracedProcess } from "../../src/tracing/message_tracer.ts";
import { CallTimeoutError } from "../../src/errors.ts";
import { millis, parentId, same, withSdk } from "./_sdk.ts";

const anonymous: TracedProcess = { pid: new Pid(7), name: undefined };
const counter: TracedProcess = { pid: new Pid(8), name: "counter" };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("openTelemetryTracer: calls", () => {
  it("nests client, queue and server spans under the caller's span", () =>
    withSdk(async ({ app, provider, span }) => {
      const tracer = openTelemetryTracer({ tracerProvider: provider });
      const outer = app.startSpan("outer");
      const sent = contextWith(rootWith(outer), () => tracer.send("call", anonymous));
      await sleep(5);
      const scope = tracer.handleStart(sent, "call", anonymous, 5);
      const result = tracer.run(
        scope,
        (a: number, b: number) => {
          app.startSpan("inside").end();
          return a + b;
        },
        1,
        2,
      );
      assert.equal(result, 3);
      tracer.handleEnd(scope, undefined);
      tracer.callEnd(sent, undefined);
      outer.end();

      const client = span("call #PID<0.7.0>");
      const queue = span("queue #PID<0.7.0>");
      const server = span("handleCall #PID<0.7.0>");
      assert.equal(client.kind, SpanKind.CLIENT);
      assert.equal(client.spanContext().traceId, outer.spanContext().traceId);
      assert.equal(parentId(client), outer.spanContext().spanId);
      assert.deepEqual(client.attributes, {
        "messaging.system": "beamlet",
        "messaging.operation.type": "send",
        "messaging.operation.name": "call",
        "messaging.destination.name": "#PID<0.7.0>",
        "messaging.destination.anonymous": true,
        "beamlet.pid": "#PID<0.7.0>",
      });

      assert.equal(queue.kind, SpanKind.INTERNAL);
      assert.equal(parentId(queue), client.spanContext().spanId);
      assert.ok(millis(queue.duration) >= 3, `queued for ${millis(queue.duration)} ms`);
      assert.equal(queue.attributes["beamlet.queue_time_ms"], 5);

      assert.equal(server.kind, SpanKind.SERVER);
      assert.equal(server.spanContext().traceId, outer.spanContext().traceId);
      assert.equal(parentId(server), client.spanContext().spanId);
      assert.equal(server.attributes["beamlet.queue_time_ms"], 5);
      assert.equal(server.attributes["messaging.operation.type"], "process");
      assert.equal(server.attributes["messaging.operation.name"], "handleCall");
      assert.equal(parentId(span("inside")), server.spanContext().spanId);
      for (const s of [client, queue, server]) assert.equal(s.status.code, SpanStatusCode.UNSET);
    }));

  it("keeps the server span active across awaits of an async handler", () =>
    withSdk(async ({ app, provider, span }) => {
      const tracer = openTelemetryTracer({ tracerProvider: provider });
      const sent = tracer.send("call", counter);
      const scope = tracer.handleStart(sent, "call", counter, 0);
      const done = tracer.run(scope, async () => {
        await sleep(1);
        app.startSpan("after await").end();
        await Promise.resolve();
        return app.startActiveSpan("active child", (child) => {
          app.startSpan("grandchild").end();
          child.end();
          return "done";
        });
      });
      assert.equal(trace.getActiveSpan(), undefined, "run leaves no context behind");
      assert.equal(await done, "done");
      tracer.handleEnd(scope, undefined);
      tracer.callEnd(sent, undefined);

      const server = span("handleCall counter");
      assert.equal(parentId(span("after await")), server.spanContext().spanId);
      assert.equal(parentId(span("active child")), server.spanContext().spanId);
      assert.equal(parentId(span("grandchild")), span("active child").spanContext().spanId);
      assert.equal(span("call counter").attributes["messaging.destination.anonymous"], false);
      assert.equal(span("call counter").attributes["beamlet.pid"], "#PID<0.8.0>");
    }));

  it("restores the caller's context after run, even when the callback throws", () =>
    withSdk(({ app, provider }) => {
      const tracer = openTelemetryTracer({ tracerProvider: provider });
      const outer = app.startSpan("outer");
      contextWith(rootWith(outer), () => {
        const sent = tracer.send("call", anonymous);
        assert.equal(trace.getActiveSpan(), outer, "send leaves the caller's span active");
        const scope = tracer.handleStart(sent, "call", anonymous, 0);
        assert.equal(trace.getActiveSpan(), outer);
        assert.throws(() =>
          tracer.run(scope, () => {
            assert.notEqual(trace.getActiveSpan(), outer);
            throw new Error("boom");
          }), /boom/);
        assert.equal(trace.getActiveSpan(), outer);
        tracer.handleEnd(scope, new Error("boom"));
        tracer.callEnd(sent, undefined);
        assert.equal(trace.getActiveSpan(), outer);
      });
      assert.equal(trace.getActiveSpan(), undefined);
      outer.end();
    }));

  it("marks the server span ERROR with the exception when the handler throws", () =>
    withSdk(({ provider, span }) => {
      const tracer = openTelemetryTracer({ tracerProvider: provider });
      const sent = tracer.send("call", counter);
      const scope = tracer.handleStart(sent, "call", counter, 0);
      const error = new TypeError("bad request");
      tracer.handleEnd(scope, error);
      tracer.callEnd(sent, error);

      const server = span("handleCall counter");
      assert.deepEqual(server.status, { code: SpanStatusCode.ERROR, message: "bad request" });
      const [event] = server.events;
      assert.equal(event.name, "exception");
      assert.equal(event.attributes?.["exception.type"], "TypeError");
      assert.equal(event.attributes?.["exception.message"], "bad request");
      assert.equal(span("call counter").status.code, SpanStatusCode.ERROR);
    }));

  it("marks the client span ERROR on a timeout, with the server span apart", () =>
    withSdk(({ provider, span }) => {
      const tracer = openTelemetryTracer({ tracerProvider: provider });
      const sent = tracer.send("call", counter);
      tracer.callEnd(sent, new CallTimeoutError("counter", "get", 5000));
      const client = span("call counter");
      assert.equal(client.status.code, SpanStatusCode.ERROR);
      assert.equal(client.events[0].attributes?.["exception.type"], "CallTimeoutError");
      // The callee handles the request late: its spans still end, in the same trace.
      const scope = tracer.handleStart(sent, "call", counter, 6000);
      tracer.handleEnd(scope, undefined);
      const server = span("handleCall counter");
      assert.equal(parentId(server), client.spanContext().spanId);
      assert.equal(server.status.code, SpanStatusCode.UNSET);
    }));

  it("records errors that are not Errors as a message", () =>
    withSdk(({ provider, span }) => {
      const tracer = openTelemetryTracer({ tracerProvider: provider });
      const sent = tracer.send("call", counter);
      const scope = tracer.handleStart(sent, "call", counter, 0);
      tracer.handleEnd(scope, "killed");
      const hostile = {
        toString() {
          throw new Error("no");
        },
      };
      tracer.callEnd(sent, hostile);
      assert.deepEqual(span("handleCall counter").status, {
        code: SpanStatusCode.ERROR,
        message: "killed",
      });
      // Printed by the runtime's never-throwing printer, as every reason is.
      assert.deepEqual(span("call counter").status, {
        code: SpanStatusCode.ERROR,
        message: '{"toString":[Function toString]}',
      });
    }));

  it("starts a new trace for a call made with no active span", () =>
    withSdk(({ provider, span }) => {
      const tracer = openTelemetryTracer({ tracerProvider: provider });
      const sent = tracer.send("call", counter);
      const scope = tracer.handleStart(sent, "call", counter, 0);
      tracer.handleEnd(scope, undefined);
      tracer.callEnd(sent, undefined);
      const client = span("call counter");
      assert.equal(parentId(client), undefined);
      assert.equal(parentId(span("handleCall counter")), client.spanContext().spanId);
    }));
});

describe("openTelemetryTracer: casts and plain messages", () => {
  it("links the handler's new trace to a PRODUCER span under the sender's span", () =>
    withSdk(({ app, provider, span, spans }) => {
      const tracer = openTelemetryTracer({ tracerProvider: provider });
      const outer = app.startSpan("outer");
      const sent = contextWith(rootWith(outer), () => tracer.send("cast", counter));
      const producer = span("cast counter");
      assert.equal(producer.kind, SpanKind.PRODUCER);
      assert.equal(parentId(producer), outer.spanContext().spanId);
      assert.equal(producer.attributes["messaging.operation.type"], "send");

      const scope = tracer.handleStart(sent, "cast", counter, 12);
      tracer.run(scope, () => app.startSpan("inside").end());
      tracer.handleEnd(scope, undefined);
      outer.end();

      const consumer = span("handleCast counter");
      assert.equal(consumer.kind, SpanKind.CONSUMER);
      assert.equal(parentId(consumer), undefined, "a new trace");
      assert.notEqual(consumer.spanContext().traceId, outer.spanContext().traceId);
      assert.equal(consumer.links.length, 1);
      assert.ok(same(consumer.links[0].context, producer.spanContext()));
      assert.equal(consumer.attributes["beamlet.queue_time_ms"], 12);
      assert.equal(consumer.attributes["messaging.operation.name"], "handleCast");
      assert.equal(parentId(span("inside")), consumer.spanContext().spanId);
      assert.equal(spans().filter((s) => s.name.startsWith("queue")).length, 0);
    }));

  it("names plain messages send / handleInfo", () =>
    withSdk(({ app, provider, span }) => {
      const tracer = openTelemetryTracer({ tracerProvider: provider });
      const outer = app.startSpan("outer");
      const sent = contextWith(rootWith(outer), () => tracer.send("info", anonymous));
      const scope = tracer.handleStart(sent, "info", anonymous, 0);
      tracer.handleEnd(scope, new Error("crash"));
      const consumer = span("handleInfo #PID<0.7.0>");
      assert.ok(same(consumer.links[0].context, span("send #PID<0.7.0>").spanContext()));
      assert.equal(consumer.status.code, SpanStatusCode.ERROR);
    }));

  it("handles a cast sent with no active span as a root without links", () =>
    withSdk(({ provider, span, spans }) => {
      const tracer = openTelemetryTracer({ tracerProvider: provider });
      const sent = tracer.send("cast", counter);
      assert.equal(spans().length, 0, "no PRODUCER span without a sender span");
      const scope = tracer.handleStart(sent, "cast", counter, 0);
      tracer.run(scope, () => {});
      tracer.handleEnd(scope, undefined);
      const consumer = span("handleCast counter");
      assert.equal(parentId(consumer), undefined);
      assert.deepEqual(consumer.links, []);
    }));

  it("carries the sender's baggage to the handler", () =>
    withSdk(({ provider }) => {
      const tracer = openTelemetryTracer({ tracerProvider: provider });
      const baggage = propagation.createBaggage({ tenant: { value: "acme" } });
      const sent = contextWith(
        propagation.setBaggage(rootWith(undefined), baggage),
        () => tracer.send("cast", counter),
      );
      const scope = tracer.handleStart(sent, "cast", counter, 0);
      const tenant = tracer.run(scope, () => propagation.getActiveBaggage()?.getEntry("tenant"));
      tracer.handleEnd(scope, undefined);
      assert.equal(tenant?.value, "acme");
    }));
});

describe("openTelemetryTracer: robustness and options", () => {
  it("traces messages whose token it did not make as new traces", () =>
    withSdk(({ provider, span }) => {
      const tracer = openTelemetryTracer({ tracerProvider: provider });
      for (const kind of ["call", "cast", "info"] as const) {
        const scope = tracer.handleStart(undefined, kind, counter, 0);
        tracer.run(scope, () => {});
        tracer.handleEnd(scope, undefined);
      }
      tracer.callEnd(undefined, new Error("ignored"));
      tracer.handleEnd(undefined, undefined);
      assert.equal(tracer.run(undefined, (x: number) => x * 2, 21), 42);
      assert.equal(span("handleCall counter").kind, SpanKind.SERVER);
      assert.equal(parentId(span("handleCall counter")), undefined);
      assert.equal(span("handleInfo counter").kind, SpanKind.CONSUMER);
    }));

  it("does not let the receiver's ambient context into a handling without a sender", () =>
    withSdk(({ app, provider, span }) => {
      const tracer = openTelemetryTracer({ tracerProvider: provider });
      const stale = app.startSpan("stale");
      const baggage = propagation.createBaggage({ leaked: { value: "yes" } });
      const ambient = propagation.setBaggage(rootWith(stale), baggage);
      const seen = contextWith(ambient, () => {
        const scope = tracer.handleStart(undefined, "info", counter, 0);
        const seen = tracer.run(scope, () => propagation.getActiveBaggage());
        tracer.handleEnd(scope, undefined);
        return seen;
      });
      stale.end();
      assert.equal(seen, undefined);
      assert.equal(parentId(span("handleInfo counter")), undefined);
    }));

  it("uses the given tracer, else the given provider's, else the global one's", () =>
    withSdk(({ provider, spans }) => {
      const named = (tracer: ReturnType<typeof openTelemetryTracer>) => {
        tracer.callEnd(tracer.send("call", counter), undefined);
        return spans().at(-1)?.instrumentationScope.name;
      };
      assert.equal(named(openTelemetryTracer({ tracer: provider.getTracer("mine") })), "mine");
      assert.equal(named(openTelemetryTracer({ tracerProvider: provider })), "beamlet");
      assert.equal(named(openTelemetryTracer({ tracerProvider: provider, name: "svc" })), "svc");
      const global = openTelemetryTracer();
      assert.ok(trace.setGlobalTracerProvider(provider));
      try {
        assert.equal(named(global), "beamlet");
      } finally {
        trace.disable();
      }
    }));
});

function rootWith(span: Span | undefined): Context {
  return span === undefined ? ROOT_CONTEXT : trace.setSpan(ROOT_CONTEXT, span);
}

function contextWith<R>(ctx: Context, fn: () => R): R {
  return context.with(ctx, fn);
}
