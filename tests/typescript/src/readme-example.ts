/**
 * The README's "TypeScript SDK" example, type-checked (and never run): if
 * the generated API changes under it, `tsc` fails here.
 */

import { Interactor, NotFoundError, WebhookVerifier } from "../../../generated/typescript/interactor/src/index.js";

export async function example(clientId: string, clientSecret: string, newSecret: string, oldSecret: string, request: Request, rawBody: Uint8Array): Promise<unknown> {
  const client = new Interactor({ clientId, clientSecret, namespace: "user_123" }); // or { token }
  const room = await client.rooms.create({ assistant_id: "asst_123" });
  for await (const assistant of client.assistants.listAll()) console.log(assistant.name); // every page
  for await (const event of client.rooms.streamEvents(room.data.id)) {
    if (event.type === "message.delta") process.stdout.write(event.data.content); // typed, resumes after drops
  }
  try {
    await client.assistants.get("asst_missing", { timeoutMs: 5_000, namespace: "other_ns" });
  } catch (e) {
    if (e instanceof NotFoundError) console.log(e.status, e.code, e.requestId);
  }
  const verifier = new WebhookVerifier({ scheme: "interactor-v2", secrets: [newSecret, oldSecret] });
  const delivery = await verifier.verify(request.headers, rawBody); // throws WebhookVerificationError
  return delivery;
}
