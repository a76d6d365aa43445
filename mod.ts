/**
 * beamlet: OTP-style actors for TypeScript — GenServers with bounded
 * mailboxes, call / cast / info, links and monitors, supervision trees,
 * registries, partitioned supervisors and tasks, with the runtime's own
 * telemetry events. The hot path (run queue, mailbox rings, timer wheel,
 * histograms) is AssemblyScript compiled to WebAssembly, with a TypeScript
 * reference core of the same interface as model and fallback.
 *
 * This entry holds what you reach for first and has no dependencies. The
 * rest lives in subpath entries, each a concept:
 *
 * | entry | what |
 * | --- | --- |
 * | `@beamlet/beamlet/supervisor` | every supervision type: child info, reports, settings |
 * | `@beamlet/beamlet/task` | `asyncStream` and the task types |
 * | `@beamlet/beamlet/registry` | registry entries and events |
 * | `@beamlet/beamlet/partition` | `PartitionSupervisor`, `HashRing`, the keyed SipHash |
 * | `@beamlet/beamlet/telemetry` | the built-in event table, spans, handler types |
 * | `@beamlet/beamlet/metrics` | `Metrics`, `beamletMetrics()`, Prometheus / StatsD / console reporters |
 * | `@beamlet/beamlet/introspection` | `processInfo` types, recon-style `procCount`, supervision trees |
 * | `@beamlet/beamlet/observe` | views whose cost does not grow with the system |
 * | `@beamlet/beamlet/slo` | service-level objectives over the built-in events |
 * | `@beamlet/beamlet/tracing` | the `MessageTracer` hook |
 * | `@beamlet/beamlet/core` | the scheduler core itself (WASM or reference) |
 * | `@beamlet/beamlet/testing` | a deterministic test system and fast-check helpers (needs `fast-check`) |
 * | `@beamlet/beamlet/otel` | an OpenTelemetry tracer (needs `@opentelemetry/api`) |
 * | `@beamlet/beamlet/hono` | the HTTP adapter and live dashboard (needs `hono`) |
 * | `@beamlet/beamlet/edge` | `serveRequest`: one System across a Cloudflare Worker's requests |
 *
 * @example A supervised GenServer
 * ```ts
 * import { noreply, ok, reply, Supervisor, System } from "@beamlet/beamlet";
 *
 * const counter = {
 *   init: (start: number) => ok(start),
 *   handleCall: (_request: "get", _from: unknown, n: number) => reply(n, n),
 *   handleCast: (add: number, n: number) => noreply(n + add),
 * };
 *
 * const system = new System();
 * await Supervisor.start(system, [
 *   { id: "counter", start: { server: counter, arg: 0, options: { name: "counter" } } },
 * ], { strategy: "one_for_one" });
 *
 * system.cast("counter", 5); // "ok", or "overloaded" when a bounded mailbox is full
 * console.log(await system.call("counter", "get")); // 5
 * await system.stopAll();
 * ```
 *
 * @module
 */

export { System } from "./src/system.ts";
export type { Clock } from "./src/clock.ts";
export type { ClusterOptions } from "./src/cluster/cluster_options.ts";
export {
  type CallOptions,
  type Delivery,
  MAX_TIMEOUT_MS,
  type OverflowPolicy,
  type Placement,
  type StartOptions,
  type SystemOptions,
  type Target,
} from "./src/options.ts";
export type { Behaviour } from "./src/kernel/state/behaviour.ts";
export {
  type CallResult,
  DownMessage,
  ExitMessage,
  type GenServer,
  ignore,
  type IgnoreResult,
  type InitResult,
  type MaybePromise,
  noreply,
  type NoReplyCallbackResult,
  type NoReplyResult,
  ok,
  type OkResult,
  reply,
  type ReplyResult,
  type ResultOptions,
  stop,
  type StopResult,
  type SystemMessage,
} from "./src/gen_server.ts";
export type { Context } from "./src/context.ts";
export { From } from "./src/from.ts";
export { Pid, Ref } from "./src/pid.ts";
export { defineName, type Name, type NameOf } from "./src/name.ts";
export {
  AlreadyStartedError,
  BadReturnValueError,
  CallAbortedError,
  CallingSelfError,
  CallTimeoutError,
  ExitError,
  NoConnectionError,
  NoProcError,
  OverloadedError,
  ReplyRejectedError,
  type SystemLimit,
  SystemLimitError,
  ThenableReasonError,
} from "./src/errors.ts";
export { type ExitReason, formatReason, isCleanExit } from "./src/exit_reason.ts";
export {
  type CallbackFailureReport,
  consoleLogger,
  type CrashReport,
  type Logger,
  type Report,
} from "./src/logger.ts";
export { Supervisor } from "./src/supervisor/supervisor.ts";
export { DynamicSupervisor } from "./src/supervisor/dynamic_supervisor.ts";
export type { ChildSpec, Restart, Shutdown } from "./src/supervisor/child_spec.ts";
export type {
  DynamicSupervisorOptions,
  Strategy,
  SupervisorOptions,
} from "./src/supervisor/options.ts";
export {
  ChildNotFoundError,
  ChildRunningError,
  ChildStartError,
  DuplicateChildError,
  MaxChildrenError,
} from "./src/supervisor/errors.ts";
export {
  PartitionSupervisor,
  type PartitionSupervisorOptions,
} from "./src/supervisor/partition_supervisor.ts";
export { Task } from "./src/task/task.ts";
export { TaskSupervisor } from "./src/task/task_supervisor.ts";
export { TaskTimeoutError } from "./src/task/errors.ts";
export { Registry } from "./src/registry/registry.ts";
export type { RegistryOptions } from "./src/registry/options.ts";
export { AlreadyRegisteredError } from "./src/registry/errors.ts";
export { Telemetry } from "./src/telemetry/telemetry.ts";
export type { EventName, TelemetryEvent, TelemetryHandler } from "./src/telemetry/types.ts";
