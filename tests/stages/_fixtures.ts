/**
 * Stages used by the stage tests: an instrumented counter producer, a
 * collecting consumer, a doubling producer_consumer, and a manual-scheduling
 * system with helpers to start stages and run until idle.
 */

import type { StartOptions } from "../../src/options.ts";
import type { Pid } from "../../src/pid.ts";
import { System } from "../../src/system.ts";
import {
  type BufferOptions,
  type CancelReason,
  defineStage,
  type DispatcherOption,
  type StageDefinition,
  type SubscribeOptions,
  type Subscription,
} from "../../stages.ts";

/** A system on the virtual clock, silent. */
export function manualSystem(): System {
  return new System({ logger: null, scheduling: "manual" });
}

/** Starts a stage and runs the system until idle. */
export async function startStage<A>(
  system: System,
  def: StageDefinition<A>,
  arg: A,
  options: StartOptions & { name?: string } = {},
): Promise<Pid> {
  const pid = system.start(def, arg, options);
  await system.runUntilIdle();
  return await pid;
}

/** What an instrumented producer saw. */
export interface ProducerLog {
  /** Each handleDemand's argument. */
  demands: number[];
  /** Events emitted in total. */
  emitted: number;
  cancels: CancelReason[];
  subscribed: number;
}

/** A producer of 0, 1, 2, ... that emits exactly what it is asked (or `limit` events in all). */
export function counter(
  log: ProducerLog = newProducerLog(),
  options: { buffer?: BufferOptions; dispatcher?: DispatcherOption<number>; limit?: number } = {},
): StageDefinition<number> {
  const limit = options.limit ?? Infinity;
  return defineStage<number, number, number>({
    type: "producer",
    init: (start) => ({ state: start, buffer: options.buffer, dispatcher: options.dispatcher }),
    handleDemand: (demand, next) => {
      log.demands.push(demand);
      const count = Math.max(0, Math.min(demand, limit - next));
      log.emitted += count;
      return { events: Array.from({ length: count }, (_, i) => next + i), state: next + count };
    },
    handleSubscribe: (_kind, _options, _subscription, state) => (log.subscribed++, state),
    handleCancel: (reason, _subscription, state) => (log.cancels.push(reason), { state }),
  });
}

export function newProducerLog(): ProducerLog {
  return { demands: [], emitted: 0, cancels: [], subscribed: 0 };
}

/** What a collecting consumer saw. */
export interface ConsumerLog {
  batches: number[][];
  events: number[];
  cancels: CancelReason[];
  subscriptions: Subscription[];
}

export function newConsumerLog(): ConsumerLog {
  return { batches: [], events: [], cancels: [], subscriptions: [] };
}

/** A consumer that records every batch. */
export function collector(log: ConsumerLog): StageDefinition<readonly SubscribeOptions[]> {
  return defineStage<null, never, number, readonly SubscribeOptions[]>({
    type: "consumer",
    init: (subscribeTo) => ({ state: null, subscribeTo }),
    handleEvents: (events, _from, state) => {
      log.batches.push(events);
      log.events.push(...events);
      return { state };
    },
    handleSubscribe: (
      _kind,
      _options,
      subscription,
      state,
    ) => (log.subscriptions.push(subscription), state),
    handleCancel: (reason, _subscription, state) => (log.cancels.push(reason), { state }),
  });
}

/** A producer_consumer that doubles. */
export function doubler(
  options: { buffer?: BufferOptions; dispatcher?: DispatcherOption<number> } = {},
): StageDefinition<readonly SubscribeOptions[]> {
  return defineStage<null, number, number, readonly SubscribeOptions[]>({
    type: "producer_consumer",
    init: (subscribeTo) => ({ state: null, subscribeTo, ...options }),
    handleEvents: (events, _from, state) => ({ events: events.map((n) => n * 2), state }),
  });
}

/**
 * Starts a stage without running the system, and watches its exit from the
 * start (so an exit during the first run is seen). Returns its pid and exit.
 */
export function spawnWatched<A>(
  system: System,
  def: StageDefinition<A>,
  arg: A,
  options: StartOptions & { name?: string } = {},
): { pid: Pid; exited: Promise<unknown>; started: Promise<Pid> } {
  const started = system.start(def, arg, options);
  started.catch(() => {});
  const pids = system.processes();
  const pid = pids[pids.length - 1];
  return { pid, exited: system.whenExited(pid), started };
}
