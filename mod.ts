/**
 * beamlet: OTP-style actors for TypeScript — GenServers with bounded
 * mailboxes, call / cast / info, links and monitors, supervision trees,
 * registries, partitioned supervisors and tasks — with the runtime's own
 * telemetry events, metrics, latency histograms, tracing hooks, recon-style
 * introspection, views whose cost does not grow with the system (an
 * incremental process-table walker) and SLOs. The hot path (run queue, mailbox rings, timer
 * wheel, histograms) is AssemblyScript compiled to WebAssembly, with a
 * TypeScript reference core of the same interface as model and fallback.
 *
 * This entry has no dependencies. `@beamlet/beamlet/testing` adds a virtual
 * clock and fast-check helpers, `@beamlet/beamlet/otel` an OpenTelemetry
 * tracer, `@beamlet/beamlet/hono` the HTTP adapter and live dashboard.
 *
 * @example A GenServer, watched
 * ```ts
 * import { beamletMetrics, Metrics, noreply, ok, prometheusText, reply, System } from "@beamlet/beamlet";
 *
 * const system = new System();
 * const metrics = new Metrics(system.telemetry, beamletMetrics(), { core: system.core });
 * const counter = await system.start({
 *   init: (start: number) => ok(start),
 *   handleCall: (_request: "get", _from, n: number) => reply(n, n),
 *   handleCast: (add: number, n: number) => noreply(n + add),
 * }, 0, { name: "counter", mailbox: { bound: 10_000 } });
 *
 * system.cast("counter", 5); // "ok", or "overloaded" when the mailbox is full
 * console.log(await system.call(counter, "get")); // 5
 * console.log(prometheusText(metrics).includes("beamlet_call_stop_duration")); // true
 * await system.shutdown();
 * ```
 *
 * @module
 */

export * from "./src/system.ts";
export * from "./src/gen_server.ts";
export * from "./src/context.ts";
export * from "./src/from.ts";
export * from "./src/pid.ts";
export * from "./src/errors.ts";
export * from "./src/exit_reason.ts";
export * from "./src/logger.ts";
export * from "./src/clock.ts";
export * from "./src/telemetry/mod.ts";
export * from "./src/process_info.ts";
export * from "./src/scheduler_stats.ts";
export * from "./src/tracing/message_tracer.ts";
export * from "./src/registry/mod.ts";
export * from "./src/partition/siphash.ts";
export * from "./src/partition/hash_ring.ts";
export * from "./src/partition/errors.ts";
export * from "./src/supervisor/mod.ts";
export * from "./src/task/mod.ts";
export * from "./src/metrics/mod.ts";
export * from "./src/introspection/mod.ts";
export * from "./src/observe/mod.ts";
export * from "./src/slo/mod.ts";
export * from "./src/core/core.ts";
export * from "./src/core/errors.ts";
export * from "./src/core/create_core.ts";
export { ReferenceCore } from "./src/core/reference_core.ts";
export { WasmCore } from "./src/core/wasm_core.ts";
