/**
 * This node's copy of the bucket (internal): what each name holds, at
 * which revision, and the revisions below which the watch's late PUTs are
 * stale (names this node deleted or purged itself).
 *
 * @module
 */

import type { Pid } from "../../pid.ts";
import type { Stored } from "./_stored.ts";

/** A name as the bucket has it (the local copy). */
export interface Known {
  readonly pid: Pid;
  readonly node: string;
  readonly incarnation: number;
  readonly revision: number;
  /** Who a conflict resolution took it from, if it did. */
  readonly displaced: Pid | undefined;
  /** When this copy first saw this revision (for stale keys). */
  readonly seenAt: number;
}

/** The names as the bucket has them, as far as this node saw. */
export class BucketCopy {
  readonly known = new Map<string, Known>();
  /** Names this node deleted or purged, at that revision: the watch's older PUTs are stale. */
  readonly floors = new Map<string, number>();

  /** Records what the bucket holds for `name` (a newer revision only; `undefined`: stale). */
  learn(name: string, stored: Stored, revision: number): Known | undefined {
    const floor = this.floors.get(name);
    if (floor !== undefined) {
      if (revision <= floor) return undefined; // deleted since
      this.floors.delete(name);
    }
    const previous = this.known.get(name);
    if (previous !== undefined && previous.revision >= revision) return previous;
    const known: Known = {
      pid: stored.pid,
      node: stored.node,
      incarnation: stored.incarnation,
      revision,
      displaced: stored.displaced,
      seenAt: Date.now(),
    };
    this.known.set(name, known);
    return known;
  }

  /** Drops the copy of `name` if it is not newer than `revision`. */
  forget(name: string, revision: number): void {
    const known = this.known.get(name);
    if (known !== undefined && known.revision <= revision) this.known.delete(name);
  }

  /** This node deletes or purges `name` at `revision`: forgotten, older PUTs ignored. */
  deleting(name: string, revision: number): void {
    this.forget(name, revision);
    this.floors.set(name, Math.max(this.floors.get(name) ?? 0, revision));
  }

  /** A delete or purge of this node failed: its copy of `name` is back as it was. */
  undelete(name: string, known: Known | undefined): void {
    if (known === undefined) return;
    if (this.floors.get(name) === known.revision) this.floors.delete(name);
    if (!this.known.has(name)) this.known.set(name, known);
  }

  /** Forgets everything (the registry closed). */
  clear(): void {
    this.known.clear();
    this.floors.clear();
  }
}
