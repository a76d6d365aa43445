/**
 * Routing of one node's calls and casts (internal), and of those other
 * regions forward to it: a request runs here when this node serves its
 * shard, is held (in order) while the shard is awaited or handed off, and is
 * otherwise sent to the shard's owner. It is retried only when it surely did
 * not run: NATS found nobody listening, or the region it reached answered
 * "not here". A region forwards a request for a shard it does not own to the
 * owner it sees, at most {@linkcode MAX_HOPS} times.
 *
 * @module
 */

import { CallTimeoutError, NoConnectionError } from "../../errors.ts";
import type { EntityKey } from "./_assignment.ts";
import { type Holdable, HoldQueue } from "./_hold_queue.ts";
import { AWAITING, HANDING_OFF, OWNED, type ShardTable } from "./_shard_table.ts";
import {
  isNoResponders,
  isRequestTimeout,
  MAX_HOPS,
  type WireAnswer,
  type WireRequest,
} from "./_wire.ts";
import { ShardingStoppedError } from "./errors.ts";

/** Extra ms a caller waits for a remote owner's answer past its own deadline. */
const GRACE_MS = 1000;
/** Longest pause before a request that found nobody (or a hand-off) is sent again. */
export const MAX_BACKOFF_MS = 250;

/** A request this node must settle exactly once. */
export interface Pending extends Holdable {
  readonly kind: "call" | "cast";
  readonly key: EntityKey;
  readonly message: unknown;
  readonly timeout: number;
  readonly deadline: number;
  /** Regions it passed through before this one. */
  readonly hops: number;
  /** It came from another region (and may be sent back with "retry"). */
  readonly forwarded: boolean;
  readonly answer: (answer: WireAnswer) => void;
  done: boolean;
  /** A NATS request for it is out: its answer (or timeout) settles it. */
  sent: boolean;
  attempts: number;
  /** The last owner that could not be reached. */
  unreachable: string | undefined;
  deadlineTimer: ReturnType<typeof setTimeout> | undefined;
  retryTimer: ReturnType<typeof setTimeout> | undefined;
}

/** Routes and settles the requests of one node's region. */
export class Router {
  readonly #table: ShardTable;
  readonly #held = new HoldQueue<Pending>();
  readonly #parked = new Set<Pending>();

  constructor(table: ShardTable) {
    this.#table = table;
  }

  /** How many requests are held. */
  get held(): number {
    return this.#held.size;
  }

