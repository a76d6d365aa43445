/**
 * A real OpenTelemetry SDK for the otel tests (private: not a test file):
 * spans exported into memory, the active context kept by
 * `AsyncLocalStorageContextManager`, and cleanup of the global it sets.
 *
 * @module
 */

import { context, type SpanContext, type Tracer } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import assert from "node:assert/strict";

/** What a test gets from {@linkcode withSdk}. */
export interface Sdk {
  readonly provider: BasicTracerProvider;
  /** A tracer for the test's own spans (the "application"). */
  readonly app: Tracer;
  /** The spans ended so far. */
  spans(): ReadableSpan[];
  /** The one ended span named `name`. */
  span(name: string): ReadableSpan;
}

/**
 * Runs `test` with a fresh SDK and the global context manager set to an
 * AsyncLocalStorage one; restores the global afterwards, whatever happens.
 */
export async function withSdk(test: (sdk: Sdk) => unknown): Promise<void> {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const manager = new AsyncLocalStorageContextManager().enable();
  context.disable();
  assert.ok(context.setGlobalContextManager(manager), "the context manager registers");
  const spans = () => exporter.getFinishedSpans();
  try {
    await test({
      provider,
      app: provider.getTracer("app"),
      spans,
      span: (name) => {
        const found = spans().filter((s) => s.name === name);
        assert.equal(found.length, 1, `one span named ${name} in ${spans().map((s) => s.name)}`);
        return found[0];
      },
    });
  } finally {
    context.disable();
    manager.disable();
    await provider.shutdown();
  }
}

/** The span id of `span`'s parent, or undefined for a root span. */
export function parentId(span: ReadableSpan): string | undefined {
  return span.parentSpanContext?.spanId;
}

/** Whether `a` and `b` are the same span. */
export function same(a: SpanContext | undefined, b: SpanContext): boolean {
  return a !== undefined && a.traceId === b.traceId && a.spanId === b.spanId;
}

/** Milliseconds of an OpenTelemetry `[seconds, nanoseconds]` time. */
export function millis([seconds, nanos]: readonly [number, number]): number {
  return seconds * 1000 + nanos / 1e6;
}
