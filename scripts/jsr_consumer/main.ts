/**
 * What a Deno user writes after `deno add jsr:@beamlet/beamlet`: a GenServer
 * called and cast to, the Hono adapter answering `/health`, and the entries
 * that import fast-check, `@opentelemetry/api` and `@js-sdsl/ordered-map`
 * (a test system, a tracer, an ordered_set table).
 * `scripts/check_jsr.ts` runs it from a project outside the repository whose
 * workspace holds a copy of the files `deno publish` would upload, so `hono`,
 * `fast-check`, `@opentelemetry/api` and `@js-sdsl/ordered-map` resolve
 * through the package's own import map, as they do from JSR. The
 * check compares what it prints with the lines below.
 *
 * @module
 */

import { type From, noreply, ok, reply, System } from "@beamlet/beamlet";
import { createTelemetryApp } from "@beamlet/beamlet/hono";
import { openTelemetryTracer } from "@beamlet/beamlet/otel";
import { Table } from "@beamlet/beamlet/tables";
import { createTestSystem } from "@beamlet/beamlet/testing";

const system = new System();
const counter = await system.start(
  {
    init: (start: number) => ok(start),
    handleCall: (_request: "get", _from: From<number>, n: number) => reply(n, n),
    handleCast: (add: number, n: number) => noreply(n + add),
  },
  40,
  { name: "counter" },
);
system.cast(counter, 2);
console.log(`call: ${await system.call(counter, "get")}`); // call: 42

const shutdown = new AbortController();
const app = createTelemetryApp(system, {
  auth: { token: "a-long-random-secret" },
  signal: shutdown.signal,
});
const health = await app.request("/health");
console.log(`health: ${health.status} ${await health.text()}`); // health: 200 {"status":"ok"}
const metrics = await app.request("/metrics");
console.log(`metrics without a token: ${metrics.status}`); // metrics without a token: 401

shutdown.abort();
await system.stopAll();
console.log("stopped");

const t = createTestSystem();
const echo = await t.start({
  init: () => ok(null),
  handleCall: (request: number, _from: From<number>, state: null) => reply(request * 2, state),
}, undefined);
console.log(`test system: ${await t.call(echo, 21)}`); // test system: 42
const traced = new System({ tracer: openTelemetryTracer() });
console.log(`traced system: ${traced.processes().length} processes`); // traced system: 0 processes
traced.shutdown();

const tables = new System();
const owner = await tables.start({ init: () => ok(null) });
const scores = new Table<[string, number]>(tables, { owner, type: "ordered_set" });
scores.insertMany([["b", 2], ["a", 1]]);
console.log(`ordered_set: ${scores.toArray().map(([key]) => key).join(",")}`); // ordered_set: a,b
tables.shutdown();
