/**
 * The types the adapter's public signatures name but do not own: Hono's
 * (`Hono`, `Context`, `MiddlewareHandler`, documented by Hono) and
 * beamlet's own (`System`, `Metrics`, `SloMonitor`, `ProcessTableWalker`,
 * documented in the root entry). Each is aliased here under its own name
 * and tagged `@internal`, so `deno doc --lint hono.ts` does not ask the
 * hono entry to re-export (and re-document) another entry's or another
 * package's whole API. (With `nodeModulesDir: "manual"`, npm types resolve
 * to `file:` modules, which deno doc does not yet treat as another
 * package's: denoland/deno#27364.)
 *
 * @module
 */

import type * as hono from "hono";
import type * as metrics from "../metrics/metrics.ts";
import type * as walker from "../observe/process_table_walker.ts";
import type * as slo from "../slo/slo_monitor.ts";
import type * as system from "../system.ts";

/**
 * Hono's app (`import { Hono } from "hono"`).
 *
 * @internal
 */
export type Hono = hono.Hono;

/**
 * Hono's request context (`import type { Context } from "hono"`).
 *
 * @internal
 */
export type Context = hono.Context;

/**
 * Hono's middleware (`import type { MiddlewareHandler } from "hono"`).
 *
 * @internal
 */
export type MiddlewareHandler = hono.MiddlewareHandler;

/**
 * The actor system (`import { System } from "@beamlet/beamlet"`).
 *
 * @internal
 */
export type System = system.System;

/**
 * Metrics over telemetry (`import { Metrics } from "@beamlet/beamlet"`).
 *
 * @internal
 */
export type Metrics = metrics.Metrics;

/**
 * An SLO monitor (`import { SloMonitor } from "@beamlet/beamlet"`).
 *
 * @internal
 */
export type SloMonitor = slo.SloMonitor;

/**
 * The process-table walker (`import { ProcessTableWalker } from "@beamlet/beamlet"`).
 *
 * @internal
 */
export type ProcessTableWalker = walker.ProcessTableWalker;
