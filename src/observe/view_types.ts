/**
 * The plain, JSON-safe records the observation views are made of: a
 * process row, a supervision tree node, call latency quantiles, the
 * ETS-like tables, the stages and pipelines.
 *
 * @module
 */

import type { GroupedProcessInfo } from "../introspection/inspect_process.ts";

/**
 * One process as a list of processes gives it.
 *
 * @example
 * ```ts
 * import type { ProcessItem } from "@beamlet/beamlet/observe";
 *
 * const line = (p: ProcessItem) => `${p.name ?? p.pid} ${p.status} ${p.messageQueueLength}`;
 * ```
 */
export interface ProcessItem {
  /** Its process id in the views (its serial number). */
  readonly id: string;
  /** The pid as a string. */
  readonly pid: string;
  /** Its registered name (bounded), `null` when none. */
  readonly name: string | null;
  /**
   * What to show for it: its registered name, else its child id under its supervisor
   * (`"partition-0"`), else `null` (show the pid). Child ids come from the supervision
   * forest's last walk, so a new child may show `null` for a few seconds.
   */
  readonly label: string | null;
  /** Its status. */
  readonly status: string;
  /** Messages in its mailbox. */
  readonly messageQueueLength: number;
  /** Reductions it was charged. */
  readonly reductions: number;
  /** Memory it holds, estimated (bytes). */
  readonly memoryBytes: number;
  /** Age of its oldest queued message (ms). */
  readonly oldestMessageAgeMs: number;
  /** The callback it is running, `null` when none. */
  readonly currentCallback: string | null;
}

/**
 * A node of the supervision tree view: a `SupervisionNode` with its pid as a
 * string, plus its process id in the views.
 *
 * @example
 * ```ts
 * import type { TreeNodeJson } from "@beamlet/beamlet/observe";
 *
 * const count = (node: TreeNodeJson): number =>
 *   1 + node.children.reduce((sum, child) => sum + count(child), 0);
 * ```
 */
export interface TreeNodeJson {
  /** The pid as a string, `null` while the child is not running. */
  readonly pid: string | null;
  /** The process id of the pid in the views, `null` while not running. */
  readonly processId: string | null;
  /** Its child id under its supervisor. */
  readonly id: string | null;
  /** Its registered name (bounded), `null` when none. */
  readonly name: string | null;
  /** A supervisor or a worker. */
  readonly type: "supervisor" | "worker";
  /** Its restart policy, `null` for a root. */
  readonly restart: string | null;
  /** A supervisor's strategy. */
  readonly strategy?: string;
  /** A supervisor's kind (static or dynamic). */
  readonly kind?: string;
  /** A supervisor's restart intensity. */
  readonly restartIntensity?: { readonly intensity: number; readonly period: number };
  /** Its children, bounded. */
  readonly children: TreeNodeJson[];
  /** Children left out by the width bound. */
  readonly omittedChildren: number;
  /** Whether the depth bound cut its children. */
  readonly depthTruncated: boolean;
  /** Present (`true`) when the node cap cut its children, or kept them from being asked for. */
  readonly nodesTruncated?: boolean;
  /** Why its children could not be asked for, when they could not. */
  readonly childrenUnavailable?: string;
}

/**
 * Call latency over all servers, in ms.
 *
 * @example
 * ```ts
 * import type { CallLatencySummary } from "@beamlet/beamlet/observe";
 *
 * const slow = (latency: CallLatencySummary) => latency.p99 > 100;
 * ```
 */
export interface CallLatencySummary {
  /** Calls measured. */
  readonly count: number;
  /** Median. */
  readonly p50: number;
  /** 95th percentile. */
  readonly p95: number;
  /** 99th percentile. */
  readonly p99: number;
  /** Slowest. */
  readonly max: number;
}

