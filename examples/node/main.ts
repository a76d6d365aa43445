// Outside this repository: import from "@beamlet/beamlet" and "@beamlet/beamlet/hono".
/**
 * beamlet on Node: a rate limiter GenServer with typed call and cast, kept
 * alive by a Supervisor when a bad request crashes it, and the system's
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
import {
  defineName,
  type From,
  noreply,
  ok,
  reply,
  type Report,
  Supervisor,
  System,
} from "../../mod.ts";
import { createTelemetryApp } from "../../hono.ts";

/** Requests each client has made in the current window. */
interface Limits {
  readonly perClient: number;
  readonly used: ReadonlyMap<string, number>;
}

/** A fixed-window rate limiter: `take` answers whether a client may go on. */
const rateLimiter = {
  init: (perClient: number) => ok<Limits>({ perClient, used: new Map() }),
  handleCall: (request: { take: string }, _from: From<boolean>, limits: Limits) => {
    if (request.take === "") throw new TypeError("take: a client id is required");
    const used = limits.used.get(request.take) ?? 0;
    if (used >= limits.perClient) return reply(false, limits);
    return reply(true, { ...limits, used: new Map(limits.used).set(request.take, used + 1) });
  },
  handleCast: (_request: "refill", limits: Limits) => noreply({ ...limits, used: new Map() }),
};
const LIMITER = defineName<typeof rateLimiter>("rate_limiter");

// One line per crash and per restart (the default logger prints a full crash report).
const logger = {
  report(report: Report) {
    if (report.kind === "crash") console.warn(`crash: ${report.name} in ${report.callback}`);
    if (report.kind === "supervisor") console.warn(`supervisor: ${report.event} ${report.childId}`);
  },
};

const system = new System({ logger });
const supervisor = await Supervisor.start(system, [
  { id: "rate_limiter", start: { server: rateLimiter, arg: 2, options: { name: LIMITER } } },
], { strategy: "one_for_one" });

// Typed: `take` needs { take: string } and answers a boolean; a cast takes only "refill".
const answers: boolean[] = [];
for (let i = 0; i < 3; i++) answers.push(await system.call(LIMITER, { take: "alice" }));
console.log(`alice: ${answers.join(", ")}`); // true, true, false
system.cast(LIMITER, "refill");
console.log(`alice after refill: ${await system.call(LIMITER, { take: "alice" })}`); // true

// A bad request crashes the limiter; its supervisor starts a fresh one.
const [before] = await Supervisor.whichChildren(system, supervisor);
await system.call(LIMITER, { take: "" }).catch((error) => console.log(`call failed: ${error}`));
const [after] = await Supervisor.whichChildren(system, supervisor);
console.log(`restarted: ${before.pid} -> ${after.pid}`);
console.log(`bob: ${await system.call(LIMITER, { take: "bob" })}`); // true

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
