/**
 * Reader processes for bench/tables_bench.ts (private: not a benchmark).
 *
 * A subject is one way to read a value: a property of a plain object, a
 * persistent term, a Table row, a call to a GenServer. Each subject gets its
 * own pool of reader processes; a batch is one call to a reader asking it to
 * do `k` reads in its handler. `run(ops)` splits the reads evenly over every
 * reader of the pool (so with 100 readers, 100 processes read), in batches
 * of at most {@linkcode BATCH}, all sent at once.
 *
 * @module
 */

import { type Context, type GenServer, ok, type Pid, reply, type System } from "../mod.ts";
import type { AsyncBenchCase } from "./_harness.ts";

/** Most reads per batch (one call to a reader). */
export const BATCH = 10_000;

/** The keys read, in turn, so that no read is loop-invariant. */
export const KEYS: readonly string[] = ["k0", "k1", "k2", "k3", "k4", "k5", "k6", "k7"];
/** The value under each key: its index. */
export const VALUES: Readonly<Record<string, number>> = Object.fromEntries(
  KEYS.map((key, i) => [key, i]),
);

/**
 * A synchronous read loop: `k` reads starting at key `start`, summed (the
 * same loop shape for every subject; only the read differs).
 */
export type ReadLoop = (k: number, start: number) => number;
/** The same, for reads that await (a GenServer call from the reader). */
export type AsyncReadLoop = (k: number, start: number, ctx: Context) => Promise<number>;

/** A pool of reader processes for one subject. */
export interface ReaderPool extends AsyncBenchCase {
  /** How many batches each reader handled so far. */
  batches(): Promise<number[]>;
}

type ReaderRequest = number | "batches";

/** Starts `readers` processes that each run `loop` per batch, and the case that drives them. */
export async function readerPool(
  system: System,
  name: string,
  readers: number,
  loop: ReadLoop | AsyncReadLoop,
  isAsync: boolean,
): Promise<ReaderPool> {
  const server: GenServer<number, undefined, ReaderRequest, number> = {
    init: () => ok(0),
    handleCall: isAsync
      ? async (request, _from, handled, ctx) => {
        if (request === "batches") return reply(handled, handled);
        const sum = await (loop as AsyncReadLoop)(request, handled, ctx);
        return reply(sum, handled + 1);
      }
      : (request, _from, handled) => {
        if (request === "batches") return reply(handled, handled);
        return reply((loop as ReadLoop)(request, handled), handled + 1);
      },
  };
  const pids: Pid[] = [];
  for (let i = 0; i < readers; i++) pids.push(await system.start(server));
  return {
    name,
    async run(ops) {
      const pending: Promise<number>[] = [];
      const share = Math.floor(ops / readers);
      let extra = ops - share * readers;
      for (const pid of pids) {
        let left = share + (extra-- > 0 ? 1 : 0);
        while (left > 0) {
          const k = Math.min(left, BATCH);
          pending.push(system.call<number>(pid, k, { timeout: Infinity }));
          left -= k;
        }
      }
      let sum = 0;
      for (const part of await Promise.all(pending)) sum += part;
      return sum;
    },
    batches: () => Promise.all(pids.map((pid) => system.call<number>(pid, "batches"))),
  };
}
