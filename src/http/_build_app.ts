/**
 * The telemetry app's routing: `/health` first (no auth), then the method
 * guard of the action routes (405 for anything but POST), the dashboard
 * login, then auth in front of everything else, the mutation guard (switch,
 * origin) in front of each action, and a JSON 404 for anything unknown
 * under the base.
 *
 * @module
 */

import { type Context, Hono } from "hono";
import type { System } from "../system.ts";
import { AppState } from "./_app_state.ts";
import { resolveAuth } from "./_auth.ts";
import { errorResponse, onError } from "./_http_error.ts";
import { mutationGuard, postOnly } from "./_mutation_guard.ts";
import { tokenLogin } from "./_token_login.ts";
import type { TelemetryAppOptions } from "./options.ts";
import { dashboardPage, dashboardScript, dashboardStyles } from "./routes/_dashboard.ts";
import { eventsRoute } from "./routes/_events.ts";
import { healthDetailsRoute, healthRoute } from "./routes/_health.ts";
import { killRoute } from "./routes/_kill.ts";
import { metricsRoute } from "./routes/_metrics.ts";
import { metricDefinitionsRoute, metricValuesRoute } from "./routes/_metrics_page.ts";
import { overviewHistoryRoute, overviewRoute } from "./routes/_overview.ts";
import { pipelinesRoute } from "./routes/_pipelines.ts";
import { processRoute } from "./routes/_process.ts";
import { processesRoute } from "./routes/_processes.ts";
import { restartChildRoute } from "./routes/_restart_child.ts";
import { stateRoute } from "./routes/_state.ts";
import { suspendRoute } from "./routes/_suspend.ts";
import { tablesRoute } from "./routes/_tables.ts";
import { treeRoute } from "./routes/_tree.ts";

/** The app with its routes under `base` (`""` for the root). */
export function buildApp(system: System, options: TelemetryAppOptions, base: string): Hono {
  // Checked before anything is attached: a bad option leaves nothing behind.
  const auth = resolveAuth(options?.auth, () => system.now());
  const state = new AppState(system, options);
  const app = new Hono({ strict: true });
  const at = (path: string) => `${base}${path}`;
  app.onError(onError);

  app.get(at("/health"), healthRoute(state));
  for (const action of ["kill", "suspend", "resume", "children/:childId/restart"]) {
    app.all(at(`/processes/:id/${action}`), postOnly);
  }
  app.get(at("/dashboard"), tokenLogin(auth, state.publicOrigins));
  app.use(base === "" ? "*" : at("/*"), auth.middleware);
  if (base !== "") app.use(base, auth.middleware);

  app.get(at("/health/details"), healthDetailsRoute(state));
  app.get(at("/metrics"), metricsRoute(state));
  app.get(at("/metrics/definitions"), metricDefinitionsRoute(state));
  app.get(at("/metrics/values"), metricValuesRoute(state));
  app.get(at("/overview"), overviewRoute(state));
  app.get(at("/overview/history"), overviewHistoryRoute(state));
  app.get(at("/processes"), processesRoute(state));
  app.get(at("/processes/:id"), processRoute(state));
  app.get(at("/processes/:id/state"), stateRoute(state));
  const guard = (enabled: boolean) => mutationGuard(enabled, state.publicOrigins);
  app.post(at("/processes/:id/kill"), guard(state.killEnabled), killRoute(state));
  app.post(at("/processes/:id/suspend"), guard(state.suspendEnabled), suspendRoute(state, true));
  app.post(at("/processes/:id/resume"), guard(state.suspendEnabled), suspendRoute(state, false));
  app.post(
    at("/processes/:id/children/:childId/restart"),
    guard(state.restartEnabled),
    restartChildRoute(state),
  );
  app.get(at("/tree"), treeRoute(state));
  app.get(at("/tables"), tablesRoute(state));
  app.get(at("/pipelines"), pipelinesRoute(state));
  app.get(at("/events"), eventsRoute(state));
  app.get(at("/dashboard"), dashboardPage);
  app.get(at("/dashboard/app.js"), dashboardScript);
  app.get(at("/dashboard/app.css"), dashboardStyles);

  const notFound = (c: Context) => errorResponse(c, 404, "not found");
  app.all(base === "" ? "*" : at("/*"), notFound);
  if (base !== "") app.all(base, notFound);
  app.notFound(notFound);
  return app;
}
