/**
 * Node monitors for processes: `monitorNode` (Erlang's
 * `monitor_node(Node, true)`) and `monitorNodes` (`net_kernel:monitor_nodes`).
 *
 * @module
 */

import type { Pid, Ref } from "../pid.ts";
import type { Context as ProcessContext } from "../context.ts";
import type { NodeDownReason, NodeEvent } from "./cluster_link.ts";
import { clusterOf } from "./cluster_of.ts";
import { checkNodeId } from "../_node_id.ts";

/**
 * The message a node monitor sends its process: `"nodedown"` (with how the
 * node left) from {@linkcode monitorNode} and {@linkcode monitorNodes},
 * `"nodeup"` from {@linkcode monitorNodes} only. `ref` is the monitor's.
 *
 * @example
 * ```ts
 * import type { NodeMessage } from "@beamlet/beamlet/cluster";
 *
 * const isDown = (message: NodeMessage) => message.type === "nodedown";
 * console.log(typeof isDown); // "function"
 * ```
 */
export interface NodeMessage {
  /** The node came up (`monitorNodes` only) or went down. */
  readonly type: "nodeup" | "nodedown";
  /** Which node. */
  readonly node: string;
  /** How it went down (`"nodedown"` only). */
  readonly reason?: NodeDownReason;
  /** The monitor's ref, as `monitorNode` / `monitorNodes` returned it. */
  readonly ref: Ref;
}

/**
 * Monitors node `node` from the process of `ctx`: it gets one
 * {@linkcode NodeMessage} `{ type: "nodedown", node, reason, ref }` (to its
 * `handleInfo`) when the node leaves (`"shutdown"`) or is lost
 * (`"noconnection"`) — at once, `"noconnection"`, if it is not up. The
 * monitor ends with the message, with {@linkcode demonitorNode}, or when
 * the process exits. `NotClusteredError` without a cluster.
 *
 * @example A process told when node "b" goes
 * ```ts
 * import { noreply, ok, System } from "@beamlet/beamlet";
 * import { monitorNode, type NodeMessage } from "@beamlet/beamlet/cluster";
 *
 * const system = new System({ node: "a", cluster: { name: "shop" } });
 * await system.ready.catch(() => {}); // no NATS server here: the process is told at once
 * await system.start({
 *   init: (_arg: undefined, ctx) => {
 *     monitorNode(ctx, "b");
 *     return ok(null);
 *   },
 *   handleInfo: (message: NodeMessage, state: null) => {
 *     console.log(message.type, message.node); // "nodedown" "b"
 *     return noreply(state);
 *   },
 * });
 * ```
 */
export function monitorNode(ctx: ProcessContext, node: string): Ref {
  checkNodeId("monitorNode", node);
  return watch(ctx, (event, ref, stop) => {
    if (event.type !== "nodedown" || event.node !== node) return;
    stop();
    ctx.system.send(ctx.self, { type: "nodedown", node, reason: event.reason, ref });
  }, (ref, stop) => {
    const link = clusterOf(ctx);
    if (link.closed || !link.isUp(node)) {
      stop();
      ctx.system.send(ctx.self, { type: "nodedown", node, reason: "noconnection", ref });
    }
  });
}

/**
 * Subscribes the process of `ctx` to every node event of its cluster: a
 * {@linkcode NodeMessage} for each node that comes up or goes down, until
 * {@linkcode demonitorNode} or the process exits. `NotClusteredError`
 * without a cluster.
 *
 * @example
 * ```ts
 * import { noreply, ok, System } from "@beamlet/beamlet";
 * import { monitorNodes, type NodeMessage } from "@beamlet/beamlet/cluster";
 *
 * const system = new System({ node: "a", cluster: { name: "shop" } });
 * await system.ready.catch(() => {});
 * await system.start({
 *   init: (_arg: undefined, ctx) => {
 *     monitorNodes(ctx);
 *     return ok(null);
 *   },
 *   handleInfo: (message: NodeMessage, state: null) => noreply(state),
 * });
 * ```
 */
export function monitorNodes(ctx: ProcessContext): Ref {
  return watch(ctx, (event, ref) => {
    ctx.system.send(ctx.self, { type: event.type, node: event.node, reason: event.reason, ref });
  });
}

/**
 * Ends a node monitor made by {@linkcode monitorNode} or
 * {@linkcode monitorNodes}: false when it had ended already.
 *
 * @example
 * ```ts
 * import { ok, System } from "@beamlet/beamlet";
 * import { demonitorNode, monitorNodes } from "@beamlet/beamlet/cluster";
 *
 * const system = new System({ node: "a", cluster: { name: "shop" } });
 * await system.ready.catch(() => {});
 * await system.start({
 *   init: (_arg: undefined, ctx) => {
 *     console.log(demonitorNode(ctx, monitorNodes(ctx))); // true
 *     return ok(null);
 *   },
 * });
 * ```
 */
export function demonitorNode(ctx: ProcessContext, ref: Ref): boolean {
  const watch = watches.get(ref);
  if (watch === undefined || !watch.owner.equals(ctx.self)) return false;
  watch.stop();
  return true;
}

/** The node monitors alive, by ref: whose, and how to end each. */
const watches = new Map<Ref, { readonly owner: Pid; readonly stop: () => void }>();

/**
 * A node-event listener tied to the process of `ctx`: the ref is a monitor
 * of the process itself, so the listener goes when the process does.
 */
function watch(
  ctx: ProcessContext,
  onEvent: (event: NodeEvent, ref: Ref, stop: () => void) => void,
  first?: (ref: Ref, stop: () => void) => void,
): Ref {
  const link = clusterOf(ctx);
  let unsubscribe: (() => void) | undefined;
  const refs: Ref[] = [];
  const forget = () => {
    unsubscribe?.();
    unsubscribe = undefined;
    watches.delete(refs[0]);
  };
  const ref = ctx.system.monitor(ctx.self, forget);
  refs.push(ref);
  const stop = () => {
    forget();
    ctx.system.demonitor(ref);
  };
  watches.set(ref, { owner: ctx.self, stop });
  unsubscribe = link.onNodeEvent((event) => onEvent(event, ref, stop));
  first?.(ref, stop);
  return ref;
}
