/**
 * `Pipeline.start`'s options, read once, checked and defaulted (internal).
 * Every bad value is a `TypeError` or `RangeError` naming the option; a
 * getter that throws is a `TypeError` too.
 *
 * @module
 */

import { MAX_TIMEOUT_MS } from "../options.ts";
import { checkOptionsObject, readOptions } from "../_options.ts";
import { describeValue } from "../_inspect.ts";
import type { PipelineOptions } from "./options.ts";
import type { PartitionBy } from "./_partition.ts";
import { type AnyProducerCallbacks, producerCallbacksOf } from "./_producer_callbacks.ts";

/** A batcher's settings. */
export interface BatcherConfig {
  readonly name: string;
  readonly batchSize: number;
  readonly batchTimeout: number;
  readonly concurrency: number;
  readonly maxDemand: number;
  readonly minDemand: number | undefined;
}

/** A pipeline's settings. */
export interface PipelineConfig {
  readonly name: string;
  readonly producer: {
    readonly callbacks: AnyProducerCallbacks;
    readonly arg: unknown;
    readonly concurrency: number;
  };
  readonly processor: {
    readonly concurrency: number;
    readonly maxDemand: number;
    readonly minDemand: number | undefined;
  };
  readonly batchers: readonly BatcherConfig[];
  readonly partitionBy: PartitionBy | undefined;
  readonly rateLimit: { readonly allowed: number; readonly interval: number } | undefined;
  // deno-lint-ignore no-explicit-any
  readonly handleMessage: PipelineOptions<any, any>["handleMessage"];
  // deno-lint-ignore no-explicit-any
  readonly handleBatch: PipelineOptions<any, any>["handleBatch"];
  // deno-lint-ignore no-explicit-any
  readonly handleFailed: PipelineOptions<any, any>["handleFailed"];
  readonly shutdownTimeout: number;
}

const WHAT = "Pipeline.start";
const BATCHER_KEYS = new Set([
  "batchSize",
  "batchTimeout",
  "concurrency",
  "maxDemand",
  "minDemand",
]);

function positiveInteger(what: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number") {
    throw new TypeError(`${WHAT}: ${what} must be a positive integer, got ${describeValue(value)}`);
  }
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new RangeError(`${WHAT}: ${what} must be a positive integer, got ${value}`);
  }
  return value;
}

function minDemandOf(what: string, value: unknown, maxDemand: number): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number") {
    throw new TypeError(`${WHAT}: ${what} must be an integer, got ${describeValue(value)}`);
  }
  if (!Number.isSafeInteger(value) || value < 0 || value >= maxDemand) {
    throw new RangeError(
      `${WHAT}: ${what} must be an integer with 0 <= minDemand < maxDemand (${maxDemand}), got ${value}`,
    );
  }
  return value;
}

function delayOf(what: string, value: unknown, fallback: number, infinite: boolean): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number") {
    throw new TypeError(`${WHAT}: ${what} must be a number of ms, got ${describeValue(value)}`);
  }
  if (infinite && value === Infinity) return value;
  if (!(value > 0 && value <= MAX_TIMEOUT_MS)) {
    throw new RangeError(
      `${WHAT}: ${what} must be a number of ms in (0, ${MAX_TIMEOUT_MS}]${
        infinite ? " or Infinity" : ""
      }, got ${value}`,
    );
  }
  return value;
}

function functionOf<F>(what: string, value: unknown, required: boolean): F | undefined {
  if (value === undefined && !required) return undefined;
  if (typeof value !== "function") {
    throw new TypeError(`${WHAT}: ${what} must be a function, got ${describeValue(value)}`);
  }
  return value as F;
}

function objectOf(what: string, value: unknown): Record<string, unknown> {
  checkOptionsObject(`${WHAT}: ${what}`, value);
  return value as Record<string, unknown>;
}

