/**
 * The plain, JSON-safe records the observation views are made of: a
 * process row, a supervision tree node, call latency quantiles, the
 * ETS-like tables.
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
  /** Who it is. */
  readonly meta: Omit<GroupedProcessInfo["meta"], "pid" | "name"> & {
    /** The pid as a string. */
    readonly pid: string;
    /** Its registered name (bounded), `null` when none. */
    readonly name: string | null;
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
    /** Its mailbox; `bound` is `null` when unbounded. */
    readonly mailbox: Omit<GroupedProcessInfo["memoryUsed"]["mailbox"], "bound"> & {
      /** Messages it holds at most, `null` when unbounded. */
      readonly bound: number | null;
    };
  };
  /** What it has done. */
  readonly work: GroupedProcessInfo["work"];
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
