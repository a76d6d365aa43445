/**
 * What a processor does with the messages it receives (internal): runs
 * `handleMessage` on each, in order; a throw, a rejection or a result
 * that is not the message it was given fails that message only. Failed
 * messages go through `handleFailed` and are acked; successful ones are
 * acked (no batchers) or returned to be sent to their batcher (an unknown
 * batcher fails them).
 *
 * @module
 */

import type { Context } from "../context.ts";
import { describeValue } from "../_inspect.ts";
import { MessageReturnError, UnknownBatcherError } from "./errors.ts";
import { failMessage, type PipelineMessage } from "./message.ts";
import { isPipelineMessage } from "./_is_message.ts";
import { ackMessages } from "./_ack.ts";
import { isPromise, type Maybe, settle } from "./_settle.ts";
import { THEN_THREW, thenError, thenOf } from "../_thenable.ts";
import type { PipelineRuntime } from "./_pipeline_runtime.ts";

const PROCESSOR_KEY = "default";

/**
 * Runs `handleFailed` over `failed` (if any), then acks everything given —
 * unless the stage was killed meanwhile: its messages went with it (a
 * restart counts them as lost; a real source redelivers them), and a dead
 * process never acts again.
 */
export function finish(
  rt: PipelineRuntime,
  successful: PipelineMessage[],
  failed: PipelineMessage[],
  ctx: Context,
): Maybe<void> {
  const ack = (ok: readonly PipelineMessage[], failures: readonly PipelineMessage[]) => {
    if (ctx.system.isAlive(ctx.self)) ackMessages(ok, failures, rt);
  };
  const handleFailed = rt.config.handleFailed;
  if (handleFailed === undefined || failed.length === 0) {
    ack(successful, failed);
    return;
  }
  const done = (handled: readonly PipelineMessage[]) => ack(successful, handled);
  return settle(
    () => handleFailed(failed.slice(), ctx),
    (returned) => done(checkedFailed(rt, failed, returned)),
    (error) => {
      rt.reportFailure("handleFailed", error);
      done(failed);
    },
  );
}

/** What `handleFailed` returned, if it is the failed messages (same count, same sources), else `failed`. */
function checkedFailed(
  rt: PipelineRuntime,
  failed: PipelineMessage[],
  returned: unknown,
): readonly PipelineMessage[] {
  if (
    Array.isArray(returned) && returned.length === failed.length &&
    returned.every((m, i) => isPipelineMessage(m) && m.acknowledger === failed[i].acknowledger)
  ) {
    return returned;
  }
  rt.reportFailure(
    "handleFailed",
    new TypeError(
      `handleFailed must return the ${failed.length} messages it was given, got ${
        describeValue(returned)
      }`,
    ),
  );
  return failed;
}

/**
 * Whether `value` is `original` or a message of the same acknowledger (an
 * updated copy): what `isPipelineMessage` and the acknowledger check say
 * together, in fewer reads — `original` was checked when it left the
 * producer, so its acknowledger is known to be good.
 */
function isMessageOf(value: unknown, original: PipelineMessage): value is PipelineMessage {
  if (value === original) return true;
  if (typeof value !== "object" || value === null) return false;
  try {
    const m = value as Partial<PipelineMessage>;
    if (m.acknowledger !== original.acknowledger || typeof m.batcher !== "string") return false;
    const status = m.status;
    return status === "ok" || (typeof status === "object" && status !== null && "failed" in status);
  } catch {
    return false;
  }
}

/** Handles `messages` in a processor: resolves with the messages to send to batchers. */
export function processMessages(
  rt: PipelineRuntime,
  messages: readonly PipelineMessage[],
  ctx: Context,
): Maybe<PipelineMessage[]> {
  const forward: PipelineMessage[] = [];
  const failed: PipelineMessage[] = [];
  const batchers = rt.batcherNames;
  const handleMessage = rt.config.handleMessage;
  const keyed = batchers.length > 0 && rt.config.partitionBy !== undefined;

  const fail = (original: PipelineMessage, reason: unknown): void => {
    rt.exception(PROCESSOR_KEY, reason);
    failed.push(failMessage(original, reason));
  };
  const accept = (original: PipelineMessage, returned: unknown): void => {
    if (isMessageOf(returned, original)) {
      route(original, returned);
    } else if (!isPipelineMessage(returned)) {
      fail(
        original,
        new MessageReturnError(
          rt.name,
          "handleMessage",
          "not_a_message",
          `got ${describeValue(returned)}`,
        ),
      );
    } else if (returned.acknowledger !== original.acknowledger) {
      fail(
        original,
        new MessageReturnError(
          rt.name,
          "handleMessage",
          "other_message",
          "it returned a message of another acknowledger",
        ),
      );
    } else {
      route(original, returned);
    }
  };
  /** A valid message of `original`'s acknowledger: failed, to its batcher, or acked. */
  const route = (original: PipelineMessage, returned: PipelineMessage): void => {
    if (returned.status !== "ok") {
      failed.push(returned);
    } else if (batchers.length > 0 && !batchers.includes(returned.batcher)) {
      const reason = new UnknownBatcherError(rt.name, returned.batcher, batchers);
      rt.exception(PROCESSOR_KEY, reason);
      failed.push(failMessage(returned, reason));
    } else {
      if (returned !== original && keyed) {
        const key = rt.partitionKeys.get(original);
        if (key !== undefined) rt.partitionKeys.set(returned, key);
      }
      forward.push(returned);
    }
  };
  const done = (): Maybe<PipelineMessage[]> => {
    const acking = batchers.length > 0 ? [] : forward;
    const finished = finish(rt, acking, failed, ctx);
    const result = batchers.length > 0 ? forward : [];
    return isPromise(finished) ? finished.then(() => result) : result;
  };
  const from = (start: number): Maybe<PipelineMessage[]> => {
    for (let i = start; i < messages.length; i++) {
      const original = messages[i];
      if (original.status !== "ok") {
        failed.push(original);
        continue;
      }
      // The synchronous path allocates nothing per message; a thenable waits.
      let returned: unknown;
      try {
        returned = handleMessage(PROCESSOR_KEY, original, ctx);
      } catch (error) {
        fail(original, error);
        continue;
      }
      const then = thenOf(returned);
      if (then === undefined) {
        accept(original, returned);
        continue;
      }
      if (then === THEN_THREW) {
        fail(original, thenError());
        continue;
      }
      return Promise.resolve(returned as PromiseLike<unknown>).then(
        (value) => accept(original, value),
        (error) => fail(original, error),
      ).then(() => from(i + 1));
    }
    return done();
  };
  return from(0);
}
