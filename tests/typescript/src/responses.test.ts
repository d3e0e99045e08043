/**
 * Responses without a body beside typed ones of the same group: the
 * edge-cases snapshot's `getThing` (200 `Thing` or 202 without a body;
 * 404 `Problem` or 409 without one), answered by a loopback server. The
 * Rust SDK returns the same answers as `Some`/`None`
 * (`tests/tests/e2e_empty_responses.rs`), the Python one as a model or
 * `None` (`tests/python/test_responses.py`).
 */

import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

import { Snapshot, APIError, NotFoundError, ConflictError } from "../../snapshots-typescript/edge-cases/src/index.js";

const THING = { id: "t1", kind: "thing", shape: { type: "circle", radius: 1 } };

/** Calls `getThing("t1")` against a server answering `status` with `body` (JSON unless undefined). */
async function getThing(status: number, body?: unknown): Promise<unknown> {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    if (body === undefined) {
      res.writeHead(status).end();
    } else {
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const client = new Snapshot({ baseURL: `http://127.0.0.1:${port}/v1`, token: "t" });
    return await client.default.getThing("t1").catch((e: unknown) => e);
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    assert.deepEqual(seen, ["GET /v1/things/t1"]);
  }
}

test("a typed success is the value", async () => {
  assert.deepEqual(await getThing(200, THING), THING);
});

test("a success without a body is undefined", async () => {
  assert.equal(await getThing(202), undefined);
});

test("a typed error carries its body", async () => {
  const e = await getThing(404, { code: "missing" });
  assert.ok(e instanceof NotFoundError, String(e));
  assert.deepEqual(e.body, { code: "missing" });
});

test("an error without a body has none", async () => {
  const e = await getThing(409);
  assert.ok(e instanceof ConflictError && e instanceof APIError, String(e));
  assert.equal(e.status, 409);
  assert.equal(e.body, undefined);
});
