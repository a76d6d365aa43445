/**
 * The client of `http_bench.ts`, run as a separate process so its own work
 * does not compete with the server's event loop. For each JSON line on
 * stdin it runs one command and prints one JSON line:
 *
 * - `{ kind: "sequential", base, token, count, budgetMs }`: requests
 *   `/health` and `/metrics` alternately, one at a time, `count` times
 *   each or until `budgetMs` passed; prints `{ health: ms[], metrics: ms[] }`.
 * - `{ kind: "dashboard", base, token, durationMs, healthClients,
 *   overviewClients }`: one simulated open dashboard — what
 *   `dashboard/app.js` polls, at its intervals (`/overview` every second,
 *   `/processes` every 2 s, `/tree` every 10 s, one `/events` stream) —
 *   while `healthClients` anonymous clients and `overviewClients`
 *   authenticated ones each request `/health` or `/overview` back to back
 *   for `durationMs`; prints `{ health: ms[], overview: ms[], dashboard:
 *   ms[], errors }`.
 *
 * - `{ kind: "probe", base, durationMs }`: requests `/health` back to back
 *   (one at a time) for `durationMs`; prints `{ health: ms[] }` — how long
 *   a request from another process waits while the server's host is busy.
 *
 * Latency is to the last byte of the body.
 *
 * @module
 */

import process from "node:process";
import { createInterface } from "node:readline";

/** One run the bench asks for. */
export type ClientCommand =
  | {
    kind: "probe";
    base: string;
    durationMs: number;
  }
  | {
    kind: "sequential";
    base: string;
    token: string;
    count: number;
    budgetMs: number;
  }
  | {
    kind: "dashboard";
    base: string;
    token: string;
    durationMs: number;
    healthClients: number;
    overviewClients: number;
  };

/** What a sequential run measured, in ms. */
export interface SequentialResult {
  health: number[];
  metrics: number[];
}

/** What a dashboard run measured, in ms. */
export interface DashboardResult {
  health: number[];
  overview: number[];
  /** The simulated dashboard's own requests. */
  dashboard: number[];
  /** Requests that failed (non-200 or a network error). */
  errors: number;
}

/** What `dashboard/app.js` polls: every `everyMs`, that path. */
const DASHBOARD_POLLS: readonly { path: string; everyMs: number }[] = [
  { path: "/overview", everyMs: 1000 },
  { path: "/processes?sort=messageQueueLength&order=desc&offset=0&limit=50", everyMs: 2000 },
  { path: "/tree", everyMs: 10_000 },
];
const DASHBOARD_EVENTS =
  "/events?prefix=beamlet.slo&prefix=beamlet.supervisor&prefix=beamlet.process.exit";

async function timed(url: string, headers: Record<string, string>): Promise<number> {
  const start = performance.now();
  const response = await fetch(url, { headers });
  const body = await response.arrayBuffer();
  const elapsed = performance.now() - start;
  if (response.status !== 200 || body.byteLength === 0) {
    throw new Error(`${url}: HTTP ${response.status}`);
  }
  return elapsed;
}

async function sequential(command: Extract<ClientCommand, { kind: "sequential" }>) {
  const auth = { Authorization: `Bearer ${command.token}` };
  const out: SequentialResult = { health: [], metrics: [] };
  const end = performance.now() + command.budgetMs;
  for (let i = 0; i < command.count && performance.now() < end; i++) {
    out.health.push(await timed(`${command.base}/health`, {}));
    out.metrics.push(await timed(`${command.base}/metrics`, auth));
  }
  return out;
}

async function probe(command: Extract<ClientCommand, { kind: "probe" }>) {
  const out = { health: [] as number[] };
  const end = performance.now() + command.durationMs;
  while (performance.now() < end) out.health.push(await timed(`${command.base}/health`, {}));
  return out;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function dashboard(command: Extract<ClientCommand, { kind: "dashboard" }>) {
  const { base } = command;
  const auth = { Authorization: `Bearer ${command.token}` };
  const out: DashboardResult = { health: [], overview: [], dashboard: [], errors: 0 };
  const end = performance.now() + command.durationMs;
  const loop = async (url: string, headers: Record<string, string>, into: number[]) => {
    while (performance.now() < end) {
      try {
        into.push(await timed(url, headers));
      } catch {
        out.errors++;
      }
    }
  };
  const poll = async (path: string, everyMs: number) => {
    for (let next = performance.now(); next < end; next += everyMs) {
      await sleep(Math.max(0, next - performance.now()));
      if (performance.now() >= end) break;
      try {
        out.dashboard.push(await timed(`${base}${path}`, auth));
      } catch {
        out.errors++;
      }
    }
  };
  const events = new AbortController();
  const stream = (async () => {
    try {
      const response = await fetch(`${base}${DASHBOARD_EVENTS}`, {
        headers: auth,
        signal: events.signal,
      });
      const reader = response.body!.getReader();
      while (!(await reader.read()).done);
    } catch {
      // aborted at the end of the run
    }
  })();
  await Promise.all([
    ...DASHBOARD_POLLS.map(({ path, everyMs }) => poll(path, everyMs)),
    ...Array.from({ length: command.healthClients }, () => loop(`${base}/health`, {}, out.health)),
    ...Array.from(
      { length: command.overviewClients },
      () => loop(`${base}/overview`, auth, out.overview),
    ),
  ]);
  events.abort();
  await stream;
  return out;
}

const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  if (line.trim() === "") continue;
  const command = JSON.parse(line) as ClientCommand;
  const result = command.kind === "dashboard"
    ? await dashboard(command)
    : command.kind === "probe"
    ? await probe(command)
    : await sequential(command);
  process.stdout.write(JSON.stringify(result) + "\n");
}
