/**
 * The telemetry app as middleware: it answers under a prefix and lets
 * every other request through.
 *
 * @module
 */

import type { MiddlewareHandler, System } from "./_public_types.ts";
import { buildApp } from "./_build_app.ts";
import type { TelemetryAppOptions } from "./options.ts";

/**
 * Options of {@linkcode telemetryMiddleware}: the app's options and where
 * it answers.
 *
 * @example
 * ```ts
 * import type { TelemetryMiddlewareOptions } from "@beamlet/beamlet/hono";
 *
 * const options: TelemetryMiddlewareOptions = {
 *   prefix: "/beamlet",
 *   auth: { token: "a-long-random-secret" },
 * };
 * ```
 */
export interface TelemetryMiddlewareOptions extends TelemetryAppOptions {
  /** The path the routes live under: starts with `/`, no trailing `/`, no `:` or `*` (`"/beamlet"`). */
  readonly prefix: string;
}

/**
 * The routes of `createTelemetryApp` as a middleware answering requests
 * under `options.prefix` (`<prefix>/health`, `<prefix>/metrics`, ...) and
 * calling `next()` for every other path.
 *
 * @throws {TypeError} for a malformed prefix, and as `createTelemetryApp`.
 *
 * @example In front of your own routes
 * ```ts
 * import { Hono } from "hono";
 * import { System } from "@beamlet/beamlet";
 * import { telemetryMiddleware } from "@beamlet/beamlet/hono";
 *
 * const system = new System();
 * const app = new Hono();
 * app.use(telemetryMiddleware(system, { prefix: "/beamlet", auth: { token: "a-long-random-secret" } }));
 * app.get("/", (c) => c.text("hello"));
 * console.log((await app.request("/")).status); // 200
 * console.log((await app.request("/beamlet/metrics")).status); // 401: no token
 * system.shutdown();
 * ```
 */
export function telemetryMiddleware(
  system: System,
  options: TelemetryMiddlewareOptions,
): MiddlewareHandler {
  const prefix = options?.prefix;
  if (typeof prefix !== "string" || !/^(\/[A-Za-z0-9._~!$&'()+,;=@%-]+)+$/.test(prefix)) {
    throw new TypeError(
      `telemetryMiddleware: prefix must be a path such as "/beamlet" (no trailing "/", ":" or "*"), got ${
        String(prefix)
      }`,
    );
  }
  const app = buildApp(system, options, prefix);
  return async (c, next) => {
    const path = c.req.path;
    if (path !== prefix && !path.startsWith(`${prefix}/`)) return await next();
    return await app.fetch(c.req.raw, c.env);
  };
}
