/**
 * Workload 1, cast to one server: a client process handles a job message by
 * casting 1000 numbers to a server (whose handleCast adds them to its state)
 * and casting the rest of the job to itself; its last step casts the caller's
 * `From` to the server (in an object: the hand-written mailbox tells calls
 * by their class), which replies with the sum. One op is one cast to the
 * server. Also reports the server's mailbox high-water mark (issue 12: it
 * should stay within a few thousand).
 *
 * @module
 */

import { type Context, type From, noreply, ok, type Pid, System } from "../../mod.ts";
import { measureAsync } from "../_harness.ts";
import { BaselineSystem, type Call, NOREPLY } from "./_baseline.ts";
import { type Row, type Settings, statOf } from "./_row.ts";
import type { Peer } from "../peers/peers.ts";
import { peerCases, peerStats } from "./_peer_cases.ts";

const BATCH = 1000;

interface Job<F> {
  left: number;
  from: F;
}

async function beamletCase() {
  const system = new System({ logger: null });
  const server = await system.start({
    init: () => ok(0),
    handleCast: (message: number | { from: From<number> }, sum: number, ctx: Context) => {
      if (typeof message === "number") return noreply(sum + message);
      ctx.reply(message.from, sum);
      return noreply(sum);
    },
  });
  const client: Pid = await system.start({
    init: () => ok(0),
    handleCall: (left: number, from: From<number>, state: number, ctx: Context) => {
      ctx.cast(ctx.self, { left, from });
      return noreply(state);
    },
    handleCast: (job: Job<From<number>>, state: number, ctx: Context) => {
      const n = Math.min(BATCH, job.left);
      for (let i = 0; i < n; i++) ctx.cast(server, i & 7);
      if (job.left > n) ctx.cast(ctx.self, { left: job.left - n, from: job.from });
      else ctx.cast(server, { from: job.from });
      return noreply(state);
    },
  });
  return {
    run: (ops: number) => system.call<number>(client, ops, { timeout: Infinity }),
    highWater: () => system.processInfo(server)!.mailbox.highWater,
  };
}

async function baselineCase() {
  const system = new BaselineSystem();
  const server = await system.start<number>({
    init: () => 0,
    handleCast: (message, actor) => {
      if (typeof message === "number") actor.state += message;
      else system.reply((message as { from: Call }).from, actor.state);
    },
  });
  const client = await system.start<number>({
    init: () => 0,
    handleCall: (left, from, actor) => {
      system.cast(actor, { left, from });
      return NOREPLY;
    },
    handleCast: (message, actor) => {
      const job = message as Job<Call>;
      const n = Math.min(BATCH, job.left);
      for (let i = 0; i < n; i++) system.cast(server, i & 7);
      if (job.left > n) system.cast(actor, { left: job.left - n, from: job.from });
      else system.cast(server, { from: job.from });
    },
  });
  return {
    run: (ops: number) => system.call<number>(client, ops),
    highWater: () => server.highWater,
  };
}

/** Cast throughput, hand-written vs beamlet. */
export async function castRow(s: Settings, peers: Peer[]): Promise<Row> {
  const base = await baselineCase();
  const beam = await beamletCase();
  const [b, m, ...p] = await measureAsync([
    { name: "baseline", run: base.run },
    { name: "beamlet", run: beam.run },
    ...peerCases(peers, (peer) => peer.cast()),
  ], s);
  return {
    id: "cast",
    workload: "cast to one server (client casts 1000 per message it handles)",
    unit: "ops/s",
    beamlet: statOf(m),
    baseline: statOf(b),
    peers: peerStats(peers, p),
    note: `server mailbox high-water: beamlet ${beam.highWater().toLocaleString("en-US")}, ` +
      `hand-written ${base.highWater().toLocaleString("en-US")}`,
  };
}
