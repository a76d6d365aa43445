/**
 * A hand-written minimal JavaScript actor system: the physical limit the
 * comparison holds beamlet to on each runtime. Same semantics as beamlet on
 * the benchmarked paths, nothing more:
 *
 * - an actor has a state, a mailbox (a growable ring) and two handlers;
 *   `cast` queues a message, `call` queues a request and returns a Promise
 *   of the reply (no timeout); a mailbox may be bounded (a cast to a full one
 *   is refused with `"overloaded"`);
 * - a run queue of actors with messages, drained on a microtask; an actor
 *   handles at most `budget` messages per turn (2000, as beamlet's default
 *   reduction budget) and then goes to the back of the queue; after about
 *   `sliceMs` (5 ms, beamlet's default) of work the drain yields to the
 *   host's event loop, and after a turn that used the whole budget it
 *   yields to the microtask queue (so an awaited reply's continuation runs
 *   before the next long turn);
 * - a handler that returns a Promise keeps its actor busy (no other message
 *   is handled) until it settles, as an async GenServer callback does;
 * - spawn (a table entry; `start` resolves once `init` has run) and exit
 *   (the table entry goes, queued calls are rejected). No links, monitors,
 *   names, timers or telemetry.
 *
 * @module
 */

/** Returned by `handleCall` when the reply comes later, through {@linkcode BaselineSystem.reply}. */
export const NOREPLY: unique symbol = Symbol("noreply");

/** A caller waiting for a reply. */
export class Call {
  constructor(
    readonly request: unknown,
    readonly resolve: (value: unknown) => void,
    readonly reject: (error: unknown) => void,
  ) {}
}

/** What an actor does: handlers read and write `actor.state`. */
export interface ActorSpec<S> {
  /** The first state. */
  init(arg: unknown, actor: Actor<S>): S;
  /** Handles a cast; may return a Promise (the actor waits for it). */
  handleCast?(message: unknown, actor: Actor<S>): void | Promise<void>;
  /** Handles a call: the reply, a Promise of it, or `NOREPLY`. */
  handleCall?(request: unknown, from: Call, actor: Actor<S>): unknown;
}

/** One actor. */
export class Actor<S = unknown> {
  state!: S;
  /** Mailbox ring: a power-of-two array, its head and length. */
  ring: unknown[] = new Array(4);
  head = 0;
  length = 0;
  alive = true;
  /** Whether it sits in the run queue. */
  queued = false;
  /** Whether a handler's Promise is pending. */
  busy = false;
  /** Most messages queued at once. */
  highWater = 0;
  refused = 0;
  exited: Promise<void> | undefined;
  resolveExited: (() => void) | undefined;

  constructor(
    readonly id: number,
    readonly spec: ActorSpec<S>,
    readonly system: BaselineSystem,
    readonly bound: number,
  ) {}
}

/** Options of {@linkcode BaselineSystem}. */
export interface BaselineOptions {
  /** Messages an actor handles per turn (default 2000). */
  budget?: number;
  /** Milliseconds of work before the drain yields to the event loop (default 5). */
  sliceMs?: number;
}

/** The hand-written actor system. */
export class BaselineSystem {
  readonly actors = new Map<number, Actor<unknown>>();
  private nextId = 1;
  private runQueue: Actor<unknown>[] = [];
  private runHead = 0;
  private scheduled = false;
  private readonly budget: number;
  private readonly sliceMs: number;
  private readonly drain = () => this.#drain();

  constructor({ budget = 2000, sliceMs = 5 }: BaselineOptions = {}) {
    this.budget = budget;
    this.sliceMs = sliceMs;
  }

  /** Spawns an actor; resolves once `init` has run. */
  start<S>(spec: ActorSpec<S>, arg?: unknown, bound = Infinity): Promise<Actor<S>> {
    return Promise.resolve(this.spawn(spec, arg, bound));
  }

  /** Spawns an actor synchronously. */
  spawn<S>(spec: ActorSpec<S>, arg?: unknown, bound = Infinity): Actor<S> {
    const actor = new Actor<S>(this.nextId++, spec, this, bound);
    actor.state = spec.init(arg, actor);
    this.actors.set(actor.id, actor as Actor<unknown>);
    return actor;
  }

  /** Queues a message: `"ok"`, `"overloaded"` (bounded mailbox full) or `"noproc"`. */
  cast(actor: Actor<unknown>, message: unknown): "ok" | "overloaded" | "noproc" {
    if (!actor.alive) return "noproc";
    if (actor.length >= actor.bound) {
      actor.refused++;
      return "overloaded";
    }
    this.#enqueue(actor, message);
    return "ok";
  }