function batcherOf(name: string, raw: unknown): BatcherConfig {
  const options = objectOf(`batchers.${name}`, raw);
  for (const key of Object.keys(options)) {
    if (!BATCHER_KEYS.has(key)) {
      throw new TypeError(`${WHAT}: batchers.${name} has an unknown option ${JSON.stringify(key)}`);
    }
  }
  const batchSize = positiveInteger(`batchers.${name}.batchSize`, options.batchSize, 100);
  const maxDemand = positiveInteger(`batchers.${name}.maxDemand`, options.maxDemand, batchSize);
  return {
    name,
    batchSize,
    batchTimeout: delayOf(`batchers.${name}.batchTimeout`, options.batchTimeout, 1000, false),
    concurrency: positiveInteger(`batchers.${name}.concurrency`, options.concurrency, 1),
    maxDemand,
    minDemand: minDemandOf(`batchers.${name}.minDemand`, options.minDemand, maxDemand),
  };
}

/** Reads and checks `options`. */
export function pipelineConfigOf(options: unknown): PipelineConfig {
  return readOptions(`${WHAT}: options`, () => read(options));
}

function read(raw: unknown): PipelineConfig {
  const options = objectOf("options", raw);
  const name = options.name;
  if (typeof name !== "string" || name.length === 0) {
    throw new TypeError(`${WHAT}: name must be a non-empty string, got ${describeValue(name)}`);
  }
  const producerOptions = objectOf("producer", options.producer);
  const stage = producerOptions.stage;
  const callbacks = producerCallbacksOf(stage);
  if (callbacks === undefined) {
    throw new TypeError(
      `${WHAT}: producer.stage must be a producer stage (MemoryProducer.stage(), defineStage({ type: "producer", ... })) or producer callbacks { type: "producer", init, handleDemand }, got ${
        describeValue(stage)
      }`,
    );
  }
  const producer = {
    callbacks,
    arg: producerOptions.arg,
    concurrency: positiveInteger("producer.concurrency", producerOptions.concurrency, 1),
  };
  const processors = objectOf("processors", options.processors);
  for (const key of Object.keys(processors)) {
    if (key !== "default") {
      throw new TypeError(
        `${WHAT}: processors has only a "default" key, got ${JSON.stringify(key)}`,
      );
    }
  }
  const processorOptions = objectOf("processors.default", processors.default);
  const maxDemand = positiveInteger(
    "processors.default.maxDemand",
    processorOptions.maxDemand,
    10,
  );
  const processor = {
    concurrency: positiveInteger(
      "processors.default.concurrency",
      processorOptions.concurrency,
      1,
    ),
    maxDemand,
    minDemand: minDemandOf("processors.default.minDemand", processorOptions.minDemand, maxDemand),
  };
  const batchers: BatcherConfig[] = [];
  if (options.batchers !== undefined) {
    const all = objectOf("batchers", options.batchers);
    for (const batcher of Object.keys(all)) batchers.push(batcherOf(batcher, all[batcher]));
    if (batchers.length === 0) {
      throw new RangeError(`${WHAT}: batchers must name at least one batcher when given`);
    }
  }
  let rateLimit: PipelineConfig["rateLimit"];
  if (options.rateLimit !== undefined) {
    const limit = objectOf("rateLimit", options.rateLimit);
    if (limit.allowed === undefined) {
      throw new TypeError(`${WHAT}: rateLimit.allowed is required`);
    }
    if (limit.interval === undefined) {
      throw new TypeError(`${WHAT}: rateLimit.interval is required`);
    }
    rateLimit = {
      allowed: positiveInteger("rateLimit.allowed", limit.allowed, 1),
      interval: delayOf("rateLimit.interval", limit.interval, 1000, false),
    };
  }
  const handleBatch = functionOf<PipelineConfig["handleBatch"]>(
    "handleBatch",
    options.handleBatch,
    batchers.length > 0,
  );
  return {
    name,
    producer,
    processor,
    batchers,
    partitionBy: functionOf<PartitionBy>("partitionBy", options.partitionBy, false),
    rateLimit,
    handleMessage: functionOf<PipelineConfig["handleMessage"]>(
      "handleMessage",
      options.handleMessage,
      true,
    )!,
    handleBatch,
    handleFailed: functionOf<PipelineConfig["handleFailed"]>(
      "handleFailed",
      options.handleFailed,
      false,
    ),
    shutdownTimeout: delayOf("shutdownTimeout", options.shutdownTimeout, 30_000, true),
  };
}
