//! Quickstart: a client from the environment, then list assistants, create
//! one if there is none, open a room and send a message.
//!
//! ```sh
//! export INTERACTOR_CLIENT_ID=... INTERACTOR_CLIENT_SECRET=...
//! export INTERACTOR_BASE_URL=http://127.0.0.1:PORT/api/v1   # optional: a test server
//! cargo run -p interactor --example quickstart
//! ```
//!
//! `tests/tests/overlay_examples.rs` runs [`run`] against the fake server.

use interactor::Client;
use interactor::api::types;

/// What the quickstart did.
#[derive(Debug)]
pub struct Outcome {
    /// The assistant the room talks to.
    pub assistant_id: String,
    /// The room created.
    pub room_id: String,
    /// The message sent.
    pub message_id: String,
}

/// Lists assistants (creating one when there is none), opens a room with
/// the first and sends a message, all in namespace `namespace`.
pub async fn run(client: &Client, namespace: &str) -> Result<Outcome, interactor::Error> {
    // Every call returns the generated error; `?` turns it into the one
    // `interactor::Error` (status, API code, request id, retryable).
    let listed = client
        .assistants()
        .list()
        .x_namespace(namespace)
        .send()
        .await?;
    let assistant_id = match listed.into_inner().data.into_iter().next() {
        Some(assistant) => assistant.id,
        None => {
            let created = client
                .assistants()
                .create()
                .x_namespace(namespace)
                .body_map(|b| {
                    b.name("Quickstart")
                        .model("gpt-4")
                        .system_prompt("You are a helpful assistant.")
                })
                .send()
                .await?;
            created.into_inner().data.id
        }
    };
    println!("assistant {assistant_id}");

    let room = client
        .rooms()
        .create()
        .x_namespace(namespace)
        .body_map(|b| b.assistant_id(assistant_id.clone()))
        .send()
        .await?
        .into_inner()
        .data;
    println!("room {}", room.id);

    // POST with an idempotency key the overlay adds: safe to retry.
    let message = client
        .messages()
        .send()
        .room_id(&room.id)
        .x_namespace(namespace)
        .body_map(|b| {
            b.content("Hello! What can you do?")
                .role(types::MessageRole::User)
        })
        .send()
        .await?
        .into_inner()
        .data;
    println!("message {}: {}", message.id, message.content);
    Ok(Outcome {
        assistant_id,
        room_id: room.id,
        message_id: message.id,
    })
}

#[tokio::main]
async fn main() -> Result<(), interactor::Error> {
    // INTERACTOR_CLIENT_ID/SECRET (or INTERACTOR_TOKEN), INTERACTOR_BASE_URL,
    // INTERACTOR_NAMESPACE; the error names whatever is missing.
    let client = Client::from_env()?;
    let namespace = std::env::var("INTERACTOR_NAMESPACE").unwrap_or_else(|_| "user_123".into());
    run(&client, &namespace).await?;
    Ok(())
}
