/**
 * Authentication of every route but `/health`: a bearer token or the
 * `beamlet_token` cookie, compared in constant time with failed attempts
 * throttled, or the user's own middleware. Without auth options every
 * request is refused (401).
 *
 * @module
 */

import type { Context, MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import { timingSafeEqual } from "hono/utils/buffer";
import { FailureThrottle } from "./_failure_throttle.ts";
import { errorResponse } from "./_http_error.ts";
import type { TelemetryAuth } from "./options.ts";

/** The cookie the dashboard login sets (HttpOnly, SameSite=Strict). */
export const TOKEN_COOKIE = "beamlet_token";

/**
 * How tokens are compared: hono's `timingSafeEqual` (hashes both sides,
 * then compares every character), so a wrong guess takes as long whatever
 * its common prefix with the token.
 */
export const compareTokens: typeof timingSafeEqual = timingSafeEqual;

/** Tokens longer than this are refused unread (the hash would cost the server, not the caller). */
const MAX_TOKEN_LENGTH = 4096;

/** Whether `given` is the token (constant time in the token's content). */
export async function tokenMatches(given: string | undefined, expected: string): Promise<boolean> {
  if (given === undefined || given.length === 0 || given.length > MAX_TOKEN_LENGTH) return false;
  return await compareTokens(given, expected);
}

/** The bearer token of `Authorization`, if any. */
function bearerOf(c: Context): string | undefined {
  const header = c.req.header("Authorization");
  if (header === undefined) return undefined;
  const match = /^Bearer +([^ ]+) *$/i.exec(header);
  return match?.[1];
}

/** Tokens shorter than this are refused at creation: a short token is a guessable one. */
export const MIN_TOKEN_LENGTH = 16;

/** How the app authenticates: the guard of its routes, and the token and its throttle if any. */
export interface ResolvedAuth {
  readonly middleware: MiddlewareHandler;
  /** The token, when auth is by token (the dashboard login needs it). */
  readonly token: string | undefined;
  /** The failed-attempt budget of token auth. */
  readonly throttle: FailureThrottle | undefined;
}

/**
 * The answer to a request presenting a token while its budget is spent:
 * 429 with `Retry-After` (whole seconds), the token not compared.
 */
export function throttled(c: Context, retryAfterMs: number): Response {
  c.header("Retry-After", String(Math.max(1, Math.ceil(retryAfterMs / 1000))));
  return errorResponse(c, 429, "too many failed attempts");
}

/** Checks `auth` and builds the middleware that guards the routes; `now` is the throttle's clock. */
export function resolveAuth(auth: TelemetryAuth | undefined, now: () => number): ResolvedAuth {
  if (auth === undefined) {
    return {
      middleware: (c) => Promise.resolve(errorResponse(c, 401, "unauthorized")),
      token: undefined,
      throttle: undefined,
    };
  }
  if (typeof auth !== "object" || auth === null) {
    throw new TypeError("createTelemetryApp: auth must be { token } or { middleware }");
  }
  if ("middleware" in auth) {
    if (typeof auth.middleware !== "function") {
      throw new TypeError("createTelemetryApp: auth.middleware must be a Hono middleware");
    }
    return { middleware: auth.middleware, token: undefined, throttle: undefined };
  }
  const token = checkToken(auth.token);
  const throttle = new FailureThrottle(auth.throttle, now);
  const middleware: MiddlewareHandler = async (c, next) => {
    const bearer = bearerOf(c);
    const cookie = getCookie(c, TOKEN_COOKIE);
    if (bearer !== undefined || cookie !== undefined) {
      const key = throttle.keyOf(c);
      const wait = throttle.retryAfterMs(key);
      if (wait > 0) return throttled(c, wait);
      if (await tokenMatches(bearer, token)) return await next();
      if (await tokenMatches(cookie, token)) return await next();
      throttle.fail(key);
    }
    c.header("WWW-Authenticate", 'Bearer realm="beamlet"');
    return errorResponse(c, 401, "unauthorized");
  };
  return { middleware, token, throttle };
}

function checkToken(token: unknown): string {
  if (
    typeof token !== "string" || token.length < MIN_TOKEN_LENGTH || token.length > MAX_TOKEN_LENGTH
  ) {
    throw new TypeError(
      `createTelemetryApp: auth.token must be a string of ${MIN_TOKEN_LENGTH} to ${MAX_TOKEN_LENGTH} characters (a long random secret)`,
    );
  }
  if (!/^[\x21-\x7e]+$/.test(token)) {
    throw new TypeError(
      "createTelemetryApp: auth.token must be printable ASCII without spaces (it travels in a header and a cookie)",
    );
  }
  return token;
}
