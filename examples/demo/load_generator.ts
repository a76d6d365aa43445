/**
 * The load generator: a steady rate of operations with periodic bursts,
 * paced by timers on the system (`system.setTimer`), never awaiting in its
 * tick. A mix of session calls (view, add to cart, checkout) and order
 * casts to the bounded worker (unless the customer used up its orders for
 * the window: a read of the `rate_limits` table, no message); every
 * outcome — ok, refused (a full mailbox said `"overloaded"`, too many calls
 * in flight, or rate-limited), failed — is cast to the metrics tracker.
 *
 * @module
 */

import type { Ref, System } from "../../mod.ts";
import { ORDERS } from "./bounded_worker.ts";
import { RATE_LIMITER, rateLimited } from "./rate_limiter.ts";
import type { Outcome, Sample } from "./metrics_tracker.ts";
import type { Sessions } from "./sessions.ts";
import type { SessionReply, SessionRequest } from "./session.ts";

/** Options of {@linkcode LoadGenerator}. */
export interface LoadOptions {
  /** Steady operations per second (default 800). */
  readonly rate?: number;
  /** A burst starts every this many ms, the first after 40% of it (default 20 000; 0: no bursts). */
  readonly burstEvery?: number;
  /** A burst lasts this long, ms (default 4000). */
  readonly burstLength?: number;
  /** The rate is multiplied by this during a burst (default 5). */
  readonly burstFactor?: number;
  /** Distinct customers (default 2000; a few are much hotter than the rest). */
  readonly customers?: number;
  /** Where samples go (default `"tracker"`). */
  readonly tracker?: string;
  /** Most session calls awaiting a reply; beyond it an operation is shed (default 2000). */
  readonly maxInFlight?: number;
}

const TICK_MS = 50;
const ITEMS = ["book", "lamp", "mug", "pen", "plant", "chair", "desk", "cable"];

/**
 * Drives the demo's load until `stop()`.
 *
 * @example A light steady load
 * ```ts
 * import { System } from "@beamlet/beamlet";
 * import { LoadGenerator } from "./load_generator.ts";
 * import { Sessions } from "./sessions.ts";
 *
 * const system = new System();
 * const sessions = await Sessions.start(system);
 * const load = new LoadGenerator(system, sessions, { rate: 100, burstEvery: 0 });
 * load.start();
 * load.stop();
 * ```
 */
export class LoadGenerator {
  readonly #system: System;
  readonly #sessions: Sessions;
  readonly #rate: number;
  readonly #burstEvery: number;
  readonly #burstLength: number;
  readonly #burstFactor: number;
  readonly #customers: number;
  readonly #tracker: string;
  readonly #maxInFlight: number;
  #timer: Ref | undefined;
  #startedAt = 0;
  #owed = 0;
  #inFlight = 0;
  #running = false;

  /** Builds a generator; nothing runs before `start()`. */
  constructor(system: System, sessions: Sessions, options: LoadOptions = {}) {
    this.#system = system;
    this.#sessions = sessions;
    this.#rate = options.rate ?? 800;
    this.#burstEvery = options.burstEvery ?? 20_000;
    this.#burstLength = options.burstLength ?? 4000;
    this.#burstFactor = options.burstFactor ?? 5;
    this.#customers = options.customers ?? 2000;
    this.#tracker = options.tracker ?? "tracker";
    this.#maxInFlight = options.maxInFlight ?? 2000;
  }

  /** Whether a burst is on now. */
  get bursting(): boolean {
    if (!this.#running || this.#burstEvery <= 0) return false;
    const first = this.#burstEvery * 0.4;
    const elapsed = this.#system.now() - this.#startedAt;
    return elapsed >= first && (elapsed - first) % this.#burstEvery < this.#burstLength;
  }

  /** Session calls awaiting their reply. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** Starts ticking. */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#startedAt = this.#system.now();
    this.#timer = this.#system.setTimer(TICK_MS, this.#tick);
  }

  /** Stops ticking (calls in flight still settle). */
  stop(): void {
    this.#running = false;
    if (this.#timer !== undefined) this.#system.cancelTimer(this.#timer);
    this.#timer = undefined;
  }

  readonly #tick = (): void => {
    if (!this.#running) return;
    const rate = this.#rate * (this.bursting ? this.#burstFactor : 1);
    this.#owed += rate * TICK_MS / 1000;
    const now = Math.floor(this.#owed);
    this.#owed -= now;
    for (let i = 0; i < now; i++) this.#operation();
    this.#timer = this.#system.setTimer(TICK_MS, this.#tick);
  };

  #record(op: string, outcome: Outcome, ms?: number): void {
    const sample: Sample = ms === undefined ? { op, outcome } : { op, outcome, ms };
    this.#system.cast(this.#tracker, sample);
  }

  #customer(): string {
    // Squaring a uniform number skews towards low ids: a few hot customers.
    return `customer-${Math.floor(this.#customers * Math.random() ** 2)}`;
  }

  #operation(): void {
    const dice = Math.random();
    if (dice < 0.25) {
      const customer = this.#customer();
      if (rateLimited(this.#system, customer)) {
        this.#record("orders.limited", "refused");
        return;
      }
      const delivery = this.#system.cast(ORDERS, {
        customer,
        amount: 100 + Math.floor(Math.random() * 9900),
      });
      if (delivery === "ok") this.#system.cast(RATE_LIMITER, customer);
      this.#record("orders.submit", delivery === "ok" ? "ok" : "refused");
      return;
    }
    const item = ITEMS[Math.floor(Math.random() * ITEMS.length)];
    const request: SessionRequest = dice < 0.7
      ? { type: "view", item }
      : dice < 0.96
      ? { type: "add", item, price: 100 + Math.floor(Math.random() * 4900) }
      : { type: "checkout" };
    this.#callSession(request);
  }

  #callSession(request: SessionRequest): void {
    const op = `session.${request.type}`;
    if (this.#inFlight >= this.#maxInFlight) {
      this.#record(op, "refused");
      return;
    }
    this.#inFlight++;
    const start = performance.now();
    this.#sessions.call(this.#customer(), request).then(
      (answer: SessionReply) => {
        const failed = "ok" in answer && !answer.ok && answer.reason !== "empty cart";
        this.#record(op, failed ? "failed" : "ok", performance.now() - start);
      },
      () => this.#record(op, "failed", performance.now() - start),
    ).finally(() => this.#inFlight--);
  }
}
