/**
 * The generated client against the fake Interactor server (the binary the
 * Rust suites' server runs as): tokens, retries, idempotency keys, typed
 * errors, namespaces, path encoding, pagination and SSE resume.
 */

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { inspect } from "node:util";

import { APITimeoutError, AuthenticationError, Interactor, InternalServerError, InvalidRequestError, NotFoundError, RateLimitError, UnprocessableEntityError, type ClientOptions } from "../../../generated/typescript/interactor/src/index.js";
import { CLIENT_ID, CLIENT_SECRET, Fake, header } from "./support.js";

let fake: Fake;

before(async () => {
  fake = await Fake.start();
});

after(() => fake.stop());

/** A client of the fake server; fast backoff so retries do not slow the suite. */
function client(options: ClientOptions = {}): Interactor {
  return new Interactor({ baseURL: fake.baseURL, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, retry: { initialBackoffMs: 10, maxBackoffMs: 50 }, ...options });
}

const assistant = (name: string) => ({ name, model: "gpt-4", system_prompt: "Be brief." });

test("many concurrent calls share one token request", async () => {
  const before = await fake.tokenRequests();
  const c = client({ namespace: "ns_single_flight" });
  const lists = await Promise.all(Array.from({ length: 25 }, () => c.assistants.list()));
  assert.equal(lists.length, 25);
  assert.equal((await fake.tokenRequests()) - before, 1);
  const calls = (await fake.requestsTo("/assistants")).filter((r) => header(r, "x-namespace") === "ns_single_flight");
  assert.equal(calls.length, 25);
  assert.ok(calls.every((r) => header(r, "authorization")?.startsWith("Bearer ") && !(r.query ?? "").includes("token")));
});

test("one caller's abort does not fail the token fetch the others wait on", async () => {
  const token = await fake.issueToken();
  await fake.script("POST", "/oauth/token", { status: 200, json: { data: { access_token: token, token_type: "Bearer", expires_in: 3600 } }, delay_ms: 300 });
  const c = client({ namespace: "ns_abort_token" });
  const controller = new AbortController();
  const first = c.assistants.list({}, { signal: controller.signal });
  const second = c.assistants.list();
  setTimeout(() => controller.abort(new Error("caller gave up")), 50);
  await assert.rejects(first, /caller gave up/);
  const list = await second;
  assert.ok(Array.isArray(list.data));
  const seen = (await fake.requestsTo("/assistants")).filter((r) => header(r, "x-namespace") === "ns_abort_token");
  assert.equal(seen.length, 1);
  assert.equal(header(seen[0]!, "authorization"), `Bearer ${token}`);
});

test("a rejected token is dropped and the call retried once with a new one", async () => {
  const c = client({ namespace: "ns_401" });
  await c.assistants.list();
  const before = await fake.tokenRequests();
  await fake.expireTokens();
  const list = await c.assistants.list();
  assert.ok(Array.isArray(list.data));
  assert.equal((await fake.tokenRequests()) - before, 1);
  const statuses = (await fake.requestsTo("/assistants")).filter((r) => header(r, "x-namespace") === "ns_401").map((r) => r.status);
  assert.deepEqual(statuses, [200, 401, 200]);
  // A static token the server rejects is an AuthenticationError, not retried.
  const bad = new Interactor({ baseURL: fake.baseURL, token: "not-a-token", namespace: "ns_401_static" });
  await assert.rejects(bad.assistants.list(), AuthenticationError);
  assert.equal((await fake.requestsTo("/assistants")).filter((r) => header(r, "x-namespace") === "ns_401_static").length, 1);
});

test("429 and 503 are retried after Retry-After", async () => {
  const c = client({ namespace: "ns_retry" });
  await c.assistants.list(); // token first
  await fake.script("GET", "/assistants", { status: 429, error: { code: "RATE_LIMITED", message: "slow down" }, headers: [["Retry-After", "1"]] });
  await fake.script("GET", "/assistants", { status: 503, error: { code: "API_ERROR", message: "unavailable" }, headers: [["retry-after-ms", "30"]] });
  const started = Date.now();
  const list = await c.assistants.list();
  const elapsed = Date.now() - started;
  assert.ok(Array.isArray(list.data));
  assert.ok(elapsed >= 950, `waited only ${elapsed} ms for Retry-After: 1`);
  assert.equal(await fake.pendingScripts(), 0);
  const statuses = (await fake.requestsTo("/assistants")).filter((r) => header(r, "x-namespace") === "ns_retry").map((r) => r.status);
  assert.deepEqual(statuses, [200, 429, 503, 200]);
});

test("retries stop after maxAttempts with the typed error, request id and envelope", async () => {
  const c = client({ namespace: "ns_give_up", retry: { maxAttempts: 2, initialBackoffMs: 1, maxBackoffMs: 1 } });
  for (let i = 0; i < 2; i++) await fake.script("GET", "/assistants", { status: 429, error: { code: "RATE_LIMITED", message: "slow down" } });
  const err = await c.assistants.list().then(
    () => assert.fail("expected an error"),
    (e: unknown) => e,
  );
  assert.ok(err instanceof RateLimitError);
  assert.equal(err.status, 429);
  assert.equal(err.code, "RATE_LIMITED");
  assert.equal(err.error?.message, "slow down");
  assert.ok(err.requestId !== undefined && err.requestId.length > 0);
  assert.equal(err.requestId, err.headers.get("x-request-id"));
});

