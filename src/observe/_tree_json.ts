/**
 * The supervision tree as `/tree` serves it: pids as strings, names
 * bounded, every other field as `supervisionTree` gives it.
 *
 * @module
 */

import type { SupervisionNode } from "../introspection/supervision_node.ts";
import { idOf } from "./_process_id.ts";
import { nameOf } from "./_process_json.ts";

/** A node of `/tree`: a `SupervisionNode` with its pid as a string, plus the route id. */
export interface TreeNodeJson {
  /** The pid as a string, `null` while the child is not running. */
  readonly pid: string | null;
  /** The route id of the pid (`/processes/<processId>`), `null` while not running. */
  readonly processId: string | null;
  /** Its child id under its supervisor. */
  readonly id: string | null;
  readonly name: string | null;
  readonly type: "supervisor" | "worker";
  readonly restart: string | null;
  readonly strategy?: string;
  readonly kind?: string;
  readonly restartIntensity?: { readonly intensity: number; readonly period: number };
  readonly children: TreeNodeJson[];
  readonly omittedChildren: number;
  readonly depthTruncated: boolean;
  /** Present (`true`) when the node cap cut its children, or kept them from being asked for. */
  readonly nodesTruncated?: boolean;
  readonly childrenUnavailable?: string;
}

/** `node` and its children as JSON data. */
export function treeJson(node: SupervisionNode): TreeNodeJson {
  return {
    pid: node.pid === undefined ? null : String(node.pid),
    processId: node.pid === undefined ? null : idOf(node.pid),
    id: nameOf(node.id),
    name: nameOf(node.name),
    type: node.type,
    restart: node.restart ?? null,
    ...(node.strategy === undefined ? {} : { strategy: node.strategy }),
    ...(node.kind === undefined ? {} : { kind: node.kind }),
    ...(node.restartIntensity === undefined ? {} : { restartIntensity: node.restartIntensity }),
    children: node.children.map(treeJson),
    omittedChildren: node.omittedChildren,
    depthTruncated: node.depthTruncated,
    ...(node.nodesTruncated ? { nodesTruncated: true } : {}),
    ...(node.childrenUnavailable === undefined
      ? {}
      : { childrenUnavailable: node.childrenUnavailable }),
  };
}
