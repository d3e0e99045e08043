/** Url-encoded bodies: every row of the table the Python and Rust encoders are tested with (`tests/data/form-bodies.json`). */

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";

import { urlEncodedBody, type QueryParamStyle } from "../../../generated/typescript/interactor/src/index.js";
import { ROOT } from "./support.js";

interface Row {
  case: string;
  value: unknown;
  encoding: Record<string, QueryParamStyle>;
  fields: [string, string][];
}

const rows = (JSON.parse(readFileSync(join(ROOT, "tests", "data", "form-bodies.json"), "utf8")) as { cases: Row[] }).cases;

test("every row of the shared form-body table", () => {
  assert.ok(rows.length >= 16, "the table has its rows");
  for (const row of rows) {
    const { data } = urlEncodedBody(row.value, row.encoding);
    assert.ok(data instanceof URLSearchParams, row.case);
    assert.deepEqual([...data.entries()], row.fields, row.case);
  }
});
