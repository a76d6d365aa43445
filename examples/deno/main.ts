// Outside this repository: import from "jsr:@beamlet/beamlet" and "jsr:@beamlet/beamlet/hono".
/**
 * beamlet on Deno: a rate limiter GenServer with typed call and cast, kept
 * alive by a Supervisor when a bad request crashes it (the same program as
 * the Node example's, in `../_shared/rate_limiter.ts`), and the system's
 * telemetry served by the Hono adapter on `Deno.serve`. It asks its own
 * `/health` once, then shuts down.
 *
 * Run: `deno run --allow-net=127.0.0.1 --allow-env=PORT examples/deno/main.ts`
 *
 * @module
 */

import { System } from "../../mod.ts";
import { createTelemetryApp } from "../../hono.ts";
import { logger } from "../_shared/logger.ts";
import { rateLimiterTour } from "../_shared/rate_limiter.ts";

const system = new System({ logger });
await rateLimiterTour(system);

// The telemetry over HTTP. Only /health answers without `auth: { token }`.
const stopHttp = new AbortController();
const app = createTelemetryApp(system, { signal: stopHttp.signal });
const port = Number(Deno.env.get("PORT") ?? 0);
const server = Deno.serve({ hostname: "127.0.0.1", port, onListen: () => {} }, app.fetch);
const url = `http://127.0.0.1:${server.addr.port}`;
console.log(`listening on ${url}`);

const health = await fetch(`${url}/health`);
console.log(`GET /health: ${health.status} ${await health.text()}`);

stopHttp.abort();
await server.shutdown();
await system.stopAll();
console.log("stopped");
