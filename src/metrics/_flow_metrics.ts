/**
 * The default metrics of flow control (internal, part of
 * `beamletMetrics`): per stage its demand and buffer as gauges, its events
 * in, out and dropped as counters (`beamlet.stage.stats` carries deltas,
 * summed into monotonic `_total` series); per pipeline its acks and
 * failures as counters and its batch sizes as a distribution; per mailbox
 * the messages it shed and whether it is above its high watermark; per
 * Batcher the items it flushed. They read the events by name, so no stage,
 * pipeline or batcher code is loaded for them.
 *
 * @module
 */

import type { Metadata } from "../telemetry/types.ts";
import { distribution, lastValue, sum } from "./definitions.ts";
import type { MetricDefinition } from "./types.ts";

const STAGE_STATS = ["beamlet", "stage", "stats"] as const;
const PIPELINE_ACK = ["beamlet", "pipeline", "ack"] as const;
const PIPELINE_BATCH = ["beamlet", "pipeline", "batch"] as const;
const MAILBOX_SHED = ["beamlet", "mailbox", "shed"] as const;
const MAILBOX_WATERMARK = ["beamlet", "mailbox", "watermark"] as const;
const BATCHER_FLUSH = ["beamlet", "batcher", "flush"] as const;

/** A label value: the string, else `""` (Prometheus reads an empty label as absent). */
function label(value: unknown): string {
  return typeof value === "string" ? value : "";
}

/** The tags of a stage: its pipeline and role (`""` outside one), its name or pid. */
function stageTags(meta: Metadata): Record<string, unknown> {
  const name = meta.name;
  return {
    pipeline: label(meta.pipeline),
    role: label(meta.role),
    stage: typeof name === "string"
      ? name
      : meta.pid === undefined
      ? "anonymous"
      : String(meta.pid),
  };
}

/** The `name` tag of a mailbox event: the process's registered name, else its pid printed. */
function processTag(meta: Metadata): Record<string, unknown> {
  const name = meta.name;
  return { name: typeof name === "string" ? name : String(meta.pid ?? "anonymous") };
}

/** The tags of a pipeline event. */
function pipelineTags(meta: Metadata): Record<string, unknown> {
  return { pipeline: label(meta.pipeline), batcher: label(meta.batcher) };
}

/**
 * Per stage (`beamlet.stage.stats`, tags `pipeline`, `role`, `stage`):
 * `beamlet_stage_demand`, `beamlet_stage_buffered` (gauges),
 * `beamlet_stage_events_in_total`, `beamlet_stage_events_out_total`,
 * `beamlet_stage_dropped_total` (counters). Per pipeline:
 * `beamlet_pipeline_acked_total`, `beamlet_pipeline_failed_total` (tag
 * `pipeline`) and `beamlet_pipeline_batch_size` (a distribution, tags
 * `pipeline`, `batcher`). Per process (tag `name`, its registered name
 * or its pid): `beamlet_mailbox_shed_total` (a counter) and
 * `beamlet_mailbox_watermark` (1 above its high watermark, 0 back at its
 * low one). Per Batcher (tag `batcher`):
 * `beamlet_batcher_flushed_items_total`.
 */
export function flowMetrics(): MetricDefinition[] {
  const stage = { event: STAGE_STATS, tags: ["pipeline", "role", "stage"], tagValues: stageTags };
  const total = (name: string, measurement: string, description: string) =>
    sum(`beamlet.stage.${name}`, {
      ...stage,
      measurement,
      description,
      reporterOptions: { prometheusType: "counter" },
    });
  const pipeline = {
    event: PIPELINE_ACK,
    tags: ["pipeline"],
    reporterOptions: { prometheusType: "counter" as const },
  };
  return [
    lastValue("beamlet.stage.demand", {
      ...stage,
      measurement: "demand",
      description: "Outstanding demand of a stage's consumers (producers; 0 for consumers)",
    }),
    lastValue("beamlet.stage.buffered", {
      ...stage,
      measurement: "buffered",
      description: "Events in a stage's buffer",
    }),
    total("events_in", "eventsIn", "Events a stage received"),
    total("events_out", "eventsOut", "Events a stage emitted"),
    total("dropped", "dropped", "Events a stage dropped (buffer full, or no partition)"),
    sum("beamlet.pipeline.acked", {
      ...pipeline,
      measurement: "successful",
      description: "Messages a pipeline acknowledged as successful",
    }),
    sum("beamlet.pipeline.failed", {
      ...pipeline,
      measurement: "failed",
      description: "Messages a pipeline acknowledged as failed",
    }),
    distribution("beamlet.pipeline.batch.size", {
      event: PIPELINE_BATCH,
      tags: ["pipeline", "batcher"],
      tagValues: pipelineTags,
      description: "Messages per batch a pipeline's batcher flushed",
      reporterOptions: { buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 5000] },
    }),
    sum("beamlet.mailbox.shed", {
      event: MAILBOX_SHED,
      measurement: "count",
      tags: ["name"],
      tagValues: processTag,
      description: "Messages a mailbox shed because they waited longer than its target (CoDel)",
      reporterOptions: { prometheusType: "counter" },
    }),
    lastValue("beamlet.mailbox.watermark", {
      event: MAILBOX_WATERMARK,
      measurement: (_m, meta) => (meta.level === "high" ? 1 : 0),
      tags: ["name"],
      tagValues: processTag,
      description: "1 while a mailbox is above its high watermark, 0 once back at its low one",
    }),
    sum("beamlet.batcher.flushed_items", {
      event: BATCHER_FLUSH,
      measurement: "items",
      tags: ["batcher"],
      keepIf: (meta) => meta.ok === true,
      description: "Items a Batcher flushed successfully",
      reporterOptions: { prometheusType: "counter" },
    }),
  ];
}
