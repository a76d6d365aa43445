/**
 * Model-based property test of {@linkcode SharedRing}: three producers, each
 * attached through a core of its own in one memory, reserve, copy and commit
 * in random interleavings (one may be mid-write while others commit; some
 * commit shorter than they reserved, some abandon), with whole writes and
 * drains of random sizes in between, records of 1..maxRecord bytes (many
 * wrap with a PAD) and a ring that is often full. The ring's positions start
 * near 2^32, so they wrap too. Producers also die — often between a
 * reservation and its commit, leaving it abandoned — and later the consumer
 * is told (`skipAbandoned`), at once or after more traffic and drains; then
 * a new producer takes the dead one's id (whose reservations must never be
 * skipped).
 *
 * The model is a queue of reservations in reservation order and the two
 * positions, HEAD and TAIL: it predicts each reservation's address (or a
 * refusal), what every drain hands out, what `skipAbandoned` skips, and the
 * counters. So every record comes out exactly once, in order, intact, never
 * before its commit, and nothing is lost but a dead producer's uncommitted
 * reservations; when the run ends the data area reads zero again.
 *
 * @module
 */

import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { createCoreMemory } from "../../src/core/core_memory.ts";
import { SharedRing } from "../../src/core/shared_ring.ts";
import { WasmCore } from "../../src/core/wasm_core.ts";
import { XRING_DATA, XRING_HEAD, XRING_RECORD_HEADER, XRING_TAIL } from "../../src/core/_layout.ts";

const CAPACITY = 4096;
const MAX_RECORD = CAPACITY / 2 - XRING_RECORD_HEADER;
const PRODUCERS = 3;

const canShare = (() => {
  try {
    return createCoreMemory({ shared: true, maximumPages: 1 }).buffer instanceof
      SharedArrayBuffer;
  } catch {
    return false;
  }
})();

type Command =
  | { kind: "reserve"; producer: number; length: number }
  | { kind: "copy"; producer: number }
  | { kind: "commit"; producer: number; shorter: number; abandon: boolean }
  | { kind: "write"; producer: number; length: number }
  | { kind: "drain"; max: number }
  | { kind: "die"; producer: number }
  | { kind: "skip"; producer: number };

const lengthArb = fc.oneof(
  fc.integer({ min: 1, max: 64 }),
  fc.integer({ min: 1, max: MAX_RECORD }),
  fc.constantFrom(1, 8, 9, MAX_RECORD - 7, MAX_RECORD),
);
const producerArb = fc.integer({ min: 0, max: PRODUCERS - 1 });
const commandArb: fc.Arbitrary<Command> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("reserve" as const),
      producer: producerArb,
      length: lengthArb,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant("copy" as const), producer: producerArb }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("commit" as const),
      producer: producerArb,
      shorter: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: MAX_RECORD })),
      abandon: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant("write" as const),
      producer: producerArb,
      length: lengthArb,
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("drain" as const),
      max: fc.oneof(fc.constant(Infinity), fc.integer({ min: 0, max: 4 })),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant("die" as const), producer: producerArb }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant("skip" as const), producer: producerArb }),
  },
);

/** A producer's id in the ring: its slot + 1 (a dead producer's heir takes its id). */
const idOf = (producer: number) => producer + 1;

/** The payload byte `i` of record `seq` of `producer`. */
function payloadByte(producer: number, seq: number, i: number): number {
  return (producer * 67 + seq * 13 + i * 7 + 1) & 0xff;
}

function payload(producer: number, seq: number, length: number): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => payloadByte(producer, seq, i));
}

/** A reservation, in reservation order. */
interface Entry {
  readonly producer: number;
  readonly seq: number;
  readonly reserved: number;
  /** Bytes of its wrap PAD (0: none); set to 0 once the consumer skipped it. */
  pad: number;
  /** Its record's size: header and payload, 8-aligned. */
  readonly size: number;
  /** Where its payload goes. */
  readonly address: number;
  /** The position (u32) of its record's header: HEAD when it is next. */
  readonly position: number;
  copied: boolean;
  /** Committed length (0: abandoned), or undefined while not committed. */
  committed?: number;
}

