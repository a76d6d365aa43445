/**
 * The demo's pipeline, `audit`: an in-memory source fed a few audit records
 * every 200 ms, two processors (records of one customer in order), and a
 * batcher that stores them 20 at a time (or every half second). One record
 * in 50 is refused by its processor and acked as failed. It shows up in the
 * dashboard's Pipelines view (state, acked and failed per second, each
 * stage's demand and buffer) and in `/metrics` (`beamlet_pipeline_*`,
 * `beamlet_stage_*`).
 *
 * @module
 */

import type { System } from "../../mod.ts";
import { failMessage, MemoryProducer, Pipeline, putBatcher } from "../../pipeline.ts";

/** The pipeline's name. */
export const AUDIT_PIPELINE = "audit";
/** How often the source gets new records, ms. */
const FEED_EVERY_MS = 200;
/** Records per feed. */
const RECORDS_PER_FEED = 10;

/** One audit record. */
export interface AuditRecord {
  readonly seq: number;
  readonly customer: string;
}

/** What {@linkcode startAuditPipeline} started. */
export interface AuditPipeline {
  /** The running pipeline. */
  readonly pipeline: Pipeline;
  /** Stops feeding and drains the pipeline (everything accepted is acked). */
  stop(): Promise<void>;
}

/**
 * Starts the `audit` pipeline and feeds it on the system's timers.
 *
 * @example
 * ```ts
 * import { System } from "../../mod.ts";
 * import { startAuditPipeline } from "./pipeline.ts";
 *
 * const system = new System();
 * const audit = await startAuditPipeline(system);
 * await audit.stop();
 * await system.shutdown();
 * ```
 */
export async function startAuditPipeline(system: System): Promise<AuditPipeline> {
  const source = new MemoryProducer<AuditRecord>();
  const pipeline = await Pipeline.start<AuditRecord>(system, {
    name: AUDIT_PIPELINE,
    producer: { stage: source.stage() },
    processors: { default: { concurrency: 2, maxDemand: 10 } },
    batchers: { store: { batchSize: 20, batchTimeout: 500 } },
    partitionBy: (message) => message.data.customer,
    handleMessage: (_processor, message) =>
      message.data.seq % 50 === 0
        ? failMessage(message, "rejected by policy")
        : putBatcher(message, "store"),
    handleBatch: (_batcher, messages) => messages,
  });
  let seq = 0;
  let stopped = false;
  const feed = () => {
    if (stopped) return;
    const records: AuditRecord[] = [];
    for (let i = 0; i < RECORDS_PER_FEED; i++, seq++) {
      records.push({ seq, customer: `customer-${seq % 7}` });
    }
    source.push(...records);
    timer = system.setTimer(FEED_EVERY_MS, feed);
  };
  let timer = system.setTimer(FEED_EVERY_MS, feed);
  return {
    pipeline,
    async stop() {
      stopped = true;
      system.cancelTimer(timer);
      await pipeline.stop();
    },
  };
}