/**
 * A call's latency split in three, each a {@linkcode CallLatencySummary} in
 * ms (`null` before the first call): `queued` — time calls waited in a
 * server's mailbox before `handleCall` started; `handling` — from
 * `handleCall` starting to the reply being given; `roundTrip` — what callers
 * waited, from `call()` to their answer. `queued` far above `handling`
 * means a busy server (a long mailbox makes everyone behind it wait), not a
 * slow one. From `beamlet.call.latency`.
 *
 * @example
 * ```ts
 * import type { CallLatencies } from "@beamlet/beamlet/observe";
 *
 * const busyNotSlow = (l: CallLatencies) =>
 *   l.queued !== null && l.handling !== null && l.queued.p95 > 10 * l.handling.p95;
 * ```
 */
export interface CallLatencies {
  /** Time calls waited in the server's mailbox before `handleCall` started. */
  readonly queued: CallLatencySummary | null;
  /** Time from `handleCall` starting to the reply being given. */
  readonly handling: CallLatencySummary | null;
  /** Time callers waited, from `call()` to their answer. */
  readonly roundTrip: CallLatencySummary | null;
}

/**
 * One process in detail, grouped as recon's `info/1` (see
 * `GroupedProcessInfo`), JSON-safe: pids and refs as strings, links and
 * monitors bounded (the rest counted), an unbounded mailbox's bound `null`.
 *
 * @example
 * ```ts
 * import type { ProcessDetail } from "@beamlet/beamlet/observe";
 *
 * const linked = (detail: ProcessDetail) => detail.signals.links.length + detail.signals.linksOmitted;
 * ```
 */
export interface ProcessDetail {
  /** Its process id in the views (its serial number). */
  readonly id: string;
  /** What to show for it: its registered name, else its child id, else `null` (see `ProcessItem.label`). */
  readonly label: string | null;
  /** Who it is. */
  readonly meta: Omit<GroupedProcessInfo["meta"], "pid" | "name"> & {
    /** The pid as a string. */
    readonly pid: string;
    /** Its registered name (bounded), `null` when none. */
    readonly name: string | null;
    /** The scheduler it runs on (`ProcessInfo.scheduler`: 0 is the system's own thread). */
    readonly scheduler: number;
  };
  /** Whom it is tied to. */
  readonly signals: {
    /** Linked pids as strings, at most 100. */
    readonly links: string[];
    /** Links left out. */
    readonly linksOmitted: number;
    /** The monitors it holds, as strings, at most 100. */
    readonly monitors: string[];
    /** Monitors left out. */
    readonly monitorsOmitted: number;
    /** How many processes and observers monitor it. */
    readonly monitoredBy: number;
  };
  /** Where it is. */
  readonly location: {
    /** The callback running now, `null` when none. */
    readonly currentCallback: string | null;
  };
  /** What it holds. */
  readonly memoryUsed: Omit<GroupedProcessInfo["memoryUsed"], "mailbox"> & {
    /** Its mailbox; `bound` is `null` when unbounded, `watermark` `null` without watermarks. */
    readonly mailbox:
      & Omit<GroupedProcessInfo["memoryUsed"]["mailbox"], "bound" | "watermark">
      & {
        /** Messages it holds at most, `null` when unbounded. */
        readonly bound: number | null;
        /** `"high"` or `"low"` for its watermarks, `null` when it has none. */
        readonly watermark: "high" | "low" | null;
      };
  };
  /** What it has done. */
  readonly work: GroupedProcessInfo["work"];
  /**
   * The latency of the calls it answered, split (each summary `null` when it
   * answered none lately; kept for the 1024 servers that answered last).
   */
  readonly latency: CallLatencies;
}

/**
 * One ETS-like table as the tables view gives it: ids and pids as strings,
 * its name bounded, its counters JSON-safe numbers.
 *
 * @example
 * ```ts
 * import type { TableItem } from "@beamlet/beamlet/observe";
 *
 * const line = (t: TableItem) => `${t.label} ${t.type} ${t.size} rows, owner ${t.owner}`;
 * ```
 */
