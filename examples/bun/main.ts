// Outside this repository: import from "@beamlet/beamlet" and "@beamlet/beamlet/hono".
/**
 * beamlet on Bun: a page-view counter GenServer with typed call and cast,
 * kept alive by a Supervisor when a bad message crashes it, and the
 * system's telemetry served by the Hono adapter on `Bun.serve`. It asks its
 * own `/health` once, then shuts down.
 *
 * Run: `bun examples/bun/main.ts`
 *
 * @module
 */

import {
  defineName,
  formatReason,
  type From,
  noreply,
  ok,
  reply,
  Supervisor,
  System,
} from "../../mod.ts";
import { createTelemetryApp } from "../../hono.ts";
import { logger } from "../_shared/logger.ts";

type Views = ReadonlyMap<string, number>;

/** Counts views per page: `view` is a cast (fire and forget), `count` a call. */
const pageViews = {
  init: () => ok<Views>(new Map()),
  handleCall: (request: { count: string }, _from: From<number>, views: Views) =>
    reply(views.get(request.count) ?? 0, views),
  handleCast: (request: { view: string }, views: Views) => {
    if (!request.view.startsWith("/")) throw new TypeError(`view: not a path: ${request.view}`);
    return noreply(new Map(views).set(request.view, (views.get(request.view) ?? 0) + 1));
  },
};
const PAGE_VIEWS = defineName<typeof pageViews>("page_views");

const system = new System({ logger });
const supervisor = await Supervisor.start(system, [
  { id: "page_views", start: { server: pageViews, options: { name: PAGE_VIEWS } } },
], { strategy: "one_for_one" });

// Typed: a cast takes { view: string }; `count` takes { count: string } and answers a number.
for (const page of ["/", "/pricing", "/"]) system.cast(PAGE_VIEWS, { view: page });
console.log(`views of /: ${await system.call(PAGE_VIEWS, { count: "/" })}`); // 2

// A bad cast crashes the counter (its counts are lost); its supervisor starts a fresh one.
const [before] = await Supervisor.whichChildren(system, supervisor);
const exited = system.whenExited(PAGE_VIEWS);
system.cast(PAGE_VIEWS, { view: "pricing" });
console.log(`page_views exited: ${formatReason(await exited)}`);
const [after] = await Supervisor.whichChildren(system, supervisor);
console.log(`restarted: ${before.pid} -> ${after.pid}`);
system.cast(PAGE_VIEWS, { view: "/pricing" });
console.log(`views of /pricing: ${await system.call(PAGE_VIEWS, { count: "/pricing" })}`); // 1

// The telemetry over HTTP. Only /health answers without `auth: { token }`.
const stopHttp = new AbortController();
const app = createTelemetryApp(system, { signal: stopHttp.signal });
const server = Bun.serve({
  hostname: "127.0.0.1",
  port: Number(process.env.PORT ?? 0),
  fetch: app.fetch,
});
const url = `http://127.0.0.1:${server.port}`;
console.log(`listening on ${url}`);

const health = await fetch(`${url}/health`);
console.log(`GET /health: ${health.status} ${await health.text()}`);

stopHttp.abort();
await server.stop();
await system.stopAll();
console.log("stopped");
