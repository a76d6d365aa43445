/**
 * The views an adapter serves of a running system — overview, a page of
 * processes, one process, the supervision tree, the tables, an event
 * subscription —
 * as plain, JSON-safe data (pids and refs as strings, names and lists
 * bounded, no Infinity). No HTTP here: the Hono adapter routes to these,
 * and any other adapter can too. No view's work grows with the number of
 * processes: they read the process-table walker's and the forest's last
 * snapshots.
 *
 * @module
 */

import { inspectProcess } from "../introspection/inspect_process.ts";
import type { Pid } from "../pid.ts";
import type { SchedulerStats } from "../scheduler_stats.ts";
import type { SloMonitor } from "../slo/slo_monitor.ts";
import type { SloAlertRecord, SloStatus } from "../slo/types.ts";
import type { System } from "../system.ts";
import { CallLatency } from "./_call_latency.ts";
import { eventsUnder, parsePrefixes } from "./_event_selection.ts";
import { idOf, pidOf } from "./_process_id.ts";
import { nameOf, processDetail, processItem } from "./_process_json.ts";
import { monitorView } from "./_monitor_view.ts";
import { schedulersView } from "./_schedulers_view.ts";
import { clusterField } from "./_cluster_view.ts";
import type { ClusterView, MonitorView, SchedulerView } from "./view_types.ts";
import { ProcessLabels } from "./_process_labels.ts";
import { treeJson } from "./_tree_json.ts";
import { tablesView, type TableViewSource } from "./_tables_view.ts";
import { existingDirectory } from "../tables/_table_directory.ts";
import { listPipelines, listStages } from "./_flow_directories.ts";
import { pipelinesView, stagesView } from "./_pipelines_view.ts";
import { ProcessNotFoundError } from "./errors.ts";
import { EventSubscription } from "./event_subscription.ts";
import { processPage, type ProcessPageQuery } from "./process_page.ts";
import { ProcessTableWalker } from "./process_table_walker.ts";
import { SupervisionForest } from "./supervision_forest.ts";
import type {
  CallLatencies,
  CallLatencySummary,
  PipelinesView,
  ProcessDetail,
  ProcessItem,
  StagesView,
  TablesView,
  TreeNodeJson,
} from "./view_types.ts";

/** Processes listed in `topMailboxes`. */
const TOP_MAILBOXES = 10;
/** SLO alerts listed. */
const ALERTS = 20;
/** Bounds of the tree walk (the node cap is an option). */
const TREE_BOUNDS = { maxDepth: 16, maxChildren: 100, timeout: 2000, intervalMs: 1000 } as const;

/**
 * Options of a {@linkcode SystemObserver}.
 *
 * @example
 * ```ts
 * import type { SystemObserverOptions } from "@beamlet/beamlet/observe";
 *
 * const options: SystemObserverOptions = { maxTreeNodes: 500 };
 * ```
 */
export interface SystemObserverOptions {
  /** SLOs whose status and alerts the overview includes. */
  readonly slo?: SloMonitor;
  /** A walker to read snapshots from (else the observer makes one, closed with it). */
  readonly processTable?: ProcessTableWalker;
  /** Nodes of the supervision tree, at most (default 2000). */
  readonly maxTreeNodes?: number;
  /** Tables the tables view lists, at most (default 200). */
  readonly maxTables?: number;
  /** Pipelines the pipelines view lists, at most (default 100). */
  readonly maxPipelines?: number;
  /** Stages the stages and pipelines views list, at most (default 1000). */
  readonly maxStages?: number;
}

/**
 * The overview: scheduler counters, every scheduler's status, processes by
 * status, table sizes, call latency, the longest mailboxes and the SLOs.
 *
 * @example
 * ```ts
 * import type { Overview } from "@beamlet/beamlet/observe";
 *
 * const busy = (o: Overview) => o.scheduler.utilization > 0.9;
 * ```
 */
