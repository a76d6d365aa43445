/**
 * processPage: pages cut from a snapshot's rankings, `ranked` and
 * `truncated` at the ranking's depth, and bad queries refused with named
 * errors.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { UnknownAttributeError } from "../../src/introspection/errors.ts";
import { processPage, type ProcessPageQuery } from "../../src/observe/process_page.ts";
import { ProcessTableWalker } from "../../src/observe/process_table_walker.ts";
import { createTestSystem } from "../../src/testing/test_system.ts";
import { queued } from "./_fixtures.ts";

const query = (over: Partial<ProcessPageQuery>): ProcessPageQuery => ({
  sort: "messageQueueLength",
  order: "desc",
  offset: 0,
  limit: 2,
  ...over,
});

describe("processPage", () => {
  it("cuts pages from the rankings and says where the known order ends", async () => {
    const t = createTestSystem();
    const pids = await queued(t, [5, 4, 3, 2, 1, 0]);
    const walker = new ProcessTableWalker(t.system, { schedule: "manual", rankDepth: 4 });
    const snapshot = walker.refresh();

    const first = processPage(snapshot, query({}));
    assert.deepEqual(first.items.map((p) => p.pid), [pids[0], pids[1]]);
    assert.deepEqual([first.total, first.ranked, first.truncated], [6, 4, false]);

    const second = processPage(snapshot, query({ offset: 2 }));
    assert.deepEqual(second.items.map((p) => p.pid), [pids[2], pids[3]]);
    assert.equal(second.truncated, false);

    // Positions 4 and 5 exist but are not ranked: an empty page that says so.
    const beyond = processPage(snapshot, query({ offset: 4 }));
    assert.deepEqual([beyond.items.length, beyond.truncated], [0, true]);
    const across = processPage(snapshot, query({ offset: 3 }));
    assert.deepEqual([across.items.map((p) => p.pid), across.truncated], [[pids[3]], true]);

    const asc = processPage(snapshot, query({ order: "asc", limit: 3 }));
    assert.deepEqual(asc.items.map((p) => p.pid), [pids[5], pids[4], pids[3]]);

    // A small table is ranked whole: past its end is no truncation.
    const whole = new ProcessTableWalker(t.system, { schedule: "manual" }).refresh();
    const past = processPage(whole, query({ offset: 10 }));
    assert.deepEqual([past.items.length, past.ranked, past.truncated], [0, 6, false]);
    t.dispose();
  });

  it("refuses a bad query with named errors", () => {
    const t = createTestSystem();
    const snapshot = new ProcessTableWalker(t.system, { schedule: "manual" }).refresh();
    const bad: [
      Partial<Record<keyof ProcessPageQuery, unknown>>,
      new (...args: never[]) => Error,
    ][] = [
      [{ sort: "state" }, UnknownAttributeError],
      [{ order: "up" }, TypeError],
      [{ offset: -1 }, RangeError],
      [{ offset: 1.5 }, RangeError],
      [{ limit: 0 }, RangeError],
      [{ limit: "5" }, RangeError],
    ];
    for (const [over, type] of bad) {
      assert.throws(
        () => processPage(snapshot, query(over as Partial<ProcessPageQuery>)),
        type,
        JSON.stringify(over),
      );
    }
    t.dispose();
  });
});
