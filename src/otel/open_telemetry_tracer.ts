/**
 * The OpenTelemetry bridge of the message tracer.
 *
 * @module
 */

import {
  type Context,
  context,
  isSpanContextValid,
  type Link,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  trace,
  type Tracer,
  type TracerProvider,
} from "@opentelemetry/api";
import type { MessageTracer, TracedKind, TracedProcess } from "../tracing/message_tracer.ts";
import {
  destinationName,
  HANDLE_OPERATIONS,
  messagingAttributes,
  QUEUE_TIME_ATTRIBUTE,
  SEND_OPERATIONS,
} from "./_attributes.ts";
import { recordError } from "./_record_error.ts";
import { CallToken, HandleScope, SendToken } from "./_tokens.ts";

/**
 * Where {@linkcode openTelemetryTracer} gets its OpenTelemetry `Tracer`:
 * `tracer` if given, else `tracerProvider.getTracer(name)`, else the global
 * provider's (`trace.getTracer(name)`, which follows a provider registered
 * later).
 *
 * @example A tracer from an explicit provider
 * ```ts
 * import { trace } from "@opentelemetry/api";
 * import { openTelemetryTracer, type OpenTelemetryTracerOptions } from "@beamlet/beamlet/otel";
 *
 * const options: OpenTelemetryTracerOptions = {
 *   tracerProvider: trace.getTracerProvider(),
 *   name: "orders-service",
 * };
 * const tracer = openTelemetryTracer(options);
 * ```
 */
export interface OpenTelemetryTracerOptions {
  /** The OpenTelemetry tracer that starts the spans; wins over `tracerProvider`. */
  readonly tracer?: Tracer;
  /** The provider to get a tracer from; defaults to the global one. */
  readonly tracerProvider?: TracerProvider;
  /** The instrumentation scope name of the tracer got from a provider; defaults to `"beamlet"`. */
  readonly name?: string;
}

/**
 * A {@linkcode MessageTracer} that records every call, cast and plain
 * message as OpenTelemetry spans, after the messaging semantic conventions
 * (`messaging.system: "beamlet"`, `messaging.operation.type`,
 * `messaging.destination.name`: the registered name, else the pid).
 *
 * - A **call** is one trace with the caller: a CLIENT span `call <target>`
 *   child of the caller's active span, from send to reply (ERROR on a
 *   timeout or the callee's exit); under it an INTERNAL span
 *   `queue <target>` for the time the request waited in the mailbox, and a
 *   SERVER span `handleCall <target>` for the handling (ERROR with the
 *   exception if the callback threw).
 * - A **cast** or **plain message** is fire-and-forget: if the sender has an
 *   active span, a PRODUCER span `cast <target>` / `send <target>` (ended at
 *   once) marks the send in the sender's trace; the handling is a CONSUMER
 *   span `handleCast <target>` / `handleInfo <target>` that starts a new
 *   trace, linked to that PRODUCER span — the conventions require the link
 *   and leave the parent optional, and a new trace keeps a long-lived
 *   pipeline of actors from growing one endless trace.
 * - Handling spans carry `beamlet.queue_time_ms`; they are the active span
 *   while the callback runs, so spans it starts (also after an `await`)
 *   nest under them. Baggage of the sender's context flows to the handler.
 *   Span times are OpenTelemetry's wall clock (`performance.now()`);
 *   `beamlet.queue_time_ms` is the wait by the system's own clock.
 *
 * The active context is OpenTelemetry's: register a context manager
 * (`AsyncLocalStorageContextManager` from `@opentelemetry/context-async-hooks`
 * on Node, Deno and Bun) so it follows `await`s. With no active span at the
 * sender, calls start new traces and casts have no link.
 *
 * @example Tracing a system
 * ```ts
 * import { trace } from "@opentelemetry/api";
 * import { noreply, ok, reply, System } from "@beamlet/beamlet";
 * import { openTelemetryTracer } from "@beamlet/beamlet/otel";
 *
 * const system = new System({ tracer: openTelemetryTracer() });
 * const counter = await system.start({
 *   init: () => ok(0),
 *   handleCall: (_request: "get", _from, n: number) => reply(n, n),
 *   handleCast: (_message: "inc", n: number) => noreply(n + 1),
 * });
 * await trace.getTracer("app").startActiveSpan("checkout", async (span) => {
 *   system.cast(counter, "inc");
 *   console.log(await system.call(counter, "get"));
 *   span.end();
 * });
 * system.shutdown();
 * ```
 */