/** The model: reservations in order, the two positions (u32) and the counters. */
class Model {
  head: number;
  tail: number;
  records = 0;
  full = 0;
  readonly queue: Entry[] = [];
  readonly pending: (Entry | undefined)[] = Array(PRODUCERS).fill(undefined);
  readonly nextSeq: number[] = Array(PRODUCERS).fill(0);
  /** Slots whose producer died and the consumer was not told yet. */
  readonly dead: boolean[] = Array(PRODUCERS).fill(false);
  /** Dead producers the consumer was told of, by id: TAIL when it was. */
  readonly horizons = new Map<number, number>();
  abandoned = 0;

  constructor(start: number, readonly data: number) {
    this.head = start;
    this.tail = start;
  }

  /** The reservation's entry, or undefined when the ring refuses it (counted). */
  reserve(producer: number, length: number): Entry | undefined {
    const size = (length + XRING_RECORD_HEADER + 7) & ~7;
    const offset = this.tail % CAPACITY;
    const toEnd = CAPACITY - offset;
    const need = size <= toEnd ? size : toEnd + size;
    if (need > CAPACITY - ((this.tail - this.head) >>> 0)) {
      this.full++;
      return undefined;
    }
    const entry: Entry = {
      producer,
      seq: this.nextSeq[producer]++,
      reserved: length,
      pad: need - size,
      size,
      address: this.data + (need === size ? offset : 0) + XRING_RECORD_HEADER,
      position: (this.tail + need - size) >>> 0,
      copied: false,
    };
    this.tail = (this.tail + need) >>> 0;
    this.queue.push(entry);
    return entry;
  }

  commit(entry: Entry, length: number): void {
    entry.committed = length >= 1 && length <= entry.reserved ? length : 0;
    if (entry.committed > 0) this.records++;
  }

  /** Whether HEAD is before `position` (u32 positions, less than 2^31 apart). */
  #before(position: number): boolean {
    return ((position - this.head) | 0) > 0;
  }

  /**
   * What `skipAbandoned` and a stalled drain do: while HEAD is before the
   * horizon of a dead producer, consume PADs (wrap PADs, abandoned commits)
   * and that producer's uncommitted reservations. How many reservations.
   */
  skipDead(): number {
    let skipped = 0;
    const beforeAny = () => [...this.horizons.values()].some((h) => this.#before(h));
    for (;;) {
      const front = this.queue[0];
      if (front === undefined || !beforeAny()) break;
      if (front.pad > 0) {
        this.head = (this.head + front.pad) >>> 0;
        front.pad = 0;
        continue;
      }
      const horizon = this.horizons.get(idOf(front.producer));
      const abandoned = front.committed === undefined && horizon !== undefined &&
        this.#before(horizon);
      if (front.committed !== 0 && !abandoned) break;
      if (abandoned) skipped++;
      this.head = (this.head + front.size) >>> 0;
      this.queue.shift();
    }
    this.abandoned += skipped;
    return skipped;
  }

  /** What a drain of at most `max` records hands out, in order. */
  drain(max: number): Entry[] {
    const out: Entry[] = [];
    if (max === 0) return out;
    for (;;) {
      // The consumer skips committed PADs and abandoned reservations at HEAD.
      for (;;) {
        const front = this.queue[0];
        if (front === undefined) break;
        if (front.pad > 0) {
          this.head = (this.head + front.pad) >>> 0;
          front.pad = 0;
        }
        if (front.committed !== 0) break;
        this.head = (this.head + front.size) >>> 0;
        this.queue.shift();
      }
      // Stalled at a reservation: skip what dead producers left there, then look again.
      if (this.queue[0]?.committed === undefined && this.skipDead() > 0) continue;
      const front = this.queue[0];
      if (front === undefined || front.committed === undefined) break;
      this.head = (this.head + front.size) >>> 0;
      this.queue.shift();
      out.push(front);
      if (out.length === max) break;
    }
    return out;
  }
}

