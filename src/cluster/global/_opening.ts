/**
 * Opening a global registry (internal): the bucket is created or opened
 * and the copy loaded by the watch; then the sweeps, the watch's checks and
 * the re-checks at each reconnect run until it is closed.
 *
 * @module
 */

import { Kvm } from "@nats-io/kv";
import type { KV } from "@nats-io/kv";
import { GlobalRegistryError } from "./errors.ts";
import { applyEntry } from "./_apply_entry.ts";
import { type RegistryContext, report } from "./_context.ts";
import { sweep } from "./_purges.ts";
import { stopQuietly } from "./_quietly.ts";
import { unrefTimer } from "../../_host_timer.ts";
import { followReconnects } from "./_reconnects.ts";
import { BucketWatcher } from "./_watcher.ts";

/** A registry's background work: its watch, sweeps and re-checks. */
export class RegistryOpening {
  readonly #ctx: RegistryContext;
  #watcher: BucketWatcher | undefined;
  #sweeper: ReturnType<typeof setInterval> | undefined;
  #stopReconnects: (() => void) | undefined;

  constructor(ctx: RegistryContext) {
    this.#ctx = ctx;
  }

  /** Opens `bucket` and loads the copy; `recheck` runs at each reconnect. */
  async open(bucket: string, replicas: number, recheck: () => Promise<void>): Promise<void> {
    const ctx = this.#ctx;
    let kv: KV;
    try {
      kv = await new Kvm(ctx.link.connection).create(bucket, { replicas, history: 1 });
    } catch (error) {
      throw new GlobalRegistryError("open", `bucket ${bucket}`, error);
    }
    if (ctx.closed) return;
    ctx.kv = kv;
    const watcher = this.#watcher = new BucketWatcher(kv, {
      isClosed: () => ctx.closed,
      onEntry: (entry) => applyEntry(ctx, entry),
      report: (callback, reason) => report(ctx, callback, reason),
    });
    try {
      await watcher.watch(true);
    } catch (error) {
      throw new GlobalRegistryError("open", `bucket ${bucket}`, error);
    }
    if (ctx.closed) return;
    ctx.readyAt = Date.now();
    this.#sweeper = setInterval(() => sweep(ctx), Math.max(50, ctx.staleAfterMs / 2));
    unrefTimer(this.#sweeper);
    watcher.startChecks();
    this.#stopReconnects = followReconnects(ctx.link.connection, () => ctx.closed, () => {
      watcher.rewatchSoon();
      recheck().catch((error) => report(ctx, "GlobalRegistry recheck", error));
    });
  }

  /** Stops the sweeps, the watch and its checks, and following the connection. */
  close(): void {
    if (this.#sweeper !== undefined) clearInterval(this.#sweeper);
    this.#sweeper = undefined;
    this.#watcher?.close();
    if (this.#stopReconnects !== undefined) stopQuietly(this.#stopReconnects);
    this.#stopReconnects = undefined;
  }
}
