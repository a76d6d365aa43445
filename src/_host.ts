/**
 * The one module of `src/` that looks at which runtime it runs on
 * (internal). Everything else is written against web-standard globals
 * (`setTimeout`, `MessageChannel`, `performance`, `navigator`) and takes
 * what differs between hosts from here, read once when this module loads.
 * `scripts/check_runtime_neutral.ts` fails when any other file of `src/`
 * references `Deno`, `Bun`, Node's global `process` or a `node:` module.
 *
 * Nothing here creates anything at load: it only reads globals, so the
 * package loads on every host (Cloudflare Workers of any compatibility
 * date included).
 *
 * @module
 */

/** Deno's switches for a timer's hold on the event loop. */
export interface DenoTimers {
  /** Keeps the process alive until the timer `id` fires. */
  refTimer(id: number): void;
  /** Lets the process exit although the timer `id` is pending. */
  unrefTimer(id: number): void;
}

const deno = (globalThis as { Deno?: DenoTimers }).Deno;

/** Whether the host is Deno. */
export const IS_DENO: boolean = deno !== undefined;

/**
 * `Deno.refTimer` / `Deno.unrefTimer` on Deno (whose `setTimeout` returns a
 * number), else undefined: Node and Bun timers have `ref()` / `unref()` of
 * their own; browsers and workers have neither and need neither.
 */
export const denoTimers: DenoTimers | undefined = deno;

/**
 * The host's `setImmediate` (Node, Bun, Deno), called unbound, or undefined
 * where there is none (browsers, workers).
 */
export const hostSetImmediate: ((task: () => void) => unknown) | undefined = (() => {
  const g = globalThis as { setImmediate?: (task: () => void) => unknown };
  return typeof g.setImmediate === "function" ? g.setImmediate : undefined;
})();

/**
 * The host's core count (`navigator.hardwareConcurrency`), or undefined
 * where the host does not say (Node before 21).
 */
export function hostCores(): number | undefined {
  return (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator
    ?.hardwareConcurrency;
}

/**
 * Whether a Hono request came through `Deno.serve`: there Hono's env is
 * `Deno.serve`'s handler info (`remoteAddr`, `completed`).
 */
export function servedByDeno(env: unknown): boolean {
  if (!IS_DENO || typeof env !== "object" || env === null) return false;
  const info = env as { remoteAddr?: unknown; completed?: unknown };
  return typeof info.remoteAddr === "object" && info.completed instanceof Promise;
}

/**
 * The JavaScript heap in use, in bytes: `Deno.memoryUsage().heapUsed` on
 * Deno, `process.memoryUsage().heapUsed` on Node and Bun, else (browsers,
 * Cloudflare Workers) undefined. Never throws.
 */
export function hostHeapUsed(): number | undefined {
  try {
    const g = globalThis as {
      Deno?: { memoryUsage?: () => { heapUsed: number } };
      process?: { memoryUsage?: () => { heapUsed: number } };
    };
    const usage = typeof g.Deno?.memoryUsage === "function"
      ? g.Deno.memoryUsage()
      : typeof g.process?.memoryUsage === "function"
      ? g.process.memoryUsage()
      : undefined;
    const used = usage?.heapUsed;
    return typeof used === "number" && Number.isFinite(used) && used >= 0 ? used : undefined;
  } catch {
    return undefined;
  }
}
