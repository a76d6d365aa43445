/**
 * A small in-memory pipeline: orders go through two processors (a negative
 * total fails the order), are batched per customer, "written" one batch at
 * a time, and every order is acked once — printed as it happens.
 *
 * @module
 */

import type { System } from "../../mod.ts";
import {
  failMessage,
  MemoryProducer,
  Pipeline,
  type PipelineMessage,
  putBatchKey,
} from "../../pipeline.ts";

/** One order. */
export interface Order {
  readonly id: number;
  readonly customer: string;
  readonly total: number;
}

/** The orders the example pushes. */
export const ORDERS: readonly Order[] = [
  { id: 1, customer: "ada", total: 30 },
  { id: 2, customer: "bob", total: 12 },
  { id: 3, customer: "ada", total: -5 },
  { id: 4, customer: "ada", total: 8 },
  { id: 5, customer: "cyd", total: 99 },
  { id: 6, customer: "bob", total: 41 },
  { id: 7, customer: "ada", total: 17 },
];

const idsOf = (messages: readonly PipelineMessage[]) =>
  messages.map((m) => (m.data as Order).id).sort((a, b) => a - b).join(",");

/** Runs the pipeline in `system`, printing through `log`; resolves once it has stopped. */
export async function runOrders(system: System, log: (line: string) => void): Promise<void> {
  const source = new MemoryProducer<Order>({
    onAck: (successful, failed) => {
      if (successful.length > 0) log(`acked: ${idsOf(successful)}`);
      for (const m of failed) {
        const reason = m.status === "ok" ? "" : String(m.status.failed);
        log(`failed: ${(m.data as Order).id} (${reason})`);
      }
    },
  });
  const pipeline = await Pipeline.start(system, {
    name: "orders",
    producer: { stage: source.stage() },
    processors: { default: { concurrency: 2 } },
    batchers: { default: { batchSize: 2, batchTimeout: 1000 } },
    partitionBy: (m) => m.data.customer,
    handleMessage: (_processor, m) =>
      m.data.total < 0 ? failMessage(m, "negative total") : putBatchKey(m, m.data.customer),
    handleBatch: (_batcher, messages, info) => {
      const total = messages.reduce((sum, m) => sum + m.data.total, 0);
      log(`batch ${String(info.batchKey)}: ${idsOf(messages)} = ${total} (${info.trigger})`);
      return messages;
    },
  });
  source.push(...ORDERS);
  await pipeline.stop(); // drains: open batches go out, every order taken is acked
  log(`done: ${source.ackedCount} acked, ${source.failedCount} failed`);
}
