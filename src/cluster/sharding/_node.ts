/**
 * One node's region of a sharding (internal): routes requests to the
 * owner of their key's shard, serves the shards this node owns, and moves
 * shards when the membership changes.
 *
 * Each shard is, on this node, in one of four states:
 *
 * ```
 *            nodeup elsewhere: shard moves away
 *   OWNED ─────────────────────────────────────▶ HANDING_OFF ──ack──▶ REMOTE
 *     ▲  ▲                                          │   ▲                │
 *     │  └── hand-off came, or timeout ── AWAITING ◀┼───┼── moves here ──┤
 *     │                                             │   │  (from a node  │
 *     └──── moves back here before the ack ─────────┘   │   still up)    │
 *     └──────────────── moves here from a node that is down ─────────────┘
 * ```
 *
 * Requests for a shard in AWAITING or HANDING_OFF are held, in order, and
 * routed again when it leaves that state (to the new owner, or here). A
 * request is retried only when it surely did not run: NATS found nobody
 * listening, or the region it reached answered "not here". A region
 * forwards a request for a shard it does not own to the owner it sees, at
 * most {@linkcode MAX_HOPS} times.
 *
 * @module
 */

import type { Msg, Subscription } from "@nats-io/nats-core";
import { CallTimeoutError, NoConnectionError } from "../../errors.ts";
import { UnencodableError } from "../../schedulers/errors.ts";
import type { System } from "../../system.ts";
import { SHARDING_HANDOFF } from "../../telemetry/catalog/sharding_events.ts";
import type { ClusterLink, NodeEvent } from "../cluster_link.ts";
import { type EntityKey, ShardAssignment } from "./_assignment.ts";
import { entityServer } from "./_entity.ts";
import { type Holdable, HoldQueue } from "./_hold_queue.ts";
import type { ShardingSettings } from "./_options.ts";
import { type Collected, Region } from "./_region.ts";
import {
  isNoResponders,
  isRequestTimeout,
  MAX_HOPS,
  type WireAnswer,
  type WireControl,
  type WireHandoff,
  type WireProbe,
  type WireRequest,
} from "./_wire.ts";
import { ShardingStoppedError } from "./errors.ts";
import type { LocalEntity, ShardingStats } from "./options.ts";

const OWNED = 0;
const AWAITING = 1;
const HANDING_OFF = 2;
const REMOTE = 3;

/** Extra ms a caller waits for a remote owner's answer past its own deadline. */
const GRACE_MS = 1000;
/** Longest pause before a request that found nobody is sent again. */
const MAX_BACKOFF_MS = 250;

/** A request this node must settle exactly once. */
interface Pending extends Holdable {
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

/** The machinery behind `Sharding`. */
export class ShardingNode {
  readonly #system: System;
  readonly #link: ClusterLink;
  readonly #settings: ShardingSettings;
  readonly #assignment: ShardAssignment;
  readonly #region: Region;
  readonly #me: string;
  readonly #subject: string;
  readonly #state: Uint8Array;
  #owners: (string | undefined)[];
  readonly #awaiting = new Map<number, ReturnType<typeof setTimeout>>();
  readonly #awaitingFrom = new Map<number, string>();
  /** Shards whose hand-off came before this node saw itself their owner. */
  readonly #received = new Set<number>();
  /** Shards whose hand-off found nobody at their new owner (yet). */
  readonly #handoffBlocked = new Map<number, string>();
  /** Timers that give entities handed here too early to their owner, if no view change did. */
  readonly #strayTimers = new Set<ReturnType<typeof setTimeout>>();
  readonly #held = new HoldQueue<Pending>();
  readonly #parked = new Set<Pending>();
  #viewWaiters: (() => void)[] = [];
  #handoffsInFlight = 0;
  #handoffs = 0;
  #stopping = false;
  /** When a stopping node gives up handing off what nobody takes. */
  #stopDeadline = Infinity;
  #closed = false;
  #stopped: Promise<void> | undefined;
  #subscription: Subscription | undefined;
  /** Where regions say they run or leave: `beamlet.<cluster>.shard-control.<name>`. */
  #control: Subscription | undefined;
  readonly #controlSubject: string;
  /** Nodes up whose region of this sharding left (`stop()`): out of the ring until they rejoin. */
  readonly #departed = new Set<string>();
  #unsubscribeEvents: (() => void) | undefined;
  #passivation: ReturnType<typeof setInterval> | undefined;
  #metaQueued = false;
  #lastMeta = "";
  readonly #onClosed: () => void;