export interface TableItem {
  /** Its table id, as a string. */
  readonly id: string;
  /** Its name (bounded), `null` when it has none. */
  readonly name: string | null;
  /** Its name, or `#Table<id>` when it has none. */
  readonly label: string;
  /** `set`, `ordered_set`, `bag` or `duplicate_bag`. */
  readonly type: string;
  /** `public`, `protected` or `private`. */
  readonly access: string;
  /** The position of the key in a row. */
  readonly keyPos: number;
  /** The owner's pid as a string. */
  readonly owner: string;
  /** The owner's process id in the views (its serial number). */
  readonly ownerId: string;
  /** The owner's registered name (bounded), `null` when none. */
  readonly ownerName: string | null;
  /** The heir's pid as a string, `null` when none. */
  readonly heir: string | null;
  /** Rows. */
  readonly size: number;
  /** Memory it holds, estimated (bytes). */
  readonly memoryBytes: number;
  /** Reads since it was created. */
  readonly reads: number;
  /** Writes since it was created. */
  readonly writes: number;
}

/**
 * The live ETS-like tables of a system: named ones first (by name), then
 * unnamed ones (oldest first), at most `limit`.
 *
 * @example
 * ```ts
 * import type { TablesView } from "@beamlet/beamlet/observe";
 *
 * const biggest = (view: TablesView) => Math.max(0, ...view.items.map((t) => t.size));
 * ```
 */
export interface TablesView {
  /** `Date.now()` when it was made (for rates between two views). */
  readonly time: number;
  /** Live tables. */
  readonly total: number;
  /** Live named tables. */
  readonly named: number;
  /** Tables listed at most. */
  readonly limit: number;
  /** Whether the limit left tables out. */
  readonly truncated: boolean;
  /** The tables listed. */
  readonly items: readonly TableItem[];
}

/**
 * One stage (a GenStage-style producer, consumer or producer_consumer) as
 * the views give it.
 *
 * @example
 * ```ts
 * import type { StageItem } from "@beamlet/beamlet/observe";
 *
 * const line = (s: StageItem) => `${s.label} ${s.buffered}/${s.bufferSize ?? "∞"} demand ${s.demand}`;
 * ```
 */
export interface StageItem {
  /** Its process id in the views (its serial number). */
  readonly id: string;
  /** Its pid as a string. */
  readonly pid: string;
  /** Its name (bounded), `null` when it has none. */
  readonly name: string | null;
  /** Its name, or its pid when it has none. */
  readonly label: string;
  /** `producer`, `consumer` or `producer_consumer`. */
  readonly type: string;
  /** The pipeline it belongs to, `null` when none. */
  readonly pipeline: string | null;
  /** Its role in that pipeline (`producer`, `processor`, `batcher`, `batch_processor`), `null` when none. */
  readonly role: string | null;
  /** Outstanding demand of its consumers (a producer's; 0 for a consumer). */
  readonly demand: number;
  /** Events it asked upstream and has not received yet. */
  readonly pendingAsk: number;
  /** Events in its buffer. */
  readonly buffered: number;
  /** Its buffer's bound, `null` when unbounded. */
  readonly bufferSize: number | null;
  /** Events received since it started. */
  readonly eventsIn: number;
  /** Events emitted since it started. */
  readonly eventsOut: number;
  /** Events dropped (buffer full, or no partition) since it started. */
  readonly dropped: number;
  /** Its consumers' subscriptions to it. */
  readonly subscribers: number;
  /** Its own subscriptions to producers. */
  readonly subscriptions: number;
}

/**
 * One pipeline (Broadway-style) as the views give it, with its stages
 * ordered producer → processor → batcher → batch_processor.
 *
 * @example
 * ```ts
 * import type { PipelineItem } from "@beamlet/beamlet/observe";
 *
 * const failing = (p: PipelineItem) => p.failed > 0.01 * (p.acked + p.failed);
 * ```
 */
