/**
 * The pipeline's producer stage (internal): runs the source's producer
 * callbacks, and on the way out of them
 *
 * - counts every message the source hands out (`inFlight`),
 * - computes the partition key (`partitionBy`): a throw or a non-key fails
 *   that message at once (acked as failed, never lost),
 * - holds back what the rate limit does not allow yet (and the demand that
 *   came meanwhile), releasing it when the next window opens,
 * - labels the stage (`pipeline`, `role: "producer"`), and
 * - on drain, runs the source's `prepareForDraining` and asks it for
 *   nothing more; what was held back still goes out.
 *
 * @module
 */

import type { Context } from "../context.ts";
import type { ProducerCallbacks } from "../stages/callbacks.ts";
import type { DispatcherOption } from "../stages/types.ts";
import { describeValue } from "../_inspect.ts";
import type { PipelineMessage } from "./message.ts";
import { isPipelineMessage } from "./_is_message.ts";
import { failMessage } from "./message.ts";
import { partitionKeyOf, partitionOfKey } from "./_partition.ts";
import { type AnyProducerCallbacks, emitsWellFormed } from "./_producer_callbacks.ts";
import type { PipelineRuntime, ProducerSlot } from "./_pipeline_runtime.ts";
import { finish } from "./_process_messages.ts";
import type { Maybe } from "./_settle.ts";
import { THEN_THREW, thenError, thenOf } from "../_thenable.ts";

/** The producer's own timer: the rate limit's next window. */
class RateTick {}
const TICK = new RateTick();

interface ProducerState {
  inner: unknown;
  readonly slot: ProducerSlot;
  heldDemand: number;
  tickArmed: boolean;
  draining: boolean;
}

type Result = { state: ProducerState; events?: PipelineMessage[] } | {
  stop: unknown;
  state?: ProducerState;
};

