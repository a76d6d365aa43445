/**
 * Workloads 4 and 5, messages between processes:
 *
 * - ping-pong: two processes cast a message back and forth; one op is one
 *   round trip;
 * - ring: 1000 processes, each casting a hop counter to the next; one op is
 *   one hop.
 *
 * A run starts with a call to the first process, which keeps the caller's
 * `From` and is replied to when the last message arrives. The same on the
 * hand-written system.
 *
 * @module
 */

import { type Context, type From, noreply, ok, type Pid, System } from "../../mod.ts";
import { measureAsync } from "../_harness.ts";
import { type Actor, BaselineSystem, type Call, NOREPLY } from "./_baseline.ts";
import { type Row, type Settings, statOf } from "./_row.ts";
import type { Peer } from "../peers/peers.ts";
import { peerCases, peerStats } from "./_peer_cases.ts";

/** The ring's size. */
export const RING_SIZE = 1000;

interface Rally<F> {
  left: number;
  from: F | undefined;
}

async function beamletPingPong() {
  const system = new System({ logger: null });
  const peer: { ping?: Pid } = {};
  const pong = await system.start({
    init: () => ok(0),
    handleCast: (_ball: 0, state: number, ctx: Context) => {
      ctx.cast(peer.ping!, 0);
      return noreply(state);
    },
  });
  const ping = await system.start({
    init: (): ReturnType<typeof ok<Rally<From<number>>>> => ok({ left: 0, from: undefined }),
    handleCall: (n: number, from: From<number>, state: Rally<From<number>>, ctx: Context) => {
      state.left = n;
      state.from = from;
      ctx.cast(pong, 0);
      return noreply(state);
    },
    handleCast: (_ball: 0, state: Rally<From<number>>, ctx: Context) => {
      if (--state.left > 0) ctx.cast(pong, 0);
      else ctx.reply(state.from!, 0);
      return noreply(state);
    },
  });
  peer.ping = ping;
  return (ops: number) => system.call<number>(ping, ops, { timeout: Infinity });
}

function baselinePingPong() {
  const system = new BaselineSystem();
  const pong = system.spawn<number>({
    init: () => 0,
    handleCast: () => void system.cast(ping, 0),
  });
  const ping = system.spawn<Rally<Call>>({
    init: () => ({ left: 0, from: undefined }),
    handleCall: (n, from, actor) => {
      actor.state.left = n as number;
      actor.state.from = from;
      system.cast(pong, 0);
      return NOREPLY;
    },
    handleCast: (_ball, actor) => {
      if (--actor.state.left > 0) system.cast(pong, 0);
      else system.reply(actor.state.from!, 0);
    },
  });
  return (ops: number) => system.call<number>(ping, ops);
}

/** Ping-pong round trips. */
export async function pingPongRow(s: Settings, peers: Peer[]): Promise<Row> {
  const [b, m, ...p] = await measureAsync([
    { name: "baseline", run: baselinePingPong() },
    { name: "beamlet", run: await beamletPingPong() },
    ...peerCases(peers, (peer) => peer.pingPong()),
  ], s);
  return {
    id: "ping_pong",
    workload: "ping-pong round trips",
    unit: "ops/s",
    beamlet: statOf(m),
    baseline: statOf(b),
    peers: peerStats(peers, p),
  };
}

async function beamletRing() {
  const system = new System({ logger: null });
  const ring: Pid[] = [];
  let pending: From<number> | undefined;
  for (let i = 0; i < RING_SIZE; i++) {
    const next = (i + 1) % RING_SIZE;
    ring.push(
      await system.start({
        init: () => ok(0),
        handleCall: (hops: number, from: From<number>, state: number, ctx: Context) => {
          pending = from;
          ctx.cast(ring[next], hops - 1);
          return noreply(state);
        },
        handleCast: (hops: number, state: number, ctx: Context) => {
          if (hops > 0) ctx.cast(ring[next], hops - 1);
          else ctx.reply(pending!, state);
          return noreply(state);
        },
      }),
    );
  }
  return (ops: number) => system.call<number>(ring[0], ops, { timeout: Infinity });
}

function baselineRing() {
  const system = new BaselineSystem();
  const ring: Actor<number>[] = [];
  let pending: Call | undefined;
  for (let i = 0; i < RING_SIZE; i++) {
    const next = (i + 1) % RING_SIZE;
    ring.push(system.spawn<number>({
      init: () => 0,
      handleCall: (hops, from) => {
        pending = from;
        system.cast(ring[next], (hops as number) - 1);
        return NOREPLY;
      },
      handleCast: (hops, actor) => {
        if ((hops as number) > 0) system.cast(ring[next], (hops as number) - 1);
        else system.reply(pending!, actor.state);
      },
    }));
  }
  return (ops: number) => system.call<number>(ring[0], ops);
}

/** Hops around a ring of 1000 processes. */
export async function ringRow(s: Settings): Promise<Row> {
  const [b, m] = await measureAsync([
    { name: "baseline", run: baselineRing() },
    { name: "beamlet", run: await beamletRing() },
  ], s);
  return {
    id: "ring",
    workload: `ring of ${RING_SIZE}, hops`,
    unit: "ops/s",
    beamlet: statOf(m),
    baseline: statOf(b),
  };
}
