/**
 * Effect 4 on the comparison's workloads: each process is a fiber that
 * takes messages from its own unbounded `Queue` forever; a cast is
 * `Queue.offerUnsafe`; a call from outside is `Effect.runPromise` of an
 * offer carrying a `Deferred` and an await of it.
 *
 * @module
 */

import type { Peer, Run } from "./peers.ts";

/** An Effect value (opaque here). */
type Eff = { readonly _effect: unique symbol };
type Queue = { readonly _queue: unique symbol };
type Deferred = { readonly _deferred: unique symbol };

/** The part of Effect's API used here. */
export interface EffectModule {
  Effect: {
    runSync<A>(effect: Eff): A;
    runFork(effect: Eff): unknown;
    runPromise<A>(effect: Eff): Promise<A>;
    forever(effect: Eff): Eff;
    map(effect: Eff, f: (value: never) => unknown): Eff;
    suspend(f: () => Eff): Eff;
    succeed(value: unknown): Eff;
  };
  Queue: {
    unbounded(): Eff;
    offerUnsafe(queue: Queue, message: unknown): boolean;
    take(queue: Queue): Eff;
  };
  Deferred: {
    makeUnsafe(): Deferred;
    await(deferred: Deferred): Eff;
    doneUnsafe(deferred: Deferred, effect: Eff): boolean;
  };
}

/** Effect as a {@linkcode Peer}. */
export function effectPeer(e: EffectModule, name: string): Peer {
  const { Effect, Queue, Deferred } = e;
  /** A fiber handling each message of a new queue with `handle`. */
  const actor = <M>(handle: (message: M) => void): Queue => {
    const queue = Effect.runSync<Queue>(Queue.unbounded());
    Effect.runFork(Effect.forever(Effect.map(Queue.take(queue), handle as (m: never) => void)));
    return queue;
  };
  interface Job {
    left: number;
    resolve: (sum: number) => void;
  }
  return {
    name,
    cast(): Run {
      let sum = 0;
      const server = actor<number | Job>((message) => {
        if (typeof message === "number") sum += message;
        else message.resolve(sum);
      });
      const client: Queue = actor<Job>((job) => {
        const n = Math.min(1000, job.left);
        for (let i = 0; i < n; i++) Queue.offerUnsafe(server, i & 7);
        if (job.left > n) Queue.offerUnsafe(client, { left: job.left - n, resolve: job.resolve });
        else Queue.offerUnsafe(server, { left: 0, resolve: job.resolve });
      });
      return (ops) => new Promise((resolve) => Queue.offerUnsafe(client, { left: ops, resolve }));
    },
    callOutside(): Run {
      const server = actor<{ n: number; reply: Deferred }>((call) => {
        Deferred.doneUnsafe(call.reply, Effect.succeed(call.n + 1));
      });
      const call = (n: number) =>
        Effect.runPromise<number>(Effect.suspend(() => {
          const reply = Deferred.makeUnsafe();
          Queue.offerUnsafe(server, { n, reply });
          return Deferred.await(reply);
        }));
      return async (ops) => {
        let sum = 0;
        for (let i = 0; i < ops; i++) sum += await call(i);
        return sum;
      };
    },
    pingPong(): Run {
      const rally = { left: 0, resolve: (_: number) => {} };
      const peer: { ping?: Queue } = {};
      const pong = actor<0>(() => Queue.offerUnsafe(peer.ping!, 0));
      const ping = actor<0>(() => {
        if (--rally.left > 0) Queue.offerUnsafe(pong, 0);
        else rally.resolve(0);
      });
      peer.ping = ping;
      return (ops) =>
        new Promise((resolve) => {
          rally.left = ops;
          rally.resolve = resolve;
          Queue.offerUnsafe(pong, 0);
        });
    },
  };
}
