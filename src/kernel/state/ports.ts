/**
 * The kernel's upward needs (internal): what a lower layer asks of a higher
 * one, injected when the kernel is assembled (`kernel.ts`), so that no
 * layer imports one above it.
 *
 * ```
 *   scheduler ── wake, notifyIdle, kick ──┐
 *   lifecycle ── contain ───────────────┐ │   filled in by kernel.ts,
 *   facade    ── newContext ──────────┐ │ │   read by the layers below
 *                                     ▼ ▼ ▼
 *                             rt.ports (KernelPorts)
 * ```
 *
 * @module
 */

import type { Context } from "../../context.ts";
import type { ExitReason } from "../../exit_reason.ts";
import type { Process } from "./process.ts";
import type { Runtime } from "./runtime.ts";

/** The functions a lower layer calls upward (each takes the runtime first). */
export interface KernelPorts {
  /** Scheduler: queues a scheduler run (on a microtask, once). */
  kick(rt: Runtime): void;
  /** Scheduler: a process whose callback Promise settled gets run again if it has work. */
  wake(rt: Runtime, process: Process): void;
  /** Scheduler: tells `runUntilIdle` waiters when nothing is left to do. */
  notifyIdle(rt: Runtime): void;
  /** Lifecycle: an exception while handling a process's message crashes it alone. */
  contain(rt: Runtime, process: Process, error: unknown): boolean;
  /** Facade: the Context a new process's callbacks receive. */
  newContext(rt: Runtime, process: Process): Context;
}

/**
 * One step of a process's exit clean-up, registered by the subsystem that
 * owns what it cleans (timers, calls, names, links, monitors, waiters, ...).
 * Each runs even when one before it threw (the failure is reported).
 */
export interface ExitHook {
  /** What it cleans, for the report when it throws. */
  readonly step: string;
  /** Cleans `process`, which exited with `reason`. */
  run(rt: Runtime, process: Process, reason: ExitReason): void;
}