function run(start: number, commands: readonly Command[]): void {
  const memory = createCoreMemory({ shared: canShare, maximumPages: 64 });
  const consumer = SharedRing.create(new WasmCore({ memory }), CAPACITY);
  const attach = (producer: number) =>
    SharedRing.attach(new WasmCore({ memory }), consumer.address, idOf(producer));
  const producers = Array.from({ length: PRODUCERS }, (_, producer) => attach(producer));
  const words = new Uint32Array(memory.buffer);
  const data = words[(consumer.address + XRING_DATA) >>> 2];
  // An empty ring reads zero everywhere: any equal HEAD and TAIL make a valid empty ring.
  words[(consumer.address + XRING_HEAD) >>> 2] = start;
  words[(consumer.address + XRING_TAIL) >>> 2] = start;
  const model = new Model(start, data);
  const bytes = () => new Uint8Array(memory.buffer);
  const lastSeq: number[] = Array(PRODUCERS).fill(-1);

  const drain = (max: number) => {
    const expected = model.drain(max);
    const got: [number, number, Uint8Array][] = [];
    consumer.drain((view, at, length) => {
      got.push([at, length, view.slice(at, at + length)]);
    }, max);
    assert.equal(got.length, expected.length, "records drained");
    for (const [i, entry] of expected.entries()) {
      const [at, length, payloadBytes] = got[i];
      assert.equal(at, entry.address, "record address");
      assert.equal(length, entry.committed, "record length");
      assert.deepEqual(payloadBytes, payload(entry.producer, entry.seq, entry.committed!));
      assert.ok(entry.seq > lastSeq[entry.producer], "per-producer order");
      lastSeq[entry.producer] = entry.seq;
    }
  };

  const check = () => {
    const stats = consumer.stats();
    assert.equal(stats.used, (model.tail - model.head) >>> 0, "used");
    assert.equal(stats.records, model.records, "records");
    assert.equal(stats.full, model.full, "full");
    assert.equal(stats.wakes, 0, "wakes: nobody waited");
    assert.equal(consumer.abandoned, model.abandoned, "abandoned");
  };

  /** The consumer learns that `producer` is dead; an heir takes its id. */
  const bury = (producer: number) => {
    model.horizons.set(idOf(producer), model.tail);
    const skipped = model.skipDead();
    assert.equal(consumer.skipAbandoned(idOf(producer)), skipped, "skipAbandoned");
    model.dead[producer] = false;
    producers[producer] = attach(producer);
  };

  const commit = (producer: number, length: number) => {
    const entry = model.pending[producer]!;
    if (!entry.copied) {
      bytes().set(payload(producer, entry.seq, entry.reserved), entry.address);
      entry.copied = true;
    }
    assert.equal(producers[producer].commit(entry.address, length), false);
    model.commit(entry, length);
    model.pending[producer] = undefined;
  };

  for (const command of commands) {
    if (command.kind !== "drain" && command.kind !== "skip" && model.dead[command.producer]) {
      continue; // a dead producer does nothing
    }
    switch (command.kind) {
      case "reserve":
      case "write": {
        const { producer, length } = command;
        if (model.pending[producer] !== undefined) break;
        const entry = model.reserve(producer, length);
        if (command.kind === "write") {
          const bytesIn = payload(producer, model.nextSeq[producer] - (entry ? 1 : 0), length);
          assert.equal(producers[producer].write(bytesIn), entry !== undefined, "write");
          if (entry !== undefined) model.commit(entry, length);
          break;
        }
        const at = producers[producer].reserve(length);
        assert.equal(at, entry?.address ?? 0, "reserve");
        model.pending[producer] = entry;
        break;
      }
      case "copy": {
        const entry = model.pending[command.producer];
        if (entry === undefined || entry.copied) break;
        bytes().set(payload(command.producer, entry.seq, entry.reserved), entry.address);
        entry.copied = true;
        break;
      }
      case "commit": {
        const entry = model.pending[command.producer];
        if (entry === undefined) break;
        const length = command.abandon
          ? 0
          : command.shorter === 0
          ? entry.reserved
          : 1 + command.shorter % entry.reserved;
        commit(command.producer, length);
        break;
      }
      case "drain":
        drain(command.max);
        break;
      case "die":
        // Its reservation, if any, stays uncommitted for good.
        model.dead[command.producer] = true;
        model.pending[command.producer] = undefined;
        break;
      case "skip":
        if (model.dead[command.producer]) bury(command.producer);
        break;
    }
    check();
  }
  // Every live reservation commits, the consumer learns of every death; then everything
  // comes out, and the data area is zero again.
  for (let producer = 0; producer < PRODUCERS; producer++) {
    const entry = model.pending[producer];
    if (entry !== undefined) commit(producer, entry.reserved);
  }
  for (let producer = 0; producer < PRODUCERS; producer++) {
    if (model.dead[producer]) bury(producer);
  }
  drain(Infinity);
  check();
  assert.equal(model.queue.length, 0);
  assert.equal(consumer.stats().used, 0);
  assert.ok(new Uint8Array(memory.buffer, data, CAPACITY).every((b) => b === 0), "zeroed");
}

