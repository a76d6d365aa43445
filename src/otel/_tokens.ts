/**
 * What `openTelemetryTracer` hands the runtime: tokens travel with a
 * message, scopes cover its handling. Opaque to the runtime.
 *
 * @module
 */

import type { Context, Link, Span } from "@opentelemetry/api";

/** A call in flight: its CLIENT span, the context it is active in, and when it was sent. */
export class CallToken {
  constructor(
    readonly span: Span,
    readonly context: Context,
    /** `performance.now()` at send: where the queue span starts. */
    readonly sentAt: number,
  ) {}
}

/** A cast or plain message in flight: the sender's context and a link to its PRODUCER span. */
export class SendToken {
  constructor(readonly context: Context, readonly link: Link | undefined) {}
}

/** The handling of one message: its SERVER or CONSUMER span and the context that makes it active. */
export class HandleScope {
  constructor(readonly span: Span, readonly context: Context) {}
}
