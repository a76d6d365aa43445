/**
 * Authentication of every route but `/health`: a bearer token or the
 * `beamlet_token` cookie, compared in constant time with failed attempts
 * throttled, or the user's own middleware. Without auth options every
 * request is refused (401). Tokens have names (`auth.tokens`, or the one
 * `auth.token` named `auth.name` or `"token"`): the one that matched is set
 * as the `"beamlet.user"` context variable, so actions can say who asked.
 *
 * @module
 */

import type { Context, MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import { timingSafeEqual } from "hono/utils/buffer";
import { FailureThrottle } from "./_failure_throttle.ts";
import { errorResponse } from "./_http_error.ts";
import type { TelemetryAuth } from "./options.ts";
import { USER_VARIABLE } from "./_user.ts";

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

/** Most named tokens (`auth.tokens`): each request compares against all of them. */
export const MAX_TOKENS = 32;

/** What a token name may be: it is shown in answers and log lines. */
const TOKEN_NAME = /^[A-Za-z0-9_.@-]{1,64}$/;

/** The name `auth: { token }` gives its token when it has no `name`. */
export const DEFAULT_TOKEN_NAME = "token";

/** One accepted token and the user it stands for. */
export interface NamedToken {
  readonly name: string;
  readonly token: string;
}

/** How the app authenticates: the guard of its routes, and the tokens and their throttle if any. */
export interface ResolvedAuth {
  readonly middleware: MiddlewareHandler;
  /** The tokens, when auth is by token (the dashboard login needs them); empty otherwise. */
  readonly tokens: readonly NamedToken[];
  /** The failed-attempt budget of token auth. */
  readonly throttle: FailureThrottle | undefined;
}

/**
 * The name of the token `given` is, or undefined. Every token is compared
 * (no early exit), each in constant time, so the time taken does not say
 * which one matched.
 */
export async function matchToken(
  given: string | undefined,
  tokens: readonly NamedToken[],
): Promise<string | undefined> {
  let found: string | undefined;
  for (const { name, token } of tokens) {
    if (await tokenMatches(given, token)) found ??= name;
  }
  return found;
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
      tokens: [],
      throttle: undefined,
    };
  }
  if (typeof auth !== "object" || auth === null) {
    throw new TypeError("createTelemetryApp: auth must be { token }, { tokens } or { middleware }");
  }
  if ("middleware" in auth) {
    if (typeof auth.middleware !== "function") {
      throw new TypeError("createTelemetryApp: auth.middleware must be a Hono middleware");
    }
    return { middleware: auth.middleware, tokens: [], throttle: undefined };
  }
  const tokens = checkTokens(auth);
  const throttle = new FailureThrottle(auth.throttle, now);
  const middleware: MiddlewareHandler = async (c, next) => {
    const bearer = bearerOf(c);
    const cookie = getCookie(c, TOKEN_COOKIE);
    if (bearer !== undefined || cookie !== undefined) {
      const key = throttle.keyOf(c);
      const wait = throttle.retryAfterMs(key);
      if (wait > 0) return throttled(c, wait);
      const user = (await matchToken(bearer, tokens)) ?? (await matchToken(cookie, tokens));
      if (user !== undefined) {
        c.set(USER_VARIABLE, user);
        return await next();
      }
      throttle.fail(key);
    }
    c.header("WWW-Authenticate", 'Bearer realm="beamlet"');
    return errorResponse(c, 401, "unauthorized");
  };
  return { middleware, tokens, throttle };
}

/** The named tokens of `{ token, name? }` or `{ tokens }`, checked. */
function checkTokens(auth: object): NamedToken[] {
  const { token, name, tokens } = auth as { token?: unknown; name?: unknown; tokens?: unknown };
  if (tokens !== undefined) {
    if (token !== undefined || name !== undefined) {
      throw new TypeError(
        "createTelemetryApp: auth takes { token, name? } or { tokens }, not both",
      );
    }
    if (typeof tokens !== "object" || tokens === null || Array.isArray(tokens)) {
      throw new TypeError(
        "createTelemetryApp: auth.tokens must be an object of token names to tokens",
      );
    }
    const entries = Object.entries(tokens);
    if (entries.length === 0 || entries.length > MAX_TOKENS) {
      throw new TypeError(`createTelemetryApp: auth.tokens must name 1 to ${MAX_TOKENS} tokens`);
    }
    const seen = new Set<string>();
    return entries.map(([name, token]) => {
      checkName(name);
      const checked = checkToken(token, `auth.tokens[${JSON.stringify(name)}]`);
      if (seen.has(checked)) {
        throw new TypeError(
          "createTelemetryApp: auth.tokens must be distinct (a token must say who it is)",
        );
      }
      seen.add(checked);
      return Object.freeze({ name, token: checked });
    });
  }
  if (name !== undefined) checkName(name);
  const named = (name as string | undefined) ?? DEFAULT_TOKEN_NAME;
  return [Object.freeze({ name: named, token: checkToken(token, "auth.token") })];
}

function checkName(name: unknown): void {
  if (typeof name !== "string" || !TOKEN_NAME.test(name)) {
    throw new TypeError(
      `createTelemetryApp: a token name must be 1 to 64 characters of A-Z a-z 0-9 _ . @ -, got ${
        typeof name === "string" ? JSON.stringify(name.slice(0, 80)) : String(name)
      }`,
    );
  }
}

function checkToken(token: unknown, where: string): string {
  if (
    typeof token !== "string" || token.length < MIN_TOKEN_LENGTH || token.length > MAX_TOKEN_LENGTH
  ) {
    throw new TypeError(
      `createTelemetryApp: ${where} must be a string of ${MIN_TOKEN_LENGTH} to ${MAX_TOKEN_LENGTH} characters (a long random secret)`,
    );
  }
  if (!/^[\x21-\x7e]+$/.test(token)) {
    throw new TypeError(
      `createTelemetryApp: ${where} must be printable ASCII without spaces (it travels in a header and a cookie)`,
    );
  }
  return token;
}
