/**
 * Node ids (internal): what names a system in its pids and refs, and the
 * fresh id a system gets when its options name none.
 *
 * @module
 */

/** What a node id may be: 1 to 64 of `A-Z a-z 0-9 _ - @` (no `.`: the string forms use it). */
export const NODE_ID = /^[A-Za-z0-9_@-]{1,64}$/;

/** The node of pids and refs made outside any system (`new Pid(serial)`, placeholders). */
export const DETACHED_NODE = "0";

/** Whether `node` is a valid node id. Never throws. */
export function isNodeId(node: unknown): node is string {
  return typeof node === "string" && NODE_ID.test(node);
}

/** A TypeError unless `node` is a valid node id. */
export function checkNodeId(what: string, node: unknown): string {
  if (!isNodeId(node)) {
    throw new TypeError(
      `${what}: a node id must be a string of 1 to 64 characters A-Z a-z 0-9 _ - @, got ${
        typeof node === "string" ? JSON.stringify(node.slice(0, 80)) : typeof node
      }`,
    );
  }
  return node;
}

let nodeBase = -1;
let nodeCount = 0;

/**
 * A fresh node id for a system given none: a random base for this
 * JavaScript process (so two processes rarely collide) plus a counter (so
 * two systems in one process never do), in base 36 — e.g. `"k3x9a"`.
 */
export function freshNodeId(): string {
  if (nodeBase < 0) nodeBase = Math.floor(Math.random() * 36 ** 5);
  const n = (nodeBase + nodeCount++) % 36 ** 6;
  // A letter first, so a generated id never looks like a number (nor the detached "0").
  return "n" + n.toString(36).padStart(5, "0");
}
