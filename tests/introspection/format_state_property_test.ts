/**
 * formatState and its renderer under hostile states and formatStatus
 * callbacks (fast-check): never throws, never longer than maxChars plus the
 * `…` marker (and `truncated` when cut), the same text for the same state,
 * and never the raw state when formatStatus fails.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { type GenServer, ok } from "../../src/gen_server.ts";
import { formatState, type StatePreviewOptions } from "../../src/introspection/mod.ts";
import { previewBounds, renderPreview } from "../../src/introspection/_preview.ts";
import { createTestSystem } from "../../src/testing/test_system.ts";
import { type Leaf, leaf, make, makeThrown, type Thrown } from "../containment/_hostile.ts";

/** A description of a state: plain data, hostile leaves, cycles, deep nesting, wide containers. */
type StateSpec =
  | { readonly kind: "anything"; readonly value: unknown }
  | { readonly kind: "hostile"; readonly leaf: Leaf }
  | { readonly kind: "record"; readonly fields: readonly StateSpec[]; readonly cycle: boolean }
  | { readonly kind: "deep"; readonly depth: number; readonly array: boolean }
  | {
    readonly kind: "wide";
    readonly size: number;
    readonly as: "array" | "map" | "set" | "object";
  }
  | { readonly kind: "huge"; readonly length: number };

const stateSpec: fc.Arbitrary<StateSpec> = fc.letrec<{ spec: StateSpec }>((tie) => ({
  spec: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.record({
      kind: fc.constant("anything" as const),
      value: fc.anything({
        maxDepth: 4,
        withBigInt: true,
        withBoxedValues: true,
        withDate: true,
        withMap: true,
        withSet: true,
        withNullPrototype: true,
        withObjectString: true,
        withSparseArray: true,
        withTypedArray: true,
        withUnicodeString: true,
      }),
    }),
    fc.record({ kind: fc.constant("hostile" as const), leaf: leaf() }),
    fc.record({
      kind: fc.constant("record" as const),
      fields: fc.array(tie("spec"), { maxLength: 4 }),
      cycle: fc.boolean(),
    }),
    fc.record({
      kind: fc.constant("deep" as const),
      depth: fc.integer({ min: 1, max: 3000 }),
      array: fc.boolean(),
    }),
    fc.record({
      kind: fc.constant("wide" as const),
      size: fc.integer({ min: 0, max: 5000 }),
      as: fc.constantFrom("array" as const, "map" as const, "set" as const, "object" as const),
    }),
    fc.record({ kind: fc.constant("huge" as const), length: fc.integer({ min: 0, max: 200_000 }) }),
  ),
})).spec;

/** Builds the state a description stands for, fresh. */
function build(spec: StateSpec): unknown {
  switch (spec.kind) {
    case "anything":
      return spec.value;
    case "hostile":
      return make(spec.leaf);
    case "record": {
      const record: Record<string, unknown> = {};
      spec.fields.forEach((field, i) => (record[`f${i}`] = build(field)));
      if (spec.cycle) record.self = record;
      return record;
    }
    case "deep": {
      let value: unknown = "bottom";
      for (let i = 0; i < spec.depth; i++) value = spec.array ? [value] : { next: value };
      return value;
    }
    case "wide": {
      const items = Array.from({ length: spec.size }, (_, i) => i);
      if (spec.as === "array") return items;
      if (spec.as === "set") return new Set(items);
      if (spec.as === "map") return new Map(items.map((i) => [`k${i}`, { i }]));
      return Object.fromEntries(items.map((i) => [`k${i}`, i]));
    }
    case "huge":
      return "h".repeat(spec.length);
  }
}

/** What formatStatus does: absent, passes the state on, throws, or returns another hostile state. */
type FormatSpec =
  | { readonly kind: "none" }
  | { readonly kind: "identity" }
  | { readonly kind: "throws"; readonly thrown: Thrown }
  | { readonly kind: "returns"; readonly state: StateSpec };

const formatSpec: fc.Arbitrary<FormatSpec> = fc.oneof(
  fc.constant({ kind: "none" as const }),
  fc.constant({ kind: "identity" as const }),
  fc.record({
    kind: fc.constant("throws" as const),
    thrown: fc.constantFrom<Thrown>(
      "error",
      "string",
      "undefined",
      "nullProtoBigInt",
      "revokedProxy",
      "symbol",
    ),
  }),
  fc.record({ kind: fc.constant("returns" as const), state: stateSpec }),
);

const options: fc.Arbitrary<StatePreviewOptions> = fc.record({
  maxChars: fc.integer({ min: 32, max: 3000 }),
  maxDepth: fc.integer({ min: 0, max: 32 }),
  maxItems: fc.integer({ min: 1, max: 200 }),
}, { requiredKeys: [] });

const RUNS = 150;

describe("state previews of hostile values (property)", () => {
  it("the renderer never throws, stays within maxChars + '…', and is deterministic", () => {
    fc.assert(
      fc.property(stateSpec, options, (spec, opts) => {
        const bounds = previewBounds("test", opts);
        const value = build(spec);
        const first = renderPreview(value, bounds);
        assert.equal(typeof first.text, "string");
        assert.ok(first.text.length <= bounds.maxChars + 1, `${first.text.length}`);
        if (first.text.length > bounds.maxChars) {
          assert.ok(first.text.endsWith("…"));
          assert.equal(first.truncated, true);
        }
        assert.deepEqual(renderPreview(value, bounds), first);
      }),
      { numRuns: RUNS * 2 },
    );
  });

  it("formatState never throws, and never shows the raw state when formatStatus fails", async () => {
    await fc.assert(
      fc.asyncProperty(stateSpec, formatSpec, options, async (spec, format, opts) => {
        const t = createTestSystem();
        try {
          const server: GenServer<unknown> = { init: () => ok(build(spec)) };
          if (format.kind === "identity") server.formatStatus = (state) => state;
          if (format.kind === "throws") {
            server.formatStatus = () => {
              throw makeThrown(format.thrown);
            };
          }
          if (format.kind === "returns") {
            const shown = build(format.state);
            server.formatStatus = () => shown;
          }
          const pid = await t.start(server);
          const maxChars = opts.maxChars ?? 4096;
          const preview = formatState(t.system, pid, opts);
          assert.equal(preview.pid, String(pid));
          assert.equal(preview.formatted, format.kind !== "none");
          assert.ok(preview.text.length <= maxChars + 1);
          if (format.kind === "throws") {
            assert.equal(preview.text, "[formatStatus failed]");
            assert.equal(typeof preview.error, "string");
            assert.ok(preview.error!.length <= 201);
          } else {
            assert.equal(preview.error, null);
          }
          assert.deepEqual(formatState(t.system, pid, opts), preview);
          // The result crosses HTTP as JSON.
          assert.deepEqual(JSON.parse(JSON.stringify(preview)), preview);
        } finally {
          t.dispose();
        }
      }),
      { numRuns: RUNS },
    );
  });
});
