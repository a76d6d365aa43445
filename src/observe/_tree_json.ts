/**
 * The supervision tree as `/tree` serves it: pids as strings, names
 * bounded, every other field as `supervisionTree` gives it.
 *
 * @module
 */

import type { SupervisionNode } from "../introspection/supervision_node.ts";
import { idOf } from "./_process_id.ts";
import { nameOf } from "./_process_json.ts";
import type { TreeNodeJson } from "./view_types.ts";

export type { TreeNodeJson };

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
