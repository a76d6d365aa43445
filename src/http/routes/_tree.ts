/**
 * `GET /tree`: every top-level supervisor's tree, bounded in depth, width
 * and the time each supervisor gets to answer.
 *
 * @module
 */

import type { Handler } from "hono";
import { supervisionTree } from "../../introspection/supervision_tree.ts";
import type { AppState } from "../_app_state.ts";
import { treeJson } from "../_tree_json.ts";

/** Bounds of the tree walk. */
const TREE_OPTIONS = { maxDepth: 16, maxChildren: 100, timeout: 2000 } as const;
/** Top-level supervisors listed. */
const MAX_ROOTS = 100;

/** The supervision tree route. */
export function treeRoute(state: AppState): Handler {
  return async (c) => {
    const roots = await supervisionTree(state.system, undefined, TREE_OPTIONS);
    c.header("Cache-Control", "no-store");
    return c.json({
      roots: roots.slice(0, MAX_ROOTS).map(treeJson),
      omittedRoots: Math.max(0, roots.length - MAX_ROOTS),
    });
  };
}
