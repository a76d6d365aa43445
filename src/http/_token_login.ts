/**
 * The dashboard login: `GET <base>/dashboard?token=<token>` with the right
 * token sets the `beamlet_token` cookie (HttpOnly, SameSite=Strict, Path
 * `<base>/`, `Secure` when the app is served over https) and redirects to
 * `<base>/dashboard` without the query, so the token leaves the address bar
 * and the page's requests carry the cookie.
 *
 * @module
 */

import type { MiddlewareHandler } from "hono";
import { setCookie } from "hono/cookie";
import { TOKEN_COOKIE, tokenMatches } from "./_auth.ts";
import { errorResponse } from "./_http_error.ts";
import { type PublicOrigins, secureCookie } from "./_origin_policy.ts";

const DASHBOARD = "/dashboard";

/** The login middleware of the dashboard route (passes requests without `?token=` on). */
export function tokenLogin(token: string | undefined, origins: PublicOrigins): MiddlewareHandler {
  return async (c, next) => {
    const given = c.req.query("token");
    // Without token auth, the query means nothing here: the auth middleware decides.
    if (given === undefined || token === undefined) return await next();
    if (!(await tokenMatches(given, token))) {
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
