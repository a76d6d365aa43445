/**
 * The YAML emitter of the ops generators: maps, lists, bare identifiers,
 * single-quoted strings, literal blocks for multi-line text, JSON strings
 * where neither can say the text exactly.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { toYaml } from "../../src/ops/_yaml.ts";

describe("toYaml", () => {
  it("writes nested maps and lists", () => {
    assert.equal(
      toYaml({ a: [{ b: 1, c: [true, null] }, "x"], d: {}, e: [], f: undefined }),
      "a:\n  - b: 1\n    c:\n      - true\n      - null\n  - x\nd: {}\ne: []\n",
    );
  });

  it("quotes what YAML would read as something else, as deno fmt does", () => {
    assert.equal(
      toYaml({ a: "yes", b: "5m", c: "it's", d: "a: b", e: "" }),
      'a: "yes"\nb: "5m"\nc: "it\'s"\nd: "a: b"\ne: ""\n',
    );
    // A double quote or a backslash: single quotes, where neither needs an escape.
    assert.equal(toYaml({ m: 'x{a="b"}', n: "it's \\" }), "m: 'x{a=\"b\"}'\nn: 'it''s \\'\n");
    assert.equal(toYaml({ "odd key": "tab\there" }), '"odd key": "tab\\there"\n');
    assert.equal(toYaml({ record: "job:x:rate5m", a: "x:" }), 'record: job:x:rate5m\na: "x:"\n');
  });

  it("writes multi-line text as a literal block, unless it starts or ends with blanks", () => {
    assert.equal(toYaml({ expr: "a\n  b\n\nc" }), "expr: |-\n  a\n    b\n\n  c\n");
    assert.equal(toYaml([{ expr: "a\nb" }]), "- expr: |-\n    a\n    b\n");
    assert.equal(toYaml({ expr: " a\nb" }), 'expr: " a\\nb"\n');
    assert.equal(toYaml({ expr: "a\nb\n" }), 'expr: "a\\nb\\n"\n');
  });

  it("refuses numbers YAML cannot hold", () => {
    assert.throws(() => toYaml({ a: NaN }), RangeError);
  });
});
