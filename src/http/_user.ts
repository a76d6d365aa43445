/**
 * Who asked: the Hono context variable `"beamlet.user"`, set by the token
 * middleware to the name of the token that authenticated the request (or
 * by the user's own auth middleware), read by the actions to say who acted.
 *
 * @module
 */

import type { Context } from "hono";

/** The context variable that names who asked (`c.set(USER_VARIABLE, "alice")`). */
export const USER_VARIABLE = "beamlet.user";

/** The user of a request no middleware named. */
export const ANONYMOUS = "anonymous";

/** Most characters of a user name kept in answers and log lines. */
const MAX_USER_LENGTH = 64;

/**
 * The user `c` was authenticated as: the `"beamlet.user"` variable when it
 * is a non-empty string (cut to 64 characters, control characters replaced),
 * else `"anonymous"`.
 */
export function userOf(c: Context): string {
  let user: unknown;
  try {
    user = c.get(USER_VARIABLE);
  } catch {
    return ANONYMOUS;
  }
  if (typeof user !== "string" || user.length === 0) return ANONYMOUS;
  // deno-lint-ignore no-control-regex
  return user.slice(0, MAX_USER_LENGTH).replace(/[\u0000-\u001f\u007f]/g, "?");
}
