/**
 * The batcher's process (internal): a GenServer whose state is the shared
 * {@linkcode BatcherCore}. It takes batches out of the pending items (at
 * `maxItems`, after `interval`, on `flush()`), flushes them one at a time in
 * order — the flush's Promise holds the process, as any callback's — and
 * schedules retries with `sendAfter`, so the process keeps taking items
 * while it waits. It traps exits, so a supervisor's shutdown runs
 * `terminate`, which flushes everything still pending.
 *
 * @module
 */

import type { Context } from "../context.ts";
import { ExitMessage } from "../system_messages.ts";
import {
  type CallResult,
  type GenServer,
  type MaybePromise,
  noreply,
  type NoReplyCallbackResult,
  ok,
  reply,
  stop,
} from "../gen_server.ts";
import type { ExitReason } from "../exit_reason.ts";
import type { From } from "../from.ts";
import type { System } from "../system.ts";
import { MAX_TIMEOUT_MS } from "../options.ts";
import {
  type Batch,
  type BatcherCore,
  type FLUSH,
  PUMP,
  RetryDue,
  TickDue,
  WAKE,
} from "./_batcher_core.ts";
import { backoffAfter } from "./_config.ts";
import { attemptFlush } from "./_flush_attempt.ts";
import { BatcherError } from "./errors.ts";

type Core = BatcherCore<unknown>;
type Result = MaybePromise<NoReplyCallbackResult<Core>>;

/** The batcher process's callbacks; its init argument is the shared record. */
export const batcherServer: GenServer<Core, Core, typeof FLUSH, void> = {
  init(core: Core, ctx: Context) {
    const system = ctx.system;
    if (core.pid !== undefined && core.system?.isAlive(core.pid)) {
      return stop(new BatcherError(core.label, `batcher ${core.label} is already running`));
    }
    // The previous incarnation was killed and its monitor has not told yet.
    if (core.running) core.abandon(core.exitReason ?? "killed");
    core.system = system;
    core.pid = ctx.self;
    core.label = core.config.name ?? String(ctx.self);
    core.exitReason = undefined;
    core.woken = false;
    core.pumping = false;
    core.running = true;
    const epoch = ++core.epoch;
    ctx.trapExit(true);
    system.monitor(ctx.self, (reason) => {
      if (core.epoch === epoch) core.abandon(reason);
    });
    return ok(core);
  },

  handleInfo(message: unknown, core: Core, ctx: Context): Result {
    if (message === WAKE) {
      core.woken = false;
      const { maxItems } = core.config;
      while (core.buffer.size >= maxItems) core.take("size", maxItems);
      armTick(core, ctx);
      return pump(core, ctx);
    }
    if (message instanceof TickDue) {
      if (message.generation !== core.tickGeneration) return noreply(core);
      core.tickRef = undefined;
      core.takeAll("interval");
      return pump(core, ctx);
    }
    if (message instanceof RetryDue) {
      if (message.batch.retryRef === undefined) return noreply(core);
      message.batch.retryRef = undefined;
      return pump(core, ctx);
    }
    if (message === PUMP) {
      core.pumping = false;
      return pump(core, ctx);
    }
    // A trapped exit signal sent from outside any process (`system.exit`):
    // stop as if it came from a parent, flushing in terminate.
    if (message instanceof ExitMessage && message.from === undefined) {
      return message.reason === "normal" ? noreply(core) : stop(message.reason, core);
    }
    return noreply(core);
  },

  handleCall(
    _request: typeof FLUSH,
    from: From<void>,
    core: Core,
    ctx: Context,
  ): MaybePromise<CallResult<Core, void>> {
    core.takeAll("manual");
    const last = core.queue.at(-1);
    if (last === undefined) return reply(undefined, core);
    (last.barriers ??= []).push(from);
    return pump(core, ctx);
  },

  terminate(reason: ExitReason, core: Core): unknown {
    core.running = false;
    core.exitReason = reason;
    core.cancelTick();
    core.takeAll("shutdown");
    if (core.queue.length === 0) return undefined;
    return drain(core, core.system!);
  },

  // State inspection: the counters, never the pending items (they may be many, or secret).
  formatStatus(core: Core) {
    const { name, maxItems, interval, attempts, maxPending } = core.config;
    return {
      name,
      maxItems,
      interval,
      attempts,
      maxPending,
      batchesQueued: core.queue.length,
      pumping: core.pumping,
      ...core.stats(),
    };
  },
};

/** Arms the interval timer for the oldest pending item, if it is not armed for it already. */
function armTick(core: Core, ctx: Context): void {
  const oldest = core.buffer.oldest();
  if (oldest === undefined) return core.cancelTick();
  const due = oldest.at + core.config.interval;
  if (core.tickRef !== undefined && core.tickDue === due) return;
  core.cancelTick();
  core.tickDue = due;
  const delay = Math.min(MAX_TIMEOUT_MS, due - ctx.system.now());
  const tick = new TickDue(core.tickGeneration);
  if (delay > 0) core.tickRef = ctx.sendAfter(ctx.self, tick, delay);
  else {
    core.tickRef = "now";
    ctx.send(ctx.self, tick);
  }
}

/** Flushes the head batch unless it waits for a retry; then asks for the next one. */
function pump(core: Core, ctx: Context): Result {
  const batch = core.queue[0];
  if (batch === undefined || batch.retryRef !== undefined) return noreply(core);
  const epoch = core.epoch;
  return attemptFlush(core, batch).then((outcome) => {
    if (core.epoch !== epoch) return noreply(core); // killed meanwhile: already accounted
    if (!outcome.failed) core.complete(batch, undefined);
    else if (batch.attempts < core.config.attempts) {
      const delay = backoffAfter(core.config, batch.attempts);
      if (delay > 0) batch.retryRef = ctx.sendAfter(ctx.self, new RetryDue(batch), delay);
      else {
        batch.retryRef = "now";
        ctx.send(ctx.self, new RetryDue(batch));
      }
    } else core.complete(batch, outcome);
    const next: Batch<unknown> | undefined = core.queue[0];
    if (next !== undefined && next.retryRef === undefined && !core.pumping) {
      core.pumping = true;
      ctx.send(ctx.self, PUMP);
    }
    return noreply(core);
  });
}

/** terminate's flush: every batch, in order, each with the attempts it has left. */
async function drain(core: Core, system: System): Promise<void> {
  const epoch = core.epoch;
  while (core.queue.length > 0) {
    const batch = core.queue[0];
    if (batch.retryRef !== undefined) {
      const left = batch.retryRef === "now" ? 0 : system.cancelTimer(batch.retryRef);
      batch.retryRef = undefined;
      if (left !== false && left > 0) await sleep(system, left);
      if (core.epoch !== epoch) return;
    }
    const outcome = await attemptFlush(core, batch);
    if (core.epoch !== epoch) return; // killed meanwhile: already accounted
    if (!outcome.failed) core.complete(batch, undefined);
    else if (batch.attempts < core.config.attempts) {
      await sleep(system, backoffAfter(core.config, batch.attempts));
      if (core.epoch !== epoch) return;
    } else core.complete(batch, outcome);
  }
}

function sleep(system: System, ms: number): Promise<void> {
  return new Promise((resolve) => system.setTimer(ms, resolve));
}
