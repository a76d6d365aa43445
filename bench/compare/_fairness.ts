/**
 * Workload 8, fairness: a neighbour process is cast 1 M messages (unbounded
 * mailbox) and keeps its queue at 1 M (its handleCast casts itself one
 * message for every one it handles, until the round ends); meanwhile a
 * client process calls a light echo server in a loop (`ctx.call`), timing
 * each call, for up to 1000 calls or 300 ms. Reports the p99 of those
 * latencies (median over rounds, the lowest and highest round). The same on
 * the hand-written system.
 *
 * @module
 */

import { type Context, noreply, ok, reply, System } from "../../mod.ts";
import { BaselineSystem } from "./_baseline.ts";
import { breathe, percentile, type Row, type Settings, statOfValues } from "./_row.ts";

/** Messages queued at the neighbour. */
export const FLOOD = 1_000_000;
const MAX_CALLS = 1000;
const MAX_MS = 300;

interface Side {
  /** Fills the neighbour's queue and keeps it full. */
  flood(n: number): void;
  /** Lets the neighbour drain. */
  stopFlood(): void;
  /** The client's call latencies (ms) while the flood lasts. */
  measure(): Promise<number[]>;
  queued(): number;
}

/** The client's loop: calls until `MAX_CALLS` or `MAX_MS`. */
async function timedCalls(call: (i: number) => Promise<number>): Promise<number[]> {
  const latencies: number[] = [];
  const end = performance.now() + MAX_MS;
  for (let i = 0; i < MAX_CALLS; i++) {
    const start = performance.now();
    await call(i);
    const now = performance.now();
    latencies.push(now - start);
    if (now > end) break;
  }
  return latencies;
}

async function beamletSide(): Promise<Side> {
  const system = new System({ logger: null });
  let refill = false;
  const neighbour = await system.start({
    init: () => ok(0),
    handleCast: (n: number, sum: number, ctx: Context) => {
      if (refill) ctx.cast(ctx.self, n);
      return noreply(sum + n);
    },
  });
  const light = await system.start({
    init: () => ok(0),
    handleCall: (request: number, _from: unknown, state: number) => reply(request + 1, state),
  });
  const client = await system.start({
    init: () => ok(0),
    handleCall: async (_go: "go", _from: unknown, state: number, ctx: Context) =>
      reply(await timedCalls((i) => ctx.call<number>(light, i)), state),
  });
  return {
    flood(n) {
      refill = true;
      for (let i = 0; i < n; i++) system.cast(neighbour, 1);
    },
    stopFlood: () => void (refill = false),
    measure: () => system.call<number[]>(client, "go", { timeout: Infinity }),
    queued: () => system.processInfo(neighbour)!.messageQueueLength,
  };
}

function baselineSide(): Side {
  const system = new BaselineSystem();
  let refill = false;
  const neighbour = system.spawn<number>({
    init: () => 0,
    handleCast: (n, actor) => {
      if (refill) system.cast(actor, n);
      actor.state += n as number;
    },
  });
  const light = system.spawn<number>({ init: () => 0, handleCall: (r) => (r as number) + 1 });
  const client = system.spawn<number>({
    init: () => 0,
    handleCall: () => timedCalls((i) => system.call<number>(light, i)),
  });
  return {
    flood(n) {
      refill = true;
      for (let i = 0; i < n; i++) system.cast(neighbour, 1);
    },
    stopFlood: () => void (refill = false),
    measure: () => system.call<number[]>(client, "go"),
    queued: () => neighbour.length,
  };
}

/** One round: the client's latencies (ms) while the neighbour holds `flood` messages. */
async function round(side: Side, flood: number): Promise<number[]> {
  side.flood(flood);
  const latencies = await side.measure();
  side.stopFlood();
  while (side.queued() > 0) await breathe();
  return latencies;
}

/** A light call's p99 while a neighbour holds 1 M queued messages. */
export async function fairnessRow(s: Settings): Promise<Row> {
  const rounds = s.quick ? 3 : 5;
  const base = baselineSide();
  const beam = await beamletSide();
  const p99s = { base: [] as number[], beam: [] as number[] };
  const p50s = { base: [] as number[], beam: [] as number[] };
  const calls = { base: 0, beam: 0 };
  await round(base, FLOOD / 10); // warm-up
  await round(beam, FLOOD / 10);
  for (let r = 0; r < rounds; r++) {
    const b = await round(base, FLOOD);
    const m = await round(beam, FLOOD);
    calls.base += b.length;
    calls.beam += m.length;
    p99s.base.push(percentile(b, 0.99));
    p99s.beam.push(percentile(m, 0.99));
    p50s.base.push(percentile(b, 0.5));
    p50s.beam.push(percentile(m, 0.5));
  }
  return {
    id: "fairness",
    workload: "fairness: a light call's p99 while a neighbour holds 1 M queued messages",
    unit: "ms",
    beamlet: statOfValues(p99s.beam),
    baseline: statOfValues(p99s.base),
    note: `calls timed per round (at most ${MAX_CALLS} or ${MAX_MS} ms): beamlet ${
      Math.round(calls.beam / rounds)
    }, hand-written ${Math.round(calls.base / rounds)}; p50: beamlet ${
      statOfValues(p50s.beam).median.toFixed(2)
    } ms, hand-written ${statOfValues(p50s.base).median.toFixed(2)} ms`,
  };
}
