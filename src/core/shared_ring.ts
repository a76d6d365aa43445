/**
 * Byte rings between schedulers: one consumer, any number of producers, on
 * any threads that share a `WebAssembly.Memory` (see
 * {@linkcode createCoreMemory}). The consumer's core makes the ring in its
 * own part of the memory and hands its address to the producers (a number,
 * postable to a Worker); each producer attaches to it through a core of its
 * own in the same memory. Writing copies a record in with one
 * compare-and-swap and one atomic store, never blocks and never drops: a
 * full ring refuses (`write` returns `false`, the refusal is counted) and the
 * producer retries. The consumer drains records in order — per producer, in
 * the order that producer wrote them — and can wait, without spinning, for
 * the next one (`Atomics.waitAsync` on the ring's SLEEPING word).
 *
 * Each producer writes under an id (an integer >= 1, unique among the live
 * producers of a ring; a scheduler's index + 1), stored in every record it
 * reserves. When a producer's thread ends between reserving a record and
 * committing it (its Worker was terminated or crashed), the consumer, told
 * so, skips what it left behind ({@linkcode SharedRing.skipAbandoned});
 * otherwise the ring would stop at that record for good.
 *
 * The ring itself (layout, reservation, wrap-around, the sleep handshake)
 * is AssemblyScript: `core/xring.ts`. This class is the host side: argument
 * checks, copying, typed views that follow memory growth, and waiting.
 *
 * @module
 */

import type { Core } from "./core.ts";
import { CoreError } from "./errors.ts";
import { WasmCore } from "./wasm_core.ts";
import type { SchedulerWasmExports } from "../../wasm/scheduler_wasm.ts";
import {
  CoreCode,
  XRING_CAPACITY,
  XRING_DATA,
  XRING_DEFAULT_CAPACITY,
  XRING_FULL,
  XRING_HEAD,
  XRING_HEADER_SIZE,
  XRING_MAGIC,
  XRING_MASK,
  XRING_MAX_CAPACITY,
  XRING_MIN_CAPACITY,
  XRING_RECORD_HEADER,
  XRING_RECORDS,
  XRING_SIGNATURE,
  XRING_SLEEPING,
  XRING_TAIL,
  XRING_WAKES,
} from "./_layout.ts";

/** `Atomics.waitAsync` (ES2024), where the host has it. */
type WaitAsync = (
  array: Int32Array,
  index: number,
  value: number,
  timeout?: number,
) => { async: false; value: string } | { async: true; value: Promise<string> };

const waitAsync: WaitAsync | undefined = (Atomics as unknown as { waitAsync?: WaitAsync })
  .waitAsync;

/** Longest delay `setTimeout` takes as it is (2^31 - 1 ms); longer waits are cut to it. */
const MAX_TIMER_DELAY = 2 ** 31 - 1;

/**
 * Consumers waiting on rings in unshared memories, by memory and ring
 * address: there a commit is made on the consumer's own thread, and the
 * producer's `write` resolves the wait itself.
 */
const localWaiters = new WeakMap<WebAssembly.Memory, Map<number, Set<() => void>>>();

function wasmCoreOf(core: Core, operation: string): WasmCore {
  if (core instanceof WasmCore) return core;
  throw new TypeError(
    `${operation}: a shared ring needs a WebAssembly core (WasmCore), got ${
      typeof core === "object" && core !== null && "kind" in core
        ? `a ${String((core as { kind: unknown }).kind)} core`
        : typeof core
    }`,
  );
}

function isPowerOfTwo(n: number): boolean {
  return n > 0 && (n & (n - 1)) === 0;
}

/** Largest producer id: ids are u32 in the record headers. */
const MAX_PRODUCER = 2 ** 32 - 1;

function checkProducer(operation: string, producer: number): number {
  if (
    typeof producer !== "number" || !Number.isInteger(producer) || producer < 1 ||
    producer > MAX_PRODUCER
  ) {
    throw new RangeError(
      `${operation}: producer must be an integer in 1..${MAX_PRODUCER}, got ${String(producer)}`,
    );
  }
  return producer;
}

