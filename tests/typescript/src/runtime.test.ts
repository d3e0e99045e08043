/** The runtime's pure parts: retry classification and hints, backoff, budget, token cache, path encoding, form bodies. */

import { test } from "node:test";
import assert from "node:assert/strict";

import { Interactor, InteractorError, InvalidRequestError, RetryBudget, SDKError, RetryStrategy, TokenCache, classify, encodePathSegment, multipartBody, parseRetryAfter, parseRetryAfterMs, retryAfter, urlEncodedBody } from "../../../generated/typescript/interactor/src/index.js";
import { Snapshot, SnapshotError, InvalidRequestError as SnapshotInvalidRequestError } from "../../snapshots-typescript/edge-cases/src/index.js";

test("classification", () => {
  const cases: [number | undefined, string, boolean, string][] = [
    [200, "POST", false, "success"],
    [304, "GET", false, "success"],
    [400, "GET", false, "not-retryable"],
    [401, "GET", false, "not-retryable"],
    [500, "GET", false, "not-retryable"],
    [501, "GET", false, "not-retryable"],
    [429, "GET", false, "throttled"],
    [502, "HEAD", false, "unavailable"],
    [503, "PUT", false, "unavailable"],
    [504, "DELETE", false, "unavailable"],
    [503, "POST", false, "not-idempotent"],
    [503, "PATCH", false, "not-idempotent"],
    [503, "POST", true, "unavailable"],
    [429, "PATCH", true, "throttled"],
    [undefined, "GET", false, "connect"],
    [undefined, "POST", false, "not-idempotent"],
  ];
  for (const [status, method, key, expect] of cases) assert.equal(classify(status, method, key), expect, `${status} ${method} key=${key}`);
});

test("Retry-After and retry-after-ms", () => {
  const now = Date.UTC(2015, 9, 21, 7, 28, 0);
  const cases: [string, number | undefined][] = [
    ["0", 0],
    ["120", 120_000],
    [" 7 ", 7_000],
    ["", undefined],
    ["-1", undefined],
    ["1.5", undefined],
    ["soon", undefined],
    ["Wed, 21 Oct 2015 07:28:30 GMT", 30_000],
    ["Wed, 21 Oct 2015 07:27:00 GMT", 0],
    ["Wednesday, 21-Oct-15 07:28:10 GMT", 10_000],
  ];
  for (const [value, expect] of cases) assert.equal(parseRetryAfter(value, now), expect, JSON.stringify(value));
  assert.equal(parseRetryAfterMs("250"), 250);
  assert.equal(parseRetryAfterMs("2.5"), 2.5);
  assert.equal(parseRetryAfterMs("-3"), undefined);
  assert.equal(parseRetryAfterMs("x"), undefined);
  // retry-after-ms wins; the cap applies.
  assert.equal(retryAfter(new Headers({ "retry-after-ms": "20", "retry-after": "9" }), now, 60_000), 20);
  assert.equal(retryAfter(new Headers({ "retry-after": "9999" }), now, 60_000), 60_000);
  assert.equal(retryAfter(new Headers(), now, 60_000), undefined);
});

test("full jitter stays under the ceiling; attempts and budget end retries", () => {
  const top = new RetryStrategy({ initialBackoffMs: 100, maxBackoffMs: 1000 }, new RetryBudget(), () => 0.999999);
  assert.ok(top.backoff(0) < 100 && top.backoff(0) > 99);
  assert.ok(top.backoff(3) < 800 && top.backoff(3) > 799);
  assert.ok(top.backoff(10) <= 1000);
  assert.equal(new RetryStrategy({}, new RetryBudget(), () => 0).backoff(5), 0);
  const s = new RetryStrategy({ maxAttempts: 3 }, new RetryBudget(10, 5, 1));
  assert.deepEqual(s.shouldRetry(1, "throttled", 1500), { retry: true, waitMs: 1500 });
  assert.deepEqual(s.shouldRetry(3, "throttled", 1), { retry: false, reason: "max-attempts" });
  assert.deepEqual(s.shouldRetry(1, "not-idempotent", undefined), { retry: false, reason: "not-idempotent" });
  assert.equal(s.shouldRetry(1, "unavailable", 0).retry, true);
  assert.deepEqual(s.shouldRetry(1, "unavailable", 0), { retry: false, reason: "budget-exhausted" });
  s.onSuccess();
  assert.equal(s.budget.available, 1);
  assert.deepEqual(new RetryStrategy({ maxRetryAfterMs: 10 }).shouldRetry(1, "throttled", 5000), { retry: true, waitMs: 10 });
});

