/**
 * The checks of what users give process groups (internal): each refuses a
 * bad value — a hostile one too (a Proxy whose getters throw) — with a
 * `TypeError` saying what was expected, and never half-reads it.
 *
 * @module
 */

import type { Pid } from "../../pid.ts";
import { isPid } from "../../kernel/mailbox/delivery.ts";
import type { ProcessGroupsOptions } from "./options.ts";
import { isGroupName, MAX_GROUP_LENGTH } from "./_wire.ts";

const SCOPE = /^[A-Za-z0-9_-]{1,64}$/;

/** The scope of `options` (default `"default"`). */
export function scopeOf(options: unknown): string {
  if (options === undefined) return "default";
  let scope: unknown;
  try {
    if (typeof options !== "object" || options === null) throw new Error();
    scope = (options as ProcessGroupsOptions).scope;
  } catch {
    throw new TypeError("ProcessGroups: options must be an object { scope?: string }");
  }
  if (scope === undefined) return "default";
  if (typeof scope !== "string" || !SCOPE.test(scope)) {
    throw new TypeError(
      `ProcessGroups: scope must be 1 to 64 characters A-Z a-z 0-9 _ -, got ${describe(scope)}`,
    );
  }
  return scope;
}

/** `group`, if it is a group name. */
export function checkGroup(what: string, group: unknown): string {
  if (!isGroupName(group)) {
    throw new TypeError(
      `${what}: a group must be a string of 1 to ${MAX_GROUP_LENGTH} characters, got ${
        describe(group)
      }`,
    );
  }
  return group;
}

/** A pid or an array of pids, all of node `node`, as a fresh array. */
export function checkLocalPids(what: string, pids: unknown, node: string): Pid[] {
  let list: unknown[];
  try {
    list = Array.isArray(pids) ? [...pids] : [pids];
  } catch {
    throw new TypeError(`${what}: expected a pid or an array of pids, got an unreadable value`);
  }
  for (const pid of list) {
    if (!isPid(pid)) {
      throw new TypeError(`${what}: expected a pid or an array of pids, got ${describe(pid)}`);
    }
    if (pid.node !== node) {
      throw new TypeError(
        `${what}: ${pid} is not a process of this node (${node}); ` +
          "a process joins and leaves groups from its own node",
      );
    }
  }
  return list as Pid[];
}

/** A short description of a value for an error message. Never throws. */
export function describe(value: unknown): string {
  try {
    if (typeof value === "string") {
      return value.length > 60 ? `a string of ${value.length} characters` : JSON.stringify(value);
    }
    if (value === null) return "null";
    if (Array.isArray(value)) return "an array";
    return typeof value;
  } catch {
    return "an unreadable value";
  }
}
