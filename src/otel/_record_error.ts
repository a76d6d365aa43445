/**
 * Marks a span as failed.
 *
 * @module
 */

import { type Span, SpanStatusCode } from "@opentelemetry/api";
import { inspect, isError } from "../_inspect.ts";
import * as errors from "../errors.ts";

/**
 * Records `error` on `span` as an exception event and sets its status to
 * ERROR. Never throws, whatever `error` is (a tracer must not throw).
 */
export function recordError(span: Span, error: unknown): void {
  const message = describe(error);
  span.recordException(isError(error) ? asException(error) : message);
  span.setStatus({ code: SpanStatusCode.ERROR, message });
}

/**
 * The SDK takes an error's `code` for `exception.type` when it has one; the
 * runtime's own errors carry a short code (`"timeout"`, `"noproc"`) for the
 * wire, and their class name is the type a trace shows.
 */
function asException(error: Error): Error | { name: string; message: string; stack?: string } {
  try {
    if (!RUNTIME_ERRORS.some((type) => error instanceof type)) return error;
    return { name: error.name, message: error.message, stack: error.stack };
  } catch {
    return error;
  }
}

const RUNTIME_ERRORS: (abstract new (...args: never[]) => Error)[] = Object.values(errors);

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
