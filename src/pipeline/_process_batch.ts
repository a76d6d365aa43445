/**
 * What a batch processor does with a batch (internal): `handleBatch` gets
 * the messages, and what it returns is matched back to them — by identity,
 * or, for an updated copy (`putData`, `failMessage`, a spread), by its
 * `metadata` object, which the helpers and spreads carry along. Each
 * message returned once is acked by its status; a message not returned,
 * or returned twice, is failed with a {@linkcode MessageReturnError}; a
 * throw or a rejection fails the whole batch with what was thrown.
 *
 * No copy is made per message: `handleBatch` sees the messages as the
 * processors left them.
 *
 * @module
 */

import type { Context } from "../context.ts";
import { describeValue } from "../_inspect.ts";
import { MessageReturnError, type ReturnProblem } from "./errors.ts";
import { failMessage, type PipelineMessage } from "./message.ts";
import type { BatchInfo } from "./batch_info.ts";
import { isPipelineMessage } from "./_is_message.ts";
import type { Maybe } from "./_settle.ts";
import { settle } from "./_settle.ts";
import { finish } from "./_process_messages.ts";
import type { PipelineRuntime } from "./_pipeline_runtime.ts";

/** Runs `handleBatch` over `messages` and acks every one of them. */
export function processBatch(
  rt: PipelineRuntime,
  messages: PipelineMessage[],
  info: BatchInfo,
  ctx: Context,
): Maybe<void> {
  const handleBatch = rt.config.handleBatch!;
  const given = messages.slice();
  return settle(
    () => handleBatch(info.batcher, given, info, ctx),
    (returned) => {
      const { successful, failed } = matched(rt, info.batcher, messages, returned);
      return finish(rt, successful, failed, ctx);
    },
    (error) => {
      rt.exception(info.batcher, error);
      return finish(rt, [], messages.map((m) => failMessage(m, error)), ctx);
    },
  );
}

/** Where each returned item came from: its place in the batch, or -1. */
function placer(messages: readonly PipelineMessage[]): (item: PipelineMessage) => number {
  const byIdentity = new Map<unknown, number>();
  const byMetadata = new Map<unknown, number>();
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i];
    byIdentity.set(m, i);
    // A metadata object shared by two messages of the batch identifies neither.
    byMetadata.set(m.metadata, byMetadata.has(m.metadata) ? -1 : i);
  }
  return (item) => {
    const same = byIdentity.get(item);
    if (same !== undefined) return same;
    const place = byMetadata.get(item.metadata) ?? -1;
    return place >= 0 && item.acknowledger === messages[place].acknowledger ? place : -1;
  };
}

/** Whether `returned` holds exactly `messages`, in order. */
function sameMessages(returned: readonly unknown[], messages: readonly PipelineMessage[]): boolean {
  if (returned.length !== messages.length) return false;
  for (let i = 0; i < messages.length; i++) if (returned[i] !== messages[i]) return false;
  return true;
}

function matched(
  rt: PipelineRuntime,
  batcher: string,
  messages: readonly PipelineMessage[],
  returned: unknown,
): { successful: PipelineMessage[]; failed: PipelineMessage[] } {
  const problem = (kind: ReturnProblem, detail: string) => {
    const error = new MessageReturnError(rt.name, "handleBatch", kind, detail);
    rt.exception(batcher, error);
    return error;
  };
  if (!Array.isArray(returned)) {
    const error = problem("not_an_array", `got ${describeValue(returned)}`);
    return { successful: [], failed: messages.map((m) => failMessage(m, error)) };
  }
  const successful: PipelineMessage[] = [];
  const failed: PipelineMessage[] = [];
  // The common case: the very messages given, in order.
  if (sameMessages(returned, messages)) {
    for (let i = 0; i < messages.length; i++) {
      const m = messages[i];
      if (m.status === "ok") successful.push(m);
      else failed.push(m);
    }
    return { successful, failed };
  }
  const placeOf = placer(messages);
  const back: (PipelineMessage | "duplicate" | undefined)[] = new Array(messages.length);
  let strays = 0;
  for (const item of returned as unknown[]) {
    const place = isPipelineMessage(item) ? placeOf(item) : -1;
    if (place < 0) {
      strays++;
      continue;
    }
    back[place] = back[place] === undefined ? item as PipelineMessage : "duplicate";
  }
  if (strays > 0) {
    problem("not_a_message", `${strays} item(s) that are not messages of this batch`);
  }
  let missing: MessageReturnError | undefined;
  let duplicate: MessageReturnError | undefined;
  for (let i = 0; i < messages.length; i++) {
    const m = back[i];
    if (m === undefined) {
      missing ??= problem("missing", "a message of the batch was not returned");
      failed.push(failMessage(messages[i], missing));
    } else if (m === "duplicate") {
      duplicate ??= problem("duplicate", "a message of the batch was returned twice");
      failed.push(failMessage(messages[i], duplicate));
    } else if (m.status === "ok") {
      successful.push(m);
    } else {
      failed.push(m);
    }
  }
  return { successful, failed };
}
