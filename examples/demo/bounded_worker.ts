/**
 * A bounded worker: an order writer with a mailbox of at most
 * {@linkcode ORDERS_MAILBOX_BOUND} messages and the `"reject"` overflow
 * policy. Each order takes a few milliseconds (a simulated database write),
 * so it keeps up with the steady load and falls behind in a burst — then
 * its mailbox fills, `cast` answers `"overloaded"` at once instead of
 * queueing without limit, and the refusals are counted on the mailbox.
 *
 * @module
 */

import type { From, GenServer, StartOptions } from "../../mod.ts";
import { noreply, ok, reply } from "../../mod.ts";

/** The name the worker runs under. */
export const ORDERS = "orders";
/** Most orders waiting in its mailbox. */
export const ORDERS_MAILBOX_BOUND = 200;

/** An order to write. */
export interface Order {
  /** The customer it is for. */
  readonly customer: string;
  /** Its amount, in cents. */
  readonly amount: number;
}

/** What the worker answers to a call. */
export interface OrdersStats {
  /** Orders written since it started. */
  readonly written: number;
  /** Their total amount, in cents. */
  readonly revenue: number;
}

interface OrdersState {
  written: number;
  revenue: number;
  readonly writeMs: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The worker: cast an {@linkcode Order}, call `"stats"`. Its argument is
 * how long one write takes, ms.
 *
 * @example Refusals under overload
 * ```ts
 * import { System } from "@beamlet/beamlet";
 * import { ORDERS, ordersOptions, ordersWorker } from "./bounded_worker.ts";
 *
 * const system = new System();
 * await system.start(ordersWorker, 2, ordersOptions);
 * let refused = 0;
 * for (let i = 0; i < 1000; i++) {
 *   if (system.cast(ORDERS, { customer: "c1", amount: 100 }) === "overloaded") refused++;
 * }
 * console.log(refused); // about 800
 * ```
 */
export const ordersWorker: GenServer<OrdersState, number, "stats", OrdersStats> = {
  init: (writeMs: number) => ok({ written: 0, revenue: 0, writeMs }),
  handleCast: async (order: unknown, state: OrdersState) => {
    await sleep(state.writeMs * (0.5 + Math.random()));
    state.written++;
    state.revenue += (order as Order).amount;
    return noreply(state);
  },
  handleCall: (_request: "stats", _from: From<OrdersStats>, state: OrdersState) =>
    reply({ written: state.written, revenue: state.revenue }, state),
};

/** Its start options: the name and the bounded, rejecting mailbox. */
export const ordersOptions: StartOptions = {
  name: ORDERS,
  mailbox: { bound: ORDERS_MAILBOX_BOUND, overflow: "reject" },
};
