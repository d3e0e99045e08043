//! Stream a room's events (Server-Sent Events) and print them.
//!
//! The stream reconnects by itself when the connection drops (with
//! `Last-Event-ID` when the server sends event ids); when the server sends
//! none, a dropped connection is reported as an `ErrorKind::StreamGap` item
//! and the stream goes on, so the program re-reads the messages it may
//! have missed.
//!
//! ```sh
//! cargo run -p interactor --example stream_room -- ROOM_ID [MAX_EVENTS]
//! ```
//!
//! `tests/tests/overlay_examples.rs` runs [`run`] against the fake server.

use futures_util::StreamExt;
use interactor::api::events::RoomStreamEvent;
use interactor::{Client, ErrorKind};

/// Prints up to `max` events of room `room_id`; returns the text of every
/// `message.delta` seen, in order.
pub async fn run(
    client: &Client,
    room_id: &str,
    max: usize,
) -> Result<Vec<String>, interactor::Error> {
    let mut deltas = Vec::new();
    let mut events = client.room_events(room_id).take(max);
    while let Some(event) = events.next().await {
        match event {
            Ok(RoomStreamEvent::MessageDelta(delta)) => {
                print!("{}", delta.content);
                deltas.push(delta.content);
            }
            Ok(RoomStreamEvent::MessageComplete(done)) => {
                println!("\n[complete: {}]", done.message.id);
            }
            Ok(other) => println!("\n[event: {other:?}]"),
            Err(e) if e.kind() == ErrorKind::StreamGap => {
                // Events may have been missed while reconnecting: re-read
                // the room's messages here (`client.messages().list()`).
                println!("\n[reconnected: {e}]");
            }
            // A decode error concerns one event; the stream goes on.
            Err(e) if e.kind() == ErrorKind::Decode => println!("\n[skipped: {e}]"),
            Err(e) => return Err(e),
        }
    }
    Ok(deltas)
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let room = args
        .next()
        .ok_or("usage: stream_room ROOM_ID [MAX_EVENTS]")?;
    let max = match args.next() {
        Some(n) => n.parse().map_err(|e| format!("MAX_EVENTS {n:?}: {e}"))?,
        None => usize::MAX,
    };
    let client = Client::from_env()?;
    run(&client, &room, max).await?;
    Ok(())
}
