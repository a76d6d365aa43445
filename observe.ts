/**
 * Views of a running system whose cost does not grow with its size: an
 * incremental walker of the process table that keeps snapshots (counts by
 * status, top and bottom processes per attribute) and serves sorted pages
 * from them, the supervision forest walked at most once per interval with a
 * node cap, and the one-word health status. No HTTP here: the Hono adapter
 * (`@beamlet/beamlet/hono`) serves these views, and so can anything else.
 *
 * @example The ten longest mailboxes, from a walked snapshot
 * ```ts
 * import { ok, System } from "@beamlet/beamlet";
 * import { processPage, ProcessTableWalker } from "@beamlet/beamlet/observe";
 *
 * const system = new System();
 * for (let i = 0; i < 50; i++) await system.start({ init: () => ok(i) });
 * const walker = new ProcessTableWalker(system, { schedule: "manual" });
 * const page = processPage(walker.refresh(), {
 *   sort: "messageQueueLength",
 *   order: "desc",
 *   offset: 0,
 *   limit: 10,
 * });
 * console.log(page.items.length, page.total); // 10 50
 * walker.close();
 * system.shutdown();
 * ```
 *
 * @module
 */

export {
  MalformedObserveRequestError,
  ProcessNotFoundError,
  WalkerClosedError,
} from "./src/observe/errors.ts";
export type {
  ProcessTableSnapshot,
  RankOrder,
  WalkedProcess,
} from "./src/observe/process_table_snapshot.ts";
export {
  type ChunkScheduler,
  ProcessTableWalker,
  type ProcessTableWalkerOptions,
} from "./src/observe/process_table_walker.ts";
export {
  type ProcessPage,
  processPage,
  type ProcessPageQuery,
} from "./src/observe/process_page.ts";
export {
  SupervisionForest,
  type SupervisionForestOptions,
  type SupervisionForestSnapshot,
} from "./src/observe/supervision_forest.ts";
export { type HealthStatus, healthStatus } from "./src/observe/health_status.ts";
export * from "./src/observe/event_subscription.ts";
export * from "./src/observe/system_observer.ts";
export * from "./src/observe/view_types.ts";
