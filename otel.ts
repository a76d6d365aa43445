/**
 * OpenTelemetry tracing for beamlet: `openTelemetryTracer()` gives a
 * `MessageTracer` for `new System({ tracer })` that records each call, cast
 * and plain message as spans — the caller's CLIENT span, the wait in the
 * mailbox, the handler's SERVER or CONSUMER span — so the spans your
 * handlers start nest under the message that caused them.
 *
 * This entry imports `@opentelemetry/api`: add it to your dependencies
 * (`npm i @opentelemetry/api`, or `deno add npm:@opentelemetry/api`), with
 * an SDK and a context manager that follows `await`s
 * (`@opentelemetry/context-async-hooks`). The main entry does not need it.
 *
 * @example Spans into memory, with the OpenTelemetry SDK
 * ```ts
 * import { context, trace } from "@opentelemetry/api";
 * import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
 * import {
 *   BasicTracerProvider,
 *   InMemorySpanExporter,
 *   SimpleSpanProcessor,
 * } from "@opentelemetry/sdk-trace-base";
 * import { ok, reply, System } from "@beamlet/beamlet";
 * import { openTelemetryTracer } from "@beamlet/beamlet/otel";
 *
 * context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
 * const exporter = new InMemorySpanExporter();
 * const provider = new BasicTracerProvider({
 *   spanProcessors: [new SimpleSpanProcessor(exporter)],
 * });
 * const system = new System({ tracer: openTelemetryTracer({ tracerProvider: provider }) });
 * const echo = await system.start({
 *   init: () => ok(null),
 *   handleCall: (request: string, _from, state: null) => reply(request, state),
 * });
 * await system.call(echo, "hi");
 * console.log(exporter.getFinishedSpans().map((span) => span.name));
 * // ["queue #PID<0.1.0>", "handleCall #PID<0.1.0>", "call #PID<0.1.0>"]
 * system.shutdown();
 * ```
 *
 * @module
 */

export * from "./src/otel/mod.ts";