export interface Overview {
  /** `Date.now()` when it was made. */
  readonly time: number;
  /** Ms since the system started. */
  readonly uptimeMs: number;
  /** The counters of this scheduler (the system's own thread, scheduler 0). */
  readonly scheduler: Pick<
    SchedulerStats,
    "runQueue" | "utilization" | "slices" | "processRuns" | "messages" | "busyMs" | "inFlight"
  >;
  /**
   * Every scheduler of the system, by index (`system.schedulers()`): its
   * status, live processes and CPU tasks, and the message of the error of
   * one that failed or went down. One row for a system of one scheduler.
   * The other counts of the overview are this scheduler's only.
   */
  readonly schedulers: readonly SchedulerView[];
  /**
   * The cluster this node is part of (`new System({ node, cluster })`): its
   * name, this node's, and every node up with its processes and shards.
   * Absent on a system without a cluster.
   */
  readonly cluster?: ClusterView;
  /** Live processes. */
  readonly processes: number;
  /** Processes by status, as of the last snapshot. */
  readonly byStatus: Readonly<Record<string, number>>;
  /** The runtime's table sizes. */
  readonly tables: ReturnType<System["tableSizes"]>;
  /**
   * Handling time of calls over all servers in the last 30 to 60 s, `null`
   * without calls then: `calls.handling` under its older name, kept for
   * compatibility.
   */
  readonly callLatency: CallLatencySummary | null;
  /**
   * Call latency over all servers in the last 30 to 60 s, split: time
   * queued in the mailbox, handling, and round trip (`beamlet.call.latency`).
   */
  readonly calls: CallLatencies;
  /** The longest mailboxes, as of the last snapshot. */
  readonly topMailboxes: readonly {
    readonly id: string;
    readonly pid: string;
    readonly name: string | null;
    /** Its name, else its child id, else `null` (see `ProcessItem.label`). */
    readonly label: string | null;
    readonly messageQueueLength: number;
  }[];
  /** Every SLO's status. */
  readonly slos: readonly SloStatus[];
  /** The latest SLO alerts and resolves. */
  readonly alerts: readonly SloAlertRecord[];
  /** How old the process snapshot is (ms). */
  readonly snapshotAgeMs: number;
  /** The system monitor: long callbacks, long slices, stalls, the busiest processes. */
  readonly monitor: MonitorView;
}

/**
 * A page of processes, sorted.
 *
 * @example
 * ```ts
 * import type { ProcessList } from "@beamlet/beamlet/observe";
 *
 * const names = (list: ProcessList) => list.items.map((p) => p.name ?? p.pid);
 * ```
 */
export interface ProcessList extends ProcessPageQuery {
  /** Processes in the snapshot. */
  readonly total: number;
  /** Positions of this order the snapshot knows. */
  readonly ranked: number;
  /** Whether the page was cut at the known positions. */
  readonly truncated: boolean;
  /** How old the snapshot is (ms). */
  readonly snapshotAgeMs: number;
  /** The page's processes. */
  readonly items: readonly ProcessItem[];
}

/**
 * The supervision forest: every top-level supervisor's tree, bounded.
 *
 * @example
 * ```ts
 * import type { SupervisionTreeView } from "@beamlet/beamlet/observe";
 *
 * const roots = (view: SupervisionTreeView) => view.roots.map((root) => root.name);
 * ```
 */
export interface SupervisionTreeView {
  /** The trees. */
  readonly roots: readonly TreeNodeJson[];
  /** Trees left out by the node cap. */
  readonly omittedRoots: number;
  /** Nodes in the trees. */
  readonly nodes: number;
  /** The node cap. */
  readonly maxNodes: number;
  /** Whether the node cap cut anything. */
  readonly truncated: boolean;
  /** How old the walk is (ms). */
  readonly snapshotAgeMs: number;
}

/**
 * The observation layer over one system: the views an adapter serves, as
 * plain data. Close it to release what it attached (the call-latency
 * handler, the walker it made).
 *
 * @example
 * ```ts
 * import { System } from "@beamlet/beamlet";
 * import { SystemObserver } from "@beamlet/beamlet/observe";
 *
 * const system = new System();
 * const observer = new SystemObserver(system);
 * const overview = await observer.overview();
 * console.log(overview.processes); // 0
 * observer.close();
 * await system.shutdown();
 * ```
 */
export class SystemObserver {
  /** The system observed. */
  readonly system: System;
  /** The SLO monitor, if given. */
  readonly slo: SloMonitor | undefined;
  /** Where the overview and the process pages read their snapshots. */
  readonly processTable: ProcessTableWalker;
  /** Where the tree is read. */
  readonly forest: SupervisionForest;
  /** Tables the tables view lists, at most. */
  readonly maxTables: number;
  /** Pipelines the pipelines view lists, at most. */
  readonly maxPipelines: number;
  /** Stages the stages and pipelines views list, at most. */
  readonly maxStages: number;
  readonly #latency: CallLatency;
  readonly #ownsWalker: boolean;
  readonly #labels: ProcessLabels;
  readonly #labelOf = (pid: unknown, name: string | null | undefined): string | null =>
    this.#labels.labelOf(pid, name);
  #closed = false;

