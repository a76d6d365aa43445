/**
 * Owners and heirs: a table dies with its owner however the owner exits
 * (kill, crash, normal stop, a failed init, the system's shutdown) unless a
 * live heir takes it; the heir becomes the owner at once, in the exit
 * clean-up, and is told by a `TableTransferMessage` in `handleInfo`, after
 * which it may pass the table on in turn. `giveAway` and `setHeir` are the
 * owner's; the name of a deleted table is free again.
 *
 * @module
 */

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type GenServer, noreply, ok, stop } from "../../src/gen_server.ts";
import type { Pid } from "../../src/pid.ts";
import type { System } from "../../src/system.ts";
import {
  Table,
  TableAccessError,
  TableDeletedError,
  TableOwnerError,
  TableTransferMessage,
} from "../../tables.ts";
import { manual, startManual } from "../_helpers.ts";
import { ask, assertRefused, attempt, withProbes } from "./_fixtures.ts";

type Row = [string, number];

/** What an heir saw in handleInfo: each transfer message, with the owner it saw at that moment. */
interface HeirState {
  transfers: { message: TableTransferMessage<Table<Row>>; ownerThen: Pid }[];
  /** Whom to pass an inherited table to (as its new heir), if anyone. */
  passTo?: Pid;
}

/** A process that records the tables it inherits and, if told, names its own heir for them. */
const heirServer: GenServer<HeirState, Pid | undefined, Pid | undefined> = {
  init: (passTo) => ok({ transfers: [], passTo }),
  handleInfo: (message, state, ctx) => {
    if (message instanceof TableTransferMessage) {
      const table = message.table as Table<Row>;
      state.transfers.push({ message, ownerThen: table.owner });
      // The new owner may use the table as an owner at once: write it, name its own heir.
      assert.ok(table.owner.equals(ctx.self));
      table.insert(["inherited-by", ctx.self.serial]);
      if (state.passTo !== undefined) table.setHeir(state.passTo, "passed on");
    }
    return noreply(state);
  },
};

async function transfersOf(system: System, pid: Pid): Promise<HeirState["transfers"]> {
  // The heir's state, read through a probe-like call: formatState shows a GenServer's state.
  await system.runUntilIdle();
  return (system.formatState(pid) as HeirState).transfers;
}

const EXITS = ["kill", "crash", "normal stop", "shutdown signal"] as const;

/** Makes `pid` exit as `how`, then runs the system until idle. */
async function exitAs(system: System, pid: Pid, how: (typeof EXITS)[number]): Promise<void> {
  if (how === "kill") system.exit(pid, "kill");
  else if (how === "shutdown signal") system.exit(pid, "shutdown");
  else if (how === "crash") {
    system.cast(pid, () => {
      throw new Error("owner crash");
    });
  } else system.cast(pid, (() => "stop") as never);
  await system.runUntilIdle();
  assert.equal(system.isAlive(pid), false, `the owner survived a ${how}`);
}

/** An owner that stops normally on the cast "stop" function, and crashes on a throwing one. */
const ownerServer: GenServer<null, null> = {
  init: () => ok(null),
  handleCast: (run, state) => {
    const result = (run as () => unknown)();
    return result === "stop" ? stop("normal", state) : noreply(state);
  },
};

describe("owner exit without an heir", () => {
  for (const how of EXITS) {
    it(`${how}: the table is deleted, every operation throws TableDeletedError`, async () => {
      const { system } = manual();
      try {
        const owner = await startManual(system, ownerServer, null);
        const table = new Table<Row>(system, { owner, name: "t" });
        table.insertMany([["a", 1], ["b", 2]]);
        await exitAs(system, owner, how);
        assert.equal(table.deleted, true);
        assert.equal(Table.whereis(system, "t"), undefined);
        assert.deepEqual(Table.list(system), []);
        for (
          const run of [
            () => table.lookup("a"),
            () => table.insert(["c", 3]),
            () => table.toArray(),
          ]
        ) {
          const got = attempt(run);
          assert.ok(!got.ok && got.error instanceof TableDeletedError);
        }
        // The name is free again.
        const other = await startManual(system, ownerServer, null);
        const again = new Table<Row>(system, { owner: other, name: "t" });
        assert.equal(Table.whereis(system, "t"), again);
        assert.deepEqual(again.toArray(), []);
      } finally {
        system.shutdown();
      }
    });
  }

  it("a table made in an init that then fails is deleted with the process", async () => {
    const { system } = manual();
    try {
      let made: Table<Row> | undefined;
      const failing: GenServer<null, null> = {
        init: (_arg, ctx) => {
          made = new Table<Row>(ctx, { name: "from-init" });
          throw new Error("init fails");
        },
      };
      const started = system.start(failing, null);
      started.catch(() => {});
      await system.runUntilIdle();
      await assert.rejects(started);
      assert.ok(made !== undefined);
      assert.equal(made.deleted, true);
      assert.equal(Table.whereis(system, "from-init"), undefined);
    } finally {
      system.shutdown();
    }
  });

  it("system.shutdown() deletes every table", async () => {
    const { system, pids } = await withProbes(2);
    const tables = pids.map((owner) => new Table<Row>(system, { owner }));
    system.shutdown();
    await system.runUntilIdle();
    for (const table of tables) assert.equal(table.deleted, true);
    assert.deepEqual(Table.list(system), []);
  });

  it("an heir that is the owner itself does not keep the table", async () => {
    const { system, pids: [owner] } = await withProbes(1);
    try {
      const table = new Table<Row>(system, { owner, heir: owner });
      system.exit(owner, "kill");
      assert.equal(table.deleted, true);
    } finally {
      system.shutdown();
    }
  });
});

