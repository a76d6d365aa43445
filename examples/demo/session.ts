/**
 * One customer's session: a GenServer holding that customer's cart, started
 * on demand (see `sessions.ts`) and stopped after a while without messages
 * (the idle `timeout` of OTP).
 *
 * A checkout is slow (a simulated fraud check, then a charge through the
 * flaky payments worker), so the session does not do it in its callback:
 * `handleCall` starts a supervised task (`TaskSupervisor.startChild`),
 * returns `noreply`, and keeps handling other requests; the task sends its
 * outcome back as a message and `handleInfo` answers the waiting caller
 * with `ctx.reply(from, ...)` — OTP's deferred reply.
 *
 * @module
 */

import {
  type Context,
  type From,
  type GenServer,
  noreply,
  ok,
  reply,
  stop,
  TaskSupervisor,
} from "../../mod.ts";
import { type Charge, PAYMENTS, type Receipt } from "./flaky_worker.ts";

/** The task supervisor checkouts run under. */
export const CHECKOUT_TASKS = "checkout_tasks";
/** A session with no message for this long stops. */
export const SESSION_IDLE_MS = 20_000;

/** What a session answers. */
export type SessionRequest =
  | { readonly type: "view"; readonly item: string }
  | { readonly type: "add"; readonly item: string; readonly price: number }
  | { readonly type: "cart" }
  | { readonly type: "checkout" };

/** A checkout's outcome. */
export type CheckoutResult =
  | { readonly ok: true; readonly receipt: Receipt; readonly items: number }
  | { readonly ok: false; readonly reason: string };

/** A session's answer to a request. */
export type SessionReply =
  | { readonly views: number; readonly items: number; readonly total: number }
  | CheckoutResult;

interface Pending {
  readonly from: From<SessionReply>;
  readonly items: number;
}

interface SessionState {
  readonly customer: string;
  views: number;
  cart: Map<string, number>;
  orders: number;
  nextCheckout: number;
  readonly pending: Map<number, Pending>;
}

type CheckoutMessage =
  | { readonly type: "checkout_done"; readonly id: number; readonly receipt: Receipt }
  | { readonly type: "checkout_failed"; readonly id: number; readonly reason: string };

const idle = { timeout: SESSION_IDLE_MS };

function totalOf(cart: Map<string, number>): number {
  let total = 0;
  for (const price of cart.values()) total += price;
  return total;
}

function cartReply(state: SessionState): SessionReply {
  return { views: state.views, items: state.cart.size, total: totalOf(state.cart) };
}

/** The slow part of a checkout, run in a task process: a fraud check, then the charge. */
async function runCheckout(task: Context, charge: Charge): Promise<Receipt> {
  await new Promise<void>((resolve) => setTimeout(resolve, 10 + Math.random() * 40));
  return await task.call<Receipt>(PAYMENTS, charge, { timeout: 2000 });
}

function startCheckout(state: SessionState, from: From<SessionReply>, ctx: Context): void {
  const id = state.nextCheckout++;
  const charge: Charge = { customer: state.customer, amount: totalOf(state.cart) };
  state.pending.set(id, { from, items: state.cart.size });
  state.cart = new Map();
  const session = ctx.self;
  TaskSupervisor.startChild(ctx, CHECKOUT_TASKS, async (task) => {
    try {
      const receipt = await runCheckout(task, charge);
      task.send(session, { type: "checkout_done", id, receipt });
    } catch (error) {
      const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      task.send(session, { type: "checkout_failed", id, reason });
    }
  }).catch((error) => {
    ctx.send(session, { type: "checkout_failed", id, reason: `no task: ${String(error)}` });
  });
}

function settle(state: SessionState, message: CheckoutMessage, ctx: Context): void {
  const pending = state.pending.get(message.id);
  if (pending === undefined) return;
  state.pending.delete(message.id);
  if (message.type === "checkout_done") {
    state.orders++;
    ctx.reply(pending.from, { ok: true, receipt: message.receipt, items: pending.items });
  } else {
    ctx.reply(pending.from, { ok: false, reason: message.reason });
  }
}

/**
 * The session server; its init argument is the customer id.
 *
 * @example A session on its own
 * ```ts
 * import { System } from "@beamlet/beamlet";
 * import { sessionServer, type SessionReply } from "./session.ts";
 *
 * const system = new System();
 * const pid = await system.start(sessionServer, "customer-1");
 * await system.call(pid, { type: "add", item: "book", price: 1200 });
 * console.log(await system.call<SessionReply>(pid, { type: "cart" })); // { views: 0, items: 1, total: 1200 }
 * ```
 */
export const sessionServer: GenServer<SessionState, string, SessionRequest, SessionReply> = {
  init: (customer: string) =>
    ok({
      customer,
      views: 0,
      cart: new Map(),
      orders: 0,
      nextCheckout: 0,
      pending: new Map(),
    }, idle),
  // What the dashboard's state view shows (`inspection: { state: true }`): a
  // summary, with the pending callers (their reply handles) left out.
  formatStatus: (state) => ({
    customer: state.customer,
    views: state.views,
    cart: Object.fromEntries(state.cart),
    total: totalOf(state.cart),
    orders: state.orders,
    checkoutsPending: state.pending.size,
  }),
  handleCall: (request, from, state, ctx) => {
    switch (request.type) {
      case "view":
        state.views++;
        return reply(cartReply(state), state, idle);
      case "add":
        state.cart.set(request.item, request.price);
        return reply(cartReply(state), state, idle);
      case "cart":
        return reply(cartReply(state), state, idle);
      case "checkout":
        if (state.cart.size === 0) return reply({ ok: false, reason: "empty cart" }, state, idle);
        startCheckout(state, from, ctx);
        return noreply(state, idle);
    }
  },
  handleInfo: (message, state, ctx) => {
    if (message === "timeout") {
      // Idle: stop, unless a checkout is still out (its outcome will wake us).
      return state.pending.size === 0 ? stop("normal", state) : noreply(state, idle);
    }
    const checkout = message as CheckoutMessage;
    if (checkout.type === "checkout_done" || checkout.type === "checkout_failed") {
      settle(state, checkout, ctx);
    }
    return noreply(state, idle);
  },
};
