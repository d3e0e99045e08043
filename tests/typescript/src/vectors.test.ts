/**
 * Every row of the shared SSE and webhook vectors (the copies the Rust
 * tests read, `interactor/tests/data/`), through the TypeScript runtime.
 */

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";

import { SseParser, WebhookVerifier, WebhookVerificationError, decodeWebhookEvent, type WebhookScheme } from "../../../generated/typescript/interactor/src/index.js";
import { ROOT } from "./support.js";

const data = (name: string): unknown => JSON.parse(readFileSync(join(ROOT, "interactor", "tests", "data", name), "utf8"));

interface SseRow {
  name: string;
  input_b64: string;
  events: [string, string][];
  last_event_id: string;
  retry: number | null;
}

function parse(chunks: Uint8Array[]): { events: [string, string][]; lastEventId: string; retry: number | undefined } {
  const parser = new SseParser();
  const events: [string, string][] = [];
  for (const chunk of chunks) {
    parser.feed(chunk);
    for (const e of parser.events()) events.push([e.event, e.data]);
  }
  return { events, lastEventId: parser.lastEventId, retry: parser.retry };
}

test("every SSE vector, whole, in 1-byte chunks and split at every point", () => {
  const rows = data("sse.json") as SseRow[];
  assert.equal(rows.length, 20);
  for (const row of rows) {
    const input = Uint8Array.from(Buffer.from(row.input_b64, "base64"));
    const expect = { events: row.events, lastEventId: row.last_event_id, retry: row.retry ?? undefined };
    assert.deepEqual(parse([input]), expect, `${row.name}: whole`);
    assert.deepEqual(parse([...input].map((b) => Uint8Array.of(b))), expect, `${row.name}: 1-byte chunks`);
    for (let i = 0; i <= input.length; i++) {
      assert.deepEqual(parse([input.subarray(0, i), input.subarray(i)]), expect, `${row.name}: split at ${i}`);
    }
  }
});

test("reconnect keeps the id, drops a partial event and expects a new BOM", () => {
  const parser = new SseParser();
  const enc = new TextEncoder();
  parser.feed(enc.encode("id: 9\ndata: a\n\ndata: partial"));
  parser.reconnect();
  parser.feed(Uint8Array.of(0xef, 0xbb, 0xbf, ...enc.encode("data: b\n\n")));
  assert.deepEqual(
    parser.events().map((e) => [e.data, e.id]),
    [
      ["a", "9"],
      ["b", "9"],
    ],
  );
});

interface Row {
  name: string;
  secret?: string;
  secret_utf8?: string;
  id?: string;
  timestamp?: number;
  payload?: string;
  payload_repeat?: { char: string; count: number };
  expected_signature?: string;
  signature_header?: string;
  header?: string;
  valid?: boolean;
}

const payload = (v: Row): string => (v.payload_repeat ? v.payload_repeat.char.repeat(v.payload_repeat.count) : v.payload!);

function verifier(scheme: WebhookScheme, secrets: string[], nowSecs: number): WebhookVerifier {
  return new WebhookVerifier({ scheme, secrets, now: () => nowSecs * 1000 });
}

async function outcome(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "ok";
  } catch (e) {
    if (e instanceof WebhookVerificationError) return e.kind;
    throw e;
  }
}

test("every Standard Webhooks vector", async () => {
  const rows = (data("webhooks.json") as { standard_webhooks: Row[] }).standard_webhooks;
  assert.equal(rows.length, 8);
  for (const v of rows) {
    const headers = { "webhook-id": v.id!, "webhook-timestamp": String(v.timestamp), "webhook-signature": v.signature_header ?? v.expected_signature! };
    const got = await outcome(verifier("standard-webhooks", [v.secret!], v.timestamp!).verify(headers, payload(v)));
    assert.equal(got, v.valid ? "ok" : "no-matching-signature", v.name);
    // Svix's header names too.
    const svix = { "svix-id": v.id!, "svix-timestamp": String(v.timestamp), "svix-signature": v.signature_header ?? v.expected_signature! };
    assert.equal(await outcome(verifier("standard-webhooks", [v.secret!], v.timestamp!).verify(svix, payload(v))), got, `${v.name} (svix)`);
  }
});

test("every GitHub and Stripe vector", async () => {
  const all = data("webhooks.json") as { github: Row[]; stripe: Row[] };
  assert.ok(all.github.length > 0 && all.stripe.length > 0);
  for (const v of all.github) {
    const [name, value] = v.header!.split(": ") as [string, string];
    const good = verifier("github", [v.secret_utf8!], 0);
    assert.equal(await outcome(good.verify([[name, value]], payload(v))), "ok", v.name);
    assert.equal(await outcome(good.verify([[name, value]], "Hello, World?")), "no-matching-signature", v.name);
  }
  for (const v of all.stripe) {
    const [name, value] = v.header!.split(": ") as [string, string];
    const ts = v.timestamp!;
    assert.equal(await outcome(verifier("stripe", [v.secret_utf8!], ts).verify({ [name]: value }, payload(v))), "ok", v.name);
    assert.equal(await outcome(verifier("stripe", [v.secret_utf8!], ts + 300).verify({ [name]: value }, payload(v))), "ok", v.name);
    assert.equal(await outcome(verifier("stripe", [v.secret_utf8!], ts + 301).verify({ [name]: value }, payload(v))), "timestamp-out-of-tolerance", v.name);
    const rotated = value.replace(",v1=", ",v1=00ff,v1=");
    assert.equal(await outcome(verifier("stripe", [v.secret_utf8!], ts).verify({ [name]: rotated }, payload(v))), "ok", `${v.name} rotated`);
  }
});

