/**
 * formatState: a bounded, deterministic preview of what formatStatus shows
 * (else the raw state); "[formatStatus failed]" with the error when it
 * throws, never the raw state; summaries of the built-in behaviours.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Batcher } from "../../src/batcher/batcher.ts";
import { NoProcError } from "../../src/errors.ts";
import { type GenServer, ok } from "../../src/gen_server.ts";
import { formatState } from "../../src/introspection/mod.ts";
import { defineStage } from "../../src/stages/define_stage.ts";
import { Supervisor } from "../../src/supervisor/supervisor.ts";
import { createTestSystem, type TestSystem } from "../../src/testing/test_system.ts";
import { idle, settle } from "./_fixtures.ts";

const SECRET = "sk-live-do-not-show";

/** Starts a server whose state is `state` (and whose formatStatus is `formatStatus`, if given). */
function holding(t: TestSystem, state: unknown, formatStatus?: (state: unknown) => unknown) {
  const server: GenServer<unknown> = { init: () => ok(state) };
  if (formatStatus !== undefined) server.formatStatus = formatStatus;
  return t.start(server);
}

describe("formatState", () => {
  it("shows the raw state, bounded, when there is no formatStatus", async () => {
    const t = createTestSystem();
    const pid = await holding(t, { user: "ann", visits: [1, 2], at: new Date(0) });
    assert.deepEqual(formatState(t.system, pid), {
      pid: String(pid),
      formatted: false,
      text: '{"user":"ann","visits":[1,2],"at":"1970-01-01T00:00:00.000Z"}',
      truncated: false,
      error: null,
    });
    assert.equal(formatState(t.system, await holding(t, "text")).text, '"text"');
    assert.equal(formatState(t.system, await holding(t, undefined)).text, "undefined");
    t.dispose();
  });

  it("shows what formatStatus returns, by pid or by name", async () => {
    const t = createTestSystem();
    await t.start(
      {
        init: () => ok({ token: SECRET, sent: 3 }),
        formatStatus: (s: { token: string; sent: number }) => ({ ...s, token: "[redacted]" }),
      },
      undefined,
      { name: "client" },
    );
    const preview = formatState(t.system, "client");
    assert.equal(preview.formatted, true);
    assert.equal(preview.text, '{"token":"[redacted]","sent":3}');
    assert.equal(preview.error, null);
    t.dispose();
  });

  it("a formatStatus that throws: its error, never the raw state", async () => {
    const t = createTestSystem();
    const thrown: unknown[] = [
      new TypeError("cannot format"),
      `a string with ${"x".repeat(10_000)}`,
      Symbol("odd"),
      new Proxy({}, {
        getPrototypeOf() {
          throw new Error("trap");
        },
      }),
    ];
    for (const error of thrown) {
      const pid = await holding(t, { token: SECRET }, () => {
        throw error;
      });
      const preview = formatState(t.system, pid);
      assert.equal(preview.text, "[formatStatus failed]");
      assert.equal(preview.formatted, true);
      assert.equal(typeof preview.error, "string");
      assert.ok(preview.error!.length <= 201, `bounded: ${preview.error!.length}`);
      assert.ok(!JSON.stringify(preview).includes(SECRET));
    }
    const typed = await holding(t, { token: SECRET }, () => {
      throw new TypeError("cannot format");
    });
    assert.equal(formatState(t.system, typed).error, "TypeError: cannot format");
    // A formatStatus getter that throws is the same failure.
    const server = { init: () => ok({ token: SECRET }) } as GenServer<unknown>;
    Object.defineProperty(server, "formatStatus", {
      get() {
        throw new Error("getter");
      },
    });
    const getter = await t.start(server);
    assert.equal(formatState(t.system, getter).error, "Error: getter");
    t.dispose();
  });

  it("a formatStatus that returns a Promise is a failure, and its rejection is handled", async () => {
    const t = createTestSystem();
    const pid = await holding(t, { token: SECRET }, () => Promise.reject(new Error(SECRET)));
    const preview = formatState(t.system, pid);
    assert.equal(preview.text, "[formatStatus failed]");
    assert.match(preview.error!, /Promise/);
    await new Promise((resolve) => setTimeout(resolve, 0)); // an unhandled rejection would fail the test
    t.dispose();
  });

  it("bounds what formatStatus returns: huge, cyclic, deep", async () => {
    const t = createTestSystem();
    const huge = await holding(t, null, () => ({
      rows: Array.from({ length: 100_000 }, (_, i) => ({ i, text: "y".repeat(100) })),
    }));
    const preview = formatState(t.system, huge, { maxChars: 500 });
    assert.equal(preview.text.length, 501);
    assert.ok(preview.text.endsWith("…"));
    assert.equal(preview.truncated, true);
    const cut = formatState(t.system, huge, { maxChars: 32 });
    assert.equal(cut.text, '{"rows":[{"i":0,"text":"yyyyyyyy…');

    const cycle: Record<string, unknown> = { name: "loop" };
    cycle.self = cycle;
    const cyclic = await holding(t, null, () => cycle);
    assert.equal(formatState(t.system, cyclic).text, '{"name":"loop","self":[Circular]}');

    let deep: unknown = "bottom";
    for (let i = 0; i < 10_000; i++) deep = [deep];
    const nested = await holding(t, deep);
    const shallow = formatState(t.system, nested, { maxDepth: 2 });
    assert.equal(shallow.text, "[[[…]]]");
    assert.equal(shallow.truncated, true);
    assert.ok(formatState(t.system, nested, { maxDepth: 32 }).text.includes("[…]"));
    t.dispose();
  });

  it("shows what JSON cannot hold", async () => {
    const t = createTestSystem();
    class Session {
      constructor(readonly user: string) {}
    }
    const state = {
      big: 10n,
      sym: Symbol("tag"),
      fn: function handler() {},
      map: new Map<unknown, unknown>([["a", 1], [2, { b: true }]]),
      set: new Set(["x"]),
      bytes: new Uint8Array([1, 2, 3]),
      longs: new BigInt64Array([5n]),
      buffer: new ArrayBuffer(4),
      re: /ab+c/i,
      nan: NaN,
      negZero: -0,
      nothing: undefined,
      session: new Session("ann"),
      bare: Object.assign(Object.create(null), { k: 1 }),
      error: new RangeError("out"),
      control: "tab\there\u2028",
    };
    const pid = await holding(t, state);
    assert.equal(
      formatState(t.system, pid).text,
      '{"big":10n,"sym":Symbol(tag),"fn":[Function handler],' +
        '"map":Map(2) {"a"=>1,2=>{"b":true}},"set":Set(1) {"x"},"bytes":Uint8Array(3) [1,2,3],' +
        '"longs":BigInt64Array(1) [5n],"buffer":ArrayBuffer { byteLength: 4 },"re":/ab+c/i,' +
        '"nan":NaN,"negZero":-0,"nothing":undefined,"session":Session {"user":"ann"},' +
        '"bare":{"k":1},"error":RangeError: out,"control":"tab\\there\u2028"}',
    );
    t.dispose();
  });

  it("survives getters that throw, Proxies, fake Maps", async () => {
    const t = createTestSystem();
    const state: Record<string, unknown> = { ok: 1 };
    Object.defineProperty(state, "bad", {
      enumerable: true,
      get() {
        throw new Error("no");
      },
    });
    state.trap = new Proxy({}, {
      ownKeys() {
        throw new Error("trap");
      },
    });
    const revocable = Proxy.revocable({}, {});
    revocable.revoke();
    state.revoked = revocable.proxy;
    state.fakeMap = Object.create(Map.prototype);
    state.proxiedMap = new Proxy(new Map([[1, 2]]), {});
    const pid = await holding(t, state);
    const preview = formatState(t.system, pid);
    assert.equal(
      preview.text,
      '{"ok":1,"bad":[unreadable],"trap":[unreadable],"revoked":[unreadable],' +
        '"fakeMap":Map {},"proxiedMap":Map {}}',
    );
    t.dispose();
  });

  it("elides entries beyond maxItems and long strings, and says so", async () => {
    const t = createTestSystem();
    const pid = await holding(t, {
      list: [1, 2, 3, 4, 5],
      set: new Set([1, 2, 3]),
      text: "z".repeat(50),
    });
    const preview = formatState(t.system, pid, { maxItems: 2, maxChars: 32 });
    assert.equal(preview.truncated, true);
    assert.equal(preview.text.length, 33);
    const wide = formatState(t.system, pid, { maxItems: 2 });
    assert.equal(
      wide.text,
      `{"list":[1,2,…3 more],"set":Set(3) {1,2,…1 more},…1 more}`,
    );
    assert.equal(wide.truncated, true);
    const all = formatState(t.system, pid);
    assert.equal(all.truncated, false);
    t.dispose();
  });

  it("is deterministic", async () => {
    const t = createTestSystem();
    const state = { m: new Map([["k", [1, { x: "y" }]]]), n: 1.5, when: new Date(5) };
    const pid = await holding(t, state);
    const first = formatState(t.system, pid, { maxChars: 40 });
    assert.deepEqual(formatState(t.system, pid, { maxChars: 40 }), first);
    t.dispose();
  });

  it("refuses bad options and dead or unknown targets", async () => {
    const t = createTestSystem();
    const pid = await t.start(idle);
    for (
      const options of [{ maxChars: 31 }, { maxChars: 40.5 }, { maxDepth: 33 }, { maxItems: 0 }]
    ) {
      assert.throws(() => formatState(t.system, pid, options), RangeError, JSON.stringify(options));
    }
    for (const options of [{ maxChars: "9" }, null, 5]) {
      assert.throws(() => formatState(t.system, pid, options as never), TypeError);
    }
    const hostile = {};
    Object.defineProperty(hostile, "maxChars", {
      get() {
        throw new Error("getter");
      },
    });
    assert.throws(() => formatState(t.system, pid, hostile), TypeError);
    t.system.exit(pid, "kill");
    await t.runUntilIdle();
    assert.throws(() => formatState(t.system, pid), NoProcError);
    assert.throws(() => formatState(t.system, "nobody"), NoProcError);
    assert.throws(() => formatState(t.system, 7 as never), TypeError);
    t.dispose();
  });

  it("says [starting] while init has not returned", async () => {
    const t = createTestSystem();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const starting = t.system.start(
      {
        init: async () => (await gate, ok({ token: SECRET })),
      },
      undefined,
      { name: "late" },
    );
    await t.runUntilIdle();
    assert.deepEqual(formatState(t.system, "late"), {
      pid: String(t.system.whereis("late")),
      formatted: false,
      text: "[starting]",
      truncated: false,
      error: null,
    });
    release();
    await starting;
    t.dispose();
  });
});

