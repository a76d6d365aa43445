/**
 * XState 5 on the comparison's workloads: each process is an actor of
 * `fromTransition` logic; a cast is `actor.send(event)`; a call is an event
 * carrying the caller's `resolve`, which the handler calls with the reply
 * (XState actors have no request/reply). An XState mailbox handles an event
 * at once when its actor is idle, so most sends are plain function calls.
 *
 * @module
 */

import type { Peer, Run } from "./peers.ts";

interface Event {
  type: string;
  n?: number;
  left?: number;
  resolve?: (value: number) => void;
}

interface XActor {
  start(): XActor;
  send(event: Event): void;
}

interface Scope {
  self: XActor;
}

/** The part of XState's API used here. */
export interface XStateModule {
  createActor(logic: unknown): XActor;
  fromTransition<S>(transition: (state: S, event: Event, scope: Scope) => S, initial: S): unknown;
}

/** XState as a {@linkcode Peer}. */
export function xstatePeer(x: XStateModule, name: string): Peer {
  return {
    name,
    cast(): Run {
      const server = x.createActor(x.fromTransition<number>((sum, event) => {
        if (event.type === "n") return sum + event.n!;
        event.resolve!(sum);
        return sum;
      }, 0)).start();
      const client = x.createActor(x.fromTransition<number>((state, event, scope) => {
        const left = event.left!;
        const n = Math.min(1000, left);
        for (let i = 0; i < n; i++) server.send({ type: "n", n: i & 7 });
        if (left > n) scope.self.send({ type: "job", left: left - n, resolve: event.resolve });
        else server.send({ type: "done", resolve: event.resolve });
        return state;
      }, 0)).start();
      return (ops) => new Promise((resolve) => client.send({ type: "job", left: ops, resolve }));
    },
    callOutside(): Run {
      const server = x.createActor(x.fromTransition<number>((state, event) => {
        event.resolve!(event.n! + 1);
        return state;
      }, 0)).start();
      return async (ops) => {
        let sum = 0;
        for (let i = 0; i < ops; i++) {
          sum += await new Promise<number>((resolve) =>
            server.send({ type: "call", n: i, resolve })
          );
        }
        return sum;
      };
    },
    pingPong(): Run {
      const rally = { left: 0, resolve: (_: number) => {} };
      const peer: { ping?: XActor } = {};
      const pong = x.createActor(x.fromTransition<number>((state) => {
        peer.ping!.send({ type: "ball" });
        return state;
      }, 0)).start();
      const ping = x.createActor(x.fromTransition<number>((state) => {
        if (--rally.left > 0) pong.send({ type: "ball" });
        else rally.resolve(0);
        return state;
      }, 0)).start();
      peer.ping = ping;
      return (ops) =>
        new Promise((resolve) => {
          rally.left = ops;
          rally.resolve = resolve;
          pong.send({ type: "ball" });
        });
    },
  };
}
