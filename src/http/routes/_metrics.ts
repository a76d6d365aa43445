/**
 * `GET /metrics`: the Prometheus text exposition of the app's metrics.
 *
 * @module
 */

import type { Handler } from "hono";
import { PROMETHEUS_CONTENT_TYPE, prometheusText } from "../../metrics/reporters/prometheus.ts";
import type { AppState } from "../_app_state.ts";

/** The metrics route. */
export function metricsRoute(state: AppState): Handler {
  return (c) => {
    c.header("Content-Type", PROMETHEUS_CONTENT_TYPE);
    c.header("Cache-Control", "no-store");
    return c.body(prometheusText(state.metrics));
  };
}