describe("owner exit with an heir", () => {
  for (const how of EXITS) {
    it(`${how}: the heir owns the table at once and gets a TableTransferMessage in handleInfo`, async () => {
      const { system } = manual();
      try {
        const owner = await startManual(system, ownerServer, null);
        const heir = await startManual(system, heirServer, undefined);
        const table = new Table<Row>(system, {
          owner,
          heir,
          heirData: { why: "backup" },
          name: "t",
        });
        table.insertMany([["a", 1], ["b", 2]]);
        await exitAs(system, owner, how);
        assert.equal(table.deleted, false);
        assert.ok(table.owner.equals(heir));
        assert.equal(table.heir, undefined, "the heir is used up");
        const transfers = await transfersOf(system, heir);
        assert.equal(transfers.length, 1);
        const { message, ownerThen } = transfers[0];
        assert.equal(message.type, "ETS-TRANSFER");
        assert.equal(message.table, table);
        assert.ok(message.from.equals(owner));
        assert.deepEqual(message.data, { why: "backup" });
        assert.ok(ownerThen.equals(heir), "the heir already owned the table in handleInfo");
        assert.deepEqual(table.lookup("a"), [["a", 1]], "the rows are kept");
        assert.deepEqual(table.lookup("inherited-by"), [["inherited-by", heir.serial]]);
        assert.equal(Table.whereis(system, "t"), table);
        assert.ok(table.info().owner.equals(heir));
      } finally {
        system.shutdown();
      }
    });
  }

  it("the table passes down a chain of heirs, then dies with the last owner", async () => {
    const { system } = manual();
    try {
      const third = await startManual(system, heirServer, undefined);
      const second = await startManual(system, heirServer, third);
      const owner = await startManual(system, ownerServer, null);
      const table = new Table<Row>(system, { owner, heir: second, heirData: 1 });
      system.exit(owner, "kill");
      await system.runUntilIdle();
      assert.ok(table.owner.equals(second));
      assert.ok(table.heir?.equals(third), "the second owner named its heir in handleInfo");
      system.exit(second, "kill");
      await system.runUntilIdle();
      assert.ok(table.owner.equals(third));
      const got = await transfersOf(system, third);
      assert.equal(got.length, 1);
      assert.ok(got[0].message.from.equals(second));
      assert.equal(got[0].message.data, "passed on");
      system.exit(third, "kill");
      assert.equal(table.deleted, true);
    } finally {
      system.shutdown();
    }
  });

  it("a dead heir does not inherit: the table is deleted", async () => {
    const { system, pids: [owner, heir] } = await withProbes(2);
    try {
      const table = new Table<Row>(system, { owner, heir });
      system.exit(heir, "kill");
      system.exit(owner, "kill");
      assert.equal(table.deleted, true);
    } finally {
      system.shutdown();
    }
  });

  it("setHeir(undefined) removes the heir; setHeir changes heirData", async () => {
    const { system, pids: [owner, a, b] } = await withProbes(3);
    try {
      const table = new Table<Row>(system, { owner, heir: a, heirData: "for a" });
      table.setHeir(undefined);
      assert.equal(table.heir, undefined);
      table.setHeir(b, "for b");
      assert.equal(String(table.heir), String(b));
      system.exit(owner, "kill");
      await system.runUntilIdle();
      assert.ok(table.owner.equals(b));
      const log = await ask(system, b, (_ctx, state) => state.log);
      const messages = log.filter((m) => m instanceof TableTransferMessage);
      assert.equal(messages.length, 1);
      assert.equal((messages[0] as TableTransferMessage).data, "for b");
      const logA = await ask(system, a, (_ctx, state) => state.log);
      assert.deepEqual(logA, [], "the former heir heard nothing");
    } finally {
      system.shutdown();
    }
  });

  it("two tables of one owner go to their own heirs", async () => {
    const { system, pids: [owner, a, b] } = await withProbes(3);
    try {
      const ta = new Table<Row>(system, { owner, heir: a, heirData: "ta" });
      const tb = new Table<Row>(system, { owner, heir: b, heirData: "tb" });
      const tc = new Table<Row>(system, { owner });
      system.exit(owner, "kill");
      assert.ok(ta.owner.equals(a));
      assert.ok(tb.owner.equals(b));
      assert.equal(tc.deleted, true);
      assert.deepEqual(Table.list(system), [ta, tb]);
      await system.runUntilIdle();
      const logA = await ask(system, a, (_ctx, state) => state.log);
      const logB = await ask(system, b, (_ctx, state) => state.log);
      assert.deepEqual(logA.map((m) => (m as TableTransferMessage).data), ["ta"]);
      assert.deepEqual(logB.map((m) => (m as TableTransferMessage).data), ["tb"]);
    } finally {
      system.shutdown();
    }
  });
});

