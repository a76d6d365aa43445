/**
 * The client of `http_bench.ts`, run as a separate process so its own work
 * does not compete with the server's event loop: for each JSON line on
 * stdin — `{ base, token, count, budgetMs }` — it requests `/health` and
 * `/metrics` alternately, one at a time, `count` times each or until
 * `budgetMs` passed, and prints one JSON line `{ health: ms[], metrics: ms[] }`.
 *
 * @module
 */

import process from "node:process";
import { createInterface } from "node:readline";

/** One run the bench asks for. */
export interface ClientCommand {
  base: string;
  token: string;
  count: number;
  budgetMs: number;
}

/** What one run measured: latency to the last body byte, in ms. */
export interface ClientResult {
  health: number[];
  metrics: number[];
}

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

async function run(command: ClientCommand): Promise<ClientResult> {
  const auth = { Authorization: `Bearer ${command.token}` };
  const out: ClientResult = { health: [], metrics: [] };
  const end = performance.now() + command.budgetMs;
  for (let i = 0; i < command.count && performance.now() < end; i++) {
    out.health.push(await timed(`${command.base}/health`, {}));
    out.metrics.push(await timed(`${command.base}/metrics`, auth));
  }
  return out;
}

const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  if (line.trim() === "") continue;
  const result = await run(JSON.parse(line) as ClientCommand);
  process.stdout.write(JSON.stringify(result) + "\n");
}
