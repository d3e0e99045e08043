//! Closed objects (`additionalProperties: false`) as a generated Rust client
//! reads them: the rust-engine snapshot, answered by a loopback server.
//!
//! typify writes a closed object with `#[serde(deny_unknown_fields)]`, so a
//! server that added a response field (non-breaking by our own diff) made
//! every older Rust SDK fail to read the response. `normalize::closed`
//! opens such objects, but keeps union branches closed: an untagged enum's
//! variants are told apart by the keys each refuses.

use interactor_tests::loopback;
use snapshot_rust_engine::hooks::{FilePart, Hooks};
use snapshot_rust_engine::{Client, types};

#[tokio::test]
async fn a_closed_response_is_read_when_a_newer_server_adds_a_field() {
    let (listener, base) = loopback::bind().await;
    let client = Client::new_with_client(&base, reqwest::Client::new(), Hooks::default());
    let newer = r#"{"total_count":3,"+1":2,"-1":1,"eyes":5,"url":"https://example.test/r"}"#;
    let reply = loopback::json_reply("200 OK", newer);
    let (_, rollup) = tokio::join!(loopback::answer_once(&listener, &reply), client.get_reactions().send());
    let rollup = rollup.expect("a response with fields the spec does not name is read").into_inner();
    assert_eq!((rollup.total_count, rollup.plus1, rollup.minus1), (3, 2, 1));
}

#[tokio::test]
async fn closed_union_branches_are_still_told_apart_by_their_keys() {
    let (listener, base) = loopback::bind().await;
    let client = Client::new_with_client(&base, reqwest::Client::new(), Hooks::default());
    let send = || client.create_transcription().body(types::CreateTranscriptionBody::new(FilePart::new("a.wav", b"RIFF".to_vec()), "whisper-1".into()));

    let reply = loopback::json_reply("200 OK", r#"{"text":"hi","words":["hi"]}"#);
    let (_, response) = tokio::join!(loopback::answer_once(&listener, &reply), send().send());
    match response.expect("200").into_inner() {
        types::CreateTranscriptionResponse::VerboseTranscription(v) => assert_eq!(v.words, ["hi"]),
        other => panic!("the verbose form was read as {other:?}: its words were lost"),
    }

    let reply = loopback::json_reply("200 OK", r#"{"text":"hi"}"#);
    let (_, response) = tokio::join!(loopback::answer_once(&listener, &reply), send().send());
    assert!(matches!(response.expect("200").into_inner(), types::CreateTranscriptionResponse::Transcription(t) if t.text == "hi"));
}

#[test]
fn only_union_branches_refuse_unknown_keys() {
    let open = serde_json::from_str::<types::ReactionRollup>(r#"{"total_count":0,"+1":0,"-1":0,"new":true}"#);
    assert!(open.is_ok(), "{open:?}");
    let closed = serde_json::from_str::<types::Transcription>(r#"{"text":"hi","words":[]}"#).expect_err("a union branch stays closed");
    assert!(closed.to_string().contains("unknown field `words`"), "{closed}");
}
