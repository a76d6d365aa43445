/**
 * The telemetry side of reporters that push every sample as it happens
 * (StatsD, console): one handler for all definitions, each sample read by a
 * `Sampler` and handed to a sink, or reported as skipped. Nothing it does
 * throws into the emitter.
 *
 * @module
 */

import type { Telemetry } from "../../telemetry/telemetry.ts";
import type { Measurements, Metadata, TelemetryEvent } from "../../telemetry/types.ts";
import type { MetricDefinition } from "../types.ts";
import { EventRouter } from "../_event_router.ts";
import { Sampler } from "../_sampler.ts";

/** Why a sample was skipped. */
export type SkipReason = "measurement" | "tags" | "callback";

/** Where samples go. */
export interface PushSink {
  /** A kept sample: its value in the metric's unit and its tag values (reused: copy to keep). */
  report(sampler: Sampler, value: number, tags: readonly string[]): void;
  /** A skipped sample. */
  skip(sampler: Sampler, reason: SkipReason, error: unknown): void;
}

/** Attaches one handler feeding `sink`; returns the function that detaches it. */
export function attachPush(
  telemetry: Telemetry,
  id: symbol,
  definitions: readonly MetricDefinition[],
  maxTagValueLength: number,
  sink: PushSink,
): () => boolean {
  const router = new EventRouter<{ sampler: Sampler; tags: string[] }>();
  for (const definition of definitions) {
    const sampler = new Sampler(definition, maxTagValueLength);
    router.add(definition.event, { sampler, tags: new Array<string>(sampler.tagCount).fill("") });
  }
  let attached = true;
  const handler = (event: TelemetryEvent, measurements: Measurements, metadata: Metadata) => {
    if (!attached) return;
    const items = router.get(event);
    if (items === undefined) return;
    for (let i = 0; i < items.length; i++) {
      const { sampler, tags } = items[i];
      let value: number;
      try {
        if (!sampler.keeps(measurements, metadata)) continue;
        value = sampler.value(measurements, metadata);
        if (value !== value) {
          sink.skip(sampler, "measurement", undefined);
          continue;
        }
        if (!sampler.readTags(metadata, tags)) {
          sink.skip(sampler, "tags", undefined);
          continue;
        }
      } catch (error) {
        sink.skip(sampler, "callback", error);
        continue;
      }
      sink.report(sampler, value, tags);
    }
  };
  const events = router.events();
  if (events.length > 0) telemetry.attachMany(id, events, handler);
  return () => {
    if (!attached) return false;
    attached = false;
    telemetry.detach(id);
    return true;
  };
}
