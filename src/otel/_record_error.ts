/**
 * Marks a span as failed.
 *
 * @module
 */

import { type Span, SpanStatusCode } from "@opentelemetry/api";
import { inspect, isError } from "../_inspect.ts";

/**
 * Records `error` on `span` as an exception event and sets its status to
 * ERROR. Never throws, whatever `error` is (a tracer must not throw).
 */
export function recordError(span: Span, error: unknown): void {
  const message = describe(error);
  span.recordException(isError(error) ? error : message);
  span.setStatus({ code: SpanStatusCode.ERROR, message });
}

function describe(error: unknown): string {
  if (isError(error)) {
    try {
      const message = error.message;
      if (typeof message === "string") return message;
    } catch {
      // an unreadable message: described like any other value below
    }
  }
  return inspect(error, 200);
}
