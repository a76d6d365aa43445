/**
 * Reading `SystemOptions.schedulers` (internal): how many, over which
 * shared memory, or why only one. Light on purpose: the fabric itself is
 * imported only when there is more than one scheduler.
 *
 * @module
 */

import type { Logger } from "./logger.ts";
import type { SystemOptions } from "./options.ts";
import { createCoreMemory } from "./core/core_memory.ts";
import { hostHasWorkers } from "./_host.ts";
import type { SchedulerSetup } from "./schedulers/_scheduler_setup.ts";
import { describeValue } from "./_inspect.ts";

/** Most schedulers a system may ask for. */
export const MAX_SYSTEM_SCHEDULERS = 64;
/** Int32 words of the control block (`schedulers/_protocol.ts`: 4 per scheduler). */
const CONTROL_WORDS = MAX_SYSTEM_SCHEDULERS * 4;

/** What a system of several schedulers is built with. */
export interface SchedulersPlan {
  readonly index: number;
  /** A number, or "auto" (resolved to the host's cores when the Workers start). */
  readonly count: number | "auto";
  readonly memory: WebAssembly.Memory;
  readonly control: SharedArrayBuffer;
  readonly modules: readonly string[];
}

/** The plan for `options` (undefined: one scheduler); a RangeError / TypeError for bad values. */
export function planSchedulers(
  options: SystemOptions,
  setup: SchedulerSetup | undefined,
  logger: Logger | null,
): SchedulersPlan | undefined {
  if (setup !== undefined) {
    return {
      index: setup.index,
      count: setup.count,
      memory: setup.memory,
      control: setup.control,
      modules: [],
    };
  }
  const count = options.schedulers ?? 1;
  if (
    count !== "auto" &&
    (typeof count !== "number" || !Number.isInteger(count) || count < 1 ||
      count > MAX_SYSTEM_SCHEDULERS)
  ) {
    throw new RangeError(
      `System: schedulers must be an integer in 1..${MAX_SYSTEM_SCHEDULERS} or "auto", got ${
        describeValue(count)
      }`,
    );
  }
  const modules = modulesOf(options.modules);
  if (count === 1) return undefined;
  if (options.core === "reference") {
    throw new TypeError(
      'System: schedulers share one WebAssembly memory: core "reference" cannot run more than one',
    );
  }
  const why = !hostHasWorkers()
    ? "this host has no Workers"
    : typeof SharedArrayBuffer !== "function"
    ? "this host has no shared memory (SharedArrayBuffer)"
    : undefined;
  let memory: WebAssembly.Memory | undefined;
  let refused: unknown;
  if (why === undefined) {
    try {
      memory = createCoreMemory({ shared: true });
    } catch (error) {
      refused = error;
    }
  }
  if (memory === undefined) {
    if (typeof logger?.report === "function") {
      logger.report({
        kind: "notice",
        topic: "schedulers",
        message: `schedulers: ${count} asked for, running 1: ${
          why ?? (refused instanceof Error ? refused.message : "no shared WebAssembly memory")
        }`,
      });
    }
    return undefined;
  }
  return { index: 0, count, memory, control: new SharedArrayBuffer(CONTROL_WORDS * 4), modules };
}

function modulesOf(modules: unknown): string[] {
  if (modules === undefined) return [];
  if (!Array.isArray(modules)) {
    throw new TypeError("System: modules must be an array of module URLs or specifiers");
  }
  return modules.map((module, i) => {
    if (module instanceof URL) return module.href;
    if (typeof module === "string" && module.length > 0) return module;
    throw new TypeError(
      `System: modules[${i}] must be a URL or a non-empty string, got ${describeValue(module)}`,
    );
  });
}

/** The options a Worker's System is built with: the plain-data ones (no logger, clock, tracer, …). */
export function workerOptions(options: SystemOptions): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (
    const key of [
      "reductionBudget",
      "maxQueuedMessages",
      "maxProcesses",
      "timeSliceMs",
      "core",
    ] as const
  ) {
    if (options[key] !== undefined) out[key] = options[key];
  }
  if (options.logger === null) out.logger = null; // silenced here, silenced there
  const monitor = options.monitor as unknown;
  if (monitor === false || (typeof monitor === "object" && monitor !== null)) {
    try {
      out.monitor = structuredClone(monitor);
    } catch {
      // a monitor option that is not plain data stays on this thread
    }
  }
  return out;
}
