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

/** A Worker as the scheduler fabric sees it, the same on every host. */
export interface HostWorker {
  /** Posts a control message (never a message between processes: those go through shared rings). */
  post(message: unknown): void;
  /** Lets the host exit while the Worker runs (Node, Bun); a no-op elsewhere. */
  unref(): void;
  /** Ends the Worker at once. */
  terminate(): void;
}

/** What a Worker's owner hears from it. */
export interface HostWorkerEvents {
  message(data: unknown): void;
  /**
   * The Worker is gone: `error` when it failed (an uncaught error, a failed
   * load), else undefined. `stopped`: its thread has certainly stopped
   * (Node's and Bun's exit events); false where the host only said it will
   * stop (a web Worker's `terminate()`, which Deno carries out when the
   * Worker's code returns to its event loop).
   */
  exit(error: unknown, stopped: boolean): void;
  /** After an `exit` with `stopped` false: the thread has now stopped (Bun's `close` event). */
  stopped(): void;
}

/** Whether this host can start Workers (`worker_threads` on Node, web Workers elsewhere). */
export function hostHasWorkers(): boolean {
  const g = globalThis as { Worker?: unknown; process?: { versions?: { node?: string } } };
  return typeof g.Worker === "function" || typeof g.process?.versions?.node === "string";
}

/** The host's core count, asking Node's `os` module where `navigator` does not say. */
export async function hostCoresAsync(): Promise<number> {
  const cores = hostCores();
  if (cores !== undefined && cores > 0) return cores;
  try {
    const os = await importNode("node:os") as {
      availableParallelism?: () => number;
      cpus(): unknown[];
    };
    return os.availableParallelism?.() ?? os.cpus().length;
  } catch {
    return 1;
  }
}

/**
 * Starts a module Worker running `url`, handing it `data` as its first
 * message: Node's `worker_threads` (where there is no web `Worker`), else
 * the web `Worker` (Deno, Bun, browsers).
 */
export async function hostStartWorker(
  url: URL,
  data: unknown,
  events: HostWorkerEvents,
): Promise<HostWorker> {
  const g = globalThis as { Worker?: new (url: URL, options: object) => WebWorker };
  if (typeof g.Worker !== "function" || IS_NODE) {
    const threads = await importNode("node:worker_threads") as {
      Worker: new (url: URL, options: object) => NodeWorker;
    };
    const worker = new threads.Worker(url, { workerData: data });
    let failure: unknown = undefined;
    worker.on("message", (message) => events.message(message));
    worker.on("error", (error) => failure = error);
    worker.on("exit", () => events.exit(failure, true));
    return {
      post: (message) => worker.postMessage(message),
      unref: () => worker.unref(),
      terminate: () => void worker.terminate(),
    };
  }
  const worker = new g.Worker(url, { type: "module" });
  let ended = false;
  const end = (error: unknown, stopped: boolean) => {
    if (ended) return;
    ended = true;
    events.exit(error, stopped);
  };
  worker.onmessage = (event) => events.message(event.data);
  // Bun says when a Worker's thread has stopped; Deno does not.
  worker.addEventListener?.("close", () => {
    if (ended) events.stopped();
    else end(undefined, true);
  });
  worker.onerror = (event) => {
    event.preventDefault?.();
    end(event.error ?? new Error(event.message ?? "worker failed"), false);
    worker.terminate();
  };
  worker.postMessage(data);
  return {
    post: (message) => worker.postMessage(message),
    unref: () => (worker as { unref?: () => void }).unref?.(),
    terminate: () => {
      worker.terminate();
      end(undefined, false);
    },
  };
}

/** Inside a Worker: its first message (the data it was started with) and its port to the owner. */
export async function hostWorkerPort(): Promise<{
  data: unknown;
  post(message: unknown): void;
  onMessage(listener: (data: unknown) => void): void;
  close(): void;
}> {
  if (IS_NODE) {
    const threads = await importNode("node:worker_threads") as {
      workerData: unknown;
      parentPort: {
        postMessage(message: unknown): void;
        on(event: "message", listener: (data: unknown) => void): void;
        close(): void;
      };
    };
    const port = threads.parentPort;
    return {
      data: threads.workerData,
      post: (message) => port.postMessage(message),
      onMessage: (listener) => port.on("message", listener),
      close: () => port.close(),
    };
  }
  const scope = globalThis as unknown as {
    postMessage(message: unknown): void;
    close(): void;
    addEventListener(type: "message", listener: (event: { data: unknown }) => void): void;
    removeEventListener(type: "message", listener: (event: { data: unknown }) => void): void;
  };
  const data = await new Promise<unknown>((resolve) => {
    const first = (event: { data: unknown }) => {
      scope.removeEventListener("message", first);
      resolve(event.data);
    };
    scope.addEventListener("message", first);
  });
  return {
    data,
    post: (message) => scope.postMessage(message),
    onMessage: (listener) => scope.addEventListener("message", (event) => listener(event.data)),
    close: () => scope.close(),
  };
}

/** Whether the host is Node (whose `Worker` is `worker_threads`, not the web one). */
const IS_NODE: boolean = (() => {
  const g = globalThis as { process?: { versions?: { node?: string; bun?: string } } };
  return typeof g.process?.versions?.node === "string" && !IS_DENO &&
    g.process.versions.bun === undefined;
})();

interface WebWorker {
  onmessage: ((event: { data: unknown }) => void) | null;
  addEventListener?(type: "close", listener: () => void): void;
  onerror: ((event: { error?: unknown; message?: string; preventDefault?(): void }) => void) | null;
  postMessage(message: unknown): void;
  terminate(): void;
}

interface NodeWorker {
  on(event: "message", listener: (data: unknown) => void): void;
  on(event: "error", listener: (error: unknown) => void): void;
  on(event: "exit", listener: (code: number) => void): void;
  postMessage(message: unknown): void;
  unref(): void;
  terminate(): Promise<number>;
}

/**
 * Imports a Node built-in where the host has one. The specifier goes
 * through a variable so that bundlers for hosts without it (esbuild for
 * Cloudflare Workers, platform "neutral") leave the import alone instead
 * of failing to resolve it: only Node (and Deno or Bun, which have them)
 * ever run these lines.
 */
function importNode(specifier: "node:os" | "node:worker_threads"): Promise<unknown> {
  const name: string = specifier;
  return import(name);
}
