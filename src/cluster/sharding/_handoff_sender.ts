/**
 * Hands a shard this node no longer owns to its new owner (internal): waits
 * until no request runs on the shard, collects its entities' hand-off
 * values, and sends them in chunks under the server's max_payload, again
 * (with a backoff) while nobody answers there, until the owner acks the
 * last chunk, the shard comes back here, or a stopping node gives up.
 *
 * @module
 */

import { SHARDING_HANDOFF } from "../../telemetry/catalog/sharding_events.ts";
import type { Collected } from "./_region.ts";
import { MAX_BACKOFF_MS, type Router } from "./_router.ts";
import { HANDING_OFF, OWNED, REMOTE, type ShardTable } from "./_shard_table.ts";
import { isNoResponders, isRequestTimeout, type WireAnswer, type WireHandoff } from "./_wire.ts";
import { ShardingStoppedError } from "./errors.ts";

/** Moves shards away from one node. */
export class HandoffSender {
  readonly #table: ShardTable;
  readonly #router: Router;

  constructor(table: ShardTable, router: Router) {
    this.#table = table;
    this.#router = router;
  }

  /** Starts handing `shard` off (it goes HANDING_OFF: its requests are held meanwhile). */
  start(shard: number): void {
    const table = this.#table;
    table.state[shard] = HANDING_OFF;
    table.handoffsInFlight++;
    table.changed();
    this.#handoff(shard).catch((error) => table.region.lost(`(shard ${shard})`, error));
  }

  async #handoff(shard: number): Promise<void> {
    const table = this.#table;
    const { link, region, settings } = table;
    const started = performance.now();
    try {
      await region.drain(shard);
      const collected = await region.collect(shard, settings.handoffTimeoutMs);
      const max = link.connection.info?.max_payload ?? 1_048_576;
      const chunkBytes = Math.max(1024, Math.floor(max / 2));
      const remaining: { entry: Collected; bytes: Uint8Array }[] = [];
      for (const entry of collected) {
        try {
          const bytes = link.encode(entry);
          if (bytes.length > max - 4096) {
            throw new RangeError(
              `its hand-off value takes ${bytes.length} bytes, over the NATS max_payload ${max}`,
            );
          }
          remaining.push({ entry, bytes });
        } catch (error) {
          region.lost(entry.key, error);
        }
      }
      let moved = 0;
      let attempts = 0;
      for (;;) {
        if (table.closed || (table.stopping && performance.now() > table.stopDeadline)) {
          // Leaving, and nobody took them in time: their states are lost.
          for (const { entry } of remaining) {
            region.lost(entry.key, new ShardingStoppedError(settings.name));
          }
          table.state[shard] = REMOTE;
          return;
        }
        const to = table.owners[shard];
        if (to === table.me) {
          // The shard came back before anyone took the rest: restart those entities here.
          await Promise.all(
            remaining.map(({ entry }) => region.restore(entry.key, shard, entry.handoff)),
          );
          table.state[shard] = OWNED;
          return;
        }
        if (to === undefined) {
          // No node left to take it (the last node stops): its entities just stop.
          table.state[shard] = REMOTE;
          return;
        }
        // The entities go in chunks under the server's max_payload; the last says so.
        let size = 0;
        let count = 0;
        while (
          count < remaining.length &&
          (count === 0 || size + remaining[count].bytes.length <= chunkBytes)
        ) {
          size += remaining[count++].bytes.length;
        }
        const last = count === remaining.length;
        const message: WireHandoff = {
          kind: "handoff",
          shard,
          from: table.me,
          entities: remaining.slice(0, count).map(({ bytes }) => bytes),
          last,
        };
        try {
          const reply = await link.connection.request(
            table.subjectOf(to),
            link.encode(message),
            { timeout: settings.handoffTimeoutMs },
          );
          const answer = link.decode(reply.data) as WireAnswer;
          if ("ok" in answer && !answer.ok) throw answer.error;
          if ("ok" in answer) {
            remaining.splice(0, count);
            moved += count;
            attempts = 0;
            if (!last) continue;
            if (table.owners[shard] !== table.me) table.state[shard] = REMOTE;
            table.received.delete(shard);
            table.handoffs++;
            this.#emit(shard, to, moved, started);
            return;
          }
        } catch (error) {
          if (isNoResponders(error)) {
            table.handoffBlocked.set(shard, to);
          } else if (!isRequestTimeout(error)) {
            // Refused, or cannot be sent: these entities are lost; the rest go on.
            region.lost(`(hand-off of shard ${shard} to ${to})`, error);
            for (const { entry } of remaining.splice(0, count)) region.lost(entry.key, error);
            if (count === 0) {
              table.state[shard] = REMOTE; // its new owner starts the shard after handoffTimeoutMs
              return;
            }
            continue;
          }
        }
        await table.viewChange(Math.min(MAX_BACKOFF_MS, 10 * 2 ** attempts++));
      }
    } finally {
      table.handoffBlocked.delete(shard);
      table.handoffsInFlight--;
      if (table.state[shard] === HANDING_OFF) {
        table.state[shard] = table.owners[shard] === table.me ? OWNED : REMOTE;
      }
      this.#router.release(shard);
      if (
        !table.closed && table.owners[shard] !== table.me && region.hasShard(shard) &&
        table.state[shard] === REMOTE
      ) this.start(shard);
    }
  }

  #emit(shard: number, to: string, entities: number, started: number): void {
    const table = this.#table;
    try {
      table.system.telemetry.execute(
        SHARDING_HANDOFF,
        { duration: performance.now() - started, entities },
        { name: table.settings.name, shard, from: table.me, to },
      );
    } catch {
      // telemetry reports its own handler failures
    }
  }
}
