//! The typed event decoders generated into `interactor_api::events`: known
//! events decode to their variant, unknown ones are kept, bad data errors.

use interactor_api::events::{RoomStreamEvent, WebhookEvent};

#[test]
fn sse_events_decode_by_name() {
    let e = RoomStreamEvent::decode("message.delta", r#"{"content": "Hel"}"#).unwrap();
    let RoomStreamEvent::MessageDelta(delta) = &e else { panic!("{e:?}") };
    assert_eq!(delta.content, "Hel");
    assert_eq!(e.name(), "message.delta");

    // No `event:` field on the wire: dispatched on the data's `type`.
    let e = RoomStreamEvent::decode("message", r#"{"type": "message.delta", "content": "lo"}"#).unwrap();
    assert!(matches!(e, RoomStreamEvent::MessageDelta(ref d) if d.content == "lo"), "{e:?}");

    let e = RoomStreamEvent::decode("typing.started", "{}").unwrap();
    assert_eq!(e, RoomStreamEvent::Unknown { event: "typing.started".into(), data: "{}".into() });

    assert!(RoomStreamEvent::decode("message.delta", r#"{"content": 5}"#).is_err());
}

#[test]
fn webhook_events_decode_by_type() {
    let body = br#"{"id": "evt_1", "event": "credential.connected", "timestamp": "2026-11-23T10:00:00Z",
        "idempotency_key": "idem_1", "namespace": "ns", "data": {"credential_id": "cred_1", "provider": "google"}}"#;
    let e = WebhookEvent::decode(None, body).unwrap();
    let WebhookEvent::CredentialConnected(c) = &e else { panic!("{e:?}") };
    assert_eq!(c.data.credential_id, "cred_1");
    assert_eq!(e.name(), "credential.connected");

    let e = WebhookEvent::decode(Some("room.archived"), br#"{"id": "evt_2"}"#).unwrap();
    assert!(matches!(&e, WebhookEvent::Unknown { event, payload } if event == "room.archived" && payload["id"] == "evt_2"), "{e:?}");

    assert!(WebhookEvent::decode(None, b"not json").is_err());
}
