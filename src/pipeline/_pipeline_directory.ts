/**
 * The running pipelines of one system (internal), by name. Kept free of
 * the pipeline implementation: the observer and the HTTP routes read it
 * without loading stages or pipelines.
 *
 * @module
 */

import type { System } from "../system.ts";
import type { PipelineInfo } from "./pipeline_info.ts";

/** What the directory holds of one pipeline. */
export interface PipelineRecord {
  /** Its name. */
  readonly name: string;
  /** Its current numbers. */
  info(): PipelineInfo;
}

/** The running pipelines of one system. */
export class PipelineDirectory {
  readonly #byName = new Map<string, PipelineRecord>();

  /** The pipelines, oldest first. */
  list(): readonly PipelineInfo[] {
    return [...this.#byName.values()].map((record) => record.info());
  }

  /** The pipeline named `name`. */
  get(name: string): PipelineRecord | undefined {
    return this.#byName.get(name);
  }

  /** Adds `record`: false if its name is taken. */
  add(record: PipelineRecord): boolean {
    if (this.#byName.has(record.name)) return false;
    this.#byName.set(record.name, record);
    return true;
  }

  /** Forgets `record` (if it is the one under its name). */
  remove(record: PipelineRecord): void {
    if (this.#byName.get(record.name) === record) this.#byName.delete(record.name);
  }
}

const directories = new WeakMap<System, PipelineDirectory>();

/** The pipeline directory of `system`, made on first use. */
export function pipelineDirectoryOf(system: System): PipelineDirectory {
  let directory = directories.get(system);
  if (directory === undefined) directories.set(system, directory = new PipelineDirectory());
  return directory;
}

/** The pipeline directory of `system`, if it ever had a pipeline. */
export function existingPipelineDirectory(system: System): PipelineDirectory | undefined {
  return directories.get(system);
}
