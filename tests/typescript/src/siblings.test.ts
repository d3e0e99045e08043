/**
 * A request body in a second media type with another schema is a method of
 * its own: the edge-cases snapshot's `attachImage` takes `{image_url}` as
 * JSON, and `attachImageMultipart` uploads the image as multipart. Both go
 * to the same path on a loopback server. The Rust SDK has the same pair
 * (`tests/tests/e2e_multipart.rs`), the Python one `attach_image` and
 * `attach_image_multipart` (`tests/python/test_siblings.py`).
 */

import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

import { Snapshot, OPERATIONS } from "../../snapshots-typescript/edge-cases/src/index.js";

interface Seen {
  line: string;
  contentType: string;
  body: Buffer;
}

/** Runs `call` against a server answering 204, and returns the one request it saw. */
async function seen(call: (client: Snapshot) => Promise<unknown>): Promise<Seen> {
  const requests: Seen[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      requests.push({ line: `${req.method} ${req.url}`, contentType: req.headers["content-type"] ?? "", body: Buffer.concat(chunks) });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const { port } = server.address() as AddressInfo;
    await call(new Snapshot({ baseURL: `http://127.0.0.1:${port}/v1`, token: "t" }));
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  assert.equal(requests.length, 1);
  return requests[0]!;
}

test("the JSON method sends the JSON schema", async () => {
  const got = await seen((c) => c.default.attachImage("a/b", { image_url: "https://example.test/i.png" }));
  assert.equal(got.line, "POST /v1/things/a%2Fb/images");
  assert.match(got.contentType, /^application\/json/);
  assert.deepEqual(JSON.parse(got.body.toString("utf8")), { image_url: "https://example.test/i.png" });
});

test("the multipart method uploads the file to the same path", async () => {
  const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 255]);
  const got = await seen((c) => c.default.attachImageMultipart("a/b", { image: new Blob([png], { type: "image/png" }), caption: "a cat" }));
  assert.equal(got.line, "POST /v1/things/a%2Fb/images");
  const boundary = /^multipart\/form-data; boundary=(.+)$/.exec(got.contentType)?.[1];
  assert.ok(boundary, got.contentType);
  const text = got.body.toString("latin1");
  assert.match(text, /Content-Disposition: form-data; name="image"; filename="[^"]*"\r\nContent-Type: image\/png\r\n\r\n/);
  assert.ok(got.body.includes(Buffer.from(png)), "the file's bytes, unchanged");
  assert.match(text, /Content-Disposition: form-data; name="caption"\r\n\r\na cat\r\n/);
  assert.ok(text.trimEnd().endsWith(`--${boundary}--`));
});

test("the operation table lists both methods on one path", () => {
  const rows = OPERATIONS.filter((o) => o.path === "/things/{id}/images");
  assert.deepEqual(
    rows.map((o) => [o.operationId, o.member, o.body]),
    [
      ["attachImage", "attachImage", "json"],
      ["attachImage_multipart", "attachImageMultipart", "form"],
    ],
  );
});
