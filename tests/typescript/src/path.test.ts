/**
 * Path parameter styles: every row of the table the Python and Rust
 * encoders are tested with (`tests/data/path-styles.json`), then the
 * edge-cases snapshot's `getCells` and `searchThings` (`simple`, `label`
 * and `matrix`; arrays and an object) sent to a loopback server, whose
 * request line is read back.
 */

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";

import { InvalidRequestError, encodePathParam, type PathStyle } from "../../../generated/typescript/interactor/src/index.js";
// The snapshot package carries its own copy of the runtime, and of its error classes.
import { Snapshot, InvalidRequestError as SnapshotInvalidRequestError } from "../../snapshots-typescript/edge-cases/src/index.js";
import { ROOT } from "./support.js";

interface Row {
  case: string;
  name: string;
  style: PathStyle;
  explode: boolean;
  value: unknown;
  expect?: string;
  error?: boolean;
}

const rows = (JSON.parse(readFileSync(join(ROOT, "tests", "data", "path-styles.json"), "utf8")) as { cases: Row[] }).cases;

test("every row of the shared path-style table", () => {
  assert.ok(rows.length >= 40, "the table has its rows");
  for (const row of rows) {
    if (row.error === true) {
      assert.throws(() => encodePathParam(row.name, row.value, row.style, row.explode), (e: unknown) => e instanceof InvalidRequestError && e.message.includes(`path parameter \`${row.name}\``), row.case);
    } else {
      assert.equal(encodePathParam(row.name, row.value, row.style, row.explode), row.expect, row.case);
    }
  }
});

/** Runs `send` against a loopback server answering `200 []`; returns the request targets it saw. */
async function targets(send: (client: Snapshot) => Promise<void>): Promise<string[]> {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    seen.push(req.url ?? "");
    res.writeHead(200, { "content-type": "application/json" }).end("[]");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const { port } = server.address() as AddressInfo;
    await send(new Snapshot({ baseURL: `http://127.0.0.1:${port}/v1`, token: "t" }));
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  return seen;
}

test("a generated method writes each path parameter in its style", async () => {
  const seen = await targets(async (client) => {
    await client.default.getCells([1, 2], ["x", "y z"], { col: 3, row: 1 }, ["a", "b;c"]);
    await client.default.searchThings("s");
  });
  assert.deepEqual(seen, ["/v1/cells/1,2/.x.y%20z/;at=col,3,row,1;flags=a;flags=b%3Bc", "/v1/search/.s"]);
});

test("a path value that would not name one segment is refused before anything is sent", async () => {
  const seen = await targets(async (client) => {
    await assert.rejects(client.default.getCells([], ["x"], {}, []), (e: unknown) => e instanceof SnapshotInvalidRequestError && e.message.includes("path parameter `ids`"));
  });
  assert.deepEqual(seen, []);
});
