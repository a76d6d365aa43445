/**
 * beamlet: OTP-style actors for TypeScript.
 *
 * This release holds the scheduler core that the GenServer runtime stands on:
 * an actor table with generation ids, bounded mailbox rings with overflow
 * policies and counters, a priority run queue with reduction budgets, and a
 * hierarchical timer wheel — compiled from AssemblyScript to WebAssembly, with
 * a TypeScript reference core of the same interface as model and fallback.
 * Payloads never enter the core: it hands out slots, you keep the values.
 *
 * @example A mailbox, a run, a timer
 * ```ts
 * import { createCore, Overflow, Priority } from "@beamlet/beamlet";
 *
 * const core = createCore();
 * const payloads: unknown[] = [];
 * const id = core.spawn(4, 10_000, Overflow.Reject, Priority.Normal);
 * payloads[core.enqueue(id)] = "hello";
 *
 * const running = core.next();
 * for (let n = 0; n < core.reductionBudget; n++) {
 *   const slot = core.dequeue(running);
 *   if (slot < 0) break;
 *   console.log(payloads[slot]);
 *   payloads[slot] = undefined;
 * }
 * core.release(running, 1, 0);
 *
 * const timer = core.timerSchedule(core.now() + 50);
 * core.advance(core.now() + 50); // 1 fired
 * console.log(core.timerFired(0) === timer);
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
export * from "./src/slo/mod.ts";
export * from "./src/core/core.ts";
export * from "./src/core/errors.ts";
export * from "./src/core/create_core.ts";
export { ReferenceCore } from "./src/core/reference_core.ts";
export { WasmCore } from "./src/core/wasm_core.ts";
