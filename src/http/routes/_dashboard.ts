/**
 * `GET /dashboard`, `/dashboard/app.js` and `/dashboard/app.css`: the live
 * dashboard, served under a strict Content-Security-Policy (no inline
 * script or style; it only talks to its own origin).
 *
 * @module
 */

import type { Handler } from "hono";
import { DASHBOARD_CSS, DASHBOARD_HTML, DASHBOARD_JS } from "../_dashboard_asset.ts";

/** The policy of the page: everything from its own origin, images also as data URLs. */
export const DASHBOARD_CSP =
  "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'";

function asset(body: string, contentType: string): Handler {
  return (c) => {
    c.header("Content-Type", contentType);
    c.header("Content-Security-Policy", DASHBOARD_CSP);
    c.header("X-Content-Type-Options", "nosniff");
    c.header("X-Frame-Options", "DENY");
    c.header("Referrer-Policy", "no-referrer");
    c.header("Cache-Control", "no-cache");
    return c.body(body);
  };
}

/** The page. */
export const dashboardPage: Handler = asset(DASHBOARD_HTML, "text/html; charset=utf-8");
/** Its script. */
export const dashboardScript: Handler = asset(
  DASHBOARD_JS,
  "application/javascript; charset=utf-8",
);
/** Its stylesheet. */
export const dashboardStyles: Handler = asset(DASHBOARD_CSS, "text/css; charset=utf-8");