test("a POST or PATCH without an idempotency key is never sent twice", async () => {
  const c = client({ namespace: "ns_no_key" });
  const created = await c.assistants.create(assistant("once"));
  const id = created.data.id;
  await fake.script("PATCH", "/assistants/{id}", { status: 503, error: { code: "API_ERROR", message: "unavailable" }, headers: [["Retry-After", "0"]] });
  await assert.rejects(c.assistants.update(id, { name: "twice?" }), InternalServerError);
  const patches = (await fake.requestsTo(`/assistants/${id}`)).filter((r) => r.method === "PATCH");
  assert.equal(patches.length, 1);
  assert.equal(header(patches[0]!, "idempotency-key"), undefined);
  // Same for a POST the spec gives no key (token revocation, on the account server).
  await fake.script("POST", "/oauth/revoke", { status: 503, headers: [["Retry-After", "0"]] });
  await assert.rejects(c.authentication.revokeAccessToken({ token: "x", client_id: CLIENT_ID, client_secret: CLIENT_SECRET }), InternalServerError);
  assert.equal((await fake.requestsTo("/oauth/revoke")).length, 1);
});

test("a retried POST carries the same Idempotency-Key on every attempt", async () => {
  const c = client({ namespace: "ns_key" });
  await fake.script("POST", "/assistants", { status: 503, error: { code: "API_ERROR", message: "unavailable" }, headers: [["Retry-After", "0"]] });
  await fake.script("POST", "/assistants", { status: 502, headers: [["Retry-After", "0"]] });
  const created = await c.assistants.create(assistant("keyed"));
  assert.equal(created.data.name, "keyed");
  const posts = (await fake.requestsTo("/assistants")).filter((r) => r.method === "POST" && header(r, "x-namespace") === "ns_key");
  assert.deepEqual(
    posts.map((r) => r.status),
    [503, 502, 201],
  );
  const keys = new Set(posts.map((r) => header(r, "idempotency-key")));
  assert.equal(keys.size, 1);
  assert.match([...keys][0]!, /^[0-9a-f-]{36}$/);
  // A caller's key is used as is; a new call gets a new key.
  await c.assistants.create(assistant("mine"), { idempotencyKey: "my-key-1" });
  await c.assistants.create(assistant("fresh"));
  const later = (await fake.requestsTo("/assistants")).filter((r) => r.method === "POST" && header(r, "x-namespace") === "ns_key").slice(3);
  assert.equal(header(later[0]!, "idempotency-key"), "my-key-1");
  assert.ok(!keys.has(header(later[1]!, "idempotency-key")));
});

test("typed errors: 404 with the envelope; 422 on bad input", async () => {
  const c = client({ namespace: "ns_errors" });
  const err = await c.assistants.get("asst_missing").catch((e: unknown) => e);
  assert.ok(err instanceof NotFoundError, String(err));
  assert.equal(err.status, 404);
  assert.ok(err.code !== undefined);
  assert.ok(err.requestId !== undefined);
  assert.ok(err.message.includes("404"));
  // The body's types are bypassed on purpose: the server's 422 is typed too.
  const invalid = await c.assistants.create({ name: "no model" } as unknown as Parameters<typeof c.assistants.create>[0]).catch((e: unknown) => e);
  assert.ok(invalid instanceof UnprocessableEntityError, String(invalid));
  assert.equal(invalid.status, 422);
});

test("path parameters are one encoded segment; `..` never reaches the server", async () => {
  const c = client({ namespace: "ns_paths" });
  await assert.rejects(c.assistants.get("../x"), NotFoundError);
  const seen = (await fake.requests()).filter((r) => header(r, "x-namespace") === "ns_paths").map((r) => r.path);
  assert.deepEqual(seen, ["/api/v1/assistants/..%2Fx"]);
  for (const bad of ["..", ".", ""]) await assert.rejects(c.assistants.get(bad), InvalidRequestError);
  const after = (await fake.requests()).filter((r) => header(r, "x-namespace") === "ns_paths");
  assert.equal(after.length, 1);
});

test("namespace: the client's default, per-call override, or none", async () => {
  const c = client({ namespace: "ns_default" });
  await c.assistants.list();
  await c.assistants.list({}, { namespace: "ns_override" });
  const all = await fake.requestsTo("/assistants");
  assert.ok(all.some((r) => header(r, "x-namespace") === "ns_default"));
  assert.ok(all.some((r) => header(r, "x-namespace") === "ns_override"));
  // The account server never gets the namespace or a bearer token.
  const revokes = await fake.requestsTo("/oauth/token");
  assert.ok(revokes.length > 0 && revokes.every((r) => header(r, "x-namespace") === undefined && header(r, "authorization") === undefined));
});

