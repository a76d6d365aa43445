/**
 * The shared record of one running pipeline (internal): its settings, its
 * counters, its rate limiter and its drain. Every stage of the pipeline
 * holds it (they run on one thread, as the table directory's records are
 * shared), and the pipeline directory lists it.
 *
 * `inFlight` is what producers handed out minus what was acked (as
 * successful or failed) minus what was lost with a crashed stage; a drain
 * is over when it reaches 0.
 *
 * @module
 */

import type { Pid } from "../pid.ts";
import type { System } from "../system.ts";
import type { PreparedEvent } from "../telemetry/types.ts";
import { formatReason } from "../exit_reason.ts";
import { stackOf } from "../_inspect.ts";
import {
  PIPELINE_ACK,
  PIPELINE_BATCH,
  PIPELINE_MESSAGE_EXCEPTION,
  type PipelineAckMeasurements,
  type PipelineAckMetadata,
  type PipelineBatchMeasurements,
  type PipelineBatchMetadata,
} from "../telemetry/catalog/pipeline_events.ts";
import type { PipelineConfig } from "./_config.ts";
import type { AckSink } from "./_ack.ts";
import type { PipelineRecord } from "./_pipeline_directory.ts";
import type { PipelineInfo } from "./pipeline_info.ts";
import type { BatchTrigger } from "./batch_info.ts";
import { RateLimiter } from "./_rate_limiter.ts";
import { Fifo } from "../_fifo.ts";
import type { PipelineMessage } from "./message.ts";

/** What one producer holds back for the rate limit (kept here so a restart can count it). */
export interface ProducerSlot {
  readonly held: Fifo<PipelineMessage>;
}

/** One running pipeline's shared record. */
export class PipelineRuntime implements PipelineRecord, AckSink {
  readonly name: string;
  readonly config: PipelineConfig;
  readonly system: System;
  readonly rateLimiter: RateLimiter | undefined;
  readonly batcherNames: readonly string[];
  /** `partitionBy`'s key of each message in flight (computed once, in the producer). */
  readonly partitionKeys = new WeakMap<PipelineMessage, string | number>();
  supervisor: Pid | undefined;
  state: "running" | "draining" | "stopped" = "running";
  successfulCount = 0;
  failedCount = 0;
  pulled = 0;
  lost = 0;
  batchesFlushed = 0;
  readonly #ackEvent: PreparedEvent<PipelineAckMeasurements, PipelineAckMetadata>;
  readonly #batchEvent: PreparedEvent<PipelineBatchMeasurements, PipelineBatchMetadata>;
  readonly #meta: PipelineAckMetadata;
  #drained: (() => void)[] = [];
  /** Messages waiting in the batchers' open batches. */
  #batched = 0;
  #onlyBatched: (() => void)[] = [];
  readonly #producerSlots: ProducerSlot[] = [];

  constructor(system: System, config: PipelineConfig) {
    this.system = system;
    this.config = config;
    this.name = config.name;
    this.batcherNames = config.batchers.map((b) => b.name);
    this.#meta = Object.freeze({ pipeline: config.name });
    this.#ackEvent = system.telemetry.prepare(PIPELINE_ACK);
    this.#batchEvent = system.telemetry.prepare(PIPELINE_BATCH);
    const limit = config.rateLimit;
    this.rateLimiter = limit === undefined
      ? undefined
      : new RateLimiter(limit.allowed, limit.interval, () => system.now());
  }

  /** Messages handed out by producers, not acked, not lost. */
  get inFlight(): number {
    return this.pulled - this.successfulCount - this.failedCount - this.lost;
  }

  /** Producers handed out `n` messages. */
  handedOut(n: number): void {
    this.pulled += n;
  }

  /** `n` messages went with a crashed stage (never acked). */
  lose(n: number): void {
    if (n <= 0) return;
    this.lost += n;
    this.#checkDrained();
  }

  /** A fresh slot for producer `index` (it just started). */
  producerSlot(index: number): ProducerSlot {
    const slot: ProducerSlot = { held: new Fifo() };
    this.#producerSlots[index] = slot;
    return slot;
  }

  /**
   * The consumer stages (processors, batchers, batch processors) start
   * again after a crash: whatever was in flight and is not in the producers
   * (`producersBuffered` in their buffers, plus what they hold back for the
   * rate limit) went with the crashed stages.
   */
  consumersRestarted(producersBuffered: number): void {
    let held = producersBuffered;
    for (const slot of this.#producerSlots) held += slot?.held.length ?? 0;
    this.#batched = 0;
    this.lose(this.inFlight - held);
  }

  /** The batchers' open batches gained (or, negative, handed out) `delta` messages. */
  batched(delta: number): void {
    this.#batched += delta;
    if (delta > 0) this.#checkOnlyBatched();
  }

  /** Resolves once every message in flight waits in a batcher's open batch (or none is in flight). */
  whenOnlyInBatches(): Promise<void> {
    if (this.inFlight <= this.#batched) return Promise.resolve();
    return new Promise((resolve) => this.#onlyBatched.push(resolve));
  }

  #checkOnlyBatched(): void {
    if (this.#onlyBatched.length === 0 || this.inFlight > this.#batched) return;
    const waiting = this.#onlyBatched;
    this.#onlyBatched = [];
    for (const resolve of waiting) resolve();
  }

  acked(successful: number, failed: number): void {
    this.successfulCount += successful;
    this.failedCount += failed;
    if (this.#ackEvent.active) this.#ackEvent.emit({ successful, failed }, this.#meta);
    this.#checkDrained();
  }

  ackFailed(error: unknown): void {
    this.reportFailure("ack", error);
  }

  /** A user callback (`ack`, `handleFailed`) failed: one report through the system's logger. */
  reportFailure(callback: string, error: unknown): void {
    this.system.report({
      kind: "callback",
      callback: `pipeline ${this.name} ${callback}`,
      reason: error,
      stack: stackOf(error),
    });
  }

  /** A handler threw or returned something wrong. */
  exception(processor: string, reason: unknown): void {
    this.system.telemetry.execute(PIPELINE_MESSAGE_EXCEPTION, { count: 1 }, {
      pipeline: this.name,
      processor,
      reason: formatReason(reason),
    });
  }

  /** A batcher handed out a batch. */
  batch(batcher: string, batchKey: unknown, size: number, trigger: BatchTrigger): void {
    this.batchesFlushed++;
    if (this.#batchEvent.active) {
      let key: string;
      try {
        key = String(batchKey);
      } catch {
        key = typeof batchKey;
      }
      this.#batchEvent.emit({ size }, { pipeline: this.name, batcher, batchKey: key, trigger });
    }
  }

  /** Resolves once nothing is in flight (at once if nothing is). */
  whenDrained(): Promise<void> {
    if (this.inFlight <= 0) return Promise.resolve();
    return new Promise((resolve) => this.#drained.push(resolve));
  }

  #checkDrained(): void {
    this.#checkOnlyBatched();
    if (this.#drained.length === 0 || this.inFlight > 0) return;
    const waiting = this.#drained;
    this.#drained = [];
    for (const resolve of waiting) resolve();
  }

  info(): PipelineInfo {
    const limit = this.config.rateLimit;
    return {
      name: this.name,
      supervisor: this.supervisor!,
      state: this.state,
      acked: this.successfulCount,
      failed: this.failedCount,
      inFlight: Math.max(0, this.inFlight),
      batchesFlushed: this.batchesFlushed,
      ...(limit === undefined ? {} : { rateLimit: { ...limit } }),
    };
  }
}
