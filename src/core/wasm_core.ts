/**
 * The WebAssembly implementation of the scheduler {@linkcode Core}.
 *
 * Each `WasmCore` is one instance of the scheduler module, placed in a memory
 * of its own or in one it is given (next to other cores:
 * see `core_memory.ts`); the module itself is compiled once, synchronously,
 * from the bytes inlined in `wasm/scheduler_wasm.ts`. The core's exports already have the contract's
 * signatures (i32 in, i32 or f64 out, negative codes for failures), so they
 * are bound as instance fields: a call such as `core.enqueue(id)` goes
 * straight into WebAssembly with no JavaScript frame in between.
 *
 * @module
 */

import { actorLimitOf } from "./_actor_limit.ts";
import { reductionBudgetOf } from "./_reduction_budget.ts";
import { slotLimitOf } from "./_slot_limit.ts";
import { memoryFor, placeIn } from "./_wasm_memory.ts";
import type { Core } from "./core.ts";
import {
  instantiateScheduler,
  SCHEDULER_EXPORTS,
  SCHEDULER_HASH_SECTION,
  SCHEDULER_SOURCE_HASH,
  type SchedulerWasmExports,
} from "../../wasm/scheduler_wasm.ts";
import { checkModule, linkChecked, type ModuleIdentity } from "./_wasm_module.ts";

const SCHEDULER: ModuleIdentity = {
  name: "scheduler",
  hash: SCHEDULER_SOURCE_HASH,
  section: SCHEDULER_HASH_SECTION,
  exports: SCHEDULER_EXPORTS,
};

/**
 * Options of {@linkcode WasmCore}.
 *
 * @example A smaller budget for latency-sensitive actors
 * ```ts
 * import { WasmCore } from "@beamlet/beamlet/core";
 * const core = new WasmCore({ reductionBudget: 100 });
 * ```
 */
export interface WasmCoreOptions {
  /** Reductions each run of an actor may use: an integer >= 1 (default {@linkcode DEFAULT_REDUCTION_BUDGET}). */
  reductionBudget?: number;
  /** Most slots in use at once: an integer in `1..2^30` (default 2^30). */
  slotLimit?: number;
  /**
   * Most actors alive at once: an integer in `1..MAX_ACTORS` (default
   * {@linkcode MAX_ACTORS}, 2^20). The table grows with use: 88 bytes per
   * index (rounded up to a power-of-two block) plus each actor's ring.
   */
  actorLimit?: number;
  /**
   * The memory to live in, next to whatever else was placed there (see
   * {@linkcode createCoreMemory}); default: a memory of its own.
   */
  memory?: WebAssembly.Memory;
  /**
   * The compiled module to instantiate (beamlet's `wasm/scheduler.wasm`,
   * for an unshared memory), for hosts that cannot compile WebAssembly from
   * bytes at run time (Cloudflare Workers); default: the bytes inlined in
   * beamlet, compiled on first use.
   */
  module?: WebAssembly.Module;
}

/**
 * The scheduler core running in WebAssembly: actor table, mailbox rings,
 * run queue and timer wheel, with the exact numbers of the {@linkcode Core}
 * contract.
 *
 * @example Cast a message and run the actor
 * ```ts
 * import { Overflow, Priority, WasmCore } from "@beamlet/beamlet/core";
 *
 * const core = new WasmCore();
 * const payloads: unknown[] = [];
 * const id = core.spawn(4, 1000, Overflow.Reject, Priority.Normal);
 * payloads[core.enqueue(id)] = "hello";
 * const running = core.next(); // === id
 * const slot = core.dequeue(running);
 * console.log(payloads[slot]); // "hello"
 * core.release(running, 1, 0);
 * ```
 *
 * @example Two cores in one memory
 * ```ts
 * import { createCoreMemory, WasmCore } from "@beamlet/beamlet/core";
 *
 * const memory = createCoreMemory();
 * const a = new WasmCore({ memory });
 * const b = new WasmCore({ memory });
 * console.log(a.instanceId, b.instanceId); // 1 2
 * ```
 *
 * @example Timers
 * ```ts
 * import { WasmCore } from "@beamlet/beamlet/core";
 *
 * const core = new WasmCore();
 * const timer = core.timerSchedule(50);
 * const fired = core.advance(50); // 1
 * console.log(core.timerFired(0) === timer); // true
 * ```
 */
export class WasmCore implements Core {
  /** Which implementation this is. */
  readonly kind = "wasm" as const;
  /** Reductions each run of an actor may use. */
  readonly reductionBudget: number;
  /** Most slots in use at once. */
  readonly slotLimit: number;
  /** Most actors alive at once. */
  readonly actorLimit: number;
  /** The memory this core lives in (perhaps with other cores and stores). */
  readonly memory: WebAssembly.Memory;
  /** This core's number in its memory (1, 2, ...: the order instances were placed in it). */
  readonly instanceId: number;