/**
 * A multi-producer single-consumer byte ring in a core memory that several
 * threads share: the consumer's scheduler makes it, other schedulers write
 * records into it.
 *
 * Guarantees: a record is seen only once committed, exactly once, and the
 * records of one producer in the order it wrote them. A producer that is
 * slow between reserving and committing holds back the records reserved
 * after it (the usual MPSC trade-off; `write` does both in one call), and
 * one whose thread ended there holds them back until the consumer calls
 * {@linkcode SharedRing.skipAbandoned} for it. A record of up to
 * {@linkcode SharedRing.maxRecord} bytes always fits an empty ring. Rings
 * are never freed: their memory stays the consumer core's.
 *
 * @example One thread writes, another drains (here both are one thread)
 * ```ts
 * import { createCoreMemory, WasmCore } from "@beamlet/beamlet/core";
 * import { SharedRing } from "./shared_ring.ts";
 *
 * const memory = createCoreMemory({ shared: true, maximumPages: 1024 });
 * const consumer = SharedRing.create(new WasmCore({ memory }), 64 * 1024);
 * // In a Worker: the memory and `consumer.address` were posted to it; 2 is its producer id.
 * const producer = SharedRing.attach(new WasmCore({ memory }), consumer.address, 2);
 * producer.write(new TextEncoder().encode("hello"));
 * consumer.drain((bytes, start, length) => {
 *   console.log(new TextDecoder().decode(bytes.slice(start, start + length))); // "hello"
 * });
 * ```
 */
export class SharedRing {
  /** The ring's address in the memory: what producers attach to. */
  readonly address: number;
  /** Bytes of the data area (records take their length + 16, rounded up to 8). */
  readonly capacity: number;
  /** Largest record `write` accepts: `capacity / 2 - 16`, which always fits an empty ring. */
  readonly maxRecord: number;
  /** The id this side writes under (`write`, `reserve`): an integer >= 1. */
  readonly producer: number;
  readonly #memory: WebAssembly.Memory;
  readonly #wasm: SchedulerWasmExports;
  /** End of the data area: a view shorter than this is stale (the memory grew). */
  readonly #end: number;
  /** Commits wake the consumer through the memory (`Atomics.waitAsync`), not `localWaiters`. */
  readonly #atomicWake: boolean;
  #u8: Uint8Array;
  #i32: Int32Array;
  #draining = false;
  /**
   * Consumer side: the dead producers whose abandoned reservations may still
   * be ahead of HEAD, each with the TAIL read once it was known dead (all its
   * reservations are before it). Dropped once HEAD has passed it.
   */
  readonly #dead = new Map<number, number>();
  #abandoned = 0;