describe("giveAway, setHeir and deleteTable", () => {
  it("giveAway: the receiver owns the table and gets the message with the data", async () => {
    const { system, pids: [owner, receiver] } = await withProbes(2);
    try {
      const table = new Table<Row>(system, { owner });
      await ask(system, owner, () => table.giveAway(receiver, 42));
      assert.ok(table.owner.equals(receiver));
      const log = await ask(system, receiver, (_ctx, state) => state.log);
      assert.equal(log.length, 1);
      const message = log[0] as TableTransferMessage;
      assert.ok(message instanceof TableTransferMessage);
      assert.equal(message.table, table);
      assert.ok(message.from.equals(owner));
      assert.equal(message.data, 42);
      // The old owner's exit no longer touches the table.
      system.exit(owner, "kill");
      assert.equal(table.deleted, false);
    } finally {
      system.shutdown();
    }
  });

  it("giveAway to a dead process or to the owner itself: TableOwnerError, nothing changes", async () => {
    const { system, pids: [owner, dead] } = await withProbes(2);
    try {
      const table = new Table<Row>(system, { owner });
      table.insert(["a", 1]);
      system.exit(dead, "kill");
      assertRefused(table, () => table.giveAway(dead), TableOwnerError, "giveAway to a dead pid");
      assertRefused(table, () => table.giveAway(owner), TableOwnerError, "giveAway to the owner");
      assert.ok(table.owner.equals(owner));
      assert.deepEqual(await ask(system, owner, (_c, s) => s.log), []);
    } finally {
      system.shutdown();
    }
  });

  it("setHeir, giveAway and deleteTable from another process: TableAccessError, even on a public table", async () => {
    const { system, pids: [owner, other] } = await withProbes(2);
    try {
      const table = new Table<Row>(system, { owner, access: "public" });
      table.insert(["a", 1]);
      for (
        const [what, run] of [
          ["setHeir", () => table.setHeir(other)],
          ["giveAway", () => table.giveAway(other)],
          ["deleteTable", () => table.deleteTable()],
        ] as const
      ) {
        const got = await ask(system, other, () => attempt(run));
        assert.ok(!got.ok && got.error instanceof TableAccessError, `${what} by another process`);
      }
      assert.equal(table.deleted, false);
      assert.equal(table.heir, undefined);
      assert.ok(table.owner.equals(owner));
      assert.deepEqual(table.toArray(), [["a", 1]]);
    } finally {
      system.shutdown();
    }
  });

  it("deleteTable by the owner frees the name; the table's later owner exit is harmless", async () => {
    const { system, pids: [owner, heir] } = await withProbes(2);
    try {
      const table = new Table<Row>(system, { owner, heir, name: "gone" });
      await ask(system, owner, () => table.deleteTable());
      assert.equal(table.deleted, true);
      assert.equal(Table.whereis(system, "gone"), undefined);
      system.exit(owner, "kill");
      await system.runUntilIdle();
      assert.deepEqual(
        await ask(system, heir, (_c, s) => s.log),
        [],
        "a deleted table was inherited",
      );
    } finally {
      system.shutdown();
    }
  });

  it("a table made with the System inside a callback belongs to the running process", async () => {
    const { system, pids: [owner] } = await withProbes(1);
    try {
      const table = await ask(system, owner, (ctx) => new Table<Row>(ctx.system));
      assert.ok(table.owner.equals(owner));
      system.exit(owner, "kill");
      assert.equal(table.deleted, true);
    } finally {
      system.shutdown();
    }
  });

  it("Table.list gives the live tables in creation order", async () => {
    const { system, pids: [a, b] } = await withProbes(2);
    try {
      const t1 = new Table<Row>(system, { owner: a });
      const t2 = new Table<Row>(system, { owner: b });
      const t3 = new Table<Row>(system, { owner: a, name: "three" });
      assert.deepEqual(Table.list(system), [t1, t2, t3]);
      system.exit(b, "kill");
      assert.deepEqual(Table.list(system), [t1, t3]);
      t1.deleteTable();
      assert.deepEqual(Table.list(system), [t3]);
    } finally {
      system.shutdown();
    }
  });
});
