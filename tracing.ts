/**
 * The tracing hook: give `new System({ tracer })` a {@linkcode MessageTracer}
 * and it hears of every call, cast and plain message as it is accepted,
 * handled and answered, so a tracing system (OpenTelemetry through
 * `@beamlet/beamlet/otel`, or your own) can follow a request across
 * processes. With no tracer the runtime pays one flag read per message.
 *
 * @example Counting the messages each kind of handler runs
 * ```ts
 * import { ok, reply, System } from "@beamlet/beamlet";
 * import type { MessageTracer, TracedKind } from "@beamlet/beamlet/tracing";
 *
 * const handled = new Map<TracedKind, number>();
 * const tracer: MessageTracer = {
 *   send: (kind) => kind, // a token; undefined would leave the message untraced
 *   callEnd: () => {},
 *   handleStart: (_token, kind) => kind,
 *   run: (_scope, fn, ...args) => fn(...args),
 *   handleEnd: (scope) => {
 *     const kind = scope as TracedKind;
 *     handled.set(kind, (handled.get(kind) ?? 0) + 1);
 *   },
 * };
 * const system = new System({ tracer });
 * const echo = await system.start({
 *   init: () => ok(null),
 *   handleCall: (request: string, _from, state: null) => reply(request, state),
 * });
 * await system.call(echo, "hi");
 * console.log(handled.get("call")); // 1
 * system.shutdown();
 * ```
 *
 * @module
 */

export type { MessageTracer, TracedKind, TracedProcess } from "./src/tracing/message_tracer.ts";
