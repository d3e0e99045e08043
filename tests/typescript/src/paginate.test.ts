/**
 * Cursor pagination (the fake server's lists are page-style): the runtime's
 * `paginate` against a small cursor-paged server on loopback.
 */

import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";

import { BaseClient, type Pagination } from "../../../generated/typescript/interactor/src/index.js";

test("cursor pagination follows next_cursor until it is absent", async () => {
  const items = Array.from({ length: 11 }, (_, i) => `item${i}`);
  const cursors: (string | null)[] = [];
  const server = createServer((req, res) => {
    const cursor = new URL(req.url ?? "/", "http://x").searchParams.get("cursor");
    cursors.push(cursor);
    const start = cursor === null ? 0 : Number(cursor.slice(1));
    const page = items.slice(start, start + 4);
    const next = start + 4 < items.length ? `c${start + 4}` : null;
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ data: { items: page }, next_cursor: next }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  assert.ok(typeof address === "object" && address !== null);
  try {
    const client = new BaseClient({ baseURL: `http://127.0.0.1:${address.port}`, token: "t" }, { base: [], auth: [] }, "test");
    const style: Pagination = { style: "cursor", items: "/data/items", cursorParam: "cursor", nextCursor: "/next_cursor" };
    const got: string[] = [];
    for await (const item of client.paginate<string>({ operationId: "list", method: "GET", path: "/things" }, style)) got.push(item);
    assert.deepEqual(got, items);
    assert.deepEqual(cursors, [null, "c4", "c8"]);
  } finally {
    server.close();
  }
});
