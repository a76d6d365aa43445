/**
 * `Task.asyncStream`: map a function over a (possibly endless, possibly
 * async) iterable, each item in its own task, with bounded concurrency.
 *
 * @module
 */

import type { Context } from "../context.ts";
import type { Ref } from "../pid.ts";
import type { ExitReason } from "../exit_reason.ts";
import {
  checkFn,
  killTask,
  spawnTask,
  type Starter,
  stateOf,
  type TaskState,
} from "./_task_process.ts";
import { contextOf, systemOf, type TaskOwner } from "./_task_owner.ts";
import type { Task } from "./task.ts";
import { TaskTimeoutError } from "./errors.ts";
import { checkTimeout } from "./_timeout.ts";
import { hostCores } from "../_host.ts";

/**
 * Options of {@linkcode asyncStream}.
 *
 * @example At most two at a time, a slow item skipped
 * ```ts
 * import { System } from "@beamlet/beamlet";
 * import { asyncStream, type AsyncStreamOptions } from "@beamlet/beamlet/task";
 *
 * const options: AsyncStreamOptions = { maxConcurrency: 2, timeout: 50, onTimeout: "kill_task" };
 * const work = (ms: number) => new Promise<number>((resolve) => setTimeout(() => resolve(ms), ms));
 * for await (const result of asyncStream(new System(), [10, 500, 20], work, options)) {
 *   console.log(result); // { ok: 10 }, { exit: "timeout" }, { ok: 20 }
 * }
 * ```
 */
export interface AsyncStreamOptions {
  /** Most tasks alive at once (default `navigator.hardwareConcurrency`, else 4). */
  maxConcurrency?: number;
  /** Yield results in input order (default `true`); `false`: as they complete. */
  ordered?: boolean;
  /** Ms each task may run (default 5000; `Infinity`: no limit). */
  timeout?: number;
  /**
   * What a task over its timeout does: `"exit"` (default) makes the iteration
   * throw a {@linkcode TaskTimeoutError} (every task is killed);
   * `"kill_task"` kills that task, yields `{ exit: "timeout" }` and goes on.
   */
  onTimeout?: "exit" | "kill_task";
}

/**
 * One item of the stream: the function's value, or why its task exited without one.
 *
 * @example Keeping the values, counting the failures
 * ```ts
 * import { System } from "@beamlet/beamlet";
 * import { asyncStream, type StreamResult } from "@beamlet/beamlet/task";
 *
 * const values: number[] = [];
 * let failed = 0;
 * const collect = (result: StreamResult<number>) => {
 *   if ("ok" in result) values.push(result.ok);
 *   else failed++;
 * };
 * const system = new System({ logger: null });
 * const parse = (text: string) => {
 *   if (!/^\d+$/.test(text)) throw new TypeError(`not a number: ${text}`);
 *   return Number(text);
 * };
 * for await (const result of asyncStream(system, ["1", "x", "3"], parse)) collect(result);
 * console.log(values, failed); // [1, 3] 1
 * ```
 */
export type StreamResult<T> = { readonly ok: T } | { readonly exit: ExitReason };

interface Entry<T> {
  readonly task: Task<T>;
  readonly state: TaskState<T>;
  timedOut: boolean;
  timer: Ref | undefined;
  /** Settles (with the entry) once the process is gone, or timed out in "exit" mode. */
  readonly done: Promise<Entry<T>>;
}

function defaultConcurrency(): number {
  const cores = hostCores();
  return typeof cores === "number" && cores >= 1 ? cores : 4;
}

function isIterable(value: unknown): value is Iterable<unknown> | AsyncIterable<unknown> {
  if (value === null || value === undefined) return false;
  const object = value as Record<symbol, unknown>;
  return typeof object[Symbol.iterator] === "function" ||
    typeof object[Symbol.asyncIterator] === "function";
}

/**
 * Runs `fn(item, ctx)` for every item of `items`, each in its own task, and
 * yields `{ ok: value }` per item (`{ exit: reason }` for a task that crashed
 * or, with `onTimeout: "kill_task"`, `{ exit: "timeout" }`). At most
 * `maxConcurrency` task processes are alive at once; in ordered mode a
 * finished result waiting for an earlier one still holds its place in that
 * window, so memory stays bounded too.
 *
 * The stream is lazy: it pulls items only as the consumer iterates, and
 * stopping early (`break`, `return()`, a throw) kills the tasks still
 * running and waits for them to exit. Called with a process's `Context`, the
 * tasks are linked to it (a crash then also reaches that process, as in
 * Elixir); called with the `System`, they are not linked.
 *
 * Throws a `TypeError` at once when `items` is not iterable or `fn` is not a
 * function, and a `RangeError` on bad options.
 *
 * @example Bounded, unordered fan-out
 * ```ts
 * import { System } from "@beamlet/beamlet";
 * import { asyncStream } from "@beamlet/beamlet/task";
 *
 * const system = new System();
 * const urls = ["https://example.com/a", "https://example.com/b"];
 * const stream = asyncStream(system, urls, (url) => url.length, {
 *   maxConcurrency: 2,
 *   ordered: false,
 *   timeout: 1000,
 *   onTimeout: "kill_task",
 * });
 * for await (const result of stream) {
 *   if ("ok" in result) console.log(result.ok);
 *   else console.log("failed:", result.exit);
 * }
 * ```
 */
