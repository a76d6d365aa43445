/**
 * Authentication of every route but `/health`: a bearer token or the
 * `beamlet_token` cookie, compared in constant time, or the user's own
 * middleware. Without auth options every request is refused (401).
 *
 * @module
 */

import type { Context, MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import { timingSafeEqual } from "hono/utils/buffer";
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

/** Checks `auth` and builds the middleware that guards the routes. */
export function authMiddleware(auth: TelemetryAuth | undefined): MiddlewareHandler {
  if (auth === undefined) {
    return (c) => Promise.resolve(errorResponse(c, 401, "unauthorized"));
  }
  if (typeof auth !== "object" || auth === null) {
    throw new TypeError("createTelemetryApp: auth must be { token } or { middleware }");
  }
  if ("middleware" in auth) {
    if (typeof auth.middleware !== "function") {
      throw new TypeError("createTelemetryApp: auth.middleware must be a Hono middleware");
    }
    return auth.middleware;
  }
  const token = checkToken(auth.token);
  return async (c, next) => {
    if (await tokenMatches(bearerOf(c), token)) return await next();
    if (await tokenMatches(getCookie(c, TOKEN_COOKIE), token)) return await next();
    c.header("WWW-Authenticate", 'Bearer realm="beamlet"');
    return errorResponse(c, 401, "unauthorized");
  };
}

/** The token of `auth`, if auth is by token. */
export function tokenOf(auth: TelemetryAuth | undefined): string | undefined {
  return auth !== undefined && "token" in auth ? auth.token : undefined;
}

function checkToken(token: unknown): string {
  if (typeof token !== "string" || token.length === 0 || token.length > MAX_TOKEN_LENGTH) {
    throw new TypeError(
      `createTelemetryApp: auth.token must be a non-empty string of at most ${MAX_TOKEN_LENGTH} characters`,
    );
  }
  if (!/^[\x21-\x7e]+$/.test(token)) {
    throw new TypeError(
      "createTelemetryApp: auth.token must be printable ASCII without spaces (it travels in a header and a cookie)",
    );
  }
  return token;
}