test(
  "SharedRing follows the model: 3 producers, split reserve/copy/commit, deaths, drains (500 runs)",
  { timeout: 120_000 },
  () => {
    fc.assert(
      fc.property(
        // Start anywhere, often a little before the positions wrap at 2^32.
        fc.oneof(
          fc.integer({ min: 0, max: 2 ** 32 - 1 }),
          fc.integer({ min: 2 ** 32 - 3 * CAPACITY, max: 2 ** 32 - 1 }),
        ).map((n) => n - (n % 8)),
        fc.array(commandArb, { minLength: 1, maxLength: 300, size: "max" }),
        (start, commands) => run(start, commands),
      ),
      { numRuns: 500 },
    );
  },
);

test("SharedRing model: a pinned interleaving (wrap PAD ahead of a record still being written)", () => {
  run(2 ** 32 - 1024, [
    { kind: "write", producer: 0, length: 900 },
    { kind: "drain", max: Infinity },
    { kind: "reserve", producer: 1, length: 500 }, // wraps: PAD of 120 bytes, record at 0
    { kind: "write", producer: 2, length: 10 },
    { kind: "drain", max: Infinity }, // skips the PAD, then stops at producer 1's record
    { kind: "copy", producer: 1 },
    { kind: "drain", max: Infinity }, // copied is not committed
    { kind: "commit", producer: 1, shorter: 0, abandon: false },
    { kind: "drain", max: 1 },
    { kind: "drain", max: 1 },
  ]);
});

test("SharedRing model: a pinned interleaving (a death behind a live reservation, an heir)", () => {
  run(2 ** 32 - 1024, [
    { kind: "write", producer: 0, length: 900 },
    { kind: "drain", max: Infinity },
    { kind: "reserve", producer: 1, length: 30 }, // live, slow to commit
    { kind: "reserve", producer: 2, length: 500 }, // wraps: PAD, record at 0
    { kind: "die", producer: 2 },
    { kind: "write", producer: 0, length: 10 },
    { kind: "skip", producer: 2 }, // skips nothing: producer 1's reservation is at HEAD
    { kind: "reserve", producer: 2, length: 20 }, // the heir, under the same id
    { kind: "write", producer: 0, length: 11 },
    { kind: "drain", max: Infinity },
    { kind: "commit", producer: 1, shorter: 0, abandon: false },
    { kind: "drain", max: Infinity }, // producer 1's, the dead one skipped, 10, then the heir's
    { kind: "copy", producer: 2 },
    { kind: "commit", producer: 2, shorter: 0, abandon: false },
    { kind: "drain", max: 1 },
    { kind: "drain", max: Infinity },
  ]);
});
