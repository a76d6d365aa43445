/**
 * Client errors of the routes: thrown by the request parsers, answered as
 * `{ "error": "<short message>" }` with their status by the app's error
 * handler (anything else is a 500 that leaks nothing).
 *
 * @module
 */

import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import {
  MalformedObserveRequestError,
  ProcessNotFoundError,
  WalkerClosedError,
} from "../observe/errors.ts";

/** A request the routes refuse, with the status and the short message to answer. */
export class HttpError extends Error {
  /** The HTTP status to answer (4xx or 503). */
  readonly status: ContentfulStatusCode;

  /** Built by the request parsers and guards. */
  constructor(status: ContentfulStatusCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "HttpError";
    this.status = status;
  }
}

/** The JSON error body the routes answer: `{ "error": message }`. */
export function errorResponse(c: Context, status: ContentfulStatusCode, message: string): Response {
  c.header("Cache-Control", "no-store");
  return c.json({ error: message }, status);
}

/**
 * The app's error handler: an `HttpError` as its status, a malformed
 * request to the observer as 400, a process it cannot find as 404, a closed
 * app's walker as 503, anything else as a bare 500.
 */
export function onError(error: unknown, c: Context): Response {
  if (error instanceof HttpError) return errorResponse(c, error.status, error.message);
  if (error instanceof MalformedObserveRequestError) return errorResponse(c, 400, error.message);
  if (error instanceof ProcessNotFoundError) return errorResponse(c, 404, error.message);
  if (error instanceof WalkerClosedError) return errorResponse(c, 503, "closed");
  return errorResponse(c, 500, "internal error");
}
