/**
 * The dashboard login: `GET <base>/dashboard?token=<token>` with the right
 * token sets the `beamlet_token` cookie (HttpOnly, SameSite=Strict, Path
 * `<base>/`, `Secure` when the app is served over https) and redirects to
 * `<base>/dashboard` without the query, so the token leaves the address bar
 * and the page's requests carry the cookie. The cookie holds the token that
 * logged in, so with named tokens (`auth.tokens`) it says whose session it
 * is: the auth middleware finds its name again on every request. A wrong
 * token counts against the failed-attempt budget; once it is spent the
 * login answers 429.
 *
 * @module
 */

import type { MiddlewareHandler } from "hono";
import { setCookie } from "hono/cookie";
import { matchToken, type ResolvedAuth, throttled, TOKEN_COOKIE } from "./_auth.ts";
import { errorResponse } from "./_http_error.ts";
import { type PublicOrigins, secureCookie } from "./_origin_policy.ts";

const DASHBOARD = "/dashboard";

/** The login middleware of the dashboard route (passes requests without `?token=` on). */
export function tokenLogin(auth: ResolvedAuth, origins: PublicOrigins): MiddlewareHandler {
  const { tokens, throttle } = auth;
  return async (c, next) => {
    const given = c.req.query("token");
    // Without token auth, the query means nothing here: the auth middleware decides.
    if (given === undefined || tokens.length === 0 || throttle === undefined) return await next();
    const key = throttle.keyOf(c);
    const wait = throttle.retryAfterMs(key);
    if (wait > 0) return throttled(c, wait);
    const token = (await matchToken(given, tokens)) === undefined ? undefined : given;
    if (token === undefined) {
      throttle.fail(key);
      return errorResponse(c, 401, "unauthorized");
    }
    const path = c.req.path;
    const base = path.endsWith(DASHBOARD) ? path.slice(0, -DASHBOARD.length) : "";
    setCookie(c, TOKEN_COOKIE, token, {
      httpOnly: true,
      sameSite: "Strict",
      path: `${base}/`,
      secure: secureCookie(c.req.url, origins),
    });
    c.header("Cache-Control", "no-store");
    c.header("Referrer-Policy", "no-referrer");
    return c.redirect(`${base}${DASHBOARD}`, 302);
  };
}
