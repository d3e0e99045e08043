/**
 * Contract test: every operation of the generated client, called with
 * arguments built from the spec's schemas, against Prism mocking
 * `spec/openapi.yaml` (pinned in tests/prism). Prism validates each
 * request (path, query, headers, body, security) and answers 422/400 with
 * an `sl-violations` header when one does not match the spec: any such
 * request is a generator bug.
 */

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";

import { Interactor, OPERATIONS } from "../../../generated/typescript/interactor/src/index.js";
import { ROOT } from "./support.js";

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any -- a parsed YAML document

const PRISM = join(ROOT, "tests", "prism", "node_modules", ".bin", "prism");
const SPEC = join(ROOT, "spec", "openapi.yaml");

let prism: ChildProcess;
let baseURL: string;
let spec: Json;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address !== null ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

before(async () => {
  // Prism depends on @stoplight/yaml; the spec is read with it rather than
  // adding a YAML parser of our own.
  const require = createRequire(join(ROOT, "tests", "prism", "package.json"));
  const yaml = require("@stoplight/yaml") as { parse(text: string): Json };
  spec = yaml.parse(readFileSync(SPEC, "utf8"));
  const port = await freePort();
  baseURL = `http://127.0.0.1:${port}`;
  prism = spawn(PRISM, ["mock", SPEC, "-h", "127.0.0.1", "-p", String(port)], { stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Prism did not start in 90 s:\n${log}`)), 90_000);
    const onData = (chunk: Buffer): void => {
      log += chunk.toString();
      if (log.includes("Prism is listening")) {
        clearTimeout(timer);
        resolve();
      }
    };
    prism.stdout!.on("data", onData);
    prism.stderr!.on("data", onData);
    prism.once("exit", (code) => reject(new Error(`Prism exited with ${code}:\n${log}`)));
  });
});

after(() => prism?.kill());

/** Follows a local `$ref`. */
function deref(node: Json): Json {
  let n = node;
  for (let i = 0; n && typeof n === "object" && typeof n.$ref === "string" && i < 32; i++) {
    n = n.$ref
      .slice(2)
      .split("/")
      .map((s: string) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
      .reduce((acc: Json, key: string) => acc?.[key], spec);
  }
  return n;
}

/** A value valid against `schema`: its example, else one built from its type and constraints. */
function sample(schemaRef: Json, depth = 0): Json {
  const s = deref(schemaRef) ?? {};
  if (s.const !== undefined) return s.const;
  if (Array.isArray(s.examples) && s.examples.length > 0) return s.examples[0];
  if (s.example !== undefined) return s.example;
  if (s.default !== undefined) return s.default;
  if (Array.isArray(s.enum) && s.enum.length > 0) return s.enum.find((v: Json) => v !== null) ?? s.enum[0];
  if (Array.isArray(s.oneOf)) return sample(s.oneOf[0], depth + 1);
  if (Array.isArray(s.anyOf)) return sample(s.anyOf[0], depth + 1);
  if (Array.isArray(s.allOf)) return Object.assign({}, ...s.allOf.map((p: Json) => sample(p, depth + 1)));
  const type = Array.isArray(s.type) ? s.type.find((t: string) => t !== "null") : s.type;
  switch (type ?? (s.properties ? "object" : s.items ? "array" : undefined)) {
    case "object": {
      const out: Record<string, Json> = {};
      for (const name of s.required ?? []) out[name] = sample(s.properties?.[name] ?? {}, depth + 1);
      // minProperties: add declared optional properties in order, then made-up keys.
      for (const name of Object.keys(s.properties ?? {})) {
        if (Object.keys(out).length >= (s.minProperties ?? 0)) break;
        out[name] ??= sample(s.properties[name], depth + 1);
      }
      for (let i = 0; Object.keys(out).length < (s.minProperties ?? 0); i++) out[`key${i}`] = sample(s.additionalProperties ?? {}, depth + 1);
      return out;
    }
    case "array":
      return Array.from({ length: Math.max(1, s.minItems ?? 1) }, () => sample(s.items ?? {}, depth + 1));
    case "integer":
      return typeof s.minimum === "number" ? Math.ceil(s.minimum) : 1;
    case "number":
      return typeof s.minimum === "number" ? s.minimum : 1.5;
    case "boolean":
      return true;
    case "string":
      switch (s.format) {
        case "date-time":
          return "2024-01-15T10:30:00Z";
        case "date":
          return "2024-01-15";
        case "email":
          return "dev@example.com";
        case "uri":
        case "url":
          return "https://example.com/hook";
        case "uuid":
          return "7f9c2f1e-1b2a-4c3d-8e9f-0a1b2c3d4e5f";
        default:
          return "x".repeat(Math.max(1, s.minLength ?? 3));
      }
    default:
      return depth > 8 ? null : {};
  }
}

interface Seen {
  method: string;
  url: string;
  status: number;
  violations: string | null;
}

test("Prism accepts the request of every operation", async () => {
  const seen: Seen[] = [];
  const recording: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    seen.push({ method: init?.method ?? "GET", url: String(input), status: response.status, violations: response.headers.get("sl-violations") });
    return response;
  };
  const client = new Interactor({ baseURL, authURL: baseURL, token: "contract-test-token", namespace: "user_123", fetch: recording, retry: { maxAttempts: 1 } });
  const problems: string[] = [];
  let calls = 0;
  for (const op of OPERATIONS) {
    const item = spec.paths[op.path];
    const operation = item?.[op.httpMethod.toLowerCase()];
    assert.ok(operation, `${op.operationId}: ${op.httpMethod} ${op.path} not in the spec`);
    const parameters: Json[] = [...(item.parameters ?? []), ...(operation.parameters ?? [])].map(deref);
    const param = (name: string, where: string): Json => parameters.find((p) => p.name === name && p.in === where);
    const args: Json[] = op.pathParams.map((name) => String(sample(param(name, "path")?.schema ?? { type: "string" })));
    if (op.body !== undefined) {
      const content = deref(operation.requestBody)?.content ?? {};
      const media = Object.keys(content).find((m) => m.includes("json"));
      args.push(media !== undefined ? sample(content[media].schema) : "");
    }
    if (op.params.length > 0) {
      const params: Record<string, Json> = {};
      for (const name of op.params) {
        const p = parameters.find((x) => x.name === name && x.in !== "path");
        params[name] = sample(p?.schema ?? { type: "string" });
      }
      args.push(params);
    }
    const before = seen.length;
    const resource = (client as unknown as Record<string, Record<string, (...a: Json[]) => Json>>)[op.resource]!;
    const method = resource[op.member]!;
    try {
      if (op.stream) {
        for await (const _ of method.call(resource, ...args, { maxAttempts: 1 })) break;
      } else {
        await method.call(resource, ...args);
      }
    } catch {
      // Mock answers need not decode: what matters is what Prism said about the request.
    }
    calls++;
    const sent = seen.slice(before);
    if (sent.length === 0) problems.push(`${op.operationId}: no request sent`);
    for (const r of sent) {
      // Violations about the request (not Prism's own mock responses).
      const request = (JSON.parse(r.violations ?? "[]") as { location: string[]; severity: string }[]).filter((v) => v.location[0] === "request" && v.severity === "Error");
      if (request.length > 0) problems.push(`${op.operationId}: ${r.method} ${r.url} → ${r.status} ${r.violations}`);
      else if (r.status === 404 || r.status === 405) problems.push(`${op.operationId}: ${r.method} ${r.url} → ${r.status} (no such route)`);
    }
  }
  assert.equal(calls, OPERATIONS.length);
  assert.ok(OPERATIONS.length >= 60, `only ${OPERATIONS.length} operations`);
  assert.deepEqual(problems, []);
});
