/**
 * What the views show for a pid: its registered name, else its child id
 * under its supervisor (a partition's children are `partition-0`, …), else
 * nothing (the client shows the pid). Child ids come from the supervision
 * forest's walks, so the map is bounded by the forest's node cap and is
 * refreshed in the background at most once per interval: a view never
 * waits for a walk, and a child id may lag a restart by one interval.
 *
 * @module
 */

import type { SupervisionNode } from "../introspection/supervision_node.ts";
import type { SupervisionForest, SupervisionForestSnapshot } from "./supervision_forest.ts";
import { capString } from "./_sanitize.ts";

/** Least ms (system clock) between two background refreshes. */
const REFRESH_MS = 5000;

/** @internal See the module doc. */
export class ProcessLabels {
  readonly #forest: SupervisionForest;
  readonly #now: () => number;
  /** `String(pid)` → child id, from the last walk read. */
  #childIds = new Map<string, string>();
  #seen: SupervisionForestSnapshot | undefined;
  #askedAt = -Infinity;
  #asking = false;

  constructor(forest: SupervisionForest, now: () => number) {
    this.#forest = forest;
    this.#now = now;
  }

  /**
   * The label of `pid`: `name` when it has one, else its child id, else `null`.
   * Starts a background refresh when the map is older than the interval.
   */
  labelOf(pid: unknown, name: string | null | undefined): string | null {
    if (typeof name === "string" && name.length > 0) return capString(name);
    this.refresh();
    return this.#childIds.get(String(pid)) ?? null;
  }

  /** Reads the forest again (without waiting) if the last read is older than the interval. */
  refresh(): void {
    const now = this.#now();
    if (this.#asking || now - this.#askedAt < REFRESH_MS) return;
    this.#asking = true;
    this.#askedAt = now;
    this.#forest.snapshot().then(
      (snapshot) => this.update(snapshot),
      () => {}, // a failed walk keeps the last map
    ).finally(() => (this.#asking = false));
  }

  /** Takes a walk's child ids (a walk the tree view made, or the refresh's). */
  update(snapshot: SupervisionForestSnapshot): void {
    if (snapshot === this.#seen) return;
    this.#seen = snapshot;
    const childIds = new Map<string, string>();
    const visit = (node: SupervisionNode) => {
      if (node.pid !== undefined && node.id !== undefined) {
        childIds.set(String(node.pid), capString(node.id));
      }
      node.children.forEach(visit);
    };
    snapshot.roots.forEach(visit);
    this.#childIds = childIds;
  }
}
