/**
 * A stage as a GenServer (internal): the definition `defineStage` returns.
 * Protocol messages and the stage's own monitors are handled here; every
 * other call, cast and message goes to the user's callbacks, whose results
 * may emit events.
 *
 * @module
 */

import type { Context } from "../context.ts";
import type { ExitReason } from "../exit_reason.ts";
import type { From } from "../from.ts";
import {
  type CallResult,
  type GenServer,
  ignore,
  type InitResult,
  type MaybePromise,
  noreply,
  type NoReplyCallbackResult,
  ok,
  reply,
  stop,
} from "../gen_server.ts";
import { inspect } from "../_inspect.ts";
import { DownMessage } from "../system_messages.ts";
import type { AnyStageCallbacks } from "./callbacks.ts";
import { StageTypeError } from "./errors.ts";
import { EventBuffer } from "./_buffer.ts";
import { bufferOptions, dispatcherOption } from "./_options.ts";
import {
  AskMessage,
  CancelledMessage,
  CancelMessage,
  DrainRequest,
  EventsMessage,
  RefundMessage,
  RequestFailed,
  StatsTick,
  SubscribeMessage,
  SubscribeRequest,
  SubscribeSelfMessage,
} from "./_protocol.ts";
import { Stage } from "./_stage.ts";
import { StageStop, type Step, then } from "./_step.ts";
import { StageTelemetry } from "./_stage_stats.ts";
import { stageDirectoryOf } from "./_stage_directory.ts";
import { DemandDispatcher } from "./dispatchers/_demand_dispatcher.ts";
import { BroadcastDispatcher } from "./dispatchers/_broadcast_dispatcher.ts";
import { PartitionDispatcher } from "./dispatchers/_partition_dispatcher.ts";
import type { StageLabels, SubscribeOptions } from "./types.ts";

/** The GenServer state of a stage: the stage and its telemetry. */
export interface StageProcess {
  readonly stage: Stage;
  readonly telemetry: StageTelemetry;
}

/** Turns a thrown StageStop into a stop result; anything else stays a crash. */
function stopped(process: StageProcess, error: unknown): NoReplyCallbackResult<StageProcess> {
  if (error instanceof StageStop) return stop(error.reason, process);
  throw error;
}

function stoppedCall(process: StageProcess, error: unknown): CallResult<StageProcess, unknown> {
  if (error instanceof StageStop) {
    return error.hasReply ? stop(error.reason, process, error.reply) : stop(error.reason, process);
  }
  throw error;
}

/** Runs a step, then `done`; a StageStop becomes a stop result. */
function guard<R>(
  process: StageProcess,
  run: () => Step,
  done: () => R,
  onStop: (process: StageProcess, error: unknown) => R,
): MaybePromise<R> {
  let step: Step;
  try {
    step = run();
  } catch (error) {
    return onStop(process, error);
  }
  if (step === undefined) {
    process.telemetry.afterMessage();
    return done();
  }
  return step.then(() => {
    process.telemetry.afterMessage();
    return done();
  }, (error) => onStop(process, error));
}

/**
 * `guard` for the hot protocol messages (events and asks), whose step was
 * run already by the caller inside its own try: no closure per message.
 */
function afterInfoStep(
  process: StageProcess,
  step: Step,
): MaybePromise<NoReplyCallbackResult<StageProcess>> {
  if (step === undefined) {
    process.telemetry.afterMessage();
    return noreply(process);
  }
  return step.then(() => {
    process.telemetry.afterMessage();
    return noreply(process);
  }, (error) => stopped(process, error));
}

function checkLabels(labels: unknown): StageLabels {
  if (labels === undefined) return {};
  if (typeof labels !== "object" || labels === null) {
    throw new TypeError(
      `stage labels: expected { pipeline?, role?, name? }, got ${inspect(labels, 60)}`,
    );
  }
  const { pipeline, role, name } = labels as Record<string, unknown>;
  for (const [key, value] of [["pipeline", pipeline], ["role", role], ["name", name]] as const) {
    if (value !== undefined && typeof value !== "string") {
      throw new TypeError(`stage labels: ${key} must be a string, got ${inspect(value, 60)}`);
    }
  }
  return { pipeline, role, name } as StageLabels;
}

