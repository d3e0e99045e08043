/**
 * Query parameter styles: every row of the table the Python and Rust
 * encoders are tested with (`tests/data/query-styles.json`), then a
 * generated method whose parameter is not `form`, exploded, end to end.
 */

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";

import { Interactor, encodeQueryParam, queryString, type QueryParamStyle } from "../../../generated/typescript/interactor/src/index.js";
import { ROOT } from "./support.js";

interface Row {
  case: string;
  name: string;
  style: QueryParamStyle["style"];
  explode: boolean;
  value: unknown;
  expect: string;
}

const rows = (JSON.parse(readFileSync(join(ROOT, "tests", "data", "query-styles.json"), "utf8")) as { cases: Row[] }).cases;

test("every row of the shared query-style table", () => {
  assert.ok(rows.length >= 30, "the table has its rows");
  for (const row of rows) {
    assert.equal(encodeQueryParam(row.name, row.value, { style: row.style, explode: row.explode }).join("&"), row.expect, row.case);
  }
});

test("queryString: each parameter in its own style, default form", () => {
  const query = queryString(
    { expand: ["a", "b"], created: { gt: 1 }, tags: ["x", "y"], limit: 3, skipped: undefined, q: "a b" },
    { expand: { style: "deepObject", explode: true }, created: { style: "deepObject", explode: true }, tags: { style: "form", explode: false } },
  );
  assert.equal(query, "expand[0]=a&expand[1]=b&created[gt]=1&tags=x,y&limit=3&q=a%20b");
  assert.equal(queryString({}), "");
});

test("a generated method sends its explode: false parameter comma-separated", async () => {
  const urls: string[] = [];
  const fetch = async (input: string | URL | Request): Promise<Response> => {
    urls.push(String(input));
    return new Response(JSON.stringify({ data: { events: [], pagination: {} } }), { status: 200, headers: { "content-type": "application/json" } });
  };
  const client = new Interactor({ baseURL: "http://127.0.0.1:9", token: "t", fetch: fetch as typeof globalThis.fetch });
  await client.workflowHistory.listInstance("wi_1", { types: ["transition", "step"], limit: 5 });
  assert.equal(urls.length, 1);
  const url = new URL(urls[0] ?? "");
  assert.equal(url.pathname, "/workflows/instances/wi_1/history");
  assert.equal(url.search, "?limit=5&types=transition,step");
});
