/**
 * Runs one random operation sequence against a real `Table` and the
 * {@linkcode TableModel} side by side (private: not a test file). After every
 * step: the result agrees with the model (or the error is the one the model
 * expects, and the table is unchanged), and so do the rows, the size, the
 * owner, the name directory and — after an owner exit — deletion or transfer
 * to the heir, whose `handleInfo` gets exactly the `TableTransferMessage`s
 * the model expects.
 *
 * The operations run from host code (outside any process): access is not
 * checked there (the access tests check it from processes).
 *
 * @module
 */

import assert from "node:assert/strict";
import type { Pid } from "../../src/pid.ts";
import {
  ANY,
  Table,
  type TableAccess,
  TableDeletedError,
  TableKeyError,
  TableTransferMessage,
  TableTypeError,
  TableValueError,
} from "../../tables.ts";
import { ask, type Attempt, attempt, describeError, withProbes } from "./_fixtures.ts";
import { isRefusal, type Refusal, TableModel } from "./_model.ts";
import type { ModelType } from "./_model.ts";
import {
  type KeyChoice,
  type Op,
  type PatternSpec,
  type PredicateSpec,
  rowOf,
} from "./_arbitraries.ts";
import { canonical, type Row, sameTerm, termKey } from "./_term.ts";

const NAME = "model";

/** The real pattern of a generated pattern spec. */
export function patternOf(spec: PatternSpec): unknown[] {
  return spec.map((element) =>
    "any" in element
      ? ANY
      : "sub" in element
      ? element.sub.map((e) => ("any" in e ? ANY : e.term))
      : element.term
  );
}

/** The predicate of a generated predicate spec. */
export function predicateOf(spec: PredicateSpec): (row: Row) => boolean {
  if ("equals" in spec) return (row) => sameTerm(row[spec.col], spec.equals);
  return (row) => typeof row[spec.col] === "number" && (row[spec.col] as number) < spec.below;
}

/** How often each operation gave each outcome (`op:value` / `op:refused-kind`), over all runs. */
export const outcomes: Map<string, number> = new Map();

function count(what: string): void {
  outcomes.set(what, (outcomes.get(what) ?? 0) + 1);
}

interface Expected {
  from: Pid;
  data: unknown;
}