  /** Attaches the call-latency histogram; makes a walker unless one is given. */
  constructor(system: System, options: SystemObserverOptions = {}) {
    // Checked before anything is made or attached.
    this.maxTables = checkLimit("maxTables", options.maxTables ?? 200);
    this.maxPipelines = checkLimit("maxPipelines", options.maxPipelines ?? 100);
    this.maxStages = checkLimit("maxStages", options.maxStages ?? 1000);
    this.system = system;
    this.slo = options.slo;
    this.#ownsWalker = options.processTable === undefined;
    this.processTable = options.processTable ?? new ProcessTableWalker(system);
    this.forest = new SupervisionForest(system, {
      ...TREE_BOUNDS,
      maxNodes: options.maxTreeNodes ?? 2000,
    });
    this.#labels = new ProcessLabels(this.forest, () => system.now());
    this.#latency = new CallLatency(system.telemetry, () => system.now());
  }

  /** Whether {@linkcode SystemObserver.close} was called. */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * What the views show for `pid`: `name` when given (its registered name), else its
   * child id under its supervisor (`"partition-0"`, from the forest's last walk,
   * refreshed in the background at most every 5 s), else `null` (show the pid).
   */
  labelOf(pid: unknown, name?: string | null): string | null {
    return this.#labels.labelOf(pid, name);
  }

  /** Ms since `completedAt` (system clock), rounded: how old a snapshot is. */
  ageOf(completedAt: number): number {
    return Math.max(0, Math.round(this.system.now() - completedAt));
  }

  /**
   * Call latency over all servers in the last 30 to 60 s, split in three
   * (the overview's `calls`, without walking anything).
   *
   * @example
   * ```ts
   * import { System } from "@beamlet/beamlet";
   * import { SystemObserver } from "@beamlet/beamlet/observe";
   *
   * const observer = new SystemObserver(new System());
   * console.log(observer.callLatencies().roundTrip); // null: no call yet
   * observer.close();
   * ```
   */
  callLatencies(): CallLatencies {
    return this.#latency.overall();
  }

