/**
 * The kernel, assembled (internal): the one place that knows every layer.
 * It builds a system's runtime record, wires the upward ports (what a lower
 * layer asks of a higher one), binds the scheduler's host entry points and
 * the timer service's `fire`, and registers the exit clean-up hooks of each
 * subsystem, in the order the BEAM performs them.
 *
 * ```
 * kernel      this file: assembly
 * scheduler   takes runnable processes from the core, charges reductions, yields to the host
 * dispatch    runs callbacks (init / handle / continue / terminate) and applies their results
 * lifecycle   start, exit, signals, links, monitors, parking on Promises, timers firing
 * calls       pending calls, replies, call timeouts
 * timers      the core's timer wheel, one host timer
 * mailbox     routing a target to a mailbox, delivery into the core's rings
 * probes      telemetry events, tracing, reports
 * state       Runtime and Process records, envelopes, ports: plain data
 * ```
 *
 * @module
 */

import type { Core } from "../core/core.ts";
import type { Clock } from "../clock.ts";
import type { Context } from "../context.ts";
import type { Logger } from "../logger.ts";
import type { RemoteResolver } from "../options.ts";
import type { Telemetry } from "../telemetry/telemetry.ts";
import type { MessageTracer } from "../tracing/message_tracer.ts";
import type { Process } from "./state/process.ts";
import { Runtime } from "./state/runtime.ts";
import type { KernelPorts } from "./state/ports.ts";
import { TimerService } from "./timers/timer_service.ts";
import { contain } from "./lifecycle/exit.ts";
import { fire } from "./lifecycle/timer_fire.ts";
import { kick, notifyIdle, run, wake } from "./scheduler/scheduler.ts";
import { EXIT_HOOKS } from "./lifecycle/exit_hooks.ts";

/** What a system gives its kernel. */
export interface KernelOptions {
  readonly node: string;
  /** Which scheduler of the node this kernel is (0: the system's own thread). */
  readonly scheduler: number;
  readonly remote: RemoteResolver | undefined;
  readonly core: Core;
  readonly clock: Clock;
  readonly logger: Logger | null;
  readonly timeSlice: number;
  readonly manual: boolean;
  readonly telemetry: Telemetry;
  readonly tracer: MessageTracer | undefined;
  /** The Context a new process's callbacks receive (built by the facade, which knows the System). */
  readonly newContext: (rt: Runtime, process: Process) => Context;
}

/** Builds and wires one system's kernel. */
export function createKernel(options: KernelOptions): Runtime {
  const ports: KernelPorts = { kick, wake, notifyIdle, contain, newContext: options.newContext };
  const rt = new Runtime(
    ports,
    options.telemetry,
    options.node,
    options.scheduler,
    options.remote,
    options.core,
    options.clock,
    options.logger,
    options.timeSlice,
    options.manual,
    options.tracer,
  );
  rt.timerService = new TimerService(
    options.core,
    () => rt.now(),
    options.manual,
    () => kick(rt),
    (entry) => fire(rt, entry),
  );
  rt.runFromMicrotask = () => run(rt, false);
  rt.runFromMacrotask = () => {
    rt.burstStart = -1;
    run(rt, false);
  };
  rt.exitHooks.push(...EXIT_HOOKS);
  return rt;
}
