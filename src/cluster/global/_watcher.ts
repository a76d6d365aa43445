/**
 * The watch that keeps this node's copy of the bucket (internal), and its
 * health check: every second the watch is compared with the bucket's last
 * revision and replaced — the copy re-read — when it stalls, as one can
 * when the NATS server leading the bucket's stream is lost.
 *
 * @module
 */

import type { KV, KvEntry } from "@nats-io/kv";
import { stopQuietly } from "./_quietly.ts";
import { unrefTimer } from "../../_host_timer.ts";

/** How often the watch is checked against the bucket's last revision, ms. */
const WATCH_CHECK_MS = 1000;

/** What a {@linkcode BucketWatcher} tells its registry, and asks it. */
export interface WatcherHooks {
  isClosed(): boolean;
  /** One change of the bucket, in order. */
  onEntry(entry: KvEntry): void;
  report(callback: string, reason: unknown): void;
}

/** Follows a bucket with one watch at a time, replaced when it stalls or ends. */
export class BucketWatcher {
  readonly #kv: KV;
  readonly #hooks: WatcherHooks;
  /** The health check's timer (see {@linkcode BucketWatcher.check}). */
  #checker: ReturnType<typeof setInterval> | undefined;
  #checking = false;
  #checkFailures = 0;
  /** The current watch's stop, and its number (a replaced watch's entries are ignored). */
  #stopCurrent: (() => void) | undefined;
  #generation = 0;
  /** The highest revision a watch delivered. */
  #delivered = 0;
  /** The bucket's last revision at the previous check, when the watch was behind it. */
  #behindAt: number | undefined;
  /** The watch is replaced at the next check (the connection came back, or a start failed). */
  #rewatchNow = false;

  constructor(kv: KV, hooks: WatcherHooks) {
    this.#kv = kv;
    this.#hooks = hooks;
  }

  /**
   * Starts a watch of the whole bucket (the current value of every key,
   * then every change) in place of the current one; resolves once it
   * started, or, with `untilLoaded`, once it delivered the bucket's
   * current keys.
   */
  async watch(untilLoaded: boolean): Promise<void> {
    const kv = this.#kv;
    this.stop();
    const generation = ++this.#generation;
    let loaded!: () => void;
    const snapshot = new Promise<void>((resolve) => loaded = resolve);
    let isLoaded = false;
    const markLoaded = () => {
      if (isLoaded) return;
      isLoaded = true;
      loaded();
    };
    const watch = await kv.watch();
    if (this.#hooks.isClosed() || generation !== this.#generation) {
      stopQuietly(() => watch.stop());
      return;
    }
    this.#stopCurrent = () => watch.stop();
    void (async () => {
      try {
        for await (const entry of watch) {
          if (generation !== this.#generation) break; // replaced
          if (entry.revision > this.#delivered) this.#delivered = entry.revision;
          try {
            this.#hooks.onEntry(entry);
          } catch (error) {
            this.#hooks.report("GlobalRegistry watch", error); // one bad entry, not the watch
          }
          if (entry.delta === 0) markLoaded();
        }
      } catch (error) {
        if (generation === this.#generation) this.#hooks.report("GlobalRegistry watch", error);
      }
      if (generation === this.#generation) this.#rewatchNow = true; // ended by itself
      markLoaded();
    })();
    if (!untilLoaded) return;
    // An empty bucket sends no entry: its copy is loaded already.
    if ((await kv.status()).values === 0) markLoaded();
    await snapshot;
  }

  /** Stops the current watch (its late entries are ignored). */
  stop(): void {
    this.#generation++;
    const stop = this.#stopCurrent;
    this.#stopCurrent = undefined;
    if (stop !== undefined) stopQuietly(stop);
  }

  /** Checks the watch every second from now on. */
  startChecks(): void {
    this.#checker = setInterval(() => void this.check(), WATCH_CHECK_MS);
    unrefTimer(this.#checker);
  }

  /** Replaces the watch now (the NATS connection came back). */
  rewatchSoon(): void {
    this.#rewatchNow = true; // the watch is replaced at the next check
    void this.check();
  }

  /** Stops the checks and the watch. */
  close(): void {
    if (this.#checker !== undefined) clearInterval(this.#checker);
    this.#checker = undefined;
    this.stop();
  }

  /**
   * Checks that the watch keeps up with the bucket (one stream info
   * request): a watch that has not reached, by this check, the bucket's
   * last revision of the previous check is stalled (its consumer can stop
   * delivering when the NATS server leading the stream is lost) and is
   * replaced by a new one, which delivers every key's current value again.
   */
  async check(): Promise<void> {
    const kv = this.#kv;
    if (this.#hooks.isClosed() || this.#checking) return;
    this.#checking = true;
    try {
      if (this.#rewatchNow || this.#stopCurrent === undefined) {
        await this.#rewatch();
        return;
      }
      const state = (await kv.status()).streamInfo.state;
      this.#checkFailures = 0;
      if (this.#hooks.isClosed()) return;
      const last = state.last_seq;
      if (state.messages === 0 && last > this.#delivered) this.#delivered = last; // nothing to deliver
      if (this.#delivered >= last) {
        this.#behindAt = undefined;
      } else if (this.#behindAt !== undefined && this.#delivered < this.#behindAt) {
        await this.#rewatch();
      } else {
        this.#behindAt = last;
      }
    } catch (error) {
      // NATS is down or the stream is electing a leader: tried again at the next check.
      if (this.#checkFailures++ === 0 && !this.#hooks.isClosed()) {
        this.#hooks.report("GlobalRegistry watch check", error);
      }
    } finally {
      this.#checking = false;
    }
  }

  /** Replaces the watch (the copy is re-read from the bucket's current keys). */
  async #rewatch(): Promise<void> {
    this.#rewatchNow = false;
    this.#behindAt = undefined;
    try {
      await this.watch(false);
    } catch (error) {
      this.stop();
      this.#rewatchNow = true; // no watch now: tried again at the next check
      throw error;
    }
  }
}