  constructor(
    system: System,
    link: ClusterLink,
    settings: ShardingSettings,
    onClosed: () => void,
  ) {
    this.#system = system;
    this.#link = link;
    this.#settings = settings;
    this.#onClosed = onClosed;
    this.#me = link.node;
    this.#subject = link.subject("shard", settings.name, link.node);
    this.#controlSubject = link.subject("shard-control", settings.name);
    this.#assignment = new ShardAssignment(settings.shards);
    this.#region = new Region(
      system,
      entityServer(settings.entity, settings.begin),
      `sharding ${settings.name}`,
      () => this.#changed(),
    );
    this.#state = new Uint8Array(settings.shards);
    // Before this node: what the others own without it (so its shards await their hand-off).
    const others = link.members().filter((node) => node !== this.#me);
    this.#owners = others.length === 0
      ? new Array(settings.shards).fill(this.#me)
      : this.#assignment.owners(others);
    for (let shard = 0; shard < settings.shards; shard++) {
      this.#state[shard] = this.#owners[shard] === this.#me ? OWNED : REMOTE;
    }
  }

  /** Subscribes to its subject and to node events, and takes its shards. */
  async start(): Promise<void> {
    this.#subscription = this.#link.connection.subscribe(this.#subject, {
      callback: (error, msg) => {
        if (error === null) this.#receive(msg);
      },
    });
    this.#control = this.#link.connection.subscribe(this.#controlSubject, {
      callback: (error, msg) => {
        if (error === null) this.#receiveControl(msg);
      },
    });
    this.#unsubscribeEvents = this.#link.onNodeEvent((event) => this.#onNodeEvent(event));
    this.#link.onClose(() => this.#close());
    this.#reassign(this.#members());
    this.#announce("joined");
    const idle = this.#settings.passivateAfterMs;
    if (idle !== Infinity) {
      this.#passivation = setInterval(
        () => this.#region.passivateIdle(idle, (shard) => this.#state[shard] === OWNED),
        Math.min(1000, Math.max(5, idle / 2)),
      );
    }
    await this.#link.connection.flush();
  }

  get name(): string {
    return this.#settings.name;
  }

  get closed(): boolean {
    return this.#closed || this.#stopping;
  }

  shardOf(key: EntityKey): number {
    return this.#assignment.shardOf(key);
  }

  ownerOf(key: EntityKey): string | undefined {
    return this.#owners[this.#assignment.shardOf(key)];
  }

  localShards(): number[] {
    const shards: number[] = [];
    if (this.#closed) return shards;
    for (let shard = 0; shard < this.#settings.shards; shard++) {
      if (this.#owners[shard] === this.#me) shards.push(shard);
    }
    return shards;
  }

  localEntities(): LocalEntity[] {
    return this.#region.entities();
  }

  stats(): ShardingStats {
    return {
      shards: this.localShards().length,
      entities: this.#region.size,
      handoffsInFlight: this.#handoffsInFlight,
      handoffs: this.#handoffs,
      startedOnDemand: this.#region.startedOnDemand,
      passivated: this.#region.passivated,
      held: this.#held.size,
    };
  }

  /** Throws `UnencodableError` when `message` cannot cross nodes. */
  encodable(message: unknown): void {
    try {
      this.#link.encode(message);
    } catch (error) {
      if (error instanceof UnencodableError) throw error;
      // A hostile value (a Proxy whose traps throw) the codec did not name.
      throw new UnencodableError(
        "message",
        `a value that cannot be read (${describeError(error)})`,
        {
          cause: error,
        },
      );
    }
  }

  /** Routes a call or cast made on this node; settles with its outcome. */
  request(
    kind: "call" | "cast",
    key: EntityKey,
    message: unknown,
    timeout: number,
  ): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const pending = this.#pending(kind, key, message, timeout, 0, false, (answer) => {
        if ("retry" in answer) reject(new ShardingStoppedError(this.#settings.name));
        else if (answer.ok) resolve(answer.value);
        else reject(answer.error);
      });
      this.#route(pending);
    });
  }

  /** Leaves at once, handing nothing over (a start that failed). */
  abort(): void {
    this.#close();
  }

  /** Hands every shard of this node to the others, then leaves. */
  stop(): Promise<void> {
    if (this.#stopped !== undefined) return this.#stopped;
    this.#stopped = (async () => {
      if (this.#closed) return;
      this.#stopping = true;
      this.#stopDeadline = performance.now() + this.#settings.handoffTimeoutMs;
      // The others leave this node out of their ring now, as it does: they await its hand-offs.
      this.#announce("left");
      this.#reassign(this.#members());
      while (this.#handoffsInFlight > 0 && !this.#closed) await this.#viewChange(50);
      this.#close();
    })();
    return this.#stopped;
  }

  // --- routing -------------------------------------------------------------

  #pending(
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
      shard: this.#assignment.shardOf(key),
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
    const unreachable = pending.unreachable ?? this.#handoffBlocked.get(pending.shard);
    const error = unreachable !== undefined
      ? new NoConnectionError(unreachable)
      : new CallTimeoutError(
        `sharding ${this.#settings.name} key ${String(pending.key)}`,
        pending.message,
        pending.timeout,
      );
    this.#settle(pending, { ok: false, error });
  }

  #route(pending: Pending): void {
    if (pending.done) return;
    if (this.#closed) {
      this.#settle(
        pending,
        pending.forwarded
          ? { retry: true }
          : { ok: false, error: new ShardingStoppedError(this.#settings.name) },
      );
      return;
    }
    if (performance.now() >= pending.deadline) {
      this.#expire(pending);
      return;
    }
    const shard = pending.shard;
    const state = this.#state[shard];
    if (state === AWAITING || state === HANDING_OFF) {
      this.#held.hold(pending);
      this.#changed();
      return;
    }
    if (state === OWNED) {
      this.#execute(pending);
      return;
    }
    const owner = this.#owners[shard];
    if (owner === undefined || owner === this.#me) {
      this.#park(pending);
      return;
    }
    if (pending.forwarded && pending.hops >= MAX_HOPS) {
      this.#settle(pending, { retry: true });
      return;
    }
    this.#send(pending, owner);
  }

  #execute(pending: Pending): void {
    const { key, shard, message } = pending;
    this.#region.run(key, shard, (pid) => {
      if (pending.kind === "call") {
        const left = Math.max(0, pending.deadline - performance.now());
        return this.#system.call(pid, message as never, { timeout: left });
      }
      const delivery = this.#system.cast(pid, message as never);
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
      bytes = this.#link.encode(request);
    } catch (error) {
      this.#settle(pending, { ok: false, error });
      return;
    }
    pending.sent = true;
    const subject = this.#link.subject("shard", this.#settings.name, owner);
    this.#link.connection.request(subject, bytes, { timeout: left + GRACE_MS }).then(
      (msg) => {
        pending.sent = false;
        let answer: WireAnswer;
        try {
          answer = this.#link.decode(msg.data) as WireAnswer;
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
              `sharding ${this.#settings.name} key ${String(pending.key)} on ${owner}`,
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
      this.#route(pending);
    }, backoff);
  }

  // --- what other regions send ---------------------------------------------

  #receive(msg: Msg): void {
    let request: WireRequest | WireHandoff | WireProbe;
    try {
      request = this.#link.decode(msg.data) as WireRequest | WireHandoff | WireProbe;
      if (typeof request !== "object" || request === null) throw new TypeError("not a request");
    } catch (error) {
      this.#respond(msg, { ok: false, error });
      return;
    }
    if (request.kind === "handoff") {
      this.#receiveHandoff(msg, request).catch((error) => this.#region.lost("(hand-off)", error));
      return;
    }
    if (request.kind === "probe") {
      this.#receiveProbe(msg, request);
      return;
    }
    if (request.kind !== "call" && request.kind !== "cast") {
      this.#respond(msg, { ok: false, error: new TypeError("unknown sharding request") });
      return;
    }
    if (this.#closed) {
      this.#respond(msg, { retry: true });
      return;
    }
    const timeout = typeof request.timeout === "number" && request.timeout > 0
      ? Math.min(request.timeout, 2_147_483_647)
      : 1;
    const pending = this.#pending(
      request.kind,
      request.key,
      request.message,
      timeout,
      typeof request.hops === "number" ? request.hops : MAX_HOPS,
      true,
      (answer) => this.#respond(msg, answer),
    );
    this.#route(pending);
  }

  #respond(msg: Msg, answer: WireAnswer): void {
    let bytes: Uint8Array;
    try {
      bytes = this.#link.encode(answer);
    } catch (error) {
      try {
        bytes = this.#link.encode({ ok: false, error });
      } catch {
        bytes = this.#link.encode({ ok: false, error: new Error(String(error)) });
      }
    }
    try {
      msg.respond(bytes);
    } catch {
      // the connection is closing: the caller times out
    }
  }

  #receiveProbe(msg: Msg, probe: WireProbe): void {
    const shards = Array.isArray(probe.shards) ? probe.shards : [];
    const none = this.#closed
      ? shards
      : shards.filter((shard) =>
        typeof shard === "number" && this.#state[shard] === REMOTE && !this.#region.hasShard(shard)
      );
    this.#respond(msg, { ok: true, value: none });
  }

  /**
   * Asks `from` which of `shards` it does not hold: those need no hand-off
   * (it never had them, or its sharding does not run there) and serve now.
   */
  #probe(from: string, shards: number[]): void {
    const probe: WireProbe = { kind: "probe", shards };
    const stillAwaited = (shard: number) =>
      this.#state[shard] === AWAITING && this.#awaitingFrom.get(shard) === from;
    this.#link.connection.request(
      this.#link.subject("shard", this.#settings.name, from),
      this.#link.encode(probe),
      { timeout: this.#settings.handoffTimeoutMs },
    ).then((reply) => {
      const answer = this.#link.decode(reply.data) as WireAnswer;
      if (!("ok" in answer) || !answer.ok || !Array.isArray(answer.value)) return;
      for (const shard of answer.value as number[]) {
        if (stillAwaited(shard)) this.#endAwaiting(shard);
      }
    }, (error) => {
      if (!isNoResponders(error)) return; // the hand-off or the timeout ends the wait
      for (const shard of shards) if (stillAwaited(shard)) this.#endAwaiting(shard);
    }).catch((error) => this.#region.lost(`(probe of ${from})`, error));
  }

  async #receiveHandoff(msg: Msg, handoff: WireHandoff): Promise<void> {
    const { shard } = handoff;
    if (
      typeof shard !== "number" || !Number.isInteger(shard) || shard < 0 ||
      shard >= this.#settings.shards || !Array.isArray(handoff.entities)
    ) {
      this.#respond(msg, { ok: false, error: new RangeError("bad hand-off") });
      return;
    }
    if (this.#closed) {
      this.#respond(msg, { retry: true });
      return;
    }
    await Promise.all(handoff.entities.map((bytes) => {
      try {
        const { key, handoff: value } = this.#link.decode(bytes) as Collected;
        return this.#region.restore(key, shard, value);
      } catch (error) {
        this.#region.lost("?", error);
        return undefined;
      }
    }));
    this.#respond(msg, { ok: true });
    if (handoff.last === false) {
      this.#changed();
      return; // more of this shard comes
    }
    const state = this.#state[shard];
    if (state === AWAITING) {
      this.#endAwaiting(shard);
    } else if (state === REMOTE) {
      // This node's view has not caught up (or the sender's is stale): keep the
      // entities; a view change makes the shard ours, or gives them to its owner.
      this.#received.add(shard);
      const timer = setTimeout(() => {
        this.#strayTimers.delete(timer);
        if (
          !this.closed && this.#state[shard] === REMOTE && this.#region.hasShard(shard) &&
          this.#owners[shard] !== this.#me
        ) this.#startHandoff(shard);
      }, this.#settings.handoffTimeoutMs);
      this.#strayTimers.add(timer);
    }
    this.#changed();
  }

  // --- membership ----------------------------------------------------------

  /** The nodes the shards are spread over: those up, but for regions that left. */
  #members(): string[] {
    return this.#link.members().filter((node) =>
      node === this.#me ? !this.#stopping : !this.#departed.has(node)
    );
  }

  /** Tells the other regions this one runs (again), or leaves. */
  #announce(kind: "joined" | "left"): void {
    const control: WireControl = { kind, node: this.#me };
    try {
      this.#link.connection.publish(this.#controlSubject, this.#link.encode(control));
    } catch {
      // a closing connection: the others learn it from the membership
    }
  }

  #receiveControl(msg: Msg): void {
    if (this.#closed) return;
    let control: WireControl;
    try {
      control = this.#link.decode(msg.data) as WireControl;
    } catch {
      return;
    }
    if (typeof control !== "object" || control === null || typeof control.node !== "string") return;
    if (control.node === this.#me) return;
    const changed = control.kind === "left"
      ? !this.#departed.has(control.node) && (this.#departed.add(control.node), true)
      : control.kind === "joined" && this.#departed.delete(control.node);
    if (changed) this.#onNodeEvent(undefined);
  }

  #onNodeEvent(event: NodeEvent | undefined): void {
    if (this.#closed) return;
    // A node that went down comes back in the ring when it is up again.
    if (event?.type === "nodedown") this.#departed.delete(event.node);
    try {
      this.#reassign(this.#members());
    } catch (error) {
      this.#region.lost("(reassign)", error);
    }
  }

  /** Recomputes the owners over `members` and moves the shards that changed hands. */
  #reassign(members: string[]): void {
    const previous = this.#owners;
    const next = this.#assignment.owners(members);
    this.#owners = next;
    const probes = new Map<string, number[]>();
    for (let shard = 0; shard < this.#settings.shards; shard++) {
      const owner = next[shard];
      const state = this.#state[shard];
      if (owner === this.#me) {
        if (state === REMOTE) {
          const from = previous[shard];
          if (
            this.#received.delete(shard) || from === undefined || from === this.#me ||
            !this.#link.isUp(from)
          ) {
            this.#state[shard] = OWNED; // taken over from a lost node: nothing to wait for
          } else {
            this.#await(shard, from);
            let list = probes.get(from);
            if (list === undefined) probes.set(from, list = []);
            list.push(shard);
          }
        } else if (state === AWAITING) {
          const from = this.#awaitingFrom.get(shard);
          if (from === undefined || !this.#link.isUp(from)) this.#endAwaiting(shard);
        }
      } else if (state === OWNED || state === AWAITING) {
        this.#cancelAwaiting(shard);
        this.#startHandoff(shard);
      } else if (state === REMOTE && this.#region.hasShard(shard)) {
        this.#startHandoff(shard);
      }
    }
    for (const [from, shards] of probes) this.#probe(from, shards);
    const waiters = this.#viewWaiters;
    this.#viewWaiters = [];
    for (const waiter of waiters) waiter();
    for (const pending of [...this.#parked]) {
      this.#parked.delete(pending);
      if (pending.retryTimer !== undefined) clearTimeout(pending.retryTimer);
      pending.retryTimer = undefined;
      this.#route(pending);
    }
    this.#changed();
  }

  #await(shard: number, from: string): void {
    this.#state[shard] = AWAITING;
    this.#awaitingFrom.set(shard, from);
    this.#awaiting.set(
      shard,
      setTimeout(() => {
        this.#awaiting.delete(shard);
        if (this.#state[shard] === AWAITING) this.#endAwaiting(shard);
      }, this.#settings.handoffTimeoutMs),
    );
  }

  #cancelAwaiting(shard: number): void {
    const timer = this.#awaiting.get(shard);
    if (timer !== undefined) clearTimeout(timer);
    this.#awaiting.delete(shard);
    this.#awaitingFrom.delete(shard);
  }

  /** The shard serves now: its held requests run. */
  #endAwaiting(shard: number): void {
    this.#cancelAwaiting(shard);
    this.#state[shard] = OWNED;
    this.#release(shard);
  }

  #release(shard: number): void {
    for (const pending of this.#held.release(shard)) this.#route(pending);
    this.#changed();
  }

  /** Resolves at the next membership change, or after `ms`. */
  #viewChange(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.#viewWaiters.push(done);
    });
  }

  // --- hand-off away -------------------------------------------------------

  #startHandoff(shard: number): void {
    this.#state[shard] = HANDING_OFF;
    this.#handoffsInFlight++;
    this.#changed();
    this.#handoff(shard).catch((error) => this.#region.lost(`(shard ${shard})`, error));
  }

  async #handoff(shard: number): Promise<void> {
    const started = performance.now();
    try {
      await this.#region.drain(shard);
      const collected = await this.#region.collect(shard, this.#settings.handoffTimeoutMs);
      const max = this.#link.connection.info?.max_payload ?? 1_048_576;
      const chunkBytes = Math.max(1024, Math.floor(max / 2));
      const remaining: { entry: Collected; bytes: Uint8Array }[] = [];
      for (const entry of collected) {
        try {
          const bytes = this.#link.encode(entry);
          if (bytes.length > max - 4096) {
            throw new RangeError(
              `its hand-off value takes ${bytes.length} bytes, over the NATS max_payload ${max}`,
            );
          }
          remaining.push({ entry, bytes });
        } catch (error) {
          this.#region.lost(entry.key, error);
        }
      }
      let moved = 0;
      let attempts = 0;
      for (;;) {
        if (this.#closed || (this.#stopping && performance.now() > this.#stopDeadline)) {
          // Leaving, and nobody took them in time: their states are lost.
          for (const { entry } of remaining) {
            this.#region.lost(entry.key, new ShardingStoppedError(this.name));
          }
          this.#state[shard] = REMOTE;
          return;
        }
        const to = this.#owners[shard];
        if (to === this.#me) {
          // The shard came back before anyone took the rest: restart those entities here.
          await Promise.all(
            remaining.map(({ entry }) => this.#region.restore(entry.key, shard, entry.handoff)),
          );
          this.#state[shard] = OWNED;
          return;
        }
        if (to === undefined) {
          // No node left to take it (the last node stops): its entities just stop.
          this.#state[shard] = REMOTE;
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
          from: this.#me,
          entities: remaining.slice(0, count).map(({ bytes }) => bytes),
          last,
        };
        try {
          const reply = await this.#link.connection.request(
            this.#link.subject("shard", this.#settings.name, to),
            this.#link.encode(message),
            { timeout: this.#settings.handoffTimeoutMs },
          );
          const answer = this.#link.decode(reply.data) as WireAnswer;
          if ("ok" in answer && !answer.ok) throw answer.error;
          if ("ok" in answer) {
            remaining.splice(0, count);
            moved += count;
            attempts = 0;
            if (!last) continue;
            if (this.#owners[shard] !== this.#me) this.#state[shard] = REMOTE;
            this.#received.delete(shard);
            this.#handoffs++;
            this.#emitHandoff(shard, to, moved, started);
            return;
          }
        } catch (error) {
          if (isNoResponders(error)) {
            this.#handoffBlocked.set(shard, to);
          } else if (!isRequestTimeout(error)) {
            // Refused, or cannot be sent: these entities are lost; the rest go on.
            this.#region.lost(`(hand-off of shard ${shard} to ${to})`, error);
            for (const { entry } of remaining.splice(0, count)) this.#region.lost(entry.key, error);
            if (count === 0) {
              this.#state[shard] = REMOTE; // its new owner starts the shard after handoffTimeoutMs
              return;
            }
            continue;
          }
        }
        await this.#viewChange(Math.min(MAX_BACKOFF_MS, 10 * 2 ** attempts++));
      }
    } finally {
      this.#handoffBlocked.delete(shard);
      this.#handoffsInFlight--;
      if (this.#state[shard] === HANDING_OFF) {
        this.#state[shard] = this.#owners[shard] === this.#me ? OWNED : REMOTE;
      }
      this.#release(shard);
      if (
        !this.#closed && this.#owners[shard] !== this.#me && this.#region.hasShard(shard) &&
        this.#state[shard] === REMOTE
      ) this.#startHandoff(shard);
    }
  }

  #emitHandoff(shard: number, to: string, entities: number, started: number): void {
    try {
      this.#system.telemetry.execute(
        SHARDING_HANDOFF,
        { duration: performance.now() - started, entities },
        { name: this.#settings.name, shard, from: this.#me, to },
      );
    } catch {
      // telemetry reports its own handler failures
    }
  }

  // --- life ----------------------------------------------------------------

  #changed(): void {
    if (this.#metaQueued || this.#closed) return;
    this.#metaQueued = true;
    queueMicrotask(() => {
      this.#metaQueued = false;
      if (this.#closed) return;
      const meta = {
        shards: this.localShards().length,
        entities: this.#region.size,
        handoffs: this.#handoffsInFlight,
      };
      const text = `${meta.shards}/${meta.entities}/${meta.handoffs}`;
      if (text === this.#lastMeta) return;
      this.#lastMeta = text;
      try {
        this.#link.setMeta(`sharding.${this.#settings.name}`, meta);
      } catch {
        // a closing link
      }
    });
  }

  #close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#unsubscribeEvents?.();
    try {
      this.#subscription?.unsubscribe();
      this.#control?.unsubscribe();
    } catch {
      // the connection is already closed
    }
    if (this.#passivation !== undefined) clearInterval(this.#passivation);
    for (const timer of this.#strayTimers) clearTimeout(timer);
    this.#strayTimers.clear();
    for (const shard of [...this.#awaiting.keys()]) this.#cancelAwaiting(shard);
    const stopped = new ShardingStoppedError(this.#settings.name);
    for (const pending of [...this.#held.releaseAll(), ...this.#parked]) {
      this.#settle(pending, pending.forwarded ? { retry: true } : { ok: false, error: stopped });
    }
    const waiters = this.#viewWaiters;
    this.#viewWaiters = [];
    for (const waiter of waiters) waiter();
    try {
      this.#link.setMeta(`sharding.${this.#settings.name}`, undefined);
    } catch {
      // a closed link
    }
    this.#onClosed();
  }
}

function describeError(error: unknown): string {
  try {
    return error instanceof Error ? `${error.name}: ${error.message}` : typeof error;
  } catch {
    return "an unprintable error";
  }
}