export interface PipelineItem {
  /** Its name. */
  readonly name: string;
  /** Its top supervisor's pid as a string. */
  readonly supervisor: string;
  /** Its top supervisor's process id in the views. */
  readonly supervisorId: string;
  /** `running`, `draining` or `stopped`. */
  readonly state: string;
  /** Messages acknowledged as successful since it started. */
  readonly acked: number;
  /** Messages acknowledged as failed since it started. */
  readonly failed: number;
  /** Messages pulled and not acknowledged yet. */
  readonly inFlight: number;
  /** Batches its batchers flushed since it started. */
  readonly batchesFlushed: number;
  /** Its rate limit, `null` when none. */
  readonly rateLimit: { readonly allowed: number; readonly interval: number } | null;
  /** Its live stages, producer → processor → batcher → batch_processor. */
  readonly stages: readonly StageItem[];
}

/**
 * The live pipelines of a system (by name, at most `limit`) and the live
 * stages outside any of them.
 *
 * @example
 * ```ts
 * import type { PipelinesView } from "@beamlet/beamlet/observe";
 *
 * const acked = (view: PipelinesView) => view.items.reduce((n, p) => n + p.acked, 0);
 * ```
 */
export interface PipelinesView {
  /** `Date.now()` when it was made (for rates between two views). */
  readonly time: number;
  /** Live pipelines. */
  readonly total: number;
  /** Pipelines listed at most. */
  readonly limit: number;
  /** Whether the limit left pipelines (or stages) out. */
  readonly truncated: boolean;
  /** The pipelines listed, by name. */
  readonly items: readonly PipelineItem[];
  /** Live stages outside any listed pipeline, by name then pid (bounded). */
  readonly stages: readonly StageItem[];
}

/**
 * The live stages of a system, whatever pipeline they belong to: by
 * pipeline, then role, then name, at most `limit`.
 *
 * @example
 * ```ts
 * import type { StagesView } from "@beamlet/beamlet/observe";
 *
 * const dropping = (view: StagesView) => view.items.filter((s) => s.dropped > 0);
 * ```
 */
export interface StagesView {
  /** `Date.now()` when it was made. */
  readonly time: number;
  /** Live stages. */
  readonly total: number;
  /** Stages listed at most. */
  readonly limit: number;
  /** Whether the limit left stages out. */
  readonly truncated: boolean;
  /** The stages listed. */
  readonly items: readonly StageItem[];
}

/**
 * The system monitor in the overview (`SystemOptions.monitor`): its counters,
 * its last long callbacks (newest first, at most 20) and the processes that
 * held the scheduler longest (at most 10, as of the last process snapshot).
 *
 * @example
 * ```ts
 * import type { MonitorView } from "@beamlet/beamlet/observe";
 *
 * const worst = (m: MonitorView) => m.busiest[0]?.label ?? m.busiest[0]?.pid;
 * ```
 */