export function openTelemetryTracer(options: OpenTelemetryTracerOptions = {}): MessageTracer {
  const tracer = options.tracer ??
    (options.tracerProvider ?? trace.getTracerProvider()).getTracer(options.name ?? "beamlet");
  return {
    send: (kind, target) => send(tracer, kind, target),
    callEnd: (token, error) => {
      if (token instanceof CallToken) endSpan(token.span, error);
    },
    handleStart: (token, kind, target, queueTime) =>
      handleStart(tracer, token, kind, target, queueTime),
    run: (scope, fn, ...args) =>
      scope instanceof HandleScope
        ? context.with(scope.context, fn, undefined, ...args)
        : context.with(ROOT_CONTEXT, fn, undefined, ...args),
    handleEnd: (scope, error) => {
      if (scope instanceof HandleScope) endSpan(scope.span, error);
    },
    inject: () => traceparentOf(context.active()),
    extract: (carrier, fn) => {
      const remote = contextOf(carrier);
      return remote === undefined ? fn() : context.with(remote, fn);
    },
  };
}

/** The W3C `traceparent` of a context's span, if it has a valid one. */
function traceparentOf(ctx: Context): string | undefined {
  const span = trace.getSpanContext(ctx);
  if (span === undefined || !isSpanContextValid(span)) return undefined;
  return `00-${span.traceId}-${span.spanId}-${
    (span.traceFlags & 0xff).toString(16).padStart(2, "0")
  }`;
}

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** A context whose span is the remote one a `traceparent` names (undefined if it names none). */
function contextOf(traceparent: string): Context | undefined {
  const parts = TRACEPARENT.exec(traceparent);
  if (parts === null) return undefined;
  const span = {
    traceId: parts[1],
    spanId: parts[2],
    traceFlags: parseInt(parts[3], 16),
    isRemote: true,
  };
  return isSpanContextValid(span) ? trace.setSpanContext(ROOT_CONTEXT, span) : undefined;
}

function send(tracer: Tracer, kind: TracedKind, target: TracedProcess): CallToken | SendToken {
  const active = context.active();
  const operation = SEND_OPERATIONS[kind];
  const name = `${operation} ${destinationName(target)}`;
  const attributes = messagingAttributes(target, "send", operation);
  if (kind === "call") {
    const span = tracer.startSpan(name, { kind: SpanKind.CLIENT, attributes }, active);
    return new CallToken(span, trace.setSpan(active, span), performance.now());
  }
  const sender = trace.getSpanContext(active);
  if (sender === undefined || !isSpanContextValid(sender)) return new SendToken(active, undefined);
  const producer = tracer.startSpan(name, { kind: SpanKind.PRODUCER, attributes }, active);
  producer.end();
  return new SendToken(active, { context: producer.spanContext() });
}

function handleStart(
  tracer: Tracer,
  token: unknown,
  kind: TracedKind,
  target: TracedProcess,
  queueTime: number,
): HandleScope {
  const operation = HANDLE_OPERATIONS[kind];
  const name = `${operation} ${destinationName(target)}`;
  const attributes = messagingAttributes(target, "process", operation);
  attributes[QUEUE_TIME_ATTRIBUTE] = queueTime;
  if (token instanceof CallToken) {
    recordQueueWait(tracer, token, target, queueTime);
    const span = tracer.startSpan(name, { kind: SpanKind.SERVER, attributes }, token.context);
    return new HandleScope(span, trace.setSpan(token.context, span));
  }
  // A cast, a plain message, or a message without a token (a runtime
  // message): a new trace. Not the ambient context: in the receiver it is
  // whatever context happened to start the scheduler's run.
  const sent = token instanceof SendToken ? token : undefined;
  const base: Context = sent?.context ?? ROOT_CONTEXT;
  const links: Link[] | undefined = sent?.link === undefined ? undefined : [sent.link];
  const spanKind = kind === "call" ? SpanKind.SERVER : SpanKind.CONSUMER;
  const span = tracer.startSpan(name, { kind: spanKind, attributes, links, root: true }, base);
  return new HandleScope(span, trace.setSpan(base, span));
}

/** The request's wait in the mailbox, from its send to now: an INTERNAL span under the call. */
function recordQueueWait(
  tracer: Tracer,
  token: CallToken,
  target: TracedProcess,
  queueTime: number,
): void {
  const attributes = messagingAttributes(target, "receive", "queue");
  attributes[QUEUE_TIME_ATTRIBUTE] = queueTime;
  const now = performance.now();
  tracer.startSpan(
    `queue ${destinationName(target)}`,
    { kind: SpanKind.INTERNAL, attributes, startTime: token.sentAt },
    token.context,
  ).end(now);
}

function endSpan(span: Span, error: unknown): void {
  if (error !== undefined) recordError(span, error);
  span.end();
}