test("token cache: single flight, refresh buffer, invalidate, failures not cached", async () => {
  let now = 0;
  const cache = new TokenCache(60_000, 3_600_000, () => now);
  let fetches = 0;
  const fetch = async () => {
    fetches++;
    await new Promise((r) => setTimeout(r, 5));
    return { accessToken: `tok${fetches}`, expiresIn: 3600 };
  };
  const tokens = await Promise.all(Array.from({ length: 50 }, () => cache.get(fetch)));
  assert.equal(fetches, 1);
  assert.ok(tokens.every((t) => t === tokens[0]));
  assert.equal(tokens[0]!.refreshAt, 3_540_000);
  now = 3_539_999;
  assert.equal((await cache.get(fetch)).secret(), "tok1");
  now = 3_540_000;
  assert.equal((await cache.get(fetch)).secret(), "tok2");
  const t2 = await cache.get(fetch);
  cache.invalidate(tokens[0]!); // an older token: kept
  assert.equal(await cache.get(fetch), t2);
  cache.invalidate(t2);
  assert.equal((await cache.get(fetch)).secret(), "tok3");
  // A lifetime under the buffer refreshes at half-life.
  const short = new TokenCache(60_000, 3_600_000, () => 0);
  assert.equal((await short.get(async () => ({ accessToken: "s", expiresIn: 30 }))).refreshAt, 15_000);
  // A failure reaches every waiter and is not cached.
  const failing = new TokenCache();
  let calls = 0;
  const boom = async () => {
    calls++;
    throw new Error("down");
  };
  const results = await Promise.allSettled([failing.get(boom), failing.get(boom)]);
  assert.ok(results.every((r) => r.status === "rejected"));
  assert.equal(calls, 1);
  await assert.rejects(failing.get(boom));
  assert.equal(calls, 2);
  assert.ok(!JSON.stringify(t2).includes("tok2") && !String(t2).includes("tok2"));
});

test("path segments are encoded, and ids that are not one segment are refused", () => {
  const cases: [string, string][] = [
    ["asst_1", "asst_1"],
    ["../x", "..%2Fx"],
    ["a/b?c#d", "a%2Fb%3Fc%23d"],
    ["100%", "100%25"],
    ["sp ace", "sp%20ace"],
    ["...", "..."],
    ["ünï", "%C3%BCn%C3%AF"],
  ];
  for (const [value, expect] of cases) assert.equal(encodePathSegment("id", value), expect, value);
  for (const bad of ["", ".", ".."]) assert.throws(() => encodePathSegment("id", bad), InvalidRequestError, JSON.stringify(bad));
});

test("url-encoded bodies: arrays repeat the key, objects are deepObject, arrays of objects are indexed", () => {
  const body = urlEncodedBody({
    amount: 2000,
    capture: false,
    description: "a&b=c ü",
    skipped: undefined,
    cleared: null,
    expand: ["customer", "invoice"],
    metadata: { order: "6735", "a b": 1 },
    items: [{ price: "p1", quantity: 2 }, { price: "p2" }],
  });
  assert.equal(body.contentType, "application/x-www-form-urlencoded");
  assert.equal(
    String(body.data),
    "amount=2000&capture=false&description=a%26b%3Dc+%C3%BC&expand=customer&expand=invoice&metadata%5Border%5D=6735&metadata%5Ba+b%5D=1" +
      "&items%5B0%5D%5Bprice%5D=p1&items%5B0%5D%5Bquantity%5D=2&items%5B1%5D%5Bprice%5D=p2",
  );
  // Already encoded bodies pass through; a file or a non-object cannot be url-encoded.
  assert.equal(urlEncodedBody("a=1").data, "a=1");
  assert.throws(() => urlEncodedBody({ file: new Blob(["x"]) }), InvalidRequestError);
  assert.throws(() => urlEncodedBody([1, 2]), InvalidRequestError);
  assert.throws(() => urlEncodedBody(7), InvalidRequestError);
});

test("multipart bodies: blobs are file parts, objects JSON text, arrays repeated parts", async () => {
  const file = new Blob(["%PDF"], { type: "application/pdf" });
  const body = multipartBody({ file, purpose: "assistants", tags: ["a", "b"], meta: { k: 1 }, n: 3, none: undefined });
  assert.equal(body.contentType, undefined, "fetch writes the boundary");
  const form = body.data;
  assert.ok(form instanceof FormData);
  assert.deepEqual([...form.keys()], ["file", "purpose", "tags", "tags", "meta", "n"]);
  const part = form.get("file");
  assert.ok(part instanceof Blob);
  assert.equal(await part.text(), "%PDF");
  assert.deepEqual(form.getAll("tags"), ["a", "b"]);
  assert.equal(form.get("meta"), '{"k":1}');
  assert.equal(form.get("n"), "3");
  const ready = new FormData();
  assert.equal(multipartBody(ready).data, ready);
  assert.throws(() => multipartBody("x"), InvalidRequestError);
});

test("the base error is exported under the client's name, and a client prints its own name", () => {
  // One runtime for every package: its base class is `SDKError`, each
  // package also names it after its client.
  assert.equal(InteractorError, SDKError);
  assert.ok(new InvalidRequestError("x") instanceof InteractorError);
  assert.ok(new SnapshotInvalidRequestError("x") instanceof SnapshotError);
  assert.equal(String(new Interactor({ baseURL: "http://127.0.0.1:9", token: "t" })), "Interactor(http://127.0.0.1:9, credentials ***)");
  assert.equal(String(new Snapshot({ baseURL: "http://127.0.0.1:9", token: "t" })), "Snapshot(http://127.0.0.1:9, credentials ***)");
});
