/**
 * Unit tests of {@linkcode SharedRing} (src/core/shared_ring.ts) over the
 * AssemblyScript ring (core/xring.ts): round trips, wrap-around with a PAD,
 * a full ring, the record size limit, attaching from a second core, bad
 * arguments, release on a throwing callback, and waiting. Shared and
 * unshared memories alike; behaviour only, no timing assertions.
 *
 * @module
 */

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CoreError } from "../../src/core/errors.ts";
import { createCoreMemory } from "../../src/core/core_memory.ts";
import { ReferenceCore } from "../../src/core/reference_core.ts";
import { SharedRing } from "../../src/core/shared_ring.ts";
import { WasmCore } from "../../src/core/wasm_core.ts";
import {
  XRING_DATA,
  XRING_DEFAULT_CAPACITY,
  XRING_HEAD,
  XRING_HEADER_SIZE,
  XRING_MAGIC,
  XRING_PAD_FLAG,
  XRING_RECORD_HEADER,
  XRING_TAIL,
} from "../../src/core/_layout.ts";

const canShare = (() => {
  try {
    return createCoreMemory({ shared: true, maximumPages: 1 }).buffer instanceof
      SharedArrayBuffer;
  } catch {
    return false;
  }
})();

const MEMORIES: [string, boolean][] = canShare
  ? [["shared", true], ["unshared", false]]
  : [["unshared", false]];

/** A consumer ring and a producer attached to it through a second core in the same memory. */
function pair(
  shared: boolean,
  capacity = 4096,
): { consumer: SharedRing; producer: SharedRing; memory: WebAssembly.Memory } {
  const memory = createCoreMemory({ shared, maximumPages: 1024 });
  const consumer = SharedRing.create(new WasmCore({ memory }), capacity);
  const producer = SharedRing.attach(new WasmCore({ memory }), consumer.address);
  return { consumer, producer, memory };
}

function bytesOf(length: number, seed: number): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => (seed * 31 + i * 7) & 0xff);
}

/** Every record the consumer holds now, copied out. */
function drainAll(ring: SharedRing, max?: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  ring.drain((memory, start, length) => out.push(memory.slice(start, start + length)), max);
  return out;
}

function word(ring: SharedRing, memory: WebAssembly.Memory, offset: number): number {
  return new Uint32Array(memory.buffer)[(ring.address + offset) >>> 2];
}