describe("formatState of the built-in behaviours", () => {
  it("a supervisor: settings, counts and its first children", async () => {
    const t = createTestSystem();
    const specs = Array.from({ length: 25 }, (_, i) => ({ id: `w${i}`, start: { server: idle } }));
    const sup = await settle(t, Supervisor.start(t.system, specs, { strategy: "one_for_all" }));
    const preview = formatState(t.system, sup);
    assert.equal(preview.formatted, true);
    assert.match(
      preview.text,
      /^\{"strategy":"one_for_all","intensity":3,"period":5000,"restartsInPeriod":0,"counts":\{"specs":25,"active":25,"supervisors":0,"workers":25\},"children":\[\{"id":"w0","pid":"#PID<[^>]+>","type":"worker","restart":"permanent"\},/,
    );
    assert.match(preview.text, /"more":5\}$/);
    assert.ok(!preview.text.includes('"w20"'));
    t.dispose();
  });

  it("a stage: its type, counters and what its own formatStatus shows", async () => {
    const t = createTestSystem();
    const producer = defineStage<{ next: number; key: string }, number, number>({
      type: "producer",
      init: (start) => ({ state: { next: start, key: SECRET } }),
      handleDemand: (demand, s) => ({
        events: Array.from({ length: demand }, (_, i) => s.next + i),
        state: { ...s, next: s.next + demand },
      }),
      formatStatus: ({ next }) => ({ next }),
    });
    const pid = await t.start(producer, 0);
    const preview = formatState(t.system, pid);
    assert.equal(preview.formatted, true);
    assert.match(
      preview.text,
      /^\{"type":"producer","labels":\{\},"state":\{"next":0\},"buffered":0,/,
    );
    assert.ok(!preview.text.includes(SECRET));
    t.dispose();
  });

  it("a batcher: its settings and counters, never its pending items", async () => {
    const t = createTestSystem();
    const batcher = await settle(
      t,
      Batcher.start(t.system, {
        name: "rows",
        maxItems: 100,
        interval: 1000,
        flush: () => {},
      }),
    );
    batcher.add({ password: SECRET });
    await t.runUntilIdle();
    const preview = formatState(t.system, batcher.pid!);
    assert.ok(!preview.text.includes(SECRET));
    assert.match(preview.text, /"name":"rows","maxItems":100,"interval":1000,/);
    assert.match(preview.text, /"pending":1/);
    t.dispose();
  });
});
