/**
 * The options of {@linkcode ProcessGroups}.
 *
 * @module
 */

/**
 * How to open process groups on a clustered system.
 *
 * @example Two independent scopes
 * ```ts
 * import { System } from "@beamlet/beamlet";
 * import { ProcessGroups, type ProcessGroupsOptions } from "@beamlet/beamlet/cluster";
 *
 * const system = new System({ node: "a", cluster: { name: "shop", servers: "127.0.0.1:4222" } });
 * const options: ProcessGroupsOptions = { scope: "jobs" };
 * try {
 *   await system.ready;
 *   const jobs = new ProcessGroups(system, options);
 *   const chat = new ProcessGroups(system, { scope: "chat" });
 *   await Promise.all([jobs.ready, chat.ready]);
 *   jobs.close();
 *   chat.close();
 * } catch (error) {
 *   console.log((error as Error).name); // "ClusterConnectError" when no NATS server runs
 * }
 * await system.shutdown();
 * ```
 */
export interface ProcessGroupsOptions {
  /**
   * The scope (Erlang's `pg` scope): groups of one scope are shared by the
   * nodes that opened that scope, and unrelated to the groups of another.
   * 1 to 64 characters `A-Z a-z 0-9 _ -`; default `"default"`. One
   * `ProcessGroups` per scope per system at a time.
   */
  readonly scope?: string;
}
