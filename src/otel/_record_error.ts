/**
 * Marks a span as failed.
 *
 * @module
 */

import { type Span, SpanStatusCode } from "@opentelemetry/api";

/**
 * Records `error` on `span` as an exception event and sets its status to
 * ERROR. Never throws, whatever `error` is (a tracer must not throw).
 */
export function recordError(span: Span, error: unknown): void {
  const message = describe(error);
  span.recordException(error instanceof Error ? error : message);
  span.setStatus({ code: SpanStatusCode.ERROR, message });
}

function describe(error: unknown): string {
  try {
    return error instanceof Error ? error.message : String(error);
  } catch {
    return Object.prototype.toString.call(error);
  }
}
