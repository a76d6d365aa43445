/**
 * `GET /tree`: the top-level supervisors' trees, bounded in depth, width,
 * total nodes (`limits.maxTreeNodes`) and the time each supervisor gets to
 * answer, walked at most once a second whoever asks (`snapshotAgeMs` says
 * how old the walk is). `truncated` says whether the node cap cut
 * anything; `omittedRoots` how many trees it left out.
 *
 * @module
 */

import type { Handler } from "hono";
import type { AppState } from "../_app_state.ts";

/** The supervision tree route. */
export function treeRoute(state: AppState): Handler {
  return async (c) => {
    const tree = await state.observer.tree();
    c.header("Cache-Control", "no-store");
    return c.json(tree);
  };
}
