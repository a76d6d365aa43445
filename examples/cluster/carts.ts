/**
 * The entities of the cluster example: shopping carts, one per key, spread
 * over the nodes by `Sharding` and handed off with their items when the
 * shard they sit in moves to another node.
 *
 * @module
 */

import { type GenServer, noreply, ok, reply } from "../../mod.ts";
import type { EntityInit } from "../../cluster.ts";

/** A cart's state: its key and the items in it. */
export interface Cart {
  readonly key: string;
  readonly items: string[];
  /** Nodes it has lived on, in order (a hand-off adds the next one). */
  readonly nodes: string[];
}

/** What a cart is asked. */
export type CartCall = { readonly add: string } | "items" | "nodes";

/** The cart behaviour: `init` gets its key and, when it moved, the former owner's state. */
export const cart: GenServer<Cart, EntityInit, CartCall, number | string[], "touch"> = {
  init: ({ key, handoff }, ctx) => {
    const before = handoff as Cart | undefined;
    return ok({
      key: String(key),
      items: before?.items ?? [],
      nodes: [...(before?.nodes ?? []), ctx.self.node],
    });
  },
  handleCall: (request, _from, state) => {
    if (request === "items") return reply(state.items.length, state);
    if (request === "nodes") return reply(state.nodes, state);
    state.items.push(request.add);
    return reply(state.items.length, state);
  },
  handleCast: (_message, state) => noreply(state),
};
