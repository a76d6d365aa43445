/**
 * The stages and pipelines views (internal): what the stage and pipeline
 * directories list, as plain, JSON-safe rows — pipelines by name with their
 * stages grouped by the `pipeline` label and ordered producer → processor →
 * batcher → batch_processor, the stages outside any pipeline after them,
 * everything bounded. Reads plain records only (the directories' `list()`),
 * never stage or pipeline code.
 *
 * @module
 */

import type { Pid } from "../pid.ts";
import { idOf } from "./_process_id.ts";
import { capString } from "./_sanitize.ts";
import type { PipelineItem, PipelinesView, StageItem, StagesView } from "./view_types.ts";

/** What the view reads of a stage (a `StageInfo` has all of it). */
export interface StageViewInfo {
  readonly pid: Pid;
  readonly name: string | undefined;
  readonly type: string;
  readonly pipeline: string | undefined;
  readonly role: string | undefined;
  readonly demand: number;
  readonly pendingAsk: number;
  readonly buffered: number;
  readonly bufferSize: number;
  readonly eventsIn: number;
  readonly eventsOut: number;
  readonly dropped: number;
  readonly subscribers: number;
  readonly subscriptions: number;
}

/** What the view reads of a pipeline (a `PipelineInfo` has all of it). */
export interface PipelineViewInfo {
  readonly name: string;
  readonly supervisor: Pid;
  readonly state: string;
  readonly acked: number;
  readonly failed: number;
  readonly inFlight: number;
  readonly batchesFlushed: number;
  readonly rateLimit?: { readonly allowed: number; readonly interval: number } | undefined;
}

/** The order of the roles in a pipeline; any other role comes after them. */
const ROLES = ["producer", "processor", "batcher", "batch_processor"];

/** A JSON-safe count: a finite number, else 0. */
function count(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) ? value : 0;
}

/** Bounded text, or `null` when `value` is not a string. */
function text(value: unknown): string | null {
  return typeof value === "string" ? capString(value) : null;
}

/** The row of one stage, or undefined when it cannot be read. */
function stageItem(info: StageViewInfo): StageItem | undefined {
  try {
    const pid = String(info.pid);
    const name = text(info.name);
    const bound = info.bufferSize;
    return {
      id: idOf(info.pid),
      pid,
      name,
      label: name ?? pid,
      type: String(info.type),
      pipeline: text(info.pipeline),
      role: text(info.role),
      demand: count(info.demand),
      pendingAsk: count(info.pendingAsk),
      buffered: count(info.buffered),
      bufferSize: typeof bound === "number" && Number.isFinite(bound) ? bound : null,
      eventsIn: count(info.eventsIn),
      eventsOut: count(info.eventsOut),
      dropped: count(info.dropped),
      subscribers: count(info.subscribers),
      subscriptions: count(info.subscriptions),
    };
  } catch {
    return undefined;
  }
}

/** The rank of a role in {@linkcode ROLES} (unknown and none last). */
function roleRank(role: string | null): number {
  const at = role === null ? -1 : ROLES.indexOf(role);
  return at === -1 ? ROLES.length : at;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Pipeline, then role, then label, then serial number. */
function compareStages(a: StageItem, b: StageItem): number {
  return compareText(a.pipeline ?? "", b.pipeline ?? "") ||
    roleRank(a.role) - roleRank(b.role) ||
    compareText(a.label, b.label) ||
    Number(a.id) - Number(b.id);
}

/** The rows of `stages` that can be read, in view order. */
function stageItems(stages: readonly StageViewInfo[]): StageItem[] {
  const items: StageItem[] = [];
  for (const info of stages) {
    const item = stageItem(info);
    if (item !== undefined) items.push(item);
  }
  return items.sort(compareStages);
}

/** Every live stage, by pipeline, role and name, at most `limit`. */
export function stagesView(stages: readonly StageViewInfo[], limit: number): StagesView {
  const items = stageItems(stages);
  return {
    time: Date.now(),
    total: items.length,
    limit,
    truncated: items.length > limit,
    items: items.slice(0, limit),
  };
}

/** The row of one pipeline with its stages, or undefined when it cannot be read. */
function pipelineItem(info: PipelineViewInfo, stages: StageItem[]): PipelineItem | undefined {
  try {
    const limit = info.rateLimit;
    return {
      name: capString(String(info.name)),
      supervisor: String(info.supervisor),
      supervisorId: idOf(info.supervisor),
      state: String(info.state),
      acked: count(info.acked),
      failed: count(info.failed),
      inFlight: count(info.inFlight),
      batchesFlushed: count(info.batchesFlushed),
      rateLimit: limit === undefined || limit === null
        ? null
        : { allowed: count(limit.allowed), interval: count(limit.interval) },
      stages,
    };
  } catch {
    return undefined;
  }
}

/**
 * The live pipelines by name (at most `limit`) each with its stages, and
 * the stages outside any listed pipeline (at most `maxStages` stages in
 * all).
 */
export function pipelinesView(
  pipelines: readonly PipelineViewInfo[],
  stages: readonly StageViewInfo[],
  limit: number,
  maxStages: number,
): PipelinesView {
  const sorted = [...pipelines].sort((a, b) => compareText(String(a.name), String(b.name)));
  const listed = sorted.slice(0, limit);
  const byPipeline = new Map<string, StageItem[]>();
  for (const info of listed) byPipeline.set(capString(String(info.name)), []);
  const loose: StageItem[] = [];
  let kept = 0;
  const all = stageItems(stages);
  for (const item of all) {
    if (kept === maxStages) break;
    kept++;
    const group = item.pipeline === null ? undefined : byPipeline.get(item.pipeline);
    (group ?? loose).push(item);
  }
  const items: PipelineItem[] = [];
  for (const info of listed) {
    const item = pipelineItem(info, byPipeline.get(capString(String(info.name))) ?? []);
    if (item !== undefined) items.push(item);
  }
  return {
    time: Date.now(),
    total: pipelines.length,
    limit,
    truncated: pipelines.length > limit || all.length > maxStages,
    items,
    stages: loose,
  };
}
