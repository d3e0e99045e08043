//! Arbitrary bytes, split at an arbitrary point, parse exactly as when fed
//! whole, and byte by byte.
#![no_main]

use interactor::sse::{SseEvent, SseParser};
use libfuzzer_sys::fuzz_target;

fn parse<'a>(chunks: impl IntoIterator<Item = &'a [u8]>) -> (Vec<SseEvent>, String, Option<u64>) {
    let mut parser = SseParser::new();
    let mut events = Vec::new();
    for chunk in chunks {
        parser.feed(chunk).expect("vectors are small");
        events.extend(parser.events());
    }
    (events, parser.last_event_id().to_owned(), parser.retry())
}

fuzz_target!(|data: &[u8]| {
    let Some((&split, input)) = data.split_first() else {
        return;
    };
    let at = usize::from(split) * input.len() / 255;
    let whole = parse([input]);
    let (a, b) = input.split_at(at.min(input.len()));
    assert_eq!(parse([a, b]), whole, "split at {at}");
    assert_eq!(parse(input.chunks(1)), whole, "byte by byte");
});