  /** Queues a request; the Promise settles with the reply. */
  call<R = unknown>(actor: Actor<unknown>, request: unknown): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      if (!actor.alive) reject(new Error("noproc"));
      else this.#enqueue(actor, new Call(request, resolve as (value: unknown) => void, reject));
    });
  }

  /** Replies to a caller left waiting with `NOREPLY`. */
  reply(from: Call, value: unknown): void {
    from.resolve(value);
  }

  /** Ends an actor: its table entry goes, queued calls are rejected. */
  exit(actor: Actor<unknown>): void {
    if (!actor.alive) return;
    actor.alive = false;
    this.actors.delete(actor.id);
    const { ring } = actor;
    const mask = ring.length - 1;
    for (let i = 0; i < actor.length; i++) {
      const message = ring[(actor.head + i) & mask];
      if (message instanceof Call) message.reject(new Error("noproc"));
    }
    actor.ring = [];
    actor.length = 0;
    actor.resolveExited?.();
  }

  /** Resolves when `actor` has exited. */
  whenExited(actor: Actor<unknown>): Promise<void> {
    if (!actor.alive) return Promise.resolve();
    return actor.exited ??= new Promise<void>((resolve) => (actor.resolveExited = resolve));
  }

  #enqueue(actor: Actor<unknown>, message: unknown): void {
    let ring = actor.ring;
    if (actor.length === ring.length) {
      const grown = new Array(ring.length * 2);
      const mask = ring.length - 1;
      for (let i = 0; i < actor.length; i++) grown[i] = ring[(actor.head + i) & mask];
      actor.ring = ring = grown;
      actor.head = 0;
    }
    ring[(actor.head + actor.length) & (ring.length - 1)] = message;
    if (++actor.length > actor.highWater) actor.highWater = actor.length;
    if (!actor.queued && !actor.busy) this.#schedule(actor);
  }

  #schedule(actor: Actor<unknown>): void {
    actor.queued = true;
    this.runQueue.push(actor);
    if (!this.scheduled) {
      this.scheduled = true;
      queueMicrotask(this.drain);
    }
  }

  #drain(): void {
    const end = performance.now() + this.sliceMs;
    let turns = 0;
    while (this.runHead < this.runQueue.length) {
      const actor = this.runQueue[this.runHead++];
      actor.queued = false;
      const spent = actor.alive && !actor.busy ? this.#run(actor) : 0;
      if (actor.alive && !actor.busy && actor.length > 0 && !actor.queued) {
        actor.queued = true;
        this.runQueue.push(actor);
      }
      if ((++turns & 63) === 0 && performance.now() > end) {
        this.#compact();
        setTimeout(this.drain, 0);
        return;
      }
      if (spent === this.budget) {
        // A long turn: let the continuations of awaited replies run first.
        this.#compact();
        queueMicrotask(this.drain);
        return;
      }
    }
    this.runQueue.length = 0;
    this.runHead = 0;
    this.scheduled = false;
  }

  #compact(): void {
    this.runQueue = this.runQueue.slice(this.runHead);
    this.runHead = 0;
  }

  /** Handles up to `budget` messages of one actor: how many it handled. */
  #run(actor: Actor<unknown>): number {
    const spec = actor.spec;
    let n = 0;
    try {
      for (; n < this.budget && actor.length > 0 && actor.alive; n++) {
        const ring = actor.ring;
        const message = ring[actor.head];
        ring[actor.head] = undefined;
        actor.head = (actor.head + 1) & (ring.length - 1);
        actor.length--;
        if (message instanceof Call) {
          const reply = spec.handleCall!(message.request, message, actor);
          if (reply instanceof Promise) {
            this.#await(actor, reply, message);
            return n + 1;
          }
          if (reply !== NOREPLY) message.resolve(reply);
        } else {
          const done = spec.handleCast!(message, actor);
          if (done instanceof Promise) {
            this.#await(actor, done, undefined);
            return n + 1;
          }
        }
      }
    } catch {
      this.exit(actor);
    }
    return n;
  }

  #await(actor: Actor<unknown>, pending: Promise<unknown>, from: Call | undefined): void {
    actor.busy = true;
    pending.then(
      (reply) => {
        actor.busy = false;
        if (from && reply !== NOREPLY) from.resolve(reply);
        if (actor.alive && actor.length > 0 && !actor.queued) this.#schedule(actor);
      },
      (error) => {
        actor.busy = false;
        from?.reject(error);
        this.exit(actor);
      },
    );
  }
}
