//! `anyOf` with branches that are no objects, as a generated Rust client
//! sends and reads them: the rust-engine snapshot's `createImage`, answered
//! by a loopback server.
//!
//! typify made such an `anyOf` a struct of flattened options, which
//! compiled and failed on every value (`can only flatten structs and maps`
//! when sending OpenAI's `model`, `invalid type: string` when reading it).
//! `normalize::unions` makes it a `oneOf`: an untagged enum, known values
//! first. `normalize::defaults` reads defaults written as text (`"1"`,
//! `"false"`) as what their schema says.
//!
//! Untagged enums whose variants typify numbered (`Variant0`) are named
//! after what they hold (`Known`, `String`, `Empty`, `StarredList`), the
//! one-value `type` they are told apart by, or the key only one of them
//! requires (`rust::variant_names`).
//!
//! String enums read the values a newer server adds (`rust::open_enums`):
//! typify's enums were closed, so a new value failed the whole response
//! where the TypeScript and Python SDKs read it. Each gets a last variant,
//! `Unknown(String)`; the enums an untagged union tells its branches apart
//! by stay closed (`ImageModel` below: `custom` is still `ModelIds::String`).
//!
//! Unions of objects likewise get an `Unknown(Map)` (`StreamEvent`, and
//! the internally tagged `AddressAllocator`).
//!
//! And object query parameters (Stripe's `deepObject` filters), which were
//! maps of JSON values because progenitor panics on an optional struct
//! parameter: `getBeta`'s `scope` and `recurring` are structs now (a newtype
//! of each for progenitor; the setter takes the struct).

use interactor_tests::loopback;
use serde_json::{Value, json};
use snapshot_rust_engine::hooks::Hooks;
use snapshot_rust_engine::{Client, types};

fn body(request: &loopback::Request) -> Value {
    serde_json::from_slice(&request.body).expect("a JSON request body")
}

#[tokio::test]
async fn known_and_unknown_values_of_an_open_enum_go_on_the_wire_as_strings() {
    let (listener, base) = loopback::bind().await;
    let client = Client::new_with_client(&base, reqwest::Client::new(), Hooks::default());
    let reply = loopback::json_reply("200 OK", "[]");
    let known = types::CreateImageRequest::builder().model(types::ModelIds::ImageModel(types::ImageModel::DallE2));
    let (request, response) = tokio::join!(loopback::answer_once(&listener, &reply), client.create_image().body(known).send());
    response.expect("200");
    assert_eq!(body(&request), json!({"model": "dall-e-2", "n": 1, "size": "auto", "stream": false}), "the defaults are the spec's, read as numbers and booleans");

    let reply = loopback::json_reply("200 OK", "[]");
    let unknown = types::CreateImageRequest::builder()
        .model(types::ModelIds::String("my-fine-tune".into()))
        .size(Some(types::CreateImageRequestSize::String("1536x864".into())));
    let (request, response) = tokio::join!(loopback::answer_once(&listener, &reply), client.create_image().body(unknown).send());
    response.expect("200");
    assert_eq!(body(&request)["model"], "my-fine-tune");
    assert_eq!(body(&request)["size"], "1536x864");
}

#[test]
fn values_are_read_as_the_narrowest_branch_that_takes_them() {
    let read: types::CreateImageRequest = serde_json::from_value(json!({"model": "gpt-image-1", "size": "1024x1024"})).expect("a known model");
    assert_eq!(read.model, types::ModelIds::ImageModel(types::ImageModel::GptImage1));
    assert_eq!(read.size, Some(types::CreateImageRequestSize::Known(types::CreateImageRequestSizeKnown::X1024x1024)));
    assert_eq!((read.n, read.stream, read.seed), (Some(1), false, None));

    let read: types::CreateImageRequest = serde_json::from_value(json!({"model": "custom", "size": "77x77", "seed": 5})).expect("an unknown model");
    assert_eq!(read.model, types::ModelIds::String("custom".into()));
    assert_eq!(read.size, Some(types::CreateImageRequestSize::String("77x77".into())));
    assert_eq!(serde_json::to_value(&read).expect("serializes")["model"], "custom", "sent back as it was read");

    // The closed enum alone names what it takes, as serde's derive did.
    let wrong = serde_json::from_value::<types::ImageModel>(json!("dall-e-9")).expect_err("a closed enum");
    assert_eq!(wrong.to_string(), "unknown variant `dall-e-9`, expected `dall-e-2` or `gpt-image-1`");
}