  private constructor(core: WasmCore, address: number, producer: number) {
    this.#memory = core.memory;
    this.#wasm = core.raw;
    this.address = address;
    this.producer = producer;
    // This thread may see an old, shorter buffer (`currentBuffer`): the
    // header first, then the whole ring, must be inside the one it reads.
    let buffer = currentBuffer(core.memory, address + XRING_HEADER_SIZE);
    let i32 = new Int32Array(buffer);
    this.capacity = Atomics.load(i32, (address + XRING_CAPACITY) >>> 2) >>> 0;
    this.maxRecord = this.capacity / 2 - XRING_RECORD_HEADER;
    this.#end = (Atomics.load(i32, (address + XRING_DATA) >>> 2) >>> 0) + this.capacity;
    if (buffer.byteLength < this.#end) {
      buffer = currentBuffer(core.memory, this.#end);
      i32 = new Int32Array(buffer);
    }
    this.#u8 = new Uint8Array(buffer);
    this.#i32 = i32;
    const shared = typeof SharedArrayBuffer !== "undefined" && buffer instanceof SharedArrayBuffer;
    this.#atomicWake = shared && waitAsync !== undefined;
  }

  /**
   * Makes a ring with a data area of `capacity` bytes (a power of two,
   * 4 KiB..256 MiB; default 1 MiB) in `core`'s part of its memory; `core`'s
   * thread is the ring's consumer. The consumer may write into its own ring
   * too, under the id `producer` (default 1).
   *
   * @throws {TypeError} when `core` is not a {@linkcode WasmCore}.
   * @throws {RangeError} when `capacity` is not a power of two in range, or
   * `producer` not an integer in 1..2^32-1.
   * @throws {CoreError} `OutOfMemory` when the memory has no room for it.
   *
   * @example A 64 KiB ring
   * ```ts
   * import { WasmCore } from "@beamlet/beamlet/core";
   * import { SharedRing } from "./shared_ring.ts";
   *
   * const ring = SharedRing.create(new WasmCore(), 64 * 1024);
   * console.log(ring.maxRecord); // 32752
   * ```
   */
  static create(
    core: Core,
    capacity: number = XRING_DEFAULT_CAPACITY,
    producer: number = 1,
  ): SharedRing {
    const wasm = wasmCoreOf(core, "SharedRing.create");
    if (
      typeof capacity !== "number" || !Number.isInteger(capacity) ||
      capacity < XRING_MIN_CAPACITY || capacity > XRING_MAX_CAPACITY || !isPowerOfTwo(capacity)
    ) {
      throw new RangeError(
        `SharedRing.create: capacity must be a power of two in ${XRING_MIN_CAPACITY}..${XRING_MAX_CAPACITY}, got ${
          String(capacity)
        }`,
      );
    }
    checkProducer("SharedRing.create", producer);
    const address = wasm.raw.ringCreate(capacity) >>> 0;
    if (address === 0) throw new CoreError(CoreCode.OutOfMemory, "SharedRing.create");
    return new SharedRing(wasm, address, producer);
  }

  /**
   * Attaches to the ring at `address` that a core in the same memory made
   * (perhaps on another thread), to write into it through `core` under the
   * id `producer` (default 1): an integer >= 1, unique among the ring's live
   * producers — the consumer names it to skip what this producer left
   * behind if its thread dies ({@linkcode SharedRing.skipAbandoned}).
   *
   * @throws {TypeError} when `core` is not a {@linkcode WasmCore}, or
   * `address` does not hold a ring in `core`'s memory.
   * @throws {RangeError} when `producer` is not an integer in 1..2^32-1.
   *
   * @example In a Worker, given the memory, the ring's address and its scheduler index
   * ```ts
   * import { WasmCore } from "@beamlet/beamlet/core";
   * import { SharedRing } from "./shared_ring.ts";
   *
   * function producer(memory: WebAssembly.Memory, address: number, index: number): SharedRing {
   *   return SharedRing.attach(new WasmCore({ memory }), address, index + 1);
   * }
   * ```
   */
  static attach(core: Core, address: number, producer: number = 1): SharedRing {
    const wasm = wasmCoreOf(core, "SharedRing.attach");
    checkProducer("SharedRing.attach", producer);
    const buffer = currentBuffer(wasm.memory, address + XRING_HEADER_SIZE);
    const notARing = (why: string) =>
      new TypeError(`SharedRing.attach: no ring at ${String(address)}: ${why}`);
    if (
      typeof address !== "number" || !Number.isInteger(address) || address <= 0 ||
      address % 16 !== 0 || address + XRING_HEADER_SIZE > buffer.byteLength
    ) {
      throw notARing("not an aligned address inside the memory");
    }
    const i32 = new Int32Array(buffer);
    const word = (offset: number) => Atomics.load(i32, (address + offset) >>> 2) >>> 0;
    if (word(XRING_MAGIC) !== XRING_SIGNATURE) throw notARing("no ring signature");
    const capacity = word(XRING_CAPACITY);
    const data = word(XRING_DATA);
    const whole = currentBuffer(wasm.memory, data + capacity);
    if (
      !isPowerOfTwo(capacity) || capacity < XRING_MIN_CAPACITY ||
      capacity > XRING_MAX_CAPACITY || word(XRING_MASK) !== capacity - 1 || data % 16 !== 0 ||
      data + capacity > whole.byteLength
    ) {
      throw notARing("its header is damaged");
    }
    return new SharedRing(wasm, address, producer);
  }

  /** The views over the memory, made again when it grew (detaching them, or not covering the ring). */
  #fresh(): Uint8Array {
    if (this.#u8.byteLength < this.#end) {
      const buffer = currentBuffer(this.#memory, this.#end);
      this.#u8 = new Uint8Array(buffer);
      this.#i32 = new Int32Array(buffer);
    }
    return this.#u8;
  }

  /**
   * Copies `bytes[0, length)` in as one record (any thread). `true`:
   * committed; `false`: the ring has no room now — nothing was written (the
   * refusal is counted in `stats().full`); retry later. Wakes a sleeping
   * consumer.
   *
   * @throws {TypeError} when `bytes` is not a Uint8Array.
   * @throws {RangeError} when `length` is not an integer in `1..maxRecord`
   * and `1..bytes.length`.
   *
   * @example Retrying while the ring is full
   * ```ts
   * import { WasmCore } from "@beamlet/beamlet/core";
   * import { SharedRing } from "./shared_ring.ts";
   *
   * const ring = SharedRing.create(new WasmCore(), 4096);
   * const record = new Uint8Array(1000);
   * let written = 0;
   * while (ring.write(record)) written++;
   * console.log(written, ring.stats().full); // 4 1
   * ```
   */
  write(bytes: Uint8Array, length: number = bytes?.length): boolean {
    if (!(bytes instanceof Uint8Array)) {
      throw new TypeError("SharedRing.write: bytes must be a Uint8Array");
    }
    if (
      typeof length !== "number" || !Number.isInteger(length) || length < 1 ||
      length > this.maxRecord || length > bytes.length
    ) {
      throw new RangeError(
        `SharedRing.write: length must be an integer in 1..${
          Math.min(this.maxRecord, bytes.length)
        }, got ${String(length)}`,
      );
    }
    const at = this.#wasm.ringReserve(this.address, length, this.producer) >>> 0;
    if (at === 0) return false;
    const u8 = this.#fresh();
    if (length === bytes.length) u8.set(bytes, at);
    else if (length <= 32) { for (let i = 0; i < length; i++) u8[at + i] = bytes[i]; }
    else u8.set(bytes.subarray(0, length), at);
    this.#commit(at, length);
    return true;
  }

  /**
   * Reserves room for a record of `length` bytes (1..maxRecord, unchecked):
   * the address its payload goes to, or 0 when the ring has no room now. The
   * reservation must be committed (or abandoned: `commit(at, 0)`) soon — it
   * holds back every record reserved after it.
   *
   * @internal
   */
  reserve(length: number): number {
    return this.#wasm.ringReserve(this.address, length, this.producer) >>> 0;
  }

  /**
   * Publishes the reservation at `address` with `length` bytes (1..its
   * reserved length; 0 abandons it): whether it woke the consumer.
   *
   * @internal
   */
  commit(address: number, length: number): boolean {
    return this.#commit(address, length);
  }

  #commit(address: number, length: number): boolean {
    if (this.#wasm.ringCommit(this.address, address, length) !== 1) return false;
    if (!this.#atomicWake) {
      const waiters = localWaiters.get(this.#memory)?.get(this.address);
      if (waiters !== undefined) { for (const wake of [...waiters]) wake(); }
    }
    return true;
  }

  /**
   * Consumer only: calls `onRecord(memory, start, length)` for up to `max`
   * committed records, in order, and releases each after its callback
   * returns (or throws: the record is released, then the error rethrown).
   * `memory` is a view over the whole memory, valid during the callback
   * only (the memory can grow): copy or decode `memory[start, start +
   * length)` there. Returns how many records were handled.
   *
   * @throws {TypeError} when `onRecord` is not a function.
   * @throws {RangeError} when `max` is not a non-negative integer or Infinity.
   * @throws {Error} when called from inside one of its own callbacks.
   *
   * @example Decoding records as they come
   * ```ts
   * import { WasmCore } from "@beamlet/beamlet/core";
   * import { SharedRing } from "./shared_ring.ts";
   *
   * const ring = SharedRing.create(new WasmCore(), 4096);
   * ring.write(Uint8Array.of(1, 2, 3));
   * const seen: number[][] = [];
   * ring.drain((bytes, start, length) => seen.push([...bytes.subarray(start, start + length)]));
   * console.log(seen); // [[1, 2, 3]]
   * ```
   */
  drain(
    onRecord: (memory: Uint8Array, start: number, length: number) => void,
    max: number = Infinity,
  ): number {
    if (typeof onRecord !== "function") {
      throw new TypeError("SharedRing.drain: onRecord must be a function");
    }
    if (typeof max !== "number" || !(max >= 0) || (max !== Infinity && !Number.isInteger(max))) {
      throw new RangeError(
        `SharedRing.drain: max must be a non-negative integer or Infinity, got ${String(max)}`,
      );
    }
    if (this.#draining) {
      throw new Error("SharedRing.drain: called from one of its own callbacks");
    }
    if (max === 0) return 0;
    const wasm = this.#wasm;
    const ring = this.address;
    let count = 0;
    let at = wasm.ringPeek(ring) >>> 0;
    if (at === 0 && this.#dead.size !== 0) at = this.#peekPastDead();
    this.#draining = true;
    try {
      while (at !== 0) {
        if (this.#dead.size !== 0) this.#forgetPassed();
        const u8 = this.#fresh();
        const length = this.#i32[(at - XRING_RECORD_HEADER) >>> 2];
        count++;
        try {
          onRecord(u8, at, length);
        } catch (error) {
          wasm.ringRelease(ring);
          throw error;
        }
        if (count < max) {
          at = wasm.ringNext(ring) >>> 0;
          if (at === 0 && this.#dead.size !== 0) at = this.#peekPastDead();
        } else {
          wasm.ringRelease(ring);
          at = 0;
        }
      }
    } finally {
      this.#draining = false;
    }
    return count;
  }

  /**
   * Consumer only: resolves when a producer commits a record (it notifies
   * the consumer) or after `timeoutMs`, and at once when a record is already
   * there. It keeps a Node process alive for at most `timeoutMs` (Infinity:
   * until a commit, holding nothing but the wait itself).
   *
   * In an unshared memory the producers are on the consumer's thread and
   * their `write` resolves the wait; on a host without `Atomics.waitAsync`,
   * a shared memory's producers cannot, and the wait lasts `timeoutMs`.
   *
   * @throws {RangeError} when `timeoutMs` is not a non-negative number.
   *
   * @example A consumer loop
   * ```ts
   * import { SharedRing } from "./shared_ring.ts";
   *
   * async function consume(ring: SharedRing, handle: (bytes: Uint8Array) => void) {
   *   for (;;) {
   *     ring.drain((memory, start, length) => handle(memory.slice(start, start + length)));
   *     await ring.wait(1000);
   *   }
   * }
   * ```
   */
  wait(timeoutMs: number): Promise<void> {
    if (typeof timeoutMs !== "number" || !(timeoutMs >= 0)) {
      throw new RangeError(
        `SharedRing.wait: timeoutMs must be a non-negative number, got ${String(timeoutMs)}`,
      );
    }
    if (this.#dead.size !== 0) this.#skipDead();
    if (this.#wasm.ringPrepareSleep(this.address) === 0) return Promise.resolve();
    this.#fresh();
    const i32 = this.#i32;
    const index = (this.address + XRING_SLEEPING) >>> 2;
    const clear = () => Atomics.store(i32, index, 0);
    if (this.#atomicWake) {
      const result = waitAsync!(i32, index, 1, timeoutMs);
      if (!result.async) {
        clear();
        return Promise.resolve();
      }
      return new Promise((resolve) => {
        let done = false;
        const finish = () => {
          if (done) return;
          done = true;
          if (timer !== undefined) clearTimeout(timer);
          clear();
          resolve();
        };
        // The timer, not the pending wait, is what keeps a Node process alive.
        const timer = timeoutMs === Infinity
          ? undefined
          : setTimeout(finish, Math.min(timeoutMs, MAX_TIMER_DELAY));
        result.value.then(finish, finish);
      });
    }
    let rings = localWaiters.get(this.#memory);
    if (rings === undefined) localWaiters.set(this.#memory, rings = new Map());
    let waiters = rings.get(this.address);
    if (waiters === undefined) rings.set(this.address, waiters = new Set());
    const set = waiters;
    return new Promise((resolve) => {
      const finish = () => {
        if (!set.delete(finish)) return;
        if (timer !== undefined) clearTimeout(timer);
        clear();
        resolve();
      };
      set.add(finish);
      const timer = timeoutMs === Infinity
        ? undefined
        : setTimeout(finish, Math.min(timeoutMs, MAX_TIMER_DELAY));
    });
  }

  /**
   * Consumer only: the producer `producer`'s thread has ended — its Worker
   * was terminated or crashed (call this after the Worker's exit event, never
   * before: a live producer's reservation must not be skipped) — so its
   * reservations that were never committed will never be. Skips those at the
   * head of the ring now, zeroing them, and returns how many it skipped;
   * those further on (behind records not drained yet, or behind a live
   * producer's reservation) are skipped by later `drain` and `wait` calls as
   * the consumer reaches them. Only reservations made before this call are
   * skipped, so a new producer may attach under the same id afterwards —
   * call it once per death, before that (a call while a producer with the
   * id is alive could skip that producer's reservation).
   * Records the producer committed are drained as usual. The running total
   * of skipped reservations is {@linkcode SharedRing.abandoned}.
   *
   * Deno's Workers have no exit event, and their `terminate()` stops a
   * Worker only once it is back in its event loop (measured on Deno 2.9:
   * not in a synchronous loop, not in `Atomics.wait`): a terminated Deno
   * Worker never stops inside a `write`, and may still be running when
   * `terminate()` returns — do not call this for it then.
   *
   * @throws {RangeError} when `producer` is not an integer in 1..2^32-1.
   *
   * @example A producer that reserved and never committed
   * ```ts
   * import { createCoreMemory, WasmCore } from "@beamlet/beamlet/core";
   * import { SharedRing } from "./shared_ring.ts";
   *
   * const memory = createCoreMemory({ shared: true, maximumPages: 1024 });
   * const ring = SharedRing.create(new WasmCore({ memory }), 4096);
   * const doomed = SharedRing.attach(new WasmCore({ memory }), ring.address, 2);
   * const live = SharedRing.attach(new WasmCore({ memory }), ring.address, 3);
   * doomed.reserve(10); // ...and its thread dies here
   * live.write(Uint8Array.of(1));
   * console.log(ring.drain(() => {})); // 0: stuck behind the reservation
   * console.log(ring.skipAbandoned(2), ring.drain(() => {})); // 1 1
   * ```
   */
  skipAbandoned(producer: number): number {
    checkProducer("SharedRing.skipAbandoned", producer);
    this.#fresh();
    const tail = Atomics.load(this.#i32, (this.address + XRING_TAIL) >>> 2) >>> 0;
    this.#dead.set(producer, tail);
    return this.#skipDead();
  }

  /**
   * Consumer only: how many abandoned reservations of dead producers this
   * side has skipped so far ({@linkcode SharedRing.skipAbandoned}): records
   * that were lost.
   */
  get abandoned(): number {
    return this.#abandoned;
  }

  /** Skips the dead producers' reservations at HEAD until none is there: how many. */
  #skipDead(): number {
    const wasm = this.#wasm;
    let skipped = 0;
    for (let progress = true; progress;) {
      progress = false;
      for (const [producer, before] of this.#dead) {
        const n = wasm.ringSkipAbandonedBefore(this.address, producer, before) >>> 0;
        if (n > 0) progress = true;
        skipped += n;
      }
    }
    this.#forgetPassed();
    this.#abandoned += skipped;
    return skipped;
  }

  /** `#skipDead`, then the next committed record's payload address, or 0. */
  #peekPastDead(): number {
    this.#skipDead();
    return this.#wasm.ringPeek(this.address) >>> 0;
  }

  /** Drops the dead producers HEAD has passed: nothing of theirs is left ahead of it. */
  #forgetPassed(): void {
    this.#fresh();
    const head = Atomics.load(this.#i32, (this.address + XRING_HEAD) >>> 2);
    for (const [producer, before] of this.#dead) {
      if (((before - head) | 0) <= 0) this.#dead.delete(producer);
    }
  }

  /**
   * Counters, read atomically: records committed, reservations refused for
   * lack of room (`full`), sleeping consumers woken by a commit, and bytes
   * reserved and not yet drained (`used`, padding included).
   *
   * @example After one record
   * ```ts
   * import { WasmCore } from "@beamlet/beamlet/core";
   * import { SharedRing } from "./shared_ring.ts";
   *
   * const ring = SharedRing.create(new WasmCore(), 4096);
   * ring.write(new Uint8Array(10));
   * console.log(ring.stats()); // { records: 1, full: 0, wakes: 0, used: 32 }
   * ```
   */
  stats(): { records: number; full: number; wakes: number; used: number } {
    this.#fresh();
    const i32 = this.#i32;
    const counter = (offset: number) => {
      // A u64 as two words (little-endian), read again if a carry came in between.
      const index = (this.address + offset) >>> 2;
      for (;;) {
        const high = Atomics.load(i32, index + 1);
        const low = Atomics.load(i32, index) >>> 0;
        if (Atomics.load(i32, index + 1) === high) return (high >>> 0) * 2 ** 32 + low;
      }
    };
    const word = (offset: number) => Atomics.load(i32, (this.address + offset) >>> 2);
    return {
      records: counter(XRING_RECORDS),
      full: counter(XRING_FULL),
      wakes: counter(XRING_WAKES),
      used: (word(XRING_TAIL) - word(XRING_HEAD)) >>> 0,
    };
  }
}

/**
 * The memory's buffer, covering at least `end` bytes when the memory does:
 * a shared memory grown by another thread may still show this thread its
 * old, shorter buffer (seen on Deno with four schedulers), and `grow(0)`
 * makes the engine look at the memory's current size again.
 */
function currentBuffer(memory: WebAssembly.Memory, end: number): ArrayBuffer | SharedArrayBuffer {
  const buffer = memory.buffer;
  if (buffer.byteLength >= end) return buffer;
  memory.grow(0);
  return memory.buffer;
}
