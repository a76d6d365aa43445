/**
 * A Cloudflare Worker running beamlet: one small supervision tree per
 * isolate, started by the first request and shared by every request after
 * it; requests call GenServers (a synchronous counter and a session store
 * whose handlers await), and the Hono adapter serves `/beamlet/health`,
 * `/beamlet/metrics` and the dashboard.
 *
 * `index.js` is the Worker's entry: it imports the precompiled WebAssembly
 * modules (Workers compile `.wasm` imports at deploy time and forbid
 * compiling bytes at run time) and hands them to {@linkcode createWorker}.
 * Without them the Worker still runs, on the TypeScript reference core,
 * and says so once in its log.
 *
 * In your project: `import { System } from "@beamlet/beamlet"` and
 * `"@beamlet/beamlet/edge"`, `"@beamlet/beamlet/hono"`, `"@beamlet/beamlet/metrics"`,
 * `"@beamlet/beamlet/core"` instead of the relative paths below.
 *
 * @module
 */

import { type ExecutionContext, Hono } from "hono";
import { noreply, ok, reply, Supervisor, System } from "../../mod.ts";
import { createHistogramStore } from "../../core.ts";
import { serveRequest, type WaitUntil } from "../../edge.ts";
import { createTelemetryApp } from "../../hono.ts";
import { beamletMetrics, Metrics } from "../../metrics.ts";

/** The precompiled modules, from beamlet's `wasm/` folder. */
export interface WasmModules {
  /** `wasm/scheduler.wasm`. */
  readonly scheduler?: WebAssembly.Module;
  /** `wasm/histogram_store.wasm`. */
  readonly histogramStore?: WebAssembly.Module;
}

/** The Worker's bindings (`env`): a token for the telemetry routes. */
export interface Env {
  /** Bearer token of `/beamlet/*` (default: a development token). */
  readonly BEAMLET_TOKEN?: string;
}

/** A counter: `"get"` calls, `"add"` casts. */
const counter = {
  init: (start: number) => ok(start),
  handleCall: (_request: "get", _from: unknown, n: number) => reply(n, n),
  handleCast: (_request: "add", n: number) => noreply(n + 1),
};

/** Sessions: each call awaits, as a handler reading a database or KV would. */
const sessions = {
  init: () => ok(new Map<string, number>()),
  handleCall: async (id: string, _from: unknown, seen: Map<string, number>) => {
    await new Promise((resolve) => setTimeout(resolve, 2));
    const visits = (seen.get(id) ?? 0) + 1;
    seen.set(id, visits);
    return reply({ id, visits }, seen);
  },
};

/** A worker that crashes on `"crash"`: the supervisor restarts it. */
const fragile = {
  init: () => ok(0),
  handleCall: (request: "crash" | "ping", _from: unknown, n: number) => {
    if (request === "crash") throw new Error("asked to crash");
    return reply("pong", n);
  },
};

interface Booted {
  readonly system: System;
  readonly app: Hono;
}

async function boot(modules: WasmModules, env: Env): Promise<Booted> {
  const system = new System({ wasmModule: modules.scheduler });
  await Supervisor.start(system, [
    { id: "counter", start: { server: counter, arg: 0, options: { name: "counter" } } },
    { id: "sessions", start: { server: sessions, arg: undefined, options: { name: "sessions" } } },
    { id: "fragile", start: { server: fragile, arg: undefined, options: { name: "fragile" } } },
  ], { strategy: "one_for_one", name: "root" });
  const store = modules.histogramStore === undefined
    ? undefined
    : createHistogramStore({ module: modules.histogramStore });
  const metrics = new Metrics(system, beamletMetrics(), { store });

  const app = new Hono();
  app.get("/", (c) => c.json({ core: system.schedulerStats().core }));
  app.get("/count", async (c) => c.json(await system.call("counter", "get")));
  app.post("/count", (c) => c.json(system.cast("counter", "add")));
  app.get("/session/:id", async (c) => c.json(await system.call("sessions", c.req.param("id"))));
  app.post("/crash", async (c) => {
    const crashed = await system.call("fragile", "crash").then(() => false, () => true);
    // The crash's exit signal is already in the supervisor's mailbox: a call to it is answered
    // once it has handled that signal and restarted "fragile" (whether or not the scheduler
    // yielded to the host in between), so the ping below finds the new process.
    await Supervisor.countChildren(system, "root");
    return c.json({ crashed, after: await system.call("fragile", "ping") });
  });
  app.route(
    "/beamlet",
    createTelemetryApp(system, {
      auth: { token: env.BEAMLET_TOKEN ?? "dev-token-change-me-0123456789" },
      metrics,
    }),
  );
  return { system, app };
}

/**
 * The Worker: `export default createWorker({ scheduler, histogramStore })`.
 *
 * @example On the reference core (no modules), answering one request
 * ```ts
 * import { createWorker } from "./worker.ts";
 *
 * const worker = createWorker({});
 * const response = await worker.fetch(new Request("http://x/count"), {}, { waitUntil() {} });
 * console.log(await response.json()); // 0
 * ```
 */
export function createWorker(modules: WasmModules): {
  fetch(request: Request, env: Env, ctx: WaitUntil): Promise<Response>;
} {
  let booted: Promise<Booted> | undefined;
  return {
    async fetch(request, env, ctx) {
      // Once per isolate; a failed start is retried by the next request.
      booted ??= boot(modules, env).catch((error) => {
        booted = undefined;
        throw error;
      });
      const { system, app } = await booted;
      return serveRequest(system, ctx, () => app.fetch(request, env, ctx as ExecutionContext));
    },
  };
}