/** Sets a stage up from its init result; subscribes last. */
function started(
  callbacks: AnyStageCallbacks,
  result: unknown,
  ctx: Context,
): MaybePromise<InitResult<StageProcess>> {
  if (typeof result !== "object" || result === null) {
    throw new TypeError(
      `stage init must return { state, ... }, { ignore: true } or { stop }, got ${
        inspect(result, 80)
      }`,
    );
  }
  const r = result as Record<string, unknown>;
  if (r.ignore === true) return ignore();
  if ("stop" in r) return stop(r.stop);
  if (!("state" in r)) {
    throw new TypeError(`stage init must return { state, ... }, got ${inspect(result, 80)}`);
  }
  const stage = new Stage(callbacks.type as Stage["type"], callbacks, ctx);
  stage.state = r.state;
  stage.labels = checkLabels(r.labels);
  if (stage.emits) {
    const buffer = bufferOptions(r.buffer as never);
    stage.buffer = new EventBuffer(buffer.size, buffer.overflow);
    const dispatcher = dispatcherOption(r.dispatcher as never);
    stage.dispatcher = dispatcher === "demand"
      ? new DemandDispatcher()
      : dispatcher === "broadcast"
      ? new BroadcastDispatcher()
      : new PartitionDispatcher(dispatcher, buffer.size, buffer.overflow);
  } else if (r.buffer !== undefined || r.dispatcher !== undefined) {
    throw new StageTypeError("a consumer has no buffer or dispatcher");
  }
  const subscribeTo = r.subscribeTo;
  if (subscribeTo !== undefined) {
    if (!stage.receives) throw new StageTypeError("a producer cannot subscribe to anything");
    if (!Array.isArray(subscribeTo)) {
      throw new TypeError(
        `subscribeTo must be an array of options, got ${inspect(subscribeTo, 60)}`,
      );
    }
  }
  const process: StageProcess = { stage, telemetry: new StageTelemetry(stage) };
  stageDirectoryOf(ctx.system).add(stage);
  const list = (subscribeTo ?? []) as SubscribeOptions[];
  const next = (at: number): MaybePromise<InitResult<StageProcess>> => {
    for (let i = at; i < list.length; i++) {
      const subscribed = stage.subscribe(list[i]);
      if (subscribed instanceof Promise) return subscribed.then(() => next(i + 1));
    }
    return ok(process);
  };
  return next(0);
}