export function asyncStream<I, T>(
  owner: TaskOwner,
  items: Iterable<I> | AsyncIterable<I>,
  fn: (item: I, ctx: Context) => T | Promise<T>,
  options: AsyncStreamOptions = {},
): AsyncIterable<StreamResult<T>> {
  const system = systemOf(owner, "asyncStream");
  if (!isIterable(items)) {
    throw new TypeError(`asyncStream: expected an iterable or async iterable, got ${typeof items}`);
  }
  checkFn(fn, "asyncStream");
  const maxConcurrency = options.maxConcurrency ?? defaultConcurrency();
  if (!Number.isInteger(maxConcurrency) || maxConcurrency < 1) {
    throw new RangeError(
      `asyncStream: maxConcurrency must be an integer >= 1, got ${maxConcurrency}`,
    );
  }
  const ordered = options.ordered ?? true;
  const timeout = options.timeout ?? 5000;
  checkTimeout(timeout, "asyncStream");
  const onTimeout = options.onTimeout ?? "exit";
  if (onTimeout !== "exit" && onTimeout !== "kill_task") {
    throw new TypeError(
      `asyncStream: onTimeout must be "exit" or "kill_task", got ${String(onTimeout)}`,
    );
  }
  const ctx = contextOf(owner);
  const start: Starter = (server, arg) =>
    ctx ? ctx.startLink(server, arg) : system.start(server, arg);

  async function spawn(item: I): Promise<Entry<T>> {
    const task = await spawnTask<T>(system, ctx, start, (taskCtx) => fn(item, taskCtx));
    const state = stateOf(task, "asyncStream");
    let timeUp!: () => void;
    const timedOutPromise = new Promise<void>((resolve) => timeUp = resolve);
    const entry: Entry<T> = {
      task,
      state,
      timedOut: false,
      timer: undefined,
      done: Promise.race([state.exited, timedOutPromise]).then(() => entry),
    };
    if (timeout !== Infinity) {
      entry.timer = system.setTimer(timeout, () => {
        if (state.settled) return;
        entry.timedOut = true;
        if (onTimeout === "kill_task") killTask(task, state as TaskState<unknown>, "kill");
        else timeUp();
      });
    }
    return entry;
  }

  async function resultOf(entry: Entry<T>): Promise<StreamResult<T>> {
    if (entry.timer !== undefined) system.cancelTimer(entry.timer);
    if (entry.timedOut) {
      if (onTimeout === "exit") {
        killTask(entry.task, entry.state as TaskState<unknown>, "kill");
        await entry.state.exited;
        throw new TaskTimeoutError(String(entry.task.pid), timeout);
      }
      return { exit: "timeout" };
    }
    return await entry.state.result;
  }

  async function* run(): AsyncGenerator<StreamResult<T>> {
    const iterator = Symbol.asyncIterator in items
      ? (items as AsyncIterable<I>)[Symbol.asyncIterator]()
      : (items as Iterable<I>)[Symbol.iterator]();
    const window: Entry<T>[] = [];
    // Unordered: entries join `finished` as they complete, so taking the next
    // one is O(1) (a Promise.race over the window would cost O(window) per item).
    const finished: Entry<T>[] = [];
    let wakeConsumer: (() => void) | undefined;
    const onDone = (entry: Entry<T>) => {
      finished.push(entry);
      wakeConsumer?.();
    };
    let exhausted = false;
    try {
      for (;;) {
        while (!exhausted && window.length < maxConcurrency) {
          const next = await iterator.next();
          if (next.done) exhausted = true;
          else {
            const entry = await spawn(next.value);
            window.push(entry);
            if (!ordered) entry.done.then(onDone);
          }
        }
        if (window.length === 0) return;
        let entry: Entry<T>;
        if (ordered) {
          entry = await window[0].done;
        } else {
          while (finished.length === 0) {
            await new Promise<void>((resolve) => wakeConsumer = resolve);
          }
          wakeConsumer = undefined;
          entry = finished.shift()!;
        }
        window.splice(window.indexOf(entry), 1);
        yield await resultOf(entry);
      }
    } finally {
      for (const entry of window) {
        if (entry.timer !== undefined) system.cancelTimer(entry.timer);
        killTask(entry.task, entry.state as TaskState<unknown>, "kill");
      }
      await Promise.all(window.map((entry) => entry.state.exited));
      if (!exhausted) await iterator.return?.();
    }
  }

  return { [Symbol.asyncIterator]: run };
}
