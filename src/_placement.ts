/**
 * Checking `StartOptions.placement` (internal), the same way whether the
 * system runs one scheduler or several.
 *
 * @module
 */

import type { Placement } from "./options.ts";
import { describeValue } from "./_inspect.ts";
import { isNodeId } from "./_node_id.ts";

/** A TypeError unless `placement` is a `Placement` (or undefined); returns it. */
export function checkPlacement(placement: unknown): Placement | undefined {
  if (
    placement === undefined || placement === "local" || placement === "round-robin" ||
    placement === "least-loaded"
  ) return placement;
  if (typeof placement === "object" && placement !== null) {
    const fields = placement as { scheduler?: unknown; partition?: unknown };
    if ("scheduler" in placement) return integerField(placement as Placement, fields.scheduler);
    if ("partition" in placement) return integerField(placement as Placement, fields.partition);
    if ("key" in placement) return placement as Placement;
    if ("node" in placement) {
      const node = (placement as { node?: unknown }).node;
      if (isNodeId(node)) return placement as Placement;
      throw new TypeError(`start: placement's node must be a node id, got ${describeValue(node)}`);
    }
  }
  throw new TypeError(
    `start: placement must be "local", "round-robin", "least-loaded", { scheduler }, { key }, { partition } or { node }, got ${
      describeValue(placement)
    }`,
  );
}

function integerField(placement: Placement, value: unknown): Placement {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0) {
    throw new TypeError(
      `start: placement's scheduler or partition must be an integer >= 0, got ${
        describeValue(value)
      }`,
    );
  }
  return placement;
}

/** The scheduler a placement pins, if it pins one (`{ scheduler: n }`). */
export function pinnedScheduler(placement: Placement | undefined): number | undefined {
  return typeof placement === "object" && placement !== null && "scheduler" in placement
    ? placement.scheduler
    : undefined;
}

/** The node a placement names, if it names one (`{ node }`). */
export function placedNode(placement: Placement | undefined): string | undefined {
  return typeof placement === "object" && placement !== null && "node" in placement
    ? placement.node
    : undefined;
}
