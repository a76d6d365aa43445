/**
 * A rate limiter over an ETS-like table: the `rate_limiter` server owns a
 * protected set named `rate_limits` (`[customer, orders]` rows) and is the
 * only one that writes it — one cast per order, counted with
 * `updateCounter` — and clears it every window. Anyone reads it directly,
 * without a call: the load generator asks {@linkcode rateLimited} before
 * each order, at the cost of a Map lookup. The table shows up in the
 * dashboard's Tables view and in `/metrics`.
 *
 * @module
 */

import { type Context, type GenServer, noreply, ok, type System } from "../../mod.ts";
import { Table } from "../../tables.ts";

/** The limiter's registered name. */
export const RATE_LIMITER = "rate_limiter";
/** The table's name. */
export const RATE_LIMITS = "rate_limits";
/** The counting window, ms. */
export const WINDOW_MS = 10_000;
/** Orders a customer may place per window. */
export const ORDERS_PER_WINDOW = 25;

/** A row: a customer and its orders in the current window. */
type Row = [customer: string, orders: number];

/**
 * The limiter's callbacks: cast a customer id for each order placed.
 *
 * @example
 * ```ts
 * import { System } from "../../mod.ts";
 * import { RATE_LIMITER, rateLimited, rateLimiter } from "./rate_limiter.ts";
 *
 * const system = new System();
 * await system.start(rateLimiter, undefined, { name: RATE_LIMITER });
 * system.cast(RATE_LIMITER, "customer-1");
 * console.log(rateLimited(system, "customer-1")); // false
 * ```
 */
export const rateLimiter: GenServer<Table<Row>, undefined> = {
  init: (_arg: undefined, ctx: Context) => {
    ctx.sendAfter(ctx.self, "reset", WINDOW_MS);
    return ok(new Table<Row>(ctx, { name: RATE_LIMITS, type: "set", access: "protected" }));
  },
  handleCast: (customer: unknown, table: Table<Row>) => {
    if (typeof customer === "string") table.updateCounter(customer, 1, [customer, 0]);
    return noreply(table);
  },
  handleInfo: (message: unknown, table: Table<Row>, ctx: Context) => {
    if (message === "reset") {
      table.deleteAll();
      ctx.sendAfter(ctx.self, "reset", WINDOW_MS);
    }
    return noreply(table);
  },
};

/** Whether `customer` used up its orders for this window (a read of the table, no message). */
export function rateLimited(system: System, customer: string): boolean {
  const row = Table.whereis<Row>(system, RATE_LIMITS)?.get(customer);
  return row !== undefined && row[1] >= ORDERS_PER_WINDOW;
}
