//! Every row of `data/sse.json`, fed whole and in chunks of every size that
//! matters: the result must not depend on the chunking.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use interactor::sse::SseParser;
use serde_json::Value;

struct Expect {
    events: Vec<(String, String)>,
    last_event_id: String,
    retry: Option<u64>,
}

fn rows() -> Vec<(String, Vec<u8>, Expect)> {
    let json: Value = serde_json::from_str(include_str!("data/sse.json")).unwrap();
    json.as_array()
        .unwrap()
        .iter()
        .map(|row| {
            let name = row["name"].as_str().unwrap().to_owned();
            let input = STANDARD.decode(row["input_b64"].as_str().unwrap()).unwrap();
            let events = row["events"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| {
                    (
                        e[0].as_str().unwrap().to_owned(),
                        e[1].as_str().unwrap().to_owned(),
                    )
                })
                .collect();
            let expect = Expect {
                events,
                last_event_id: row["last_event_id"].as_str().unwrap().to_owned(),
                retry: row["retry"].as_u64(),
            };
            (name, input, expect)
        })
        .collect()
}

/// Feeds `chunks` to a new parser and compares the outcome with `expect`.
fn check<'a>(name: &str, how: &str, chunks: impl IntoIterator<Item = &'a [u8]>, expect: &Expect) {
    let mut parser = SseParser::new();
    let mut events = Vec::new();
    for chunk in chunks {
        parser.feed(chunk).expect("vectors are small");
        events.extend(parser.events().map(|e| (e.event, e.data)));
    }
    assert_eq!(events, expect.events, "{name}, {how}");
    assert_eq!(
        parser.last_event_id(),
        expect.last_event_id,
        "{name}, {how}"
    );
    assert_eq!(parser.retry(), expect.retry, "{name}, {how}");
}

#[test]
fn every_row_is_read() {
    let rows = rows();
    assert_eq!(rows.len(), 20);
    assert!(rows.iter().any(|(_, _, e)| e.retry.is_some()));
    assert!(rows.iter().any(|(_, _, e)| !e.last_event_id.is_empty()));
}

#[test]
fn whole_input() {
    for (name, input, expect) in rows() {
        check(&name, "whole", [input.as_slice()], &expect);
    }
}

#[test]
fn one_byte_chunks() {
    for (name, input, expect) in rows() {
        check(&name, "1-byte chunks", input.chunks(1), &expect);
    }
}

#[test]
fn seven_byte_chunks() {
    for (name, input, expect) in rows() {
        check(&name, "7-byte chunks", input.chunks(7), &expect);
    }
}

#[test]
fn every_split_point() {
    for (name, input, expect) in rows() {
        for at in 0..=input.len() {
            let (a, b) = input.split_at(at);
            check(&name, &format!("split at {at}"), [a, b], &expect);
        }
    }
}

#[test]
fn crlf_split_across_chunks() {
    let rows = rows();
    let (name, input, expect) = rows
        .iter()
        .find(|(name, ..)| name == "crlf-cr-lf-mixed")
        .unwrap();
    let cr = input.windows(2).position(|w| w == b"\r\n").unwrap();
    let (a, b) = input.split_at(cr + 1);
    assert!(a.ends_with(b"\r") && b.starts_with(b"\n"));
    check(name, "CR | LF", [a, b], expect);
    // With empty chunks between the CR and the LF as well.
    check(name, "CR | empty | LF", [a, b"", b], expect);
}

#[test]
fn crlf_blank_line_split_dispatches_once() {
    let mut parser = SseParser::new();
    let mut data = Vec::new();
    for chunk in [&b"data: a\r"[..], b"\n\r", b"\ndata: b\r\n\r", b"\n"] {
        parser.feed(chunk).expect("vectors are small");
        data.extend(parser.events().map(|e| e.data));
    }
    assert_eq!(
        data,
        ["a", "b"],
        "a CRLF split across chunks is one line ending"
    );
}
