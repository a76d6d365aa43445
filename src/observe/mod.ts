/**
 * Views of a running system whose cost does not grow with its size: an
 * incremental walker of the process table that keeps snapshots (counts by
 * status, top and bottom processes per attribute) and serves sorted pages
 * from them, the supervision forest walked at most once per interval with
 * a node cap, the one-word health status, and the views an adapter serves
 * (`SystemObserver`: overview, process pages, tree, ETS-like tables,
 * stages and pipelines, event subscriptions, call latency) as plain data. No HTTP here: the Hono
 * adapter serves these views, and so can anything else.
 *
 * @module
 */

export * from "./errors.ts";
export * from "./process_table_snapshot.ts";
export * from "./process_table_walker.ts";
export * from "./process_page.ts";
export * from "./supervision_forest.ts";
export * from "./health_status.ts";
export * from "./event_subscription.ts";
export * from "./system_observer.ts";
export * from "./view_types.ts";