  /** Routes a call or cast made on this node; settles with its outcome. */
  request(
    kind: "call" | "cast",
    key: EntityKey,
    message: unknown,
    timeout: number,
  ): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const pending = this.pending(kind, key, message, timeout, 0, false, (answer) => {
        if ("retry" in answer) reject(new ShardingStoppedError(this.#table.settings.name));
        else if (answer.ok) resolve(answer.value);
        else reject(answer.error);
      });
      this.route(pending);
    });
  }

  /** A request to route, that expires after `timeout` ms unless a NATS request for it is out. */
  pending(
    kind: "call" | "cast",
    key: EntityKey,
    message: unknown,
    timeout: number,
    hops: number,
    forwarded: boolean,
    answer: (answer: WireAnswer) => void,
  ): Pending {
    const pending: Pending = {
      kind,
      key,
      message,
      timeout,
      deadline: performance.now() + timeout,
      hops,
      forwarded,
      shard: this.#table.assignment.shardOf(key),
      answer,
      done: false,
      sent: false,
      attempts: 0,
      unreachable: undefined,
      deadlineTimer: undefined,
      retryTimer: undefined,
    };
    pending.deadlineTimer = setTimeout(() => {
      pending.deadlineTimer = undefined;
      if (pending.sent || pending.done) return; // the owner's answer or the NATS timeout settles it
      this.#expire(pending);
    }, timeout);
    return pending;
  }

  /** Runs `pending` here, holds it, or sends it to its shard's owner. */
  route(pending: Pending): void {
    if (pending.done) return;
    const table = this.#table;
    if (table.closed) {
      this.#settle(
        pending,
        pending.forwarded
          ? { retry: true }
          : { ok: false, error: new ShardingStoppedError(table.settings.name) },
      );
      return;
    }
    if (performance.now() >= pending.deadline) {
      this.#expire(pending);
      return;
    }
    const shard = pending.shard;
    const state = table.state[shard];
    if (state === AWAITING || state === HANDING_OFF) {
      this.#held.hold(pending);
      table.changed();
      return;
    }
    if (state === OWNED) {
      this.#execute(pending);
      return;
    }
    const owner = table.owners[shard];
    if (owner === undefined || owner === table.me) {
      this.#park(pending);
      return;
    }
    if (pending.forwarded && pending.hops >= MAX_HOPS) {
      this.#settle(pending, { retry: true });
      return;
    }
    this.#send(pending, owner);
  }

  /** Routes again, in order, the requests held for `shard` (it left AWAITING or HANDING_OFF). */
  release(shard: number): void {
    for (const pending of this.#held.release(shard)) this.route(pending);
    this.#table.changed();
  }

  /** Routes again at once every request waiting to be retried (the view changed). */
  routeParked(): void {
    for (const pending of [...this.#parked]) {
      this.#parked.delete(pending);
      if (pending.retryTimer !== undefined) clearTimeout(pending.retryTimer);
      pending.retryTimer = undefined;
      this.route(pending);
    }
  }

  /** Settles every request held or waiting to be retried: the node closes. */
  close(): void {
    const stopped = new ShardingStoppedError(this.#table.settings.name);
    for (const pending of [...this.#held.releaseAll(), ...this.#parked]) {
      this.#settle(pending, pending.forwarded ? { retry: true } : { ok: false, error: stopped });
    }
  }

  #settle(pending: Pending, answer: WireAnswer): void {
    if (pending.done) return;
    pending.done = true;
    if (pending.deadlineTimer !== undefined) clearTimeout(pending.deadlineTimer);
    if (pending.retryTimer !== undefined) clearTimeout(pending.retryTimer);
    this.#held.remove(pending);
    this.#parked.delete(pending);
    try {
      pending.answer(answer);
    } catch {
      // answering a remote caller whose connection is gone
    }
  }

  #expire(pending: Pending): void {
    const unreachable = pending.unreachable ?? this.#table.handoffBlocked.get(pending.shard);
    const error = unreachable !== undefined
      ? new NoConnectionError(unreachable)
      : new CallTimeoutError(
        `sharding ${this.#table.settings.name} key ${String(pending.key)}`,
        pending.message,
        pending.timeout,
      );
    this.#settle(pending, { ok: false, error });
  }

  #execute(pending: Pending): void {
    const { key, shard, message } = pending;
    const system = this.#table.system;
    this.#table.region.run(key, shard, (pid) => {
      if (pending.kind === "call") {
        const left = Math.max(0, pending.deadline - performance.now());
        return system.call(pid, message as never, { timeout: left });
      }
      const delivery = system.cast(pid, message as never);
      if (delivery !== "ok") {
        throw new Error(`cast to sharded entity ${String(key)} was refused: ${delivery}`);
      }
      return undefined;
    }).then(
      (value) => this.#settle(pending, { ok: true, value }),
      (error) => this.#settle(pending, { ok: false, error }),
    );
  }

  #send(pending: Pending, owner: string): void {
    const link = this.#table.link;
    const left = Math.max(1, pending.deadline - performance.now());
    let bytes: Uint8Array;
    try {
      const request: WireRequest = {
        kind: pending.kind,
        key: pending.key,
        message: pending.message,
        timeout: left,
        hops: pending.hops + 1,
      };
      bytes = link.encode(request);
    } catch (error) {
      this.#settle(pending, { ok: false, error });
      return;
    }
    pending.sent = true;
    const subject = this.#table.subjectOf(owner);
    link.connection.request(subject, bytes, { timeout: left + GRACE_MS }).then(
      (msg) => {
        pending.sent = false;
        let answer: WireAnswer;
        try {
          answer = link.decode(msg.data) as WireAnswer;
        } catch (error) {
          this.#settle(pending, { ok: false, error });
          return;
        }
        if ("retry" in answer) this.#park(pending);
        else this.#settle(pending, answer);
      },
      (error) => {
        pending.sent = false;
        if (isNoResponders(error)) {
          pending.unreachable = owner;
          this.#park(pending);
        } else if (isRequestTimeout(error)) {
          this.#settle(pending, {
            ok: false,
            error: new CallTimeoutError(
              `sharding ${this.#table.settings.name} key ${String(pending.key)} on ${owner}`,
              pending.message,
              pending.timeout,
            ),
          });
        } else {
          this.#settle(pending, {
            ok: false,
            error: new NoConnectionError(owner, { cause: error }),
          });
        }
      },
    );
  }

  /** Waits for the next membership change (or a short backoff), then routes again. */
  #park(pending: Pending): void {
    if (pending.done) return;
    if (performance.now() >= pending.deadline) {
      this.#expire(pending);
      return;
    }
    this.#parked.add(pending);
    const backoff = Math.min(MAX_BACKOFF_MS, 10 * 2 ** pending.attempts++);
    pending.retryTimer = setTimeout(() => {
      pending.retryTimer = undefined;
      this.#parked.delete(pending);
      this.route(pending);
    }, backoff);
  }
}