for (const [name, shared] of MEMORIES) {
  describe(`SharedRing (${name} memory)`, () => {
    it("round-trips records of every size from 1 byte to maxRecord", () => {
      const { consumer, producer } = pair(shared);
      assert.equal(consumer.capacity, 4096);
      assert.equal(consumer.maxRecord, 2032);
      assert.equal(producer.maxRecord, 2032);
      for (const length of [1, 2, 7, 8, 9, 100, 1000, 2031, 2032]) {
        const bytes = bytesOf(length, length);
        assert.equal(producer.write(bytes), true, `write ${length}`);
        assert.deepEqual(drainAll(consumer), [bytes]);
      }
      assert.deepEqual(drainAll(consumer), []);
      const stats = consumer.stats();
      assert.equal(stats.records, 9);
      assert.equal(stats.used, 0);
      assert.equal(stats.full, 0);
    });

    it("writes a prefix when given a length, and keeps records in order", () => {
      const { consumer, producer } = pair(shared);
      const long = bytesOf(100, 1);
      assert.equal(producer.write(long, 3), true);
      assert.equal(producer.write(long, 40), true);
      assert.equal(producer.write(long), true);
      assert.deepEqual(drainAll(consumer), [long.slice(0, 3), long.slice(0, 40), long]);
    });

    it("wraps around with a PAD and reads zeroes wherever nothing is committed", () => {
      const { consumer, producer, memory } = pair(shared);
      // 3 records of 1000 bytes (1016 each) leave 1048 bytes to the end: a 1500-byte record wraps.
      for (let i = 0; i < 3; i++) assert.equal(producer.write(bytesOf(1000, i)), true);
      assert.equal(drainAll(consumer).length, 3);
      assert.equal(producer.write(bytesOf(1500, 9)), true);
      // PAD (1048 bytes) + record (1520 bytes) reserved in one step.
      assert.equal(consumer.stats().used, 1048 + 1520);
      assert.deepEqual(drainAll(consumer), [bytesOf(1500, 9)]);
      assert.equal(consumer.stats().used, 0);
      // Many more rounds over the wrap, each checked byte for byte.
      for (let round = 0; round < 200; round++) {
        // Two records that always fit an empty ring, PADs included.
        const records = [1 + (round * 37) % 1500, 1 + (round * 101) % 500];
        for (const [i, length] of records.entries()) {
          assert.equal(producer.write(bytesOf(length, round + i)), true);
        }
        assert.deepEqual(
          drainAll(consumer),
          records.map((length, i) => bytesOf(length, round + i)),
        );
      }
      const data = word(consumer, memory, XRING_DATA);
      assert.ok(new Uint8Array(memory.buffer, data, 4096).every((byte) => byte === 0));
    });

    it("refuses a record when full, counts it, and accepts it once there is room", () => {
      const { consumer, producer } = pair(shared);
      const record = bytesOf(1000, 3);
      let written = 0;
      while (producer.write(record)) written++;
      assert.equal(written, 4);
      assert.equal(producer.write(record), false);
      assert.equal(producer.write(Uint8Array.of(1)), true, "a small record still fits");
      assert.equal(producer.write(bytesOf(57, 1)), false);
      assert.deepEqual(consumer.stats(), {
        records: 5,
        full: 3,
        wakes: 0,
        used: 4 * 1016 + 24,
      });
      assert.equal(drainAll(consumer, 1).length, 1);
      assert.equal(producer.write(record), true);
      assert.deepEqual(drainAll(consumer), [record, record, record, Uint8Array.of(1), record]);
    });

    it("always takes a maxRecord record into an empty ring, wherever its head is", () => {
      for (let offset = 8; offset <= 4096; offset += 8) {
        const { consumer, producer } = pair(shared);
        // Move the head to `offset` with records of 1024 bytes (1040) and one of the rest - 16
        // (at offsets 8 and 16 there is no room for it: the head stays at 0).
        for (let rest = offset; rest >= 24 && rest < 4096;) {
          const size = rest > producer.maxRecord + 16 ? 1040 : rest;
          assert.equal(producer.write(new Uint8Array(size - 16)), true);
          assert.equal(drainAll(consumer).length, 1);
          rest -= size;
        }
        const big = bytesOf(producer.maxRecord, offset);
        assert.equal(producer.write(big), true, `head at ${offset}`);
        assert.deepEqual(drainAll(consumer), [big]);
      }
    });

    it("drains at most max records, in order", () => {
      const { consumer, producer } = pair(shared);
      for (let i = 0; i < 10; i++) producer.write(Uint8Array.of(i));
      assert.deepEqual(drainAll(consumer, 0), []);
      assert.deepEqual(drainAll(consumer, 3).map((b) => b[0]), [0, 1, 2]);
      assert.deepEqual(drainAll(consumer, 1).map((b) => b[0]), [3]);
      assert.deepEqual(drainAll(consumer).map((b) => b[0]), [4, 5, 6, 7, 8, 9]);
    });

    it("releases the record when the callback throws, then rethrows", () => {
      const { consumer, producer } = pair(shared);
      for (let i = 0; i < 3; i++) producer.write(Uint8Array.of(i));
      const boom = new Error("boom");
      let calls = 0;
      assert.throws(
        () =>
          consumer.drain(() => {
            calls++;
            throw boom;
          }),
        (error) => error === boom,
      );
      assert.equal(calls, 1);
      assert.deepEqual(drainAll(consumer).map((b) => b[0]), [1, 2]);
      assert.equal(consumer.stats().used, 0);
    });

    it("refuses a drain from inside its own callback", () => {
      const { consumer, producer } = pair(shared);
      producer.write(Uint8Array.of(1));
      producer.write(Uint8Array.of(2));
      assert.throws(() => consumer.drain(() => consumer.drain(() => {})), /own callbacks/);
      assert.deepEqual(drainAll(consumer).map((b) => b[0]), [2]);
    });

    it("lets the consumer's own core write too, and several producers interleave", () => {
      const memory = createCoreMemory({ shared, maximumPages: 1024 });
      const consumer = SharedRing.create(new WasmCore({ memory }), 8192);
      const producers = [
        consumer,
        SharedRing.attach(new WasmCore({ memory }), consumer.address),
        SharedRing.attach(new WasmCore({ memory }), consumer.address),
      ];
      const expected: number[][] = [];
      for (let i = 0; i < 30; i++) {
        const p = i % 3;
        assert.equal(producers[p].write(Uint8Array.of(p, i)), true);
        expected.push([p, i]);
      }
      assert.deepEqual(drainAll(consumer).map((b) => [...b]), expected);
    });

    it("holds back later records while an earlier reservation is not committed", () => {
      const { consumer, producer, memory } = pair(shared);
      const first = producer.reserve(4);
      assert.ok(first > 0);
      assert.equal(producer.write(Uint8Array.of(9)), true);
      assert.deepEqual(drainAll(consumer), [], "the first reservation is not committed yet");
      new Uint8Array(memory.buffer).set([1, 2, 3, 4], first);
      assert.equal(producer.commit(first, 2), false, "committed shorter than reserved");
      assert.deepEqual(drainAll(consumer).map((b) => [...b]), [[1, 2], [9]]);
    });

    it("skips an abandoned reservation", () => {
      const { consumer, producer, memory } = pair(shared);
      const at = producer.reserve(100);
      new Uint8Array(memory.buffer).fill(0xee, at, at + 100);
      assert.equal(producer.write(Uint8Array.of(5)), true);
      producer.commit(at, 0);
      assert.deepEqual(drainAll(consumer).map((b) => [...b]), [[5]]);
      assert.equal(consumer.stats().used, 0);
      // Its bytes were zeroed: records written over them read back intact.
      for (let round = 0; round < 5; round++) {
        for (let i = 0; i < 10; i++) assert.equal(producer.write(bytesOf(100, round + i)), true);
        assert.deepEqual(
          drainAll(consumer),
          Array.from({ length: 10 }, (_, i) => bytesOf(100, round + i)),
        );
      }
    });

    it("stores the reserved length and the producer's id in the record header", () => {
      const memory = createCoreMemory({ shared, maximumPages: 1024 });
      const consumer = SharedRing.create(new WasmCore({ memory }), 4096);
      const producer = SharedRing.attach(new WasmCore({ memory }), consumer.address, 7);
      assert.equal(consumer.producer, 1);
      assert.equal(producer.producer, 7);
      const at = producer.reserve(100);
      const words = new Uint32Array(memory.buffer);
      const header = (at - XRING_RECORD_HEADER) >>> 2;
      assert.deepEqual([...words.subarray(header, header + 4)], [0, 100, 7, 0]);
      producer.commit(at, 100);
      assert.deepEqual([...words.subarray(header, header + 4)], [100, 100, 7, 0]);
    });

    it("skips a dead producer's uncommitted reservation, and nobody else's", () => {
      const memory = createCoreMemory({ shared, maximumPages: 1024 });
      const consumer = SharedRing.create(new WasmCore({ memory }), 4096);
      const doomed = SharedRing.attach(new WasmCore({ memory }), consumer.address, 2);
      const live = SharedRing.attach(new WasmCore({ memory }), consumer.address, 3);
      const at = doomed.reserve(100);
      new Uint8Array(memory.buffer).fill(0xee, at, at + 50); // half written, then its thread dies
      assert.equal(live.write(Uint8Array.of(1)), true);
      assert.equal(live.write(Uint8Array.of(2)), true);
      assert.deepEqual(drainAll(consumer), [], "stuck behind the reservation");
      assert.equal(consumer.skipAbandoned(3), 0, "another producer's id skips nothing");
      assert.equal(consumer.skipAbandoned(1), 0);
      assert.deepEqual(drainAll(consumer), []);
      assert.equal(consumer.abandoned, 0);
      assert.equal(consumer.skipAbandoned(2), 1);
      assert.equal(consumer.abandoned, 1);
      assert.equal(consumer.skipAbandoned(2), 0, "nothing more of it");
      assert.deepEqual(drainAll(consumer).map((b) => [...b]), [[1], [2]]);
      assert.equal(consumer.stats().used, 0);
      assert.equal(consumer.stats().records, 2);
      // Its bytes were zeroed: later records flow and read back intact.
      for (let round = 0; round < 5; round++) {
        for (let i = 0; i < 10; i++) assert.equal(live.write(bytesOf(100, round + i)), true);
        assert.deepEqual(
          drainAll(consumer),
          Array.from({ length: 10 }, (_, i) => bytesOf(100, round + i)),
        );
      }
      const data = word(consumer, memory, XRING_DATA);
      assert.ok(new Uint8Array(memory.buffer, data, 4096).every((byte) => byte === 0));
    });

    it("never skips a live producer's reservation, however long it takes to commit", () => {
      const memory = createCoreMemory({ shared, maximumPages: 1024 });
      const consumer = SharedRing.create(new WasmCore({ memory }), 4096);
      const [slow, doomed, other] = [2, 3, 4].map((id) =>
        SharedRing.attach(new WasmCore({ memory }), consumer.address, id)
      );
      const slowAt = slow.reserve(3); // a live producer, preempted before its commit
      doomed.reserve(10); // reserved behind it, then its thread dies
      assert.equal(other.write(Uint8Array.of(7)), true);
      assert.equal(other.write(Uint8Array.of(8)), true);
      assert.equal(consumer.skipAbandoned(3), 0, "the live reservation at HEAD stays");
      assert.deepEqual(drainAll(consumer), []);
      assert.equal(consumer.skipAbandoned(3), 0);
      new Uint8Array(memory.buffer).set([4, 5, 6], slowAt);
      slow.commit(slowAt, 3);
      // The drain reaches the dead reservation and skips it: the consumer remembers it.
      assert.deepEqual(drainAll(consumer).map((b) => [...b]), [[4, 5, 6], [7], [8]]);
      assert.equal(consumer.abandoned, 1);
      assert.equal(consumer.stats().used, 0);
    });

    it("never skips the reservation of a new producer that took a dead one's id", () => {
      const memory = createCoreMemory({ shared, maximumPages: 1024 });
      const consumer = SharedRing.create(new WasmCore({ memory }), 4096);
      const other = SharedRing.attach(new WasmCore({ memory }), consumer.address, 3);
      const doomed = SharedRing.attach(new WasmCore({ memory }), consumer.address, 2);
      const slow = other.reserve(1);
      doomed.reserve(10);
      assert.equal(consumer.skipAbandoned(2), 0, "behind a live reservation");
      // The dead producer's replacement, under the same id, reserves behind it.
      const heir = SharedRing.attach(new WasmCore({ memory }), consumer.address, 2);
      const heirAt = heir.reserve(2);
      assert.equal(other.write(Uint8Array.of(9)), true);
      other.commit(slow, 1);
      assert.equal(drainAll(consumer).length, 1, "the live record, then the dead one is skipped");
      assert.equal(consumer.abandoned, 1);
      assert.deepEqual(drainAll(consumer), [], "the heir's reservation at HEAD stays");
      assert.equal(consumer.abandoned, 1);
      new Uint8Array(memory.buffer).set([5, 6], heirAt);
      heir.commit(heirAt, 2);
      assert.deepEqual(drainAll(consumer).map((b) => [...b]), [[5, 6], [9]]);
      assert.equal(consumer.abandoned, 1);
    });

    it("skips a dead producer's reservation that wrapped, PAD included", () => {
      const memory = createCoreMemory({ shared, maximumPages: 1024 });
      const consumer = SharedRing.create(new WasmCore({ memory }), 4096);
      const doomed = SharedRing.attach(new WasmCore({ memory }), consumer.address, 2);
      const live = SharedRing.attach(new WasmCore({ memory }), consumer.address, 3);
      for (let i = 0; i < 2; i++) assert.equal(live.write(bytesOf(1500, i)), true);
      assert.equal(drainAll(consumer).length, 2);
      const data = word(consumer, memory, XRING_DATA);
      // 2 × 1520 bytes leave 1056 to the end: a PAD, and the record at offset 0.
      assert.equal(doomed.reserve(1500), data + XRING_RECORD_HEADER);
      assert.equal(live.write(Uint8Array.of(5)), true);
      assert.equal(consumer.stats().used, 1056 + 1520 + 24);
      assert.deepEqual(drainAll(consumer), []);
      assert.equal(consumer.stats().used, 1520 + 24, "the PAD was consumed");
      assert.equal(consumer.skipAbandoned(2), 1);
      assert.deepEqual(drainAll(consumer).map((b) => [...b]), [[5]]);
      assert.ok(new Uint8Array(memory.buffer, data, 4096).every((byte) => byte === 0));
    });

    it("waits at a reservation whose header reads zero: its size is unknown", () => {
      const { consumer, producer, memory } = pair(shared);
      const words = new Uint32Array(memory.buffer);
      const tail = (consumer.address + XRING_TAIL) >>> 2;
      const data = word(consumer, memory, XRING_DATA);
      // A producer stopped between its compare-and-swap and its header's stores (cannot
      // happen in V8 or JavaScriptCore, which stop threads at calls and loop back-edges only).
      words[tail] += 24;
      assert.equal(producer.write(Uint8Array.of(1)), true);
      assert.equal(consumer.skipAbandoned(1), 0);
      assert.equal(consumer.skipAbandoned(2), 0);
      assert.deepEqual(drainAll(consumer), []);
      assert.equal(consumer.stats().used, 48);
      // Once its header is there (reserved 8 bytes, producer 2), it can be skipped.
      words[(data + 4) >>> 2] = 8;
      words[(data + 8) >>> 2] = 2;
      assert.equal(consumer.skipAbandoned(2), 1);
      assert.deepEqual(drainAll(consumer).map((b) => [...b]), [[1]]);
    });

    it("wait resolves at once when a record is there, and when a producer commits", async () => {
      const { consumer, producer } = pair(shared);
      producer.write(Uint8Array.of(1));
      await consumer.wait(60_000);
      assert.equal(drainAll(consumer).length, 1);
      const waiting = consumer.wait(60_000);
      producer.write(Uint8Array.of(2));
      await waiting;
      assert.equal(consumer.stats().wakes, 1);
      assert.deepEqual(drainAll(consumer).map((b) => b[0]), [2]);
      // A commit while nobody sleeps wakes nobody.
      producer.write(Uint8Array.of(3));
      assert.equal(consumer.stats().wakes, 1);
    });

    it("wait resolves after its timeout when nothing comes", async () => {
      const { consumer } = pair(shared);
      await consumer.wait(1);
      await consumer.wait(0);
      assert.equal(consumer.stats().wakes, 0);
    });
  });
}

