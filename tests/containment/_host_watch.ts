/**
 * Watching the host for uncaught exceptions and unhandled rejections while a
 * property runs (private: not a test file).
 *
 * What works where (checked on Deno 2.9, Bun 1.4, Node 20):
 *
 * - Node: `process.on("uncaughtException" | "unhandledRejection")`. The
 *   `node:test` runner has listeners of its own that would fail whichever
 *   test is current (or the file, "after the test ended"); while a watch is
 *   active they are set aside and put back afterwards, so the property that
 *   caused the event reports it, with its counterexample.
 * - Deno: the global `error` / `unhandledrejection` events, with
 *   `preventDefault()`. Under `deno test`, the `node:test` shim adds a
 *   listener of its own when tests start that fails the test even when the
 *   event is prevented; ours is added when this module loads, before it, and
 *   stops the event there while a watch is active. Once `node:process` is
 *   loaded (the campaign imports it), Deno's Node layer has a global
 *   listener of its own, possibly ahead of ours, that exits unless
 *   `process.on("uncaughtException")` has a listener: the watch adds those
 *   too, as on Node (`process.on` in Deno sees uncaught exceptions, not
 *   rejections). An event seen both ways is recorded once.
 * - Bun: `process.on` works under `bun run`. Under `bun test` the runner
 *   takes uncaught errors and rejections before any listener and fails the
 *   current test at once (oven-sh/bun#14644): there the properties run in a
 *   child `bun` process (see `checkContainment` in `_property.ts`).
 * - Elsewhere (browsers, workers): the global events, as in Deno.
 *
 * @module
 */

/** One event the host saw. */
export interface HostEvent {
  readonly kind: "uncaughtException" | "unhandledRejection";
  readonly error: unknown;
}

/** An active watch: the events seen since it started. */
export interface HostWatch {
  readonly events: readonly HostEvent[];
  /** Stops watching (idempotent); the host's own handling is back. */
  stop(): void;
}

type Listener = (...args: unknown[]) => void;
interface NodeProcess {
  on(event: string, listener: Listener): unknown;
  off(event: string, listener: Listener): unknown;
  listeners(event: string): Listener[];
}

const g = globalThis as {
  Deno?: unknown;
  process?: Partial<NodeProcess>;
  addEventListener?: (type: string, listener: (event: Event) => void) => void;
};

const nodeProcess: NodeProcess | undefined = typeof g.process?.on === "function" &&
    typeof g.process.off === "function" && typeof g.process.listeners === "function"
  ? g.process as NodeProcess
  : undefined;

let current: HostEvent[] | undefined;
/** Stops the active watch (a new one replaces it: see watchHost). */
let stopCurrent: (() => void) | undefined;

/** Records an event, once (Deno may report one both as a global event and to `process`). */
function record(kind: HostEvent["kind"], error: unknown): void {
  if (current === undefined) return;
  const last = current[current.length - 1];
  if (last !== undefined && last.kind === kind && Object.is(last.error, error)) return;
  current.push({ kind, error });
}

// Global events (Deno, browsers): installed once, at load, ahead of any test runner's listener.
if (
  (g.Deno !== undefined || nodeProcess === undefined) && typeof g.addEventListener === "function"
) {
  g.addEventListener("error", (event) => {
    if (current === undefined) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    record("uncaughtException", (event as ErrorEvent).error);
  });
  g.addEventListener("unhandledrejection", (event) => {
    if (current === undefined) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    record("unhandledRejection", (event as PromiseRejectionEvent).reason);
  });
}

const NODE_EVENTS = ["uncaughtException", "unhandledRejection"] as const;

/**
 * Starts recording the host's uncaught exceptions and unhandled rejections
 * (and keeping them from killing the host) until `stop()`. One watch at a
 * time: starting one stops the one before.
 *
 * @example
 * ```ts
 * const watch = watchHost();
 * try {
 *   await somethingHostile();
 *   await new Promise((resolve) => setTimeout(resolve, 0)); // rejections are reported after a turn
 *   assert.deepEqual(watch.events, []);
 * } finally {
 *   watch.stop();
 * }
 * ```
 */
export function watchHost(): HostWatch {
  stopCurrent?.();
  const events: HostEvent[] = [];
  current = events;
  let restore = () => {};
  if (nodeProcess !== undefined) {
    const process = nodeProcess;
    const saved = NODE_EVENTS.map((event) => process.listeners(event));
    NODE_EVENTS.forEach((event, i) => {
      for (const listener of saved[i]) process.off(event, listener);
    });
    const onUncaught: Listener = (error) => record("uncaughtException", error);
    const onRejection: Listener = (error) => record("unhandledRejection", error);
    process.on("uncaughtException", onUncaught);
    process.on("unhandledRejection", onRejection);
    restore = () => {
      process.off("uncaughtException", onUncaught);
      process.off("unhandledRejection", onRejection);
      NODE_EVENTS.forEach((event, i) => {
        for (const listener of saved[i]) process.on(event, listener);
      });
    };
  }
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    if (current === events) {
      current = undefined;
      stopCurrent = undefined;
    }
    restore();
  };
  stopCurrent = stop;
  return { events, stop };
}

const setImmediateHost = (globalThis as { setImmediate?: (callback: () => void) => unknown })
  .setImmediate;

/**
 * One turn of the host's event loop (a macrotask): after it, every rejection
 * left unhandled before it has been reported (checked on Deno, Bun and Node).
 */
export function hostTurn(): Promise<void> {
  return new Promise((resolve) => {
    if (typeof setImmediateHost === "function") setImmediateHost(resolve);
    else setTimeout(resolve, 0);
  });
}