export interface MonitorView {
  /** Whether the monitor is on. */
  readonly enabled: boolean;
  /** Callbacks over the budget, since the system started. */
  readonly longCallbacks: number;
  /** Scheduler slices that held the host too long. */
  readonly longSchedules: number;
  /** Host event-loop stalls the probe saw. */
  readonly eventLoopStalls: number;
  /** The budget in ms (`monitor.longCallback`), `null` with the monitor off. */
  readonly longCallbackMs: number | null;
  /** The last long callbacks, newest first (at most 20). */
  readonly recent: readonly {
    /** When (epoch ms). */
    readonly time: number;
    /** The pid as a string. */
    readonly pid: string;
    /** Its process id in the views (its serial number). */
    readonly id: string;
    /** Its registered name, `null` when none. */
    readonly name: string | null;
    /** Its name, else its child id, else `null` (see `ProcessItem.label`). */
    readonly label: string | null;
    /** The callback kind (`"cast"`, `"call"`, ...; the last one's for a run). */
    readonly callback: string;
    /** Ms it held the scheduler. */
    readonly duration: number;
    /** That one callback's time (`true`), or a run of `callbacks` of its callbacks (`false`). */
    readonly exact: boolean;
    /** How many callbacks `duration` covers. */
    readonly callbacks: number;
    /**
     * How many processes shared them (span attribution): above 1, the
     * process named is the one of the last callback, not surely the slow one.
     */
    readonly candidates: number;
  }[];
  /** The processes whose callbacks held the scheduler longest in all (at most 10). */
  readonly busiest: readonly {
    /** The pid as a string. */
    readonly pid: string;
    /** Its process id in the views. */
    readonly id: string;
    /** Its registered name, `null` when none. */
    readonly name: string | null;
    /** Its name, else its child id, else `null`. */
    readonly label: string | null;
    /** Ms its callbacks held the scheduler, since it started. */
    readonly busyMs: number;
    /** Its callbacks over the budget. */
    readonly longCallbacks: number;
  }[];
}

/**
 * One scheduler of the system in the overview (`system.schedulers()`,
 * JSON-safe): 0 is the system's own thread, 1.. its Workers
 * (`SystemOptions.schedulers`).
 *
 * @example
 * ```ts
 * import type { SchedulerView } from "@beamlet/beamlet/observe";
 *
 * const line = (s: SchedulerView) =>
 *   `scheduler ${s.index} ${s.status} ${s.processes} processes${s.error ? `: ${s.error}` : ""}`;
 * ```
 */
export interface SchedulerView {
  /** Its index: the third number of its pids' string form. */
  readonly index: number;
  /** `"starting"`, `"running"`, `"failed"` (its Worker never started) or `"down"` (its Worker died or was stopped). */
  readonly status: "starting" | "running" | "failed" | "down";
  /** Live processes on it, as it last published (every start and every 250 ms). */
  readonly processes: number;
  /** CPU tasks (`Task.cpu`) running or queued on it. */
  readonly tasks: number;
  /**
   * Why it failed or went down, when it did: the error's message (bounded,
   * without stack trace or source paths). Absent otherwise.
   */
  readonly error?: string;
}

/**
 * One node of the cluster in the overview, as this node sees it (its last
 * heartbeat): its live processes, since when it is up, and what its
 * `Sharding`s publish, summed over them.
 *
 * @example
 * ```ts
 * import type { ClusterNodeView } from "@beamlet/beamlet/observe";
 *
 * const line = (n: ClusterNodeView) => `${n.node}${n.self ? " (this node)" : ""}: ${n.shards} shards`;
 * ```
 */
export interface ClusterNodeView {
  /** The node's name. */
  readonly node: string;
  /** This node itself. */
  readonly self: boolean;
  /** Its live processes, as its last heartbeat said. */
  readonly processes: number;
  /** When this node first heard it (ms since the epoch). */
  readonly upSince: number;
  /** Which run of the node. */
  readonly incarnation: number;
  /** The shards it owns, over every `Sharding` it takes part in. */
  readonly shards: number;
  /** The sharded entities running on it. */
  readonly entities: number;
  /** The shard hand-offs in flight on it. */
  readonly handoffs: number;
}

/**
 * The overview's `cluster`: the cluster's name, this node's name, and
 * every node up (this one included), by name. Absent on a system without
 * a cluster.
 *
 * @example
 * ```ts
 * import type { ClusterView } from "@beamlet/beamlet/observe";
 *
 * const others = (c: ClusterView) => c.nodes.filter((n) => !n.self).map((n) => n.node);
 * ```
 */
export interface ClusterView {
  /** The cluster's name. */
  readonly name: string;
  /** This node's name. */
  readonly node: string;
  /** Every node up, this one included, sorted by name. */
  readonly nodes: readonly ClusterNodeView[];
}
