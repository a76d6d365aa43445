import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { CoreCode } from "../../src/core/core.ts";
import { coreCodeName, CoreError, expectOk } from "../../src/core/errors.ts";

describe("coreCodeName", () => {
  test("names every code", () => {
    for (const [name, code] of Object.entries(CoreCode)) assert.equal(coreCodeName(code), name);
  });

  test("says when a code is unknown", () => {
    assert.equal(coreCodeName(-99), "Unknown(-99)");
  });
});

describe("expectOk", () => {
  test("passes results that are not negative through", () => {
    assert.equal(expectOk(0, "next"), 0);
    assert.equal(expectOk(1048577, "spawn"), 1048577);
  });

  test("throws a CoreError that carries the code and the operation", () => {
    assert.throws(
      () => expectOk(CoreCode.Full, "enqueue"),
      (error: unknown) => {
        assert.ok(error instanceof CoreError);
        assert.equal(error.name, "CoreError");
        assert.equal(error.code, CoreCode.Full);
        assert.equal(error.codeName, "Full");
        assert.equal(error.operation, "enqueue");
        assert.match(error.message, /enqueue failed: Full \(-2\)/);
        return true;
      },
    );
  });
});