#[tokio::test]
async fn an_any_of_of_two_arrays_reads_either() {
    let (listener, base) = loopback::bind().await;
    let client = Client::new_with_client(&base, reqwest::Client::new(), Hooks::default());
    let request = || types::CreateImageRequest::builder().model(types::ModelIds::String("m".into()));

    let starred = r#"[{"starred_at":"2026-11-24","repo":{"id":"r1"}}]"#;
    let reply = loopback::json_reply("200 OK", starred);
    let (_, response) = tokio::join!(loopback::answer_once(&listener, &reply), client.create_image().body(request()).send());
    match response.expect("200").into_inner() {
        types::CreateImageResponse::StarredList(items) => assert_eq!((items[0].starred_at.as_str(), items[0].repo.id.as_deref()), ("2026-11-24", Some("r1"))),
        other => panic!("starred repositories read as {other:?}"),
    }

    let reply = loopback::json_reply("200 OK", r#"[{"id":"s1"}]"#);
    let (_, response) = tokio::join!(loopback::answer_once(&listener, &reply), client.create_image().body(request()).send());
    match response.expect("200").into_inner() {
        types::CreateImageResponse::SubscriptionScheduleList(items) => assert_eq!(items[0].id.as_deref(), Some("s1")),
        other => panic!("plain items read as {other:?}"),
    }
}

#[tokio::test]
async fn object_query_parameters_are_structs_sent_as_deep_objects() {
    let (listener, base) = loopback::bind().await;
    let client = Client::new_with_client(&base, reqwest::Client::new(), Hooks::default());
    let reply = loopback::json_reply("200 OK", r#"{"value":"weekly"}"#);
    let mut scope = types::GetBetaScope::new(types::GetBetaScopeType::User);
    scope.user = Some("u 1".into());
    let mut recurring = types::GetBetaRecurring::new();
    recurring.interval = Some("month".into());
    let (request, response) =
        tokio::join!(loopback::answer_once(&listener, &reply), client.get_beta().x_ids(vec![1]).scope(scope).recurring(recurring).send());
    response.expect("200");
    assert_eq!(request.target(), "/beta?recurring[interval]=month&scope[type]=user&scope[user]=u%201");

    // The required one must be given; the optional one may be left out.
    let reply = loopback::json_reply("200 OK", r#"{"value":"weekly"}"#);
    let scope = types::GetBetaScope::new(types::GetBetaScopeType::Account);
    let (request, response) = tokio::join!(loopback::answer_once(&listener, &reply), client.get_beta().x_ids(vec![1]).scope(scope).send());
    response.expect("200");
    assert_eq!(request.target(), "/beta?scope[type]=account");
    let err = client.get_beta().x_ids(vec![1]).send().await.expect_err("no scope");
    assert!(err.to_string().contains("scope"), "{err}");
}

#[test]
fn or_empty_to_unset_is_empty_or_a_string() {
    // typify named both branches `Variant0`/`Variant1`; `rust::variant_names`
    // names them after what they hold.
    let mut unset = types::CreateImageRequest::new(types::ModelIds::String("m".into()));
    unset.user = Some(types::CreateImageRequestUser::Empty(types::CreateImageRequestUserEmpty::X));
    assert_eq!(serde_json::to_value(&unset).expect("serializes")["user"], "");
    let read: types::CreateImageRequest = serde_json::from_value(json!({"model": "m", "user": "u-1"})).expect("a user");
    assert_eq!(read.user.as_ref().map(ToString::to_string).as_deref(), Some("u-1"));
    assert!(matches!(read.user, Some(types::CreateImageRequestUser::String(_))), "{:?}", read.user);
    let read: types::CreateImageRequest = serde_json::from_value(json!({"model": "m", "user": ""})).expect("empty");
    assert!(matches!(read.user, Some(types::CreateImageRequestUser::Empty(_))), "{:?}", read.user);
    let too_long = serde_json::from_value::<types::CreateImageRequest>(json!({"model": "m", "user": "u".repeat(65)}));
    assert!(too_long.is_err(), "maxLength 64 is checked: {too_long:?}");
}

#[tokio::test]
async fn events_told_apart_by_their_type_are_variants_named_after_it() {
    let (listener, base) = loopback::bind().await;
    let client = Client::new_with_client(&base, reqwest::Client::new(), Hooks::default());
    // A done event that also carries a `delta` is still a done event: its
    // one-value `type` tells it apart, as its variant name says.
    let events = r#"[{"type":"response.audio.delta","delta":"AAA"},{"type":"response.audio.done","delta":"x","stream_id":"s1"}]"#;
    let reply = loopback::json_reply("200 OK", events);
    let (request, response) = tokio::join!(loopback::answer_once(&listener, &reply), client.list_events().send());
    assert_eq!(request.target(), "/events");
    let events = response.expect("200").into_inner();
    assert!(matches!(&events[0], types::StreamEvent::ResponseAudioDelta { delta, .. } if delta == "AAA"), "{:?}", events[0]);
    assert!(matches!(&events[1], types::StreamEvent::ResponseAudioDone { stream_id: Some(s), .. } if s == "s1"), "{:?}", events[1]);
    assert_eq!(types::StreamEventResponseAudioDoneType::ResponseAudioDone.to_string(), "response.audio.done");
}

#[tokio::test]
async fn objects_told_apart_by_a_required_key_are_variants_named_after_it() {
    // github's pages settings: alternatives with no tag, each requiring a
    // key of its own (`source`, `build_type`, `https_enforced`).
    let (listener, base) = loopback::bind().await;
    let client = Client::new_with_client(&base, reqwest::Client::new(), Hooks::default());
    let reply = loopback::json_reply("200 OK", r#"{"https_enforced":true}"#);
    let body = types::PagesUpdate::BuildType { build_type: types::PagesUpdateBuildType::Workflow, cname: None };
    let (request, response) = tokio::join!(loopback::answer_once(&listener, &reply), client.update_pages().body(body).send());
    assert!(request.head.starts_with("PUT /pages "), "{}", request.head);
    assert_eq!(serde_json::from_slice::<Value>(&request.body).expect("JSON"), json!({"build_type": "workflow"}));
    let read = response.expect("200").into_inner();
    assert!(matches!(&read, types::PagesUpdate::HttpsEnforced { https_enforced: true, source: None }), "{read:?}");

    let read: types::PagesUpdate = serde_json::from_value(json!({"source": "main", "cname": "docs.example.com"})).expect("source");
    assert!(matches!(&read, types::PagesUpdate::Source { source, cname: Some(c) } if source == "main" && c == "docs.example.com"), "{read:?}");
    // No variant's required key: an object the spec does not describe,
    // kept whole (it failed the response before `rust::open_enums`).
    let other = serde_json::from_value::<types::PagesUpdate>(json!({"cname": "docs.example.com"})).expect("any object");
    assert!(matches!(&other, types::PagesUpdate::Unknown(o) if o.get("cname") == Some(&json!("docs.example.com"))), "{other:?}");
}

#[tokio::test]
async fn a_value_the_spec_does_not_list_is_read_and_sent_as_it_is() {
    let (listener, base) = loopback::bind().await;
    let client = Client::new_with_client(&base, reqwest::Client::new(), Hooks::default());
    // GitHub has added reaction kinds over the years.
    let newer = r#"{"total_count":1,"+1":0,"-1":0,"content":"hooray","operator":"not in"}"#;
    let reply = loopback::json_reply("200 OK", newer);
    let call = client.get_reactions().order(types::GetReactionsOrder::Unknown("-updated".into()));
    let (request, rollup) = tokio::join!(loopback::answer_once(&listener, &reply), call.send());
    assert_eq!(request.line(), "GET /reactions?order=-updated HTTP/1.1");
    let rollup = rollup.expect("a response with a value the spec does not list is read").into_inner();
    assert_eq!(rollup.content, Some(types::ReactionRollupContent::Unknown("hooray".into())));
    assert_eq!(rollup.operator, Some(types::ReactionRollupOperator::NotIn), "a listed value is its variant");
    let again = serde_json::to_value(&rollup).expect("serializes");
    assert_eq!((&again["content"], &again["operator"]), (&json!("hooray"), &json!("not in")), "written back as it was read");
}

#[test]
fn unknown_values_parse_and_display_as_their_wire_text() {
    use types::ReactionRollupContent as Content;
    for (text, want) in [("+1", Content::Plus1), ("laugh", Content::Laugh), ("hooray", Content::Unknown("hooray".into()))] {
        let parsed: Content = text.parse().unwrap_or_else(|e| panic!("{text}: {e}"));
        assert_eq!(parsed, want);
        assert_eq!(parsed.to_string(), text);
        let read: Content = serde_json::from_value(json!(text)).unwrap_or_else(|e| panic!("{text}: {e}"));
        assert_eq!(read, want, "serde and FromStr agree on {text}");
    }
    let wrong = serde_json::from_value::<Content>(json!(1)).expect_err("a number is no value of a string enum");
    assert!(wrong.to_string().contains("invalid type: integer `1`, expected a string"), "{wrong}");
    // Map keys are read and written the same way.
    let keyed: std::collections::BTreeMap<Content, u8> = serde_json::from_str(r#"{"laugh":1,"hooray":2}"#).expect("enum keys");
    assert_eq!(keyed.get(&Content::Unknown("hooray".into())), Some(&2));
    assert_eq!(serde_json::to_string(&keyed).expect("serializes"), r#"{"laugh":1,"hooray":2}"#);
}

#[tokio::test]
async fn an_object_of_a_kind_the_spec_does_not_list_is_read_as_it_was_sent() {
    let (listener, base) = loopback::bind().await;
    let client = Client::new_with_client(&base, reqwest::Client::new(), Hooks::default());
    // OpenAI adds stream event types; the union of objects reads them.
    let events = r#"[{"type":"response.audio.delta","delta":"AAA"},{"type":"response.audio.transcript","text":"hi","n":[1]}]"#;
    let reply = loopback::json_reply("200 OK", events);
    let (_, response) = tokio::join!(loopback::answer_once(&listener, &reply), client.list_events().send());
    let events = response.expect("a response with an event the spec does not list is read").into_inner();
    assert!(matches!(&events[0], types::StreamEvent::ResponseAudioDelta { delta, .. } if delta == "AAA"), "{:?}", events[0]);
    let types::StreamEvent::Unknown(object) = &events[1] else { panic!("{:?}", events[1]) };
    assert_eq!(object.get("type"), Some(&json!("response.audio.transcript")));
    let again = serde_json::to_value(&events).expect("serializes");
    assert_eq!(again[1], json!({"type": "response.audio.transcript", "text": "hi", "n": [1]}), "written back as it was read");

    // The union stays one of objects: a string is still refused.
    let wrong = serde_json::from_value::<types::StreamEvent>(json!("response.audio.delta")).expect_err("a string is no event");
    assert!(wrong.to_string().contains("expected a map"), "{wrong}");
    // Every branch has a one-value `type`, so only another `type` is
    // `Unknown`: an event of a listed type that does not fit is an error.
    let misfit = serde_json::from_value::<types::StreamEvent>(json!({"type": "response.audio.delta"})).expect_err("no delta");
    assert!(misfit.to_string().contains("did not match any variant"), "{misfit}");
}

#[tokio::test]
async fn an_internally_tagged_union_reads_a_tag_the_spec_does_not_list() {
    // oxide's address allocator: inline branches told apart by `type`,
    // which typify writes as `#[serde(tag = "type")]`.
    let (listener, base) = loopback::bind().await;
    let client = Client::new_with_client(&base, reqwest::Client::new(), Hooks::default());
    let newer = r#"{"type":"floating","ip":"10.0.0.9","pool":"p1"}"#;
    let reply = loopback::json_reply("201 Created", newer);
    let sent = types::AddressAllocator::Explicit { ip: "10.0.0.1".into() };
    let (request, response) = tokio::join!(loopback::answer_once(&listener, &reply), client.allocate_address().body(sent).send());
    assert!(request.head.starts_with("POST /addresses "), "{}", request.head);
    assert_eq!(body(&request), json!({"type": "explicit", "ip": "10.0.0.1"}), "the tag goes on the wire beside the fields");
    let read = response.expect("a response with a tag the spec does not list is read").into_inner();
    let types::AddressAllocator::Unknown(object) = &read else { panic!("{read:?}") };
    assert_eq!(object.get("type"), Some(&json!("floating")));
    assert_eq!(serde_json::to_value(&read).expect("serializes"), serde_json::from_str::<Value>(newer).expect("JSON"), "written back as it was read");

    let read: types::AddressAllocator = serde_json::from_value(json!({"type": "auto"})).expect("a listed tag");
    assert_eq!(read, types::AddressAllocator::Auto { pool: None });
    // Only another tag is `Unknown`: a listed one whose object does not
    // fit its branch is serde's error, naming what is wrong.
    let misfit = serde_json::from_value::<types::AddressAllocator>(json!({"type": "explicit"})).expect_err("no ip");
    assert_eq!(misfit.to_string(), "missing field `ip`");
    let untagged = serde_json::from_value::<types::AddressAllocator>(json!({"ip": "10.0.0.2"})).expect_err("no tag");
    assert_eq!(untagged.to_string(), "missing field `type`");
    let wrong = serde_json::from_value::<types::AddressAllocator>(json!("explicit")).expect_err("a string is no allocator");
    assert!(wrong.to_string().contains("expected a map"), "{wrong}");
}
