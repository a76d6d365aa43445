/**
 * Serves a fetch handler on a local port with whatever the runtime offers:
 * `Deno.serve`, `Bun.serve`, or `@hono/node-server` on Node. A busy port
 * falls back to one the OS chooses; the port really bound is returned.
 *
 * @module
 */

import { runtimeName } from "./_host.ts";

/** A web-standard request handler (`app.fetch` of a Hono app). */
export type FetchHandler = (request: Request, env?: unknown) => Response | Promise<Response>;

/** A running HTTP server. */
export interface RunningServer {
  /** The port it listens on (the OS's choice when asked for 0 or after a busy port). */
  readonly port: number;
  /** The host name it listens on. */
  readonly hostname: string;
  /** Stops accepting, closes open connections, resolves when done (at most ~2 s). */
  close(): Promise<void>;
}

/** Options of {@linkcode serve}. */
export interface ServeOptions {
  /** The port to try first (0: any free port). */
  readonly port: number;
  /** Default `"127.0.0.1"`: the demo is not for the network. */
  readonly hostname?: string;
  /** Whether a busy `port` falls back to one the OS chooses (default true). */
  readonly fallback?: boolean;
}

interface DenoHttpServer {
  shutdown(): Promise<void>;
}
interface DenoServe {
  serve(
    options: {
      port: number;
      hostname: string;
      signal: AbortSignal;
      onListen(addr: { port: number; hostname: string }): void;
    },
    handler: FetchHandler,
  ): DenoHttpServer;
}
interface BunServe {
  serve(options: { port: number; hostname: string; fetch: FetchHandler }): {
    readonly port: number;
    stop(closeActiveConnections?: boolean): unknown;
  };
}

const host = globalThis as unknown as { readonly Deno?: DenoServe; readonly Bun?: BunServe };

/**
 * Serves `fetch` on `options.port` (then on an OS-chosen port if that one is
 * busy) and resolves once it listens.
 *
 * @example Serving a handler
 * ```ts
 * import { serve } from "./_serve.ts";
 *
 * const server = await serve(() => new Response("hi"), { port: 8080 });
 * console.log(`http://${server.hostname}:${server.port}/`);
 * await server.close();
 * ```
 */
export async function serve(fetch: FetchHandler, options: ServeOptions): Promise<RunningServer> {
  const hostname = options.hostname ?? "127.0.0.1";
  try {
    return await listen(fetch, options.port, hostname);
  } catch (error) {
    if (options.fallback === false || options.port === 0 || !isAddressInUse(error)) throw error;
    return await listen(fetch, 0, hostname);
  }
}

function isAddressInUse(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const { name, code, message } = error as { name?: unknown; code?: unknown; message?: unknown };
  return name === "AddrInUse" || code === "EADDRINUSE" ||
    (typeof message === "string" && /address already in use|EADDRINUSE|in use/i.test(message));
}

function listen(fetch: FetchHandler, port: number, hostname: string): Promise<RunningServer> {
  switch (runtimeName()) {
    case "deno":
      return listenDeno(host.Deno!, fetch, port, hostname);
    case "bun":
      return Promise.resolve(listenBun(host.Bun!, fetch, port, hostname));
    default:
      return listenNode(fetch, port, hostname);
  }
}

function listenDeno(
  deno: DenoServe,
  fetch: FetchHandler,
  port: number,
  hostname: string,
): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    const abort = new AbortController();
    try {
      const server = deno.serve({
        port,
        hostname,
        signal: abort.signal,
        onListen: (addr) =>
          resolve({
            port: addr.port,
            hostname,
            close: () => {
              abort.abort();
              return withDeadline(server.shutdown(), 2000);
            },
          }),
      }, (request, info) => fetch(request, info)); // Hono's env: Deno's handler info
    } catch (error) {
      reject(error);
    }
  });
}

function listenBun(bun: BunServe, fetch: FetchHandler, port: number, hostname: string) {
  const server = bun.serve({ port, hostname, fetch: (request) => fetch(request) });
  return {
    port: server.port,
    hostname,
    close: () => {
      server.stop(true);
      return Promise.resolve();
    },
  };
}

async function listenNode(
  fetch: FetchHandler,
  port: number,
  hostname: string,
): Promise<RunningServer> {
  const { serve: nodeServe } = await import("@hono/node-server");
  return await new Promise<RunningServer>((resolve, reject) => {
    const server = nodeServe({ fetch: (request) => fetch(request), port, hostname }, (info) => {
      server.off("error", reject);
      resolve({
        port: info.port,
        hostname,
        close: () => {
          const closed = new Promise<void>((done) => server.close(() => done()));
          // Open keep-alive and event-stream connections would hold close() forever.
          if ("closeAllConnections" in server) server.closeAllConnections();
          return withDeadline(closed, 2000);
        },
      });
    });
    server.once("error", reject);
  });
}

function withDeadline(done: Promise<void>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
  return Promise.race([done.catch(() => {}), deadline]).finally(() => clearTimeout(timer));
}
