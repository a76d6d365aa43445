/**
 * What the routes of one telemetry app share: the system, the checked
 * options, the metrics it serves, the observer whose views they serve, the
 * live `/events` streams — and how all of it is released when `signal` aborts.
 *
 * @module
 */

import { Metrics } from "../metrics/metrics.ts";
import { beamletMetrics } from "../metrics/beamlet_metrics.ts";
import { ProcessTableWalker } from "../observe/process_table_walker.ts";
import { SystemObserver } from "../observe/system_observer.ts";
import type { SloMonitor } from "../slo/slo_monitor.ts";
import type { System } from "../system.ts";
import { type Limits, resolveLimits } from "./_limits.ts";
import { type PublicOrigins, resolvePublicOrigins } from "./_origin_policy.ts";
import type { SseClient } from "./_sse_client.ts";
import { historyReader } from "./_history_reading.ts";
import { OverviewHistory } from "./_overview_history.ts";
import type { TelemetryAppOptions } from "./options.ts";

/** The shared state of one app. */
export class AppState {
  readonly system: System;
  readonly metrics: Metrics;
  readonly slo: SloMonitor | undefined;
  readonly limits: Limits;
  readonly killEnabled: boolean;
  /** `mutations.suspend`: the suspend and resume routes. */
  readonly suspendEnabled: boolean;
  /** `mutations.restart`: the restart-a-child route. */
  readonly restartEnabled: boolean;
  /** `inspection.state`: `GET /processes/:id/state` (see `routes/_state.ts`). */
  readonly stateInspection: boolean;
  readonly publicOrigins: PublicOrigins;
  /** The views the routes serve (overview, processes, tree, events). */
  readonly observer: SystemObserver;
  /** Live `/events` streams. */
  readonly streams: Set<SseClient> = new Set();
  /** The overview's last 300 s (`GET /overview/history`), unless `history: false`. */
  readonly history: OverviewHistory | undefined;
  readonly #ownsMetrics: boolean;
  #closed = false;

  /** Checks the options and attaches what the app needs (released on `options.signal`). */
  constructor(system: System, options: TelemetryAppOptions) {
    if (typeof options !== "object" || options === null) {
      throw new TypeError("createTelemetryApp: options must be an object");
    }
    if (typeof system?.telemetry?.attach !== "function") {
      throw new TypeError("createTelemetryApp: system must be a System");
    }
    const { metrics, slo, mutations, signal, processTable, history } = options;
    if (metrics !== undefined && !(metrics instanceof Metrics)) {
      throw new TypeError("createTelemetryApp: metrics must be a Metrics");
    }
    if (slo !== undefined && typeof slo?.status !== "function") {
      throw new TypeError("createTelemetryApp: slo must be an SloMonitor");
    }
    if (signal !== undefined && !(signal instanceof AbortSignal)) {
      throw new TypeError("createTelemetryApp: signal must be an AbortSignal");
    }
    if (processTable !== undefined && !(processTable instanceof ProcessTableWalker)) {
      throw new TypeError("createTelemetryApp: processTable must be a ProcessTableWalker");
    }
    if (history !== undefined && typeof history !== "boolean") {
      throw new TypeError("createTelemetryApp: history must be a boolean");
    }
    this.system = system;
    this.limits = resolveLimits(options.limits);
    this.publicOrigins = resolvePublicOrigins(options.publicOrigin);
    this.slo = slo;
    if (mutations !== undefined && (typeof mutations !== "object" || mutations === null)) {
      throw new TypeError("createTelemetryApp: mutations must be an object");
    }
    this.killEnabled = mutations?.kill === true;
    this.suspendEnabled = mutations?.suspend === true;
    this.restartEnabled = mutations?.restart === true;
    const inspection = (options as { inspection?: { state?: unknown } }).inspection;
    this.stateInspection = inspection?.state === true;
    this.#ownsMetrics = metrics === undefined;
    this.metrics = metrics ??
      new Metrics(system, beamletMetrics());
    this.observer = new SystemObserver(system, {
      slo,
      processTable,
      maxTreeNodes: this.limits.maxTreeNodes,
    });
    this.history = history === false
      ? undefined
      : new OverviewHistory(historyReader(system, this.observer));
    if (signal?.aborted) this.close();
    else signal?.addEventListener("abort", () => this.close(), { once: true });
    this.history?.start();
  }

  /** Whether `signal` aborted: streams are refused from then on. */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Closes every stream, detaches the metrics the app made, and closes the
   * observer (its latency histogram, the walker it made).
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const stream of [...this.streams]) stream.close();
    this.streams.clear();
    this.history?.close();
    if (this.#ownsMetrics) this.metrics.detach();
    this.observer.close();
  }
}