/** Builds the GenServer of a stage. */
export function stageServer<A>(callbacks: AnyStageCallbacks): GenServer<StageProcess, A> {
  const server: GenServer<StageProcess, A> = {
    init(arg: A, ctx: Context) {
      const result = callbacks.init(arg, ctx);
      if (result instanceof Promise) return result.then((r) => started(callbacks, r, ctx));
      return started(callbacks, result, ctx);
    },

    handleCall(request: unknown, from: From<unknown>, process: StageProcess, ctx: Context) {
      const stage = process.stage;
      stage.ctx = ctx;
      if (request instanceof SubscribeRequest) {
        let subscribed;
        try {
          subscribed = stage.subscribe(request.options);
        } catch (error) {
          return reply(new RequestFailed(error), process);
        }
        if (!(subscribed instanceof Promise)) return reply(subscribed, process);
        return subscribed.then(
          (subscription) => reply(subscription, process),
          (error) => {
            if (error instanceof StageStop) return stoppedCall(process, error);
            throw error;
          },
        );
      }
      if (request instanceof DrainRequest) {
        if (!stage.emits) {
          return reply(new RequestFailed(new StageTypeError("a consumer cannot drain")), process);
        }
        return guard(
          process,
          () => stage.prepareForDraining(),
          () => reply(true, process),
          stoppedCall,
        );
      }
      const handleCall = callbacks.handleCall;
      if (handleCall === undefined) {
        throw new TypeError(`this stage has no handleCall for ${inspect(request, 60)}`);
      }
      let answer: { hasReply: boolean; reply: unknown } = { hasReply: false, reply: undefined };
      return guard(
        process,
        () =>
          then(handleCall.call(callbacks, request, from, stage.state, ctx), (result) => {
            const applied = stage.applyCall(result);
            answer = applied;
            return applied.step;
          }),
        (): CallResult<StageProcess, unknown> =>
          answer.hasReply ? reply(answer.reply, process) : noreply(process),
        stoppedCall,
      );
    },

    handleInfo(message: unknown, process: StageProcess, ctx: Context) {
      const stage = process.stage;
      stage.ctx = ctx;
      if (message instanceof EventsMessage || message instanceof AskMessage) {
        let step: Step;
        try {
          step = message instanceof EventsMessage
            ? stage.upstream?.onEvents(message)
            : stage.onAsk(message);
        } catch (error) {
          return stopped(process, error);
        }
        return afterInfoStep(process, step);
      }
      const done = () => noreply(process);
      if (message instanceof SubscribeMessage) {
        return guard(process, () => stage.onSubscribe(message), done, stopped);
      }
      if (message instanceof CancelMessage) {
        return guard(process, () => stage.onCancel(message), done, stopped);
      }
      if (message instanceof CancelledMessage) {
        return guard(process, () => stage.upstream?.onCancelled(message), done, stopped);
      }
      if (message instanceof RefundMessage) {
        return guard(
          process,
          () => stage.emits ? stage.serve() : undefined,
          done,
          stopped,
        );
      }
      if (message instanceof StatsTick) {
        process.telemetry.tick();
        return noreply(process);
      }
      if (message instanceof SubscribeSelfMessage) {
        return guard(
          process,
          () => {
            let subscribed;
            try {
              subscribed = stage.subscribe(message.options);
            } catch (error) {
              message.reject(error);
              return;
            }
            if (!(subscribed instanceof Promise)) return message.resolve(subscribed);
            return subscribed.then(message.resolve, (error) => {
              message.reject(error);
              throw error;
            });
          },
          done,
          stopped,
        );
      }
      if (message instanceof DownMessage && stage.ownsMonitor(message.ref)) {
        return guard(process, () => stage.onDown(message.ref, message.reason), done, stopped);
      }
      const handleInfo = callbacks.handleInfo;
      if (handleInfo === undefined) return noreply(process);
      return guard(
        process,
        () =>
          then(
            handleInfo.call(callbacks, message, stage.state, ctx),
            (result) => stage.apply(result, "handleInfo"),
          ),
        done,
        stopped,
      );
    },

    terminate(reason: ExitReason, process: StageProcess, ctx: Context) {
      return callbacks.terminate?.call(callbacks, reason, process.stage.state, ctx);
    },

    formatStatus(process: StageProcess) {
      const stage = process.stage;
      const formatStatus = callbacks.formatStatus;
      return {
        type: stage.type,
        labels: stage.labels,
        state: typeof formatStatus === "function"
          ? formatStatus.call(callbacks, stage.state)
          : stage.state,
        buffered: stage.buffered,
        pendingAsk: stage.pendingAsk,
        queued: stage.queued,
        subscribers: stage.consumers.size,
        subscriptions: stage.subscriptions,
        ...stage.counters,
      };
    },
  };
  if (callbacks.handleCast !== undefined) {
    const handleCast = callbacks.handleCast;
    server.handleCast = (request: unknown, process: StageProcess, ctx: Context) => {
      const stage = process.stage;
      stage.ctx = ctx;
      return guard(
        process,
        () =>
          then(
            handleCast.call(callbacks, request, stage.state, ctx),
            (result) => stage.apply(result, "handleCast"),
          ),
        () => noreply(process),
        stopped,
      );
    };
  }
  return server;
}
