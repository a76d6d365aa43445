/**
 * A system with the telemetry app served on a real socket of this process
 * (Deno.serve, Bun.serve or @hono/node-server, as the demo does), for tests
 * that need real connections without a child process (private: not a test
 * file).
 *
 * @module
 */

import { createTelemetryApp, type TelemetryAppOptions, type TokenThrottle } from "../hono.ts";
import { System } from "../mod.ts";
import { type RunningServer, serve } from "../examples/demo/_serve.ts";

/** A served app and how to release it. */
export interface ServedApp {
  readonly system: System;
  readonly server: RunningServer;
  /** `http://127.0.0.1:PORT` */
  readonly base: string;
  readonly token: string;
  /** Aborts the app's signal, closes the server, shuts the system down. */
  close(): Promise<void>;
}

/** Serves `createTelemetryApp(system, options)` with token auth (throttled as `throttle` says) on 127.0.0.1. */
export async function serveApp(
  options: Omit<TelemetryAppOptions, "auth" | "signal"> & { readonly throttle?: TokenThrottle } =
    {},
  system: System = new System({ logger: null }),
): Promise<ServedApp> {
  const token = "e2e-served-token-0123456789";
  const controller = new AbortController();
  const { throttle, ...appOptions } = options;
  const app = createTelemetryApp(system, {
    ...appOptions,
    auth: { token, throttle },
    signal: controller.signal,
  });
  const server = await serve((request, env) => app.fetch(request, env), { port: 0 });
  return {
    system,
    server,
    base: `http://${server.hostname}:${server.port}`,
    token,
    async close() {
      controller.abort();
      await server.close();
      system.shutdown();
    },
  };
}
