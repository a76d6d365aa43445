/**
 * The guard of routes that change the system: they answer 403 unless the
 * mutation is enabled, the method is not GET or HEAD, and a request with an
 * `Origin` header comes from the app's own origin (no cross-site POST).
 * Authentication runs before it.
 *
 * @module
 */

import type { MiddlewareHandler } from "hono";
import { errorResponse } from "./_http_error.ts";

/** The guard of one mutation, enabled or not. */
export function mutationGuard(enabled: boolean): MiddlewareHandler {
  return async (c, next) => {
    if (!enabled) return errorResponse(c, 403, "mutation disabled");
    const method = c.req.method;
    if (method === "GET" || method === "HEAD") return errorResponse(c, 403, "method not allowed");
    const origin = c.req.header("Origin");
    if (origin !== undefined && origin !== new URL(c.req.url).origin) {
      return errorResponse(c, 403, "cross-origin request");
    }
    return await next();
  };
}
