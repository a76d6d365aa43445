/**
 * The demo's process tree, started in order:
 *
 * ```
 * demo (Supervisor, one_for_one)
 * ├── tracker    metrics tracker: casts batched, flushed every second
 * ├── orders     bounded worker: mailbox of 200, "reject" when full
 * ├── rate_limiter  owns the protected `rate_limits` table: orders per customer
 * └── payments   flaky worker: crashes every N-th charge, restarted
 * checkout_tasks (TaskSupervisor)  slow checkouts, off the session callbacks
 * sessions (PartitionSupervisor)   session owners → per-customer sessions
 * ```
 *
 * @module
 */

import { Supervisor, type System, TaskSupervisor } from "../../mod.ts";
import { ordersOptions, ordersWorker } from "./bounded_worker.ts";
import { type FlakyOptions, PAYMENTS, paymentsWorker } from "./flaky_worker.ts";
import { metricsTracker } from "./metrics_tracker.ts";
import { RATE_LIMITER, rateLimiter } from "./rate_limiter.ts";
import { CHECKOUT_TASKS } from "./session.ts";
import { Sessions } from "./sessions.ts";

/** Options of {@linkcode startServices}. */
export interface ServicesOptions {
  /** How the payments worker fails (default: every 97th charge, and 0.1% at random). */
  readonly payments?: FlakyOptions;
  /** Mean time of one order write, ms (default 2.5). */
  readonly orderWriteMs?: number;
  /** Session partitions (default 4). */
  readonly partitions?: number;
}

/** What {@linkcode startServices} started. */
export interface Services {
  /** The root supervisor of tracker, orders and payments. */
  readonly root: Awaited<ReturnType<typeof Supervisor.start>>;
  /** The sessions. */
  readonly sessions: Sessions;
}

/**
 * Starts every service of the demo.
 *
 * @example The whole tree
 * ```ts
 * import { System } from "@beamlet/beamlet";
 * import { startServices } from "./services.ts";
 *
 * const system = new System();
 * const { sessions } = await startServices(system);
 * console.log(sessions.count()); // 0
 * ```
 */
export async function startServices(
  system: System,
  options: ServicesOptions = {},
): Promise<Services> {
  const root = await Supervisor.start(system, [
    { id: "tracker", start: { server: metricsTracker, options: { name: "tracker" } } },
    {
      id: "orders",
      start: { server: ordersWorker, arg: options.orderWriteMs ?? 2.5, options: ordersOptions },
    },
    { id: RATE_LIMITER, start: { server: rateLimiter, options: { name: RATE_LIMITER } } },
    {
      id: PAYMENTS,
      start: {
        server: paymentsWorker,
        arg: options.payments ?? { crashEvery: 97, crashProbability: 0.001 },
        options: { name: PAYMENTS },
      },
    },
  ], { strategy: "one_for_one", intensity: 30, period: 10_000, name: "demo" });
  await TaskSupervisor.start(system, { name: CHECKOUT_TASKS, shutdown: 1000 });
  const sessions = await Sessions.start(system, { partitions: options.partitions ?? 4 });
  return { root, sessions };
}