// Interactor's schemes have no published vectors; these are the ones the
// Rust tests use (interactor/tests/webhook_vectors.rs), computed with
// Python's hmac from the formats in the Interactor docs.
const SECRET = "whsec_interactor_test_secret";
const BODY = '{"event":"workflow.instance.halted","delivery_id":"del_01F8B6XY"}';
const V1_SIG = "sha256=15220b02e57c15b3028aeefbcfd896e1ca4a4e88c6baa55a873a01a8bb201ec4";
const V2_TS = 1_705_752_000;
const V2_SIG = "sha256=a17057a86cf6cfb05a57b8942a472907894e0d724de14ad77b06980b5c042ac6";
const V2_SIG_OLD_SECRET = "sha256=52a2bfd390d1b2114f866dcfd32e4a8c81659cfbdb7daf5e7b55d89fc4f7f758";

test("Interactor v1: sha256=<hex> over the raw body", async () => {
  const v = verifier("interactor-v1", [SECRET], 0);
  const cases: [Record<string, string>, string, string][] = [
    [{ "X-Interactor-Signature": V1_SIG }, BODY, "ok"],
    [{ "x-interactor-signature": V1_SIG.slice(7) }, BODY, "ok"],
    [{ "X-INTERACTOR-SIGNATURE": "sha256=" + V1_SIG.slice(7).toUpperCase() }, BODY, "ok"],
    [{ "X-Interactor-Signature": V1_SIG }, "{}", "no-matching-signature"],
    [{}, BODY, "missing-header"],
    [{ "X-Interactor-Signature": "sha1=abcd" }, BODY, "malformed-header"],
    [{ "X-Interactor-Signature": "sha256=" }, BODY, "malformed-header"],
    [{ "X-Interactor-Signature": V1_SIG.slice(0, 70) }, BODY, "malformed-header"],
  ];
  for (const [headers, body, expect] of cases) assert.equal(await outcome(v.verify(headers, body)), expect, JSON.stringify(headers));
  assert.equal(await outcome(verifier("interactor-v1", ["another secret"], 0).verify({ "X-Interactor-Signature": V1_SIG }, BODY)), "no-matching-signature");
});

test("Interactor v2: timestamped, 5-minute tolerance, rotation", async () => {
  const headers = { "X-Interactor-Timestamp": String(V2_TS), "X-Interactor-Signature": V2_SIG, "X-Interactor-Delivery": "del_01F8B6XY", "X-Interactor-Event": "workflow.instance.halted" };
  for (const [now, expect] of [
    [V2_TS, "ok"],
    [V2_TS + 300, "ok"],
    [V2_TS - 300, "ok"],
    [V2_TS + 301, "timestamp-out-of-tolerance"],
    [V2_TS - 301, "timestamp-out-of-tolerance"],
    [0, "timestamp-out-of-tolerance"],
  ] as const) {
    assert.equal(await outcome(verifier("interactor-v2", [SECRET], now).verify(headers, BODY)), expect, `now ${now}`);
  }
  const v = verifier("interactor-v2", [SECRET], V2_TS);
  const verified = await v.verify(headers, new TextEncoder().encode(BODY));
  assert.equal(verified.id, "del_01F8B6XY");
  assert.equal(verified.eventType, "workflow.instance.halted");
  assert.equal(verified.timestamp, V2_TS);
  assert.equal(verified.json<{ delivery_id: string }>().delivery_id, "del_01F8B6XY");
  // Typed: the body's `event` names the variant; an unknown event is kept.
  const event = decodeWebhookEvent(verified);
  assert.equal(event.type, "workflow.instance.halted");
  const unknown = decodeWebhookEvent({ ...verified, json: <T>() => ({ event: "brand.new", x: 1 }) as T });
  assert.deepEqual(unknown, { type: "$unknown", event: "brand.new", payload: { event: "brand.new", x: 1 } });
  // The v1 signature does not pass as v2; the timestamp is signed.
  assert.equal(await outcome(v.verify({ ...headers, "X-Interactor-Signature": V1_SIG }, BODY)), "no-matching-signature");
  assert.equal(await outcome(v.verify({ ...headers, "X-Interactor-Timestamp": String(V2_TS + 1) }, BODY)), "no-matching-signature");
  assert.equal(await outcome(v.verify(headers, '{"tampered":true}')), "no-matching-signature");
  for (const bad of ["", "-1", "1705752000.5", "17057520OO", "0x10", "99999999999999999999999"]) {
    assert.equal(await outcome(v.verify({ ...headers, "X-Interactor-Timestamp": bad }, BODY)), "malformed-header", bad);
  }
  // Rotation: both secrets configured, either signature passes, and the index says which.
  const both = verifier("interactor-v2", ["old_secret", SECRET], V2_TS);
  assert.equal((await both.verify({ ...headers, "X-Interactor-Signature": V2_SIG_OLD_SECRET }, BODY)).secretIndex, 0);
  assert.equal((await both.verify(headers, BODY)).secretIndex, 1);
  assert.equal(await outcome(v.verify({ ...headers, "X-Interactor-Signature": V2_SIG_OLD_SECRET }, BODY)), "no-matching-signature");
});

test("secrets never show in JSON or inspect output", async () => {
  const { inspect } = await import("node:util");
  const v = verifier("interactor-v2", [SECRET], V2_TS);
  for (const text of [JSON.stringify(v), inspect(v), String(v)]) {
    assert.ok(!text.includes(SECRET) && !text.includes("interactor_test"), text);
  }
  assert.throws(() => new WebhookVerifier({ scheme: "interactor-v1", secrets: [] }), WebhookVerificationError);
  assert.throws(() => new WebhookVerifier({ scheme: "standard-webhooks", secrets: ["whsec_!!notbase64"] }), WebhookVerificationError);
});