describe("SharedRing: arguments and errors", () => {
  it("makes a 1 MiB ring by default", () => {
    const ring = SharedRing.create(new WasmCore());
    assert.equal(ring.capacity, XRING_DEFAULT_CAPACITY);
    assert.equal(ring.maxRecord, XRING_DEFAULT_CAPACITY / 2 - 16);
  });

  it("refuses a bad capacity with a RangeError", () => {
    const core = new WasmCore();
    for (const capacity of [0, 1, 2048, 4095, 4097, 6144, 2 ** 29, 1.5, NaN, -4096, "4096"]) {
      assert.throws(
        () => SharedRing.create(core, capacity as number),
        RangeError,
        String(capacity),
      );
    }
  });

  it("refuses a bad producer id with a RangeError", () => {
    const memory = createCoreMemory({ shared: false, maximumPages: 64 });
    const core = new WasmCore({ memory });
    const ring = SharedRing.create(core, 4096, 2 ** 32 - 1);
    assert.equal(ring.producer, 2 ** 32 - 1);
    assert.equal(ring.write(Uint8Array.of(1)), true);
    for (const producer of [0, -1, 1.5, 2 ** 32, NaN, "2"]) {
      const id = producer as number;
      assert.throws(() => SharedRing.create(core, 4096, id), RangeError, String(producer));
      assert.throws(() => SharedRing.attach(core, ring.address, id), RangeError);
      assert.throws(() => ring.skipAbandoned(id), RangeError);
    }
    assert.deepEqual(drainAll(ring).map((b) => [...b]), [[1]]);
  });

  it("refuses a reference core with a TypeError", () => {
    assert.throws(() => SharedRing.create(new ReferenceCore(), 4096), TypeError);
    assert.throws(() => SharedRing.attach(new ReferenceCore(), 4096), TypeError);
  });

  it("reports a memory without room as a CoreError", () => {
    const memory = createCoreMemory({ shared: false, maximumPages: 4 });
    const core = new WasmCore({ memory });
    assert.throws(
      () => SharedRing.create(core, 1 << 20),
      (error) => error instanceof CoreError && error.codeName === "OutOfMemory",
    );
    assert.equal(SharedRing.create(core, 4096).capacity, 4096, "the core still works");
  });

  it("refuses to attach where there is no ring", () => {
    const memory = createCoreMemory({ shared: false, maximumPages: 64 });
    const core = new WasmCore({ memory });
    const ring = SharedRing.create(core, 4096);
    for (const address of [0, -16, 8, ring.address + 16, 1.5, 2 ** 40, NaN, "16"]) {
      assert.throws(
        () => SharedRing.attach(core, address as number),
        TypeError,
        String(address),
      );
    }
    // A damaged header (a stray write over its capacity) is refused too.
    const words = new Uint32Array(memory.buffer);
    words[(ring.address + 4) >>> 2] = 3000;
    assert.throws(() => SharedRing.attach(core, ring.address), /damaged/);
    words[(ring.address + 4) >>> 2] = 4096;
    assert.equal(SharedRing.attach(core, ring.address).capacity, 4096);
    assert.equal(words[(ring.address + XRING_MAGIC) >>> 2] !== 0, true);
    assert.ok(XRING_HEADER_SIZE <= 4096);
  });

  it("refuses bad records, drain and wait arguments", () => {
    const memory = createCoreMemory({ shared: false, maximumPages: 64 });
    const ring = SharedRing.create(new WasmCore({ memory }), 4096);
    assert.throws(() => ring.write(new Uint8Array(0)), RangeError);
    assert.throws(() => ring.write(new Uint8Array(2033)), RangeError);
    assert.throws(() => ring.write(new Uint8Array(10), 11), RangeError);
    assert.throws(() => ring.write(new Uint8Array(10), 0), RangeError);
    assert.throws(() => ring.write(new Uint8Array(10), 2.5), RangeError);
    assert.throws(() => ring.write([1, 2] as unknown as Uint8Array), TypeError);
    assert.throws(() => ring.write(undefined as unknown as Uint8Array), TypeError);
    assert.throws(() => ring.drain(undefined as unknown as () => void), TypeError);
    assert.throws(() => ring.drain(() => {}, -1), RangeError);
    assert.throws(() => ring.drain(() => {}, 1.5), RangeError);
    assert.throws(() => ring.wait(-1), RangeError);
    assert.throws(() => ring.wait(NaN), RangeError);
    assert.deepEqual(ring.stats(), { records: 0, full: 0, wakes: 0, used: 0 });
  });

  it("follows the memory when it grows (unshared: its buffer is replaced)", () => {
    const memory = createCoreMemory({ shared: false, maximumPages: 1024 });
    const core = new WasmCore({ memory });
    const consumer = SharedRing.create(core, 4096);
    const producer = SharedRing.attach(new WasmCore({ memory }), consumer.address);
    const before = memory.buffer;
    producer.write(Uint8Array.of(1));
    SharedRing.create(core, 1 << 22); // grows the memory
    assert.notEqual(memory.buffer, before);
    producer.write(Uint8Array.of(2));
    assert.deepEqual(drainAll(consumer).map((b) => b[0]), [1, 2]);
    // A callback that grows the memory: the next record is read from the new buffer.
    producer.write(Uint8Array.of(3));
    producer.write(Uint8Array.of(4));
    const seen: number[] = [];
    consumer.drain((bytes, start) => {
      seen.push(bytes[start]);
      if (seen.length === 1) SharedRing.create(core, 1 << 23);
    });
    assert.deepEqual(seen, [3, 4]);
    assert.equal(word(consumer, memory, XRING_HEAD), word(consumer, memory, XRING_TAIL));
    assert.ok(XRING_PAD_FLAG > 0);
  });
});
