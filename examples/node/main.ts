// Outside this repository: import from "@beamlet/beamlet" and "@beamlet/beamlet/hono".
/**
 * beamlet on Node: a rate limiter GenServer with typed call and cast, kept
 * alive by a Supervisor when a bad request crashes it (the same program as
 * the Deno example's, in `../_shared/rate_limiter.ts`), and the system's
 * telemetry served by the Hono adapter on `@hono/node-server`. It asks its
 * own `/health` once, then shuts down.
 *
 * Run (Node 20 runs JavaScript: the npm build compiles this file):
 * `npm run build:npm && node npm/examples/node/main.js`
 *
 * @module
 */

import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { System } from "../../mod.ts";
import { createTelemetryApp } from "../../hono.ts";
import { logger } from "../_shared/logger.ts";
import { rateLimiterTour } from "../_shared/rate_limiter.ts";

const system = new System({ logger });
await rateLimiterTour(system);

// The telemetry over HTTP. Only /health answers without `auth: { token }`.
const stopHttp = new AbortController();
const app = createTelemetryApp(system, { signal: stopHttp.signal });
const server = serve({
  fetch: app.fetch,
  hostname: "127.0.0.1",
  port: Number(process.env.PORT ?? 0),
});
await once(server, "listening");
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
console.log(`listening on ${url}`);

const health = await fetch(`${url}/health`);
console.log(`GET /health: ${health.status} ${await health.text()}`);

stopHttp.abort();
await new Promise((closed) => server.close(closed));
await system.stopAll();
console.log("stopped");