  /** The overview (from the walker's last snapshot, and O(1) counters). */
  async overview(): Promise<Overview> {
    const snapshot = await this.processTable.snapshot();
    const system = this.system;
    const stats = system.schedulerStats();
    const tables = system.tableSizes();
    const top = snapshot.rankings.messageQueueLength.desc.slice(0, TOP_MAILBOXES);
    return {
      time: Date.now(),
      uptimeMs: stats.uptimeMs,
      scheduler: {
        runQueue: stats.runQueue,
        utilization: stats.utilization,
        slices: stats.slices,
        processRuns: stats.processRuns,
        messages: stats.messages,
        busyMs: stats.busyMs,
        inFlight: stats.inFlight,
      },
      schedulers: schedulersView(system.schedulers()),
      ...clusterField(system),
      processes: tables.processes,
      byStatus: snapshot.byStatus,
      tables,
      ...this.#calls(),
      topMailboxes: top.map(({ pid, summary }) => ({
        id: idOf(pid),
        pid: String(pid),
        name: nameOf(summary.name),
        label: this.labelOf(pid, summary.name),
        messageQueueLength: summary.messageQueueLength,
      })),
      slos: this.slo?.status() ?? [],
      alerts: this.slo?.alerts(ALERTS) ?? [],
      snapshotAgeMs: this.ageOf(snapshot.completedAt),
      monitor: monitorView(system, snapshot, this.#labelOf),
    };
  }

  /** One page of the processes, from the walker's last snapshot: O(limit). */
  async processes(query: ProcessPageQuery): Promise<ProcessList> {
    const snapshot = await this.processTable.snapshot();
    const page = processPage(snapshot, query);
    const { sort, order, offset, limit } = query;
    return {
      total: page.total,
      offset,
      limit,
      sort,
      order,
      ranked: page.ranked,
      truncated: page.truncated,
      snapshotAgeMs: this.ageOf(snapshot.completedAt),
      items: page.items.map((item) => processItem(item, this.#labelOf)),
    };
  }

  /**
   * The live process a process id (its serial number, as the views give
   * it) names.
   *
   * @throws {MalformedObserveRequestError} when `id` is not a serial number.
   * @throws {ProcessNotFoundError} when no live process has it.
   */
  resolveProcess(id: string): Pid {
    return pidOf(this.system, id);
  }

  /** The process id the views give `pid`. */
  processIdOf(pid: Pid): string {
    return idOf(pid);
  }

  /**
   * One process, grouped as recon's `info/1`: pids and refs as strings,
   * lists bounded.
   *
   * @throws {MalformedObserveRequestError} when `id` is not a serial number.
   * @throws {ProcessNotFoundError} when no live process has it.
   */
  processDetail(id: string): ProcessDetail {
    const pid = pidOf(this.system, id);
    const info = inspectProcess(this.system, pid);
    if (info === undefined) throw new ProcessNotFoundError(id);
    return { ...processDetail(info, this.#labelOf), latency: this.#latency.of(pid) };
  }

  /** The supervision forest, walked at most once a second whoever asks. */
  async tree(): Promise<SupervisionTreeView> {
    const forest = await this.forest.snapshot();
    this.#labels.update(forest);
    return {
      roots: forest.roots.map(treeJson),
      omittedRoots: forest.omittedRoots,
      nodes: forest.nodes,
      maxNodes: forest.maxNodes,
      truncated: forest.truncated,
      snapshotAgeMs: this.ageOf(forest.completedAt),
    };
  }

  /**
   * The live ETS-like tables: named ones first (by name), then unnamed ones
   * (oldest first), at most `maxTables`, with their size, memory estimate,
   * owner and read and write counts.
   */
  tables(): TablesView {
    const system = this.system;
    // Through the directory, not `Table`: the observer (and the Hono adapter)
    // loads no table code, nor its ordered_set tree, for an app with no tables.
    return tablesView(
      (existingDirectory(system)?.list() ?? []) as TableViewSource[],
      this.maxTables,
      (pid) => system.processSummary(pid)?.name,
    );
  }

  /**
   * The live pipelines, by name (at most `maxPipelines`), each with its
   * state, acked, failed and in-flight messages, flushed batches and its
   * stages (producer → processor → batcher → batch_processor: demand,
   * buffer, events in and out, drops); and the stages outside any pipeline.
   */
  pipelines(): PipelinesView {
    // Through the directories only: no stage or pipeline code is loaded.
    const system = this.system;
    return pipelinesView(
      listPipelines(system),
      listStages(system),
      this.maxPipelines,
      this.maxStages,
    );
  }

  /** Every live stage, by pipeline, role and name, at most `maxStages`. */
  stages(): StagesView {
    return stagesView(listStages(this.system), this.maxStages);
  }

  /**
   * The events under dotted `prefixes` (`"beamlet.call"`; `["beamlet"]`
   * when none): every declared event, every event someone is attached to,
   * and each prefix itself, at most 512.
   *
   * @throws {MalformedObserveRequestError} for a malformed prefix or more than 16.
   */
  eventsUnder(prefixes: readonly string[] | undefined): TelemetryEventList {
    return eventsUnder(this.system.telemetry, parsePrefixes(prefixes));
  }

  /**
   * A subscription to the events under dotted `prefixes` (see
   * {@linkcode SystemObserver.eventsUnder}).
   *
   * @throws {MalformedObserveRequestError} for a malformed prefix or more than 16.
   */
  subscribe(
    prefixes: readonly string[] | undefined,
    options: { readonly queueSize: number },
  ): EventSubscription {
    return new EventSubscription(this.system.telemetry, this.eventsUnder(prefixes), options);
  }

  /** Detaches the call-latency handler and closes the walker it made. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#ownsWalker) this.processTable.close();
    this.#latency.close();
  }

  /** `calls`, and `callLatency` (its handling, under the older name). */
  #calls(): Pick<Overview, "callLatency" | "calls"> {
    const calls = this.#latency.overall();
    return { callLatency: calls.handling, calls };
  }
}

/** `value` if it is an integer in 1..100000, else a RangeError naming `option`. */
function checkLimit(option: string, value: number): number {
  if (!Number.isInteger(value) || value < 1 || value > 100_000) {
    throw new RangeError(
      `SystemObserver: ${option} must be an integer in 1..100000, got ${String(value)}`,
    );
  }
  return value;
}

/**
 * A list of exact event names.
 *
 * @example
 * ```ts
 * import type { TelemetryEventList } from "@beamlet/beamlet/observe";
 *
 * const list: TelemetryEventList = [["beamlet", "call", "stop"]];
 * ```
 */
export type TelemetryEventList = readonly (readonly string[])[];
