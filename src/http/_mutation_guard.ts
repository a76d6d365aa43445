/**
 * The guards of routes that change the system. In front of auth, the
 * method: anything but POST answers 405 with `Allow: POST` (OPTIONS
 * included: there is no CORS here). Behind auth: 403 unless the mutation is
 * enabled and the request proves it comes from an accepted origin (see
 * `_origin_policy.ts`).
 *
 * @module
 */

import type { MiddlewareHandler } from "hono";
import { errorResponse } from "./_http_error.ts";
import { checkOrigin, type PublicOrigins } from "./_origin_policy.ts";

/** Answers 405 to anything but POST; lets POST on (to auth, then the route). */
export const postOnly: MiddlewareHandler = async (c, next) => {
  if (c.req.method === "POST") return await next();
  c.header("Allow", "POST");
  return errorResponse(c, 405, "method not allowed");
};

/** The guard of one mutation, enabled or not, for requests from `origins`. */
export function mutationGuard(enabled: boolean, origins: PublicOrigins): MiddlewareHandler {
  return async (c, next) => {
    if (!enabled) return errorResponse(c, 403, "mutation disabled");
    const verdict = checkOrigin({
      url: c.req.url,
      origin: c.req.header("Origin"),
      secFetchSite: c.req.header("Sec-Fetch-Site"),
      referer: c.req.header("Referer"),
    }, origins);
    if (!verdict.ok) return errorResponse(c, 403, verdict.reason);
    return await next();
  };
}