/** One run: a table of `type` owned by a probe, `ops` applied to it and to the model. */
export async function runModel(
  type: ModelType,
  keyPos: number,
  ops: readonly Op[],
  withHeir: boolean,
  access: TableAccess = "protected",
  /** Who runs step i (cycling): 0 host code, 1 the owner, 2 another process (public tables). */
  runners: readonly number[] = [],
): Promise<void> {
  const { system, pids } = await withProbes(4);
  try {
    const alive = new Set<number>([0, 1, 2, 3]);
    let owner = 0;
    let heir: number | null = withHeir ? 1 : null;
    let heirData: unknown = withHeir ? "initial" : undefined;
    const transfers: Expected[][] = [[], [], [], []];
    const table = new Table(system, {
      type,
      keyPos,
      name: NAME,
      owner: pids[0],
      access,
      ...(withHeir ? { heir: pids[1], heirData } : {}),
    });
    const model = new TableModel(type, keyPos, ANY);
    const ordered = type === "ordered_set";

    const keyOf = (choice: KeyChoice): unknown => {
      const keys = model.keys();
      return choice.pick !== null && keys.length > 0 ? keys[choice.pick % keys.length] : choice.key;
    };
    /** A structurally equal copy (not the stored array) of the pick-th row, if any. */
    const pickRow = (pick: number | null): Row | undefined => {
      const all = model.rows();
      return pick !== null && all.length > 0
        ? structuredClone(all[pick % all.length]) as Row
        : undefined;
    };
    /** Rows compared in order for an ordered_set, as multisets otherwise. */
    const sameRows = (actual: unknown, expected: Row[], what: string) => {
      assert.ok(Array.isArray(actual), `${what}: not an array`);
      if (ordered) assert.deepEqual(actual, expected, what);
      else assert.deepEqual(canonical(actual as Row[]), canonical(expected), what);
    };

    /**
     * Checks one step: `got` must be a refusal of the expected class (with the
     * table unchanged) or a value that `check` accepts.
     */
    const expect = <T>(
      what: string,
      before: readonly Row[],
      got: Attempt<T>,
      expected: Refusal | { value: unknown },
      check: (value: T, expectedValue: unknown) => void = (v, e) => assert.deepEqual(v, e, what),
    ) => {
      if (model.deleted) expected = { refused: "deleted" };
      count(
        `${what.split(" ")[2].match(/"op":"(\w+)"/)?.[1]}:${
          isRefusal(expected) ? `refused-${expected.refused}` : "ok"
        }`,
      );
      if (isRefusal(expected)) {
        assert.ok(
          !got.ok,
          `${what}: expected a refusal (${expected.refused}), got ${
            String(got.ok && JSON.stringify(got.value))
          }`,
        );
        const error = got.error;
        const ok = expected.refused === "deleted"
          ? error instanceof TableDeletedError
          : expected.refused === "type"
          ? error instanceof TableTypeError
          : expected.refused === "value"
          ? error instanceof TableValueError
          : error instanceof TableKeyError && error.reason === "missing";
        assert.ok(ok, `${what}: expected refusal ${expected.refused}, got ${describeError(error)}`);
        if (!model.deleted) {
          assert.deepEqual(table.toArray(), before, `${what}: refused but changed`);
        }
        return;
      }
      assert.ok(got.ok, `${what}: threw ${describeError(!got.ok && got.error)}`);
      check(got.value, expected.value);
    };

    const checkState = (what: string) => {
      assert.equal(table.deleted, model.deleted, `${what}: deleted`);
      if (model.deleted) {
        assert.equal(
          Table.whereis(system, NAME),
          undefined,
          `${what}: a deleted table is still named`,
        );
        assert.ok(!Table.list(system).includes(table), `${what}: a deleted table is still listed`);
        return;
      }
      sameRows(table.toArray(), model.rows(), `${what}: rows`);
      assert.deepEqual([...table], table.toArray(), `${what}: iterating the table`);
      assert.equal(table.size, model.size, `${what}: size`);
      const info = table.info();
      assert.equal(info.size, model.size, `${what}: info().size`);
      assert.ok(Number.isFinite(info.memory) && info.memory >= 0, `${what}: info().memory`);
      assert.ok(table.owner.equals(pids[owner]), `${what}: owner ${table.owner} != ${pids[owner]}`);
      assert.ok(info.owner.equals(pids[owner]), `${what}: info().owner`);
      const expectedHeir = heir === null ? undefined : String(pids[heir]);
      assert.equal(
        table.heir === undefined ? undefined : String(table.heir),
        expectedHeir,
        `${what}: heir`,
      );
      assert.equal(
        info.heir === undefined ? undefined : String(info.heir),
        expectedHeir,
        `${what}: info().heir`,
      );
      assert.equal(Table.whereis(system, NAME), table, `${what}: whereis`);
    };

    /** Who runs the current step's table operation. */
    let runner = 0;
    /**
     * Runs `f` as the current step's runner: from host code, or synchronously inside a
     * callback of the owner or (public tables) of another live process — all of which
     * access allows, so the outcome must be the model's whoever runs it.
     */
    const act = async <T>(f: () => T): Promise<Attempt<T>> => {
      if (runner === 0 || model.deleted) return attempt(f);
      const other = [...alive].find((i) => i !== owner);
      const who = runner === 2 && access === "public" && other !== undefined ? other : owner;
      return await ask(system, pids[who], () => attempt(f));
    };

    for (const [index, op] of ops.entries()) {
      runner = runners.length === 0 ? 0 : runners[index % runners.length];
      const what = `step ${index} ${JSON.stringify(op)}`;
      const before = model.deleted ? [] : table.toArray() as Row[];
      switch (op.op) {
        case "insert": {
          // pick: a copy of a row already there (an identical row, to a bag).
          const row = pickRow(op.pick) ?? op.row;
          expect(what, before, await act(() => table.insert(row)), { value: undefined });
          if (!model.deleted) model.insert(row);
          break;
        }
        case "insertMany":
          expect(what, before, await act(() => table.insertMany(op.rows)), { value: undefined });
          if (!model.deleted) model.insertMany(op.rows);
          break;
        case "insertNew": {
          const got = await act(() => table.insertNew(op.row));
          const expected = model.deleted ? false : model.insertNew(op.row);
          expect(what, before, got, { value: expected });
          break;
        }
        case "insertNewMany": {
          // Keys unique within the batch: which of two same-key rows wins is not specified.
          const seen = new Set<string>();
          const rows = op.rows.filter((row) => {
            const id = termKey(row[keyPos]);
            return seen.has(id) ? false : (seen.add(id), true);
          });
          const got = await act(() => table.insertNewMany(rows));
          const expected = model.deleted ? false : model.insertNewMany(rows);
          expect(what, before, got, { value: expected });
          break;
        }
        case "lookup": {
          const key = keyOf(op.key);
          expect(what, before, await act(() => table.lookup(key)), { value: model.lookup(key) });
          break;
        }
        case "get": {
          const key = keyOf(op.key);
          expect(what, before, await act(() => table.get(key)), { value: model.get(key) });
          break;
        }
        case "member": {
          const key = keyOf(op.key);
          expect(what, before, await act(() => table.member(key)), { value: model.member(key) });
          break;
        }
        case "lookupElement": {
          const key = keyOf(op.key);
          const rows = model.lookup(key);
          // As implemented: lookupElement is for one row per key (bags: TableTypeError).
          const expected: Refusal | { value: unknown } = !model.isSetType
            ? { refused: "type" }
            : rows.length === 0
            ? { refused: "missing" }
            : { value: rows[0][op.pos] };
          expect(what, before, await act(() => table.lookupElement(key, op.pos)), expected);
          break;
        }
        case "delete": {
          const key = keyOf(op.key);
          expect(what, before, await act(() => table.delete(key)), { value: undefined });
          if (!model.deleted) model.delete(key);
          break;
        }
        case "take": {
          const key = keyOf(op.key);
          const got = await act(() => table.take(key));
          expect(what, before, got, { value: model.deleted ? [] : model.take(key) });
          break;
        }
        case "deleteObject": {
          const row = pickRow(op.pick) ?? op.row;
          expect(what, before, await act(() => table.deleteObject(row)), { value: undefined });
          if (!model.deleted) model.deleteObject(row);
          break;
        }
        case "updateCounter": {
          const key = keyOf(op.key);
          const defaultRow = op.defaultValues === null
            ? undefined
            : rowOf(keyPos, key, op.defaultValues[0], op.defaultValues[1]);
          const modelOps = op.form === "incr"
            ? [{ pos: keyPos + 1, incr: op.ops[0].incr }]
            : op.form === "op"
            ? [op.ops[0]]
            : op.ops;
          const got = await act(() =>
            op.form === "incr"
              ? table.updateCounter(key, op.ops[0].incr, defaultRow)
              : op.form === "op"
              ? table.updateCounter(key, op.ops[0], defaultRow)
              : table.updateCounter(key, op.ops, defaultRow)
          );
          const result = model.deleted ? [] : model.updateCounter(key, modelOps, defaultRow);
          expect(
            what,
            before,
            got,
            isRefusal(result) ? result : { value: op.form === "ops" ? result : result[0] },
          );
          break;
        }
        case "updateElement": {
          const key = keyOf(op.key);
          const got = await act(() =>
            op.form === "single"
              ? table.updateElement(key, op.updates[0][0], op.updates[0][1])
              : table.updateElement(key, op.updates)
          );
          const updates = op.form === "single" ? [op.updates[0]] : op.updates;
          const result = model.deleted ? false : model.updateElement(key, updates);
          expect(what, before, got, isRefusal(result) ? result : { value: result });
          break;
        }
        case "match": {
          const pattern = patternOf(op.pattern);
          expect(
            what,
            before,
            await act(() => table.match(pattern as never)),
            { value: model.deleted ? [] : model.match(pattern) },
            (v, e) => sameRows(v, e as Row[], what),
          );
          break;
        }
        case "select": {
          const predicate = predicateOf(op.predicate);
          if (op.mode === "select") {
            expect(
              what,
              before,
              await act(() => table.select(predicate)),
              { value: model.deleted ? [] : model.select(predicate) },
              (v, e) => sameRows(v, e as Row[], what),
            );
          } else if (op.mode === "count") {
            expect(what, before, await act(() => table.selectCount(predicate)), {
              value: model.deleted ? 0 : model.select(predicate).length,
            });
          } else {
            const got = await act(() => table.selectDelete(predicate));
            expect(what, before, got, { value: model.deleted ? 0 : model.selectDelete(predicate) });
          }
          break;
        }
        case "range":
          // As implemented: range is for an ordered_set only (hash tables: TableTypeError).
          expect(
            what,
            before,
            await act(() => table.range(op.bounds)),
            ordered ? { value: model.deleted ? [] : model.range(op.bounds) } : { refused: "type" },
            (v, e) => sameRows(v, e as Row[], what),
          );
          break;
        case "walk": {
          const got = await act(() => walk(table, op.backwards, model.size + 5));
          const keys = model.keys();
          expect(
            what,
            before,
            got,
            { value: op.backwards ? [...keys].reverse() : keys },
            (v, e) => {
              if (ordered) assert.deepEqual(v, e, what);
              else {
                const k = (xs: unknown) => (xs as unknown[]).map(termKey).sort();
                assert.deepEqual(k(v), k(e), `${what}: the walk's keys`);
              }
            },
          );
          break;
        }
        case "nextOf": {
          const got = await act(() => table.next(op.key));
          if (ordered) {
            expect(what, before, got, { value: model.nextKey(op.key) });
          } else if (model.member(op.key) || model.deleted) {
            // Hash tables: next of a present key is another present key, or the end.
            expect(what, before, got, { value: undefined }, (v) => {
              if (v !== undefined) {
                assert.ok(model.member(v), `${what}: next gave a key not in the table`);
              }
            });
          }
          break;
        }
        case "deleteAll":
          expect(what, before, await act(() => table.deleteAll()), { value: undefined });
          if (!model.deleted) model.deleteAll();
          break;
        case "setHeir": {
          if (op.heir !== null && (!alive.has(op.heir) || op.heir === owner)) break;
          const pid = op.heir === null ? undefined : pids[op.heir];
          expect(what, before, attempt(() => table.setHeir(pid, op.data)), { value: undefined });
          if (!model.deleted) {
            heir = op.heir;
            heirData = op.data;
            assert.ok(
              op.heir === null ? table.heir === undefined : table.heir?.equals(pids[op.heir]),
              `${what}: heir`,
            );
          }
          break;
        }
        case "killOther":
          if (op.who === owner || !alive.has(op.who)) break;
          system.exit(pids[op.who], "kill");
          alive.delete(op.who);
          break;
        case "ownerExit": {
          if (!alive.has(owner)) break; // the table was deleted with its owner already
          const pid = pids[owner];
          if (op.how === "kill") system.exit(pid, "kill");
          else if (op.how === "shutdown") system.exit(pid, "shutdown");
          else {
            system.cast(pid, () => {
              throw new Error("owner crash");
            });
          }
          await system.runUntilIdle();
          assert.ok(!system.isAlive(pid), `${what}: the owner did not exit`);
          alive.delete(owner);
          if (heir !== null && alive.has(heir)) {
            transfers[heir].push({ from: pid, data: heirData });
            owner = heir;
            heir = null;
          } else {
            model.deleted = true;
          }
          break;
        }
      }
      checkState(what);
    }
    // Every live process got exactly the transfers the model expects, in handleInfo.
    for (const i of alive) {
      const got = await ask(
        system,
        pids[i],
        (_ctx, state) => state.log.filter((m) => m instanceof TableTransferMessage),
      ) as TableTransferMessage<Table>[];
      assert.equal(got.length, transfers[i].length, `transfers to process ${i}`);
      for (const [n, message] of got.entries()) {
        assert.equal(message.type, "ETS-TRANSFER");
        assert.equal(message.table, table, `transfer ${n} to ${i}: table`);
        assert.ok(message.from.equals(transfers[i][n].from), `transfer ${n} to ${i}: from`);
        assert.deepEqual(message.data, transfers[i][n].data, `transfer ${n} to ${i}: data`);
      }
    }
  } finally {
    system.shutdown();
  }
}

/** Every key by first/next (or last/prev), at most `max` steps. */
export function walk(table: Table, backwards: boolean, max: number): unknown[] {
  const keys: unknown[] = [];
  let key = backwards ? table.last() : table.first();
  while (key !== undefined) {
    keys.push(key);
    assert.ok(keys.length <= max, `the walk does not end (${keys.length} keys)`);
    key = backwards ? table.prev(key) : table.next(key);
  }
  return keys;
}
