/**
 * The codec of messages between schedulers: encode + decode cost per
 * message for a small number, a short string, a small object with a pid
 * (`{ op: "add", n: 1, from: pid }`), and ~1 KB values (an array of records,
 * a string), against `structuredClone` of the same value in the same run
 * (the baseline: what `postMessage` would pay, without the thread hop). Each
 * value is measured one message per batch (reset, write, read) and in
 * batches of 64 (as a scheduler fills its ring), with encode and decode
 * apart.
 *
 * Run: `deno run bench/codec_bench.ts`, `bun bench/codec_bench.ts`,
 * `node npm/bench/codec_bench.js` (after `npm run build:npm`).
 *
 * @module
 */

import { Reader, Writer } from "../src/schedulers/_codec.ts";
import { Pid } from "../src/pid.ts";
import { type BenchCase, type BenchResult, measure, table } from "./_harness.ts";

const BATCH = 64;

const pid = new Pid(1234, "n1a2b3", 2);

const records = Array.from({ length: 12 }, (_, i) => ({
  id: 1000 + i,
  name: `user-${i}`,
  score: i * 1.25,
  active: i % 2 === 0,
  tags: ["alpha", "beta"],
}));

const workloads: { title: string; value: unknown }[] = [
  { title: "small number (42)", value: 42 },
  { title: 'short string ("hello world")', value: "hello world" },
  { title: 'small object ({ op: "add", n: 1, from: pid })', value: { op: "add", n: 1, from: pid } },
  { title: "~1 KB object (12 records)", value: records },
  { title: "~1 KB string", value: "lorem ipsum dolor sit amet ".repeat(38) },
];

/** structuredClone of the value, once per message. */
function cloneCase(value: unknown): BenchCase {
  return {
    name: "structuredClone",
    run(ops) {
      let sum = 0;
      for (let i = 0; i < ops; i++) if (structuredClone(value) !== undefined) sum++;
      return sum;
    },
  };
}

/** One message per batch: reset, write it, read it back. */
function codecCase(value: unknown): BenchCase {
  const writer = new Writer();
  const reader = new Reader();
  return {
    name: "codec, 1 per batch",
    run(ops) {
      let sum = 0;
      for (let i = 0; i < ops; i++) {
        writer.reset();
        writer.value(value);
        reader.reset(writer.bytes, 0, writer.length);
        if (reader.value() !== undefined) sum += writer.length;
      }
      return sum;
    },
  };
}

/** Batches of 64: write 64 messages, then read the 64 back. */
function batchCase(value: unknown): BenchCase {
  const writer = new Writer();
  const reader = new Reader();
  return {
    name: `codec, ${BATCH} per batch`,
    run(ops) {
      let sum = 0;
      for (let done = 0; done < ops; done += BATCH) {
        writer.reset();
        for (let i = 0; i < BATCH; i++) writer.value(value);
        reader.reset(writer.bytes, 0, writer.length);
        while (!reader.done) if (reader.value() !== undefined) sum++;
      }
      return sum;
    },
  };
}

/** Encode only, in batches of 64. */
function encodeCase(value: unknown): BenchCase {
  const writer = new Writer();
  return {
    name: `encode only, ${BATCH} per batch`,
    run(ops) {
      let sum = 0;
      for (let done = 0; done < ops; done += BATCH) {
        writer.reset();
        for (let i = 0; i < BATCH; i++) writer.value(value);
        sum += writer.length;
      }
      return sum;
    },
  };
}

/** Decode only: the same batch of 64 read again and again. */
function decodeCase(value: unknown): BenchCase {
  const writer = new Writer();
  for (let i = 0; i < BATCH; i++) writer.value(value);
  const reader = new Reader();
  return {
    name: `decode only, ${BATCH} per batch`,
    run(ops) {
      let sum = 0;
      for (let done = 0; done < ops; done += BATCH) {
        reader.reset(writer.bytes, 0, writer.length);
        while (!reader.done) if (reader.value() !== undefined) sum++;
      }
      return sum;
    },
  };
}

function nanoseconds(results: BenchResult[]): string {
  return results
    .map((r) => `${r.name}: ${(1e9 / r.medianOpsPerSecond).toFixed(0)} ns/message`)
    .join(" · ");
}

for (const { title, value } of workloads) {
  const size = new Writer();
  size.value(value);
  const results = measure([
    cloneCase(value),
    codecCase(value),
    batchCase(value),
    encodeCase(value),
    decodeCase(value),
  ]);
  console.log(
    table(`Codec: ${title}, ${size.length} bytes (messages)`, results, "structuredClone"),
  );
  console.log("");
  console.log(nanoseconds(results));
  console.log("");
}
