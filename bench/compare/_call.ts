/**
 * Workloads 2 and 3, calls to an echo server (its handleCall replies
 * `request + 1`):
 *
 * - from outside: sequential `await system.call`; baselines: an awaited
 *   Promise round trip around the same handler (a Promise resolved from a
 *   microtask that runs the handler: issue 12's anchor) and the hand-written
 *   actor system's call;
 * - between processes: a client process whose handleCall awaits `ctx.call`
 *   to the server in a loop; baseline: the same on the hand-written system.
 *
 * @module
 */

import { type Context, noreply, ok, reply, System } from "../../mod.ts";
import { measureAsync } from "../_harness.ts";
import { BaselineSystem } from "./_baseline.ts";
import { type Row, type Settings, statOf } from "./_row.ts";
import type { Peer } from "../peers/peers.ts";
import { peerCases, peerStats } from "./_peer_cases.ts";

const echo = (request: number) => request + 1;

/** Awaited calls from outside any process. */
export async function callOutsideRows(s: Settings, peers: Peer[]): Promise<Row[]> {
  const system = new System({ logger: null });
  const pid = await system.start({
    init: () => ok(0),
    handleCall: (request: number, _from: unknown, state: number) => reply(echo(request), state),
    handleCast: (_request: unknown, state: number) => noreply(state),
  });
  const base = new BaselineSystem();
  const actor = base.spawn<number>({ init: () => 0, handleCall: (r) => echo(r as number) });
  const [promise, handWritten, beamlet, ...p] = await measureAsync([
    {
      name: "awaited Promise round trip",
      async run(ops) {
        let sum = 0;
        for (let i = 0; i < ops; i++) {
          sum += await new Promise<number>((resolve) => queueMicrotask(() => resolve(echo(i))));
        }
        return sum;
      },
    },
    {
      name: "hand-written call",
      async run(ops) {
        let sum = 0;
        for (let i = 0; i < ops; i++) sum += await base.call<number>(actor, i);
        return sum;
      },
    },
    {
      name: "beamlet",
      async run(ops) {
        let sum = 0;
        for (let i = 0; i < ops; i++) sum += await system.call<number>(pid, i);
        return sum;
      },
    },
    ...peerCases(peers, (peer) => peer.callOutside()),
  ], s);
  return [
    {
      id: "call_outside",
      workload: "awaited call from outside",
      unit: "ops/s",
      beamlet: statOf(beamlet),
      baseline: statOf(promise),
      baselineName:
        "an awaited Promise round trip: the handler runs on a microtask that resolves it",
      peers: peerStats(peers, p),
    },
    {
      id: "call_outside_actor",
      workload: "awaited call from outside, vs the hand-written system's call",
      unit: "ops/s",
      beamlet: statOf(beamlet),
      baseline: statOf(handWritten),
    },
  ];
}

/** A client process awaiting `ctx.call` to a server in a loop. */
export async function callBetweenRow(s: Settings): Promise<Row> {
  const system = new System({ logger: null });
  const server = await system.start({
    init: () => ok(0),
    handleCall: (request: number, _from: unknown, state: number) => reply(echo(request), state),
  });
  const client = await system.start({
    init: () => ok(0),
    handleCall: async (n: number, _from: unknown, state: number, ctx: Context) => {
      let sum = 0;
      for (let i = 0; i < n; i++) sum += await ctx.call<number>(server, i);
      return reply(sum, state);
    },
  });
  const base = new BaselineSystem();
  const baseServer = base.spawn<number>({ init: () => 0, handleCall: (r) => echo(r as number) });
  const baseClient = base.spawn<number>({
    init: () => 0,
    handleCall: async (n) => {
      let sum = 0;
      for (let i = 0; i < (n as number); i++) {
        sum += await base.call<number>(baseServer, i);
      }
      return sum;
    },
  });
  const [b, m] = await measureAsync([
    { name: "baseline", run: (ops) => base.call<number>(baseClient, ops) },
    {
      name: "beamlet",
      run: (ops) => system.call<number>(client, ops, { timeout: Infinity }),
    },
  ], s);
  return {
    id: "call_between",
    workload: "call between processes",
    unit: "ops/s",
    beamlet: statOf(m),
    baseline: statOf(b),
  };
}
