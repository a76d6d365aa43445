/**
 * The default scheduling of a walker's chunks (internal): host timers that
 * do not keep the host alive (unref'd on Node and Bun, `Deno.unrefTimer` on
 * Deno) — a walker refreshing in the background never stops a program from
 * exiting — except while a read waits for the pass (then the host must
 * stay up to answer it, as for any pending I/O).
 *
 * @module
 */

import { setHostTimer } from "../_host_timer.ts";

/**
 * Runs `task` after `delayMs` ms on a host timer, unref'd unless `hold`;
 * returns its cancel (a `ChunkScheduler`, typed here without importing the
 * walker, which imports this file).
 */
export function hostChunkScheduler(task: () => void, delayMs: number, hold: boolean): () => void {
  const timer = setHostTimer(task, delayMs);
  if (!hold) timer.unref();
  return () => timer.cancel();
}