test("every item of a paginated list, across pages", async () => {
  const c = client({ namespace: "ns_pages" });
  const names = Array.from({ length: 23 }, (_, i) => `a${String(i).padStart(2, "0")}`);
  for (const name of names) await c.assistants.create(assistant(name));
  const seen: string[] = [];
  for await (const a of c.assistants.listAll({ per_page: 5 })) seen.push(a.name);
  assert.deepEqual([...seen].sort(), names);
  const pages = (await fake.requestsTo("/assistants")).filter((r) => r.method === "GET" && header(r, "x-namespace") === "ns_pages");
  assert.deepEqual(
    pages.map((r) => new URLSearchParams(r.query ?? "").get("page")),
    ["1", "2", "3", "4", "5"],
  );
});

test("a per-attempt timeout is an APITimeoutError", async () => {
  const c = client({ namespace: "ns_timeout" });
  await c.assistants.list();
  await fake.script("GET", "/assistants", { status: 200, json: { data: [] }, delay_ms: 2000 });
  await assert.rejects(c.assistants.list({}, { timeoutMs: 100, maxAttempts: 1 }), APITimeoutError);
  // A caller's abort is not retried and surfaces as the abort reason.
  await fake.script("GET", "/assistants", { status: 200, json: { data: [] }, delay_ms: 2000 });
  const controller = new AbortController();
  setTimeout(() => controller.abort(new Error("stop")), 50);
  await assert.rejects(c.assistants.list({}, { signal: controller.signal }), /stop/);
});

test("SSE: every event once and in order across random drops, resuming with Last-Event-ID", async () => {
  const total = 2000;
  for (const seed of [1, 2]) {
    const c = client({ namespace: "ns_sse" });
    const before = (await fake.requestsTo("/rooms/room_1/stream")).length;
    const got: string[] = [];
    for await (const event of c.rooms.streamEvents("room_1", { query: { events: total, drop_seed: seed, ids: "true" } })) {
      assert.equal(event.type, "message.delta");
      if (event.type === "message.delta") got.push(event.data.content);
      if (got.length === total) break;
    }
    assert.deepEqual(
      got,
      Array.from({ length: total }, (_, i) => String(i)),
    );
    const streams = (await fake.requestsTo("/rooms/room_1/stream")).slice(before);
    assert.ok(streams.length > 5, `seed ${seed}: only ${streams.length} connections`);
    assert.equal(header(streams[0]!, "last-event-id"), undefined);
    const resumes = streams.slice(1).map((r) => Number(header(r, "last-event-id")));
    assert.ok(resumes.every((n, i) => Number.isInteger(n) && (i === 0 || n >= resumes[i - 1]!)), `seed ${seed}: ${resumes.join(",")}`);
    for (const r of streams) {
      assert.ok(header(r, "authorization")?.startsWith("Bearer "));
      assert.ok(!(r.query ?? "").includes("token"));
      assert.equal(header(r, "accept"), "text/event-stream");
      assert.equal(header(r, "x-namespace"), "ns_sse");
    }
  }
});

test("SSE: a refused stream ends with the typed error", async () => {
  const c = client({ namespace: "ns_sse_refused" });
  await fake.script("GET", "/rooms/{id}/stream", { status: 404, error: { code: "NOT_FOUND", message: "no room" } });
  await assert.rejects(
    (async () => {
      for await (const _ of c.rooms.streamEvents("r")) assert.fail("no event expected");
    })(),
    NotFoundError,
  );
  await assert.rejects(
    (async () => {
      for await (const _ of c.rooms.streamEvents("..")) assert.fail("no event expected");
    })(),
    InvalidRequestError,
  );
});

test("the client never shows its secrets", () => {
  const c = client();
  for (const text of [JSON.stringify(c), inspect(c), String(c)]) assert.ok(!text.includes(CLIENT_SECRET), text);
  const t = new Interactor({ baseURL: fake.baseURL, token: "tok_very_secret" });
  for (const text of [JSON.stringify(t), inspect(t), String(t)]) assert.ok(!text.includes("tok_very_secret"), text);
});

test("SSE: an expired token is refreshed on reconnect, once", async () => {
  const c = client({ namespace: "ns_sse_401" });
  const before = await fake.tokenRequests();
  const got: string[] = [];
  for await (const event of c.rooms.streamEvents("r", { query: { events: 3000, drop_seed: 9, ids: "true" } })) {
    if (event.type !== "message.delta") assert.fail(`unexpected ${event.type}`);
    got.push(event.data.content);
    if (got.length === 1000) await fake.expireTokens();
    if (got.length === 3000) break;
  }
  assert.deepEqual(
    got,
    Array.from({ length: 3000 }, (_, i) => String(i)),
  );
  assert.equal((await fake.tokenRequests()) - before, 2);
  const statuses = (await fake.requestsTo("/rooms/r/stream")).filter((r) => header(r, "x-namespace") === "ns_sse_401").map((r) => r.status);
  assert.equal(statuses.filter((s) => s === 401).length, 1, statuses.join(","));
});