/** The callbacks of producer `index` of pipeline `rt`, around the source's `inner`. */
export function producerCallbacks(
  rt: PipelineRuntime,
  inner: AnyProducerCallbacks,
): ProducerCallbacks<ProducerState, PipelineMessage, number> {
  const limiter = rt.rateLimiter;
  const partitionBy = rt.config.partitionBy;
  const processors = rt.config.processor.concurrency;
  const wellFormed = emitsWellFormed(inner);

  const armTick = (state: ProducerState, ctx: Context) => {
    if (state.tickArmed || limiter === undefined) return;
    state.tickArmed = true;
    ctx.sendAfter(ctx.self, TICK, limiter.msUntilNextWindow());
  };

  /** What the source emitted: counted, keyed, failed or held back; returns what goes out now. */
  const admit = (events: unknown, state: ProducerState, ctx: Context): PipelineMessage[] => {
    if (events === undefined) return [];
    if (!Array.isArray(events)) {
      throw new TypeError(
        `the pipeline's producer must emit an array, got ${describeValue(events)}`,
      );
    }
    if (events.length === 0) return [];
    let out: PipelineMessage[] = [];
    let failed: PipelineMessage[] | undefined;
    let strays = 0;
    // A well-formed source without partitionBy: its array goes on as it is.
    if (wellFormed && partitionBy === undefined) out = events as PipelineMessage[];
    else {
      for (const event of events as unknown[]) {
        if (!isPipelineMessage(event)) {
          strays++;
          continue;
        }
        if (partitionBy === undefined) {
          out.push(event);
          continue;
        }
        const key = partitionKeyOf(rt.name, partitionBy, event);
        if (typeof key === "object") (failed ??= []).push(failMessage(event, key));
        else {
          rt.partitionKeys.set(event, key);
          out.push(event);
        }
      }
    }
    if (strays > 0) {
      rt.reportFailure(
        "producer",
        new TypeError(`the producer emitted ${strays} event(s) that are not pipeline messages`),
      );
    }
    rt.handedOut(out.length + (failed?.length ?? 0));
    if (failed !== undefined) {
      for (const m of failed) rt.exception("producer", (m.status as { failed: unknown }).failed);
      void finish(rt, [], failed, ctx);
    }
    if (limiter === undefined) return out;
    const held = state.slot.held;
    if (held.length > 0) {
      for (const m of out) held.push(m);
      return [];
    }
    const granted = limiter.take(out.length);
    if (granted < out.length) {
      for (let i = granted; i < out.length; i++) held.push(out[i]);
      out = out.slice(0, granted);
      armTick(state, ctx);
    }
    return out;
  };

  /** Maps a result of the source's callback to the wrapper's. */
  const wrap = (
    result: unknown,
    state: ProducerState,
    ctx: Context,
    what: string,
    before: PipelineMessage[] = [],
  ): Result => {
    if (typeof result !== "object" || result === null) {
      throw new TypeError(
        `${what} must return { state, events? } or { stop }, got ${describeValue(result)}`,
      );
    }
    const r = result as { state?: unknown; events?: unknown; stop?: unknown };
    if ("stop" in r) {
      if ("state" in r) state.inner = r.state;
      return { stop: r.stop, state };
    }
    if (!("state" in r)) {
      throw new TypeError(
        `${what} must return { state, events? } or { stop }, got ${describeValue(result)}`,
      );
    }
    state.inner = r.state;
    const events = admit(r.events, state, ctx);
    return { state, events: before.length === 0 ? events : before.concat(events) };
  };

  /** `next(value)`, at once when `value` is not a thenable (no closure, no Promise). */
  const then = <T>(value: unknown, next: (value: unknown) => T): Maybe<T> => {
    const method = thenOf(value);
    if (method === undefined) return next(value);
    if (method === THEN_THREW) throw thenError();
    return Promise.resolve(value as PromiseLike<unknown>).then(next) as Maybe<T>;
  };

  const askSource = (
    demand: number,
    state: ProducerState,
    ctx: Context,
    before: PipelineMessage[] = [],
  ): Maybe<Result> =>
    then(
      inner.handleDemand(demand, state.inner, ctx),
      (result) => wrap(result, state, ctx, "handleDemand", before),
    );

  const dispatcher: DispatcherOption<PipelineMessage> = partitionBy === undefined ? "demand" : {
    type: "partition",
    partitions: processors,
    hash: (m) => partitionOfKey(rt.partitionKeys.get(m), processors),
  };

  return {
    type: "producer",
    init: (index, ctx) =>
      then(inner.init(rt.config.producer.arg, ctx), (result) => {
        if (typeof result !== "object" || result === null) return result as never;
        const r = result as { state?: unknown; buffer?: unknown };
        if (!("state" in r)) return result as never;
        const state: ProducerState = {
          inner: r.state,
          slot: rt.producerSlot(index),
          heldDemand: 0,
          tickArmed: false,
          draining: false,
        };
        return {
          state,
          buffer: (r.buffer as { size?: number } | undefined) ?? { size: Infinity },
          dispatcher,
          labels: { pipeline: rt.name, role: "producer" },
        };
      }),
    handleDemand: (demand, state, ctx) => {
      if (
        limiter !== undefined &&
        (state.slot.held.length > 0 || state.draining || limiter.available() <= 0)
      ) {
        state.heldDemand += demand;
        if (!state.draining) armTick(state, ctx);
        return { state };
      }
      return askSource(demand, state, ctx);
    },
    handleInfo: (message, state, ctx) => {
      if (message !== TICK) {
        if (inner.handleInfo === undefined) return { state };
        return then(
          inner.handleInfo(message, state.inner, ctx),
          (result) => wrap(result, state, ctx, "handleInfo"),
        );
      }
      state.tickArmed = false;
      const held = state.slot.held;
      const out = held.take(limiter!.take(held.length));
      if (held.length > 0) {
        armTick(state, ctx);
        return { state, events: out };
      }
      if (state.heldDemand > 0 && !state.draining && limiter!.available() > 0) {
        const demand = state.heldDemand;
        state.heldDemand = 0;
        return askSource(demand, state, ctx, out);
      }
      if (state.heldDemand > 0 && !state.draining) armTick(state, ctx);
      return { state, events: out };
    },
    handleCall: (request, from, state, ctx) => {
      if (inner.handleCall === undefined) {
        return { stop: new TypeError("the pipeline's producer has no handleCall"), state };
      }
      return then(inner.handleCall(request, from, state.inner, ctx), (result) => {
        const r = result as { reply?: unknown; noreply?: unknown };
        const mapped = wrap(result, state, ctx, "handleCall");
        if ("stop" in mapped) return { ...mapped, ...("reply" in r ? { reply: r.reply } : {}) };
        return "reply" in r
          ? { reply: r.reply, state, events: mapped.events }
          : { noreply: true as const, state, events: mapped.events };
      });
    },
    handleCast: (request, state, ctx) => {
      if (inner.handleCast === undefined) return { state };
      return then(
        inner.handleCast(request, state.inner, ctx),
        (result) => wrap(result, state, ctx, "handleCast"),
      );
    },
    handleSubscribe: (kind, options, subscription, state, ctx) => {
      if (inner.handleSubscribe === undefined) return state;
      return then(inner.handleSubscribe(kind, options, subscription, state.inner, ctx), (inner) => {
        state.inner = inner;
        return state;
      });
    },
    handleCancel: (reason, subscription, state, ctx) => {
      if (inner.handleCancel === undefined) return { state };
      return then(
        inner.handleCancel(reason, subscription, state.inner, ctx),
        (result) => wrap(result, state, ctx, "handleCancel"),
      );
    },
    prepareForDraining: (state, ctx) => {
      state.draining = true;
      state.heldDemand = 0;
      if (inner.prepareForDraining === undefined) return { state };
      return then(
        inner.prepareForDraining(state.inner, ctx),
        (result) => wrap(result, state, ctx, "prepareForDraining"),
      );
    },
    terminate: (reason, state, ctx) => inner.terminate?.(reason, state.inner, ctx),
  };
}