  /** Allocates an actor: its id (> 0), or BadArgument / Limit / OutOfMemory. */
  readonly spawn: (
    initialCapacity: number,
    bound: number,
    overflow: number,
    priority: number,
  ) => number;
  /** Frees an actor: how many queued slots were discarded, or Stale. */
  readonly free: (id: number) => number;
  /** Accepts a message: its slot (| REUSED_SLOT on a DropOldest drop), or a negative code. */
  readonly enqueue: (id: number) => number;
  /** Takes the oldest message: its slot, or Stale / Empty. */
  readonly dequeue: (id: number) => number;
  /** A counter or property of an actor, or Stale / BadArgument. */
  readonly stat: (id: number, field: number) => number;
  /** Frees the ring of an idle, empty actor: Ok, or Stale / BadState. */
  readonly hibernate: (id: number) => number;
  /** Changes an actor's priority: Ok, or Stale / BadArgument. */
  readonly setPriority: (id: number, priority: number) => number;
  /** Takes the next Runnable actor: its id, or Empty. */
  readonly next: () => number;
  /** Ends a run: the actor's new state, or Stale / BadArgument / BadState. */
  readonly release: (id: number, reductions: number, blocked: number) => number;
  /** Unparks a Blocked actor: its new state, or Stale / BadState. */
  readonly wake: (id: number) => number;
  /** Runnable actors of a priority, or BadArgument. */
  readonly runQueueLength: (priority: number) => number;
  /** Live actors. */
  readonly actorCount: () => number;
  /** Slots handed out and not yet returned. */
  readonly slotsInUse: () => number;
  /** Moves the clock and fires due timers: how many fired, or Past / BadArgument. */
  readonly advance: (now: number) => number;
  /** The core clock (ms). */
  readonly now: () => number;
  /** Schedules a timer: its id (> 0), or Past / Range / BadArgument / Limit / OutOfMemory. */
  readonly timerSchedule: (deadline: number) => number;
  /** Cancels a pending timer: Ok, or NoTimer. */
  readonly timerCancel: (timerId: number) => number;
  /** The `index`-th timer fired by the last advance, or BadArgument. */
  readonly timerFired: (index: number) => number;
  /** Pending timers. */
  readonly timerCount: () => number;
  /** -1 when idle, else a tick in (floor(now()), earliest deadline]. */
  readonly timerNextDue: () => number;
  readonly #raw: SchedulerWasmExports;

  /**
   * The instance's exports, every one (shared rings reach the ring functions
   * through it: `shared_ring.ts`).
   *
   * @internal
   */
  get raw(): SchedulerWasmExports {
    return this.#raw;
  }

  /**
   * Creates a core: a new WebAssembly instance, placed in `memory` (or a memory of its own).
   *
   * @throws {RangeError} when `reductionBudget` is not an integer in `1..MAX_REDUCTION_BUDGET`,
   * `slotLimit` not an integer in `1..2^30`, or `actorLimit` not an integer in `1..2^20`.
   * @throws {TypeError} when `memory` is not a `WebAssembly.Memory` with a maximum of at most
   * 65536 pages.
   * @throws {CoreError} when the memory has no room for the core (`OutOfMemory`) or holds
   * something else than beamlet instances (`BadState`).
   * @throws {WasmModuleError} when `module` is not beamlet's scheduler of this version, or
   * cannot be linked to the memory (a TypeError when it is not a module at all).
   */
  constructor(options: WasmCoreOptions = {}) {
    const budget = reductionBudgetOf(options.reductionBudget, "WasmCore");
    this.reductionBudget = budget;
    this.slotLimit = slotLimitOf(options.slotLimit, "WasmCore");
    this.actorLimit = actorLimitOf(options.actorLimit, "WasmCore");
    this.memory = memoryFor(options.memory, "WasmCore");
    const module = options.module === undefined
      ? undefined
      : checkModule(options.module, SCHEDULER, "WasmCore");
    const core: SchedulerWasmExports = placeIn(
      this.memory,
      "WasmCore",
      module === undefined
        ? instantiateScheduler
        : (memory) =>
          linkChecked(SCHEDULER, "WasmCore", () => instantiateScheduler(memory, module)),
      (instance) => instance.init(budget, this.slotLimit, this.actorLimit),
    );
    this.instanceId = core.instanceId();
    this.#raw = core;
    this.spawn = core.spawn;
    this.free = core.free;
    this.enqueue = core.enqueue;
    this.dequeue = core.dequeue;
    this.stat = core.stat;
    this.hibernate = core.hibernate;
    this.setPriority = core.setPriority;
    this.next = core.next;
    this.release = core.release;
    this.wake = core.wake;
    this.runQueueLength = core.runQueueLength;
    this.actorCount = core.actorCount;
    this.slotsInUse = core.slotsInUse;
    this.advance = core.advance;
    this.now = core.now;
    this.timerSchedule = core.timerSchedule;
    this.timerCancel = core.timerCancel;
    this.timerFired = core.timerFired;
    this.timerCount = core.timerCount;
    this.timerNextDue = core.timerNextDue;
  }
}
