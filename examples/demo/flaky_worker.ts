/**
 * A flaky worker: a payment gateway client that crashes on every N-th
 * charge (and, rarely, at random). The crash kills this process only: the
 * caller's `call` fails at once with an `ExitError`, a crash report is
 * logged, and its {@linkcode Supervisor} starts a fresh one under the same
 * name — the restarts show in the supervision tree and in the
 * `beamlet_supervisor_*` metrics.
 *
 * @module
 */

import type { From, GenServer } from "../../mod.ts";
import { ok, reply } from "../../mod.ts";

/** The name the worker runs under. */
export const PAYMENTS = "payments";

/** A charge request. */
export interface Charge {
  /** Who pays. */
  readonly customer: string;
  /** How much, in cents. */
  readonly amount: number;
}

/** A successful charge. */
export interface Receipt {
  /** The receipt number (per incarnation of the worker). */
  readonly id: string;
  /** The amount charged, in cents. */
  readonly amount: number;
}

/** How the worker fails. */
export interface FlakyOptions {
  /** Crash on every `crashEvery`-th charge (0: never). */
  readonly crashEvery: number;
  /** Also crash with this probability per charge. */
  readonly crashProbability: number;
}

/** The error a charge dies with. */
export class GatewayHiccupError extends Error {
  /** The charge number (in this incarnation) that failed. */
  readonly charge: number;

  /** Builds the error for charge number `charge`. */
  constructor(charge: number, cause?: unknown) {
    super(`payment gateway hiccup on charge #${charge}`, { cause });
    this.name = "GatewayHiccupError";
    this.charge = charge;
  }
}

interface PaymentsState {
  charges: number;
  readonly options: FlakyOptions;
  readonly incarnation: string;
}

/**
 * The worker: call it with a {@linkcode Charge}, get a {@linkcode Receipt}.
 *
 * @example Supervised, so it comes back after a crash
 * ```ts
 * import { Supervisor, System } from "@beamlet/beamlet";
 * import { PAYMENTS, paymentsWorker } from "./flaky_worker.ts";
 *
 * const system = new System({ logger: null });
 * await Supervisor.start(system, [{
 *   id: PAYMENTS,
 *   start: { server: paymentsWorker, arg: { crashEvery: 3, crashProbability: 0 }, options: { name: PAYMENTS } },
 * }], { intensity: 10, period: 5000 });
 * for (let i = 0; i < 6; i++) {
 *   await system.call(PAYMENTS, { customer: "c1", amount: 100 }).catch((e) => console.log(e.name));
 * }
 * ```
 */
export const paymentsWorker: GenServer<PaymentsState, FlakyOptions, Charge, Receipt> = {
  init: (options: FlakyOptions) =>
    ok({ charges: 0, options, incarnation: Math.random().toString(36).slice(2, 6) }),
  handleCall: (charge: Charge, _from: From<Receipt>, state: PaymentsState) => {
    const n = ++state.charges;
    const { crashEvery, crashProbability } = state.options;
    if ((crashEvery > 0 && n % crashEvery === 0) || Math.random() < crashProbability) {
      throw new GatewayHiccupError(n);
    }
    return reply({ id: `${state.incarnation}-${n}`, amount: charge.amount }, state);
  },
};
