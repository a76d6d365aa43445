/**
 * The hook the runtime calls to trace messages from sender to handler.
 * Implementations bridge to a tracing system: `@beamlet/beamlet/otel`'s
 * `openTelemetryTracer` bridges to OpenTelemetry. The runtime calls it only
 * when one is given in `SystemOptions.tracer`; without one, tracing costs
 * nothing.
 *
 * Order of calls for one message:
 *
 * 1. `send(kind, target)` in the sender, when the message is accepted by
 *    the mailbox (the sender's ambient context is current here); the token
 *    it returns travels with the message. A message whose token is
 *    `undefined` is not traced. For `sendAfter`, `send` is called when the
 *    timer is set (if the target is alive then), not when it fires.
 * 2. `handleStart(token, kind, target, queueTime)` in the receiver, just
 *    before its callback runs; `queueTime` is the milliseconds it waited in
 *    the mailbox. The scope it returns is handed to the next two.
 * 3. `run(scope, fn, ...args)` runs the callback; implementations make the
 *    scope the ambient context so spans the callback starts nest under it.
 *    Every other callback (`init`, `handleContinue`, `terminate`, runtime
 *    messages such as DOWN or timeouts) runs through `run(undefined, ...)`:
 *    implementations should run it in an empty context, so nothing leaks in
 *    from whoever happened to wake the scheduler.
 * 4. `handleEnd(scope, error)` when the callback returned (or its Promise
 *    settled); `error` is what it threw, `undefined` on success.
 * 5. For calls only, `callEnd(token, error)` in the caller when the call
 *    settles (a reply, a timeout, the callee's exit).
 *
 * A tracer must not throw: the runtime does not catch around it.
 *
 * @module
 */

import type { Pid } from "../pid.ts";

/**
 * What a traced message is: a `call`, a `cast`, or a plain message (`info`).
 *
 * @example Naming a span after the kind
 * ```ts
 * import type { TracedKind, TracedProcess } from "@beamlet/beamlet/tracing";
 *
 * const spanName = (kind: TracedKind, p: TracedProcess) => `${kind} ${p.name ?? String(p.pid)}`;
 * ```
 */
export type TracedKind = "call" | "cast" | "info";

/**
 * The process a traced message goes to.
 *
 * @example
 * ```ts
 * import type { TracedProcess } from "@beamlet/beamlet/tracing";
 *
 * const describe = (p: TracedProcess) => p.name ?? String(p.pid);
 * ```
 */
export interface TracedProcess {
  /** Its pid. */
  readonly pid: Pid;
  /** Its registered name, if any. */
  readonly name: string | undefined;
}

/**
 * A bridge from the runtime to a tracing system; see the module doc for
 * the order of calls. Tokens and scopes are opaque to the runtime.
 *
 * @example Counting handled messages per kind
 * ```ts
 * import { System } from "@beamlet/beamlet";
 * import type { MessageTracer } from "@beamlet/beamlet/tracing";
 *
 * const handled = { call: 0, cast: 0, info: 0 };
 * const tracer: MessageTracer = {
 *   send: (kind) => kind, // the token; undefined leaves the message untraced
 *   callEnd: () => {},
 *   handleStart: (_token, kind) => kind,
 *   run: (_scope, fn, ...args) => fn(...args),
 *   handleEnd: (scope) => handled[scope as keyof typeof handled]++,
 * };
 * const system = new System({ tracer });
 * await system.shutdown();
 * ```
 */
export interface MessageTracer {
  /** A message of `kind` was accepted by `target`'s mailbox; returns its token. */
  send(kind: TracedKind, target: TracedProcess): unknown;
  /** The call whose `send` returned `token` settled; `error` is its failure, if any. */
  callEnd(token: unknown, error: unknown): void;
  /** `target` is about to handle a message; returns the scope of its handling. */
  handleStart(token: unknown, kind: TracedKind, target: TracedProcess, queueTime: number): unknown;
  /**
   * Runs `fn(...args)` with `scope` as the ambient context (an empty one
   * when `scope` is undefined) and returns its result.
   */
  run<A extends unknown[], R>(scope: unknown, fn: (...args: A) => R, ...args: A): R;
  /** The handling in `scope` ended; `error` is what the callback threw, if it did. */
  handleEnd(scope: unknown, error: unknown): void;
  /**
   * Optional, for messages that leave for another node of a cluster: the
   * sender's ambient context as a string (W3C `traceparent` for
   * OpenTelemetry), or `undefined` when there is none to carry.
   */
  inject?(): string | undefined;
  /**
   * Optional, the other end of {@linkcode MessageTracer.inject}: runs `fn`
   * (the delivery of a message from another node) with the context
   * `carrier` describes as the ambient one, so that `send` sees it.
   */
  extract?<R>(carrier: string, fn: () => R): R;
}
