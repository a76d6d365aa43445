/**
 * Per-customer sessions, sharded: a {@linkcode PartitionSupervisor} runs
 * one session owner per partition; a customer id is routed by its keyed hash
 * to one owner, which starts that customer's session process on first use
 * (linked to itself, registered in a unique {@linkcode Registry} under the
 * customer id). Later calls find the session through the registry directly.
 *
 * Each call's round-trip is timed and executed as the telemetry event
 * {@linkcode SESSION_CALL_EVENT}, which the latency SLO and the
 * `demo_session_call_duration` metric read.
 *
 * @module
 */

import {
  type Context,
  ExitMessage,
  type From,
  type GenServer,
  NoProcError,
  noreply,
  ok,
  PartitionSupervisor,
  type Pid,
  Registry,
  reply,
  stop,
  type System,
  type TelemetryEvent,
} from "../../mod.ts";
import { type SessionReply, type SessionRequest, sessionServer } from "./session.ts";

/** Executed after every session call: `{ duration }` ms, metadata `{ request, outcome }`. */
export const SESSION_CALL_EVENT: TelemetryEvent = Object.freeze(["demo", "session", "call"]);

interface OwnerState {
  readonly registry: Registry;
  readonly sessions: Set<Pid>;
}

type OwnerRequest = { readonly open: string };

/** A partition: starts the sessions of its customers and outlives their exits. */
const sessionOwner: GenServer<OwnerState, Registry, OwnerRequest, Pid> = {
  init: (registry: Registry, ctx: Context) => {
    ctx.trapExit(true);
    return ok({ registry, sessions: new Set() });
  },
  handleCall: async (request: OwnerRequest, _from: From<Pid>, state: OwnerState, ctx: Context) => {
    const existing = state.registry.whereisName(request.open);
    if (existing !== undefined) return reply(existing, state);
    const pid = await ctx.startLink(sessionServer, request.open, {
      name: { via: state.registry, key: request.open },
    });
    state.sessions.add(pid);
    return reply(pid, state);
  },
  handleInfo: (message: unknown, state: OwnerState) => {
    if (!(message instanceof ExitMessage)) return noreply(state);
    if (message.from !== undefined && state.sessions.delete(message.from)) return noreply(state);
    // An exit signal from the supervisor above: stop (our sessions go with us, by their links).
    return stop(message.reason, state);
  },
};

/** Options of {@linkcode Sessions.start}. */
export interface SessionsOptions {
  /** Partitions (default 4). */
  readonly partitions?: number;
  /** Call timeout, ms (default 2000). */
  readonly timeout?: number;
}

/**
 * The sessions: `call(customer, request)` routes to (or starts) the
 * customer's session.
 *
 * @example Calling a customer's session
 * ```ts
 * import { System } from "@beamlet/beamlet";
 * import { Sessions } from "./sessions.ts";
 *
 * const system = new System();
 * const sessions = await Sessions.start(system, { partitions: 2 });
 * await sessions.call("customer-7", { type: "add", item: "pen", price: 250 });
 * console.log(sessions.count()); // 1
 * ```
 */
export class Sessions {
  /** The partition supervisor of the session owners (registered as `"sessions"`). */
  readonly supervisor: PartitionSupervisor;
  /** Customer id → session pid. */
  readonly registry: Registry;
  readonly #system: System;
  readonly #timeout: number;

  private constructor(
    system: System,
    supervisor: PartitionSupervisor,
    registry: Registry,
    timeout: number,
  ) {
    this.#system = system;
    this.supervisor = supervisor;
    this.registry = registry;
    this.#timeout = timeout;
  }

  /** Starts the partition supervisor and its session owners. */
  static async start(system: System, options: SessionsOptions = {}): Promise<Sessions> {
    const registry = new Registry(system, { keys: "unique" });
    const supervisor = await PartitionSupervisor.start(system, {
      child: { server: sessionOwner, arg: registry },
      partitions: options.partitions ?? 4,
      name: "sessions",
      intensity: 10,
      period: 5000,
    });
    return new Sessions(system, supervisor, registry, options.timeout ?? 2000);
  }

  /** Calls `customer`'s session, starting it first if it has none. */
  async call(customer: string, request: SessionRequest): Promise<SessionReply> {
    const start = performance.now();
    let outcome = "ok";
    try {
      return await this.#callOnce(customer, request, true);
    } catch (error) {
      outcome = error instanceof Error ? error.name : "error";
      throw error;
    } finally {
      this.#system.telemetry.execute(
        SESSION_CALL_EVENT,
        { duration: performance.now() - start },
        { request: request.type, outcome },
      );
    }
  }

  /** Live sessions. */
  count(): number {
    return this.registry.count();
  }

  async #callOnce(
    customer: string,
    request: SessionRequest,
    retry: boolean,
  ): Promise<SessionReply> {
    const options = { timeout: this.#timeout };
    const pid = this.registry.whereisName(customer) ??
      await this.supervisor.call<Pid>(customer, { open: customer }, options);
    try {
      return await this.#system.call<SessionReply>(pid, request, options);
    } catch (error) {
      // The session stopped (idle) between the lookup and the call: open a new one, once.
      if (retry && error instanceof NoProcError) return this.#callOnce(customer, request, false);
      throw error;
    }
  }
}
