/**
 * Test support: where the repository is, and the fake Interactor server
 * (`fake-interactor`, the same server the Rust tests use) as a child
 * process on loopback, driven through its control API.
 */

import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { existsSync } from "node:fs";
import { join } from "node:path";

/** The repository root (`REPO_ROOT`, set by `cargo xtask ci`). */
export const ROOT: string = (() => {
  const root = process.env["REPO_ROOT"];
  if (root === undefined || !existsSync(join(root, "sdk.toml"))) {
    throw new Error("REPO_ROOT must name the repository root (run through `cargo xtask ci`, or set it yourself)");
  }
  return root;
})();

/** The fake server binary (`FAKE_INTERACTOR`, else `target/debug/fake-interactor`). */
export const FAKE_BINARY: string = process.env["FAKE_INTERACTOR"] ?? join(ROOT, "target", "debug", "fake-interactor");

/** The fake server's OAuth client. */
export const CLIENT_ID = "client_test";
export const CLIENT_SECRET = "secret_test";

/** One request as the fake server saw it. */
export interface Recorded {
  method: string;
  path: string;
  query: string | null;
  headers: [string, string][];
  body: string;
  request_id: string;
  status: number | null;
}

/** A scripted response (see tests/src/script.rs). */
export interface Canned {
  status: number;
  headers?: [string, string][];
  json?: unknown;
  error?: { code: string; message: string };
  raw?: string;
  delay_ms?: number;
}

/** A running fake server. */
export class Fake {
  private constructor(
    private readonly child: ChildProcess,
    /** The API base URL (`http://127.0.0.1:PORT/api/v1`). */
    readonly baseURL: string,
    private readonly control: string,
  ) {}

  /** Starts a server on a free port and waits until it listens. */
  static async start(args: string[] = []): Promise<Fake> {
    const child = spawn(FAKE_BINARY, ["--port", "0", ...args], { stdio: ["ignore", "pipe", "inherit"] });
    const lines = createInterface({ input: child.stdout! });
    let api: string | undefined;
    let control: string | undefined;
    const failed = new Promise<never>((_, reject) => {
      child.once("error", (e) => reject(new Error(`cannot start ${FAKE_BINARY}: ${e.message}`)));
      child.once("exit", (code) => reject(new Error(`${FAKE_BINARY} exited with ${code}`)));
    });
    const ready = (async () => {
      for await (const line of lines) {
        if (line.startsWith("listening on ")) api = line.slice("listening on ".length);
        if (line.startsWith("control on ")) control = line.slice("control on ".length);
        if (api !== undefined && control !== undefined) return;
      }
    })();
    await Promise.race([ready, failed]);
    failed.catch(() => undefined);
    if (api === undefined || control === undefined) throw new Error("fake-interactor did not print its addresses");
    return new Fake(child, `${api}/api/v1`, control);
  }

  /** Stops the server. */
  stop(): void {
    this.child.kill();
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.control}${path}`, { method, body: body === undefined ? null : JSON.stringify(body) });
    const text = await response.text();
    if (!response.ok) throw new Error(`control ${path}: ${response.status} ${text}`);
    return JSON.parse(text) as T;
  }

  /** Queues a canned response for `method` on `route` (relative to /api/v1; `{x}` matches a segment). */
  async script(method: string, route: string, canned: Canned): Promise<void> {
    await this.call("POST", "/script", { method, route, ...canned });
  }

  /** Every request so far. */
  requests(): Promise<Recorded[]> {
    return this.call("GET", "/requests");
  }

  /** Requests whose path (without /api/v1) is `route`. */
  async requestsTo(route: string): Promise<Recorded[]> {
    return (await this.requests()).filter((r) => r.path === `/api/v1${route}`);
  }

  /** How many token requests the server answered. */
  async tokenRequests(): Promise<number> {
    return (await this.call<{ count: number }>("GET", "/token-requests")).count;
  }

  /** Makes every issued token expired. */
  async expireTokens(): Promise<void> {
    await this.call("POST", "/expire-tokens");
  }

  /** A valid token with the default scopes, issued without a token request. */
  async issueToken(): Promise<string> {
    return (await this.call<{ token: string }>("POST", "/issue-token", {})).token;
  }

  /** Canned responses not used yet. */
  async pendingScripts(): Promise<number> {
    return (await this.call<{ count: number }>("GET", "/pending-scripts")).count;
  }
}

/** The value of header `name` in a recorded request. */
export function header(r: Recorded, name: string): string | undefined {
  return r.headers.find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1];
}
